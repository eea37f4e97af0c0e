#include "media/recording/recorder.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <pthread.h>
#include <string>
#include <utility>

namespace suflyor::media {
namespace {

bool is_valid(const RecordFrame& frame) {
    return frame.count <= kMaxFrameSamples && frame.track <= Track::supervisor;
}

void validate(const RecordingSpec& spec) {
    using core::ErrorCode;
    if (spec.sample_rate == 0 || spec.sample_rate > kWavMaxSampleRate) {
        core::fail(ErrorCode::invalid_argument,
                   "recording sample rate out of range: " + std::to_string(spec.sample_rate));
    }
    if (spec.stereo_path.empty() || spec.supervisor_path.empty()) {
        core::fail(ErrorCode::invalid_argument, "recording paths must not be empty");
    }
    if (spec.stereo_path == spec.supervisor_path) {
        core::fail(ErrorCode::invalid_argument,
                   "the supervisor track must not share the stereo file: " +
                       spec.stereo_path.string());
    }
}

} // namespace

// ---- producer side -------------------------------------------------------------------------

bool RecordProducer::push(const RecordFrame& frame) noexcept {
    if (!is_valid(frame)) {
        lane_->dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    return push(frame.recording, frame.track, frame.position,
                std::span<const std::int16_t>(frame.samples.data(), frame.count));
}

bool RecordProducer::push(RecordingId recording, Track track, std::uint64_t position,
                          std::span<const std::int16_t> samples) noexcept {
    if (samples.size() > kMaxFrameSamples || track > Track::supervisor) {
        lane_->dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    // A larger ring published since the last push: move to it. After this release store the
    // recorder may retire the old one, so nothing is pushed there any more.
    if (RecordRing* newest = lane_->published.load(std::memory_order_acquire); newest != ring_) {
        ring_ = newest;
        lane_->producing.store(newest, std::memory_order_release);
    }
    const bool pushed = ring_->try_push(recording, track, position, samples);
    if (!pushed) lane_->dropped_ring_full.fetch_add(1, std::memory_order_relaxed);
    return pushed;
}

RecorderLane::RecorderLane(std::size_t capacity) {
    rings.push_back(std::make_unique<RecordRing>(capacity));
    consuming = rings.back().get();
    published.store(consuming);
    producing.store(consuming);
    ring_bytes.store(capacity);
}

// ---- control side --------------------------------------------------------------------------

Recorder::Recorder(RecorderOptions options, RecorderListener* listener)
    : options_(std::move(options)), listener_(listener), wav_(options_.wav) {
    const std::size_t capacity = options_.ring_bytes;
    if (options_.workers == 0 || capacity < 4 * RecordRing::kMaxRecordBytes ||
        (capacity & (capacity - 1)) != 0) {
        core::fail(core::ErrorCode::invalid_argument,
                   "recorder needs >= 1 worker and a power-of-two ring of >= 4 frames");
    }
    if (options_.background_sync && wav_.syncer == nullptr) {
        syncer_ = std::make_unique<WavSyncer>();
        wav_.syncer = syncer_.get();
    }
    lanes_.reserve(options_.workers);
    for (std::size_t i = 0; i < options_.workers; ++i) {
        lanes_.push_back(std::make_unique<RecorderLane>(capacity));
    }
    if (options_.own_thread) thread_ = std::thread([this] { thread_main(); });
}

Recorder::~Recorder() { stop(); }

void Recorder::open(RecordingId id, RecordingSpec spec) {
    validate(spec);
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) core::fail(core::ErrorCode::conflict, "recorder is stopped");
        if (!active_.insert(id).second) {
            core::fail(core::ErrorCode::conflict, "recording " + id.str() + " is already open");
        }
        grow_rings(active_.size(), spec.sample_rate);
        commands_.push_back({Command::Kind::open, id, std::move(spec)});
        commands_pending_.store(true, std::memory_order_release);
    }
    wake_.notify_one();
}

void Recorder::grow_rings(std::size_t open_recordings, std::uint32_t sample_rate) {
    // Two tracks of 20 ms frames per recording (the supervisor's is rare), for ring_headroom.
    const std::size_t frame = RecordRing::record_bytes(
        std::min<std::size_t>(kMaxFrameSamples, std::max<std::uint32_t>(1, sample_rate / 50)));
    const auto frames = static_cast<std::size_t>(
        std::max<std::int64_t>(1, options_.ring_headroom.count() * 2 * 50 / 1000));
    const std::size_t needed = open_recordings * frames * frame;
    for (const auto& lane : lanes_) {
        const std::lock_guard lock(lane->rings_mutex);
        const std::size_t now = lane->published.load(std::memory_order_relaxed)->capacity();
        if (now >= needed || now >= options_.max_ring_bytes) continue;
        const std::size_t bytes = std::min(std::bit_ceil(needed), options_.max_ring_bytes);
        lane->rings.push_back(std::make_unique<RecordRing>(bytes));
        lane->published.store(lane->rings.back().get(), std::memory_order_release);
        lane->ring_bytes.store(bytes, std::memory_order_relaxed);
    }
}

bool Recorder::close(RecordingId id, std::uint64_t lost_samples) {
    {
        const std::lock_guard lock(mutex_);
        if (!active_.contains(id) || closing_requested_.contains(id)) return false;
        closing_requested_.insert(id);
        commands_.push_back({Command::Kind::close, id, {}, lost_samples});
        commands_pending_.store(true, std::memory_order_release);
    }
    wake_.notify_one();
    return true;
}

RecordProducer Recorder::producer(std::size_t worker_index) {
    if (worker_index >= lanes_.size()) {
        core::fail(core::ErrorCode::invalid_argument,
                   "no recorder ring for worker " + std::to_string(worker_index));
    }
    return RecordProducer(*lanes_[worker_index]);
}

RecorderStats Recorder::stats() const {
    constexpr auto relaxed = std::memory_order_relaxed;
    RecorderStats stats{
        .frames_written = counters_.frames_written.load(relaxed),
        .frames_dropped_ring_full = 0,
        .frames_dropped_late = counters_.frames_dropped_late.load(relaxed),
        .frames_dropped_invalid = counters_.frames_dropped_invalid.load(relaxed),
        .bytes_written = counters_.bytes_written.load(relaxed),
        .write_errors = counters_.write_errors.load(relaxed),
        .recordings_incomplete = recordings_incomplete_.load(relaxed),
        .ring_fill = ring_fill_.load(relaxed),
    };
    for (const auto& lane : lanes_) {
        stats.frames_dropped_ring_full += lane->dropped_ring_full.load(relaxed);
        stats.frames_dropped_invalid += lane->dropped_invalid.load(relaxed);
        stats.ring_bytes += lane->ring_bytes.load(relaxed);
    }
    if (syncer_) stats.sync = syncer_->stats();
    return stats;
}

void Recorder::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    } else if (!options_.own_thread) {
        shutdown_pass();
    }
    if (syncer_) syncer_->wait_idle(); // the files are durable when stop returns
}

