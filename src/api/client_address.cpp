// The client's address behind trusted reverse proxies (X-Forwarded-For, right-most untrusted hop).
#include "api/server_internal.hpp"
#include "api/text.hpp"

namespace suflyor::api::detail {

namespace {

bool is_trusted(const std::vector<sip::AddressRange>& trusted, std::string_view ip) {
    for (const auto& range : trusted)
        if (range.contains(ip)) return true;
    return false;
}

// A bare IP literal (no range, no port): what a proxy writes into X-Forwarded-For.
bool is_ip(std::string_view text) {
    return !text.empty() && text.find('/') == std::string_view::npos &&
           sip::AddressRange::parse(text).has_value();
}

} // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<sip::AddressRange>& trusted) {
    std::string client(peer);
    if (forwarded_for.empty() || !is_trusted(trusted, peer)) return client;
    // Each proxy appends the address it received from; walking from the right, the first hop
    // that is not a trusted proxy is the client. Hops further left were written by the client
    // itself and prove nothing; a malformed hop stops the walk at the last address known good.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const std::string_view hop = text::trim(
            comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        if (!is_ip(hop)) break;
        client = std::string(hop);
        if (!is_trusted(trusted, hop)) break;
        if (comma == std::string_view::npos) break;
        forwarded_for = forwarded_for.substr(0, comma);
    }
    return client;
}

} // namespace suflyor::api::detail
