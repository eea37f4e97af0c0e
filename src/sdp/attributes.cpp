#include "sdp/attributes.hpp"

#include "sdp/text.hpp"

namespace suflyor::sdp::detail {
namespace {

constexpr bool is_ice_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

constexpr bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr std::size_t max_fingerprint_bytes = 64; // sha-512

bool is_fingerprint_hex(std::string_view value) noexcept {
    // XX(:XX)*: 3n - 1 characters.
    if (value.size() < 2 || (value.size() + 1) % 3 != 0 ||
        (value.size() + 1) / 3 > max_fingerprint_bytes)
        return false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const bool ok = i % 3 == 2 ? value[i] == ':' : is_hex(value[i]);
        if (!ok) return false;
    }
    return true;
}

} // namespace

bool is_ice_string(std::string_view s, std::size_t max) noexcept {
    if (s.empty() || s.size() > max) return false;
    for (const char c : s)
        if (!is_ice_char(c)) return false;
    return true;
}

std::optional<Fingerprint> parse_fingerprint_value(std::string_view value) {
    const std::string_view hash = next_field(value);
    const std::string_view hex = next_field(value);
    if (!is_token(hash) || !is_fingerprint_hex(hex) || !next_field(value).empty())
        return std::nullopt;
    return Fingerprint{std::string(hash), std::string(hex)};
}

std::optional<Setup> parse_setup(std::string_view value) noexcept {
    value = trim_trailing(trim_leading(value));
    if (value == "actpass") return Setup::actpass;
    if (value == "active") return Setup::active;
    if (value == "passive") return Setup::passive;
    if (value == "holdconn") return Setup::holdconn;
    return std::nullopt;
}

std::optional<Candidate> parse_candidate(std::string_view value) {
    Candidate c;
    const std::string_view foundation = next_field(value);
    const auto component = parse_unsigned<std::uint16_t>(next_field(value));
    const std::string_view transport = next_field(value);
    const auto priority = parse_unsigned<std::uint32_t>(next_field(value));
    const std::string_view address = next_field(value);
    const auto port = parse_unsigned<std::uint16_t>(next_field(value));
    const std::string_view typ = next_field(value);
    const std::string_view type = next_field(value);
    const auto valid_address = [](std::string_view a) {
        return is_valid_address(address_type_of(a), a);
    };
    if (!is_ice_string(foundation, 32) || !component || *component == 0 || *component > 256 ||
        !is_token(transport) || !priority || !valid_address(address) || !port || typ != "typ" ||
        !is_token(type))
        return std::nullopt;
    c.foundation = foundation;
    c.component = *component;
    c.transport = transport;
    c.priority = *priority;
    c.address = address;
    c.port = *port;
    c.type = type;
    // The rest, two fields at a time: raddr/rport, or extension name/value pairs.
    for (std::string_view name = next_field(value); !name.empty(); name = next_field(value)) {
        const std::string_view field = next_field(value);
        if (name == "raddr") {
            if (!valid_address(field)) return std::nullopt;
            c.related_address = std::string(field);
        } else if (name == "rport") {
            const auto related_port = parse_unsigned<std::uint16_t>(field);
            if (!related_port) return std::nullopt;
            c.related_port = *related_port;
        } else {
            if (!c.extensions.empty()) c.extensions += ' ';
            c.extensions += name;
            if (!field.empty()) (c.extensions += ' ') += field;
        }
    }
    return c;
}

std::string format_candidate(const Candidate& c) {
    std::string out = c.foundation;
    (out += ' ') += std::to_string(c.component);
    (out += ' ') += c.transport;
    (out += ' ') += std::to_string(c.priority);
    (out += ' ') += c.address;
    (out += ' ') += std::to_string(c.port);
    (out += " typ ") += c.type;
    if (c.related_address) (out += " raddr ") += *c.related_address;
    if (c.related_port) (out += " rport ") += std::to_string(*c.related_port);
    if (!c.extensions.empty()) (out += ' ') += c.extensions;
    return out;
}

} // namespace suflyor::sdp::detail
