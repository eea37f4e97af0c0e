#include "media/recording/recorder_session.hpp"

#include <spdlog/spdlog.h>

#include <span>
#include <utility>

namespace suflyor::media {

RecordingSession::RecordingSession(RecordingId id, RecordingSpec spec,
                                   std::chrono::milliseconds reorder, WavWriterOptions wav,
                                   RecorderCounters& counters)
    : spec_(std::move(spec)), wav_(wav),
      reorder_frames_(static_cast<std::uint64_t>(reorder.count()) * spec_.sample_rate / 1000),
      counters_(counters) {
    outcome_.id = id;
    outcome_.sample_rate = spec_.sample_rate;
    create(stereo_, spec_.stereo_path, 2);
}

bool RecordingSession::create(Output& output, const std::filesystem::path& path,
                              std::uint16_t channels) noexcept {
    try {
        output.timeline.emplace(path, WavFormat{channels, spec_.sample_rate}, reorder_frames_,
                                wav_);
        return true;
    } catch (const std::exception& e) {
        fail(output, e.what());
        return false;
    }
}

void RecordingSession::fail(Output& output, const char* what) noexcept {
    output.broken = true;
    counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("[media] recording {}: {}", outcome_.id.value(), what);
    if (outcome_.ok) {
        outcome_.ok = false;
        try {
            outcome_.error = what;
        } catch (...) { // out of memory for the message: the flag still says it failed
        }
    }
}

void RecordingSession::accept(const RecordFrameView& frame) noexcept {
    switch (frame.track) {
    case Track::client: place(stereo_, 0, frame); return;
    case Track::operator_: place(stereo_, 1, frame); return;
    case Track::supervisor:
        if (!supervisor_.timeline && !supervisor_.broken &&
            !create(supervisor_, spec_.supervisor_path, 1)) {
            counters_.frames_dropped_invalid.fetch_add(1, std::memory_order_relaxed);
            outcome_.lost_samples += frame.samples.size();
            return;
        }
        place(supervisor_, 0, frame);
        return;
    }
    counters_.frames_dropped_invalid.fetch_add(1, std::memory_order_relaxed);
}

void RecordingSession::place(Output& output, unsigned channel,
                             const RecordFrameView& frame) noexcept {
    if (output.broken || !output.timeline) {
        counters_.frames_dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        outcome_.lost_samples += frame.samples.size();
        return;
    }
    const std::uint64_t bytes_before = output.timeline->bytes_written();
    try {
        const auto placed = output.timeline->place(channel, frame.position, frame.samples);
        const bool late = placed == TimelineWriter::Placed::late;
        if (late) outcome_.lost_samples += frame.samples.size();
        auto& counter = late ? counters_.frames_dropped_late : counters_.frames_written;
        counter.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::exception& e) {
        fail(output, e.what());
    }
    counters_.bytes_written.fetch_add(output.timeline->bytes_written() - bytes_before,
                                      std::memory_order_relaxed);
}

RecordingOutcome RecordingSession::finish() noexcept {
    const auto finish_one = [this](Output& output) {
        if (!output.timeline) return;
        const std::uint64_t bytes_before = output.timeline->bytes_written();
        try {
            output.timeline->finish();
        } catch (const std::exception& e) {
            if (!output.broken) fail(output, e.what());
        }
        counters_.bytes_written.fetch_add(output.timeline->bytes_written() - bytes_before,
                                          std::memory_order_relaxed);
    };
    finish_one(stereo_);
    finish_one(supervisor_);
    outcome_.stereo_frames = stereo_.timeline ? stereo_.timeline->end_position() : 0;
    outcome_.has_supervisor = supervisor_.timeline.has_value();
    outcome_.supervisor_frames = supervisor_.timeline ? supervisor_.timeline->end_position() : 0;
    return std::move(outcome_); // called once
}

} // namespace suflyor::media
