#pragma once
// One output file fed by one or more tracks (channels) by timeline position. Frames may arrive
// out of order within a reorder window: they are placed into a circular window that is written
// out once the newest position seen is `reorder` ahead of it. Uncovered samples (a missing
// track, a gap) are silence; a frame that ends before what was already written is late.
#include "media/recording/wav.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace suflyor::media {

class TimelineWriter {
public:
    enum class Placed { whole, trimmed, late }; // trimmed: its head was already written

    // reorder_frames is raised to at least one maximal frame. Creates the file (throws
    // core::Error on failure).
    TimelineWriter(const std::filesystem::path& path, WavFormat format,
                   std::uint64_t reorder_frames, WavWriterOptions options);

    // samples are mono for `channel` (< format.channels).
    Placed place(unsigned channel, std::uint64_t position, std::span<const std::int16_t> samples);
    // Writes everything up to the newest position seen and closes the file.
    void finish();

    [[nodiscard]] std::uint64_t end_position() const { return end_; }
    [[nodiscard]] std::uint64_t bytes_written() const { return writer_.bytes_written(); }

private:
    void commit_until(std::uint64_t position);

    WavWriter writer_;
    unsigned channels_;
    std::uint64_t reorder_frames_;
    std::uint64_t capacity_frames_;
    std::vector<std::int16_t> window_; // capacity_frames_ x channels_, indexed by position mod
    std::uint64_t committed_ = 0;      // positions below this are in the writer
    std::uint64_t end_ = 0;            // one past the newest sample placed
};

} // namespace suflyor::media
