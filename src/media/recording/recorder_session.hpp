#pragma once
// One call's recording on the recorder thread: the stereo client/operator timeline, and the
// supervisor timeline created only when supervisor audio first arrives. The supervisor file is
// aligned with the stereo one (leading silence up to the first supervisor sample), so tools can
// lay both on one timeline.
#include "media/recording/record_ring.hpp"
#include "media/recording/recorder_frame.hpp"
#include "media/recording/recorder_timeline.hpp"
#include "media/recording/wav.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace suflyor::media {

struct RecordingSpec {
    std::filesystem::path stereo_path;     // client left, operator right
    std::filesystem::path supervisor_path; // mono; created only if the supervisor spoke
    std::uint32_t sample_rate = 8000;
};

// Reported once per recording when it is finalized.
struct RecordingOutcome {
    RecordingId id{0};
    bool ok = true;
    std::string error; // the first failure, if any
    std::uint64_t stereo_frames = 0;
    bool has_supervisor = false;
    std::uint64_t supervisor_frames = 0;
    std::uint32_t sample_rate = 8000;
    // Samples of any track that never reached the files: dropped by a full ring, late, or for a
    // failed file. Gaps in what the phones sent are not losses.
    std::uint64_t lost_samples = 0;
    [[nodiscard]] std::int64_t lost_ms() const {
        return static_cast<std::int64_t>((lost_samples * 1000 + sample_rate - 1) / sample_rate);
    }
    [[nodiscard]] bool incomplete() const { return !ok || lost_samples > 0; }
};

// The recorder-side counters (written by the recorder thread, read from anywhere).
struct RecorderCounters {
    std::atomic<std::uint64_t> frames_written{0};
    std::atomic<std::uint64_t> frames_dropped_late{0};
    std::atomic<std::uint64_t> frames_dropped_invalid{0};
    std::atomic<std::uint64_t> bytes_written{0};
    std::atomic<std::uint64_t> write_errors{0};
};

class RecordingSession {
public:
    // Creates the stereo file now; a failure is recorded in the outcome (never throws).
    RecordingSession(RecordingId id, RecordingSpec spec, std::chrono::milliseconds reorder,
                     WavWriterOptions wav, RecorderCounters& counters);

    // Places one valid frame (count <= kMaxFrameSamples, a known track) and counts the result.
    // A file that failed drops its frames (counted invalid); the other file goes on.
    void accept(const RecordFrameView& frame) noexcept;
    // Samples the producer could not hand over (counted in the outcome).
    void add_lost(std::uint64_t samples) noexcept { outcome_.lost_samples += samples; }
    // Writes out what is held and closes the files (errors end up in the outcome).
    RecordingOutcome finish() noexcept;

private:
    struct Output {
        std::optional<TimelineWriter> timeline;
        bool broken = false;
    };
    bool create(Output& output, const std::filesystem::path& path, std::uint16_t channels) noexcept;
    void place(Output& output, unsigned channel, const RecordFrameView& frame) noexcept;
    void fail(Output& output, const char* what) noexcept;

    RecordingSpec spec_;
    WavWriterOptions wav_;
    std::uint64_t reorder_frames_;
    RecorderCounters& counters_;
    Output stereo_;
    Output supervisor_;
    RecordingOutcome outcome_;
};

} // namespace suflyor::media
