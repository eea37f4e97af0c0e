// The recorder: tracks interleaved by position, supervisor kept out of the stereo file, gaps as
// silence, drops counted, close drains, start-up repair, and a kill -9 of a recording process.
#include "core/error.hpp"
#include "media/recording/recorder.hpp"
#include "media/recording/recorder_repair.hpp"
#include "media/recording/wav.hpp"
#include "support/tones.hpp"
#include "unit/common/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace suflyor::media {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

using suflyor::test::TempDir; // a fresh directory per test, removed afterwards

// Collects outcomes; tests wait for the event (a recording finished), never for time to pass.
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
        // The bound only turns a hang into a failure.
        const bool done = changed_.wait_for(lock, std::chrono::seconds(60),
                                            [&] { return outcomes_.contains(id.value()); });
        EXPECT_TRUE(done) << "recording " << id.value() << " never finished";
        return done ? outcomes_.at(id.value()) : RecordingOutcome{};
    }
    [[nodiscard]] std::size_t count() {
        const std::lock_guard lock(mutex_);
        return outcomes_.size();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::int64_t, RecordingOutcome> outcomes_;
};

RecordingSpec spec_in(const TempDir& dir, std::uint32_t rate, const std::string& name = "call") {
    return {dir / (name + ".wav"), dir / (name + "-supervisor.wav"), rate};
}

std::span<const std::int16_t> slice(const std::vector<std::int16_t>& v, std::size_t at,
                                    std::size_t n) {
    return std::span(v).subspan(at, n);
}

std::vector<std::int16_t> channel(const WavData& data, unsigned ch) {
    std::vector<std::int16_t> out;
    for (std::size_t i = ch; i < data.samples.size(); i += data.format.channels) {
        out.push_back(data.samples[i]);
    }
    return out;
}

bool in(int tick, int from, int to) { return tick >= from && tick < to; }

