// Switching plans mid-stream keeps every output one continuous stream: same SSRC, sequence +1
// and timestamp +160 from packet to packet, across relay <-> mix transitions.
#include "engine_test_support.hpp"

namespace suflyor::media::test {
namespace {

class EngineSwitch : public EngineIo {};

void expect_continuous(const Peer& peer, const char* who) {
    const auto& packets = peer.packets();
    ASSERT_GT(packets.size(), 100U) << who;
    for (std::size_t i = 1; i < packets.size(); ++i) {
        const Received& a = packets[i - 1];
        const Received& b = packets[i];
        ASSERT_EQ(b.ssrc, packets[0].ssrc) << who << " packet " << i;
        ASSERT_EQ(static_cast<std::uint16_t>(b.seq - a.seq), 1) << who << " packet " << i;
        ASSERT_EQ(b.ts - a.ts, frame_bytes) << who << " packet " << i;
    }
}

TEST_P(EngineSwitch, RelayListenWhisperListenRelayIsSeamless) {
    MonitoredCall call(io_config());
    const MixPlan phases[] = {relay_plan(), listen_plan(), whisper_plan(), listen_plan(),
                              relay_plan()};
    for (const MixPlan& plan : phases) {
        call.set_plan(plan);
        call.run(50);
    }
    expect_continuous(call.c, "client");
    expect_continuous(call.o, "operator");
    // The operator's stream went relay -> mix (whisper) -> relay: one packet per frame throughout.
    EXPECT_EQ(call.o.packets().size(), 250U);
    EXPECT_EQ(call.c.packets().size(), 250U);
    // The supervisor heard the call only in listen/whisper: 150 frames, minus jitter-buffer fill.
    EXPECT_GE(call.s.packets().size(), 140U);
    EXPECT_LE(call.s.packets().size(), 150U);
    expect_continuous(call.s, "supervisor");
}

TEST_P(EngineSwitch, WhisperToBargeAndBackKeepsTheClientStream) {
    MonitoredCall call(io_config());
    for (const MixPlan& plan : {whisper_plan(), barge_plan(), whisper_plan(), relay_plan()}) {
        call.set_plan(plan);
        call.run(60);
    }
    expect_continuous(call.c, "client");
    expect_continuous(call.o, "operator");
}

INSTANTIATE_IO(EngineSwitch);

} // namespace
} // namespace suflyor::media::test
