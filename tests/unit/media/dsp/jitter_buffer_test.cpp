// Jitter buffer, driven by a ManualClock. Scenario tables: packets arrive at given times (their
// RTP timestamp says when they were sent, 8 kHz clock) and the buffer is popped on 20 ms ticks;
// each table lists what every pop must return and the counters afterwards.
#include "core/clock.hpp"
#include "media/dsp/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace suflyor::media {
namespace {

using std::chrono::milliseconds;

struct Event {
    int at_ms;
    bool pop;
    std::uint16_t seq = 0;
    int sent_ms = 0; // RTP timestamp = sent_ms × 8
    JitterPush expect = JitterPush::stored;
};

Event arrive(int at, std::uint16_t seq, int sent, JitterPush expect = JitterPush::stored) {
    return {at, false, seq, sent, expect};
}
Event arrive(int at, std::uint16_t seq) { return arrive(at, seq, at); }
Event tick(int at) { return {at, true}; }

struct Counters {
    std::uint64_t received, late, duplicate, invalid, lost, concealed, dropped, restarts;
};

struct Scenario {
    std::string name;
    JitterBufferConfig config;
    std::vector<Event> events;
    std::string pops; // F<seq> frame, M<seq> missing, - not yet
    Counters counters;
};

// The payload of a test packet carries its own sequence number, to check what comes out.
std::array<std::uint8_t, 3> payload_of(std::uint16_t seq) {
    return {static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq), 0x5A};
}

class Harness {
public:
    explicit Harness(const JitterBufferConfig& config) : buffer_(config) {}

    JitterPush push(std::uint16_t seq, std::uint32_t rtp_ts) {
        const auto payload = payload_of(seq);
        return buffer_.push(seq, rtp_ts, payload, clock_.mono_now());
    }

    std::string pop() {
        const auto frame = buffer_.pop(clock_.mono_now());
        switch (frame.status) {
        case JitterPopStatus::not_yet: return "-";
        case JitterPopStatus::missing: return std::string("M").append(std::to_string(frame.seq));
        case JitterPopStatus::silence: return std::string("S").append(std::to_string(frame.seq));
        case JitterPopStatus::frame: {
            const auto expected = payload_of(frame.seq);
            EXPECT_TRUE(std::equal(frame.payload.begin(), frame.payload.end(), expected.begin(),
                                   expected.end()))
                << "payload of " << frame.seq;
            return std::string("F").append(std::to_string(frame.seq));
        }
        }
        return "?";
    }

    void advance_to(int at_ms) {
        clock_.advance(milliseconds(at_ms) - now_);
        now_ = milliseconds(at_ms);
    }

    // An RFC 4733 event packet of the stream: start timestamp and duration in 8 kHz units.
    void push_event(std::uint16_t seq, std::uint32_t rtp_ts, std::uint16_t duration) {
        buffer_.push_event(seq, rtp_ts, duration);
    }

    JitterBuffer& buffer() { return buffer_; }

private:
    core::ManualClock clock_;
    milliseconds now_{0};
    JitterBuffer buffer_;
};

std::string run(const Scenario& s, Harness& harness) {
    std::vector<std::string> pops;
    for (const auto& e : s.events) {
        harness.advance_to(e.at_ms);
        if (e.pop) {
            pops.push_back(harness.pop());
        } else {
            EXPECT_EQ(harness.push(e.seq, static_cast<std::uint32_t>(e.sent_ms * 8)), e.expect)
                << s.name << ": push of " << e.seq << " at " << e.at_ms << " ms";
        }
    }
    std::ostringstream joined;
    for (std::size_t i = 0; i < pops.size(); ++i)
        joined << (i ? " " : "") << pops[i];
    return joined.str();
}

JitterBufferConfig depth(int min_ms, int max_ms = 200) {
    return {.min_depth = milliseconds(min_ms), .max_depth = milliseconds(max_ms)};
}

