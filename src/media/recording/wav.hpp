#pragma once
// 16-bit PCM WAV files: a crash-safe writer, a strict parser, and a start-up repair.
//
// Crash safety: the writer keeps at most `buffer` of audio in memory and rewrites the RIFF and
// data sizes (pwrite) followed by fdatasync every `header_interval` of *audio* appended (not of
// wall time: the recorder writes in real time, and a count of samples is deterministic to test).
// A kill -9 therefore loses at most the in-memory buffer (the kernel keeps what was written), and
// leaves a header at most one interval behind the data; repair_wav() fixes the sizes from the
// file length. A power loss loses at most about one interval plus the buffer.
#include "rtp/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::media {

// Only 16-bit PCM is written or read; channels is 1 (mono) or 2 (stereo, interleaved L R).
struct WavFormat {
    std::uint16_t channels = 1;
    std::uint32_t sample_rate = 8000;
    [[nodiscard]] std::uint32_t block_align() const { return channels * 2U; }
    bool operator==(const WavFormat&) const = default;
};

inline constexpr std::uint32_t kWavMaxSampleRate = 768'000;
inline constexpr std::size_t kWavHeaderBytes = 44; // what WavWriter writes: RIFF + fmt + data

// ---- parsing -------------------------------------------------------------------------------

enum class WavError {
    too_short,          // fewer than 12 bytes
    not_riff,           // no "RIFF" magic
    not_wave,           // RIFF, but not of form "WAVE"
    riff_size_mismatch, // RIFF size field disagrees with the input length
    chunk_truncated,    // a chunk (or its pad byte) runs past the end
    duplicate_fmt,
    duplicate_data,
    bad_fmt_size,    // fmt chunk not 16 bytes (or 18 with cbSize 0)
    not_pcm,         // format tag other than 1 (PCM)
    bad_channels,    // not 1 or 2
    bad_sample_rate, // 0 or above kWavMaxSampleRate
    bad_bits,        // not 16 bits per sample
    bad_block_align,
    bad_byte_rate,
    data_before_fmt,
    missing_fmt,
    missing_data,
    partial_frame, // data size not a whole number of sample frames
};
std::string_view to_string(WavError error);

// A parsed file: the format and a view of the sample bytes inside the input (no copy).
struct WavView {
    WavFormat format;
    std::span<const std::uint8_t> data; // interleaved little-endian int16
    [[nodiscard]] std::uint64_t frames() const { return data.size() / format.block_align(); }
    [[nodiscard]] std::size_t samples() const { return data.size() / 2; }
    // Sample `index` of the interleaved stream (frame * channels + channel).
    [[nodiscard]] std::int16_t sample(std::size_t index) const {
        return static_cast<std::int16_t>(
            static_cast<std::uint16_t>(data[2 * index] | (data[2 * index + 1] << 8)));
    }
};

using WavParseResult = rtp::ParseResult<WavView, WavError>;

// Strict: the RIFF size must equal the input length, every chunk must fit (with its pad byte),
// fmt must precede data, and the data must hold whole frames. Unknown chunks are skipped.
[[nodiscard]] WavParseResult parse_wav(std::span<const std::uint8_t> bytes);

// The whole file decoded, for tests and tools. Throws core::Error (invalid_argument) naming the
// file and the WavError, or (storage) when the file cannot be read.
struct WavData {
    WavFormat format;
    std::vector<std::int16_t> samples; // interleaved
    [[nodiscard]] std::uint64_t frames() const { return samples.size() / format.channels; }
};
[[nodiscard]] WavData read_wav(const std::filesystem::path& path);

// ---- writing -------------------------------------------------------------------------------

class WavSyncer;

struct WavWriterOptions {
    std::chrono::milliseconds header_interval{2000}; // audio between header rewrites + fdatasync
    std::chrono::milliseconds buffer{250};           // audio held in memory before a write()
    // Not null: every fdatasync (and the final close) is handed to this thread instead of being
    // waited for; durability then lags by the syncer's queue, the writer never waits on the disk.
    WavSyncer* syncer = nullptr;
    // Called before each write() of buffered audio with its size: lets a test stand in a slow
    // disk (a write that blocks). Empty in production.
    std::function<void(std::size_t)> before_write;
};

// Appends samples to a new file (truncating any old one). Not thread-safe: one owner thread.
// I/O failures throw core::Error (storage); the file then stays as repair_wav() can fix it.
class WavWriter {
public:
    WavWriter(std::filesystem::path path, WavFormat format, WavWriterOptions options = {});
    ~WavWriter(); // closes (finalizing the header) if still open; errors are swallowed
    WavWriter(WavWriter&& other) noexcept;
    WavWriter& operator=(WavWriter&& other) noexcept;
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    // Interleaved samples; the size must be a multiple of the channel count.
    void append(std::span<const std::int16_t> interleaved);
    void append_silence(std::uint64_t frames);
    // Writes the buffer, rewrites the header sizes and fdatasyncs (or queues the fdatasync).
    void sync();
    // sync() and close the file. Further appends throw.
    void close();

    [[nodiscard]] bool is_open() const { return fd_ >= 0; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] WavFormat format() const { return format_; }
    [[nodiscard]] std::uint64_t frames_appended() const { return frames_appended_; }
    // Data bytes handed to the kernel (excludes the header and what is still buffered).
    [[nodiscard]] std::uint64_t bytes_written() const { return bytes_written_; }
    // Frames the on-disk header currently claims.
    [[nodiscard]] std::uint64_t header_frames() const { return header_frames_; }

private:
    void check_room(std::uint64_t frames) const; // open, and within the 4 GiB RIFF limit
    void append_bytes(const std::uint8_t* bytes, std::size_t size);
    void flush_buffer();
    void maybe_sync();
    void write_header();

    std::filesystem::path path_;
    WavFormat format_;
    std::uint64_t header_interval_frames_;
    std::size_t buffer_capacity_; // bytes, a whole number of frames
    WavSyncer* syncer_;
    std::function<void(std::size_t)> before_write_;
    std::vector<std::uint8_t> buffer_;
    int fd_ = -1;
    std::uint64_t frames_appended_ = 0;
    std::uint64_t bytes_written_ = 0;
    std::uint64_t header_frames_ = 0;
};

// ---- repair --------------------------------------------------------------------------------

enum class WavRepairStatus {
    intact,       // parses strictly; untouched
    repaired,     // sizes rewritten (and a trailing partial frame cut off)
    unrepairable, // not a WAV we can fix (no RIFF/WAVE, no valid fmt, no data header); untouched
};
std::string_view to_string(WavRepairStatus status);

struct WavRepairReport {
    WavRepairStatus status = WavRepairStatus::intact;
    std::string detail;                  // what was wrong / what was done
    std::uint64_t header_data_bytes = 0; // the data size the header claimed before
    std::uint64_t data_bytes = 0;        // the data size after (== before when intact)
    std::uint64_t truncated_bytes = 0;   // bytes cut from the end of the file
};

// Makes the header agree with the file: data runs from the data chunk to the end of the file
// (as WavWriter lays it out: data is the last chunk), cut to whole frames and to the 4 GiB
// limit. Throws core::Error (storage) only when the file cannot be opened or written.
WavRepairReport repair_wav(const std::filesystem::path& path);

} // namespace suflyor::media