// Two media workers, one pushing client and supervisor, the other the operator, in lock step
// (as real 20 ms ticks would be) while the recorder thread drains.
TEST(Recorder, TwoProducersInterleaveTracksBySupervisorIsolated) {
    const TempDir dir;
    constexpr std::uint32_t rate = 16000;
    constexpr std::size_t frame = 320; // 20 ms
    constexpr int ticks = 200;         // 4 s
    const auto client = test::make_tone(test::tone_a_hz, -10, rate, frame * ticks);
    const auto op = test::make_tone(test::tone_b_hz, -10, rate, frame * ticks);
    const auto sup = test::make_tone(test::tone_c_hz, -10, rate, frame * ticks);
    // Gaps by tick: the client is silent in [100,110), the operator in [25,50), both in
    // [150,170); the supervisor speaks in [50,100) only.
    const auto client_speaks = [](int t) { return !in(t, 100, 110) && !in(t, 150, 170); };
    const auto operator_speaks = [](int t) { return !in(t, 25, 50) && !in(t, 150, 170); };
    const auto supervisor_speaks = [](int t) { return in(t, 50, 100); };

    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.workers = 2, .poll_interval = milliseconds{1}}, &outcomes);
    const RecordingId id{42};
    const RecordingSpec spec = spec_in(dir, rate);
    recorder.open(id, spec);

    std::atomic<int> progress[2] = {0, 0};
    std::atomic<std::uint64_t> pushed{0};
    std::atomic<int> refused{0};
    const auto worker = [&](int me) {
        RecordProducer producer = recorder.producer(static_cast<std::size_t>(me));
        for (int t = 0; t < ticks; ++t) {
            // Stay within two ticks of the other worker, and push only once the recorder has
            // taken every frame pushed so far: real 20 ms ticks guarantee both (a silent stretch
            // must not let one track run seconds ahead of a frame still in the other's ring),
            // without waiting for real time.
            while (progress[1 - me].load() < t - 2 ||
                   pushed.load() > recorder.stats().frames_written) {
                std::this_thread::yield();
            }
            const std::size_t at = static_cast<std::size_t>(t) * frame;
            const auto push = [&](Track track, const std::vector<std::int16_t>& tone) {
                pushed.fetch_add(1);
                if (!producer.push(id, track, at, slice(tone, at, frame))) refused.fetch_add(1);
            };
            if (me == 0 && client_speaks(t)) push(Track::client, client);
            if (me == 0 && supervisor_speaks(t)) push(Track::supervisor, sup);
            if (me == 1 && operator_speaks(t)) push(Track::operator_, op);
            progress[me].store(t + 1);
        }
    };
    std::thread worker0(worker, 0);
    std::thread worker1(worker, 1);
    worker0.join();
    worker1.join();
    ASSERT_TRUE(recorder.close(id));
    const RecordingOutcome outcome = outcomes.wait_for(id);

    EXPECT_EQ(refused.load(), 0);
    EXPECT_TRUE(outcome.ok) << outcome.error;
    EXPECT_EQ(outcome.stereo_frames, frame * ticks);
    EXPECT_TRUE(outcome.has_supervisor);
    EXPECT_EQ(outcome.supervisor_frames, frame * 100);

    const WavData stereo = read_wav(spec.stereo_path);
    ASSERT_EQ(stereo.format, (WavFormat{2, rate}));
    ASSERT_EQ(stereo.frames(), frame * ticks);
    const WavData supervisor = read_wav(spec.supervisor_path);
    ASSERT_EQ(supervisor.format, (WavFormat{1, rate}));
    ASSERT_EQ(supervisor.frames(), frame * 100);
    for (std::size_t i = 0; i < stereo.frames(); ++i) {
        const int t = static_cast<int>(i / frame);
        ASSERT_EQ(stereo.samples[2 * i], client_speaks(t) ? client[i] : 0) << "left " << i;
        ASSERT_EQ(stereo.samples[2 * i + 1], operator_speaks(t) ? op[i] : 0) << "right " << i;
    }
    for (std::size_t i = 0; i < supervisor.frames(); ++i) {
        const int t = static_cast<int>(i / frame);
        ASSERT_EQ(supervisor.samples[i], supervisor_speaks(t) ? sup[i] : 0) << "supervisor " << i;
    }
    // The same by ear (Goertzel): while the supervisor speaks (1-2 s) neither stereo channel
    // carries its tone, and the supervisor file carries nothing else.
    const test::ToneThresholds thresholds{.guard_s = 0.1};
    const test::ToneExpectation left_expect[] = {{test::tone_a_hz, true}, {test::tone_c_hz, false}};
    const test::ToneExpectation right_expect[] = {{test::tone_b_hz, true},
                                                  {test::tone_c_hz, false}};
    const test::ToneExpectation sup_expect[] = {
        {test::tone_c_hz, true}, {test::tone_a_hz, false}, {test::tone_b_hz, false}};
    EXPECT_TRUE(test::check_tones(channel(stereo, 0), rate, 1.0, 2.0, left_expect, thresholds));
    EXPECT_TRUE(test::check_tones(channel(stereo, 1), rate, 1.0, 2.0, right_expect, thresholds));
    EXPECT_TRUE(test::check_tones(supervisor.samples, rate, 1.0, 2.0, sup_expect, thresholds));

    const RecorderStats stats = recorder.stats();
    EXPECT_EQ(stats.frames_written, 170U + 155U + 50U);
    EXPECT_EQ(stats.frames_written, pushed.load());
    EXPECT_EQ(stats.frames_dropped_ring_full, 0U);
    EXPECT_EQ(stats.frames_dropped_late, 0U);
    EXPECT_EQ(stats.frames_dropped_invalid, 0U);
    EXPECT_EQ(stats.write_errors, 0U);
    EXPECT_EQ(stats.bytes_written, frame * ticks * 4 + frame * 100 * 2);
}