const std::vector<Scenario>& scenarios() {
    using P = JitterPush;
    static const std::vector<Scenario> table = {
        {"in order, 20 ms target",
         depth(20),
         {arrive(0, 100), tick(10), arrive(20, 101), tick(30), arrive(40, 102), tick(50),
          arrive(60, 103), tick(70)},
         "F100 F101 F102 F103",
         {4, 0, 0, 0, 0, 0, 0, 0}},
        {"nothing before the first packet, then fill to a 60 ms target",
         depth(60),
         {tick(-10), arrive(0, 100), tick(10), arrive(20, 101), tick(30), arrive(40, 102), tick(50),
          arrive(60, 103), tick(70), arrive(80, 104), tick(90)},
         "- - - F100 F101 F102",
         {5, 0, 0, 0, 0, 0, 0, 0}},
        {"a lost packet is concealed once its successor is in",
         depth(40),
         {arrive(0, 100), tick(10), arrive(20, 101), tick(30), tick(50), arrive(60, 103), tick(70),
          arrive(80, 104), tick(90), arrive(100, 105), tick(110), tick(130)},
         "- F100 F101 M102 F103 F104 F105",
         {5, 0, 0, 0, 1, 1, 0, 0}},
        {"a packet after its play-out is late",
         depth(40),
         {arrive(0, 100), tick(10), arrive(20, 101), tick(30), tick(50), arrive(60, 103), tick(70),
          arrive(75, 102, 40, P::late), arrive(80, 104), tick(90), tick(110)},
         "- F100 F101 M102 F103 F104",
         {4, 1, 0, 0, 1, 1, 0, 0}},
        {"reordering within the depth is undone",
         depth(40),
         {arrive(0, 100), tick(10), arrive(20, 102, 40), arrive(25, 101, 20), tick(30), tick(50),
          arrive(60, 103), tick(70), arrive(80, 104), tick(90)},
         "- F100 F101 F102 F103",
         {5, 0, 0, 0, 0, 0, 0, 0}},
        {"an earlier packet before play-out starts becomes the first",
         depth(60),
         {arrive(20, 101, 20), arrive(22, 100, 0), tick(30), arrive(40, 102), tick(50),
          arrive(60, 103), tick(70), tick(90)},
         "- F100 F101 F102",
         {4, 0, 0, 0, 0, 0, 0, 0}},
        {"duplicates, held or already played, are dropped",
         depth(40),
         {arrive(0, 100), tick(10), arrive(20, 101), arrive(21, 101, 20, P::duplicate), tick(30),
          arrive(40, 102), tick(50), arrive(55, 100, 0, P::duplicate), arrive(60, 103), tick(70)},
         "- F100 F101 F102",
         {4, 0, 2, 0, 0, 0, 0, 0}},
        {"sequence numbers wrap around 65535",
         depth(20),
         {arrive(0, 65534), tick(10), arrive(20, 65535), tick(30), arrive(40, 0), tick(50),
          arrive(60, 1), tick(70), arrive(80, 2), tick(90)},
         "F65534 F65535 F0 F1 F2",
         {5, 0, 0, 0, 0, 0, 0, 0}},
        {"reordering across the wrap",
         depth(40),
         {arrive(0, 65535), tick(10), arrive(20, 1, 40), arrive(22, 0, 20), tick(30), arrive(60, 2),
          tick(50), tick(70)},
         "- F65535 F0 F1",
         {4, 0, 0, 0, 0, 0, 0, 0}},
        {"a restart (big jump confirmed by the next packet) flushes and refills",
         depth(20),
         {arrive(0, 100), tick(10), arrive(20, 101), tick(30), arrive(40, 102), tick(50),
          arrive(60, 5000, 60, P::probation), tick(70), arrive(80, 5001, 80, P::restarted),
          tick(90), arrive(100, 5002), tick(110), tick(130)},
         "F100 F101 F102 M103 F5000 F5001 F5002",
         {6, 0, 0, 0, 0, 1, 0, 1}},
        {"a restart backwards beyond the reordering limit",
         depth(20),
         {arrive(0, 1000), tick(10), arrive(20, 1001), tick(30), arrive(40, 500, 40, P::probation),
          arrive(41, 501, 60, P::restarted), tick(50), tick(70)},
         "F1000 F1001 F500 F501",
         {4, 0, 0, 0, 0, 0, 0, 1}},
        {"a stray jump not confirmed is dropped and the stream goes on",
         depth(20),
         {arrive(0, 100), tick(10), arrive(20, 101), arrive(25, 30000, 25, P::probation), tick(30),
          arrive(40, 102), tick(50), arrive(60, 103), tick(70)},
         "F100 F101 F102 F103",
         {4, 0, 0, 1, 0, 0, 0, 0}},
        {"a burst beyond the maximum depth is cut to the maximum",
         depth(20, 100),
         {arrive(0, 100, 0), arrive(1, 101, 20), arrive(2, 102, 40), arrive(3, 103, 60),
          arrive(4, 104, 80), arrive(5, 105, 100), arrive(6, 106, 120), arrive(7, 107, 140),
          tick(10), tick(30)},
         "F103 F104",
         {8, 0, 0, 0, 0, 0, 3, 0}},
        {"an outage longer than the maximum depth refills when the stream resumes",
         depth(40, 60),
         {arrive(0, 100), tick(10), arrive(20, 101), tick(30), tick(50), tick(70), tick(90),
          tick(110), tick(130), tick(150), arrive(160, 102), tick(170), arrive(180, 103), tick(190),
          arrive(200, 104), tick(210)},
         "- F100 F101 M102 M102 M102 M102 - - F102 F103",
         {5, 0, 0, 0, 0, 4, 0, 0}},
        {"empty and oversize payloads are invalid",
         depth(20),
         {arrive(0, 100), tick(10)},
         "F100",
         {1, 0, 0, 2, 0, 0, 0, 0}},
    };
    return table;
}

