#pragma once
// write_sdp: SessionDescription -> RFC 4566 text, CRLF line ends, v/o/s/c/t/m order; per media
// m/c/a with a=rtpmap, a=fmtp, a=ptime, a=rtcp, a=rtcp-mux and the direction attribute.
// parse_sdp(write_sdp(x)) == x for any x that parse_sdp produced.
#include "sdp/session.hpp"

#include <string>

namespace suflyor::sdp {

std::string write_sdp(const SessionDescription& session);

} // namespace suflyor::sdp