TEST(Recorder, FullRingDropsAndCounts) {
    const TempDir dir;
    Outcomes outcomes;
    // The smallest ring (8 KiB): 23 frames of 20 ms at 8 kHz (344 bytes each), never grown.
    Recorder recorder(
        RecorderOptions{.ring_bytes = 8192, .ring_headroom = milliseconds{0}, .own_thread = false},
        &outcomes);
    const RecordingId id{1};
    const RecordingSpec spec = spec_in(dir, 8000);
    recorder.open(id, spec);
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160 * 25);
    RecordProducer producer = recorder.producer(0);
    for (std::size_t k = 0; k < 25; ++k) {
        EXPECT_EQ(producer.push(id, Track::client, k * 160, slice(tone, k * 160, 160)), k < 23)
            << "frame " << k;
    }
    EXPECT_EQ(recorder.stats().frames_dropped_ring_full, 2U);
    EXPECT_EQ(recorder.stats().frames_written, 0U);
    recorder.run_once();
    EXPECT_EQ(recorder.stats().frames_written, 23U);
    // Room again after the drain (this frame wraps round the end of the ring).
    EXPECT_TRUE(producer.push(id, Track::client, 23 * 160, slice(tone, 23 * 160, 160)));
    ASSERT_TRUE(recorder.close(id, 2 * 160)); // what the producer lost, as the engine reports
    recorder.run_once();
    const RecordingOutcome outcome = outcomes.wait_for(id);
    EXPECT_EQ(outcome.stereo_frames, 24U * 160);
    EXPECT_TRUE(outcome.incomplete());
    EXPECT_EQ(outcome.lost_ms(), 40);
    const WavData data = read_wav(spec.stereo_path);
    const auto left = channel(data, 0);
    EXPECT_TRUE(std::equal(left.begin(), left.end(), tone.begin()));
    EXPECT_EQ(recorder.stats().frames_dropped_ring_full, 2U);
    EXPECT_EQ(recorder.stats().frames_written, 24U);
    EXPECT_EQ(recorder.stats().recordings_incomplete, 1U);
}

// 8 kHz, reorder window 200 ms = 1600 samples: after one second of client audio everything
// before 6400 is on disk.
TEST(Recorder, LateFramesTrimmedOrDroppedAndLongGapsBecomeSilence) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.reorder_window = milliseconds{200}, .own_thread = false},
                      &outcomes);
    const RecordingId id{7};
    const RecordingSpec spec = spec_in(dir, 8000);
    recorder.open(id, spec);
    const auto client = test::make_tone(test::tone_a_hz, -6, 8000, 8000 * 7);
    const auto op = test::make_tone(test::tone_b_hz, -6, 8000, 8000 * 7);
    RecordProducer producer = recorder.producer(0);
    for (std::size_t t = 0; t < 50; ++t) {
        ASSERT_TRUE(producer.push(id, Track::client, t * 160, slice(client, t * 160, 160)));
    }
    recorder.run_once();

    struct Late {
        Track track;
        std::size_t position;
        bool counted_late;
    };
    const Late arrivals[] = {
        {Track::client, 0, true},        // ends at 160, long written
        {Track::operator_, 6240, true},  // ends exactly at 6400
        {Track::operator_, 6350, false}, // straddles 6400: its head is cut, its tail kept
    };
    std::uint64_t late = 0;
    for (const Late& a : arrivals) {
        ASSERT_TRUE(producer.push(id, a.track, a.position, slice(op, a.position, 160)));
        recorder.run_once();
        late += a.counted_late ? 1 : 0;
        EXPECT_EQ(recorder.stats().frames_dropped_late, late) << a.position;
    }
    // Five seconds of nothing, then one more client frame at 6 s.
    ASSERT_TRUE(producer.push(id, Track::client, 48000, slice(client, 48000, 160)));
    ASSERT_TRUE(recorder.close(id));
    recorder.run_once();
    EXPECT_EQ(outcomes.wait_for(id).stereo_frames, 48160U);

    const WavData data = read_wav(spec.stereo_path);
    ASSERT_EQ(data.frames(), 48160U);
    const auto left = channel(data, 0);
    const auto right = channel(data, 1);
    for (std::size_t i = 0; i < data.frames(); ++i) {
        const bool client_there = i < 8000 || i >= 48000;
        ASSERT_EQ(left[i], client_there ? client[i] : 0) << i;
        ASSERT_EQ(right[i], (i >= 6400 && i < 6510) ? op[i] : 0) << i;
    }
    const RecorderStats stats = recorder.stats();
    EXPECT_EQ(stats.frames_written, 50U + 1 + 1);
    EXPECT_EQ(stats.frames_dropped_late, 2U);
}

TEST(Recorder, NoSupervisorAudioMeansNoSupervisorFile) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.own_thread = false}, &outcomes);
    const RecordingSpec spec = spec_in(dir, 8000);
    recorder.open(RecordingId{3}, spec);
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160);
    ASSERT_TRUE(recorder.producer(0).push(RecordingId{3}, Track::operator_, 0, tone));
    ASSERT_TRUE(recorder.close(RecordingId{3}));
    recorder.run_once();
    const RecordingOutcome outcome = outcomes.wait_for(RecordingId{3});
    EXPECT_TRUE(outcome.ok);
    EXPECT_FALSE(outcome.has_supervisor);
    EXPECT_EQ(outcome.supervisor_frames, 0U);
    EXPECT_TRUE(fs::exists(spec.stereo_path));
    EXPECT_FALSE(fs::exists(spec.supervisor_path));
    EXPECT_EQ(channel(read_wav(spec.stereo_path), 1), tone);
}