TEST(JitterBuffer, Scenarios) {
    for (const auto& s : scenarios()) {
        Harness harness(s.config);
        if (s.name.starts_with("empty")) {
            const std::vector<std::uint8_t> oversize(JitterBuffer::max_payload_bytes + 1, 0);
            core::ManualClock clock;
            EXPECT_EQ(harness.buffer().push(7, 0, {}, clock.mono_now()), JitterPush::invalid);
            EXPECT_EQ(harness.buffer().push(7, 0, oversize, clock.mono_now()), JitterPush::invalid);
        }
        EXPECT_EQ(run(s, harness), s.pops) << s.name;
        const auto st = harness.buffer().stats();
        const Counters& c = s.counters;
        EXPECT_EQ(st.received, c.received) << s.name;
        EXPECT_EQ(st.late, c.late) << s.name;
        EXPECT_EQ(st.duplicate, c.duplicate) << s.name;
        EXPECT_EQ(st.invalid, c.invalid) << s.name;
        EXPECT_EQ(st.lost, c.lost) << s.name;
        EXPECT_EQ(st.concealed, c.concealed) << s.name;
        EXPECT_EQ(st.dropped, c.dropped) << s.name;
        EXPECT_EQ(st.restarts, c.restarts) << s.name;
    }
}

TEST(JitterBuffer, ReportsDepthAndTarget) {
    Harness h(depth(60));
    h.push(100, 0);
    h.advance_to(20);
    h.push(101, 160);
    auto st = h.buffer().stats();
    EXPECT_EQ(st.depth_ms, 40);
    EXPECT_EQ(st.target_ms, 60);
    EXPECT_EQ(st.jitter_ms, 0.0);
}

// The network: packet n is sent at 20·n ms and arrives `delay(n)` later; the buffer is popped
// every 20 ms, 10 ms off the sending grid.
struct Stream {
    Harness& harness;
    int next_seq = 0;
    std::vector<std::pair<int, int>> in_flight; // (arrival ms, seq)
    int now = 0;
    int missing = 0;
    int frames = 0;

