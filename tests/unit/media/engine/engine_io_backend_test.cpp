// The I/O backend choice (EngineConfig::io) and what only the io_uring backend can get wrong:
// the fallback decision, a socket the ring still receives on after its leg is gone, and the
// threaded loop (the other engine tests run unthreaded).
#include "engine_test_support.hpp"
#include "media/engine/leg.hpp"
#include "media/io/io_backend.hpp"
#include "media/io/io_uring_loop.hpp"

#include <poll.h>
#include <thread>

namespace suflyor::media::test {
namespace {

TEST(IoSelection, IoUringOnlyWhenAskedAndSetUpElseEpollWithAWarning) {
    struct Case {
        IoBackend wanted;
        bool ready;
        IoBackend backend;
        bool fell_back;
    };
    for (const Case& c : {Case{IoBackend::epoll, true, IoBackend::epoll, false},
                          Case{IoBackend::epoll, false, IoBackend::epoll, false},
                          Case{IoBackend::io_uring, true, IoBackend::io_uring, false},
                          Case{IoBackend::io_uring, false, IoBackend::epoll, true}}) {
        const IoSelection got = select_io_backend(c.wanted, c.ready);
        EXPECT_EQ(got.backend, c.backend) << to_string(c.wanted) << " ready=" << c.ready;
        EXPECT_EQ(got.fell_back, c.fell_back) << to_string(c.wanted) << " ready=" << c.ready;
    }
    EXPECT_EQ(to_string(IoBackend::epoll), "epoll");
    EXPECT_EQ(to_string(IoBackend::io_uring), "io_uring");
}

// Whether this kernel lets us set up the worker's ring (the engine must agree with it).
bool io_uring_works() {
    try {
        UringLoop probe;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

TEST(IoSelection, EngineRunsTheBackendItWasGivenWhenTheKernelAllows) {
    core::ManualClock clock;
    const IoBackend uring_or_fallback = io_uring_works() ? IoBackend::io_uring : IoBackend::epoll;
    for (const auto& [wanted, expected] : {std::pair{IoBackend::epoll, IoBackend::epoll},
                                           std::pair{IoBackend::io_uring, uring_or_fallback}}) {
        MediaEngine engine(test_config(200, wanted), clock);
        EXPECT_EQ(engine.worker_io(0), expected) << to_string(wanted);
    }
}

// The kernel hands deferred receives over in batches (about 20 per entry on kernels since 6.13):
// collect_ready() must bring every pending one in without waiting, as the worker relies on it to
// feed the jitter buffers everything that arrived before a mix pass.
TEST(UringLoopReceives, EveryPendingReceiveIsCollectedWithoutWaiting) {
    if (!io_uring_works())
        GTEST_SKIP() << "this kernel refuses io_uring (the epoll tests cover it)";
    struct Counter final : DatagramHandler {
        std::size_t datagrams = 0;
        void on_datagram(SocketWatch&, std::span<std::uint8_t> bytes, const sockaddr_in* from,
                         core::MonoTime) noexcept override {
            datagrams += from != nullptr && bytes.size() == 4;
        }
    } counter;
    UringLoop loop;
    loop.enable();
    constexpr std::size_t sockets = 200;
    std::vector<UniqueFd> fds;
    std::vector<SocketWatch> watches(sockets);
    for (std::size_t i = 0; i < sockets; ++i) {
        fds.push_back(bind_udp(ipv4_loopback, 0));
        ASSERT_TRUE(fds.back().valid());
        loop.watch_socket(watches[i], fds.back().get());
    }
    loop.submit(); // the receives are armed
    const UniqueFd sender = bind_udp(ipv4_loopback, 0);
    const std::array<std::uint8_t, 4> bytes{1, 2, 3, 4};
    for (const UniqueFd& fd : fds) {
        sockaddr_in to{};
        socklen_t len = sizeof to;
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&to), &len);
        ASSERT_EQ(::sendto(sender.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  4);
    }
    const core::MonoTime now{};
    ASSERT_TRUE(loop.wait(1000));
    (void)loop.dispatch(counter, now);
    for (int round = 0; round < 100 && loop.collect_ready(); ++round)
        (void)loop.dispatch(counter, now);
    EXPECT_EQ(counter.datagrams, sockets);
    EXPECT_FALSE(loop.collect_ready()) << "nothing is left once it says so";
    loop.cancel_all();
}

class EngineIoSockets : public EngineIo {};

// A removed leg's port can be bound again at once: the ring no longer holds its socket.
TEST_P(EngineIoSockets, RemovedLegFreesItsPortsAtOnce) {
    core::ManualClock clock;
    MediaEngine engine(io_config(), clock);
    Peer a(suflyor::test::tone_a_hz);
    const RoomId room = engine.create_room();
    const LegHandle leg = engine.add_leg(room, LegSpec{.media = a.media()});
    pump(engine);
    a.send_frame(leg.rtp_port);
    pump(engine);
    engine.remove_leg(leg.id);
    pump(engine);
    const auto events = events_of(engine);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, EventKind::leg_removed);
    for (const std::uint16_t port : {leg.rtp_port, static_cast<std::uint16_t>(leg.rtp_port + 1)}) {
        const UniqueFd again = bind_udp(ipv4_loopback, port);
        EXPECT_TRUE(again.valid()) << port;
    }
    EXPECT_EQ(engine.ports_in_use(), 0U);
}

// A threaded engine (the worker's own loop) relays both ways, packet for packet.
TEST_P(EngineIoSockets, ThreadedWorkerRelaysBothWays) {
    core::ManualClock clock; // relay only: the worker's 1 ms timer has nothing to mix
    EngineConfig config = io_config();
    config.threaded = true;
    MediaEngine engine(config, clock);
    Peer c(suflyor::test::tone_a_hz, -12.0, 0x1111);
    Peer o(suflyor::test::tone_b_hz, -12.0, 0x2222);
    const RoomId room = engine.create_room();
    const LegHandle hc = engine.add_leg(room, LegSpec{.media = c.media()});
    const LegHandle ho = engine.add_leg(room, LegSpec{.media = o.media()});
    engine.set_plan(room, relay_plan());
    // Commands run in order: once the stats asked for now come back, the plan is in force (a
    // datagram read before it would be dropped, as the room relays nothing without a plan).
    engine.request_stats(room);
    bool applied = false;
    for (int i = 0; i < 2000 && !applied; ++i) {
        for (const Event& e : events_of(engine))
            applied = applied || e.kind == EventKind::stats;
        if (!applied) std::this_thread::sleep_for(1ms);
    }
    ASSERT_TRUE(applied);
    constexpr std::size_t frames = 50;
    for (std::size_t i = 0; i < frames; ++i) {
        c.send_frame(hc.rtp_port);
        o.send_frame(ho.rtp_port);
    }
    for (Peer* peer : {&c, &o})
        for (int i = 0; i < 1000 && peer->packets().size() < frames; ++i)
            peer->drain_wait(std::chrono::milliseconds(10));
    EXPECT_EQ(o.packets().size(), frames);
    EXPECT_EQ(c.packets().size(), frames);
    engine.stop_workers();
    for (const Peer* peer : {&c, &o}) {
        const auto& got = peer->packets();
        ASSERT_FALSE(got.empty());
        for (std::size_t i = 1; i < got.size(); ++i)
            EXPECT_EQ(static_cast<std::uint16_t>(got[i].seq - got[i - 1].seq), 1U);
    }
    EXPECT_EQ(engine.worker_datagrams(0), 2 * frames);
}

// A worker without rooms stops its 1 ms timer (an idle server does not wake 1,000 times a
// second per worker); the first room starts it, the last one leaving stops it again.
TEST_P(EngineIoSockets, AnIdleWorkerSleepsUntilItHasARoom) {
    core::ManualClock clock;
    EngineConfig config = io_config();
    config.threaded = true;
    MediaEngine engine(config, clock);
    const auto wakeups_over = [&](std::chrono::milliseconds window) {
        const std::uint64_t before = engine.worker_wakeups(0);
        std::this_thread::sleep_for(window); // the window observed, not a synchronisation
        return engine.worker_wakeups(0) - before;
    };
    EXPECT_LE(wakeups_over(300ms), 2U) << "an idle worker keeps waking";

    const RoomId room = engine.create_room();
    std::uint64_t ticking = 0;
    for (int i = 0; i < 50 && ticking < 50; ++i)
        ticking += wakeups_over(20ms);
    EXPECT_GE(ticking, 50U) << "a room's worker does not tick";

    engine.destroy_room(room);
    bool destroyed = false;
    for (int i = 0; i < 200 && !destroyed; ++i) {
        std::this_thread::sleep_for(5ms);
        for (const Event& e : events_of(engine))
            destroyed = destroyed || e.kind == EventKind::room_destroyed;
    }
    ASSERT_TRUE(destroyed);
    EXPECT_LE(wakeups_over(300ms), 2U) << "the timer kept running after the last room";
}

INSTANTIATE_IO(EngineIoSockets);

} // namespace
} // namespace suflyor::media::test
