#pragma once
// Call recording. Media workers push decoded PCM frames into one lock-free SPSC ring each
// (never blocking: a full ring drops the frame and counts it); one recorder thread drains the
// rings and writes the files, so disk never stalls media. fdatasync runs on a syncer thread of
// its own (WavSyncer), so a slow disk does not stall the recorder's intake either.
//
// Ring size: each worker's ring holds `ring_headroom` of audio of every open recording. open()
// publishes a larger ring when the open recordings outgrow it; the producer moves to it on its
// next push (one atomic load, no lock, no allocation), the recorder drains the old one first.
//
// When frames are lost anyway (ring full, late, a file error) the loss is counted (stats), a
// warning is logged at most every `warn_interval`, and each affected recording's outcome carries
// what it lost, so the call can be marked.
//
// Wake-up: the recorder thread waits on a condition variable with a timeout of poll_interval
// (default 10 ms). The control side (open/close/stop) notifies it; producers never do (they stay
// lock-free and syscall-free), so pushed frames are picked up by the next poll.
//
// Close semantics: close(id) queues the close; the recorder drains every ring after seeing it,
// so every frame pushed before close() was called is written, then finalizes the headers and
// reports the outcome to the listener (on the recorder thread). The id may be opened again only
// after that. Frames for ids that are not open are dropped and counted invalid.
//
// At most poll_interval + reorder_window + the WAV buffer of audio is held in memory, which
// bounds what a kill -9 loses; repair_directory() fixes the headers at start-up.
#include "media/recording/record_ring.hpp"
#include "media/recording/recorder_frame.hpp"
#include "media/recording/recorder_session.hpp"
#include "media/recording/wav.hpp"
#include "media/recording/wav_syncer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace suflyor::media {

struct RecorderOptions {
    std::size_t workers = 1;          // one producer ring per media worker
    std::size_t ring_bytes = 1 << 20; // each ring's first size: a power of two
    // Audio of every open recording a ring holds (it grows up to max_ring_bytes to do so).
    std::chrono::milliseconds ring_headroom{2000};
    std::size_t max_ring_bytes = std::size_t{1} << 28;
    std::chrono::milliseconds poll_interval{10};
    // How far one track may lag the newest sample before its frames count as late.
    std::chrono::milliseconds reorder_window{200};
    WavWriterOptions wav{};                 // its syncer is the recorder's own unless set
    bool background_sync = true;            // false: fdatasync inline on the recorder thread
    std::chrono::seconds warn_interval{10}; // at most one loss warning in the log per interval
    // false: no thread is started and the owner drives run_once() (tests, tools).
    bool own_thread = true;
};

struct RecorderStats {
    std::uint64_t frames_written = 0;
    std::uint64_t frames_dropped_ring_full = 0;
    std::uint64_t frames_dropped_late = 0;
    // For no open recording, malformed (count > kMaxFrameSamples, bad track), or for a file
    // that failed.
    std::uint64_t frames_dropped_invalid = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t write_errors = 0;
    std::uint64_t recordings_incomplete = 0; // finished with audio lost or a file error
    double ring_fill = 0;                    // the fullest ring at the latest drain, 0..1
    std::uint64_t ring_bytes = 0;            // all rings' capacity now
    WavSyncerStats sync{};
};

class RecorderListener {
public:
    virtual ~RecorderListener() = default;
    // Called on the recorder thread once a closed recording's files are final.
    virtual void on_recording_finished(const RecordingOutcome& outcome) = 0;
};

// One media worker's rings and drop counters, shared by the producer and the recorder.
struct RecorderLane {
    explicit RecorderLane(std::size_t capacity);
    std::atomic<RecordRing*> published; // the newest ring: the producer moves to it
    std::atomic<RecordRing*> producing; // the ring the producer pushes to (its acknowledgement)
    RecordRing* consuming;              // recorder thread only
    std::mutex rings_mutex;             // control side and recorder thread, never the producer
    std::vector<std::unique_ptr<RecordRing>> rings; // every ring not yet retired
    std::atomic<std::size_t> ring_bytes{0};         // the published ring's, for stats
    alignas(kCacheLineSize) std::atomic<std::uint64_t> dropped_ring_full{0};
    std::atomic<std::uint64_t> dropped_invalid{0};
};

// A media worker's handle: lock-free, allocation-free, syscall-free. Use from one thread only.
class RecordProducer {
public:
    // Both return false when the frame was dropped (ring full, or count/track invalid).
    bool push(const RecordFrame& frame) noexcept;
    bool push(RecordingId recording, Track track, std::uint64_t position,
              std::span<const std::int16_t> samples) noexcept;

private:
    friend class Recorder;
    explicit RecordProducer(RecorderLane& lane) : lane_(&lane) {}
    RecorderLane* lane_;
    RecordRing* ring_ = nullptr; // the lane's ring this producer last pushed to
};

class Recorder {
public:
    explicit Recorder(RecorderOptions options, RecorderListener* listener = nullptr);
    ~Recorder(); // stop()
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Control side (any thread). open throws core::Error: invalid_argument for a bad spec,
    // conflict when the id is open or still closing, or after stop().
    void open(RecordingId id, RecordingSpec spec);
    // false when the id is not open (or already closing). lost_samples: what the producer could
    // not hand over for this recording (its ring was full), added to the outcome's loss.
    bool close(RecordingId id, std::uint64_t lost_samples = 0);

    // The handle for media worker `worker_index` (< options.workers; throws otherwise).
    [[nodiscard]] RecordProducer producer(std::size_t worker_index);

    [[nodiscard]] RecorderStats stats() const;

    // One pass of the recorder loop: apply open/close commands, drain every ring, finalize the
    // closed recordings. Only for own_thread = false.
    void run_once();
    // Drains, finalizes every recording still open (reporting each), joins the thread and waits
    // for the files' last fdatasync.
    void stop();

private:
    struct Command {
        enum class Kind { open, close } kind;
        RecordingId id;
        RecordingSpec spec;
        std::uint64_t lost_samples = 0;
    };

    void thread_main();
    void adopt_commands();
    void drain();
    bool drain_lane(RecorderLane& lane);
    void process(const RecordFrameView& frame) noexcept;
    void finalize_closing();
    void shutdown_pass();
    void grow_rings(std::size_t open_recordings, std::uint32_t sample_rate);
    void warn_of_losses();

    const RecorderOptions options_;
    RecorderListener* const listener_;
    std::unique_ptr<WavSyncer> syncer_; // before the sessions that hand it their files
    WavWriterOptions wav_;
    std::vector<std::unique_ptr<RecorderLane>> lanes_;
    RecorderCounters counters_;
    std::atomic<std::uint64_t> recordings_incomplete_{0};
    std::atomic<double> ring_fill_{0};

    // Control side, guarded by mutex_.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Command> commands_;
    std::unordered_set<RecordingId> active_;            // open or closing
    std::unordered_set<RecordingId> closing_requested_; // subset of active_
    bool stopping_ = false;
    std::atomic<bool> commands_pending_{false};

    // Recorder thread only.
    std::unordered_map<RecordingId, std::unique_ptr<RecordingSession>> sessions_;
    std::vector<RecordingId> closing_;
    bool rescan_ = false;
    struct Warned {
        std::chrono::steady_clock::time_point at{};
        std::uint64_t dropped = 0, incomplete = 0;
    } warned_;

    std::thread thread_; // last: started after everything above exists
};

} // namespace suflyor::media