    template <class Delay> void run_until(int end_ms, Delay delay) {
        for (; now < end_ms; ++now) {
            if (now % 20 == 0) {
                in_flight.emplace_back(now + delay(next_seq), next_seq);
                ++next_seq;
            }
            for (auto it = in_flight.begin(); it != in_flight.end();) {
                if (it->first == now) {
                    harness.advance_to(now);
                    harness.push(static_cast<std::uint16_t>(it->second),
                                 static_cast<std::uint32_t>(it->second * 160));
                    it = in_flight.erase(it);
                } else {
                    ++it;
                }
            }
            if (now % 20 == 10) {
                harness.advance_to(now);
                const auto popped = harness.pop();
                if (popped[0] == 'M') ++missing;
                if (popped[0] == 'F') ++frames;
            }
        }
    }
};

TEST(JitterBuffer, AdaptsUpUnderJitterAndBackDownWhenItCalms) {
    Harness h(depth(20, 200));
    Stream stream{h};
    constexpr int pattern[] = {0, 70, 10, 40, 5, 90, 20, 0, 60, 30}; // ms, peak 90
    const auto jittery = [&](int seq) { return pattern[seq % 10]; };
    const auto steady = [](int) { return 3; };

    stream.run_until(1000, steady);
    EXPECT_EQ(h.buffer().stats().target_ms, 20);
    EXPECT_EQ(h.buffer().stats().delay_ms, 7); // arrives at 20n + 3, played at 20n + 10
    EXPECT_EQ(stream.missing, 0);

    // Jitter: the target jumps to cover the 90 ms peak (a 90 ms wait + the tick's frame) and
    // the depth grows by waiting for overdue packets (a few arrive too late before the first
    // 90 ms delay has been seen) ...
    stream.run_until(6000, jittery);
    auto st = h.buffer().stats();
    EXPECT_EQ(st.target_ms, 110);
    EXPECT_GE(st.delay_ms, 90); // frames wait out the 90 ms peak
    EXPECT_GE(st.depth_ms, 40);
    EXPECT_GT(st.jitter_ms, 10.0);
    EXPECT_GT(stream.missing, 0);
    EXPECT_LE(st.late, 3u);
    // ... until it covers the jitter: from then on nothing is concealed, lost or late.
    const int missing_while_adapting = stream.missing;
    const auto lost_while_adapting = st.lost;
    const auto late_while_adapting = st.late;
    stream.run_until(11000, jittery);
    st = h.buffer().stats();
    EXPECT_EQ(stream.missing, missing_while_adapting);
    EXPECT_EQ(st.lost, lost_while_adapting);
    EXPECT_EQ(st.late, late_while_adapting);

    // Calm again: the target decays within seconds and the depth follows, one frame a second,
    // without a single concealed frame.
    const auto dropped_before = st.dropped;
    stream.run_until(41000, steady);
    st = h.buffer().stats();
    EXPECT_EQ(st.target_ms, 20);
    EXPECT_LE(st.depth_ms, 40);
    EXPECT_LE(st.delay_ms, 40);
    EXPECT_GE(st.dropped - dropped_before, 3u);
    EXPECT_EQ(stream.missing, missing_while_adapting);
    EXPECT_EQ(st.lost, lost_while_adapting);
    EXPECT_EQ(st.late, late_while_adapting);
    EXPECT_EQ(st.received + st.late, 2050u);
    // Every frame received was played, dropped to shrink, or is still held.
    EXPECT_EQ(static_cast<std::uint64_t>(stream.frames) + st.dropped +
                  static_cast<std::uint64_t>(st.depth_ms / 20),
              st.received);
}

TEST(JitterBuffer, TargetRisesAtOnceOnABurst) {
    Harness h(depth(20, 200));
    Stream stream{h};
    stream.run_until(2000, [](int) { return 0; });
    EXPECT_EQ(h.buffer().stats().target_ms, 20);
    // Packets 100..104 held up and delivered together, 100 ms late for the first.
    stream.run_until(2200,
                     [](int seq) { return seq >= 100 && seq <= 104 ? 100 - (seq - 100) * 20 : 0; });
    EXPECT_GE(h.buffer().stats().target_ms, 100);
}

