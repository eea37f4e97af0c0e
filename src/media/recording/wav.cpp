// WAV parsing, writing and repair. The on-disk layout written here is the canonical 44-byte
// header (RIFF, fmt of 16 bytes, data) followed by the samples; data is always the last chunk.
#include "media/recording/wav.hpp"

#include "core/error.hpp"
#include "media/recording/wav_syncer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace suflyor::media {
namespace {

using core::ErrorCode;

// RIFF sizes are 32-bit: the RIFF size (file length - 8) must fit in a uint32.
constexpr std::uint64_t kMaxRiffSize = 0xFFFF'FFFFULL;

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
           (static_cast<std::uint32_t>(b[at + 2]) << 16) |
           (static_cast<std::uint32_t>(b[at + 3]) << 24);
}
void put_le16(std::uint8_t* out, std::uint16_t v) {
    out[0] = static_cast<std::uint8_t>(v);
    out[1] = static_cast<std::uint8_t>(v >> 8);
}
void put_le32(std::uint8_t* out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
bool has_id(std::span<const std::uint8_t> b, std::size_t at, const char (&id)[5]) {
    return std::memcmp(b.data() + at, id, 4) == 0;
}

// The largest data size (whole frames) a file whose data starts at `data_offset` can declare.
std::uint64_t max_data_bytes(std::uint64_t data_offset, std::uint32_t block_align) {
    const std::uint64_t max = kMaxRiffSize + 8 - data_offset;
    return max - max % block_align;
}

std::optional<WavError> parse_fmt(std::span<const std::uint8_t> fmt, WavFormat& out) {
    if (fmt.size() != 16 && !(fmt.size() == 18 && le16(fmt, 16) == 0))
        return WavError::bad_fmt_size;
    if (le16(fmt, 0) != 1) return WavError::not_pcm;
    const std::uint16_t channels = le16(fmt, 2);
    const std::uint32_t rate = le32(fmt, 4);
    const std::uint32_t byte_rate = le32(fmt, 8);
    const std::uint16_t block_align = le16(fmt, 12);
    if (channels < 1 || channels > 2) return WavError::bad_channels;
    if (rate == 0 || rate > kWavMaxSampleRate) return WavError::bad_sample_rate;
    if (le16(fmt, 14) != 16) return WavError::bad_bits;
    if (block_align != channels * 2U) return WavError::bad_block_align;
    if (byte_rate != static_cast<std::uint64_t>(rate) * block_align) return WavError::bad_byte_rate;
    out = WavFormat{channels, rate};
    return std::nullopt;
}

// Where the samples start and what the header says about them.
struct Layout {
    WavFormat format;
    std::size_t data_offset = 0;
    std::uint32_t declared_data = 0;
};

// Checks the magic and every chunk before the data payload, stopping at the data chunk header.
// Ignores the RIFF size and the data size: the part both the strict parser and repair trust.
// Returns std::nullopt when the header is usable.
std::optional<WavError> scan_header(std::span<const std::uint8_t> b, Layout& out) {
    if (b.size() < 12) return WavError::too_short;
    if (!has_id(b, 0, "RIFF")) return WavError::not_riff;
    if (!has_id(b, 8, "WAVE")) return WavError::not_wave;
    bool have_fmt = false;
    std::uint64_t pos = 12;
    while (true) {
        if (b.size() - pos < 8) return have_fmt ? WavError::missing_data : WavError::missing_fmt;
        const std::uint32_t size = le32(b, pos + 4);
        if (has_id(b, pos, "data")) {
            if (!have_fmt) return WavError::data_before_fmt;
            out.data_offset = pos + 8;
            out.declared_data = size;
            return std::nullopt;
        }
        const std::uint64_t end = pos + 8 + size + (size & 1U);
        if (end > b.size()) return WavError::chunk_truncated;
        if (has_id(b, pos, "fmt ")) {
            if (have_fmt) return WavError::duplicate_fmt;
            if (const auto e = parse_fmt(b.subspan(pos + 8, size), out.format)) return e;
            have_fmt = true;
        }
        pos = end;
    }
}

std::array<std::uint8_t, kWavHeaderBytes> make_header(WavFormat f, std::uint32_t data_bytes) {
    std::array<std::uint8_t, kWavHeaderBytes> h{};
    std::memcpy(h.data(), "RIFF", 4);
    put_le32(h.data() + 4, static_cast<std::uint32_t>(kWavHeaderBytes - 8 + data_bytes));
    std::memcpy(h.data() + 8, "WAVEfmt ", 8);
    put_le32(h.data() + 16, 16);
    put_le16(h.data() + 20, 1); // PCM
    put_le16(h.data() + 22, f.channels);
    put_le32(h.data() + 24, f.sample_rate);
    put_le32(h.data() + 28, f.sample_rate * f.block_align());
    put_le16(h.data() + 32, static_cast<std::uint16_t>(f.block_align()));
    put_le16(h.data() + 34, 16);
    std::memcpy(h.data() + 36, "data", 4);
    put_le32(h.data() + 40, data_bytes);
    return h;
}

[[noreturn]] void fail_io(const char* what, const std::filesystem::path& path) {
    core::fail(ErrorCode::storage,
               std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, const std::uint8_t* data, std::size_t size, const std::filesystem::path& p) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_io("write", p);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void pwrite_all(int fd, const std::uint8_t* data, std::size_t size, off_t offset,
                const std::filesystem::path& p) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, offset);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_io("pwrite", p);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
        offset += n;
    }
}

