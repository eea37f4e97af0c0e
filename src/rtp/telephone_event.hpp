#pragma once
// RFC 4733 telephone-event payloads (§2.3) and a receiver that turns the packet stream of DTMF
// events into one report per key press.
#include "rtp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace suflyor::rtp {

inline constexpr std::size_t telephone_event_size = 4;

struct TelephoneEvent {
    std::uint8_t event = 0;     // 0..15 DTMF, others (flash, tones) defined by RFC 4734
    bool end = false;           // E bit
    bool reserved = false;      // R bit: sent as 0, ignored on receipt
    std::uint8_t volume = 0;    // 0..63, power in -dBm0
    std::uint16_t duration = 0; // timestamp units since the event's RTP timestamp
    constexpr bool operator==(const TelephoneEvent&) const = default;
};

enum class TelephoneEventError : std::uint8_t {
    too_short, // fewer than 4 bytes
};

constexpr std::string_view to_string(TelephoneEventError) noexcept { return "too_short"; }

// Parses the first 4 bytes; any further bytes are ignored.
constexpr ParseResult<TelephoneEvent, TelephoneEventError>
parse_telephone_event(std::span<const std::uint8_t> payload) noexcept {
    if (payload.size() < telephone_event_size) return TelephoneEventError::too_short;
    return TelephoneEvent{
        .event = payload[0],
        .end = (payload[1] & 0x80) != 0,
        .reserved = (payload[1] & 0x40) != 0,
        .volume = static_cast<std::uint8_t>(payload[1] & 0x3F),
        .duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]),
    };
}

// Writes 4 bytes; returns 4, or 0 when `out` is too small. Volume is masked to 6 bits.
constexpr std::size_t write_telephone_event(std::span<std::uint8_t> out,
                                            const TelephoneEvent& event) noexcept {
    if (out.size() < telephone_event_size) return 0;
    out[0] = event.event;
    out[1] = static_cast<std::uint8_t>((event.end ? 0x80 : 0) | (event.reserved ? 0x40 : 0) |
                                       (event.volume & 0x3F));
    out[2] = static_cast<std::uint8_t>(event.duration >> 8);
    out[3] = static_cast<std::uint8_t>(event.duration);
    return telephone_event_size;
}

// '0'..'9', '*', '#', 'A'..'D' for events 0..15; nullopt for other events.
constexpr std::optional<char> dtmf_digit(std::uint8_t event) noexcept {
    constexpr std::string_view digits = "0123456789*#ABCD";
    if (event >= digits.size()) return std::nullopt;
    return digits[event];
}

// The event number of a DTMF character (upper or lower case letters); nullopt otherwise.
constexpr std::optional<std::uint8_t> dtmf_event(char digit) noexcept {
    constexpr std::string_view digits = "0123456789*#ABCD";
    if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
    const auto index = digits.find(digit);
    if (index == std::string_view::npos) return std::nullopt;
    return static_cast<std::uint8_t>(index);
}

struct DtmfDigit {
    char digit = 0;
    std::uint8_t event = 0;
    std::uint32_t rtp_timestamp = 0; // the event's identity
    constexpr bool operator==(const DtmfDigit&) const = default;
};

// Reports each DTMF event once, on its first packet that arrives, however many start, update
// and end packets repeat it. An event is identified by its RTP timestamp (RFC 4733 §2.5.1.2):
// a new timestamp is a new key press, even for the same digit. Packets of an older event that
// arrive late are ignored, and so are the continuation segments of a long event (§2.5.1.3: same
// event, new timestamp, no marker, while the previous segment has not ended).
// Feed it only packets of the negotiated telephone-event payload type.
class DtmfReceiver {
public:
    std::optional<DtmfDigit> on_packet(std::uint32_t rtp_timestamp, bool marker,
                                       std::span<const std::uint8_t> payload) noexcept;

    // Forget the current event, e.g. when the source's SSRC (and timestamp space) changes.
    constexpr void reset() noexcept { *this = DtmfReceiver{}; }

    // The event in progress (or the last one), if any packet was accepted.
    [[nodiscard]] constexpr bool has_event() const noexcept { return has_event_; }
    [[nodiscard]] constexpr std::uint32_t current_timestamp() const noexcept { return timestamp_; }
    [[nodiscard]] constexpr std::uint8_t current_event() const noexcept { return event_; }
    [[nodiscard]] constexpr bool current_ended() const noexcept { return ended_; }
    // The longest duration seen for the current event, in timestamp units.
    [[nodiscard]] constexpr std::uint16_t current_duration() const noexcept { return duration_; }

private:
    bool has_event_ = false;
    std::uint32_t timestamp_ = 0;
    std::uint8_t event_ = 0;
    bool ended_ = false;
    std::uint16_t duration_ = 0;
};

} // namespace suflyor::rtp