TEST(Recorder, InvalidFramesAreDroppedAndCounted) {
    const TempDir dir;
    Recorder recorder(RecorderOptions{.own_thread = false});
    recorder.open(RecordingId{5}, spec_in(dir, 8000));
    RecordProducer producer = recorder.producer(0);
    const std::vector<std::int16_t> too_long(kMaxFrameSamples + 1, 1);
    EXPECT_FALSE(producer.push(RecordingId{5}, Track::client, 0, too_long));
    RecordFrame bad_count;
    bad_count.recording = RecordingId{5};
    bad_count.count = kMaxFrameSamples + 1;
    EXPECT_FALSE(producer.push(bad_count));
    RecordFrame bad_track;
    bad_track.recording = RecordingId{5};
    bad_track.track = static_cast<Track>(7);
    EXPECT_FALSE(producer.push(bad_track));
    EXPECT_EQ(recorder.stats().frames_dropped_invalid, 3U);
    // Accepted by the ring, but for no open recording.
    EXPECT_TRUE(producer.push(RecordingId{99}, Track::client, 0, std::vector<std::int16_t>(160)));
    recorder.run_once();
    const RecorderStats stats = recorder.stats();
    EXPECT_EQ(stats.frames_dropped_invalid, 4U);
    EXPECT_EQ(stats.frames_written, 0U);
    EXPECT_EQ(stats.frames_dropped_ring_full, 0U);
}

TEST(Recorder, ControlApiValidatesAndSerializesOpenClose) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.workers = 2, .own_thread = false}, &outcomes);
    const auto code_of = [&](RecordingId id, RecordingSpec spec) {
        try {
            recorder.open(id, std::move(spec));
        } catch (const core::Error& e) {
            return e.code();
        }
        return core::ErrorCode::internal; // "no error" marker for this table
    };
    struct Case {
        const char* name;
        RecordingSpec spec;
        core::ErrorCode code;
    };
    const Case cases[] = {
        {"rate 0", {dir / "a.wav", dir / "b.wav", 0}, core::ErrorCode::invalid_argument},
        {"rate too high",
         {dir / "a.wav", dir / "b.wav", 1'000'000},
         core::ErrorCode::invalid_argument},
        {"no stereo path", {"", dir / "b.wav", 8000}, core::ErrorCode::invalid_argument},
        {"supervisor into the stereo file",
         {dir / "a.wav", dir / "a.wav", 8000},
         core::ErrorCode::invalid_argument},
    };
    for (const Case& c : cases)
        EXPECT_EQ(code_of(RecordingId{1}, c.spec), c.code) << c.name;

    EXPECT_EQ(code_of(RecordingId{1}, spec_in(dir, 8000)), core::ErrorCode::internal);
    EXPECT_EQ(code_of(RecordingId{1}, spec_in(dir, 8000)), core::ErrorCode::conflict);
    EXPECT_FALSE(recorder.close(RecordingId{2}));
    EXPECT_TRUE(recorder.close(RecordingId{1}));
    EXPECT_FALSE(recorder.close(RecordingId{1}));
    // Still closing: the id is not free until its files are final.
    EXPECT_EQ(code_of(RecordingId{1}, spec_in(dir, 8000)), core::ErrorCode::conflict);
    recorder.run_once();
    EXPECT_TRUE(outcomes.wait_for(RecordingId{1}).ok);
    EXPECT_EQ(code_of(RecordingId{1}, spec_in(dir, 8000, "again")), core::ErrorCode::internal);
    EXPECT_THROW((void)recorder.producer(2), core::Error);
    EXPECT_THROW(Recorder(RecorderOptions{.ring_bytes = 10000}), core::Error);
    EXPECT_THROW(Recorder(RecorderOptions{.workers = 0}), core::Error);
}

