// RTCP through real sockets: every leg gets one compound report per randomised rtcp_interval
// (0.5-1.5 x, RFC 3550 §6.3.1), an SR (with SDES CNAME) when it was sent media, else an RR. The
// sender info counts exactly what the peer received; the report block on the peer's own stream
// carries exactly the loss and RFC 3550 A.8 jitter the test injected, and echoes the peer's last SR
// (LSR/DLSR).
#include "engine_test_support.hpp"
#include "rtp/ntp.hpp"
#include "rtp/rtcp.hpp"
#include "rtp/rtcp_build.hpp"

#include <cstdlib>
#include <map>
#include <optional>
#include <set>

namespace suflyor::media::test {
namespace {

class EngineRtcp : public EngineIo {};

constexpr auto rtcp_interval = 1000ms;

// What a test peer sent, to compute the report block the engine must produce.
struct SentStream {
    std::uint16_t first_seq = 0;
    std::uint16_t highest_seq = 0;
    std::uint32_t received = 0; // packets that actually left the peer
    std::uint32_t expected_prior = 0;
    std::uint32_t received_prior = 0;
    bool have_transit = false;
    std::uint32_t transit = 0;
    std::uint64_t jitter_q4 = 0; // RFC 3550 A.8, integer form

    void on_sent(std::uint16_t seq, std::uint32_t ts, std::uint32_t arrival_units) {
        if (received == 0) first_seq = seq;
        highest_seq = seq;
        ++received;
        const std::uint32_t t = arrival_units - ts;
        if (have_transit) {
            const auto d = static_cast<std::int32_t>(t - transit);
            jitter_q4 += static_cast<std::uint64_t>(std::abs(d)) - ((jitter_q4 + 8) >> 4);
        }
        have_transit = true;
        transit = t;
    }
    [[nodiscard]] std::uint32_t expected() const {
        return static_cast<std::uint16_t>(highest_seq - first_seq) + 1U;
    }
    // fraction_lost of the interval since the previous report (RFC 3550 A.3), closing it.
    std::uint8_t close_interval() {
        const std::uint32_t expected_interval = expected() - expected_prior;
        const std::uint32_t received_interval = received - received_prior;
        expected_prior = expected();
        received_prior = received;
        const auto lost = static_cast<std::int64_t>(expected_interval) - received_interval;
        return expected_interval == 0 || lost <= 0
                   ? 0
                   : static_cast<std::uint8_t>((lost << 8) / expected_interval);
    }
};

std::uint32_t units_at(core::MonoTime now) {
    return static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() *
        8000 / 1'000'000);
}

struct ReportCheck {
    const char* who;
    const Peer& peer;   // receives the leg's RTP
    SentStream& sent;   // what the peer sent to the engine
    bool expect_sr;     // the leg was sent media
    std::uint32_t lsr;  // expected LSR (0: none)
    std::uint32_t dlsr; // expected DLSR
};

void check_report(const std::vector<std::uint8_t>& datagram, const ReportCheck& c,
                  const core::ManualClock& clock) {
    SCOPED_TRACE(c.who);
    const auto parsed = rtp::parse_rtcp(datagram);
    ASSERT_TRUE(parsed) << "the engine's RTCP does not parse";
    std::vector<rtp::RtcpPacket> packets;
    for (const rtp::RtcpPacket packet : *parsed)
        packets.push_back(packet);
    ASSERT_EQ(packets.size(), 2U);
    std::optional<rtp::ReportBlock> block;
    std::uint32_t ssrc = 0;
    if (c.expect_sr) {
        ASSERT_TRUE(packets[0].is(rtp::RtcpPacketType::sender_report));
        const rtp::SenderReportView sr = packets[0].sender_report();
        ssrc = sr.ssrc;
        const auto& got = c.peer.packets();
        ASSERT_FALSE(got.empty());
        EXPECT_EQ(sr.ssrc, got.back().ssrc);
        EXPECT_EQ(sr.sender.packet_count, got.size());
        EXPECT_EQ(sr.sender.octet_count, got.size() * frame_bytes);
        EXPECT_EQ(sr.sender.rtp_timestamp, got.back().ts);
        EXPECT_EQ(sr.sender.ntp, rtp::to_ntp(clock.wall_now()));
        ASSERT_EQ(sr.report_blocks.size(), 1U);
        block = sr.report_blocks[0];
    } else {
        ASSERT_TRUE(packets[0].is(rtp::RtcpPacketType::receiver_report));
        const rtp::ReceiverReportView rr = packets[0].receiver_report();
        ssrc = rr.ssrc;
        EXPECT_TRUE(c.peer.packets().empty());
        ASSERT_EQ(rr.report_blocks.size(), 1U);
        block = rr.report_blocks[0];
    }
    ASSERT_TRUE(packets[1].is(rtp::RtcpPacketType::source_description));
    std::vector<rtp::SdesChunk> chunks;
    for (const rtp::SdesChunk chunk : packets[1].sdes())
        chunks.push_back(chunk);
    ASSERT_EQ(chunks.size(), 1U);
    EXPECT_EQ(chunks[0].ssrc, ssrc);
    EXPECT_EQ(chunks[0].cname(), "suflyor");

    const rtp::ReportBlock expected{
        .ssrc = c.peer.ssrc(),
        .fraction_lost = c.sent.close_interval(),
        .cumulative_lost = static_cast<std::int32_t>(c.sent.expected() - c.sent.received),
        .extended_highest_sequence = c.sent.highest_seq,
        .jitter = static_cast<std::uint32_t>(c.sent.jitter_q4 >> 4),
        .last_sr = c.lsr,
        .delay_since_last_sr = c.dlsr,
    };
    EXPECT_EQ(*block, expected);
}

// A leg's report times: the first within 0.5-1.5 intervals of its creation (at 0), each next
// one 0.5-1.5 intervals later (± one 20 ms tick), and none overdue at `end`.
void expect_randomised_interval(const std::vector<std::int64_t>& times, std::int64_t end) {
    const std::int64_t interval = rtcp_interval.count();
    ASSERT_FALSE(times.empty());
    EXPECT_GE(times.front(), interval / 2);
    EXPECT_LE(times.front(), interval * 3 / 2 + 20);
    for (std::size_t i = 1; i < times.size(); ++i) {
        EXPECT_GE(times[i] - times[i - 1], interval / 2 - 20) << i;
        EXPECT_LE(times[i] - times[i - 1], interval * 3 / 2 + 20) << i;
    }
    EXPECT_LT(end - times.back(), interval * 3 / 2 + 20);
}

TEST_P(EngineRtcp, ReportsPerLegAtTheIntervalWithExactCountsLossAndJitter) {
    EngineConfig config = io_config();
    config.rtcp_interval = rtcp_interval;
    core::ManualClock clock;
    MediaEngine engine(config, clock);
    Peer c(suflyor::test::tone_a_hz, -12.0, 0x1111), o(suflyor::test::tone_b_hz, -12.0, 0x2222),
        s(suflyor::test::tone_c_hz, -12.0, 0x3333);
    RtcpSocket rc, ro, rs;
    auto spec = [](const Peer& peer, const RtcpSocket& rtcp) {
        LegMedia media = peer.media();
        media.remote_rtcp_port = rtcp.port();
        return LegSpec{.media = media};
    };
    const RoomId room = engine.create_room();
    const auto hc = engine.add_leg(room, spec(c, rc));
    const auto ho = engine.add_leg(room, spec(o, ro));
    const auto hs = engine.add_leg(room, spec(s, rs)); // hears nothing: receiver reports
    engine.set_plan(room, relay_plan());
    pump(engine);

    SentStream from_c, from_o, from_s;
    auto send = [&](Peer& peer, std::uint16_t port, SentStream& sent) {
        sent.on_sent(peer.next_seq(), peer.timestamp(), units_at(clock.mono_now()));
        peer.send_frame(port);
    };
    // The client loses frames 10, 11 and 70 and sends every odd frame 5 ms late (|D| = 40 units).
    const std::set<int> lost{10, 11, 70};
    // An SR from the client at 500 ms: the client's next reports must echo it.
    const rtp::NtpTimestamp client_sr_ntp{0x1234'5678, 0x9ABC'DEF0};
    std::map<const RtcpSocket*, std::vector<std::int64_t>> report_times;
    std::uint32_t client_lsr = 0;

    for (int i = 0; i < 150; ++i) {
        send(o, ho.rtp_port, from_o);
        send(s, hs.rtp_port, from_s);
        const bool late = i % 2 == 1;
        if (lost.contains(i))
            c.skip(1);
        else if (!late)
            send(c, hc.rtp_port, from_c);
        pump(engine);
        clock.advance(5ms);
        if (late && !lost.contains(i)) send(c, hc.rtp_port, from_c);
        pump(engine);
        clock.advance(15ms);
        if (clock.mono_now().time_since_epoch() == 500ms) {
            std::array<std::uint8_t, 64> sr{};
            const std::size_t n =
                rtp::write_sender_report(sr, {.ssrc = c.ssrc(), .sender = {.ntp = client_sr_ntp}});
            rc.send_to(std::span(sr.data(), n), static_cast<std::uint16_t>(hc.rtp_port + 1));
            pump(engine);
            client_lsr = client_sr_ntp.compact();
        }
        engine.tick();
        c.drain();
        o.drain();
        s.drain();
        const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                clock.mono_now().time_since_epoch())
                                .count();
        const std::uint32_t dlsr =
            rtp::to_compact_duration(clock.mono_now() - core::MonoTime{500ms});
        for (const auto& d : rc.take()) {
            report_times[&rc].push_back(now_ms);
            check_report(d, {"client", c, from_c, true, client_lsr, dlsr}, clock);
        }
        for (const auto& d : ro.take()) {
            report_times[&ro].push_back(now_ms);
            check_report(d, {"operator", o, from_o, true, 0, 0}, clock);
        }
        for (const auto& d : rs.take()) {
            report_times[&rs].push_back(now_ms);
            check_report(d, {"supervisor", s, from_s, false, 0, 0}, clock);
        }
    }
    expect_randomised_interval(report_times[&rc], 3000);
    expect_randomised_interval(report_times[&ro], 3000);
    expect_randomised_interval(report_times[&rs], 3000);
    // The injected figures are really there (not a trivially zero comparison).
    EXPECT_EQ(from_c.expected() - from_c.received, 3U);
    EXPECT_EQ(from_c.jitter_q4 >> 4, 39U);
    EXPECT_EQ(from_o.jitter_q4, 0U);

    engine.request_stats(room);
    pump(engine);
    for (const Event& e : events_of(engine)) {
        if (e.kind != EventKind::stats) continue;
        const RtcpSocket* socket = e.slot == client ? &rc : e.slot == operator_ ? &ro : &rs;
        EXPECT_EQ(e.stats.rtcp_out, report_times[socket].size()) << int(e.slot);
        EXPECT_EQ(e.stats.rtcp_in, e.slot == client ? 1U : 0U) << int(e.slot);
        EXPECT_EQ(e.stats.send_errors, 0U);
    }
}

INSTANTIATE_IO(EngineRtcp);

} // namespace
} // namespace suflyor::media::test
