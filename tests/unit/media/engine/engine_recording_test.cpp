// Recording through the engine: the stereo file holds the client left and the operator right,
// the supervisor has a file of its own; in relay mode the relayed packets are decoded for it.
#include "engine_test_support.hpp"
#include "media/recording/recorder.hpp"
#include "media/recording/wav.hpp"
#include "unit/common/temp_dir.hpp"

namespace suflyor::media::test {
namespace {

class EngineRecording : public EngineIo {};

using suflyor::test::check_tones;
using suflyor::test::tone_a_hz;
using suflyor::test::tone_b_hz;
using suflyor::test::tone_c_hz;
using suflyor::test::ToneExpectation;

std::vector<std::int16_t> channel(const WavData& wav, unsigned ch) {
    std::vector<std::int16_t> out;
    for (std::size_t i = ch; i < wav.samples.size(); i += wav.format.channels)
        out.push_back(wav.samples[i]);
    return out;
}

TEST_P(EngineRecording, ClientLeftOperatorRightSupervisorSeparate) {
    suflyor::test::TempDir dir;
    Recorder recorder(RecorderOptions{.workers = 1, .own_thread = false});
    MonitoredCall call(io_config(), &recorder);
    const RecordingId id{77};
    call.engine.start_recording(call.room, id,
                                RecordingSpec{dir / "call.wav", dir / "call-sup.wav", 8000});
    call.set_plan(relay_plan());
    for (int i = 0; i < 4; ++i) { // 2 s relayed (supervisor silent to all), then 2 s whisper
        call.run(25);
        recorder.run_once();
    }
    call.set_plan(whisper_plan());
    for (int i = 0; i < 4; ++i) {
        call.run(25);
        recorder.run_once();
    }
    call.engine.stop_recording(call.room);
    pump(call.engine);
    bool stopped = false;
    for (const Event& e : events_of(call.engine)) // closes the recording in the recorder
        stopped |= e.kind == EventKind::recording_stopped && e.recording == id.value();
    EXPECT_TRUE(stopped);
    recorder.run_once();
    recorder.run_once();
    EXPECT_EQ(recorder.stats().frames_dropped_invalid, 0U);
    EXPECT_EQ(recorder.stats().frames_dropped_ring_full, 0U);

    const WavData stereo = read_wav(dir / "call.wav");
    ASSERT_EQ(stereo.format.channels, 2);
    EXPECT_NEAR(static_cast<double>(stereo.frames()), 4.0 * 8000, 400);
    const auto left = channel(stereo, 0);
    const auto right = channel(stereo, 1);
    const std::vector<ToneExpectation> client_only{
        {tone_a_hz, true}, {tone_b_hz, false}, {tone_c_hz, false}};
    const std::vector<ToneExpectation> operator_only{
        {tone_b_hz, true}, {tone_a_hz, false}, {tone_c_hz, false}};
    for (const auto& [start, end] : {std::pair{0.0, 2.0}, std::pair{2.0, 4.0}}) {
        const auto l = check_tones(left, 8000, start, end, client_only);
        EXPECT_TRUE(l.ok) << "left " << start << ": " << l.failures;
        const auto r = check_tones(right, 8000, start, end, operator_only);
        EXPECT_TRUE(r.ok) << "right " << start << ": " << r.failures;
    }

    // The supervisor file is aligned with the stereo one: silent while nobody heard it (relay),
    // the supervisor's tone once whispering.
    const WavData sup = read_wav(dir / "call-sup.wav");
    ASSERT_EQ(sup.format.channels, 1);
    const std::vector<ToneExpectation> supervisor_only{
        {tone_c_hz, true}, {tone_a_hz, false}, {tone_b_hz, false}};
    const auto s = check_tones(sup.samples, 8000, 2.0, 4.0, supervisor_only);
    EXPECT_TRUE(s.ok) << "supervisor: " << s.failures;
    const std::size_t whisper_start = 2 * 8000;
    ASSERT_GT(sup.samples.size(), whisper_start);
    for (std::size_t i = 0; i + 8000 < whisper_start; ++i)
        ASSERT_EQ(sup.samples[i], 0) << "supervisor audio recorded while nobody heard it, at " << i;
}

// A recorder that falls behind (its smallest ring, never drained while the call runs): the worker
// is never held up, and what the ring refused is handed over with recording_stopped, so the
// recording's outcome says how much audio it lost.
TEST_P(EngineRecording, WhatTheRingRefusedIsReportedAsTheRecordingsLoss) {
    struct LastOutcome final : RecorderListener {
        void on_recording_finished(const RecordingOutcome& o) override { outcome = o; }
        RecordingOutcome outcome;
    } listener;
    suflyor::test::TempDir dir;
    Recorder recorder(RecorderOptions{.workers = 1,
                                      .ring_bytes = 8192,
                                      .ring_headroom = std::chrono::milliseconds{0},
                                      .own_thread = false},
                      &listener);
    MonitoredCall call(io_config(), &recorder);
    const RecordingId id{78};
    call.engine.start_recording(call.room, id,
                                RecordingSpec{dir / "call.wav", dir / "call-sup.wav", 8000});
    call.set_plan(relay_plan());
    call.run(50); // 1 s of both parties: 100 frames for a ring of 23
    call.engine.stop_recording(call.room);
    pump(call.engine);
    std::uint64_t lost = 0;
    for (const Event& e : events_of(call.engine))
        if (e.kind == EventKind::recording_stopped && e.recording == id.value())
            lost = e.recording_lost_samples;
    const std::uint64_t refused = recorder.stats().frames_dropped_ring_full;
    EXPECT_GT(refused, 50U);
    EXPECT_EQ(lost, refused * 160);
    recorder.run_once();
    recorder.run_once();
    EXPECT_EQ(listener.outcome.id, id);
    EXPECT_TRUE(listener.outcome.incomplete());
    EXPECT_EQ(listener.outcome.lost_samples, lost);
    EXPECT_EQ(recorder.stats().recordings_incomplete, 1U);
}

INSTANTIATE_IO(EngineRecording);

} // namespace
} // namespace suflyor::media::test
