// WAV writer, strict parser and repair: exact bytes, exact samples, and a real kill -9.
#include "core/error.hpp"
#include "media/recording/wav.hpp"
#include "support/tones.hpp"
#include "unit/common/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace suflyor::media {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

using suflyor::test::TempDir; // a fresh directory per test, removed afterwards

Bytes read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::uint32_t le32_at(const Bytes& b, std::size_t at) {
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) |
           (static_cast<std::uint32_t>(b[at + 3]) << 24);
}
void set_le32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void set_le16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

// Interleaves two mono signals into stereo.
std::vector<std::int16_t> interleave(const std::vector<std::int16_t>& left,
                                     const std::vector<std::int16_t>& right) {
    std::vector<std::int16_t> out;
    for (std::size_t i = 0; i < left.size(); ++i) {
        out.push_back(left[i]);
        out.push_back(right[i]);
    }
    return out;
}

// The canonical example from the classic WAVE format description (CCRMA, "soundfile.sapp.org"):
// 2 channels, 22050 Hz, 16 bits, 2048 data bytes.
constexpr std::array<std::uint8_t, 44> kCcrmaHeader = {
    0x52, 0x49, 0x46, 0x46, 0x24, 0x08, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74,
    0x20, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x22, 0x56, 0x00, 0x00, 0x88, 0x58,
    0x01, 0x00, 0x04, 0x00, 0x10, 0x00, 0x64, 0x61, 0x74, 0x61, 0x00, 0x08, 0x00, 0x00};

TEST(WavWriter, HeaderMatchesTheCanonicalExampleByteForByte) {
    const TempDir dir;
    const std::vector<std::int16_t> left = test::make_tone(test::tone_a_hz, -6, 22050, 512);
    const std::vector<std::int16_t> right = test::make_tone(test::tone_b_hz, -12, 22050, 512);
    {
        WavWriter writer(dir / "a.wav", WavFormat{2, 22050});
        writer.append(interleave(left, right));
        writer.close();
        EXPECT_EQ(writer.bytes_written(), 2048U);
        EXPECT_EQ(writer.header_frames(), 512U);
    }
    const Bytes bytes = read_bytes(dir / "a.wav");
    ASSERT_EQ(bytes.size(), 44U + 2048U);
    EXPECT_TRUE(std::equal(kCcrmaHeader.begin(), kCcrmaHeader.end(), bytes.begin()));
    // Samples are little-endian interleaved L R.
    EXPECT_EQ(static_cast<std::int16_t>(bytes[44 + 4] | (bytes[45 + 4] << 8)), left[1]);
    EXPECT_EQ(static_cast<std::int16_t>(bytes[46 + 4] | (bytes[47 + 4] << 8)), right[1]);
}

struct ToneCase {
    std::uint16_t channels;
    std::uint32_t rate;
    std::size_t frames;
};

TEST(WavWriter, ToneReadsBackExactly) {
    const TempDir dir;
    for (const ToneCase c : {ToneCase{1, 8000, 8000}, ToneCase{2, 48000, 48000 * 3 + 17},
                             ToneCase{1, 11025, 1}, ToneCase{2, 16000, 0}}) {
        SCOPED_TRACE(std::to_string(c.channels) + "ch " + std::to_string(c.rate));
        const auto left = test::make_tone(test::tone_a_hz, -3, static_cast<int>(c.rate), c.frames);
        const auto right = test::make_tone(test::tone_c_hz, -9, static_cast<int>(c.rate), c.frames);
        const auto samples = c.channels == 1 ? left : interleave(left, right);
        const fs::path path = dir / "tone.wav";
        {
            WavWriter writer(path, WavFormat{c.channels, c.rate});
            // Uneven pieces exercise the buffer boundaries.
            for (std::size_t at = 0; at < samples.size();) {
                const std::size_t n = std::min<std::size_t>(c.channels * 331, samples.size() - at);
                writer.append(std::span(samples).subspan(at, n));
                at += n;
            }
            EXPECT_EQ(writer.frames_appended(), c.frames);
        } // the destructor finalizes
        const WavData data = read_wav(path);
        EXPECT_EQ(data.format, (WavFormat{c.channels, c.rate}));
        EXPECT_EQ(data.samples, samples);
        const Bytes bytes = read_bytes(path);
        EXPECT_EQ(le32_at(bytes, 4), bytes.size() - 8);
        EXPECT_EQ(le32_at(bytes, 40), samples.size() * 2);
    }
}