// The recorder thread is told to poll once an hour: only close() and stop() wake it, so these
// frames can only reach the file through the drain that close and stop promise.
TEST(Recorder, CloseAndStopDrainWhatWasPushedBefore) {
    const TempDir dir;
    Outcomes outcomes;
    const auto tone = test::make_tone(test::tone_b_hz, -6, 8000, 160 * 50);
    const RecordingSpec closed = spec_in(dir, 8000, "closed");
    const RecordingSpec left_open = spec_in(dir, 8000, "left-open");
    {
        Recorder recorder(RecorderOptions{.poll_interval = std::chrono::hours{1}}, &outcomes);
        recorder.open(RecordingId{1}, closed);
        recorder.open(RecordingId{2}, left_open);
        RecordProducer producer = recorder.producer(0);
        for (std::size_t t = 0; t < 50; ++t) {
            ASSERT_TRUE(
                producer.push(RecordingId{1}, Track::client, t * 160, slice(tone, t * 160, 160)));
            ASSERT_TRUE(producer.push(RecordingId{2}, Track::supervisor, t * 160,
                                      slice(tone, t * 160, 160)));
        }
        ASSERT_TRUE(recorder.close(RecordingId{1}));
        EXPECT_EQ(outcomes.wait_for(RecordingId{1}).stereo_frames, 50U * 160);
        recorder.stop();
        EXPECT_THROW(recorder.open(RecordingId{3}, spec_in(dir, 8000, "late")), core::Error);
    }
    const RecordingOutcome stopped = outcomes.wait_for(RecordingId{2});
    EXPECT_TRUE(stopped.has_supervisor);
    EXPECT_EQ(stopped.supervisor_frames, 50U * 160);
    EXPECT_EQ(outcomes.count(), 2U);
    EXPECT_EQ(channel(read_wav(closed.stereo_path), 0), tone);
    EXPECT_EQ(read_wav(left_open.supervisor_path).samples, tone);
    EXPECT_EQ(read_wav(left_open.stereo_path).frames(), 0U); // supervisor only: empty stereo
}

TEST(Recorder, SupervisorFileFailureKeepsTheStereoFile) {
    const TempDir dir;
    Outcomes outcomes;
    Recorder recorder(RecorderOptions{.own_thread = false}, &outcomes);
    const RecordingSpec spec{dir / "call.wav", dir / "missing-dir" / "sup.wav", 8000};
    recorder.open(RecordingId{1}, spec);
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 160);
    RecordProducer producer = recorder.producer(0);
    ASSERT_TRUE(producer.push(RecordingId{1}, Track::supervisor, 0, tone));
    ASSERT_TRUE(producer.push(RecordingId{1}, Track::supervisor, 160, tone));
    ASSERT_TRUE(producer.push(RecordingId{1}, Track::client, 0, tone));
    ASSERT_TRUE(recorder.close(RecordingId{1}));
    recorder.run_once();
    const RecordingOutcome outcome = outcomes.wait_for(RecordingId{1});
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.error.find("sup.wav"), std::string::npos) << outcome.error;
    EXPECT_FALSE(outcome.has_supervisor);
    EXPECT_EQ(channel(read_wav(spec.stereo_path), 0), tone);
    const RecorderStats stats = recorder.stats();
    EXPECT_EQ(stats.write_errors, 1U);
    EXPECT_EQ(stats.frames_dropped_invalid, 2U);
    EXPECT_EQ(stats.frames_written, 1U);
}

// ---- start-up repair -------------------------------------------------------------------------

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

