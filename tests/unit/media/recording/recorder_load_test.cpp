// The recorder under load: the variable-sized ring (wrap, full, order), rings that grow with the
// open recordings while a producer pushes, fdatasync off the recorder's thread, and a slow disk
// (a write that blocks) that must cost counted drops, a marked recording and a warning, never a
// stalled producer.
#include "media/recording/record_ring.hpp"
#include "media/recording/recorder.hpp"
#include "media/recording/wav.hpp"
#include "support/tones.hpp"
#include "unit/common/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

namespace suflyor::media {
namespace {

using std::chrono::milliseconds;
using suflyor::test::TempDir;

class Outcomes final : public RecorderListener {
public:
    void on_recording_finished(const RecordingOutcome& outcome) override {
        {
            const std::lock_guard lock(mutex_);
            outcomes_.insert_or_assign(outcome.id.value(), outcome);
        }
        changed_.notify_all();
    }
    RecordingOutcome wait_for(RecordingId id) {
        std::unique_lock lock(mutex_);
        const bool done = changed_.wait_for(lock, std::chrono::seconds(60),
                                            [&] { return outcomes_.contains(id.value()); });
        EXPECT_TRUE(done) << "recording " << id.value() << " never finished";
        return done ? outcomes_.at(id.value()) : RecordingOutcome{};
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::int64_t, RecordingOutcome> outcomes_;
};

RecordingSpec spec_in(const TempDir& dir, const std::string& name) {
    return {dir / (name + ".wav"), dir / (name + "-supervisor.wav"), 8000};
}

std::vector<std::int16_t> left_of(const WavData& data) {
    std::vector<std::int16_t> out;
    for (std::size_t i = 0; i < data.samples.size(); i += 2)
        out.push_back(data.samples[i]);
    return out;
}

TEST(RecordRing, FramesOfAnySizeComeOutInOrderAcrossTheWrap) {
    RecordRing ring(8192);
    std::vector<std::int16_t> samples(kMaxFrameSamples);
    std::iota(samples.begin(), samples.end(), std::int16_t{0});
    std::uint64_t pushed = 0;
    std::uint64_t popped = 0;
    // Sizes that do not divide the ring: records land at every offset, padding at the end.
    for (int round = 0; round < 2000; ++round) {
        const std::size_t count = static_cast<std::size_t>(round) * 37 % (kMaxFrameSamples + 1);
        if (ring.try_push(RecordingId{round}, Track::operator_, pushed,
                          std::span(samples).first(count)))
            ++pushed;
        else
            ASSERT_GT(ring.used_approx() + RecordRing::record_bytes(count), 4096U);
        if (round % 3 == 0) {
            while (ring.try_consume([&](const RecordFrameView& frame) noexcept {
                EXPECT_EQ(frame.position, popped);
                EXPECT_EQ(frame.track, Track::operator_);
                EXPECT_TRUE(
                    std::equal(frame.samples.begin(), frame.samples.end(), samples.begin()));
                ++popped;
            })) {
            }
        }
    }
    while (ring.try_consume([&](const RecordFrameView& frame) noexcept {
        EXPECT_EQ(frame.position, popped);
        ++popped;
    })) {
    }
    EXPECT_EQ(popped, pushed);
    EXPECT_GT(pushed, 1000U);
    EXPECT_EQ(ring.used_approx(), 0U);
    EXPECT_THROW(RecordRing(4096), std::invalid_argument); // fewer than 4 maximal frames
    EXPECT_THROW(RecordRing(10000), std::invalid_argument);
}

// 200 recordings opened while one producer pushes 20 ms frames for each: the ring grows under
// it and nothing is lost or reordered.
TEST(Recorder, TheRingGrowsWithTheOpenRecordingsWithoutLosingAFrame) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.ring_bytes = 8192,
                                      .ring_headroom = milliseconds{500},
                                      .own_thread = false},
                      &outcomes);
    RecordProducer producer = recorder.producer(0);
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160 * 30);
    constexpr int calls = 200;
    std::vector<std::uint64_t> next(calls + 1, 0);
    const auto push_round = [&](int open) {
        for (int id = 1; id <= open; ++id) {
            const std::uint64_t at = next[id];
            if (at + 160 > tone.size()) continue;
            ASSERT_TRUE(producer.push(RecordingId{id}, Track::client, at,
                                      std::span(tone).subspan(at, 160)));
            next[id] += 160;
        }
    };
    const std::uint64_t first_ring = recorder.stats().ring_bytes;
    for (int id = 1; id <= calls; ++id) {
        recorder.open(RecordingId{id}, spec_in(dir, "call-" + std::to_string(id)));
        push_round(id); // a frame for each open recording, before the recorder drains
        if (id % 10 == 0) recorder.run_once();
    }
    for (int round = 0; round < 30; ++round) {
        push_round(calls);
        recorder.run_once();
    }
    const RecorderStats stats = recorder.stats();
    EXPECT_EQ(stats.frames_dropped_ring_full, 0U);
    // 200 recordings x 2 tracks x 25 frames x 344 bytes = 3.4 MB, rounded up to a power of two.
    EXPECT_EQ(stats.ring_bytes, std::size_t{4} << 20);
    EXPECT_GT(stats.ring_bytes, first_ring);
    for (int id = 1; id <= calls; ++id)
        ASSERT_TRUE(recorder.close(RecordingId{id}));
    recorder.run_once();
    for (int id : {1, 77, 200}) {
        const RecordingOutcome outcome = outcomes.wait_for(RecordingId{id});
        EXPECT_FALSE(outcome.incomplete()) << id;
        EXPECT_EQ(left_of(read_wav(dir / ("call-" + std::to_string(id) + ".wav"))), tone) << id;
    }
    EXPECT_EQ(recorder.stats().recordings_incomplete, 0U);
}

