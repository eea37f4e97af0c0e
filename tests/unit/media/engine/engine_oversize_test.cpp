// A mix input's jitter buffer is sized from its codec (G.711: 480 bytes, 60 ms): a larger
// payload is not mixed but counted in the leg's stats (dropped_oversize); the relay path, which
// has no jitter buffer, still forwards it untouched.
#include "engine_test_support.hpp"

namespace suflyor::media::test {
namespace {

class EngineOversize : public EngineIo {};

TEST_P(EngineOversize, MixInputDropsAndCountsPayloadsLargerThanItsSlot) {
    MonitoredCall call(io_config());
    call.set_plan(listen_plan()); // C and O are mix inputs (S hears both) and relayed to each other
    call.run(10);
    struct Case {
        std::size_t size;
        std::uint64_t oversize_after;
    };
    for (const Case& c : {Case{480, 0}, Case{481, 1}, Case{1400, 2}, Case{160, 2}}) {
        SCOPED_TRACE(c.size);
        std::vector<std::uint8_t> packet(12 + c.size, 0xFF); // μ-law silence
        rtp::write_rtp_header(packet, {.payload_type = pcmu_pt,
                                       .marker = false,
                                       .sequence = call.c.next_seq(),
                                       .timestamp = call.c.timestamp(),
                                       .ssrc = call.c.ssrc()});
        call.c.send_raw(packet, call.hc.rtp_port);
        call.c.skip(1);
        const std::size_t relayed_before = call.o.packets().size();
        pump(call.engine);
        call.o.drain();
        ASSERT_EQ(call.o.packets().size(), relayed_before + 1);
        EXPECT_EQ(call.o.packets().back().payload.size(), c.size); // relayed as it came

        call.engine.request_stats(call.room);
        pump(call.engine);
        bool seen = false;
        for (const Event& e : events_of(call.engine)) {
            if (e.kind != EventKind::stats) continue;
            const std::uint64_t expected = e.slot == client ? c.oversize_after : 0;
            EXPECT_EQ(e.stats.dropped_oversize, expected) << int(e.slot);
            seen = seen || e.slot == client;
        }
        EXPECT_TRUE(seen);
    }
}

INSTANTIATE_IO(EngineOversize);

} // namespace
} // namespace suflyor::media::test
