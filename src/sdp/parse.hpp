#pragma once
// parse_sdp: RFC 4566 text -> SessionDescription. Strict where it matters (v=0 first, o= and s=
// present, m= syntax, rtpmap/fmtp for listed PTs only, ports, addresses), lenient where real phones
// are sloppy (unknown lines/attributes ignored, LF-only line ends, trailing whitespace, blank
// lines, runs of spaces between fields). Bounded; never throws on input (only std::bad_alloc).
#include "sdp/result.hpp"
#include "sdp/session.hpp"

#include <cstddef>
#include <string_view>

namespace suflyor::sdp {

inline constexpr std::size_t max_sdp_size = std::size_t{64} * 1024;
inline constexpr std::size_t max_media_count = 64;
inline constexpr std::size_t max_formats_per_media = 128; // also ice-options tokens
inline constexpr std::size_t max_candidates_per_media = 64;
inline constexpr std::size_t max_fingerprints = 8; // per section

enum class SdpError {
    empty,                // no lines at all
    bad_line,             // not "<letter>=<value>", a control character, or a misplaced v=/s=
    missing_version,      // the first line is not v=
    bad_version,          // v= other than 0
    missing_origin,       // no o= in the session section
    bad_origin,           // o= syntax, numbers or address
    missing_session_name, // no s= in the session section
    bad_connection,       // c= syntax or address; two c= in one section
    bad_media,            // m= syntax, port, or payload type (not 0..127, duplicated)
    bad_rtpmap,           // syntax, PT not on the m= line, duplicated, or outside a media section
    bad_fmtp,             // syntax, PT not on the m= line, duplicated, or outside a media section
    bad_attribute,        // a known attribute with a bad value (ptime, rtcp, ice-ufrag, ice-pwd,
                          // ice-options, fingerprint, setup, mid, group:BUNDLE), a repeated
                          // ice-ufrag/ice-pwd/setup/mid, or an empty name
    too_large,            // over max_sdp_size bytes, max_media_count m= (or BUNDLE groups or
                          // mids), max_formats_per_media, max_candidates_per_media,
                          // max_fingerprints
};

std::string_view to_string(SdpError error) noexcept;

using Parsed = Result<SessionDescription, SdpError>;

Parsed parse_sdp(std::string_view text);

} // namespace suflyor::sdp