TEST(RepairDirectory, ChecksEveryWavInTheTreeAndRepairsTheBroken) {
    const TempDir dir;
    const auto tone = test::make_tone(test::tone_a_hz, -6, 8000, 800);
    { WavWriter(dir / "intact.wav", WavFormat{1, 8000}).append(tone); }
    fs::create_directories(dir / "2024" / "05");
    const fs::path crashed = dir / "2024" / "05" / "crashed.wav";
    {
        WavWriter writer(crashed, WavFormat{1, 8000});
        writer.append(tone);
        writer.sync();
        writer.append(tone); // a second helping the header never hears about
        writer.sync();
    }
    { // Put the header back to what it said after the first sync: a crash right then.
        std::fstream f(crashed, std::ios::binary | std::ios::in | std::ios::out);
        const char riff[4] = {static_cast<char>((36 + 1600) & 0xff),
                              static_cast<char>((36 + 1600) >> 8), 0, 0};
        const char data[4] = {static_cast<char>(1600 & 0xff), static_cast<char>(1600 >> 8), 0, 0};
        f.seekp(4);
        f.write(riff, 4);
        f.seekp(40);
        f.write(data, 4);
    }
    write_file(dir / "2024" / "GARBAGE.WAV", "this is not audio");
    write_file(dir / "notes.txt", "RIFF");
    fs::create_symlink(crashed, dir / "link.wav"); // not followed: counted once, via its target

    const DirectoryRepairReport report = repair_directory(dir.path());
    EXPECT_EQ(report.files_checked, 3U);
    EXPECT_EQ(report.files_repaired, 1U);
    EXPECT_EQ(report.files_unrepairable, 1U);
    ASSERT_EQ(report.changed.size(), 2U);
    EXPECT_EQ(report.changed[0].path, dir / "2024" / "05" / "crashed.wav");
    EXPECT_EQ(report.changed[0].report.status, WavRepairStatus::repaired);
    EXPECT_EQ(report.changed[0].report.header_data_bytes, 1600U);
    EXPECT_EQ(report.changed[0].report.data_bytes, 3200U);
    EXPECT_EQ(report.changed[1].path, dir / "2024" / "GARBAGE.WAV");
    EXPECT_EQ(report.changed[1].report.status, WavRepairStatus::unrepairable);

    std::vector<std::int16_t> twice = tone;
    twice.insert(twice.end(), tone.begin(), tone.end());
    EXPECT_EQ(read_wav(crashed).samples, twice);
    const DirectoryRepairReport again = repair_directory(dir.path());
    EXPECT_EQ(again.files_checked, 3U);
    EXPECT_EQ(again.files_repaired, 0U);

    const DirectoryRepairReport missing = repair_directory(dir / "nope");
    EXPECT_EQ(missing.files_checked, 0U);
}

// A forked child records a call at 48 kHz through the Recorder (as fast as the recorder keeps up,
// not in real time) and reports each tick it has pushed; it is killed with SIGKILL mid-call.
// Start-up repair must then leave a valid file missing at most ~2 s of what was pushed.
TEST(RepairDirectory, RecoversARecordingKilledMidCall) {
    const TempDir dir;
    constexpr std::uint32_t rate = 48000;
    constexpr std::size_t frame = 960;
    constexpr std::size_t ticks_cap = 20 * 50; // 20 s
    const auto client = test::make_tone(test::tone_a_hz, -6, rate, frame * ticks_cap);
    const auto op = test::make_tone(test::tone_b_hz, -6, rate, frame * ticks_cap);
    const RecordingSpec spec = spec_in(dir, rate);

    int progress[2];
    ASSERT_EQ(::pipe(progress), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(progress[0]);
        try {
            Recorder recorder(RecorderOptions{});
            recorder.open(RecordingId{1}, spec);
            RecordProducer producer = recorder.producer(0);
            std::uint64_t pushed = 0;
            for (std::size_t t = 0; t < ticks_cap; ++t) {
                while (pushed > recorder.stats().frames_written + 16)
                    std::this_thread::yield();
                const std::size_t at = t * frame;
                pushed +=
                    producer.push(RecordingId{1}, Track::client, at, slice(client, at, frame));
                pushed += producer.push(RecordingId{1}, Track::operator_, at, slice(op, at, frame));
                const std::uint64_t end = at + frame;
                if (::write(progress[1], &end, sizeof end) != sizeof end) ::_exit(2);
            }
            ::pause();
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(3);
    }
    ::close(progress[1]);
    std::uint64_t reported = 0;
    std::uint64_t value = 0;
    while (reported < 3 * rate && ::read(progress[0], &value, sizeof value) == sizeof value) {
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

    const DirectoryRepairReport report = repair_directory(dir.path());
    EXPECT_EQ(report.files_checked, 1U); // no supervisor spoke: no supervisor file
    EXPECT_EQ(report.files_unrepairable, 0U);
    const WavData data = read_wav(spec.stereo_path);
    EXPECT_EQ(fs::file_size(spec.stereo_path), 44 + data.frames() * 4);
    EXPECT_GE(data.frames() + 2 * rate, reported) << "lost more than 2 s";
    EXPECT_LE(data.frames(), reported + frame); // killed between a push and its report
    for (std::size_t i = 0; i < data.frames(); ++i) {
        ASSERT_EQ(data.samples[2 * i], client[i]) << i;
        ASSERT_EQ(data.samples[2 * i + 1], op[i]) << i;
    }
}

} // namespace
} // namespace suflyor::media
