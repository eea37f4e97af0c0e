#include "media/dsp/jitter_buffer.hpp"

#include "media/dsp/codec.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace suflyor::media {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

constexpr std::int64_t frame_us = frame_ms * 1000;
// RFC 3550 A.1: a jump beyond these is not reordering or loss but (maybe) a new stream.
constexpr int max_dropout = 3000;
constexpr int max_misorder = 100;
// A timestamp step this far from the arrival step is a discontinuity, not jitter.
constexpr std::int64_t transit_discontinuity_us = 1'000'000;
// The delay base is the fastest packet of the last one or two blocks: it follows clock drift.
constexpr int base_block_packets = 250;
// Peak delay halves every 100 packets (2 s at 20 ms).
const double peak_decay = std::exp2(-1.0 / 100.0);
// Depth may shrink by one frame per this many ticks (1 s).
constexpr int shrink_window_ticks = 50;

std::int64_t to_us(core::MonoTime t) {
    return duration_cast<microseconds>(t.time_since_epoch()).count();
}

std::int64_t frames_of(std::chrono::milliseconds depth) {
    return std::max<std::int64_t>(1, (depth.count() + frame_ms - 1) / frame_ms);
}

} // namespace

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : min_frames_(frames_of(config.min_depth)),
      max_frames_(std::max(min_frames_, frames_of(config.max_depth))),
      clock_rate_(config.rtp_clock_rate > 0 ? config.rtp_clock_rate : 8000),
      mask_(std::bit_ceil(std::max(config.capacity, static_cast<std::size_t>(2 * max_frames_))) -
            1),
      slot_bytes_(std::clamp<std::size_t>(config.slot_bytes, 1, max_payload_bytes)),
      slots_(mask_ + 1), payload_((mask_ + 2) * slot_bytes_) {}

std::size_t JitterBuffer::memory_bytes() const noexcept {
    return sizeof *this + slots_.capacity() * sizeof(Slot) + payload_.capacity();
}

void JitterBuffer::reset() noexcept {
    flush();
    probing_ = false;
    reset_delay_base();
    peak_delay_us_ = 0;
    jitter_us_ = 0;
}

void JitterBuffer::flush() noexcept {
    for (auto& slot : slots_) {
        if (slot.seq >= 0 && !slot.played && started_ && slot.seq >= next_) ++stats_.dropped;
        slot.seq = -1;
        slot.played = false;
    }
    started_ = playing_ = anchored_ = false;
    underrun_ticks_ = 0;
    window_ticks_ = 0;
    shrink_pending_ = false;
}

void JitterBuffer::reset_delay_base() noexcept { have_transit_ = false; }

void JitterBuffer::begin_stream(std::uint16_t seq) noexcept {
    started_ = true;
    // Extended numbers start one cycle up so that reordered predecessors stay non-negative.
    highest_ = next_ = std::int64_t{1} << 16 | seq;
}

void JitterBuffer::store(std::int64_t ext_seq, std::uint32_t rtp_ts,
                         std::span<const std::uint8_t> payload) noexcept {
    const std::size_t index = index_of(ext_seq);
    Slot& slot = slots_[index];
    slot.seq = ext_seq;
    slot.rtp_ts = rtp_ts;
    slot.size = static_cast<std::uint16_t>(payload.size()); // push() checked it fits
    slot.played = false;
    slot.event = false;
    std::copy(payload.begin(), payload.end(), bytes_of(index).begin());
    highest_ = std::max(highest_, ext_seq);
    ++stats_.received;
}