// What real phones do (baresip sends from a timer polled every 4 ms: 0-4 ms of send jitter, and a
// spike of ~14 ms now and then). The wait follows the peak in microseconds: 4 ms of jitter cost
// 4 ms, not a frame; after a spike the buffer waits one frame longer, and once the spike is
// forgotten it plays as early as before (a frame earlier: 20 ms of latency won back).
TEST(JitterBuffer, AFewMillisecondsOfSendJitterCostAFewMillisecondsNotAFrame) {
    Harness h(depth(20, 200));
    Stream stream{h};
    constexpr int pattern[] = {0, 2, 4, 1, 3};
    const auto send_jitter = [&](int seq) { return seq == 100 ? 14 : pattern[seq % 5]; };

    stream.run_until(1900, send_jitter);
    auto st = h.buffer().stats();
    EXPECT_EQ(st.target_ms, 24); // a 4 ms wait, then the tick's frame
    EXPECT_EQ(st.delay_ms, 10);  // the fastest arrival is 20n, the tick 20n + 10
    EXPECT_EQ(stream.missing, 0);

    // Packet 100 arrives 14 ms late, after its tick: the buffer waits for it (one concealed
    // frame) and plays a frame later while the spike is remembered ...
    stream.run_until(2100, send_jitter);
    st = h.buffer().stats();
    EXPECT_EQ(stream.missing, 1);
    EXPECT_EQ(st.delay_ms, 30);
    EXPECT_EQ(st.lost, 0u);

    // ... and as early as before once the peak has decayed below the tick's margin.
    stream.run_until(10000, send_jitter);
    st = h.buffer().stats();
    EXPECT_EQ(st.delay_ms, 10);
    EXPECT_EQ(st.dropped, 1u);
    EXPECT_EQ(stream.missing, 1);
    EXPECT_EQ(st.lost, 0u);
    EXPECT_EQ(st.late, 0u);
}

TEST(JitterBuffer, ResetForgetsTheStream) {
    Harness h(depth(20));
    h.push(100, 0);
    h.advance_to(10);
    EXPECT_EQ(h.pop(), "F100");
    h.buffer().reset();
    EXPECT_EQ(h.pop(), "-");
    h.advance_to(20);
    EXPECT_EQ(h.push(7, 99999), JitterPush::stored); // any sequence starts a new stream
    h.advance_to(30);
    EXPECT_EQ(h.pop(), "F7");
}

// Hostile input (random sequence numbers, timestamps, sizes and timing, runs of restarts): frames
// still come out in sequence order with their own payload, and the depth never exceeds the
// maximum.
TEST(JitterBuffer, SurvivesRandomTraffic) {
    std::mt19937 random(7);
    JitterBuffer buffer(depth(20, 200));
    core::ManualClock clock;
    std::array<std::uint8_t, JitterBuffer::max_payload_bytes + 8> bytes{};
    std::uint16_t seq = 1000;
    std::uint32_t ts = 0;
    std::uint64_t frames = 0;
    std::uint64_t restarts = 0;
    std::int64_t last_played = -1;
    const auto note = [&](JitterPush result) {
        if (result != JitterPush::restarted) return;
        ++restarts;
        last_played = -1; // a new stream: its numbers start anywhere
    };
    for (int step = 0; step < 200000; ++step) {
        const int action = static_cast<int>(random() % 100);
        if (action < 45) { // the stream, with small jumps back and forth, and rare restarts
            if (random() % 500 == 0)
                seq = static_cast<std::uint16_t>(seq + 4000 + random() % 50000);
            seq = static_cast<std::uint16_t>(seq + static_cast<int>(random() % 7) - 2);
            ts += 160 * static_cast<std::uint32_t>(random() % 3);
            const auto size = 1 + random() % 40;
            bytes[0] = static_cast<std::uint8_t>(seq >> 8);
            bytes[1] = static_cast<std::uint8_t>(seq);
            note(buffer.push(seq, ts, std::span(bytes).first(std::max<std::size_t>(size, 2)),
                             clock.mono_now()));
        } else if (action < 50) { // anything at all
            const auto size = random() % bytes.size();
            note(buffer.push(static_cast<std::uint16_t>(random()),
                             static_cast<std::uint32_t>(random()), std::span(bytes).first(size),
                             clock.mono_now()));
        } else if (action < 80) {
            clock.advance(milliseconds(random() % 25));
        } else {
            const auto frame = buffer.pop(clock.mono_now());
            ASSERT_LE(buffer.stats().depth_ms, 200);
            if (frame.status != JitterPopStatus::frame) continue;
            ++frames;
            ASSERT_GE(frame.payload.size(), 2u);
            // The first two bytes of a stream packet name it; random packets are not checked.
            const auto named = static_cast<std::uint16_t>(frame.payload[0] << 8 | frame.payload[1]);
            if (named == frame.seq && last_played >= 0) {
                const auto advance = static_cast<std::uint16_t>(frame.seq - last_played);
                ASSERT_GT(advance, 0) << "step " << step;
                ASSERT_LT(advance, 0x8000) << "step " << step;
            }
            last_played = frame.seq;
        }
    }
    const auto st = buffer.stats();
    EXPECT_GT(frames, 1000u);
    EXPECT_GE(st.received, frames);
    EXPECT_EQ(st.restarts, restarts);
    EXPECT_GT(restarts, 0u);
}

