// The media engine's per-leg statistics as /metrics counters: cumulative per-leg figures become
// counter increments (the difference since the leg's last report), including what WebRTC legs
// refuse (STUN checks, foreign DTLS records, SRTP failing authentication or replayed).
#include "app/media_metrics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace suflyor::app {
namespace {

media::Event stats(std::int64_t room, std::uint8_t slot, const media::LegStats& s) {
    media::Event e;
    e.kind = media::EventKind::stats;
    e.room = media::RoomId{room};
    e.slot = slot;
    e.stats = s;
    return e;
}

// The rendered value of one series line ("name{labels} value"), or -1 when absent.
double rendered(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(MediaMetrics, WebRtcDropsReachPrometheus) {
    api::Metrics registry;
    MediaMetrics metrics(registry);
    media::LegStats browser;
    browser.packets_in = 100;
    browser.stun_refused = 2;
    browser.dtls_foreign = 1;
    browser.srtp_auth_failed = 5;
    browser.srtp_replayed = 3;
    metrics.on_event(stats(7, 1, browser));
    // The same leg again: only the growth counts; another leg adds its own.
    browser.packets_in = 150;
    browser.srtp_auth_failed = 9;
    browser.srtp_replayed = 3;
    metrics.on_event(stats(7, 1, browser));
    media::LegStats other;
    other.stun_refused = 4;
    other.dropped_malformed = 2;
    metrics.on_event(stats(8, 0, other));

    const auto text = "\n" + registry.render();
    EXPECT_EQ(rendered(text, "suflyor_srtp_packets_dropped_total{reason=\"auth_failed\"}"), 9);
    EXPECT_EQ(rendered(text, "suflyor_srtp_packets_dropped_total{reason=\"replayed\"}"), 3);
    EXPECT_EQ(rendered(text, "suflyor_stun_requests_refused_total"), 6);
    EXPECT_EQ(rendered(text, "suflyor_dtls_foreign_records_total"), 1);
    EXPECT_EQ(rendered(text, "suflyor_rtp_packets_received_total"), 150);
    EXPECT_EQ(rendered(text, "suflyor_rtp_packets_dropped_total"), 2);
    EXPECT_NE(text.find("# HELP suflyor_srtp_packets_dropped_total SRTP"), std::string::npos);
    EXPECT_NE(text.find("# TYPE suflyor_stun_requests_refused_total counter"), std::string::npos);
    EXPECT_NE(text.find("# HELP suflyor_dtls_foreign_records_total DTLS"), std::string::npos);
}

TEST(MediaMetrics, ARemovedLegStartsAgainFromZero) {
    api::Metrics registry;
    MediaMetrics metrics(registry);
    media::LegStats s;
    s.srtp_auth_failed = 4;
    metrics.on_event(stats(3, 2, s));
    media::Event removed;
    removed.kind = media::EventKind::leg_removed;
    removed.room = media::RoomId{3};
    removed.slot = 2;
    metrics.on_event(removed);
    // A new leg in the same slot reports its own figures from zero: all of them count.
    s.srtp_auth_failed = 1;
    metrics.on_event(stats(3, 2, s));
    // A room destroyed forgets its legs too.
    media::Event destroyed;
    destroyed.kind = media::EventKind::room_destroyed;
    destroyed.room = media::RoomId{3};
    metrics.on_event(destroyed);
    s.srtp_auth_failed = 2;
    metrics.on_event(stats(3, 2, s));
    const auto text = "\n" + registry.render();
    EXPECT_EQ(rendered(text, "suflyor_srtp_packets_dropped_total{reason=\"auth_failed\"}"), 7);
    EXPECT_EQ(rendered(text, "suflyor_srtp_packets_dropped_total{reason=\"replayed\"}"), 0);
}

} // namespace
} // namespace suflyor::app
