#pragma once
// RTCP packets written out by hand from RFC 3550 §6.4 / §6.5 field layouts, shared by the parser
// and builder tests.
#include <string_view>

namespace suflyor::rtp::test {

// SR from SSRC 0x5e3d8a11 at NTP 0xe8fe6f80.80000000 (2023-11-14 22:13:20.5 UTC), RTP ts 128000,
// 1000 packets, 160000 octets, one report block about 0x0a0b0c0d.
inline constexpr std::string_view sender_report_hex =
    "81 c8 00 0c | 5e 3d 8a 11 | e8 fe 6f 80 80 00 00 00 | 00 01 f4 00 | 00 00 03 e8 | 00 02 71 00 "
    "|"
    "0a 0b 0c 0d | 19 | 00 00 07 | 00 01 00 2a | 00 00 00 23 | 6f 7b 40 00 | 00 01 80 00";

// SDES, one chunk: CNAME "bob@192.0.2.10", TOOL "suflyor", null item, padding to 32 bits.
inline constexpr std::string_view sdes_cname_tool_hex =
    "81 ca 00 08 | 5e 3d 8a 11 | 01 0e 62 6f 62 40 31 39 32 2e 30 2e 32 2e 31 30 |"
    "06 07 73 75 66 6c 79 6f 72 | 00 00 00";

// SDES with only the CNAME: what write_sdes_cname produces.
inline constexpr std::string_view sdes_cname_hex =
    "81 ca 00 06 | 5e 3d 8a 11 | 01 0e 62 6f 62 40 31 39 32 2e 30 2e 32 2e 31 30 | 00 00 00 00";

// RR from 0x11111111 with two blocks; the second has cumulative lost -1 (duplicates) and
// fraction 255.
inline constexpr std::string_view receiver_report_two_blocks_hex =
    "82 c9 00 0d | 11 11 11 11 |"
    "22 22 22 22 | 00 | 00 00 00 | 00 00 03 e8 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00 |"
    "33 33 33 33 | ff | ff ff ff | 00 01 ff ff | 00 00 01 00 | 12 34 56 78 | 00 00 40 00";

inline constexpr std::string_view empty_receiver_report_hex = "80 c9 00 01 | 11 11 11 11";

// BYE of 0x22222222 with reason "hangup" (padded to 32 bits).
inline constexpr std::string_view bye_with_reason_hex =
    "81 cb 00 03 | 22 22 22 22 | 06 68 61 6e 67 75 70 00";

// APP subtype 2, name "SUFL", 4 bytes of data.
inline constexpr std::string_view app_hex = "82 cc 00 03 | 22 22 22 22 | 53 55 46 4c | de ad be ef";

// RTPFB generic NACK (RFC 4585): a type this module walks over without decoding.
inline constexpr std::string_view generic_nack_hex =
    "81 cd 00 03 | 11 11 11 11 | 22 22 22 22 | 00 05 00 00";

} // namespace suflyor::rtp::test
