#include "app/media_metrics.hpp"

namespace suflyor::app {
namespace {

constexpr const char* kSrtpDroppedHelp =
    "SRTP/SRTCP packets from browsers (WebRTC legs) dropped, by reason: auth_failed (bad tag, "
    "wrong key) or replayed (already seen or too old)";

} // namespace

MediaMetrics::MediaMetrics(api::Metrics& metrics)
    : received_(metrics.counter("suflyor_rtp_packets_received_total",
                                "RTP packets accepted from the parties' phones")),
      lost_(metrics.counter("suflyor_rtp_packets_lost_total",
                            "RTP packets lost on the way in (RFC 3550 cumulative loss)")),
      concealed_(metrics.counter("suflyor_rtp_concealed_frames_total",
                                 "20 ms frames the mixer filled by loss concealment")),
      dropped_(metrics.counter("suflyor_rtp_packets_dropped_total",
                               "Packets dropped: foreign source, malformed, probation, other")),
      srtp_auth_failed_(metrics.counter("suflyor_srtp_packets_dropped_total", kSrtpDroppedHelp,
                                        {{"reason", "auth_failed"}})),
      srtp_replayed_(metrics.counter("suflyor_srtp_packets_dropped_total", kSrtpDroppedHelp,
                                     {{"reason", "replayed"}})),
      stun_refused_(metrics.counter(
          "suflyor_stun_requests_refused_total",
          "STUN binding requests to WebRTC legs refused or dropped (wrong MESSAGE-INTEGRITY or "
          "username, malformed)")),
      dtls_foreign_(metrics.counter(
          "suflyor_dtls_foreign_records_total",
          "DTLS records to WebRTC legs from an address other than the ICE-selected one, "
          "dropped")) {}

void MediaMetrics::on_event(const media::Event& event) {
    const auto room = event.room.value();
    switch (event.kind) {
    case media::EventKind::stats: {
        const auto& s = event.stats;
        const Seen now{s.packets_in,
                       s.lost,
                       s.concealed,
                       s.dropped_foreign_source + s.dropped_malformed + s.dropped_probation +
                           s.dropped_other,
                       s.stun_refused,
                       s.dtls_foreign,
                       s.srtp_auth_failed,
                       s.srtp_replayed};
        auto& before = seen_[{room, event.slot}];
        const auto grow = [](api::Counter& counter, std::uint64_t from, std::uint64_t to) {
            if (to > from) counter.inc(static_cast<double>(to - from));
        };
        grow(received_, before.received, now.received);
        grow(lost_, before.lost, now.lost);
        grow(concealed_, before.concealed, now.concealed);
        grow(dropped_, before.dropped, now.dropped);
        grow(stun_refused_, before.stun_refused, now.stun_refused);
        grow(dtls_foreign_, before.dtls_foreign, now.dtls_foreign);
        grow(srtp_auth_failed_, before.srtp_auth_failed, now.srtp_auth_failed);
        grow(srtp_replayed_, before.srtp_replayed, now.srtp_replayed);
        before = now;
        break;
    }
    case media::EventKind::leg_removed: seen_.erase({room, event.slot}); break;
    case media::EventKind::room_destroyed:
        std::erase_if(seen_, [room](const auto& e) { return e.first.first == room; });
        break;
    default: break;
    }
}

} // namespace suflyor::app