// Slots are sized from the codec (a 60 ms packet fits): a payload of exactly the slot size is
// stored and played back byte for byte, also through a restart (the held probe packet); one byte
// more, or a whole datagram, is dropped and counted as oversize.
TEST(JitterBuffer, SlotSizeFollowsTheCodecAndOversizeIsDropped) {
    struct Case {
        CodecId codec;
        std::size_t slot;
    };
    for (const Case& c : {Case{CodecId::pcmu, 480}, Case{CodecId::pcma, 480},
                          Case{CodecId::g722, 480}, Case{CodecId::opus, 1275}}) {
        SCOPED_TRACE(std::string(to_string(c.codec)));
        const std::uint32_t ts_step = rtp_ticks_per_frame(c.codec);
        JitterBuffer buffer(JitterBufferConfig{.min_depth = milliseconds(20),
                                               .max_depth = milliseconds(160),
                                               .rtp_clock_rate = rtp_clock_rate(c.codec),
                                               .capacity = 2,
                                               .slot_bytes = jitter_slot_bytes(c.codec)});
        ASSERT_EQ(buffer.slot_bytes(), c.slot);
        // 16 slots of metadata + 17 payload areas (16 slots and the probe): nothing of 1,500.
        EXPECT_GE(buffer.memory_bytes(), 17 * c.slot);
        EXPECT_LE(buffer.memory_bytes(), 17 * c.slot + 16 * 32 + sizeof(JitterBuffer));

        core::ManualClock clock;
        // Each payload byte names its packet and position, to check what is played.
        const auto payload = [](std::uint16_t seq, std::size_t size) {
            std::vector<std::uint8_t> bytes(size);
            for (std::size_t i = 0; i < size; ++i)
                bytes[i] = static_cast<std::uint8_t>(seq * 31 + i);
            return bytes;
        };
        struct Push {
            std::uint16_t seq;
            std::size_t size;
            JitterPush expect;
        };
        const std::vector<Push> pushes{
            {100, c.slot, JitterPush::stored},
            {101, c.slot + 1, JitterPush::invalid},
            {102, 1, JitterPush::stored},
            {103, JitterBuffer::max_payload_bytes, JitterPush::invalid},
            {104, c.slot - 1, JitterPush::stored},
            {9000, c.slot + 1, JitterPush::invalid}, // oversize wins over the jump check
            {105, c.slot, JitterPush::stored},
        };
        for (const Push& p : pushes) {
            const std::uint32_t ts = (p.seq - 100U) * ts_step;
            EXPECT_EQ(buffer.push(p.seq, ts, payload(p.seq, p.size), clock.mono_now()), p.expect)
                << p.seq;
        }
        std::string played;
        const auto pop_all = [&](int count) {
            for (int i = 0; i < count; ++i) {
                clock.advance(milliseconds(20));
                const JitterFrame frame = buffer.pop(clock.mono_now());
                if (frame.status == JitterPopStatus::frame) {
                    const auto expected = payload(frame.seq, frame.payload.size());
                    EXPECT_TRUE(std::equal(frame.payload.begin(), frame.payload.end(),
                                           expected.begin(), expected.end()))
                        << frame.seq;
                    played.append("F").append(std::to_string(frame.seq)).append(":");
                    played.append(std::to_string(frame.payload.size())).append(" ");
                } else if (frame.status == JitterPopStatus::missing) {
                    played.append("M").append(std::to_string(frame.seq)).append(" ");
                }
            }
        };
        pop_all(6);
        const std::string s = std::to_string(c.slot);
        const std::string s1 = std::to_string(c.slot - 1);
        EXPECT_EQ(played, "F100:" + s + " M101 F102:1 M103 F104:" + s1 + " F105:" + s + " ");

        // A restart whose held probe packet fills its slot.
        played.clear();
        EXPECT_EQ(buffer.push(7000, 0, payload(7000, c.slot), clock.mono_now()),
                  JitterPush::probation);
        EXPECT_EQ(buffer.push(7001, ts_step, payload(7001, c.slot), clock.mono_now()),
                  JitterPush::restarted);
        pop_all(2);
        EXPECT_EQ(played, "F7000:" + s + " F7001:" + s + " ");

        const JitterStats st = buffer.stats();
        EXPECT_EQ(st.oversize, 3U);
        EXPECT_EQ(st.invalid, 3U);
        EXPECT_EQ(st.received, 6U);
        EXPECT_EQ(st.restarts, 1U);
    }
}

} // namespace
} // namespace suflyor::media

