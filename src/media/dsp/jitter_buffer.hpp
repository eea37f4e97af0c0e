#pragma once
// Adaptive jitter buffer for the mix path of one leg: RTP payloads in (any order, any time), one
// 20 ms frame out per tick, in sequence order. Payloads stay opaque bytes; the caller decodes, and
// runs the decoder's conceal() when told a frame is missing.
//
// Play-out follows the network: a frame is due once the peak of recent packet delays (relative
// to the fastest packet of the last few seconds) has passed since its fastest possible arrival,
// and plays at the first tick after that. The peak rises at once when a burst arrives late and
// decays over seconds; the wait is kept in microseconds, so a few milliseconds of send jitter
// cost a few milliseconds, not a whole frame. The depth grows when the frame due has not arrived
// but is not due yet (a concealed frame is inserted and the buffer waits for the overdue packet
// instead of skipping it); it shrinks by dropping one frame when, for a whole second, every frame
// played at least a frame after it was due. A hole that is due is a loss.
//
// Times are passed in explicitly (from the caller's core::Clock), so tests drive it with a
// ManualClock. All memory is allocated at construction; push and pop never allocate. Each slot
// holds up to `slot_bytes` of payload, sized from the codec (jitter_slot_bytes): a larger packet
// is dropped and counted (stats().oversize), never copied past the slot.
#include "core/clock.hpp"
#include "media/dsp/codec.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace suflyor::media {

// The largest payload any slot may hold: a whole datagram.
inline constexpr std::size_t max_jitter_payload_bytes = 1500;

// The payload bound of one packet of `codec` at a packet time of up to 60 ms:
// G.711 and G.722 (64 kbit/s) 8 bytes per ms: 480; Opus 1,275, the largest frame RFC 6716 §3.2.1
// allows (any 20 ms packet; 60 ms packets up to 170 kbit/s).
[[nodiscard]] constexpr std::size_t jitter_slot_bytes(CodecId codec) noexcept {
    constexpr std::size_t max_ptime_ms = 60;
    switch (codec) {
    case CodecId::pcmu:
    case CodecId::pcma:
    case CodecId::g722: return 8 * max_ptime_ms;
    case CodecId::opus: return 1275;
    }
    return max_jitter_payload_bytes;
}

struct JitterBufferConfig {
    std::chrono::milliseconds min_depth{20};
    std::chrono::milliseconds max_depth{200};
    int rtp_clock_rate = 8000; // of the stream's RTP timestamps (48000 for Opus)
    std::size_t capacity = 64; // frames held; rounded up to a power of two, at least 2 × max
    // Payload bytes per slot (clamped to 1..max_jitter_payload_bytes); see jitter_slot_bytes.
    std::size_t slot_bytes = max_jitter_payload_bytes;
};

enum class JitterPush : std::uint8_t {
    stored,
    restarted, // a new stream (big sequence jump confirmed by a second packet): buffer flushed;
               // the caller should reset its decoder
    duplicate, // already held or already played: dropped
    late,      // its play-out time has passed: dropped
    probation, // a big jump: held until the next packet confirms a restart, else dropped
    invalid,   // empty or larger than the slot (config.slot_bytes): dropped
};

enum class JitterPopStatus : std::uint8_t {
    frame,   // payload of the next frame in order
    missing, // nothing to play this tick: conceal one frame. While the buffer waits for an overdue
             // packet (growing its depth) the same seq is reported missing again next tick.
    not_yet, // filling before play-out starts (or after a long outage): play silence
    silence, // the sender spent this frame on a non-audio packet (an RFC 4733 event that takes
             // the stream's sequence numbers): play silence; nothing was lost
};

struct JitterFrame {
    JitterPopStatus status = JitterPopStatus::not_yet;
    std::uint16_t seq = 0;    // the sequence number played (frame) or concealed (missing)
    std::uint32_t rtp_ts = 0; // frame only
    std::span<const std::uint8_t> payload; // frame only; valid until the next push or pop
};

struct JitterStats {
    std::uint64_t received = 0; // packets stored
    std::uint64_t late = 0;     // arrived after their play-out (they were counted lost then)
    std::uint64_t duplicate = 0;
    std::uint64_t invalid = 0;   // empty, oversize, or a stray jump that no packet confirmed
    std::uint64_t oversize = 0;  // of invalid: payloads larger than the slot
    std::uint64_t lost = 0;      // sequence numbers whose play-out came without them
    std::uint64_t concealed = 0; // pops that returned `missing` (losses and underruns)
    std::uint64_t dropped = 0;   // frames discarded to shrink the depth or on overflow/restart
    std::uint64_t restarts = 0;
    std::uint64_t event_frames = 0; // frames played as silence in place of telephone events
    int depth_ms = 0;               // frames held from the play-out point to the newest, × 20 ms
    int target_ms = 0;              // the depth the buffer aims at: the wait plus the tick's frame
    int delay_ms = 0;               // last frame played: its play-out time minus the arrival time
                                    // of an undelayed packet (the latency the buffer adds)
    double jitter_ms = 0;           // RFC 3550 interarrival jitter estimate
};

class JitterBuffer {
public:
    static constexpr std::size_t max_payload_bytes = max_jitter_payload_bytes;

    explicit JitterBuffer(const JitterBufferConfig& config);

