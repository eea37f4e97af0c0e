// Strict source learning (RTP bleed, CVE-2017-14099), malformed datagrams, and the relay path's
// byte-exact forwarding.
#include "engine_test_support.hpp"

#include <random>

namespace suflyor::media::test {
namespace {

class EngineSourceLearning : public EngineIo {};
class EngineMalformed : public EngineIo {};
class EngineRelay : public EngineIo {};
class EngineDtmf : public EngineIo {};

std::size_t packets_with_payload_byte(const Peer& peer, std::uint8_t byte) {
    std::size_t n = 0;
    for (const auto& p : peer.packets())
        if (!p.payload.empty() && p.payload[0] == byte) ++n;
    return n;
}

TEST_P(EngineSourceLearning, StrictLegDropsEveryOtherSource) {
    MonitoredCall call(io_config(), nullptr, false);
    call.set_plan(relay_plan());
    Peer attacker(700.0, -12.0, 0x6666);
    const std::array<std::uint8_t, frame_bytes> marked = [] {
        std::array<std::uint8_t, frame_bytes> a{};
        a.fill(0x55);
        return a;
    }();
    for (int i = 0; i < 50; ++i) {
        call.c.send_frame(call.hc.rtp_port);
        call.o.send_frame(call.ho.rtp_port);
        attacker.send_frame(call.hc.rtp_port, marked); // in sequence, right payload type
        pump(call.engine);
        call.clock.advance(20ms);
        call.engine.tick();
        call.c.drain();
        call.o.drain();
        attacker.drain();
    }
    EXPECT_EQ(packets_with_payload_byte(call.o, 0x55), 0U) << "injected audio reached the operator";
    EXPECT_EQ(call.o.packets().size(), 50U);
    EXPECT_TRUE(attacker.packets().empty()) << "the attacker was sent media (RTP bleed)";
    EXPECT_EQ(call.c.packets().size(), 50U);
    const LegStats stats = leg_stats(call.engine, call.room, client);
    EXPECT_EQ(stats.dropped_foreign_source, 50U);
    EXPECT_EQ(stats.packets_in, 50U);
    EXPECT_EQ(stats.source, call.c.endpoint());
}

TEST_P(EngineSourceLearning, NatLegLatchesAfterProbationAndCannotBeStolen) {
    core::ManualClock clock;
    MediaEngine engine(io_config(), clock);
    // The phone sends from its public address (the signalling's IP, 127.0.0.1 here); the SDP
    // named a private address that never sends. The attacker is another host (127.0.0.2).
    Peer real(443.0, -12.0, 0x1234), op(1061.0, -12.0, 0x4321);
    Peer attacker(700.0, -12.0, 0x6666, ipv4_loopback + 1);
    const RoomId room = engine.create_room();
    LegMedia sdp = real.media();
    sdp.remote = Endpoint{ipv4_loopback + 8, 9}; // the private address the SDP named (127.0.0.9)
    sdp.signalling_ipv4 = ipv4_loopback;
    const auto hc = engine.add_leg(room, LegSpec{.media = sdp, .nat = true});
    const auto ho = engine.add_leg(room, LegSpec{.media = op.media()});
    engine.set_plan(room, relay_plan());
    pump(engine);

    const std::array<std::uint8_t, frame_bytes> marked = [] {
        std::array<std::uint8_t, frame_bytes> a{};
        a.fill(0x55);
        return a;
    }();
    auto frame = [&](Peer* client, bool attack) {
        if (client != nullptr) client->send_frame(hc.rtp_port);
        op.send_frame(ho.rtp_port);
        if (attack) attacker.send_frame(hc.rtp_port, marked);
        pump(engine);
        clock.advance(20ms);
        engine.tick();
        if (client != nullptr) client->drain();
        op.drain();
        attacker.drain();
    };
    const std::size_t probation_drops = EngineConfig{}.nat_probation - 1;
    // Before the phone talks, an attacker from another IP sprays in-sequence RTP: never learned.
    for (int i = 0; i < 20; ++i)
        frame(nullptr, true);
    EXPECT_TRUE(attacker.packets().empty()) << "the attacker was sent the operator's media";
    EXPECT_EQ(packets_with_payload_byte(op, 0x55), 0U);
    for (int i = 0; i < 50; ++i)
        frame(&real, false);
    // Probation: the first nat_probation - 1 packets are dropped, then the source latches.
    const auto latch_events = events_of(engine);
    const auto latched =
        std::count_if(latch_events.begin(), latch_events.end(), [&](const Event& e) {
            return e.kind == EventKind::source_latched && e.endpoint == real.endpoint();
        });
    EXPECT_EQ(latched, 1);
    EXPECT_EQ(op.packets().size(), 50U - probation_drops);
    EXPECT_GT(real.packets().size(), 0U) << "media goes to the latched source";

    // While the real source talks, an in-sequence stream from elsewhere never takes over.
    const std::size_t real_before = real.packets().size();
    for (int i = 0; i < 50; ++i)
        frame(&real, true);
    EXPECT_EQ(packets_with_payload_byte(op, 0x55), 0U);
    EXPECT_TRUE(attacker.packets().empty());
    EXPECT_EQ(real.packets().size(), real_before + 50);
    EXPECT_EQ(leg_stats(engine, room, client).dropped_foreign_source, 20U + probation_drops + 50U);

    // The phone falls silent beyond relatch_idle: the attacker still never gets in.
    clock.advance(EngineConfig{}.relatch_idle);
    for (int i = 0; i < 100; ++i)
        frame(nullptr, true);
    EXPECT_EQ(packets_with_payload_byte(op, 0x55), 0U);
    EXPECT_TRUE(attacker.packets().empty());

    // A NAT rebinding: the phone's IP sends from a new port; after probation it is the source.
    Peer rebound(443.0, -12.0, 0x1235);
    for (int i = 0; i < 10; ++i)
        frame(&rebound, true);
    EXPECT_EQ(leg_stats(engine, room, client).source, rebound.endpoint());
    EXPECT_GT(rebound.packets().size(), 0U);
    EXPECT_TRUE(attacker.packets().empty());
    EXPECT_EQ(packets_with_payload_byte(op, 0x55), 0U);
}

TEST_P(EngineMalformed, EveryBadDatagramIsCountedAndDropped) {
    MonitoredCall call(io_config(), nullptr, false);
    call.set_plan(relay_plan());
    struct Bad {
        const char* name;
        std::vector<std::uint8_t> bytes;
        bool malformed; // else counted as "other"
    };
    auto header = [](std::uint8_t b0, std::uint8_t b1) {
        std::vector<std::uint8_t> v{b0, b1, 0, 1, 0, 0, 0, 160, 0, 0, 0x11, 0x11};
        return v;
    };
    std::vector<Bad> table{
        {"one byte", {0x80}, false}, // unknown: no second byte
        {"eleven bytes", {0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, true},
        {"stun first byte", {0x00, 0x01, 0, 0}, false},
        {"dtls first byte", {0x16, 0xfe, 0xfd}, false},
        {"version 1", {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1}, false},
        {"csrc past end",
         [&] {
             auto v = header(0x8F, 0);
             v.push_back(1);
             return v;
         }(),
         true},
        {"extension past end",
         [&] {
             auto v = header(0x90, 0);
             v.insert(v.end(), {0xBE, 0xDE, 0, 9});
             return v;
         }(),
         true},
        {"padding count 0",
         [&] {
             auto v = header(0xA0, 0);
             v.insert(v.end(), {1, 2, 0});
             return v;
         }(),
         true},
        {"padding too long",
         [&] {
             auto v = header(0xA0, 0);
             v.insert(v.end(), {1, 200});
             return v;
         }(),
         true},
        {"empty payload", header(0x80, 0), true},
        {"unknown payload type",
         [&] {
             auto v = header(0x80, 8);
             v.push_back(0xff);
             return v;
         }(),
         false},
        {"short telephone-event",
         [&] {
             auto v = header(0x80, dtmf_pt);
             v.insert(v.end(), {1, 2});
             return v;
         }(),
         true},
        {"oversize datagram", std::vector<std::uint8_t>(1600, 0x80), true},
        {"rtcp garbage (mux)", {0x80, 200, 0, 40, 1, 2, 3}, true},
    };
    std::uint64_t malformed = 0, other = 0;
    for (const Bad& bad : table) {
        call.c.send_raw(bad.bytes, call.hc.rtp_port);
        (bad.malformed ? malformed : other) += 1;
    }
    pump(call.engine);
    call.run(10); // the leg still works afterwards
    const LegStats stats = leg_stats(call.engine, call.room, client);
    EXPECT_EQ(stats.dropped_malformed, malformed);
    EXPECT_EQ(stats.dropped_other, other);
    EXPECT_EQ(stats.packets_in, 10U);
    EXPECT_EQ(call.o.packets().size(), 10U);
}

TEST_P(EngineRelay, PayloadBytesPassUntouchedWithOwnHeader) {
    MonitoredCall call(io_config(), nullptr, false);
    call.set_plan(relay_plan());
    std::mt19937 random(42);
    std::vector<std::array<std::uint8_t, frame_bytes>> sent(100);
    for (auto& payload : sent) {
        for (auto& b : payload)
            b = static_cast<std::uint8_t>(random());
        call.c.send_frame(call.hc.rtp_port, payload);
        pump(call.engine);
        call.clock.advance(20ms);
        call.engine.tick();
        call.o.drain();
    }
    ASSERT_EQ(call.o.packets().size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const Received& got = call.o.packets()[i];
        ASSERT_EQ(got.payload, std::vector<std::uint8_t>(sent[i].begin(), sent[i].end())) << i;
        EXPECT_NE(got.ssrc, 0x1111U) << "the output has its own SSRC";
        EXPECT_EQ(got.payload_type, pcmu_pt);
    }
    EXPECT_TRUE(call.o.packets()[0].marker);
}

TEST_P(EngineDtmf, RelayedBetweenClientAndOperatorAndReportedFromSupervisor) {
    MonitoredCall call(io_config());
    call.set_plan(listen_plan());
    (void)events_of(call.engine);
    // Client presses 5: start (marker), update, 3 × end, as RFC 4733 senders do.
    const std::uint32_t ts = call.c.timestamp();
    call.c.send_event(call.hc.rtp_port, 5, true, false, 160, ts);
    call.c.send_event(call.hc.rtp_port, 5, false, false, 320, ts);
    for (int i = 0; i < 3; ++i)
        call.c.send_event(call.hc.rtp_port, 5, false, true, 480, ts);
    // Supervisor presses #.
    const std::uint32_t sts = call.s.timestamp();
    call.s.send_event(call.hs.rtp_port, 11, true, false, 160, sts);
    call.s.send_event(call.hs.rtp_port, 11, false, true, 320, sts);
    pump(call.engine);
    call.o.drain();
    std::size_t events = 0;
    for (const auto& p : call.o.packets()) {
        if (p.payload_type != dtmf_pt) continue;
        ++events;
        EXPECT_EQ(p.payload[0], 5);
    }
    EXPECT_EQ(events, 5U) << "every RFC 4733 packet of the client reaches the operator";
    std::vector<char> digits;
    for (const Event& e : events_of(call.engine))
        if (e.kind == EventKind::dtmf) {
            digits.push_back(e.digit);
            EXPECT_EQ(e.slot, supervisor);
        }
    EXPECT_EQ(digits, std::vector<char>{'#'}) << "one report per key press, supervisor only";
}

// The supervisor's keypad is a control channel (4/5/6 switch the mode): in barge, where the
// client and the operator both hear the supervisor, not one of its RFC 4733 packets reaches them,
// every digit is reported once, and the digit's sequence numbers are no loss in their mixes.
TEST_P(EngineDtmf, SupervisorDigitsReachNobodyAndAreNoLossInTheMix) {
    MonitoredCall call(io_config());
    call.set_plan(barge_plan());
    call.run(10);
    (void)events_of(call.engine);
    const LegStats before = leg_stats(call.engine, call.room, supervisor);
    // The supervisor presses 6, then 4, each a start, two updates and the end three times, with
    // no audio meanwhile (the packets take the audio's sequence numbers).
    for (const std::uint8_t event : {6, 4}) {
        const std::uint32_t ts = call.s.timestamp();
        call.run(1, false,
                 [&](int) { call.s.send_event(call.hs.rtp_port, event, true, false, 160, ts); });
        call.run(1, false,
                 [&](int) { call.s.send_event(call.hs.rtp_port, event, false, false, 320, ts); });
        call.run(1, false, [&](int) {
            call.s.send_event(call.hs.rtp_port, event, false, false, 480, ts);
            for (int i = 0; i < 3; ++i)
                call.s.send_event(call.hs.rtp_port, event, false, true, 480, ts);
        });
        call.run(10);
    }
    for (const Peer* peer : {&call.c, &call.o})
        for (const auto& p : peer->packets())
            EXPECT_NE(p.payload_type, dtmf_pt) << "a control digit reached a party";
    std::vector<char> digits;
    for (const Event& e : events_of(call.engine))
        if (e.kind == EventKind::dtmf) digits.push_back(e.digit);
    EXPECT_EQ(digits, (std::vector<char>{'6', '4'}));
    const LegStats after = leg_stats(call.engine, call.room, supervisor);
    EXPECT_EQ(after.concealed, before.concealed) << "a key press concealed as a loss";
    EXPECT_EQ(after.dtmf_digits, 2U);
}

INSTANTIATE_IO(EngineSourceLearning);
INSTANTIATE_IO(EngineMalformed);
INSTANTIATE_IO(EngineRelay);
INSTANTIATE_IO(EngineDtmf);

} // namespace
} // namespace suflyor::media::test
