#pragma once
// Public header of the rtp module: pure packet code. Parsers are zero-copy views over byte spans
// that return a view or an error; nothing here allocates, throws on input, or does I/O.
#include "rtp/demux.hpp"
#include "rtp/ntp.hpp"
#include "rtp/receive_stats.hpp"
#include "rtp/rtcp.hpp"
#include "rtp/rtcp_build.hpp"
#include "rtp/rtp_packet.hpp"
#include "rtp/telephone_event.hpp"
