#pragma once
// Lexing helpers shared by the SDP parser and negotiation (internal to the sdp module).
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace suflyor::sdp::detail {

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_trailing(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

constexpr std::string_view trim_leading(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    return s;
}

// The next whitespace-separated field of `rest` (runs of blanks tolerated); empty at the end.
constexpr std::string_view next_field(std::string_view& rest) noexcept {
    rest = trim_leading(rest);
    std::size_t end = 0;
    while (end < rest.size() && !is_blank(rest[end]))
        ++end;
    const std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end);
    return field;
}

// Digits only (no sign, no blanks), fitting in U.
template <class U> std::optional<U> parse_unsigned(std::string_view s) noexcept {
    if (s.empty() || s.size() > 20) return std::nullopt;
    for (const char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    if (value > std::numeric_limits<U>::max()) return std::nullopt;
    return static_cast<U>(value);
}

constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; }

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

// RFC 4566 token-char: visible ASCII except the separators "(),/:;<=>?@[\]{}.
constexpr bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        const bool ok = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B ||
                        c == 0x2D || c == 0x2E || (c >= 0x30 && c <= 0x39) ||
                        (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
        if (!ok) return false;
    }
    return true;
}

enum class AddressType { ip4, ip6 };

std::optional<AddressType> parse_address_type(std::string_view s) noexcept;

// A unicast address of the given type: a dotted quad (IP4), an RFC 4291 text address (IP6), or a
// fully qualified domain name (either). A string of digits and dots must be a valid dotted quad.
bool is_valid_address(AddressType type, std::string_view address) noexcept;

// The address type write_sdp uses for an address: IP6 if it contains ':'.
constexpr AddressType address_type_of(std::string_view address) noexcept {
    return address.find(':') == std::string_view::npos ? AddressType::ip4 : AddressType::ip6;
}

} // namespace suflyor::sdp::detail
