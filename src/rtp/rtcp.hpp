#pragma once
// RTCP compound packets (RFC 3550 §6): validation of the whole datagram, then a zero-copy walk
// over its packets with typed views of SR, RR, SDES, BYE and APP. Other packet types (feedback,
// XR, ...) are walked over as plain RtcpPacket values for the caller to skip or decode.
#include "rtp/bytes.hpp"
#include "rtp/result.hpp"
#include "rtp/rtcp_types.hpp"
#include "rtp/walk.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace suflyor::rtp {

enum class RtcpError : std::uint8_t {
    too_short,        // fewer than 4 bytes
    bad_version,      // a packet with V != 2
    bad_length,       // lengths that do not sum to the datagram (overrun or trailing bytes)
    bad_padding,      // P on a packet other than the last, or a count of 0 / past the header
    bad_first_packet, // the compound does not start with SR or RR
    bad_report,       // SR/RR shorter than its report count needs
    bad_sdes,         // SDES chunks or items that do not fit, or chunk count mismatch
    bad_bye,          // BYE SSRC list or reason that does not fit
    bad_app,          // APP shorter than SSRC + name
};

constexpr std::string_view to_string(RtcpError error) noexcept {
    switch (error) {
    case RtcpError::too_short: return "too_short";
    case RtcpError::bad_version: return "bad_version";
    case RtcpError::bad_length: return "bad_length";
    case RtcpError::bad_padding: return "bad_padding";
    case RtcpError::bad_first_packet: return "bad_first_packet";
    case RtcpError::bad_report: return "bad_report";
    case RtcpError::bad_sdes: return "bad_sdes";
    case RtcpError::bad_bye: return "bad_bye";
    case RtcpError::bad_app: return "bad_app";
    }
    return "unknown";
}

namespace detail {
struct ReportBlockStep {
    using value_type = ReportBlock;
    static bool next(std::span<const std::uint8_t>& rest, ReportBlock& out) noexcept;
};
} // namespace detail

// Report blocks of an SR or RR, decoded on access.
class ReportBlockList : public detail::Walk<detail::ReportBlockStep> {
public:
    using Walk::Walk;
    [[nodiscard]] constexpr std::size_t size() const noexcept {
        return bytes().size() / rtcp_report_block_size;
    }
    // Precondition: index < size().
    [[nodiscard]] ReportBlock operator[](std::size_t index) const noexcept;
};

struct SenderReportView {
    std::uint32_t ssrc = 0;
    SenderInfo sender;
    ReportBlockList report_blocks;
    std::span<const std::uint8_t> profile_extension; // bytes after the report blocks, if any
};

struct ReceiverReportView {
    std::uint32_t ssrc = 0;
    ReportBlockList report_blocks;
    std::span<const std::uint8_t> profile_extension;
};

struct SdesItem {
    SdesItemType type = SdesItemType::end; // never `end` when walked; may be any value 1..255
    std::string_view text;
};

namespace detail {
struct SdesItemStep {
    using value_type = SdesItem;
    static bool next(std::span<const std::uint8_t>& rest, SdesItem& out) noexcept;
};
} // namespace detail

struct SdesChunk {
    std::uint32_t ssrc = 0;
    detail::Walk<detail::SdesItemStep> items; // up to (not including) the terminating null item

    // The first item of that type, or an empty view when absent.
    [[nodiscard]] std::string_view find(SdesItemType type) const noexcept;
    [[nodiscard]] std::string_view cname() const noexcept { return find(SdesItemType::cname); }
};

namespace detail {
struct SdesChunkStep {
    using value_type = SdesChunk;
    static bool next(std::span<const std::uint8_t>& rest, SdesChunk& out) noexcept;
};
} // namespace detail

using SdesView = detail::Walk<detail::SdesChunkStep>;

struct ByeView {
    std::span<const std::uint8_t> ssrc_bytes;
    bool has_reason = false;
    std::string_view reason;

    [[nodiscard]] constexpr std::size_t ssrc_count() const noexcept {
        return ssrc_bytes.size() / 4;
    }
    [[nodiscard]] constexpr std::uint32_t ssrc(std::size_t index) const noexcept {
        return detail::load_be32(ssrc_bytes.data() + 4 * index);
    }
};

struct AppView {
    std::uint8_t subtype = 0;
    std::uint32_t ssrc = 0;
    std::string_view name; // 4 ASCII characters
    std::span<const std::uint8_t> data;
};

// One packet of a validated compound. The typed accessors require the matching type(); their
// structure was checked by parse_rtcp, so they cannot fail.
struct RtcpPacket {
    std::uint8_t packet_type = 0;
    std::uint8_t count = 0; // RC, SC or APP subtype (5 bits)
    bool padding = false;
    std::span<const std::uint8_t> body;  // after the 4-byte header, padding removed
    std::span<const std::uint8_t> bytes; // the whole packet as on the wire

    [[nodiscard]] constexpr bool is(RtcpPacketType type) const noexcept {
        return packet_type == static_cast<std::uint8_t>(type);
    }
    [[nodiscard]] SenderReportView sender_report() const noexcept;
    [[nodiscard]] ReceiverReportView receiver_report() const noexcept;
    [[nodiscard]] SdesView sdes() const noexcept;
    [[nodiscard]] ByeView bye() const noexcept;
    [[nodiscard]] AppView app() const noexcept;
};

namespace detail {
struct RtcpPacketStep {
    using value_type = RtcpPacket;
    static bool next(std::span<const std::uint8_t>& rest, RtcpPacket& out) noexcept;
};
} // namespace detail

// A validated compound datagram: iterate it for its packets.
using RtcpCompound = detail::Walk<detail::RtcpPacketStep>;

using RtcpParseResult = ParseResult<RtcpCompound, RtcpError>;

// Validates a whole compound datagram (RFC 3550 §6.1 and A.2): every packet version 2, lengths
// summing exactly to the datagram, first packet SR or RR, padding only on the last packet, and
// each SR/RR/SDES/BYE/APP structurally sound. Reduced-size RTCP (RFC 5506) is not accepted.
[[nodiscard]] RtcpParseResult parse_rtcp(std::span<const std::uint8_t> datagram) noexcept;

} // namespace suflyor::rtp