JitterPush JitterBuffer::push(std::uint16_t seq, std::uint32_t rtp_ts,
                              std::span<const std::uint8_t> payload,
                              core::MonoTime arrival) noexcept {
    if (payload.empty() || payload.size() > slot_bytes_) {
        if (!payload.empty()) ++stats_.oversize;
        ++stats_.invalid;
        return JitterPush::invalid;
    }
    if (!started_) {
        begin_stream(seq);
        observe_delay(rtp_ts, arrival);
        store(highest_, rtp_ts, payload);
        return JitterPush::stored;
    }

    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - highest_));
    const std::int64_t ext = highest_ + delta;
    if (delta > max_dropout || delta < -max_misorder || ext - next_ >= std::int64_t(mask_ + 1))
        return restart(seq, rtp_ts, payload, arrival);
    if (probing_) { // the held packet was a stray: the stream goes on
        probing_ = false;
        ++stats_.invalid;
    }

    if (ext < next_) {
        const auto& slot = slot_for(ext);
        if (slot.seq == ext) {
            ++stats_.duplicate;
            return JitterPush::duplicate;
        }
        if (anchored_ || highest_ - ext > std::int64_t(mask_)) {
            observe_delay(rtp_ts, arrival);
            ++stats_.late;
            return JitterPush::late;
        }
        next_ = ext; // an earlier packet before play-out began: it becomes the start
    }
    if (slot_for(ext).seq == ext) {
        ++stats_.duplicate;
        return JitterPush::duplicate;
    }
    observe_delay(rtp_ts, arrival);
    store(ext, rtp_ts, payload);
    return JitterPush::stored;
}

void JitterBuffer::push_event(std::uint16_t seq, std::uint32_t rtp_ts,
                              std::uint16_t duration) noexcept {
    if (!started_) return; // nothing to hold a place in yet
    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - highest_));
    const std::int64_t ext = highest_ + delta;
    if (delta > max_dropout || delta < -max_misorder || ext < next_ ||
        ext - next_ >= std::int64_t(mask_ + 1) || slot_for(ext).seq == ext)
        return; // a stray, late or duplicate event packet holds no place
    Slot& slot = slot_for(ext);
    slot.seq = ext;
    slot.rtp_ts = rtp_ts;
    slot.size = 0;
    slot.played = false;
    slot.event = true;
    slot.event_end = rtp_ts + duration;
    highest_ = std::max(highest_, ext);
}

bool JitterBuffer::take_event_frame() noexcept {
    while (holds(next_) && slot_for(next_).event) {
        Slot& slot = slot_for(next_);
        const bool same_event = have_event_ && slot.rtp_ts == event_start_;
        const bool adds_time = same_event
                                   ? static_cast<std::int32_t>(slot.event_end - event_end_) > 0
                                   : slot.event_end != slot.rtp_ts;
        if (!same_event || adds_time) {
            have_event_ = true;
            event_start_ = slot.rtp_ts;
            event_end_ = slot.event_end;
        }
        slot.played = true;
        ++next_;
        if (adds_time) {
            ++stats_.event_frames;
            return true;
        }
    }
    return false;
}

// A sender that goes on sending audio during an event (baresip does: its audio and event packets
// alternate, each every 20 ms) spends no play-out time on the event. When the first audio frame
// held behind events at the play-out point is already due, the events are passed at once.
void JitterBuffer::pass_events_beside_audio(std::int64_t now_us) noexcept {
    std::int64_t audio = next_;
    while (audio <= highest_ && holds(audio) && slot_of(audio).event)
        ++audio;
    if (audio == next_ || audio > highest_ || !holds(audio) || now_us < due_us(audio)) return;
    for (; next_ < audio; ++next_) {
        Slot& slot = slot_for(next_);
        slot.played = true;
        if (!have_event_ || slot.rtp_ts != event_start_ ||
            static_cast<std::int32_t>(slot.event_end - event_end_) > 0) {
            have_event_ = true;
            event_start_ = slot.rtp_ts;
            event_end_ = slot.event_end;
        }
    }
}

