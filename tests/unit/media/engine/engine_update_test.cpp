// Mid-call changes through real sockets: a re-INVITE moving a leg to a new address (and codec),
// RFC 4733 DTMF into a mixed output, and a sender restarting its sequence. Every output stays one
// continuous stream: same SSRC, sequence +1 per packet, audio timestamps +160 per frame.
#include "engine_test_support.hpp"
#include "media/engine/leg.hpp"

#include <string>
#include <tuple>

namespace suflyor::media::test {
namespace {

using suflyor::test::check_tones;
using suflyor::test::tone_a_hz; // client
using suflyor::test::tone_b_hz; // operator
using suflyor::test::tone_c_hz; // supervisor
using suflyor::test::ToneExpectation;

// Audio packets advance the timestamp by one frame. RFC 4733 packets (one event per test) all
// carry the event's timestamp: where the audio stream stood when the event began, i.e. the
// timestamp of the audio packet that follows the event's first packet.
void expect_continuous(const std::vector<Received>& packets, const char* who,
                       std::size_t expected_count) {
    ASSERT_EQ(packets.size(), expected_count) << who;
    const Received* last_audio = nullptr;
    const Received* first_event = nullptr;
    bool audio_since_event = false;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const Received& p = packets[i];
        ASSERT_EQ(p.ssrc, packets[0].ssrc) << who << " packet " << i;
        if (i > 0) {
            ASSERT_EQ(static_cast<std::uint16_t>(p.seq - packets[i - 1].seq), 1)
                << who << " packet " << i;
        }
        if (p.payload_type == dtmf_pt) {
            if (first_event == nullptr) first_event = &p;
            ASSERT_EQ(p.ts, first_event->ts) << who << " event packet " << i;
            continue;
        }
        if (last_audio != nullptr) {
            ASSERT_EQ(p.ts - last_audio->ts, frame_bytes) << who << " packet " << i;
        }
        if (first_event != nullptr && !audio_since_event) {
            ASSERT_EQ(p.ts, first_event->ts) << who << " audio after the event start " << i;
            audio_since_event = true;
        }
        last_audio = &p;
    }
}

std::vector<Received> concat(const std::vector<Received>& a, const std::vector<Received>& b) {
    std::vector<Received> all = a;
    all.insert(all.end(), b.begin(), b.end());
    return all;
}

struct UpdateCase {
    std::string name;
    bool alaw; // the re-INVITE also moves the client from PCMU to PCMA
};

class EngineDtmfMixed : public EngineIo {};
class EngineRestartIo : public EngineIo {};

class EngineUpdateLeg : public testing::TestWithParam<std::tuple<UpdateCase, IoBackend>> {};

TEST_P(EngineUpdateLeg, NewRemoteTakesEffectAndOutputsStayContinuous) {
    const UpdateCase& tc = std::get<0>(GetParam());
    MonitoredCall call(test_config(200, std::get<1>(GetParam())), nullptr, false);
    call.set_plan(relay_plan());
    call.run(50, false);

    // The client's phone moves (re-INVITE): new socket, new SSRC, maybe a new codec.
    Peer moved(tone_a_hz, -12.0, 0x4444);
    if (tc.alaw) moved.use_alaw();
    call.engine.update_leg(call.hc.id, moved.media());
    pump(call.engine);
    for (int i = 0; i < 100; ++i) {
        call.c.send_frame(call.hc.rtp_port); // the old address keeps sending: must be dropped
        moved.send_frame(call.hc.rtp_port);
        call.o.send_frame(call.ho.rtp_port);
        pump(call.engine);
        call.clock.advance(20ms);
        call.engine.tick();
        call.c.drain();
        moved.drain();
        call.o.drain();
    }

    // The operator's stream: one packet per frame, continuous through the change (relay -> mix
    // when the codecs now differ).
    expect_continuous(call.o.packets(), "operator", 150);
    // The client's stream moved to the new address at once, continuing the same sequence.
    EXPECT_EQ(call.c.packets().size(), 50U) << "media still sent to the old address";
    expect_continuous(concat(call.c.packets(), moved.packets()), "client", 150);
    for (const Received& p : moved.packets())
        ASSERT_EQ(p.payload_type, tc.alaw ? pcma_pt : pcmu_pt);

    // Audio: the operator hears the moved client (after the jitter buffer's fill on the mix path)
    // and the moved client hears the operator.
    const std::vector<ToneExpectation> operator_hears{{tone_a_hz, true}, {tone_b_hz, false}};
    const auto ro = check_tones(call.o.heard(), 8000, 1.3, 3.0, operator_hears);
    EXPECT_TRUE(ro.ok) << ro.failures;
    const std::vector<ToneExpectation> client_hears{{tone_b_hz, true}, {tone_a_hz, false}};
    const auto rc = check_tones(moved.heard(), 8000, 0.3, 2.0, client_hears);
    EXPECT_TRUE(rc.ok) << rc.failures;

    call.engine.request_stats(call.room);
    pump(call.engine);
    bool seen = false;
    for (const Event& e : events_of(call.engine)) {
        if (e.kind != EventKind::stats || e.slot != client) continue;
        seen = true;
        EXPECT_EQ(e.stats.source, moved.endpoint());
        // The old address's packets: foreign, or (once the leg expects PCMA) of the wrong type.
        EXPECT_EQ(e.stats.dropped_foreign_source, tc.alaw ? 0U : 100U);
        EXPECT_EQ(e.stats.dropped_other, tc.alaw ? 100U : 0U);
        EXPECT_EQ(e.stats.packets_in, 150U);
        EXPECT_EQ(e.stats.relayed > 0 && e.stats.mixed > 0, tc.alaw);
    }
    EXPECT_TRUE(seen);
}

INSTANTIATE_TEST_SUITE_P(ReInvite, EngineUpdateLeg,
                         testing::Combine(testing::Values(UpdateCase{"address", false},
                                                          UpdateCase{"address_and_codec", true}),
                                          testing::Values(IoBackend::epoll, IoBackend::io_uring)),
                         [](const testing::TestParamInfo<std::tuple<UpdateCase, IoBackend>>& info) {
                             return std::string(std::get<0>(info.param).name) + "_" +
                                    io_name(std::get<1>(info.param));
                         });

TEST_P(EngineDtmfMixed, ClientDigitReachesTheWhisperedOperatorInItsMixedStream) {
    MonitoredCall call(io_config());
    call.set_plan(whisper_plan());
    call.run(50);
    (void)events_of(call.engine);

    // Client presses 7 over five frames while its audio goes on: start (marker), three updates,
    // then the end packet three times, as RFC 4733 senders do.
    const std::uint32_t event_ts = call.c.timestamp();
    int sent_events = 0;
    for (int i = 0; i < 5; ++i) {
        const auto duration = static_cast<std::uint16_t>((i + 1) * 160);
        call.c.send_frame(call.hc.rtp_port);
        if (i < 4) {
            call.c.send_event(call.hc.rtp_port, 7, i == 0, false, duration, event_ts);
            ++sent_events;
        } else {
            for (int r = 0; r < 3; ++r, ++sent_events)
                call.c.send_event(call.hc.rtp_port, 7, false, true, duration, event_ts);
        }
        call.o.send_frame(call.ho.rtp_port);
        call.s.send_frame(call.hs.rtp_port);
        pump(call.engine);
        call.clock.advance(20ms);
        call.engine.tick();
        call.c.drain();
        call.o.drain();
        call.s.drain();
    }
    call.run(20);

    // The operator's output is mixed (client + supervisor) in whisper: 75 audio frames plus every
    // event packet, all in one sequence space.
    expect_continuous(call.o.packets(), "operator", 75U + static_cast<std::size_t>(sent_events));
    std::vector<std::uint16_t> durations;
    std::size_t ends = 0;
    bool first_marked = false;
    for (const Received& p : call.o.packets()) {
        if (p.payload_type != dtmf_pt) continue;
        ASSERT_EQ(p.payload.size(), 4U);
        EXPECT_EQ(p.payload[0], 7);
        if (durations.empty()) first_marked = p.marker;
        durations.push_back(static_cast<std::uint16_t>(p.payload[2] << 8 | p.payload[3]));
        if ((p.payload[1] & 0x80) != 0) ++ends;
    }
    EXPECT_TRUE(first_marked) << "the event's first packet keeps its marker";
    EXPECT_EQ(durations, (std::vector<std::uint16_t>{160, 320, 480, 640, 800, 800, 800}));
    EXPECT_EQ(ends, 3U);
    // The mixed stream kept carrying the client's voice and the whisper.
    const std::vector<ToneExpectation> operator_hears{
        {tone_a_hz, true}, {tone_c_hz, true}, {tone_b_hz, false}};
    const auto ro = check_tones(call.o.heard(), 8000, 0.2, 1.5, operator_hears);
    EXPECT_TRUE(ro.ok) << ro.failures;
    // The client never gets its own digit back, and it was relayed nothing but audio.
    for (const Received& p : call.c.packets())
        EXPECT_NE(p.payload_type, dtmf_pt);
    expect_continuous(call.c.packets(), "client", 75);
}

// A sender restarting its sequence (same SSRC, big jump) on a mix input: the jitter buffer
// restarts, the decoder is reset, and the operator keeps hearing the client without a break in
// its stream.
TEST_P(EngineRestartIo, SequenceJumpOnAMixInputKeepsTheMixedOutputGoing) {
    MonitoredCall call(io_config());
    call.set_plan(whisper_plan());
    call.run(50);
    call.c.skip(20000); // a restart: far beyond RFC 3550's MAX_DROPOUT
    call.run(100);
    expect_continuous(call.o.packets(), "operator", 150);
    const std::vector<ToneExpectation> operator_hears{
        {tone_a_hz, true}, {tone_c_hz, true}, {tone_b_hz, false}};
    // From 0.3 s after the jump (the receive and jitter-buffer probations, then the refill).
    const auto ro = check_tones(call.o.heard(), 8000, 1.3, 3.0, operator_hears);
    EXPECT_TRUE(ro.ok) << ro.failures;
}

// The reset itself, at the seam the room uses: only a confirmed restart resets the decoder.
class CountingDecoder final : public Decoder {
public:
    CountingDecoder() : Decoder(CodecParams{}) {}
    CodecResult decode(std::span<const std::uint8_t>, std::span<std::int16_t>) noexcept override {
        return {};
    }
    CodecResult conceal(std::span<std::int16_t>) noexcept override { return {}; }
    void reset() noexcept override { ++resets; }
    int resets = 0;
};

TEST(EngineRestart, PushMixInputResetsTheDecoderOnlyOnAConfirmedRestart) {
    JitterBuffer jitter(JitterBufferConfig{.capacity = 16});
    CountingDecoder decoder;
    const std::array<std::uint8_t, frame_bytes> payload{};
    core::MonoTime now{};
    struct Step {
        std::uint16_t seq;
        std::uint32_t ts;
        JitterPush expected;
        int resets_after;
    };
    const Step steps[] = {
        {100, 16000, JitterPush::stored, 0},     {101, 16160, JitterPush::stored, 0},
        {101, 16160, JitterPush::duplicate, 0},  {102, 16320, JitterPush::stored, 0},
        {30000, 900, JitterPush::probation, 0}, // a stray jump alone: no reset yet
        {30001, 1060, JitterPush::restarted, 1}, {30002, 1220, JitterPush::stored, 1},
    };
    for (const Step& step : steps) {
        SCOPED_TRACE(step.seq);
        EXPECT_EQ(push_mix_input(jitter, &decoder, step.seq, step.ts, payload, now), step.expected);
        EXPECT_EQ(decoder.resets, step.resets_after);
        now += 20ms;
    }
    // Without a decoder (not yet prepared) the push still works.
    EXPECT_EQ(push_mix_input(jitter, nullptr, 30003, 1380, payload, now), JitterPush::stored);
}

INSTANTIATE_IO(EngineDtmfMixed);
INSTANTIATE_IO(EngineRestartIo);

} // namespace
} // namespace suflyor::media::test
