#include "media/recording/recorder.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
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
    if (!lane_->ring.try_push(frame)) {
        lane_->dropped_ring_full.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    return true;
}

bool RecordProducer::push(RecordingId recording, Track track, std::uint64_t position,
                          std::span<const std::int16_t> samples) noexcept {
    if (samples.size() > kMaxFrameSamples || track > Track::supervisor) {
        lane_->dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    const bool pushed = lane_->ring.try_push_with([&](RecordFrame& slot) noexcept {
        slot.recording = recording;
        slot.position = position;
        slot.count = static_cast<std::uint16_t>(samples.size());
        slot.track = track;
        std::copy(samples.begin(), samples.end(), slot.samples.begin());
    });
    if (!pushed) lane_->dropped_ring_full.fetch_add(1, std::memory_order_relaxed);
    return pushed;
}

// ---- control side --------------------------------------------------------------------------

Recorder::Recorder(RecorderOptions options, RecorderListener* listener)
    : options_(std::move(options)), listener_(listener) {
    const std::size_t capacity = options_.ring_capacity;
    if (options_.workers == 0 || capacity == 0 || (capacity & (capacity - 1)) != 0) {
        core::fail(core::ErrorCode::invalid_argument,
                   "recorder needs >= 1 worker and a power-of-two ring capacity");
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
        commands_.push_back({Command::Kind::open, id, std::move(spec)});
        commands_pending_.store(true, std::memory_order_release);
    }
    wake_.notify_one();
}

bool Recorder::close(RecordingId id) {
    {
        const std::lock_guard lock(mutex_);
        if (!active_.contains(id) || closing_requested_.contains(id)) return false;
        closing_requested_.insert(id);
        commands_.push_back({Command::Kind::close, id, {}});
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
    };
    for (const auto& lane : lanes_) {
        stats.frames_dropped_ring_full += lane->dropped_ring_full.load(relaxed);
        stats.frames_dropped_invalid += lane->dropped_invalid.load(relaxed);
    }
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
}

// ---- recorder thread -----------------------------------------------------------------------

void Recorder::thread_main() {
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
            sessions_.insert_or_assign(
                command.id, std::make_unique<RecordingSession>(command.id, std::move(command.spec),
                                                               options_.reorder_window,
                                                               options_.wav, counters_));
        } else {
            closing_.push_back(command.id);
            rescan_ = true; // drain every ring again: frames pushed before the close may remain
        }
    }
}

void Recorder::drain() {
    // Each pass takes what each lane held when the pass reached it, so busy producers cannot
    // keep the recorder on one lane while the others (the other tracks) wait.
    const auto consume = [this](const RecordFrame& frame) noexcept { process(frame); };
    do {
        rescan_ = false;
        for (const auto& lane : lanes_) {
            for (std::size_t n = lane->ring.size_approx(); n > 0 && lane->ring.try_consume(consume);
                 --n) {
            }
        }
    } while (rescan_);
}

void Recorder::process(const RecordFrame& frame) noexcept {
    if (!is_valid(frame)) {
        counters_.frames_dropped_invalid.fetch_add(1, std::memory_order_relaxed);
        return;
    }
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
