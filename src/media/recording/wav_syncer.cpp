#include "media/recording/wav_syncer.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <utility>

namespace suflyor::media {

WavSyncer::WavSyncer(std::size_t max_pending)
    : max_pending_(max_pending), thread_([this] { run(); }) {}

WavSyncer::~WavSyncer() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void WavSyncer::sync(int fd, const std::filesystem::path& path) {
    {
        const std::lock_guard lock(mutex_);
        if (jobs_.size() >= max_pending_) {
            skipped_.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        failed_.fetch_add(1, std::memory_order_relaxed);
        spdlog::error("[media] recording sync: dup {}: {}", path.string(), std::strerror(errno));
        return;
    }
    enqueue(Job{copy, path});
}

void WavSyncer::sync_and_close(int fd, const std::filesystem::path& path) {
    enqueue(Job{fd, path});
}

void WavSyncer::sync_directory(const std::filesystem::path& dir) { enqueue(Job{-1, dir}); }

void WavSyncer::enqueue(Job job) {
    {
        const std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void WavSyncer::wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

WavSyncerStats WavSyncer::stats() const {
    const std::lock_guard lock(mutex_);
    return {synced_.load(std::memory_order_relaxed), skipped_.load(std::memory_order_relaxed),
            failed_.load(std::memory_order_relaxed), jobs_.size() + (busy_ ? 1U : 0U)};
}

void WavSyncer::run() {
    ::pthread_setname_np(::pthread_self(), "suflyor-sync");
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return; // stopping, and everything queued is done
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        busy_ = true;
        lock.unlock();
        int fd = job.fd;
        if (fd < 0) fd = ::open(job.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        // A directory may refuse fsync: best effort, as before.
        const bool ok = fd >= 0 && (job.fd < 0 ? (::fsync(fd), true) : ::fdatasync(fd) == 0);
        const int error = errno;
        if (fd >= 0 && ::close(fd) != 0 && job.fd >= 0) failed_.fetch_add(1);
        if (ok) {
            synced_.fetch_add(1, std::memory_order_relaxed);
        } else if (job.fd >= 0) {
            failed_.fetch_add(1, std::memory_order_relaxed);
            spdlog::error("[media] recording fdatasync {}: {}", job.path.string(),
                          std::strerror(error));
        }
        lock.lock();
        busy_ = false;
        if (jobs_.empty()) idle_.notify_all();
    }
}

} // namespace suflyor::media
