// name-addr / addr-spec header values (To, From, Contact, Route, Record-Route) for the SIP
// sanity check. Strict: RFC 4475 quotbal, baddn, badaspec and regbadct fail here (see
// docs/sip-torture.md).
#include "sip/sanity_grammar.hpp"

namespace suflyor::sip::detail {
namespace {

// gen-value = token / host / quoted-string
bool skip_gen_value(Cursor& cursor) noexcept {
    if (cursor.peek() == '"') return cursor.skip_quoted_string();
    if (cursor.peek() == '[') {
        const std::string_view rest = cursor.rest();
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos || !is_valid_host(rest.substr(0, close + 1)))
            return false;
        for (std::size_t i = 0; i <= close; ++i)
            cursor.advance();
        return true;
    }
    return !cursor.take_token().empty();
}

// The URI of an addr-spec without angle brackets ends at ';' (header parameters), ',' (next
// list element) or white space.
constexpr bool is_bare_uri_char(char c) noexcept {
    return c != ';' && c != ',' && !is_wsp(c) && c != '\r' && c != '\n';
}

// [display-name] "<" URI ">" or addr-spec. The cursor stops after the address, before params.
bool skip_address(Cursor& cursor, bool brackets_required, std::string_view& uri_out) noexcept {
    cursor.skip_lws();
    if (cursor.peek() == '"') {
        if (!cursor.skip_quoted_string()) return false; // RFC 4475 quotbal
        cursor.skip_lws();
    } else if (cursor.peek() != '<') {
        // Either display-name tokens before '<' or a bare addr-spec "scheme:...".
        const Cursor start = cursor;
        const std::string_view first = cursor.take_token();
        if (first.empty()) return false;
        if (cursor.peek() == ':') {
            if (brackets_required) return false;
            cursor = start;
            uri_out = cursor.take_while(is_bare_uri_char);
            return is_valid_uri(uri_out, UriContext::bare); // RFC 4475 regbadct
        }
        while (true) { // display-name = *(token LWS); LWS before '<' is optional (lwsdisp)
            cursor.skip_lws();
            if (cursor.peek() == '<') break;
            if (cursor.take_token().empty()) return false; // RFC 4475 baddn: ',' in a token list
        }
    }
    if (!cursor.eat('<')) return false;
    uri_out = cursor.take_while([](char c) { return c != '>'; });
    if (!cursor.eat('>')) return false;
    return is_valid_uri(uri_out, UriContext::bracketed); // RFC 4475 badaspec: no LWS inside <>
}

} // namespace

bool skip_generic_params(Cursor& cursor) noexcept {
    while (cursor.eat_separator(';')) {
        if (cursor.take_token().empty()) return false; // RFC 4475 badinv01 ";;;;"
        if (cursor.eat_separator('=') && !skip_gen_value(cursor)) return false;
    }
    return true;
}

bool is_valid_address_header(std::string_view value, AddressRule rule,
                             std::string_view* first_uri) noexcept {
    Cursor cursor(value);
    if (rule == AddressRule::contact_list) {
        cursor.skip_lws();
        if (cursor.eat('*')) {
            cursor.skip_lws();
            return cursor.at_end();
        }
    }
    bool first = true;
    do {
        std::string_view uri;
        if (!skip_address(cursor, rule == AddressRule::route_list, uri)) return false;
        if (first && first_uri != nullptr) *first_uri = uri;
        first = false;
        if (!skip_generic_params(cursor)) return false;
        cursor.skip_lws();
    } while (rule != AddressRule::single && cursor.eat(','));
    return cursor.at_end();
}

} // namespace suflyor::sip::detail
