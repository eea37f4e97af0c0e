#pragma once
// Grammar pieces of the sanity check (RFC 3261 section 25, RFC 5954 for IPv6). Internal.
#include "sip/sanity_lex.hpp"

#include <cstdint>
#include <string_view>

namespace suflyor::sip::detail {

// --- hosts (sanity_uri.cpp) ---
bool is_valid_ipv4(std::string_view text) noexcept;
bool is_valid_ipv6(std::string_view text) noexcept; // without brackets, RFC 5954 grammar
bool is_valid_hostname(std::string_view text) noexcept;
bool is_valid_host(std::string_view text) noexcept; // hostname / IPv4 / "[" IPv6 "]"
bool is_valid_port(std::string_view text) noexcept; // 1*DIGIT up to 65535
// 255.255.255.255, IPv4 224.0.0.0/4 or IPv6 ff00::/8 (brackets optional).
bool is_broadcast_or_multicast(std::string_view host) noexcept;

// --- URIs (sanity_uri.cpp) ---
enum class UriContext : std::uint8_t {
    request_uri, // no URI headers ("?...") allowed
    bracketed,   // inside <...>: anything the URI grammar allows
    bare,        // addr-spec without brackets: no URI headers either (RFC 3261 section 20)
};

// scheme ":" ... ; empty if the text does not start with a valid scheme.
std::string_view uri_scheme(std::string_view uri) noexcept;
// sip/sips URIs are checked against the full SIP-URI grammar, others against the generic
// absoluteURI character set.
bool is_valid_uri(std::string_view uri, UriContext context) noexcept;

// --- header values (sanity_address.cpp) ---
// *( SEMI generic-param ): stops before a top-level ',' or at the end. False on an empty or
// malformed parameter.
bool skip_generic_params(Cursor& cursor) noexcept;

enum class AddressRule : std::uint8_t {
    single,       // To, From: exactly one name-addr / addr-spec
    contact_list, // Contact: "*" or a comma list of name-addr / addr-spec
    route_list,   // Route, Record-Route: a comma list of name-addr (brackets required)
};
// first_uri, when given, receives the URI of the first address (a view into value).
bool is_valid_address_header(std::string_view value, AddressRule rule,
                             std::string_view* first_uri = nullptr) noexcept;

// --- other header values (sanity_fields.cpp) ---
// Via list syntax; hosts.broadcast is set when a sent-by, received or maddr address is a
// broadcast or multicast address.
struct ViaHosts {
    bool broadcast = false;
};
bool is_valid_via(std::string_view value, ViaHosts& hosts) noexcept;

struct CSeqValue {
    std::uint64_t number = 0;
    std::string_view method;
};
enum class CSeqResult : std::uint8_t { ok, malformed, out_of_range };
CSeqResult parse_cseq(std::string_view value, CSeqValue& out) noexcept;

// A header value that must be 1*DIGIT (surrounding LWS allowed) no larger than limit.
bool parse_number_field(std::string_view value, std::uint64_t limit, std::uint64_t& out) noexcept;

bool is_valid_call_id(std::string_view value) noexcept;
bool is_valid_rfc1123_date(std::string_view value) noexcept;

// media-type = type "/" subtype *(SEMI m-parameter)
struct MediaType {
    std::string_view type;
    std::string_view subtype;
};
bool parse_media_type(std::string_view value, MediaType& out) noexcept;

// option-tag *(COMMA option-tag); calls visit(tag) for each tag.
template <class Visit> bool visit_option_tags(std::string_view value, Visit visit) noexcept {
    Cursor cursor(value);
    cursor.skip_lws();
    do {
        const std::string_view tag = cursor.take_token();
        if (tag.empty()) return false;
        visit(tag);
    } while (cursor.eat_separator(','));
    cursor.skip_lws();
    return cursor.at_end();
}

} // namespace suflyor::sip::detail
