#pragma once
// Receive statistics of one RTP source, RFC 3550 Appendix A.1 (sequence validation with
// probation), A.3 (expected / lost / fraction lost) and A.8 (interarrival jitter).
//
// The probation state is what strict source learning latches on: a new source is only valid
// after `min_sequential` packets with consecutive sequence numbers. A big jump in sequence
// is accepted only when the next packet continues from it (a restarted sender), never from a
// single stray packet.
#include "rtp/rtcp_types.hpp"

#include <cstdint>

namespace suflyor::rtp {

inline constexpr std::uint16_t default_min_sequential = 2; // A.1 MIN_SEQUENTIAL
inline constexpr std::uint16_t max_dropout = 3000;         // A.1 MAX_DROPOUT
inline constexpr std::uint16_t max_misorder = 100;         // A.1 MAX_MISORDER

enum class SequenceStatus : std::uint8_t {
    probation,         // not counted: the source has not yet shown min_sequential in-order packets
    in_order,          // counted: newer than the highest so far (a gap counts as loss)
    late_or_duplicate, // counted (as A.1 does): not newer than the highest, within MAX_MISORDER
    jump_pending,      // dropped: a jump beyond MAX_DROPOUT/MAX_MISORDER, awaiting confirmation
    restarted,         // counted: the next packet confirmed the jump; statistics restart here
};

// Whether the packet belongs to the source's valid stream (to be played or relayed).
constexpr bool is_accepted(SequenceStatus status) noexcept {
    return status == SequenceStatus::in_order || status == SequenceStatus::late_or_duplicate ||
           status == SequenceStatus::restarted;
}

// Loss over the interval since the previous report (A.3).
struct LossInterval {
    std::uint32_t expected = 0;
    std::uint32_t received = 0;
    std::int64_t lost = 0;          // negative with duplicates
    std::uint8_t fraction_lost = 0; // lost / expected as 8-bit fixed point, 0 when negative
    constexpr bool operator==(const LossInterval&) const = default;
};

class ReceiveStats {
public:
    // min_sequential: in-order packets needed before the source is valid (at least 1).
    constexpr explicit ReceiveStats(std::uint16_t min_sequential = default_min_sequential) noexcept
        : min_sequential_(min_sequential == 0 ? 1 : min_sequential) {}

    // One received packet. `arrival` is the arrival time in the same clock units as the RTP
    // timestamps (e.g. 8000 Hz ticks); only differences matter, so any origin will do.
    SequenceStatus on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp,
                             std::uint32_t arrival) noexcept;

    [[nodiscard]] constexpr bool started() const noexcept { return started_; }
    [[nodiscard]] constexpr bool probation_passed() const noexcept {
        return started_ && probation_ == 0;
    }
    // In-order packets still needed before probation_passed().
    [[nodiscard]] constexpr std::uint16_t probation_remaining() const noexcept {
        return started_ ? probation_ : min_sequential_;
    }

    [[nodiscard]] constexpr std::uint16_t base_sequence() const noexcept { return base_seq_; }
    [[nodiscard]] constexpr std::uint16_t highest_sequence() const noexcept { return max_seq_; }
    [[nodiscard]] constexpr std::uint32_t cycles() const noexcept { return cycles_; }
    [[nodiscard]] constexpr std::uint32_t extended_highest_sequence() const noexcept {
        return (cycles_ << 16) + max_seq_;
    }
    [[nodiscard]] constexpr std::uint32_t received() const noexcept { return received_; }
    // Packets expected since the base sequence; 0 until probation passes.
    [[nodiscard]] constexpr std::uint32_t expected() const noexcept {
        return probation_passed() ? extended_highest_sequence() - base_seq_ + 1 : 0;
    }
    // expected - received, clamped to the 24-bit signed range of the report field.
    [[nodiscard]] std::int32_t cumulative_lost() const noexcept;
    // Interarrival jitter estimate, in timestamp units.
    [[nodiscard]] constexpr std::uint32_t jitter() const noexcept {
        return static_cast<std::uint32_t>(jitter_q4_ >> 4);
    }

    // Loss since the previous call (or since the stream (re)started), and starts a new interval.
    LossInterval close_interval() noexcept;

    // A report block about this source, closing the interval. last_sr / delay_since_last_sr come
    // from the caller's tracking of the source's sender reports (0 when none was received).
    ReportBlock make_report_block(std::uint32_t source_ssrc, std::uint32_t last_sr,
                                  std::uint32_t delay_since_last_sr) noexcept;

private:
    SequenceStatus update_sequence(std::uint16_t sequence) noexcept;
    void update_jitter(std::uint32_t rtp_timestamp, std::uint32_t arrival) noexcept;
    void restart_at(std::uint16_t sequence) noexcept; // A.1 init_seq

    std::uint16_t min_sequential_;
    bool started_ = false;
    std::uint16_t probation_ = 0;
    std::uint16_t max_seq_ = 0;
    std::uint16_t base_seq_ = 0;
    std::uint32_t bad_seq_ = 0; // 65536 + 1 when no jump is pending
    std::uint32_t cycles_ = 0;  // wraps of the 16-bit sequence
    std::uint32_t received_ = 0;
    std::uint32_t received_prior_ = 0;
    std::uint32_t expected_prior_ = 0;
    bool have_transit_ = false;
    std::uint32_t transit_ = 0;
    std::uint64_t jitter_q4_ = 0; // jitter × 16 (the integer form of A.8)
};

} // namespace suflyor::rtp
