#include "sip/raw_reply.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace suflyor::sip {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
    return v;
}

// One header field, unfolded into a single line of text ("Name: value").
struct Field {
    std::string name;
    std::string value;
};

// Splits the header block into fields (folded continuation lines joined); stops at the blank line.
std::vector<Field> fields_of(std::string_view request) {
    std::vector<Field> out;
    std::size_t pos = request.find('\n');
    if (pos == std::string_view::npos) return out;
    ++pos;
    while (pos < request.size() && out.size() < 200) {
        auto end = request.find('\n', pos);
        if (end == std::string_view::npos) end = request.size();
        auto line = request.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = end + 1;
        if (line.empty()) break;
        if ((line.front() == ' ' || line.front() == '\t') && !out.empty()) {
            out.back().value += " " + std::string(trim(line));
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        out.push_back(
            {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    }
    return out;
}

bool is(const Field& f, std::string_view full, std::string_view compact) {
    return iequals(f.name, full) || (!compact.empty() && iequals(f.name, compact));
}

std::string lower(std::string_view v) {
    std::string out(v);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::optional<std::string> build_raw_reply(std::string_view request, std::uint16_t status,
                                           std::string_view reason, std::string_view extra_headers,
                                           std::string_view to_tag) {
    const auto fields = fields_of(request);
    std::string vias, from, to, call_id, cseq;
    for (const auto& f : fields) {
        if (is(f, "Via", "v"))
            vias += "Via: " + f.value + "\r\n";
        else if (is(f, "From", "f") && from.empty())
            from = f.value;
        else if (is(f, "To", "t") && to.empty())
            to = f.value;
        else if (is(f, "Call-ID", "i") && call_id.empty())
            call_id = f.value;
        else if (is(f, "CSeq", "") && cseq.empty())
            cseq = f.value;
    }
    if (vias.empty() || cseq.empty()) return std::nullopt;
    if (!to.empty() && lower(to).find(";tag=") == std::string::npos &&
        lower(to).find("; tag") == std::string::npos)
        to += ";tag=" + std::string(to_tag);
    std::string out =
        "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\r\n" + vias;
    if (!from.empty()) out += "From: " + from + "\r\n";
    if (!to.empty()) out += "To: " + to + "\r\n";
    if (!call_id.empty()) out += "Call-ID: " + call_id + "\r\n";
    out += "CSeq: " + cseq + "\r\n";
    out += std::string(extra_headers);
    out += "Content-Length: 0\r\n\r\n";
    return out;
}

std::uint16_t raw_reply_port(std::string_view request, std::uint16_t source_port) {
    for (const auto& f : fields_of(request)) {
        if (!is(f, "Via", "v")) continue;
        // Only the top Via (up to a comma) counts.
        const std::string via = lower(f.value.substr(0, f.value.find(',')));
        const auto semi = via.find(';');
        const std::string params = semi == std::string::npos ? "" : via.substr(semi);
        if (params.find(";rport") != std::string::npos ||
            params.find("; rport") != std::string::npos)
            return source_port;
        // sent-by follows "SIP/2.0/UDP" and whitespace; the port is after the last ':' outside [].
        std::string sent_by = via.substr(0, semi);
        const auto last_slash = sent_by.rfind('/');
        if (last_slash != std::string::npos) sent_by = sent_by.substr(last_slash + 1);
        sent_by = std::string(trim(sent_by));
        const auto space = sent_by.find_first_of(" \t");
        if (space != std::string::npos) sent_by = std::string(trim(sent_by.substr(space)));
        const auto bracket = sent_by.rfind(']');
        const auto colon = sent_by.rfind(':');
        if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
            const auto port = sent_by.substr(colon + 1);
            if (!port.empty() && port.size() <= 5 &&
                std::all_of(port.begin(), port.end(), ::isdigit)) {
                const long value = std::stol(port);
                if (value > 0 && value <= 65535) return static_cast<std::uint16_t>(value);
            }
        }
        return 5060;
    }
    return source_port;
}

} // namespace suflyor::sip
