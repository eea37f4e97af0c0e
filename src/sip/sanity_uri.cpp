// Hosts and URIs for the SIP sanity check (RFC 3261 section 25.1, RFC 5954, RFC 3986).
#include "sip/sanity_grammar.hpp"

namespace suflyor::sip::detail {
namespace {

constexpr bool is_param_char(char c) noexcept { // paramchar minus escaped
    return is_unreserved(c) || std::string_view("[]/:&+$").find(c) != std::string_view::npos;
}
constexpr bool is_header_char(char c) noexcept { // hname / hvalue chars minus escaped
    return is_unreserved(c) || std::string_view("[]/?:+$").find(c) != std::string_view::npos;
}
constexpr bool is_userinfo_char(char c) noexcept { // user / password chars minus escaped
    return is_unreserved(c) || std::string_view("&=+$,;?/:").find(c) != std::string_view::npos;
}
constexpr bool is_generic_uri_char(char c) noexcept { // RFC 3986 unreserved + reserved
    return is_alnum(c) ||
           std::string_view("-._~:/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
}
constexpr bool is_hostname_char(char c) noexcept {
    return is_alnum(c) || c == '-' || c == '.' || c == '_';
}

// Every '%' must start an escape "%" HEXDIG HEXDIG; other bytes must satisfy allowed().
template <class Allowed> bool is_escaped_text(std::string_view text, Allowed allowed) noexcept {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (i + 2 >= text.size()) return false;
            if (!is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
            i += 2;
        } else if (!allowed(text[i])) {
            return false;
        }
    }
    return true;
}

// *( ";" pname [ "=" pvalue ] ) after the host part of a SIP URI.
bool is_valid_uri_params(std::string_view text) noexcept {
    while (!text.empty()) {
        if (text.front() != ';') return false;
        text.remove_prefix(1);
        const std::size_t end = text.find(';');
        const std::string_view param = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
        const std::size_t eq = param.find('=');
        const std::string_view name = param.substr(0, eq);
        if (name.empty() || !is_escaped_text(name, is_param_char)) return false;
        if (eq != std::string_view::npos) {
            const std::string_view value = param.substr(eq + 1);
            if (value.empty() || !is_escaped_text(value, is_param_char)) return false;
        }
    }
    return true;
}

// "?" hname "=" hvalue *( "&" hname "=" hvalue )
bool is_valid_uri_headers(std::string_view text) noexcept {
    text.remove_prefix(1); // '?'
    do {
        const std::size_t end = text.find('&');
        const std::string_view header = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const std::size_t eq = header.find('=');
        if (eq == 0 || eq == std::string_view::npos) return false;
        if (!is_escaped_text(header.substr(0, eq), is_header_char) ||
            !is_escaped_text(header.substr(eq + 1), is_header_char))
            return false;
        if (end == std::string_view::npos) break;
    } while (true);
    return true;
}

bool is_valid_sip_uri(std::string_view rest, UriContext context) noexcept {
    // userinfo runs to the first '@': user-unreserved allows ';' and '?' in it (RFC 4475 intmeth,
    // semiuri), while params and headers cannot contain a raw '@'.
    const std::size_t at = rest.find('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = rest.substr(0, at);
        if (userinfo.empty() || userinfo.front() == ':') return false;
        if (!is_escaped_text(userinfo, is_userinfo_char)) return false;
        rest.remove_prefix(at + 1);
    }
    std::size_t host_end = 0;
    if (!rest.empty() && rest.front() == '[') {
        host_end = rest.find(']');
        if (host_end == std::string_view::npos) return false;
        ++host_end;
    } else {
        while (host_end < rest.size() && is_hostname_char(rest[host_end]))
            ++host_end;
    }
    if (!is_valid_host(rest.substr(0, host_end))) return false;
    rest.remove_prefix(host_end);
    if (!rest.empty() && rest.front() == ':') {
        std::size_t port_end = 1;
        while (port_end < rest.size() && is_digit(rest[port_end]))
            ++port_end;
        if (!is_valid_port(rest.substr(1, port_end - 1))) return false;
        rest.remove_prefix(port_end);
    }
    const std::size_t question = rest.find('?');
    if (!is_valid_uri_params(rest.substr(0, question))) return false;
    if (question == std::string_view::npos) return true;
    if (context != UriContext::bracketed) return false; // RFC 4475 escruri, regbadct
    return is_valid_uri_headers(rest.substr(question));
}

} // namespace

bool is_valid_ipv4(std::string_view text) noexcept {
    int parts = 0;
    while (true) {
        std::size_t digits = 0;
        unsigned value = 0;
        while (digits < text.size() && is_digit(text[digits])) {
            value = value * 10 + static_cast<unsigned>(text[digits] - '0');
            if (++digits > 3) return false;
        }
        if (digits == 0 || value > 255) return false;
        text.remove_prefix(digits);
        if (++parts == 4) return text.empty();
        if (text.empty() || text.front() != '.') return false;
        text.remove_prefix(1);
    }
}

bool is_valid_ipv6(std::string_view text) noexcept {
    if (text.empty()) return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (text.starts_with("::")) {
        compressed = true;
        i = 2;
    } else if (text.front() == ':') {
        return false;
    }
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && is_hex(text[j]))
            ++j;
        if (j < text.size() && text[j] == '.') { // trailing dotted IPv4 = two groups
            if (!is_valid_ipv4(text.substr(i))) return false;
            groups += 2;
            break;
        }
        if (j == i || j - i > 4) return false; // ":::" (RFC 5118 bug-abnf-3-colons) lands here
        ++groups;
        i = j;
        if (i == text.size()) break;
        if (text[i] != ':') return false;
        ++i;
        if (i < text.size() && text[i] == ':') {
            if (compressed) return false;
            compressed = true;
            ++i;
        } else if (i == text.size()) {
            return false; // a single trailing ':'
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

bool is_valid_hostname(std::string_view text) noexcept {
    if (!text.empty() && text.back() == '.') text.remove_suffix(1); // FQDN trailing dot
    if (text.empty() || text.size() > 253) return false;            // RFC 1035 name length
    std::string_view label;
    while (!text.empty()) {
        const std::size_t dot = text.find('.');
        label = text.substr(0, dot);
        text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
        if (label.empty() || label.size() > 63) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alnum(c) && c != '-' && c != '_') return false;
        if (dot != std::string_view::npos && text.empty()) return false; // "a..": empty label
    }
    return is_alpha(label.front()); // toplabel starts with ALPHA
}

bool is_valid_host(std::string_view text) noexcept {
    if (text.empty()) return false;
    if (text.front() == '[')
        return text.size() > 2 && text.back() == ']' &&
               is_valid_ipv6(text.substr(1, text.size() - 2));
    bool numeric = true;
    for (char c : text)
        if (!is_digit(c) && c != '.') numeric = false;
    return numeric ? is_valid_ipv4(text) : is_valid_hostname(text);
}

bool is_valid_port(std::string_view text) noexcept {
    std::uint64_t value = 0;
    return parse_decimal(text, 65535, value);
}

bool is_broadcast_or_multicast(std::string_view host) noexcept {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (is_valid_ipv4(host)) {
        if (host == "255.255.255.255") return true;
        std::uint64_t first = 0;
        parse_decimal(host.substr(0, host.find('.')), 255, first);
        return first >= 224 && first <= 239;
    }
    if (is_valid_ipv6(host)) // ff00::/8: a full first group "ffXX"
        return host.size() >= 5 && host[4] == ':' && ascii_lower(host[0]) == 'f' &&
               ascii_lower(host[1]) == 'f';
    return false;
}

std::string_view uri_scheme(std::string_view uri) noexcept {
    if (uri.empty() || !is_alpha(uri.front())) return {};
    std::size_t i = 1;
    while (i < uri.size() && (is_alnum(uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.'))
        ++i;
    if (i >= uri.size() || uri[i] != ':') return {};
    return uri.substr(0, i);
}

bool is_valid_uri(std::string_view uri, UriContext context) noexcept {
    const std::string_view scheme = uri_scheme(uri);
    if (scheme.empty()) return false;
    const std::string_view rest = uri.substr(scheme.size() + 1);
    if (rest.empty()) return false;
    if (iequals(scheme, "sip") || iequals(scheme, "sips")) return is_valid_sip_uri(rest, context);
    return is_escaped_text(rest, is_generic_uri_char);
}

} // namespace suflyor::sip::detail
