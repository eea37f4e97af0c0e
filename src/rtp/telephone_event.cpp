#include "rtp/telephone_event.hpp"

#include <algorithm>

namespace suflyor::rtp {

std::optional<DtmfDigit> DtmfReceiver::on_packet(std::uint32_t rtp_timestamp, bool marker,
                                                 std::span<const std::uint8_t> payload) noexcept {
    const auto parsed = parse_telephone_event(payload);
    if (!parsed) return std::nullopt;
    const TelephoneEvent& packet = parsed.value();

    if (has_event_ && rtp_timestamp == timestamp_) { // a repeat, update or end of the current one
        duration_ = std::max(duration_, packet.duration);
        ended_ = ended_ || packet.end;
        return std::nullopt;
    }
    if (has_event_ && static_cast<std::int32_t>(rtp_timestamp - timestamp_) < 0) {
        return std::nullopt; // a late packet of an event already superseded
    }
    const bool continuation = has_event_ && !marker && !ended_ && packet.event == event_;

    has_event_ = true;
    timestamp_ = rtp_timestamp;
    event_ = packet.event;
    ended_ = packet.end;
    duration_ = packet.duration;
    if (continuation) return std::nullopt;

    const auto digit = dtmf_digit(packet.event);
    if (!digit) return std::nullopt; // not DTMF (flash, tones): tracked, not reported
    return DtmfDigit{.digit = *digit, .event = packet.event, .rtp_timestamp = rtp_timestamp};
}

} // namespace suflyor::rtp
