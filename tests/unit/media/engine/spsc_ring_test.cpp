// SpscRing: exact single-thread semantics, and a two-thread stress that checks order and loss.
#include "media/engine/spsc_ring.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

namespace suflyor::media {
namespace {

TEST(SpscRing, CapacityMustBeAPowerOfTwo) {
    struct Case {
        std::size_t capacity;
        bool valid;
    };
    for (const Case c : {Case{0, false}, Case{1, true}, Case{2, true}, Case{3, false},
                         Case{6, false}, Case{1024, true}, Case{1000, false}}) {
        if (c.valid) {
            EXPECT_EQ(SpscRing<int>(c.capacity).capacity(), c.capacity);
        } else {
            EXPECT_THROW(SpscRing<int>{c.capacity}, std::invalid_argument) << c.capacity;
        }
    }
}

TEST(SpscRing, FillsToCapacityThenRefusesThenDrainsInOrder) {
    SpscRing<std::uint32_t> ring(4);
    std::uint32_t out = 0;
    EXPECT_FALSE(ring.try_pop(out));
    EXPECT_TRUE(ring.empty_approx());
    for (std::uint32_t i = 1; i <= 4; ++i) {
        EXPECT_TRUE(ring.try_push(i * 10));
        EXPECT_EQ(ring.size_approx(), i);
    }
    EXPECT_FALSE(ring.try_push(50));
    EXPECT_EQ(ring.size_approx(), 4U);
    for (std::uint32_t i = 1; i <= 4; ++i) {
        ASSERT_TRUE(ring.try_pop(out));
        EXPECT_EQ(out, i * 10);
    }
    EXPECT_FALSE(ring.try_pop(out));
    EXPECT_EQ(out, 40U); // a failed pop leaves the output alone
}

TEST(SpscRing, WrapsAroundManyTimes) {
    SpscRing<std::uint64_t> ring(8);
    std::uint64_t next_in = 0;
    std::uint64_t next_out = 0;
    // Uneven push/pop batches walk the indices around the slot array at every offset.
    for (int round = 0; round < 1000; ++round) {
        const int pushes = 1 + round % 8;
        for (int k = 0; k < pushes; ++k) {
            if (ring.try_push(next_in)) ++next_in;
        }
        const int pops = 1 + (round * 5) % 8;
        std::uint64_t v = 0;
        for (int k = 0; k < pops && ring.try_pop(v); ++k)
            ASSERT_EQ(v, next_out++);
        ASSERT_EQ(ring.size_approx(), next_in - next_out);
    }
    EXPECT_GT(next_in, 3000U);
}

TEST(SpscRing, FillsAndConsumesInPlace) {
    struct Slot {
        std::uint32_t id;
        std::array<std::int16_t, 4> samples;
    };
    SpscRing<Slot> ring(2);
    EXPECT_TRUE(ring.try_push_with([](Slot& s) noexcept { s = {7, {1, 2, 3, 4}}; }));
    EXPECT_TRUE(ring.try_push_with([](Slot& s) noexcept { s = {8, {5, 6, 7, 8}}; }));
    bool called = false;
    EXPECT_FALSE(ring.try_push_with([&](Slot&) noexcept { called = true; }));
    EXPECT_FALSE(called); // a full ring never hands out a slot
    std::uint32_t seen = 0;
    EXPECT_TRUE(
        ring.try_consume([&](const Slot& s) noexcept { seen = s.id * 100 + s.samples[3]; }));
    EXPECT_EQ(seen, 704U);
    Slot out{};
    EXPECT_TRUE(ring.try_pop(out));
    EXPECT_EQ(out.id, 8U);
    EXPECT_EQ(out.samples, (std::array<std::int16_t, 4>{5, 6, 7, 8}));
    EXPECT_FALSE(ring.try_consume([&](const Slot&) noexcept { called = true; }));
    EXPECT_FALSE(called);
}

TEST(SpscRing, IndicesSitOnSeparateCacheLines) {
    EXPECT_EQ(alignof(SpscRing<int>), kCacheLineSize);
    EXPECT_GE(sizeof(SpscRing<int>), 5 * kCacheLineSize);
}

// A payload wider than one machine word, so a torn (half-published) element would be seen.
struct Item {
    std::uint64_t sequence;
    std::uint64_t check; // sequence * constant
    std::array<std::uint32_t, 6> filler;
};
constexpr std::uint64_t kCheck = 0x9E3779B97F4A7C15ULL;

TEST(SpscRing, TwoThreadStressKeepsOrderWithoutLoss) {
    constexpr std::uint64_t count = 4'000'000;
    SpscRing<Item> ring(256);
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < count;) {
            Item item{i, i * kCheck, {}};
            item.filler.fill(static_cast<std::uint32_t>(i));
            if (ring.try_push(item)) {
                ++i;
            } else {
                std::this_thread::yield();
            }
        }
    });
    std::uint64_t expected = 0;
    std::uint64_t bad = 0;
    Item item{};
    while (expected < count) {
        if (!ring.try_pop(item)) {
            std::this_thread::yield();
            continue;
        }
        if (item.sequence != expected || item.check != expected * kCheck ||
            item.filler[5] != static_cast<std::uint32_t>(expected)) {
            ++bad;
        }
        ++expected;
    }
    producer.join();
    EXPECT_EQ(bad, 0U);
    EXPECT_EQ(expected, count);
    EXPECT_FALSE(ring.try_pop(item));
}

} // namespace
} // namespace suflyor::media
