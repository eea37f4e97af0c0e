#include "media/recording/recorder_timeline.hpp"

#include "media/recording/recorder_frame.hpp"

#include <algorithm>
#include <cstdint>

namespace suflyor::media {

TimelineWriter::TimelineWriter(const std::filesystem::path& path, WavFormat format,
                               std::uint64_t reorder_frames, WavWriterOptions options)
    : writer_(path, format, options), channels_(format.channels),
      reorder_frames_(std::max<std::uint64_t>(reorder_frames, kMaxFrameSamples)),
      capacity_frames_(reorder_frames_ + kMaxFrameSamples),
      window_(capacity_frames_ * channels_, 0) {}

TimelineWriter::Placed TimelineWriter::place(unsigned channel, std::uint64_t position,
                                             std::span<const std::int16_t> samples) {
    if (samples.size() > UINT64_MAX - position) return Placed::late; // a corrupt position
    const std::uint64_t end = position + samples.size();
    if (end > end_) {
        end_ = end;
        if (end_ > reorder_frames_) commit_until(end_ - reorder_frames_);
    }
    if (end <= committed_) return Placed::late;
    Placed placed = Placed::whole;
    if (position < committed_) {
        samples = samples.subspan(committed_ - position);
        position = committed_;
        placed = Placed::trimmed;
    }
    // Invariant: everything placed lies in [committed_, committed_ + capacity_frames_).
    std::uint64_t slot = position % capacity_frames_; // one division per frame, not per sample
    for (const std::int16_t sample : samples) {
        window_[slot * channels_ + channel] = sample;
        if (++slot == capacity_frames_) slot = 0;
    }
    return placed;
}

void TimelineWriter::commit_until(std::uint64_t position) {
    if (position <= committed_) return;
    // The window holds data only up to committed_ + capacity; anything beyond is a gap.
    const std::uint64_t from_window = std::min(position, committed_ + capacity_frames_);
    while (committed_ < from_window) {
        const std::uint64_t slot = committed_ % capacity_frames_;
        const std::uint64_t run = std::min(from_window - committed_, capacity_frames_ - slot);
        const auto first = window_.begin() + static_cast<std::ptrdiff_t>(slot * channels_);
        const auto last = first + static_cast<std::ptrdiff_t>(run * channels_);
        writer_.append(std::span<const std::int16_t>(&*first, run * channels_));
        std::fill(first, last, std::int16_t{0});
        committed_ += run;
    }
    if (position > committed_) {
        writer_.append_silence(position - committed_);
        committed_ = position;
    }
}

void TimelineWriter::finish() {
    commit_until(end_);
    writer_.close();
}

} // namespace suflyor::media