class UniqueFd {
public:
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

// A read-only mapping of a whole file (empty files map to an empty span).
class MappedFile {
public:
    MappedFile(int fd, std::size_t size, const std::filesystem::path& path) : size_(size) {
        if (size_ == 0) return;
        void* addr = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
        if (addr == MAP_FAILED) fail_io("mmap", path);
        addr_ = static_cast<const std::uint8_t*>(addr);
    }
    ~MappedFile() {
        if (addr_ != nullptr) ::munmap(const_cast<std::uint8_t*>(addr_), size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {addr_, addr_ ? size_ : 0}; }

private:
    const std::uint8_t* addr_ = nullptr;
    std::size_t size_;
};

std::uint64_t file_size(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail_io("fstat", path);
    return static_cast<std::uint64_t>(st.st_size);
}

// Makes the file's directory entry durable (best effort: a directory may refuse fsync).
void sync_parent_directory(const std::filesystem::path& path) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
}

} // namespace

std::string_view to_string(WavError error) {
    switch (error) {
    case WavError::too_short: return "too short for a RIFF header";
    case WavError::not_riff: return "not a RIFF file";
    case WavError::not_wave: return "RIFF form is not WAVE";
    case WavError::riff_size_mismatch: return "RIFF size does not match the file length";
    case WavError::chunk_truncated: return "a chunk runs past the end of the file";
    case WavError::duplicate_fmt: return "more than one fmt chunk";
    case WavError::duplicate_data: return "more than one data chunk";
    case WavError::bad_fmt_size: return "fmt chunk size is not 16 (or 18 with cbSize 0)";
    case WavError::not_pcm: return "format is not PCM";
    case WavError::bad_channels: return "channel count is not 1 or 2";
    case WavError::bad_sample_rate: return "sample rate out of range";
    case WavError::bad_bits: return "bits per sample is not 16";
    case WavError::bad_block_align: return "block align does not match channels";
    case WavError::bad_byte_rate: return "byte rate does not match rate and block align";
    case WavError::data_before_fmt: return "data chunk before fmt chunk";
    case WavError::missing_fmt: return "no fmt chunk";
    case WavError::missing_data: return "no data chunk";
    case WavError::partial_frame: return "data size is not a whole number of frames";
    }
    return "unknown WAV error";
}

WavParseResult parse_wav(std::span<const std::uint8_t> bytes) {
    Layout layout;
    if (const auto e = scan_header(bytes, layout)) return *e;
    if (static_cast<std::uint64_t>(le32(bytes, 4)) + 8 != bytes.size()) {
        return WavError::riff_size_mismatch;
    }
    const std::uint64_t data_end = layout.data_offset + std::uint64_t{layout.declared_data};
    if (data_end > bytes.size()) return WavError::chunk_truncated;
    if (layout.declared_data % layout.format.block_align() != 0) {
        return WavError::partial_frame;
    }
    // Chunks after the data (e.g. LIST) must be well-formed too. Data is even-sized: no pad.
    for (std::uint64_t pos = data_end; pos < bytes.size();) {
        if (bytes.size() - pos < 8) return WavError::chunk_truncated;
        const std::uint32_t size = le32(bytes, pos + 4);
        if (has_id(bytes, pos, "fmt ")) return WavError::duplicate_fmt;
        if (has_id(bytes, pos, "data")) return WavError::duplicate_data;
        pos += 8 + std::uint64_t{size} + (size & 1U);
        if (pos > bytes.size()) return WavError::chunk_truncated;
    }
    return WavView{layout.format, bytes.subspan(layout.data_offset, layout.declared_data)};
}

WavData read_wav(const std::filesystem::path& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail_io("open", path);
    const MappedFile file(fd.get(), file_size(fd.get(), path), path);
    const WavParseResult parsed = parse_wav(file.bytes());
    if (!parsed.ok()) {
        core::fail(ErrorCode::invalid_argument,
                   path.string() + ": invalid WAV: " + std::string(to_string(parsed.error())));
    }
    WavData out{parsed->format, std::vector<std::int16_t>(parsed->samples())};
    for (std::size_t i = 0; i < out.samples.size(); ++i)
        out.samples[i] = parsed->sample(i);
    return out;
}

