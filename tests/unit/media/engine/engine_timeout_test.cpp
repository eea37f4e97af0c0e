// rtp_timeout: a leg that stops sending is reported once, no earlier than rtp_timeout after its
// last packet and within the one-second check granularity after it; a leg that keeps sending is
// never reported; the next packet re-arms the event.
#include "engine_test_support.hpp"

namespace suflyor::media::test {
namespace {

class EngineRtpTimeout : public EngineIo {};

constexpr auto timeout = 3000ms;

struct TimeoutEvent {
    std::uint8_t slot;
    std::chrono::milliseconds at;
};

TEST_P(EngineRtpTimeout, FiresOnceForTheSilentLegOnlyAndRearms) {
    EngineConfig config = io_config();
    config.rtp_timeout = timeout;
    MonitoredCall call(config, nullptr, false);
    call.set_plan(relay_plan());
    std::vector<TimeoutEvent> timeouts;
    auto now = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            call.clock.mono_now().time_since_epoch());
    };
    // frames × 20 ms; the operator always talks, the client only when told.
    auto run = [&](int frames, bool client_talks) {
        for (int i = 0; i < frames; ++i) {
            if (client_talks) call.c.send_frame(call.hc.rtp_port);
            call.o.send_frame(call.ho.rtp_port);
            pump(call.engine);
            call.clock.advance(20ms);
            call.engine.tick();
            call.c.drain();
            call.o.drain();
            for (const Event& e : events_of(call.engine))
                if (e.kind == EventKind::rtp_timeout) timeouts.push_back({e.slot, now()});
        }
    };

    run(100, true); // 2 s of both talking
    ASSERT_TRUE(timeouts.empty());
    const auto client_last_rx = now() - 20ms; // the last client packet arrived before the advance

    // The client falls silent: nothing before rtp_timeout, one event within the next second.
    const int quiet_frames_before = static_cast<int>((timeout - 20ms) / 20ms);
    run(quiet_frames_before, false);
    EXPECT_TRUE(timeouts.empty()) << "reported before rtp_timeout elapsed";
    run(50, false);
    ASSERT_EQ(timeouts.size(), 1U);
    EXPECT_EQ(timeouts[0].slot, client);
    EXPECT_GE(timeouts[0].at, client_last_rx + timeout);
    EXPECT_LE(timeouts[0].at, client_last_rx + timeout + 1000ms);

    // Still silent for much longer: no repeat.
    run(500, false);
    EXPECT_EQ(timeouts.size(), 1U);

    // The client talks again (re-arms), then falls silent again: a second event.
    run(50, true);
    EXPECT_EQ(timeouts.size(), 1U);
    const auto second_last_rx = now() - 20ms;
    run(static_cast<int>((timeout + 1000ms) / 20ms), false);
    ASSERT_EQ(timeouts.size(), 2U);
    EXPECT_EQ(timeouts[1].slot, client);
    EXPECT_GE(timeouts[1].at, second_last_rx + timeout);
    EXPECT_LE(timeouts[1].at, second_last_rx + timeout + 1000ms);

    // The operator, talking throughout, was never reported.
    for (const TimeoutEvent& t : timeouts)
        EXPECT_NE(t.slot, operator_);
    // Media kept flowing to the client the whole time.
    EXPECT_EQ(call.c.packets().size(), 100U + quiet_frames_before + 50U + 500U + 50U +
                                           static_cast<std::size_t>((timeout + 1000ms) / 20ms));
}

// A renegotiated leg (update_leg: an answer, a hold or a resume) gets a fresh timeout window: a
// timeout noted earlier (e.g. while the call was on hold) is re-armed without any packet, so a
// phone that never sends again after a resume is still reported.
TEST_P(EngineRtpTimeout, UpdateLegRearmsWithoutAPacket) {
    EngineConfig config = io_config();
    config.rtp_timeout = timeout;
    MonitoredCall call(config, nullptr, false);
    call.set_plan(relay_plan());
    std::vector<std::chrono::milliseconds> client_timeouts;
    auto now = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            call.clock.mono_now().time_since_epoch());
    };
    auto run = [&](int frames, bool client_talks) {
        for (int i = 0; i < frames; ++i) {
            if (client_talks) call.c.send_frame(call.hc.rtp_port);
            call.o.send_frame(call.ho.rtp_port);
            pump(call.engine);
            call.clock.advance(20ms);
            call.engine.tick();
            call.c.drain();
            call.o.drain();
            for (const Event& e : events_of(call.engine))
                if (e.kind == EventKind::rtp_timeout && e.slot == client)
                    client_timeouts.push_back(now());
        }
    };

    run(50, true);
    run(static_cast<int>((timeout + 1000ms) / 20ms), false);
    ASSERT_EQ(client_timeouts.size(), 1U); // noted (as during a hold)

    call.engine.update_leg(call.hc.id, call.c.media()); // the resume's answer
    pump(call.engine);
    const auto renegotiated = now();
    run(static_cast<int>((timeout - 100ms) / 20ms), false);
    EXPECT_EQ(client_timeouts.size(), 1U) << "reported before a full window after the update";
    run(static_cast<int>(1200ms / 20ms), false);
    ASSERT_EQ(client_timeouts.size(), 2U);
    EXPECT_GE(client_timeouts[1], renegotiated + timeout);
    EXPECT_LE(client_timeouts[1], renegotiated + timeout + 1100ms);
}

INSTANTIATE_IO(EngineRtpTimeout);

} // namespace
} // namespace suflyor::media::test
