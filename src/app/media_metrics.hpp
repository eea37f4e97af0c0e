#pragma once
// RTP quality for /metrics, from the media engine's per-leg statistics, and what WebRTC legs
// refuse (STUN checks, foreign DTLS, SRTP failing authentication or replayed). The engine reports
// cumulative figures per leg; the counters grow by the difference since that leg's last report.
#include "api/api.hpp"
#include "media/media.hpp"

#include <cstdint>
#include <map>
#include <utility>

namespace suflyor::app {

class MediaMetrics {
public:
    explicit MediaMetrics(api::Metrics& metrics);
    void on_event(const media::Event& event); // on the control loop

private:
    struct Seen {
        std::uint64_t received{0}, lost{0}, concealed{0}, dropped{0};
        std::uint64_t stun_refused{0}, dtls_foreign{0}, srtp_auth_failed{0}, srtp_replayed{0};
    };
    std::map<std::pair<std::int64_t, std::uint8_t>, Seen> seen_; // by (room, slot)
    api::Counter& received_;
    api::Counter& lost_;
    api::Counter& concealed_;
    api::Counter& dropped_;
    api::Counter& srtp_auth_failed_;
    api::Counter& srtp_replayed_;
    api::Counter& stun_refused_;
    api::Counter& dtls_foreign_;
};

} // namespace suflyor::app