// The disk stops (every write() of the recorder blocks) while a worker keeps pushing 20 ms
// frames: its pushes stay sub-millisecond, the frames the full ring refuses are counted, the
// recording comes out incomplete with the loss measured, and once the disk is back the rest is
// written.
TEST(Recorder, ASlowDiskCostsCountedDropsAndAMarkNeverAStalledProducer) {
    const TempDir dir;
    Outcomes outcomes;
    std::mutex gate_mutex;
    std::condition_variable gate_changed;
    bool disk_stuck = true;
    bool writer_waiting = false;
    RecorderOptions options{
        .ring_bytes = 65536, .ring_headroom = milliseconds{0}, .poll_interval = milliseconds{1}};
    options.wav.before_write = [&](std::size_t) {
        std::unique_lock lock(gate_mutex);
        writer_waiting = true;
        gate_changed.notify_all();
        gate_changed.wait(lock, [&] { return !disk_stuck; });
    };
    Recorder recorder(options, &outcomes);
    const RecordingId id{1};
    const RecordingSpec spec = spec_in(dir, "slow");
    recorder.open(id, spec);
    RecordProducer producer = recorder.producer(0);
    constexpr std::size_t stuck = 1000;        // 20 s of one track pushed while the disk is stuck
    constexpr std::size_t frames = stuck + 50; // and 1 s once it is back
    const auto tone = test::make_tone(test::tone_b_hz, -6, 8000, 160 * frames);
    const auto push = [&](std::size_t k) {
        return producer.push(id, Track::client, k * 160, std::span(tone).subspan(k * 160, 160));
    };

    std::uint64_t refused = 0;
    auto slowest = std::chrono::nanoseconds{0};
    for (std::size_t k = 0; k < stuck; ++k) {
        if (k == 100) { // 2 s in: the recorder has filled its first buffer and is stuck on it
            std::unique_lock lock(gate_mutex);
            ASSERT_TRUE(gate_changed.wait_for(lock, std::chrono::seconds(30),
                                              [&] { return writer_waiting; }));
        }
        const auto started = std::chrono::steady_clock::now();
        const bool pushed = push(k);
        slowest = std::max(slowest, std::chrono::steady_clock::now() - started);
        refused += pushed ? 0 : 1;
    }
    // 64 KiB hold 190 frames: most of the 900 frames pushed while the disk was stuck are lost.
    EXPECT_GT(refused, 600U);
    EXPECT_EQ(recorder.stats().frames_dropped_ring_full, refused);
    EXPECT_LT(slowest, milliseconds{5}) << "a push waited for the disk";
    {
        const std::lock_guard lock(gate_mutex);
        disk_stuck = false;
    }
    gate_changed.notify_all();
    // The disk is back: the recorder catches up, and the next second is whole.
    for (int waited = 0; recorder.stats().frames_written < stuck - refused && waited < 10'000;
         ++waited)
        std::this_thread::sleep_for(milliseconds{1});
    for (std::size_t k = stuck; k < frames; ++k)
        ASSERT_TRUE(push(k)) << k;
    ASSERT_TRUE(recorder.close(id, refused * 160)); // as the engine reports its refusals
    const RecordingOutcome outcome = outcomes.wait_for(id);
    EXPECT_TRUE(outcome.ok);
    EXPECT_TRUE(outcome.incomplete());
    EXPECT_EQ(outcome.lost_samples, refused * 160);
    EXPECT_EQ(outcome.lost_ms(), static_cast<std::int64_t>(refused * 20));
    EXPECT_EQ(recorder.stats().recordings_incomplete, 1U);
    // What was accepted is on disk in its place; what was lost is silence of the same length.
    const auto left = left_of(read_wav(spec.stereo_path));
    ASSERT_EQ(left.size(), tone.size());
    std::size_t silent_frames = 0;
    for (std::size_t k = 0; k < frames; ++k) {
        const auto frame = std::span(left).subspan(k * 160, 160);
        if (std::all_of(frame.begin(), frame.end(), [](std::int16_t v) { return v == 0; }))
            ++silent_frames;
        else
            EXPECT_TRUE(std::equal(frame.begin(), frame.end(), tone.begin() + k * 160)) << k;
    }
    EXPECT_EQ(silent_frames, refused);
}

// fdatasync runs on the syncer's thread: the files are final and valid once closed, and the
// syncer did the syncs (creation, directory, periodic, close).
TEST(Recorder, SyncsRunOnTheSyncerAndTheFilesComeOutValid) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.own_thread = false}, &outcomes);
    const RecordingSpec spec = spec_in(dir, "synced");
    recorder.open(RecordingId{1}, spec);
    RecordProducer producer = recorder.producer(0);
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160 * 250); // 5 s
    for (std::size_t k = 0; k < 250; ++k) {
        ASSERT_TRUE(producer.push(RecordingId{1}, Track::operator_, k * 160,
                                  std::span(tone).subspan(k * 160, 160)));
        if (k % 20 == 0) recorder.run_once();
    }
    ASSERT_TRUE(recorder.close(RecordingId{1}));
    recorder.run_once();
    EXPECT_FALSE(outcomes.wait_for(RecordingId{1}).incomplete());
    recorder.stop();
    const WavData data = read_wav(spec.stereo_path);
    std::vector<std::int16_t> right;
    for (std::size_t i = 1; i < data.samples.size(); i += 2)
        right.push_back(data.samples[i]);
    EXPECT_EQ(right, tone);
    const RecorderStats stats = recorder.stats();
    // Creation, its directory, two periodic header rewrites (every 2 s of audio), the close.
    EXPECT_GE(stats.sync.synced, 4U);
    EXPECT_EQ(stats.sync.failed, 0U);
}

} // namespace
} // namespace suflyor::media
