// Peer sockets (EngineConfig::peer_sockets): each leg's RTP port is held by a second socket,
// connected to the leg's peer, that sends without an address. What a phone must still see: media
// from the very port the SDP named (symmetric RTP), strict source learning with every foreign
// datagram counted, a peer that moves (re-INVITE, NAT latch) followed, and a closed peer port
// (ICMP port unreachable on a connected socket) never stopping the leg.
#include "engine_test_support.hpp"

namespace suflyor::media::test {
namespace {

class EnginePeerSockets : public EngineIo {
protected:
    [[nodiscard]] EngineConfig config(bool peer_sockets) const {
        EngineConfig c = io_config();
        c.peer_sockets = peer_sockets;
        return c;
    }
};

// A bare socket that records the source port of every datagram it gets.
class SourceRecorder {
public:
    SourceRecorder() : fd_(bind_udp(ipv4_loopback, 0)), port_(local_port(fd_.get())) {}
    [[nodiscard]] LegMedia media() const {
        return LegMedia{
            .remote = {ipv4_loopback, port_}, .codec = CodecId::pcmu, .payload_type = 0};
    }
    // Source ports of the datagrams that arrived (non-blocking).
    std::vector<std::uint16_t> take_sources() {
        std::vector<std::uint16_t> ports;
        std::array<std::uint8_t, 2048> buf{};
        for (;;) {
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                                         reinterpret_cast<sockaddr*>(&from), &len);
            if (n < 0) return ports;
            ports.push_back(ntohs(from.sin_port));
        }
    }

private:
    UniqueFd fd_;
    std::uint16_t port_ = 0;
};

TEST_P(EnginePeerSockets, MediaLeavesFromThePortTheSdpNamed) {
    for (const bool peer_sockets : {true, false}) {
        SCOPED_TRACE(peer_sockets ? "peer sockets" : "unconnected sends");
        core::ManualClock clock;
        MediaEngine engine(config(peer_sockets), clock);
        Peer c(suflyor::test::tone_a_hz, -12.0, 0x1111);
        SourceRecorder o;
        const RoomId room = engine.create_room();
        const auto hc = engine.add_leg(room, LegSpec{.media = c.media()});
        const auto ho = engine.add_leg(room, LegSpec{.media = o.media()});
        engine.set_plan(room, relay_plan());
        pump(engine);
        for (int i = 0; i < 20; ++i) {
            c.send_frame(hc.rtp_port);
            pump(engine);
            clock.advance(20ms);
            engine.tick();
        }
        const auto sources = o.take_sources();
        ASSERT_EQ(sources.size(), 20U);
        for (const std::uint16_t port : sources)
            EXPECT_EQ(port, ho.rtp_port) << "not symmetric RTP";
        EXPECT_EQ(leg_stats(engine, room, operator_).packets_out, 20U);
        EXPECT_EQ(leg_stats(engine, room, operator_).send_errors, 0U);
    }
}

// Datagrams of the connected peer reach its socket, everyone else's the leg's own: both are read
// and every foreign one is counted, interleaved with the peer's stream.
TEST_P(EnginePeerSockets, ForeignDatagramsAreStillCountedBesideThePeersStream) {
    MonitoredCall call(io_config(), nullptr, false);
    call.set_plan(relay_plan());
    std::vector<std::unique_ptr<Peer>> strangers;
    for (int i = 0; i < 8; ++i) // several source ports: a reuseport hash never favours one
        strangers.push_back(std::make_unique<Peer>(700.0, -12.0, 0x6600 + i));
    call.run(40, false, [&](int frame) {
        strangers[static_cast<std::size_t>(frame) % strangers.size()]->send_frame(call.hc.rtp_port);
    });
    const LegStats stats = leg_stats(call.engine, call.room, client);
    EXPECT_EQ(stats.packets_in, 40U);
    EXPECT_EQ(stats.dropped_foreign_source, 40U);
    EXPECT_EQ(call.o.packets().size(), 40U);
    EXPECT_EQ(call.c.packets().size(), 40U);
    for (const auto& stranger : strangers) {
        stranger->drain();
        EXPECT_TRUE(stranger->packets().empty()) << "a stranger was sent media";
    }
}

// The operator's phone goes away (its port answers with ICMP port unreachable, which a connected
// socket reports as an error); the call goes on, and a re-INVITE to a new phone is followed.
TEST_P(EnginePeerSockets, AClosedPeerPortNeitherStopsTheLegNorItsNewPeer) {
    core::ManualClock clock;
    MediaEngine engine(io_config(), clock);
    Peer c(suflyor::test::tone_a_hz, -12.0, 0x1111);
    auto o = std::make_unique<Peer>(suflyor::test::tone_b_hz, -12.0, 0x2222);
    const RoomId room = engine.create_room();
    const auto hc = engine.add_leg(room, LegSpec{.media = c.media()});
    const auto ho = engine.add_leg(room, LegSpec{.media = o->media()});
    engine.set_plan(room, relay_plan());
    pump(engine);
    auto frames = [&](Peer* op, int n) {
        for (int i = 0; i < n; ++i) {
            c.send_frame(hc.rtp_port);
            if (op != nullptr) op->send_frame(ho.rtp_port);
            pump(engine);
            clock.advance(20ms);
            engine.tick();
            c.drain();
            if (op != nullptr) op->drain();
        }
    };
    frames(o.get(), 10);
    EXPECT_EQ(o->packets().size(), 10U);
    o.reset(); // the port is closed now
    frames(nullptr, 20);

    Peer moved(suflyor::test::tone_c_hz, -12.0, 0x3333);
    engine.update_leg(ho.id, moved.media());
    pump(engine);
    const std::size_t client_before = c.packets().size();
    frames(&moved, 20);
    EXPECT_EQ(moved.packets().size(), 20U) << "the new phone hears the client";
    EXPECT_EQ(c.packets().size(), client_before + 20) << "the client hears the new phone";
    const LegStats op = leg_stats(engine, room, operator_);
    EXPECT_EQ(op.dropped_foreign_source, 0U);
    EXPECT_GE(op.packets_in, 30U);
}

TEST(PeerSocketBinding, TheTwinSharesThePortAndOthersStayOut) {
    UniqueFd first = bind_udp(ipv4_loopback, 0);
    ASSERT_TRUE(first.valid());
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(first.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    const std::uint16_t port = ntohs(addr.sin_port);

    UniqueFd twin = bind_twin_udp(first.get());
    ASSERT_TRUE(twin.valid());
    sockaddr_in twin_addr{};
    len = sizeof twin_addr;
    ::getsockname(twin.get(), reinterpret_cast<sockaddr*>(&twin_addr), &len);
    EXPECT_EQ(ntohs(twin_addr.sin_port), port);
    EXPECT_EQ(twin_addr.sin_addr.s_addr, addr.sin_addr.s_addr);

    // The port allocator's plain bind (of this or another process) still finds the port taken.
    EXPECT_FALSE(bind_udp(ipv4_loopback, port).valid());
    first.reset();
    EXPECT_FALSE(bind_udp(ipv4_loopback, port).valid()) << "the twin alone still holds it";
    twin.reset();
    EXPECT_TRUE(bind_udp(ipv4_loopback, port).valid()) << "closing both frees the port";

    EXPECT_FALSE(bind_twin_udp(-1).valid());
    UniqueFd unbound{::socket(AF_INET, SOCK_DGRAM, 0)};
    EXPECT_FALSE(bind_twin_udp(unbound.get()).valid()) << "no port to share";
}

INSTANTIATE_IO(EnginePeerSockets);

} // namespace
} // namespace suflyor::media::test