TEST(WavWriter, SilenceIsZeros) {
    const TempDir dir;
    {
        WavWriter writer(dir / "s.wav", WavFormat{2, 8000});
        writer.append(std::vector<std::int16_t>{1, 2});
        writer.append_silence(5000);
        writer.append(std::vector<std::int16_t>{3, 4});
    }
    const WavData data = read_wav(dir / "s.wav");
    ASSERT_EQ(data.frames(), 5002U);
    EXPECT_EQ(data.samples.front(), 1);
    EXPECT_EQ(data.samples[1], 2);
    EXPECT_EQ(std::count(data.samples.begin() + 2, data.samples.end() - 2, 0), 10000);
    EXPECT_EQ(data.samples[10002], 3);
    EXPECT_EQ(data.samples[10003], 4);
}

TEST(WavWriter, RejectsBadUse) {
    const TempDir dir;
    EXPECT_THROW(WavWriter(dir / "x.wav", WavFormat{3, 8000}), core::Error);
    EXPECT_THROW(WavWriter(dir / "x.wav", WavFormat{1, 0}), core::Error);
    EXPECT_THROW(WavWriter(dir / "no-such-dir" / "x.wav", WavFormat{1, 8000}), core::Error);
    WavWriter stereo(dir / "y.wav", WavFormat{2, 8000});
    EXPECT_THROW(stereo.append(std::vector<std::int16_t>{1, 2, 3}), core::Error);
    stereo.close();
    EXPECT_THROW(stereo.append(std::vector<std::int16_t>{1, 2}), core::Error);
}

TEST(WavWriter, RefusesToGrowPastTheRiffLimit) {
    const TempDir dir;
    WavWriter writer(dir / "big.wav", WavFormat{2, 48000});
    // (2^32 - 1 - 36) bytes, cut to whole 4-byte frames.
    constexpr std::uint64_t max_frames = (0xFFFFFFFFULL - 36) / 4;
    EXPECT_THROW(writer.append_silence(max_frames + 1), core::Error);
    EXPECT_THROW(writer.append_silence(1ULL << 62), core::Error); // no overflow into "fits"
    EXPECT_THROW(writer.append_silence(UINT64_MAX), core::Error);
    EXPECT_EQ(writer.frames_appended(), 0U);
    writer.close();
    EXPECT_EQ(fs::file_size(dir / "big.wav"), 44U);
}

// The on-disk header moves only every header_interval of audio; the data reaches the kernel every
// `buffer` of audio. 8 kHz mono, 2 s interval = 16000 frames, 250 ms buffer = 2000 frames.
TEST(WavWriter, HeaderIsRewrittenEveryIntervalOfAudio) {
    const TempDir dir;
    const fs::path path = dir / "p.wav";
    WavWriter writer(
        path, WavFormat{1, 8000},
        WavWriterOptions{std::chrono::milliseconds{2000}, std::chrono::milliseconds{250}});
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160);
    struct Checkpoint {
        int frames_20ms;           // 20 ms appends so far
        std::uint32_t header_data; // data bytes the header on disk claims
        std::uint64_t file_size;   // what the kernel holds
    };
    const Checkpoint checkpoints[] = {
        {0, 0, 44},
        {12, 0, 44},              // 1920 frames: still buffered
        {13, 0, 44 + 4000},       // 2080 frames: one buffer (2000 frames) written
        {99, 0, 44 + 28000},      // 15840 frames: 7 buffers, header untouched
        {100, 32000, 44 + 32000}, // 16000 frames: header rewritten
        {150, 32000, 44 + 48000}, // 24000 frames
        {199, 32000, 44 + 60000}, // 31840 frames
        {200, 64000, 44 + 64000}, // 32000 frames: next rewrite
    };
    int appended = 0;
    for (const Checkpoint& c : checkpoints) {
        for (; appended < c.frames_20ms; ++appended)
            writer.append(tone);
        SCOPED_TRACE("after " + std::to_string(appended) + " appends");
        const Bytes bytes = read_bytes(path);
        EXPECT_EQ(bytes.size(), c.file_size);
        EXPECT_EQ(le32_at(bytes, 40), c.header_data);
        EXPECT_EQ(le32_at(bytes, 4), 36 + c.header_data);
        EXPECT_EQ(writer.header_frames(), c.header_data / 2U);
    }
}

