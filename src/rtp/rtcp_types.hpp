#pragma once
// Values shared by the RTCP parser and builder (RFC 3550 §6.4).
#include "rtp/ntp.hpp"

#include <cstddef>
#include <cstdint>

namespace suflyor::rtp {

inline constexpr std::uint8_t rtcp_version = 2;
inline constexpr std::size_t rtcp_header_size = 4;
inline constexpr std::size_t rtcp_sender_info_size = 20;
inline constexpr std::size_t rtcp_report_block_size = 24;
inline constexpr std::size_t rtcp_max_report_blocks = 31; // the 5-bit RC field

enum class RtcpPacketType : std::uint8_t {
    sender_report = 200,
    receiver_report = 201,
    source_description = 202,
    goodbye = 203,
    application = 204,
};

enum class SdesItemType : std::uint8_t {
    end = 0,
    cname = 1,
    name = 2,
    email = 3,
    phone = 4,
    location = 5,
    tool = 6,
    note = 7,
    priv = 8,
};

struct SenderInfo {
    NtpTimestamp ntp;
    std::uint32_t rtp_timestamp = 0;
    std::uint32_t packet_count = 0;
    std::uint32_t octet_count = 0;
    constexpr bool operator==(const SenderInfo&) const = default;
};

struct ReportBlock {
    std::uint32_t ssrc = 0;           // the source this block reports on
    std::uint8_t fraction_lost = 0;   // 8-bit fixed point, lost/expected since the last report
    std::int32_t cumulative_lost = 0; // 24-bit signed on the wire; clamped when written
    std::uint32_t extended_highest_sequence = 0;
    std::uint32_t jitter = 0;              // timestamp units
    std::uint32_t last_sr = 0;             // compact NTP of the last SR received, 0 if none
    std::uint32_t delay_since_last_sr = 0; // 1/65536 s
    constexpr bool operator==(const ReportBlock&) const = default;
};

} // namespace suflyor::rtp
