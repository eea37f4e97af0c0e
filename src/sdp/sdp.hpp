#pragma once
// Public header of the sdp module: pure SDP (RFC 4566) parsing/writing and offer/answer codec
// negotiation (RFC 3264), WebRTC's ICE/DTLS attributes and JSEP offer/answer (RFC 8829) for an
// ICE-lite DTLS-SRTP endpoint. No I/O, no libre; never throws on input.
#include "sdp/negotiate.hpp"
#include "sdp/parse.hpp"
#include "sdp/result.hpp"
#include "sdp/session.hpp"
#include "sdp/webrtc.hpp"
#include "sdp/write.hpp"