// ---- recorder thread -----------------------------------------------------------------------

void Recorder::thread_main() {
    ::pthread_setname_np(::pthread_self(), "suflyor-rec"); // for top -H and the benchmarks
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, options_.poll_interval,
                       [this] { return stopping_ || !commands_.empty(); });
        if (stopping_) break;
        lock.unlock();
        run_once();
        lock.lock();
    }
    lock.unlock();
    shutdown_pass();
}

void Recorder::run_once() {
    adopt_commands();
    drain();
    finalize_closing();
}

void Recorder::shutdown_pass() {
    adopt_commands();
    drain();
    for (const auto& [id, session] : sessions_) {
        if (std::find(closing_.begin(), closing_.end(), id) == closing_.end()) {
            closing_.push_back(id);
        }
    }
    finalize_closing();
    warn_of_losses();
}

void Recorder::warn_of_losses() {
    const auto now = std::chrono::steady_clock::now();
    if (warned_.at != std::chrono::steady_clock::time_point{} &&
        now - warned_.at < options_.warn_interval)
        return;
    const RecorderStats s = stats();
    const std::uint64_t dropped = s.frames_dropped_ring_full + s.frames_dropped_late;
    if (dropped == warned_.dropped && s.recordings_incomplete == warned_.incomplete) return;
    spdlog::warn("[media] recorder cannot keep up: {} frames lost ({} in total: ring full {}, "
                 "late {}), {} recordings incomplete ({} in total); ring {:.0f}% full of {} KiB",
                 dropped - warned_.dropped, dropped, s.frames_dropped_ring_full,
                 s.frames_dropped_late, s.recordings_incomplete - warned_.incomplete,
                 s.recordings_incomplete, s.ring_fill * 100, s.ring_bytes / 1024);
    warned_ = {now, dropped, s.recordings_incomplete};
}

