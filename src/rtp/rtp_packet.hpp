#pragma once
// RTP packets (RFC 3550 §5.1): a zero-copy view of a received packet, the 12-byte header writer
// for packets we originate, and the in-place header rewrite of the relay path.
#include "rtp/bytes.hpp"
#include "rtp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace suflyor::rtp {

inline constexpr std::uint8_t rtp_version = 2;
inline constexpr std::size_t rtp_fixed_header_size = 12;

enum class RtpError : std::uint8_t {
    too_short,     // fewer than 12 bytes
    bad_version,   // V != 2
    bad_csrc,      // the CSRC list runs past the end of the packet
    bad_extension, // the header extension (or its length) runs past the end of the packet
    bad_padding,   // P set but the count is 0 or larger than what follows the header
};

constexpr std::string_view to_string(RtpError error) noexcept {
    switch (error) {
    case RtpError::too_short: return "too_short";
    case RtpError::bad_version: return "bad_version";
    case RtpError::bad_csrc: return "bad_csrc";
    case RtpError::bad_extension: return "bad_extension";
    case RtpError::bad_padding: return "bad_padding";
    }
    return "unknown";
}

// A parsed RTP packet. Every span points into the buffer given to parse_rtp: the view is valid
// as long as that buffer is.
struct RtpView {
    bool marker = false;
    std::uint8_t payload_type = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::span<const std::uint8_t> csrc_bytes; // 4 bytes per CSRC, network order
    bool has_extension = false;
    std::uint16_t extension_profile = 0;     // "defined by profile" (0xBEDE: RFC 8285 1-byte)
    std::span<const std::uint8_t> extension; // extension data after its 4-byte header
    std::uint8_t padding_size = 0;           // includes the count octet itself
    std::span<const std::uint8_t> payload;   // between header and padding
    std::size_t header_size = 0;             // fixed + CSRCs + extension

    [[nodiscard]] constexpr std::size_t csrc_count() const noexcept {
        return csrc_bytes.size() / 4;
    }
    // Precondition: index < csrc_count().
    [[nodiscard]] constexpr std::uint32_t csrc(std::size_t index) const noexcept {
        return detail::load_be32(csrc_bytes.data() + 4 * index);
    }
};

using RtpParseResult = ParseResult<RtpView, RtpError>;

[[nodiscard]] RtpParseResult parse_rtp(std::span<const std::uint8_t> packet) noexcept;

// The fields a sender (or the relay) controls.
struct RtpHeaderFields {
    std::uint8_t payload_type = 0; // 7 bits; the high bit is ignored
    bool marker = false;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
};

// Writes a 12-byte header (V=2, no padding, no extension, no CSRC) at the start of `out`.
// Returns 12, or 0 when `out` is shorter than that.
std::size_t write_rtp_header(std::span<std::uint8_t> out, const RtpHeaderFields& fields) noexcept;

// Relay path: overwrites payload type, marker, sequence, timestamp and SSRC of a packet in place.
// Version, padding, extension and CSRC bits and bytes are kept untouched. Returns false (and
// writes nothing) when the packet is shorter than 12 bytes or not version 2.
bool rewrite_rtp_header(std::span<std::uint8_t> packet, const RtpHeaderFields& fields) noexcept;

inline bool rewrite_rtp_header(std::span<std::uint8_t> packet, std::uint8_t payload_type,
                               std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc,
                               bool marker) noexcept {
    return rewrite_rtp_header(packet, RtpHeaderFields{.payload_type = payload_type,
                                                      .marker = marker,
                                                      .sequence = sequence,
                                                      .timestamp = timestamp,
                                                      .ssrc = ssrc});
}

} // namespace suflyor::rtp