// ---- parser ----------------------------------------------------------------------------------

Bytes valid_file(std::uint16_t channels = 2, std::uint32_t frames = 3) {
    Bytes b(kCcrmaHeader.begin(), kCcrmaHeader.end());
    set_le16(b, 22, channels);
    set_le32(b, 28, 22050U * channels * 2);
    set_le16(b, 32, static_cast<std::uint16_t>(channels * 2));
    const std::uint32_t data = frames * channels * 2;
    set_le32(b, 40, data);
    for (std::uint32_t i = 0; i < data; ++i)
        b.push_back(static_cast<std::uint8_t>(i * 7));
    set_le32(b, 4, static_cast<std::uint32_t>(b.size() - 8));
    return b;
}

Bytes append_chunk(Bytes b, const char* id, std::uint32_t size, bool pad = true) {
    b.insert(b.end(), id, id + 4);
    b.resize(b.size() + 4);
    set_le32(b, b.size() - 4, size);
    b.resize(b.size() + size + ((pad && (size & 1)) ? 1 : 0), 0x55);
    set_le32(b, 4, static_cast<std::uint32_t>(b.size() - 8));
    return b;
}

// A file with a chunk inserted between fmt and data.
Bytes with_chunk_before_data(const char* id, std::uint32_t size) {
    const Bytes v = valid_file();
    Bytes b(v.begin(), v.begin() + 36);
    b = append_chunk(b, id, size);
    b.insert(b.end(), v.begin() + 36, v.end());
    set_le32(b, 4, static_cast<std::uint32_t>(b.size() - 8));
    return b;
}

TEST(ParseWav, AcceptsValidLayouts) {
    struct Case {
        const char* name;
        Bytes bytes;
        std::uint16_t channels;
        std::uint64_t frames;
    };
    Bytes fmt18 = valid_file(1, 2);
    fmt18.insert(fmt18.begin() + 36, {0, 0});
    set_le32(fmt18, 16, 18);
    set_le32(fmt18, 4, static_cast<std::uint32_t>(fmt18.size() - 8));
    const Case cases[] = {
        {"canonical stereo", valid_file(2, 3), 2, 3},
        {"canonical mono", valid_file(1, 5), 1, 5},
        {"empty data", valid_file(2, 0), 2, 0},
        {"LIST after data", append_chunk(valid_file(), "LIST", 10), 2, 3},
        {"odd chunk with pad before data", with_chunk_before_data("junk", 3), 2, 3},
        {"fmt of 18 bytes, cbSize 0", fmt18, 1, 2},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const WavParseResult r = parse_wav(c.bytes);
        ASSERT_TRUE(r.ok()) << to_string(r.error());
        EXPECT_EQ(r->format.channels, c.channels);
        EXPECT_EQ(r->format.sample_rate, 22050U);
        EXPECT_EQ(r->frames(), c.frames);
    }
    const Bytes v = valid_file(2, 3);
    const WavParseResult r = parse_wav(v);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->data.data(), v.data() + 44); // a view into the input, no copy
    EXPECT_EQ(r->sample(0), static_cast<std::int16_t>(0 | (7 << 8)));
}