void Recorder::adopt_commands() {
    std::vector<Command> taken;
    {
        const std::lock_guard lock(mutex_);
        taken.swap(commands_);
        commands_pending_.store(false, std::memory_order_relaxed);
    }
    for (Command& command : taken) {
        if (command.kind == Command::Kind::open) {
            sessions_.insert_or_assign(command.id, std::make_unique<RecordingSession>(
                                                       command.id, std::move(command.spec),
                                                       options_.reorder_window, wav_, counters_));
        } else {
            if (const auto it = sessions_.find(command.id); it != sessions_.end())
                it->second->add_lost(command.lost_samples);
            closing_.push_back(command.id);
            rescan_ = true; // drain every ring again: frames pushed before the close may remain
        }
    }
}

void Recorder::drain() {
    double fill = 0;
    for (const auto& lane : lanes_) {
        const RecordRing& ring = *lane->consuming;
        fill = std::max(fill, static_cast<double>(ring.used_approx()) /
                                  static_cast<double>(ring.capacity()));
    }
    ring_fill_.store(fill, std::memory_order_relaxed);
    // Each pass takes what each lane held when the pass reached it, so busy producers cannot
    // keep the recorder on one lane while the others (the other tracks) wait.
    bool more = false;
    do {
        rescan_ = false;
        more = false;
        for (const auto& lane : lanes_)
            more = drain_lane(*lane) || more;
    } while (rescan_ || more);
}

bool Recorder::drain_lane(RecorderLane& lane) {
    std::size_t taken = 0;
    const auto consume = [this, &taken](const RecordFrameView& frame) noexcept {
        process(frame);
        taken += RecordRing::record_bytes(frame.samples.size());
    };
    // Read before draining: once the producer has moved on, the old ring holds all it will.
    RecordRing* const producing = lane.producing.load(std::memory_order_acquire);
    const std::size_t held = lane.consuming->used_approx();
    while (taken < held && lane.consuming->try_consume(consume)) {
    }
    if (producing == lane.consuming) return false;
    // The producer moved on. Rings are published in order and it only moves forward, so every
    // ring from ours up to its current one is final: drain each, then retire it (one it skipped
    // is empty).
    while (lane.consuming != producing) {
        while (lane.consuming->try_consume(consume)) {
        }
        const std::lock_guard lock(lane.rings_mutex);
        const auto it = std::find_if(
            lane.rings.begin(), lane.rings.end(),
            [&](const std::unique_ptr<RecordRing>& ring) { return ring.get() == lane.consuming; });
        lane.consuming = std::next(it)->get();
        lane.rings.erase(it);
    }
    return true; // drain the new ring in this pass too
}

void Recorder::process(const RecordFrameView& frame) noexcept {
    auto it = sessions_.find(frame.recording);
    if (it == sessions_.end() && commands_pending_.load(std::memory_order_acquire)) {
        // An open queued after this pass took the commands, then pushed to before we got here.
        try {
            adopt_commands();
        } catch (const std::exception& e) {
            spdlog::error("[media] recorder: {}", e.what());
        }
        it = sessions_.find(frame.recording);
    }
    if (it == sessions_.end()) {
        counters_.frames_dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    it->second->accept(frame);
}

void Recorder::finalize_closing() {
    for (const RecordingId id : closing_) {
        const auto it = sessions_.find(id);
        if (it == sessions_.end()) continue;
        const RecordingOutcome outcome = it->second->finish();
        sessions_.erase(it);
        if (outcome.incomplete()) recordings_incomplete_.fetch_add(1, std::memory_order_relaxed);
        {
            const std::lock_guard lock(mutex_);
            active_.erase(id);
            closing_requested_.erase(id);
        }
        if (listener_ == nullptr) continue;
        try {
            listener_->on_recording_finished(outcome);
        } catch (const std::exception& e) {
            spdlog::error("[media] recorder listener failed: {}", e.what());
        }
    }
    closing_.clear();
}

} // namespace suflyor::media
