// Via, CSeq, numeric, Call-ID, Date and Content-Type header values for the SIP sanity check
// (RFC 3261 section 25.1, RFC 5118 for IPv6 in Via).
#include "sip/sanity_grammar.hpp"

#include <array>

namespace suflyor::sip::detail {
namespace {

constexpr bool is_hostname_char(char c) noexcept {
    return is_alnum(c) || c == '-' || c == '.' || c == '_';
}
constexpr bool is_address_char(char c) noexcept { return is_hex(c) || c == ':' || c == '.'; }

// host, "[" IPv6 "]", or (for received) a bare IPv6 address.
std::string_view take_host(Cursor& cursor, bool allow_bare_ipv6) noexcept {
    const std::string_view rest = cursor.rest();
    std::size_t size = 0;
    if (cursor.peek() == '[') {
        const std::size_t close = rest.find(']');
        size = close == std::string_view::npos ? rest.size() : close + 1;
    } else if (allow_bare_ipv6) {
        while (size < rest.size() && is_address_char(rest[size]))
            ++size;
    } else {
        while (size < rest.size() && is_hostname_char(rest[size]))
            ++size;
    }
    for (std::size_t i = 0; i < size; ++i)
        cursor.advance();
    return rest.substr(0, size);
}

bool skip_via_param_value(Cursor& cursor, std::string_view name, ViaHosts& hosts) noexcept {
    if (iequals(name, "received")) {
        // RFC 3261 says IPv4address / IPv6address; RFC 5118 asks to accept "[...]" too.
        const std::string_view host = take_host(cursor, true);
        const bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
        if (!(is_valid_ipv4(host) || is_valid_ipv6(host) ||
              (bracketed && is_valid_ipv6(host.substr(1, host.size() - 2)))))
            return false;
        hosts.broadcast = hosts.broadcast || is_broadcast_or_multicast(host);
        return true;
    }
    if (iequals(name, "maddr")) {
        const std::string_view host = take_host(cursor, false);
        if (!is_valid_host(host)) return false;
        hosts.broadcast = hosts.broadcast || is_broadcast_or_multicast(host);
        return true;
    }
    if (iequals(name, "ttl")) {
        std::uint64_t ttl = 0;
        return parse_decimal(cursor.take_while(is_digit), 255, ttl);
    }
    if (cursor.peek() == '"') return cursor.skip_quoted_string();
    if (cursor.peek() == '[') return is_valid_host(take_host(cursor, false));
    return !cursor.take_token().empty();
}

// via-parm = sent-protocol LWS sent-by *( SEMI via-params )
bool skip_via_parm(Cursor& cursor, ViaHosts& hosts) noexcept {
    cursor.skip_lws();
    if (!iequals(cursor.take_token(), "SIP") || !cursor.eat_separator('/')) return false;
    if (cursor.take_token() != "2.0" || !cursor.eat_separator('/')) return false;
    if (cursor.take_token().empty() || !cursor.skip_lws()) return false; // any transport token
    const std::string_view host = take_host(cursor, false);
    if (!is_valid_host(host)) return false;
    hosts.broadcast = hosts.broadcast || is_broadcast_or_multicast(host);
    if (cursor.eat_separator(':') && !is_valid_port(cursor.take_while(is_digit))) return false;
    while (cursor.eat_separator(';')) {
        const std::string_view name = cursor.take_token();
        if (name.empty()) return false; // RFC 4475 badinv01 ";;,;,,"
        if (cursor.eat_separator('=')) {
            if (!skip_via_param_value(cursor, name, hosts)) return false;
        } else if (iequals(name, "received") || iequals(name, "maddr") || iequals(name, "ttl") ||
                   iequals(name, "branch")) {
            return false;
        }
    }
    return true;
}

bool two_digits(std::string_view text, std::size_t at, unsigned max) noexcept {
    if (!is_digit(text[at]) || !is_digit(text[at + 1])) return false;
    return static_cast<unsigned>((text[at] - '0') * 10 + (text[at + 1] - '0')) <= max;
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& names) noexcept {
    for (std::string_view name : names)
        if (iequals(word, name)) return true;
    return false;
}

std::string_view trim_lws(std::string_view text) noexcept {
    const auto is_lws = [](char c) { return is_wsp(c) || c == '\r' || c == '\n'; };
    while (!text.empty() && is_lws(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_lws(text.back()))
        text.remove_suffix(1);
    return text;
}

} // namespace

bool is_valid_via(std::string_view value, ViaHosts& hosts) noexcept {
    Cursor cursor(value);
    do {
        if (!skip_via_parm(cursor, hosts)) return false;
    } while (cursor.eat_separator(','));
    cursor.skip_lws();
    return cursor.at_end();
}

CSeqResult parse_cseq(std::string_view value, CSeqValue& out) noexcept {
    Cursor cursor(value);
    cursor.skip_lws();
    const std::string_view digits = cursor.take_while(is_digit);
    if (digits.empty() || !cursor.skip_lws()) return CSeqResult::malformed;
    const std::string_view method = cursor.take_token();
    cursor.skip_lws();
    if (method.empty() || !cursor.at_end()) return CSeqResult::malformed;
    // RFC 3261 8.1.1.5: the sequence number MUST be less than 2^31 (RFC 4475 scalar02).
    if (!parse_decimal(digits, (std::uint64_t{1} << 31) - 1, out.number))
        return CSeqResult::out_of_range;
    out.method = method;
    return CSeqResult::ok;
}

bool parse_number_field(std::string_view value, std::uint64_t limit, std::uint64_t& out) noexcept {
    return parse_decimal(trim_lws(value), limit, out);
}

bool is_valid_call_id(std::string_view value) noexcept {
    Cursor cursor(trim_lws(value));
    if (cursor.take_while(is_word_char).empty()) return false;
    if (cursor.eat('@') && cursor.take_while(is_word_char).empty()) return false;
    return cursor.at_end();
}

// rfc1123-date = wkday "," SP date1 SP time SP "GMT", e.g. "Sat, 13 Nov 2010 23:29:00 GMT"
bool is_valid_rfc1123_date(std::string_view value) noexcept {
    static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                              "Fri", "Sat", "Sun"};
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string_view text = trim_lws(value);
    constexpr std::string_view kShape = "Www, DD Mmm YYYY HH:MM:SS GMT";
    if (text.size() != kShape.size()) return false;
    for (std::size_t i : {3u, 4u, 7u, 11u, 16u, 19u, 22u, 25u})
        if (text[i] != kShape[i]) return false;
    return one_of(text.substr(0, 3), kDays) && two_digits(text, 5, 31) &&
           one_of(text.substr(8, 3), kMonths) && two_digits(text, 12, 99) &&
           two_digits(text, 14, 99) && two_digits(text, 17, 23) && two_digits(text, 20, 59) &&
           two_digits(text, 23, 60) && iequals(text.substr(26), "GMT"); // RFC 4475 baddate: EST
}

bool parse_media_type(std::string_view value, MediaType& out) noexcept {
    Cursor cursor(value);
    cursor.skip_lws();
    out.type = cursor.take_token();
    if (out.type.empty() || !cursor.eat_separator('/')) return false;
    out.subtype = cursor.take_token();
    if (out.subtype.empty()) return false;
    while (cursor.eat_separator(';')) { // m-parameter = token EQUAL (token / quoted-string)
        if (cursor.take_token().empty() || !cursor.eat_separator('=')) return false;
        if (cursor.peek() == '"' ? !cursor.skip_quoted_string() : cursor.take_token().empty())
            return false;
    }
    cursor.skip_lws();
    return cursor.at_end();
}

} // namespace suflyor::sip::detail
