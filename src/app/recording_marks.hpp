#pragma once
// What the recorder says about itself reaches the operators: a recording that lost audio marks
// its call (recording_lost_ms, shown on the card), and the recorder's counters go to /metrics.
// The recorder reports on its own thread; the marks are applied on the control loop (apply()).
#include "api/api.hpp"
#include "center/center.hpp"
#include "media/media.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace suflyor::app {

class RecordingMarks final : public media::RecorderListener {
public:
    explicit RecordingMarks(api::Metrics& metrics);

    // On the recorder thread.
    void on_recording_finished(const media::RecordingOutcome& outcome) override;

    // On the control loop: marks the calls whose recordings lost audio since the last call
    // (announced as call.recording_incomplete), and brings the recorder's counters in /metrics
    // up to date.
    void apply(center::CallLog& calls, store::Store& store, api::EventHub& hub,
               const media::RecorderStats& stats);

private:
    std::mutex mutex_;
    std::vector<std::pair<std::int64_t, std::int64_t>> lost_; // (call id, lost ms)
    api::Counter& written_;
    api::Counter& dropped_ring_full_;
    api::Counter& dropped_late_;
    api::Counter& dropped_invalid_;
    api::Counter& write_errors_;
    api::Counter& incomplete_;
    api::Counter& sync_skipped_;
    api::Gauge& ring_fill_;
    api::Gauge& ring_bytes_;
    api::Gauge& sync_pending_;
};

} // namespace suflyor::app