// ---- WavWriter -----------------------------------------------------------------------------

WavWriter::WavWriter(std::filesystem::path path, WavFormat format, WavWriterOptions options)
    : path_(std::move(path)), format_(format), syncer_(options.syncer),
      before_write_(std::move(options.before_write)) {
    if (format.channels < 1 || format.channels > 2 || format.sample_rate == 0 ||
        format.sample_rate > kWavMaxSampleRate) {
        core::fail(ErrorCode::invalid_argument, "unsupported WAV format for " + path_.string());
    }
    const auto frames_in = [&](std::chrono::milliseconds d) {
        return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(d.count()) *
                                              format.sample_rate / 1000);
    };
    header_interval_frames_ = frames_in(options.header_interval);
    buffer_capacity_ = frames_in(options.buffer) * format.block_align();
    buffer_.reserve(buffer_capacity_);

    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail_io("create", path_);
    try {
        const auto header = make_header(format_, 0);
        write_all(fd_, header.data(), header.size(), path_);
        if (syncer_ == nullptr && ::fdatasync(fd_) != 0) fail_io("fdatasync", path_);
    } catch (...) {
        ::close(fd_);
        fd_ = -1;
        throw;
    }
    if (syncer_ != nullptr) {
        syncer_->sync(fd_, path_);
        syncer_->sync_directory(path_.has_parent_path() ? path_.parent_path() : ".");
    } else {
        sync_parent_directory(path_);
    }
}

WavWriter::~WavWriter() {
    try {
        close();
    } catch (...) { // nothing to report to from a destructor; repair_wav fixes the file
    }
}

WavWriter::WavWriter(WavWriter&& other) noexcept
    : path_(std::move(other.path_)), format_(other.format_),
      header_interval_frames_(other.header_interval_frames_),
      buffer_capacity_(other.buffer_capacity_), syncer_(other.syncer_),
      before_write_(std::move(other.before_write_)), buffer_(std::move(other.buffer_)),
      fd_(std::exchange(other.fd_, -1)), frames_appended_(other.frames_appended_),
      bytes_written_(other.bytes_written_), header_frames_(other.header_frames_) {}

WavWriter& WavWriter::operator=(WavWriter&& other) noexcept {
    if (this != &other) {
        WavWriter old(std::move(*this)); // closes our file when it goes out of scope
        path_ = std::move(other.path_);
        format_ = other.format_;
        header_interval_frames_ = other.header_interval_frames_;
        buffer_capacity_ = other.buffer_capacity_;
        syncer_ = other.syncer_;
        before_write_ = std::move(other.before_write_);
        buffer_ = std::move(other.buffer_);
        fd_ = std::exchange(other.fd_, -1);
        frames_appended_ = other.frames_appended_;
        bytes_written_ = other.bytes_written_;
        header_frames_ = other.header_frames_;
    }
    return *this;
}

void WavWriter::append(std::span<const std::int16_t> interleaved) {
    if (interleaved.size() % format_.channels != 0) {
        core::fail(ErrorCode::invalid_argument, "WAV append of a partial frame");
    }
    const std::uint64_t frames = interleaved.size() / format_.channels;
    check_room(frames);
    if constexpr (std::endian::native == std::endian::little) { // the file's byte order: copy
        append_bytes(reinterpret_cast<const std::uint8_t*>(interleaved.data()),
                     interleaved.size_bytes());
        frames_appended_ += frames;
        maybe_sync();
        return;
    }
    std::array<std::uint8_t, 512> chunk{};
    for (std::size_t i = 0; i < interleaved.size();) {
        const std::size_t n = std::min(chunk.size() / 2, interleaved.size() - i);
        for (std::size_t k = 0; k < n; ++k) {
            put_le16(chunk.data() + 2 * k, static_cast<std::uint16_t>(interleaved[i + k]));
        }
        append_bytes(chunk.data(), 2 * n);
        i += n;
    }
    frames_appended_ += frames;
    maybe_sync();
}

void WavWriter::append_silence(std::uint64_t frames) {
    check_room(frames);
    static constexpr std::array<std::uint8_t, 512> zeros{};
    for (std::uint64_t left = frames * format_.block_align(); left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
        append_bytes(zeros.data(), n);
        left -= n;
    }
    frames_appended_ += frames;
    maybe_sync();
}

