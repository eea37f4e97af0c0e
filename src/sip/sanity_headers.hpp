#pragma once
// Header field names the sanity check knows (full and compact forms). Internal.
#include "sip/sanity_lex.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace suflyor::sip::detail {

enum class HeaderKind : std::uint8_t {
    other,
    via,
    to,
    from,
    call_id,
    cseq,
    max_forwards,
    content_length,
    content_type,
    expires,
    date,
    contact,
    route,
    record_route,
    require,
    // Single-valued fields only counted, not parsed (libre / the stack reads them).
    min_expires,
    session_expires,
    min_se,
    rseq,
    rack,
    replaces,
    refer_to,
    count_
};

inline constexpr std::size_t kHeaderKindCount = static_cast<std::size_t>(HeaderKind::count_);

struct KnownHeader {
    std::string_view name;
    char compact; // RFC 3261 7.3.3 / IANA compact form, '\0' if none
    HeaderKind kind;
    bool single_valued; // may appear at most once (RFC 4475 multi01, mcl01)
};

inline constexpr std::array<KnownHeader, 21> kKnownHeaders = {{
    {"Via", 'v', HeaderKind::via, false},
    {"To", 't', HeaderKind::to, true},
    {"From", 'f', HeaderKind::from, true},
    {"Call-ID", 'i', HeaderKind::call_id, true},
    {"CSeq", '\0', HeaderKind::cseq, true},
    {"Max-Forwards", '\0', HeaderKind::max_forwards, true},
    {"Content-Length", 'l', HeaderKind::content_length, true},
    {"Content-Type", 'c', HeaderKind::content_type, true},
    {"Expires", '\0', HeaderKind::expires, true},
    {"Date", '\0', HeaderKind::date, true},
    {"Contact", 'm', HeaderKind::contact, false},
    {"Route", '\0', HeaderKind::route, false},
    {"Record-Route", '\0', HeaderKind::record_route, false},
    {"Require", '\0', HeaderKind::require, false},
    {"Min-Expires", '\0', HeaderKind::min_expires, true},
    {"Session-Expires", 'x', HeaderKind::session_expires, true},
    {"Min-SE", '\0', HeaderKind::min_se, true},
    {"RSeq", '\0', HeaderKind::rseq, true},
    {"RAck", '\0', HeaderKind::rack, true},
    {"Replaces", '\0', HeaderKind::replaces, true},
    {"Refer-To", 'r', HeaderKind::refer_to, true},
}};

// Header names are case-insensitive (RFC 3261 7.3.1).
constexpr const KnownHeader* find_known_header(std::string_view name) noexcept {
    for (const KnownHeader& header : kKnownHeaders) {
        if (iequals(name, header.name)) return &header;
        if (name.size() == 1 && header.compact != '\0' && ascii_lower(name[0]) == header.compact)
            return &header;
    }
    return nullptr;
}

} // namespace suflyor::sip::detail
