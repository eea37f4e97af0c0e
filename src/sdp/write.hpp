#pragma once
// write_sdp: SessionDescription -> RFC 4566 text, CRLF line ends, v/o/s/c/t/m order, then
// a=ice-lite and a=group:BUNDLE; per media m/c/a with a=rtpmap, a=fmtp, a=ptime, a=rtcp,
// a=rtcp-mux, a=rtcp-rsize, the ICE/DTLS attributes (mid, ice-ufrag, ice-pwd, ice-options,
// fingerprint, setup, candidate, end-of-candidates: all at media level) and the direction.
// parse_sdp(write_sdp(x)) == x for any x that parse_sdp produced.
#include "sdp/session.hpp"

#include <string>

namespace suflyor::sdp {

std::string write_sdp(const SessionDescription& session);

} // namespace suflyor::sdp
