// RTP port pairs: even RTP ports with RTCP on +1, drawn at random (the next call's port cannot be
// guessed from one's own), exhaustion is a clear error, release makes a pair available again,
// busy ports are skipped, and the engine never leaks a port.
#include "core/error.hpp"
#include "unit/media/engine/engine_test_support.hpp"

#include <algorithm>
#include <set>

namespace suflyor::media::test {
namespace {

PortAllocatorConfig small_range(std::uint16_t pairs) {
    const auto base = static_cast<std::uint16_t>(41000 + (::getpid() % 200) * 40);
    return {ipv4_loopback, base, static_cast<std::uint16_t>(base + 2 * pairs - 1), 0};
}

TEST(PortAllocator, HandsOutEvenPairsUntilExhausted) {
    PortAllocator ports(small_range(5));
    EXPECT_EQ(ports.capacity(), 5U);
    std::vector<PortLease> leases;
    std::set<std::uint16_t> seen;
    while (auto lease = ports.allocate()) {
        EXPECT_EQ(lease->rtp_port % 2, 0);
        EXPECT_EQ(local_port(lease->rtp.get()), lease->rtp_port);
        EXPECT_EQ(local_port(lease->rtcp.get()), lease->rtp_port + 1);
        seen.insert(lease->rtp_port);
        leases.push_back(std::move(*lease));
    }
    EXPECT_EQ(leases.size(), 5U);
    EXPECT_EQ(seen.size(), 5U);
    EXPECT_EQ(ports.in_use(), 5U);
    EXPECT_FALSE(ports.allocate().has_value());

    const std::uint16_t freed = leases[2].rtp_port;
    leases[2] = PortLease{}; // close first, then release
    ports.release(freed);
    auto again = ports.allocate();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->rtp_port, freed);
}

TEST(PortAllocator, ConsecutiveAllocationsAreNotSequential) {
    // 500 pairs; 60 allocations. In order, every step would be +2. Drawn at random, a step lands
    // on the next pair with a chance of about 1/450: more than 4 of 59 would happen by chance
    // with a probability below 1e-6.
    const auto base = static_cast<std::uint16_t>(50000 + (::getpid() % 10) * 1000);
    PortAllocator ports({ipv4_loopback, base, static_cast<std::uint16_t>(base + 999), 0});
    std::vector<PortLease> leases;
    std::set<std::uint16_t> seen;
    int next_pair_steps = 0;
    std::uint16_t lowest = 0xFFFF, highest = 0;
    for (int i = 0; i < 60; ++i) {
        auto lease = ports.allocate();
        ASSERT_TRUE(lease.has_value());
        EXPECT_EQ(lease->rtp_port % 2, 0);
        EXPECT_TRUE(seen.insert(lease->rtp_port).second) << "port " << lease->rtp_port << " twice";
        if (!leases.empty() && lease->rtp_port == leases.back().rtp_port + 2) ++next_pair_steps;
        lowest = std::min(lowest, lease->rtp_port);
        highest = std::max(highest, lease->rtp_port);
        leases.push_back(std::move(*lease));
    }
    EXPECT_LE(next_pair_steps, 4);
    // Spread over the range, not clustered at its start (in order: 60 pairs = the first 120).
    EXPECT_GT(highest - lowest, 500);
    // Allocating again after a release does not always give the same pair back.
    PortAllocator other({ipv4_loopback, static_cast<std::uint16_t>(base + 1000 - 200),
                         static_cast<std::uint16_t>(base + 999), 0}); // 100 pairs
    std::vector<std::uint16_t> firsts;
    for (int i = 0; i < 8; ++i) {
        auto lease = other.allocate();
        ASSERT_TRUE(lease.has_value());
        firsts.push_back(lease->rtp_port);
        const auto port = lease->rtp_port;
        lease.reset();
        other.release(port);
    }
    EXPECT_GT(std::set<std::uint16_t>(firsts.begin(), firsts.end()).size(), 1U)
        << "eight draws from 100 free pairs all gave the same port";
}

TEST(PortAllocator, RandomDrawsNeverCollideAndExhaustExactly) {
    const auto range = small_range(16);
    PortAllocator ports(range);
    for (int round = 0; round < 20; ++round) {
        std::vector<PortLease> leases;
        std::set<std::uint16_t> seen;
        while (auto lease = ports.allocate()) {
            ASSERT_GE(lease->rtp_port, range.port_min);
            ASSERT_LE(lease->rtp_port + 1, range.port_max);
            EXPECT_TRUE(seen.insert(lease->rtp_port).second) << "collision on " << lease->rtp_port;
            leases.push_back(std::move(*lease));
        }
        EXPECT_EQ(leases.size(), 16U);
        EXPECT_EQ(ports.in_use(), 16U);
        // Free five (a double release is ignored); exactly those five come back, then nothing.
        std::set<std::uint16_t> freed;
        for (std::size_t i = round % 3; freed.size() < 5; i += 3) {
            const std::uint16_t port = leases[i].rtp_port;
            freed.insert(port);
            leases[i] = PortLease{}; // close first, then release
            ports.release(port);
        }
        for (const auto port : freed)
            ports.release(port); // twice: ignored
        EXPECT_EQ(ports.in_use(), 11U);
        std::set<std::uint16_t> again;
        for (int i = 0; i < 5; ++i) {
            auto lease = ports.allocate();
            ASSERT_TRUE(lease.has_value());
            again.insert(lease->rtp_port);
            leases.push_back(std::move(*lease));
        }
        EXPECT_EQ(again, freed);
        EXPECT_FALSE(ports.allocate().has_value());
        leases.clear();
        for (const auto port : seen)
            ports.release(port);
        EXPECT_EQ(ports.in_use(), 0U);
    }
}

TEST(PortAllocator, ManyCyclesLeakNothing) {
    PortAllocator ports(small_range(4));
    for (int i = 0; i < 2000; ++i) {
        auto a = ports.allocate();
        auto b = ports.allocate();
        ASSERT_TRUE(a && b) << "cycle " << i;
        const auto pa = a->rtp_port, pb = b->rtp_port;
        a.reset();
        b.reset();
        ports.release(pa);
        ports.release(pb);
    }
    EXPECT_EQ(ports.in_use(), 0U);
    ports.release(1); // unknown ports are ignored
    ports.release(small_range(4).port_min + 1);
    EXPECT_EQ(ports.in_use(), 0U);
}

TEST(PortAllocator, SkipsPortsHeldByOthers) {
    const auto range = small_range(2);
    const UniqueFd squatter =
        bind_udp(ipv4_loopback, static_cast<std::uint16_t>(range.port_min + 1));
    ASSERT_TRUE(squatter.valid());
    PortAllocator ports(range);
    auto lease = ports.allocate();
    ASSERT_TRUE(lease.has_value());
    EXPECT_EQ(lease->rtp_port, range.port_min + 2);
    EXPECT_FALSE(ports.allocate().has_value()) << "the busy pair is never handed out";
}

TEST(PortAllocator, RejectsARangeWithoutAPair) {
    EXPECT_THROW(PortAllocator({ipv4_loopback, 40001, 40002, 0}), core::Error);
    EXPECT_THROW(PortAllocator({ipv4_loopback, 0, 10, 0}), core::Error);
}

TEST(EnginePorts, ExhaustionIsAClearErrorAndRemovalReleases) {
    core::ManualClock clock;
    MediaEngine engine(test_config(12), clock); // 6 pairs
    std::vector<LegHandle> legs;
    std::vector<RoomId> rooms;
    for (int r = 0; r < 3; ++r) {
        rooms.push_back(engine.create_room());
        for (int l = 0; l < 2; ++l)
            legs.push_back(engine.add_leg(rooms.back(), LegSpec{}));
    }
    EXPECT_EQ(engine.ports_in_use(), 6U);
    try {
        (void)engine.add_leg(rooms[0], LegSpec{});
        ADD_FAILURE() << "no error on exhaustion";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find("no free RTP port"), std::string::npos);
    }
    engine.remove_leg(legs[0].id);
    engine.destroy_room(rooms[1]);
    pump(engine);
    EXPECT_EQ(engine.ports_in_use(), 3U);
    int removed = 0, destroyed = 0;
    for (const Event& e : events_of(engine)) {
        removed += e.kind == EventKind::leg_removed;
        destroyed += e.kind == EventKind::room_destroyed;
    }
    EXPECT_EQ(removed, 1);
    EXPECT_EQ(destroyed, 1);
    EXPECT_THROW(engine.remove_leg(legs[0].id), core::Error);
    EXPECT_THROW(engine.set_plan(rooms[1], MixPlan{}), core::Error);

    for (int i = 0; i < 500; ++i) { // churn: add and remove, nothing leaks
        const auto leg = engine.add_leg(rooms[0], LegSpec{});
        engine.remove_leg(leg.id);
        pump(engine);
    }
    EXPECT_EQ(engine.ports_in_use(), 3U);
    for (const RoomId room : {rooms[0], rooms[2]})
        engine.destroy_room(room);
    pump(engine);
    EXPECT_EQ(engine.ports_in_use(), 0U);
}

TEST(EnginePorts, DestructionReleasesEverything) {
    core::ManualClock clock;
    const auto config = test_config(20);
    PortAllocator probe({config.bind_ipv4, config.port_min, config.port_max, 0});
    {
        MediaEngine engine(config, clock);
        const RoomId room = engine.create_room();
        for (int i = 0; i < 4; ++i)
            (void)engine.add_leg(room, LegSpec{});
        pump(engine);
        EXPECT_EQ(engine.ports_in_use(), 4U);
    }
    // Every socket is closed: a fresh allocator can bind the whole range again.
    std::vector<PortLease> all;
    while (auto lease = probe.allocate())
        all.push_back(std::move(*lease));
    EXPECT_EQ(all.size(), 10U);
}

} // namespace
} // namespace suflyor::media::test
