#pragma once
// Public header of the sdp module: pure SDP (RFC 4566) parsing/writing and offer/answer codec
// negotiation (RFC 3264). No I/O, no libre; never throws on input.
#include "sdp/negotiate.hpp"
#include "sdp/parse.hpp"
#include "sdp/result.hpp"
#include "sdp/session.hpp"
#include "sdp/write.hpp"