// A big jump: hold the packet; if the next one follows it, the stream restarted (new SSRC, a
// re-INVITE, a mixer upstream): flush and start filling again from the held packet.
JitterPush JitterBuffer::restart(std::uint16_t seq, std::uint32_t rtp_ts,
                                 std::span<const std::uint8_t> payload,
                                 core::MonoTime arrival) noexcept {
    if (!probing_ || seq != probe_next_seq_) {
        if (probing_) ++stats_.invalid;
        probing_ = true;
        probe_next_seq_ = static_cast<std::uint16_t>(seq + 1);
        probe_arrival_ = arrival;
        probe_.seq = seq;
        probe_.rtp_ts = rtp_ts;
        probe_.size = static_cast<std::uint16_t>(payload.size());
        std::copy(payload.begin(), payload.end(), bytes_of(slots_.size()).begin());
        return JitterPush::probation;
    }
    probing_ = false;
    flush();
    reset_delay_base();
    ++stats_.restarts;
    const auto first_seq = static_cast<std::uint16_t>(probe_.seq);
    begin_stream(first_seq);
    observe_delay(probe_.rtp_ts, probe_arrival_);
    store(highest_, probe_.rtp_ts, bytes_of(slots_.size()).first(probe_.size));
    observe_delay(rtp_ts, arrival);
    store(highest_ + 1, rtp_ts, payload);
    return JitterPush::restarted;
}

// Where `rtp_ts` lies on the stream's timeline in microseconds, continuing from the last packet
// (steps of up to ±2^31 ticks each; the timeline stays far from overflow).
std::int64_t JitterBuffer::timeline_us(std::uint32_t rtp_ts) const noexcept {
    const auto step = static_cast<std::int32_t>(rtp_ts - last_ts_);
    return last_ts_us_ + std::int64_t{step} * 1'000'000 / clock_rate_;
}

void JitterBuffer::observe_delay(std::uint32_t rtp_ts, core::MonoTime arrival) noexcept {
    const std::int64_t sent_us = have_transit_ ? timeline_us(rtp_ts) : 0;
    const std::int64_t transit = to_us(arrival) - sent_us;
    last_ts_ = rtp_ts;
    last_ts_us_ = sent_us;

    bool fresh_base = !have_transit_;
    if (have_transit_) {
        const std::int64_t step = transit - last_transit_;
        if (std::llabs(step) > transit_discontinuity_us) {
            fresh_base = true; // a timestamp jump: measure delays from here on
        } else {
            jitter_us_ += (static_cast<double>(std::llabs(step)) - jitter_us_) / 16.0;
        }
    }
    last_transit_ = transit;
    have_transit_ = true;

    if (fresh_base) {
        base_previous_ = base_current_ = transit;
        base_block_count_ = 0;
    } else if (++base_block_count_ >= base_block_packets) {
        base_previous_ = base_current_;
        base_current_ = transit;
        base_block_count_ = 0;
    }
    base_current_ = std::min(base_current_, transit);
    const std::int64_t base = std::min(base_current_, base_previous_);
    const auto delay = static_cast<double>(transit - base);
    peak_delay_us_ = std::max(delay, peak_delay_us_ * peak_decay);
}

// How long after the fastest possible arrival this frame is played: the latency the buffer adds.
void JitterBuffer::note_playout_delay(std::uint32_t rtp_ts, core::MonoTime now) noexcept {
    if (!have_transit_) return;
    const std::int64_t fastest_arrival = timeline_us(rtp_ts) + delay_base_us();
    playout_delay_us_ = to_us(now) - fastest_arrival;
}

std::int64_t JitterBuffer::wait_us() const noexcept {
    const auto peak = static_cast<std::int64_t>(peak_delay_us_);
    return std::clamp(peak, (min_frames_ - 1) * frame_us, (max_frames_ - 1) * frame_us);
}

// When frame `ext_seq` may play: its fastest arrival plus the wait. A frame not held is placed
// from the first audio frame held after it (20 ms per sequence number); with none, never.
std::int64_t JitterBuffer::due_us(std::int64_t ext_seq) const noexcept {
    std::int64_t at = ext_seq;
    while (at <= highest_ && (!holds(at) || slot_of(at).event))
        ++at;
    if (at > highest_) return std::numeric_limits<std::int64_t>::max();
    const std::int64_t fastest = timeline_us(slot_of(at).rtp_ts) + delay_base_us();
    return fastest - (at - ext_seq) * frame_us + wait_us();
}

