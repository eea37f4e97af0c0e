// Media hijacking through the engine's sockets, on both I/O backends: a stranger on another
// loopback address (127.0.0.2) sends in-sequence RTP of the right payload type at a call's ports
// before the operator's phone answered, and while the client's phone pauses longer than
// relatch_idle. It is never learned: it is sent nothing, nobody hears it, and the real phone is
// heard again when it resumes.
#include "engine_test_support.hpp"

namespace suflyor::media::test {
namespace {

class EngineHijack : public EngineIo {};

constexpr std::uint32_t stranger_ip = ipv4_loopback + 1; // 127.0.0.2
constexpr std::uint8_t stranger_byte = 0x55;

std::size_t packets_with_payload_byte(const Peer& peer, std::uint8_t byte) {
    std::size_t n = 0;
    for (const auto& p : peer.packets())
        if (!p.payload.empty() && p.payload[0] == byte) ++n;
    return n;
}

std::array<std::uint8_t, frame_bytes> stranger_payload() {
    std::array<std::uint8_t, frame_bytes> a{};
    a.fill(stranger_byte);
    return a;
}

// Both legs as the app makes them: NAT, learning only from the signalling's IP (127.0.0.1).
LegSpec nat_leg(LegMedia media) {
    media.signalling_ipv4 = ipv4_loopback;
    return LegSpec{.media = media, .nat = true};
}

TEST_P(EngineHijack, AStrangerAtACallsPortsBeforeTheAnswerIsNeverLearned) {
    core::ManualClock clock;
    MediaEngine engine(io_config(), clock);
    Peer c(443.0, -12.0, 0x1111), o(1061.0, -12.0, 0x2222);
    // One in-sequence stream per port (a Peer numbers its packets across ports).
    Peer stranger_c(700.0, -12.0, 0x6666, stranger_ip),
        stranger_o(700.0, -12.0, 0x6667, stranger_ip);
    const RoomId room = engine.create_room();
    const auto hc = engine.add_leg(room, nat_leg(c.media()));
    LegMedia offer = o.media(); // our own offer is out: codec known, the phone's address not yet
    offer.remote = Endpoint{};
    const auto ho = engine.add_leg(room, nat_leg(offer));
    engine.set_plan(room, relay_plan());
    pump(engine);
    const auto payload = stranger_payload();
    auto frame = [&](bool client_talks, bool op_talks) {
        if (client_talks) c.send_frame(hc.rtp_port);
        if (op_talks) o.send_frame(ho.rtp_port);
        stranger_c.send_frame(hc.rtp_port, payload);
        stranger_o.send_frame(ho.rtp_port, payload);
        pump(engine);
        clock.advance(20ms);
        engine.tick();
        c.drain();
        o.drain();
        stranger_c.drain();
        stranger_o.drain();
    };
    // Ringing: the client may talk or not; the stranger sprays both legs.
    for (int i = 0; i < 25; ++i)
        frame(false, false);
    for (int i = 0; i < 25; ++i)
        frame(true, false);
    EXPECT_TRUE(stranger_c.packets().empty() && stranger_o.packets().empty())
        << "the stranger was sent the client's voice";
    EXPECT_EQ(leg_stats(engine, room, operator_).source, Endpoint{});

    // The answer names the operator's phone: it is heard at once, the stranger still not.
    LegMedia answer = o.media();
    answer.signalling_ipv4 = ipv4_loopback;
    engine.update_leg(ho.id, answer);
    pump(engine);
    for (int i = 0; i < 50; ++i)
        frame(true, true);
    EXPECT_TRUE(stranger_c.packets().empty() && stranger_o.packets().empty())
        << "the stranger was sent media";
    EXPECT_EQ(packets_with_payload_byte(c, stranger_byte), 0U);
    EXPECT_EQ(packets_with_payload_byte(o, stranger_byte), 0U);
    EXPECT_EQ(c.packets().size(), 50U);
    EXPECT_EQ(o.packets().size(), 50U); // everything the client said since the answer
    EXPECT_EQ(leg_stats(engine, room, client).source, c.endpoint());
    EXPECT_EQ(leg_stats(engine, room, operator_).source, o.endpoint());
    EXPECT_EQ(leg_stats(engine, room, operator_).dropped_foreign_source, 100U);
}

TEST_P(EngineHijack, APausedPhoneIsNotReplacedByAStrangerAndIsHeardWhenItResumes) {
    core::ManualClock clock;
    MediaEngine engine(io_config(), clock);
    Peer c(443.0, -12.0, 0x1111), o(1061.0, -12.0, 0x2222);
    Peer stranger(700.0, -12.0, 0x6666, stranger_ip);
    const RoomId room = engine.create_room();
    const auto hc = engine.add_leg(room, nat_leg(c.media()));
    const auto ho = engine.add_leg(room, nat_leg(o.media()));
    engine.set_plan(room, relay_plan());
    pump(engine);
    const auto payload = stranger_payload();
    auto frame = [&](bool client_talks, bool stranger_talks) {
        if (client_talks) c.send_frame(hc.rtp_port);
        o.send_frame(ho.rtp_port);
        if (stranger_talks) stranger.send_frame(hc.rtp_port, payload);
        pump(engine);
        clock.advance(20ms);
        engine.tick();
        c.drain();
        o.drain();
        stranger.drain();
    };
    for (int i = 0; i < 20; ++i)
        frame(true, false);
    ASSERT_EQ(o.packets().size(), 20U);
    // The client's phone pauses 3 s (> relatch_idle); the stranger sends in sequence throughout.
    const int pause_frames = static_cast<int>((EngineConfig{}.relatch_idle + 1000ms) / 20ms);
    for (int i = 0; i < pause_frames; ++i)
        frame(false, true);
    EXPECT_TRUE(stranger.packets().empty()) << "the stranger took the leg over";
    EXPECT_EQ(packets_with_payload_byte(o, stranger_byte), 0U);
    // The phone resumes from its address: heard from its first packet, the stranger still not.
    const std::size_t op_before = o.packets().size();
    const std::size_t client_before = c.packets().size();
    for (int i = 0; i < 20; ++i)
        frame(true, true);
    EXPECT_EQ(o.packets().size(), op_before + 20);
    EXPECT_EQ(packets_with_payload_byte(o, stranger_byte), 0U);
    EXPECT_EQ(c.packets().size(), client_before + 20) << "the operator's voice goes to the phone";
    EXPECT_TRUE(stranger.packets().empty());
    const LegStats stats = leg_stats(engine, room, client);
    EXPECT_EQ(stats.source, c.endpoint());
    EXPECT_EQ(stats.dropped_foreign_source, static_cast<std::uint64_t>(pause_frames + 20));
}

INSTANTIATE_IO(EngineHijack);

} // namespace
} // namespace suflyor::media::test