TEST(ParseWav, RejectsEachDefect) {
    struct Case {
        const char* name;
        Bytes bytes;
        WavError error;
    };
    const auto mutate = [](auto&& change) {
        Bytes b = valid_file();
        change(b);
        return b;
    };
    Bytes fmt18_cb2 = valid_file(1, 2);
    fmt18_cb2.insert(fmt18_cb2.begin() + 36, {2, 0});
    set_le32(fmt18_cb2, 16, 18);
    set_le32(fmt18_cb2, 4, static_cast<std::uint32_t>(fmt18_cb2.size() - 8));
    Bytes data_first = valid_file();
    std::memcpy(data_first.data() + 12, "data", 4); // the fmt chunk renamed: data comes first
    Bytes no_data = valid_file();
    no_data.resize(36);
    set_le32(no_data, 4, 28);
    Bytes no_fmt = valid_file();
    std::memcpy(no_fmt.data() + 12, "junk", 4);
    std::memcpy(no_fmt.data() + 36, "junk", 4);
    set_le32(no_fmt, 40, 0);
    no_fmt.resize(44);
    set_le32(no_fmt, 4, 36);
    Bytes odd_no_pad = append_chunk(valid_file(), "LIST", 3, false);
    const Case cases[] = {
        {"empty", {}, WavError::too_short},
        {"11 bytes", Bytes(11, 0), WavError::too_short},
        {"RIFX", mutate([](Bytes& b) { b[3] = 'X'; }), WavError::not_riff},
        {"AVI ", mutate([](Bytes& b) { std::memcpy(b.data() + 8, "AVI ", 4); }),
         WavError::not_wave},
        {"riff size +1", mutate([](Bytes& b) { set_le32(b, 4, le32_at(b, 4) + 1); }),
         WavError::riff_size_mismatch},
        {"trailing byte", mutate([](Bytes& b) { b.push_back(0); }), WavError::riff_size_mismatch},
        {"data past end", mutate([](Bytes& b) { set_le32(b, 40, 16); }), WavError::chunk_truncated},
        {"fmt past end", mutate([](Bytes& b) { set_le32(b, 16, 1000); }),
         WavError::chunk_truncated},
        {"odd chunk without pad", odd_no_pad, WavError::chunk_truncated},
        {"second fmt before data", with_chunk_before_data("fmt ", 16), WavError::duplicate_fmt},
        {"two data chunks", append_chunk(valid_file(), "data", 4), WavError::duplicate_data},
        {"fmt after data", append_chunk(valid_file(), "fmt ", 16), WavError::duplicate_fmt},
        {"fmt size 20", mutate([](Bytes& b) { set_le32(b, 16, 20); }), WavError::bad_fmt_size},
        {"fmt 18 with cbSize 2", fmt18_cb2, WavError::bad_fmt_size},
        {"IEEE float", mutate([](Bytes& b) { set_le16(b, 20, 3); }), WavError::not_pcm},
        {"0 channels", mutate([](Bytes& b) { set_le16(b, 22, 0); }), WavError::bad_channels},
        {"6 channels", mutate([](Bytes& b) { set_le16(b, 22, 6); }), WavError::bad_channels},
        {"rate 0", mutate([](Bytes& b) { set_le32(b, 24, 0); }), WavError::bad_sample_rate},
        {"rate 1e6", mutate([](Bytes& b) { set_le32(b, 24, 1'000'000); }),
         WavError::bad_sample_rate},
        {"8 bits", mutate([](Bytes& b) { set_le16(b, 34, 8); }), WavError::bad_bits},
        {"block align 2 for stereo", mutate([](Bytes& b) { set_le16(b, 32, 2); }),
         WavError::bad_block_align},
        {"byte rate off by one", mutate([](Bytes& b) { set_le32(b, 28, 88201); }),
         WavError::bad_byte_rate},
        {"data before fmt", data_first, WavError::data_before_fmt},
        {"no fmt", no_fmt, WavError::missing_fmt},
        {"no data", no_data, WavError::missing_data},
        {"half a frame", mutate([](Bytes& b) {
             b.resize(b.size() - 2);
             set_le32(b, 4, le32_at(b, 4) - 2);
             set_le32(b, 40, 10);
         }),
         WavError::partial_frame},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const WavParseResult r = parse_wav(c.bytes);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error(), c.error) << to_string(r.error());
    }
}

