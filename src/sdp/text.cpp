#include "sdp/text.hpp"

#include <arpa/inet.h>
#include <array>
#include <cstring>

namespace suflyor::sdp::detail {
namespace {

// inet_pton needs a NUL-terminated string: copy into a bounded stack buffer.
bool is_inet(int family, std::string_view address) noexcept {
    std::array<char, 64> buffer{};
    if (address.empty() || address.size() >= buffer.size()) return false;
    std::memcpy(buffer.data(), address.data(), address.size());
    std::array<unsigned char, 16> binary{};
    return inet_pton(family, buffer.data(), binary.data()) == 1;
}

bool is_fqdn(std::string_view name) noexcept {
    if (name.empty() || name.size() > 253) return false;
    bool has_letter = false;
    std::size_t label = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '.') {
            if (label == 0) return false; // empty label
            label = 0;
            continue;
        }
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (!letter && !digit && c != '-' && c != '_') return false;
        if (c == '-' && (label == 0 || i + 1 == name.size() || name[i + 1] == '.')) return false;
        has_letter = has_letter || letter || c == '-' || c == '_';
        if (++label > 63) return false;
    }
    // All digits and dots would be a malformed dotted quad, not a name.
    return has_letter;
}

} // namespace

std::optional<AddressType> parse_address_type(std::string_view s) noexcept {
    if (s == "IP4") return AddressType::ip4;
    if (s == "IP6") return AddressType::ip6;
    return std::nullopt;
}

bool is_valid_address(AddressType type, std::string_view address) noexcept {
    if (type == AddressType::ip4) return is_inet(AF_INET, address) || is_fqdn(address);
    return is_inet(AF_INET6, address) || is_fqdn(address);
}

} // namespace suflyor::sdp::detail