    [[nodiscard]] std::size_t slot_bytes() const noexcept { return slot_bytes_; }
    // Bytes held by this buffer (object, slot table and payload storage).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    JitterPush push(std::uint16_t seq, std::uint32_t rtp_ts, std::span<const std::uint8_t> payload,
                    core::MonoTime arrival) noexcept;
    // A telephone-event packet of the same stream (RFC 4733 §2.1: events share the audio's
    // sequence numbers): its number is not a loss. `duration` is the event's duration field, so
    // an update that extends the event takes a frame of play-out (silence) and a retransmitted
    // end packet none. It never moves the delay estimate (an event's timestamp is its start).
    void push_event(std::uint16_t seq, std::uint32_t rtp_ts, std::uint16_t duration) noexcept;
    // Once per 20 ms tick.
    JitterFrame pop(core::MonoTime now) noexcept;
    // Forget everything but the counters (e.g. the leg's source changed).
    void reset() noexcept;

    [[nodiscard]] JitterStats stats() const noexcept;

private:
    // A slot's payload lives in `payload_` at its index × slot_bytes_ (the probe: the last one).
    struct Slot {
        std::int64_t seq = -1; // extended sequence number held, -1 for none
        std::uint32_t rtp_ts = 0;
        std::uint16_t size = 0;
        bool played = false;
        bool event = false;          // a telephone-event placeholder (push_event)
        std::uint32_t event_end = 0; // rtp_ts + duration, for an event
    };

    [[nodiscard]] std::span<std::uint8_t> bytes_of(std::size_t index) noexcept {
        return std::span(payload_).subspan(index * slot_bytes_, slot_bytes_);
    }
    [[nodiscard]] std::size_t index_of(std::int64_t ext_seq) const noexcept {
        return static_cast<std::size_t>(ext_seq) & mask_;
    }
    void store(std::int64_t ext_seq, std::uint32_t rtp_ts,
               std::span<const std::uint8_t> payload) noexcept;
    [[nodiscard]] Slot& slot_for(std::int64_t ext_seq) noexcept {
        return slots_[static_cast<std::size_t>(ext_seq) & mask_];
    }
    [[nodiscard]] bool holds(std::int64_t ext_seq) const noexcept {
        const auto& slot = slots_[static_cast<std::size_t>(ext_seq) & mask_];
        return slot.seq == ext_seq && !slot.played;
    }
    [[nodiscard]] bool holds_audio(std::int64_t ext_seq) const noexcept {
        return holds(ext_seq) && !slot_of(ext_seq).event;
    }
    [[nodiscard]] std::int64_t level() const noexcept {
        return started_ ? highest_ + 1 - next_ : 0;
    }
    // How long after its fastest possible arrival a frame plays: the peak delay seen, within
    // the configured depths (less the tick's own frame).
    [[nodiscard]] std::int64_t wait_us() const noexcept;
    [[nodiscard]] std::int64_t due_us(std::int64_t ext_seq) const noexcept;
    [[nodiscard]] std::int64_t delay_base_us() const noexcept {
        return std::min(base_current_, base_previous_);
    }
    [[nodiscard]] const Slot& slot_of(std::int64_t ext_seq) const noexcept {
        return slots_[static_cast<std::size_t>(ext_seq) & mask_];
    }
    JitterPush restart(std::uint16_t seq, std::uint32_t rtp_ts,
                       std::span<const std::uint8_t> payload, core::MonoTime arrival) noexcept;
    void begin_stream(std::uint16_t seq) noexcept;
    void flush() noexcept;
    void observe_delay(std::uint32_t rtp_ts, core::MonoTime arrival) noexcept;
    [[nodiscard]] std::int64_t timeline_us(std::uint32_t rtp_ts) const noexcept;
    void reset_delay_base() noexcept;
    void skip_head(bool count_as_dropped) noexcept;
    void note_playout_delay(std::uint32_t rtp_ts, core::MonoTime now) noexcept;
    void start_playout() noexcept;
    // At the play-out point: passes event placeholders that add no time; true when the head is
    // one that does (it is consumed as this tick's silent frame).
    bool take_event_frame() noexcept;
    void pass_events_beside_audio(std::int64_t now_us) noexcept;

    // configuration
    std::int64_t min_frames_;
    std::int64_t max_frames_;
    int clock_rate_;
    std::size_t mask_;
    std::size_t slot_bytes_;
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> payload_; // (slots + 1) × slot_bytes_: the slots, then the probe

    // sequence and play-out
    bool started_ = false;  // a packet of the current stream was stored
    bool playing_ = false;  // play-out running (else filling)
    bool anchored_ = false; // play-out has run since the stream began: next_ is final
    std::int64_t highest_ = 0;
    std::int64_t next_ = 0;

    // restart probation: the first packet after a big jump, held until the next confirms it
    bool probing_ = false;
    std::uint16_t probe_next_seq_ = 0;
    core::MonoTime probe_arrival_{};
    Slot probe_{};

    // delay estimation (microseconds)
    bool have_transit_ = false;
    std::uint32_t last_ts_ = 0;
    std::int64_t last_ts_us_ = 0; // last_ts_ on the stream's timeline
    std::int64_t last_transit_ = 0;
    std::int64_t base_current_ = 0;
    std::int64_t base_previous_ = 0;
    int base_block_count_ = 0;
    double peak_delay_us_ = 0;
    double jitter_us_ = 0;
    std::int64_t playout_delay_us_ = 0;

    // the telephone event last played: its start timestamp and end (start + duration)
    bool have_event_ = false;
    std::uint32_t event_start_ = 0;
    std::uint32_t event_end_ = 0;

    // depth control
    std::int64_t underrun_ticks_ = 0;
    int window_ticks_ = 0;
    std::int64_t window_min_slack_us_ = 0;
    bool shrink_pending_ = false;

    JitterStats stats_{};
};

} // namespace suflyor::media