void WavWriter::check_room(std::uint64_t frames) const {
    if (!is_open()) core::fail(ErrorCode::storage, "append to closed WAV " + path_.string());
    const std::uint64_t max_frames =
        max_data_bytes(kWavHeaderBytes, format_.block_align()) / format_.block_align();
    if (frames > max_frames - frames_appended_) {
        core::fail(ErrorCode::storage, "WAV 4 GiB size limit reached: " + path_.string());
    }
}

void WavWriter::append_bytes(const std::uint8_t* bytes, std::size_t size) {
    while (size > 0) {
        const std::size_t n = std::min(size, buffer_capacity_ - buffer_.size());
        buffer_.insert(buffer_.end(), bytes, bytes + n);
        bytes += n;
        size -= n;
        if (buffer_.size() == buffer_capacity_) flush_buffer();
    }
}

void WavWriter::flush_buffer() {
    if (buffer_.empty()) return;
    if (before_write_) before_write_(buffer_.size());
    write_all(fd_, buffer_.data(), buffer_.size(), path_);
    bytes_written_ += buffer_.size();
    buffer_.clear();
}

void WavWriter::maybe_sync() {
    if (frames_appended_ - header_frames_ >= header_interval_frames_) sync();
}

void WavWriter::write_header() {
    const auto header = make_header(format_, static_cast<std::uint32_t>(bytes_written_));
    pwrite_all(fd_, header.data(), header.size(), 0, path_);
}

void WavWriter::sync() {
    if (!is_open()) return;
    flush_buffer();
    write_header();
    if (syncer_ != nullptr) {
        syncer_->sync(fd_, path_);
    } else if (::fdatasync(fd_) != 0) {
        fail_io("fdatasync", path_);
    }
    header_frames_ = bytes_written_ / format_.block_align();
}

void WavWriter::close() {
    if (!is_open()) return;
    if (syncer_ != nullptr) {
        try {
            flush_buffer();
            write_header();
            header_frames_ = bytes_written_ / format_.block_align();
        } catch (...) {
            ::close(std::exchange(fd_, -1));
            throw;
        }
        syncer_->sync_and_close(std::exchange(fd_, -1), path_); // it syncs, then closes
        return;
    }
    try {
        sync();
    } catch (...) {
        ::close(std::exchange(fd_, -1));
        throw;
    }
    if (::close(std::exchange(fd_, -1)) != 0) fail_io("close", path_);
}

// ---- repair --------------------------------------------------------------------------------

std::string_view to_string(WavRepairStatus status) {
    switch (status) {
    case WavRepairStatus::intact: return "intact";
    case WavRepairStatus::repaired: return "repaired";
    case WavRepairStatus::unrepairable: return "unrepairable";
    }
    return "unknown";
}

WavRepairReport repair_wav(const std::filesystem::path& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (fd.get() < 0) fail_io("open", path);
    const std::uint64_t size = file_size(fd.get(), path);

    WavRepairReport report;
    Layout layout;
    {
        const MappedFile file(fd.get(), size, path);
        if (const WavParseResult parsed = parse_wav(file.bytes()); parsed.ok()) {
            report.header_data_bytes = report.data_bytes = parsed->data.size();
            report.detail = "valid";
            return report;
        } else if (const auto e = scan_header(file.bytes(), layout)) {
            report.status = WavRepairStatus::unrepairable;
            report.detail = std::string(to_string(*e));
            return report;
        } else {
            report.detail = std::string(to_string(parsed.error())) + "; ";
        }
    }
    const std::uint32_t block = layout.format.block_align();
    std::uint64_t data = size - layout.data_offset;
    data = std::min(data - data % block, max_data_bytes(layout.data_offset, block));
    const std::uint64_t new_size = layout.data_offset + data;

    report.status = WavRepairStatus::repaired;
    report.header_data_bytes = layout.declared_data;
    report.data_bytes = data;
    report.truncated_bytes = size - new_size;
    report.detail += "header claimed " + std::to_string(layout.declared_data) +
                     " data bytes, file holds " + std::to_string(data);
    if (report.truncated_bytes > 0) {
        report.detail += ", cut " + std::to_string(report.truncated_bytes) + " trailing bytes";
        if (::ftruncate(fd.get(), static_cast<off_t>(new_size)) != 0) fail_io("ftruncate", path);
    }
    std::array<std::uint8_t, 4> field{};
    put_le32(field.data(), static_cast<std::uint32_t>(new_size - 8));
    pwrite_all(fd.get(), field.data(), field.size(), 4, path);
    put_le32(field.data(), static_cast<std::uint32_t>(data));
    pwrite_all(fd.get(), field.data(), field.size(), static_cast<off_t>(layout.data_offset - 4),
               path);
    if (::fdatasync(fd.get()) != 0) fail_io("fdatasync", path);
    return report;
}

} // namespace suflyor::media
