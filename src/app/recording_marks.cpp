#include "app/recording_marks.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::app {
namespace {

constexpr const char* kDroppedHelp =
    "Recording frames (20 ms of one track) lost before reaching the file, by reason: ring_full "
    "(the recorder could not keep up), late (arrived after its place was written), invalid";

} // namespace

RecordingMarks::RecordingMarks(api::Metrics& metrics)
    : written_(metrics.counter("suflyor_recording_frames_written_total",
                               "Recording frames (20 ms of one track) written to files")),
      dropped_ring_full_(metrics.counter("suflyor_recording_frames_dropped_total", kDroppedHelp,
                                         {{"reason", "ring_full"}})),
      dropped_late_(metrics.counter("suflyor_recording_frames_dropped_total", kDroppedHelp,
                                    {{"reason", "late"}})),
      dropped_invalid_(metrics.counter("suflyor_recording_frames_dropped_total", kDroppedHelp,
                                       {{"reason", "invalid"}})),
      write_errors_(metrics.counter("suflyor_recording_write_errors_total",
                                    "Recording files that failed to be created or written")),
      incomplete_(metrics.counter("suflyor_recordings_incomplete_total",
                                  "Recordings finished with audio lost or a file error")),
      sync_skipped_(metrics.counter(
          "suflyor_recording_syncs_skipped_total",
          "Periodic fdatasyncs of recordings left out because the disk was behind")),
      ring_fill_(metrics.gauge("suflyor_recording_ring_fill_ratio",
                               "How full the fullest recorder ring was at its latest drain (0-1)")),
      ring_bytes_(metrics.gauge("suflyor_recording_ring_bytes",
                                "Bytes of the recorder's rings (they grow with open recordings)")),
      sync_pending_(metrics.gauge("suflyor_recording_syncs_pending",
                                  "fdatasyncs of recordings waiting for the disk")) {}

void RecordingMarks::on_recording_finished(const media::RecordingOutcome& outcome) {
    if (!outcome.incomplete()) return;
    const std::lock_guard lock(mutex_);
    lost_.emplace_back(outcome.id.value(), outcome.lost_ms());
}

void RecordingMarks::apply(center::CallLog& calls, store::Store& store, api::EventHub& hub,
                           const media::RecorderStats& stats) {
    std::vector<std::pair<std::int64_t, std::int64_t>> lost;
    {
        const std::lock_guard lock(mutex_);
        lost.swap(lost_);
    }
    for (const auto& [call, ms] : lost) {
        try {
            const center::Call marked = calls.mark_recording_incomplete(center::CallId{call}, ms);
            hub.publish("call.recording_incomplete", marked.account_id.value(),
                        api::call_json(store, marked));
        } catch (const std::exception& e) {
            spdlog::error("recording of call {} lost {} ms, but the call cannot be marked: {}",
                          call, ms, e.what());
        }
    }
    const auto grow = [](api::Counter& counter, std::uint64_t to) {
        if (static_cast<double>(to) > counter.value())
            counter.inc(static_cast<double>(to) - counter.value());
    };
    grow(written_, stats.frames_written);
    grow(dropped_ring_full_, stats.frames_dropped_ring_full);
    grow(dropped_late_, stats.frames_dropped_late);
    grow(dropped_invalid_, stats.frames_dropped_invalid);
    grow(write_errors_, stats.write_errors);
    grow(incomplete_, stats.recordings_incomplete);
    grow(sync_skipped_, stats.sync.skipped);
    ring_fill_.set(stats.ring_fill);
    ring_bytes_.set(static_cast<double>(stats.ring_bytes));
    sync_pending_.set(static_cast<double>(stats.sync.pending));
}

} // namespace suflyor::app