namespace suflyor::media {
namespace {

// A DTMF key press as phones send it (RFC 4733 §2.5.1.2): the event's packets take the audio's
// sequence numbers, all carry the event's start timestamp, the duration grows by 20 ms per
// packet, and the end packet goes out three times. Audio resumes after it with a timestamp that
// skipped the event's duration. The buffer plays silence for the event's time and nothing is
// concealed, lost, or added to its depth.
TEST(JitterBufferEvents, AKeyPressTakesItsTimeAsSilenceNotLoss) {
    Harness h(depth(40));
    std::vector<std::string> pops;
    int now = 0;
    std::uint16_t seq = 100;
    auto step = [&] {
        h.advance_to(now + 10);
        pops.push_back(h.pop());
        now += 20;
        h.advance_to(now);
    };
    for (int i = 0; i < 4; ++i) { // audio 100..103
        h.push(seq, static_cast<std::uint32_t>(now * 8));
        ++seq;
        step();
    }
    const auto start = static_cast<std::uint32_t>(now * 8);
    for (int i = 1; i <= 5; ++i) { // 5 updates: 20..100 ms, seq 104..108
        h.push_event(seq++, start, static_cast<std::uint16_t>(i * 160));
        step();
    }
    for (int i = 0; i < 3; ++i) // the end packet, three times: seq 109..111, no time added
        h.push_event(seq++, start, 800);
    for (int i = 0; i < 5; ++i) { // audio resumes: 112..116
        h.push(seq, static_cast<std::uint32_t>(now * 8));
        ++seq;
        step();
    }
    step();
    std::ostringstream joined;
    for (std::size_t i = 0; i < pops.size(); ++i)
        joined << (i ? " " : "") << pops[i];
    EXPECT_EQ(joined.str(),
              "- F100 F101 F102 F103 S104 S105 S106 S107 S108 F112 F113 F114 F115 F116");
    const JitterStats stats = h.buffer().stats();
    EXPECT_EQ(stats.concealed, 0u);
    EXPECT_EQ(stats.lost, 0u);
    EXPECT_EQ(stats.event_frames, 5u);
    EXPECT_EQ(stats.depth_ms, 0);
}

// baresip 1.0 goes on sending audio while a key is down: every 20 ms one audio packet and one
// event update, the event taking every other sequence number. The audio's timestamps never skip,
// so the event takes no play-out time: no silence, nothing concealed, and the depth and delay
// stay as they were (taking a frame per update deepened the buffer by the press's length).
TEST(JitterBufferEvents, AKeyPressBesideAudioTakesNoTime) {
    Harness h(depth(20));
    std::vector<std::string> pops;
    int now = 0;
    std::uint16_t seq = 100;
    std::uint32_t ts = 0;
    auto audio = [&] {
        h.push(seq++, ts);
        ts += 160;
    };
    auto step = [&] {
        h.advance_to(now + 10);
        pops.push_back(h.pop());
        now += 20;
        h.advance_to(now);
    };
    for (int i = 0; i < 4; ++i) { // audio 100..103
        audio();
        step();
    }
    const std::uint32_t start = ts;
    for (int i = 1; i <= 5; ++i) { // audio 104, 106, ..., 112; updates 105, ..., 113
        audio();
        h.push_event(seq++, start, static_cast<std::uint16_t>(i * 160));
        step();
    }
    for (int i = 0; i < 3; ++i) { // audio 114, 116, 118; the end packet 115, 117, 119
        audio();
        h.push_event(seq++, start, 800);
        step();
    }
    for (int i = 0; i < 3; ++i) { // audio 120..122
        audio();
        step();
    }
    std::ostringstream joined;
    for (std::size_t i = 0; i < pops.size(); ++i)
        joined << (i ? " " : "") << pops[i];
    EXPECT_EQ(joined.str(),
              "F100 F101 F102 F103 F104 F106 F108 F110 F112 F114 F116 F118 F120 F121 F122");
    const JitterStats stats = h.buffer().stats();
    EXPECT_EQ(stats.concealed, 0u);
    EXPECT_EQ(stats.lost, 0u);
    EXPECT_EQ(stats.event_frames, 0u);
    EXPECT_EQ(stats.depth_ms, 0);
    EXPECT_EQ(stats.delay_ms, 10);
}

// A key held down for 3 s beside audio: still no play-out time, and the buffer never mistakes the
// event's sequence numbers for slack (it would drop audio to shrink).
TEST(JitterBufferEvents, AKeyHeldForSecondsBesideAudioDropsNothing) {
    Harness h(depth(20));
    int now = 0;
    std::uint16_t seq = 100;
    std::uint32_t ts = 0;
    int frames = 0;
    for (int i = 0; i < 200; ++i) {
        h.push(seq++, ts);
        if (i >= 20 && i < 170) // the key, from 0.4 s to 3.4 s
            h.push_event(seq++, 3200, static_cast<std::uint16_t>((i - 19) * 160));
        ts += 160;
        h.advance_to(now + 10);
        if (h.pop()[0] == 'F') ++frames;
        now += 20;
        h.advance_to(now);
    }
    const JitterStats stats = h.buffer().stats();
    EXPECT_EQ(frames, 200);
    EXPECT_EQ(stats.dropped, 0u);
    EXPECT_EQ(stats.concealed, 0u);
    EXPECT_EQ(stats.event_frames, 0u);
    EXPECT_EQ(stats.delay_ms, 10);
}

// An event packet that is late, duplicated, or arrives before any audio holds no place.
TEST(JitterBufferEvents, StrayEventPacketsAreIgnored) {
    Harness h(depth(20));
    h.push_event(50, 0, 160); // before the stream: ignored
    h.push(100, 0);
    EXPECT_EQ(h.pop(), "F100");
    h.push_event(99, 0, 160); // behind the play-out point: ignored
    h.push_event(101, 160, 160);
    h.push_event(101, 160, 320); // duplicate number: ignored
    h.advance_to(20);
    EXPECT_EQ(h.pop(), "S101");
    h.push(102, 320);
    h.advance_to(40);
    EXPECT_EQ(h.pop(), "F102");
    EXPECT_EQ(h.buffer().stats().event_frames, 1u);
    EXPECT_EQ(h.buffer().stats().concealed, 0u);
}

} // namespace
} // namespace suflyor::media