// Moves the play-out point past the head frame without playing it.
void JitterBuffer::skip_head(bool count_as_dropped) noexcept {
    auto& slot = slot_for(next_);
    if (slot.seq == next_ && !slot.played) {
        slot.played = true;
        if (count_as_dropped) ++stats_.dropped;
    } else {
        ++stats_.lost;
    }
    ++next_;
}

void JitterBuffer::start_playout() noexcept {
    // Begin at the oldest frame held: a gap in front of it is not worth waiting for.
    while (next_ < highest_ && !holds(next_))
        ++next_;
    playing_ = anchored_ = true;
    underrun_ticks_ = 0;
    window_ticks_ = 0;
    window_min_slack_us_ = std::numeric_limits<std::int64_t>::max();
}

JitterFrame JitterBuffer::pop(core::MonoTime now) noexcept {
    if (!started_) return {};
    const std::int64_t now_us = to_us(now);
    while (level() > max_frames_)
        skip_head(true); // overflow: never hold more than the maximum
    if (!playing_) {
        // Play-out starts once the oldest frame held is due: no earlier than the slowest
        // arrival seen needs, and no later than the next tick after that. (A frame held is due
        // within the maximum depth of its arrival: the delay base is at most its own delay.)
        if (now_us < due_us(next_)) return {};
        start_playout();
    }

    // Slack: how long ago the first audio frame at the play-out point became due. A whole
    // second in which every frame played a frame or more after it was due means the buffer may
    // play one frame earlier.
    std::int64_t audio = next_;
    while (audio <= highest_ && holds(audio) && slot_of(audio).event)
        ++audio;
    const std::int64_t slack = audio <= highest_ && holds(audio)
                                   ? now_us - due_us(audio)
                                   : std::numeric_limits<std::int64_t>::min();
    window_min_slack_us_ = std::min(window_min_slack_us_, slack);
    if (++window_ticks_ >= shrink_window_ticks) {
        shrink_pending_ = window_min_slack_us_ >= frame_us;
        window_ticks_ = 0;
        window_min_slack_us_ = std::numeric_limits<std::int64_t>::max();
    }

    pass_events_beside_audio(now_us);
    if (take_event_frame()) {
        underrun_ticks_ = 0;
        return {JitterPopStatus::silence, static_cast<std::uint16_t>(next_ - 1), 0, {}};
    }

    if (level() == 0) { // ran dry: conceal and wait for the frame rather than skip it
        ++stats_.concealed;
        if (++underrun_ticks_ > max_frames_) playing_ = false; // an outage: refill when it ends
        return {JitterPopStatus::missing, static_cast<std::uint16_t>(next_), 0, {}};
    }
    underrun_ticks_ = 0;

    if (shrink_pending_ && holds_audio(next_) && holds_audio(next_ + 1)) {
        skip_head(true);
        shrink_pending_ = false;
    }

    if (!holds(next_)) {
        ++stats_.concealed;
        // Not due yet: its packet may still come within the delays seen. Wait for it (the
        // depth grows by this frame). Otherwise it is lost.
        if (now_us < due_us(next_))
            return {JitterPopStatus::missing, static_cast<std::uint16_t>(next_), 0, {}};
        ++stats_.lost;
        const auto seq = static_cast<std::uint16_t>(next_++);
        return {JitterPopStatus::missing, seq, 0, {}};
    }
    const std::size_t index = index_of(next_++);
    Slot& slot = slots_[index];
    slot.played = true;
    note_playout_delay(slot.rtp_ts, now);
    return {JitterPopStatus::frame, static_cast<std::uint16_t>(slot.seq), slot.rtp_ts,
            bytes_of(index).first(slot.size)};
}

JitterStats JitterBuffer::stats() const noexcept {
    JitterStats out = stats_;
    out.depth_ms = static_cast<int>(level() * frame_ms);
    out.target_ms = static_cast<int>((wait_us() + 500) / 1000) + frame_ms;
    out.jitter_ms = jitter_us_ / 1000.0;
    out.delay_ms = static_cast<int>(playout_delay_us_ / 1000);
    return out;
}

} // namespace suflyor::media
