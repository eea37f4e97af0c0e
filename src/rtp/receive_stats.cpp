#include "rtp/receive_stats.hpp"

#include <algorithm>

namespace suflyor::rtp {

namespace {
constexpr std::uint32_t sequence_modulus = 1U << 16;
constexpr std::uint32_t no_pending_jump = sequence_modulus + 1;
} // namespace

SequenceStatus ReceiveStats::on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp,
                                       std::uint32_t arrival) noexcept {
    const SequenceStatus status = update_sequence(sequence);
    if (status == SequenceStatus::restarted) have_transit_ = false; // likely a new timestamp base
    if (status != SequenceStatus::jump_pending) update_jitter(rtp_timestamp, arrival);
    return status;
}

void ReceiveStats::restart_at(std::uint16_t sequence) noexcept {
    base_seq_ = sequence;
    max_seq_ = sequence;
    bad_seq_ = no_pending_jump;
    cycles_ = 0;
    received_ = 0;
    received_prior_ = 0;
    expected_prior_ = 0;
}

// A.1 update_seq, with the probation comparison done in 16-bit arithmetic so that a source
// whose first packets straddle 65535 → 0 still passes probation.
SequenceStatus ReceiveStats::update_sequence(std::uint16_t sequence) noexcept {
    if (!started_) {
        started_ = true;
        restart_at(sequence);
        max_seq_ = static_cast<std::uint16_t>(sequence - 1);
        probation_ = min_sequential_;
    }
    const auto delta = static_cast<std::uint16_t>(sequence - max_seq_);

    if (probation_ > 0) {
        if (delta == 1) {
            --probation_;
            max_seq_ = sequence;
            if (probation_ == 0) {
                restart_at(sequence);
                ++received_;
                return SequenceStatus::in_order;
            }
        } else {
            // Out of sequence: this packet is the first of a new run.
            // (Unreachable with min_sequential 1: the first packet already passed.)
            probation_ = static_cast<std::uint16_t>(min_sequential_ - 1);
            max_seq_ = sequence;
        }
        return SequenceStatus::probation;
    }

    SequenceStatus status;
    if (delta == 0) {
        status = SequenceStatus::late_or_duplicate; // duplicate of the highest
    } else if (delta < max_dropout) {
        if (sequence < max_seq_) ++cycles_; // wrapped
        max_seq_ = sequence;
        status = SequenceStatus::in_order;
    } else if (delta <= sequence_modulus - max_misorder) {
        if (sequence != bad_seq_) {
            bad_seq_ = (std::uint32_t{sequence} + 1) & (sequence_modulus - 1);
            return SequenceStatus::jump_pending;
        }
        // Two sequential packets after a jump: the sender restarted (the first one is lost).
        restart_at(sequence);
        status = SequenceStatus::restarted;
    } else {
        status = SequenceStatus::late_or_duplicate;
    }
    ++received_;
    return status;
}

void ReceiveStats::update_jitter(std::uint32_t rtp_timestamp, std::uint32_t arrival) noexcept {
    const std::uint32_t transit = arrival - rtp_timestamp;
    if (!have_transit_) {
        have_transit_ = true;
        transit_ = transit;
        return;
    }
    const auto diff = static_cast<std::int32_t>(transit - transit_); // modular, C++20-defined
    transit_ = transit;
    const std::uint64_t d = diff < 0
                                ? std::uint64_t{0} - static_cast<std::uint64_t>(std::int64_t{diff})
                                : static_cast<std::uint64_t>(diff);
    // J += (|D| - J) / 16, in the A.8 integer form with J scaled by 16.
    jitter_q4_ = jitter_q4_ + d - ((jitter_q4_ + 8) >> 4);
}

std::int32_t ReceiveStats::cumulative_lost() const noexcept {
    const std::int64_t lost = std::int64_t{expected()} - std::int64_t{received_};
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(lost, -0x800000, 0x7FFFFF));
}

LossInterval ReceiveStats::close_interval() noexcept {
    const std::uint32_t expected_now = expected();
    LossInterval interval;
    interval.expected = expected_now - expected_prior_;
    interval.received = received_ - received_prior_;
    expected_prior_ = expected_now;
    received_prior_ = received_;
    interval.lost = std::int64_t{interval.expected} - std::int64_t{interval.received};
    if (interval.expected != 0 && interval.lost > 0) {
        interval.fraction_lost = static_cast<std::uint8_t>(
            std::min<std::int64_t>((interval.lost << 8) / interval.expected, 255));
    }
    return interval;
}

ReportBlock ReceiveStats::make_report_block(std::uint32_t source_ssrc, std::uint32_t last_sr,
                                            std::uint32_t delay_since_last_sr) noexcept {
    const LossInterval interval = close_interval();
    return ReportBlock{
        .ssrc = source_ssrc,
        .fraction_lost = interval.fraction_lost,
        .cumulative_lost = cumulative_lost(),
        .extended_highest_sequence = extended_highest_sequence(),
        .jitter = jitter(),
        .last_sr = last_sr,
        .delay_since_last_sr = delay_since_last_sr,
    };
}

} // namespace suflyor::rtp