TEST(ReadWav, NamesTheFileAndTheDefect) {
    const TempDir dir;
    write_bytes(dir / "bad.wav", Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'A', 'V', 'I', ' '});
    try {
        (void)read_wav(dir / "bad.wav");
        FAIL() << "read_wav accepted a non-WAVE file";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("bad.wav"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("not WAVE"), std::string::npos);
    }
    EXPECT_THROW((void)read_wav(dir / "missing.wav"), core::Error);
}

// ---- repair ----------------------------------------------------------------------------------

TEST(RepairWav, FixesWhatACrashLeaves) {
    const TempDir dir;
    // 1000 stereo frames of a known tone, as WavWriter lays them out.
    const auto samples = interleave(test::make_tone(test::tone_a_hz, -6, 8000, 1000),
                                    test::make_tone(test::tone_b_hz, -6, 8000, 1000));
    const fs::path reference = dir / "ref.wav";
    {
        WavWriter writer(reference, WavFormat{2, 8000});
        writer.append(samples);
    }
    const Bytes good = read_bytes(reference);
    ASSERT_EQ(good.size(), 44U + 4000U);

    struct Case {
        const char* name;
        std::function<void(Bytes&)> damage;
        WavRepairStatus status;
        std::uint64_t header_data_before;
        std::uint64_t data_after;
        std::uint64_t truncated;
    };
    const Case cases[] = {
        {"intact", [](Bytes&) {}, WavRepairStatus::intact, 4000, 4000, 0},
        {"header never updated", [](Bytes& b) { set_le32(b, 4, 36), set_le32(b, 40, 0); },
         WavRepairStatus::repaired, 0, 4000, 0},
        {"header one interval behind",
         [](Bytes& b) { set_le32(b, 4, 36 + 2000), set_le32(b, 40, 2000); },
         WavRepairStatus::repaired, 2000, 4000, 0},
        {"partial frame at the end",
         [](Bytes& b) {
             b.insert(b.end(), {1, 2, 3});
         },
         WavRepairStatus::repaired, 4000, 4000, 3},
        {"stale header and partial frame",
         [](Bytes& b) {
             set_le32(b, 40, 0), b.insert(b.end(), {1, 2, 3});
         },
         WavRepairStatus::repaired, 0, 4000, 3},
        {"header claims more than the file", [](Bytes& b) { b.erase(b.end() - 1000, b.end()); },
         WavRepairStatus::repaired, 4000, 3000, 0},
        {"empty file", [](Bytes& b) { b.clear(); }, WavRepairStatus::unrepairable, 0, 0, 0},
        {"header cut inside fmt", [](Bytes& b) { b.resize(30); }, WavRepairStatus::unrepairable, 0,
         0, 0},
        {"not a WAV", [](Bytes& b) { std::memcpy(b.data(), "OggS", 4); },
         WavRepairStatus::unrepairable, 0, 0, 0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Bytes bytes = good;
        c.damage(bytes);
        const fs::path path = dir / "damaged.wav";
        write_bytes(path, bytes);
        const WavRepairReport report = repair_wav(path);
        EXPECT_EQ(report.status, c.status) << report.detail;
        EXPECT_FALSE(report.detail.empty());
        if (c.status == WavRepairStatus::unrepairable) {
            EXPECT_EQ(read_bytes(path), bytes); // untouched
            continue;
        }
        EXPECT_EQ(report.header_data_bytes, c.header_data_before);
        EXPECT_EQ(report.data_bytes, c.data_after);
        EXPECT_EQ(report.truncated_bytes, c.truncated);
        const WavData data = read_wav(path); // strict parse passes
        ASSERT_EQ(data.samples.size(), c.data_after / 2);
        EXPECT_TRUE(std::equal(data.samples.begin(), data.samples.end(), samples.begin()));
        EXPECT_EQ(repair_wav(path).status, WavRepairStatus::intact); // idempotent
    }
}

// A forked child writes a 48 kHz stereo recording as fast as it can, reporting how many frames
// it has appended after every 20 ms, and is killed with SIGKILL mid-write (it never closes the
// file). The repaired file must be valid, exact, and short of the report by at most the buffer.
TEST(RepairWav, SurvivesKillNineMidWrite) {
    const TempDir dir;
    const fs::path path = dir / "crash.wav";
    constexpr std::uint32_t rate = 48000;
    constexpr std::size_t frame = 960; // 20 ms
    constexpr std::size_t cap_frames = rate * 30;
    const auto left = test::make_tone(test::tone_a_hz, -6, rate, cap_frames);
    const auto right = test::make_tone(test::tone_c_hz, -6, rate, cap_frames);
    const WavWriterOptions options{std::chrono::milliseconds{2000}, std::chrono::milliseconds{250}};

    int progress[2];
    ASSERT_EQ(::pipe(progress), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(progress[0]);
        try {
            WavWriter writer(path, WavFormat{2, rate}, options);
            std::vector<std::int16_t> block(frame * 2);
            for (std::size_t at = 0; at + frame <= cap_frames; at += frame) {
                for (std::size_t i = 0; i < frame; ++i) {
                    block[2 * i] = left[at + i];
                    block[2 * i + 1] = right[at + i];
                }
                writer.append(block);
                const std::uint64_t done = writer.frames_appended();
                if (::write(progress[1], &done, sizeof done) != sizeof done) ::_exit(2);
            }
            ::pause(); // wait to be killed, file still open
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(3);
    }
    ::close(progress[1]);
    std::uint64_t reported = 0;
    std::uint64_t value = 0;
    // 3 s and 7 ticks: the kill lands with the buffer part full.
    while (reported < 3 * rate + 7 * frame &&
           ::read(progress[0], &value, sizeof value) == sizeof value) {
        reported = value;
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
    while (::read(progress[0], &value, sizeof value) == sizeof value)
        reported = value;
    ::close(progress[0]);
    ASSERT_GE(reported, 3U * rate);

    // Before repair: the header is at most one interval (plus one append) behind the report.
    const Bytes before = read_bytes(path);
    const std::uint64_t header_frames = le32_at(before, 40) / 4;
    EXPECT_GE(header_frames + 2 * rate + frame, reported);
    EXPECT_LE(header_frames, reported + frame); // killed between an append and its report

    const WavRepairReport report = repair_wav(path);
    ASSERT_NE(report.status, WavRepairStatus::unrepairable) << report.detail;
    const WavData data = read_wav(path);
    EXPECT_EQ(data.format, (WavFormat{2, rate}));
    EXPECT_EQ(fs::file_size(path), 44 + data.frames() * 4);
    // kill -9 loses only the in-memory buffer (250 ms); the brief's bound is ~2 s.
    EXPECT_GE(data.frames() + rate / 4, reported);
    EXPECT_GE(data.frames() + 2 * rate, reported);
    EXPECT_LE(data.frames(), cap_frames);
    for (std::size_t i = 0; i < data.frames(); ++i) {
        ASSERT_EQ(data.samples[2 * i], left[i]) << "frame " << i;
        ASSERT_EQ(data.samples[2 * i + 1], right[i]) << "frame " << i;
    }
}

} // namespace
} // namespace suflyor::media
