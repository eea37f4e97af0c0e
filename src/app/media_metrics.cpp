#include "app/media_metrics.hpp"

namespace suflyor::app {

MediaMetrics::MediaMetrics(api::Metrics& metrics)
    : received_(metrics.counter("suflyor_rtp_packets_received_total",
                                "RTP packets accepted from the parties' phones")),
      lost_(metrics.counter("suflyor_rtp_packets_lost_total",
                            "RTP packets lost on the way in (RFC 3550 cumulative loss)")),
      concealed_(metrics.counter("suflyor_rtp_concealed_frames_total",
                                 "20 ms frames the mixer filled by loss concealment")),
      dropped_(metrics.counter("suflyor_rtp_packets_dropped_total",
                               "Packets dropped: foreign source, malformed, probation, other")) {}

void MediaMetrics::on_event(const media::Event& event) {
    const auto room = event.room.value();
    switch (event.kind) {
    case media::EventKind::stats: {
        const auto& s = event.stats;
        const Seen now{s.packets_in, s.lost, s.concealed,
                       s.dropped_foreign_source + s.dropped_malformed + s.dropped_probation +
                           s.dropped_other};
        auto& before = seen_[{room, event.slot}];
        const auto grow = [](api::Counter& counter, std::uint64_t from, std::uint64_t to) {
            if (to > from) counter.inc(static_cast<double>(to - from));
        };
        grow(received_, before.received, now.received);
        grow(lost_, before.lost, now.lost);
        grow(concealed_, before.concealed, now.concealed);
        grow(dropped_, before.dropped, now.dropped);
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
