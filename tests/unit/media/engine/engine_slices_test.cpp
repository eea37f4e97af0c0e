// The 20 ms mix period of a worker is cut into time slices: rooms are spread over the slices as
// they are created (each new room to the least-loaded slice), one slice pass mixes only its own
// rooms, and every room is still mixed exactly once per 20 ms with a continuous output stream.
//
// Each room has a PCMU listener that hears a PCMA leg: different codecs, so the listener is on
// the mix path and is sent one mixed packet each time its room ticks (silence while the PCMA leg
// says nothing). So the packets a listener receives after a pass say whether its room was mixed.
#include "core/error.hpp"
#include "engine_test_support.hpp"

#include <memory>

namespace suflyor::media::test {
namespace {

class EngineSlicesIo : public EngineIo {};

struct SlicedRooms {
    SlicedRooms(std::size_t slices, std::size_t rooms, IoBackend io)
        : engine(config_of(slices, io), clock) {
        silent.use_alaw(); // the heard leg of every room; it never sends
        for (std::size_t r = 0; r < rooms; ++r)
            add_room();
    }

    static EngineConfig config_of(std::size_t slices, IoBackend io) {
        EngineConfig config = test_config(200, io);
        config.tick_slices = slices;
        return config;
    }

    void add_room() {
        const RoomId room = engine.create_room();
        listeners.push_back(std::make_unique<Peer>(suflyor::test::tone_a_hz));
        ports.push_back(engine.add_leg(room, LegSpec{.media = listeners.back()->media()}).rtp_port);
        (void)engine.add_leg(room, LegSpec{.media = silent.media()});
        engine.set_plan(room, plan_of(leg_bit(1), 0, 0)); // slot 0 hears slot 1
        ids.push_back(room);
        seen.push_back(0);
        pump(engine);
    }

    // One slice pass, 1 ms of time per pass when there are 20 slices: the indices of the rooms
    // that were sent a packet, each exactly one.
    std::vector<std::size_t> pass(std::chrono::milliseconds step) {
        clock.advance(step);
        engine.tick_slice();
        return collect();
    }

    std::vector<std::size_t> collect() {
        std::vector<std::size_t> mixed;
        for (std::size_t r = 0; r < listeners.size(); ++r) {
            listeners[r]->drain();
            const std::size_t got = listeners[r]->packets().size() - seen[r];
            seen[r] = listeners[r]->packets().size();
            EXPECT_LE(got, 1U) << "room " << r << " mixed twice in one pass";
            if (got > 0) mixed.push_back(r);
        }
        return mixed;
    }

    core::ManualClock clock;
    MediaEngine engine;
    Peer silent{suflyor::test::tone_b_hz};
    std::vector<std::unique_ptr<Peer>> listeners;
    std::vector<std::uint16_t> ports;
    std::vector<RoomId> ids;
    std::vector<std::size_t> seen;
};

// Each room's stream: one packet per 20 ms period, sequence +1 and timestamp +160 each time.
void expect_continuous(const Peer& listener, std::size_t packets, std::size_t room) {
    const auto& got = listener.packets();
    ASSERT_EQ(got.size(), packets) << "room " << room;
    for (std::size_t i = 1; i < got.size(); ++i) {
        EXPECT_EQ(static_cast<std::uint16_t>(got[i].seq - got[i - 1].seq), 1U) << "room " << room;
        EXPECT_EQ(got[i].ts - got[i - 1].ts, frame_bytes) << "room " << room;
        EXPECT_EQ(got[i].ssrc, got[0].ssrc) << "room " << room;
    }
}

TEST_P(EngineSlicesIo, RoomsAreSpreadOverSlicesAndEachIsMixedOncePerPeriod) {
    constexpr std::size_t rooms = 40;
    constexpr std::size_t periods = 5;
    struct Case {
        std::size_t slices;
        std::size_t rooms_per_pass;
    };
    for (const Case& c : {Case{20, 2}, Case{10, 4}, Case{4, 10}, Case{1, 40}}) {
        SCOPED_TRACE(c.slices);
        SlicedRooms sliced(c.slices, rooms, GetParam());
        const auto step = std::chrono::milliseconds(frame_ms / c.slices);
        for (std::size_t p = 0; p < periods * c.slices; ++p) {
            const std::vector<std::size_t> mixed = sliced.pass(step);
            // Pass p mixes slice p mod slices: the rooms created at positions ≡ p (mod slices),
            // since each new room went to the earliest least-loaded slice.
            std::vector<std::size_t> expected;
            for (std::size_t r = p % c.slices; r < rooms; r += c.slices)
                expected.push_back(r);
            ASSERT_EQ(mixed.size(), c.rooms_per_pass) << "pass " << p;
            EXPECT_EQ(mixed, expected) << "pass " << p;
        }
        for (std::size_t r = 0; r < rooms; ++r)
            expect_continuous(*sliced.listeners[r], periods, r);
    }
}

TEST_P(EngineSlicesIo, FullTickMixesEveryRoomOnceWhateverTheSlicePosition) {
    SlicedRooms sliced(20, 40, GetParam());
    for (int p = 0; p < 7; ++p) // stop mid-period
        (void)sliced.pass(1ms);
    sliced.clock.advance(20ms);
    sliced.engine.tick();
    const std::vector<std::size_t> mixed = sliced.collect();
    ASSERT_EQ(mixed.size(), 40U);
    // The tick ran the 20 slices from slice 7 round to slice 6: slice 7 comes next.
    EXPECT_EQ(sliced.pass(1ms), (std::vector<std::size_t>{7, 27}));
}

TEST_P(EngineSlicesIo, NewRoomsFillTheSliceThatRoomsLeft) {
    SlicedRooms sliced(20, 40, GetParam()); // room r in slice r mod 20
    sliced.engine.destroy_room(sliced.ids[5]);
    sliced.engine.destroy_room(sliced.ids[25]);
    pump(sliced.engine);
    sliced.add_room(); // index 40
    sliced.add_room(); // index 41
    for (std::size_t p = 0; p < 20; ++p) {
        const std::vector<std::size_t> mixed = sliced.pass(1ms);
        if (p == 5) {
            EXPECT_EQ(mixed, (std::vector<std::size_t>{40, 41}));
        } else {
            EXPECT_EQ(mixed, (std::vector<std::size_t>{p, p + 20}));
        }
    }
    EXPECT_TRUE(sliced.listeners[5]->packets().empty());
    // One more room: all slices hold two, so it goes to the earliest, slice 0.
    sliced.add_room(); // index 42
    EXPECT_EQ(sliced.pass(1ms), (std::vector<std::size_t>{0, 20, 42}));
}

TEST(EngineSlices, SliceCountMustDivideTheFrame) {
    for (const std::size_t slices : {0U, 3U, 7U, 40U}) {
        EngineConfig config = test_config();
        config.tick_slices = slices;
        core::ManualClock clock;
        EXPECT_THROW({ MediaEngine engine(config, clock); }, core::Error) << slices;
    }
}

INSTANTIATE_IO(EngineSlicesIo);

} // namespace
} // namespace suflyor::media::test
