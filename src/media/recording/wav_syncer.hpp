#pragma once
// fdatasync off the recorder's thread. A recording's durability points (its creation, a header
// rewrite every few seconds of audio, its close) are handed to one thread that syncs them in
// order, so a slow disk delays durability, never the intake of audio.
//
// Bounded: beyond max_pending queued syncs, a periodic sync is skipped (counted; the next one
// covers it). A close is never skipped: the syncer owns that descriptor and must close it.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace suflyor::media {

struct WavSyncerStats {
    std::uint64_t synced = 0;  // fdatasync/fsync calls done
    std::uint64_t skipped = 0; // periodic syncs left out because the queue was full
    std::uint64_t failed = 0;  // syncs or closes that failed (logged)
    std::uint64_t pending = 0; // queued now
};

class WavSyncer {
public:
    explicit WavSyncer(std::size_t max_pending = 4096);
    ~WavSyncer(); // syncs what is queued, then joins
    WavSyncer(const WavSyncer&) = delete;
    WavSyncer& operator=(const WavSyncer&) = delete;

    // A periodic sync of the open file `fd` (a duplicate is synced; the caller keeps `fd`).
    void sync(int fd, const std::filesystem::path& path);
    // Takes `fd` over: syncs it, then closes it.
    void sync_and_close(int fd, const std::filesystem::path& path);
    // Makes a directory's entries durable (a new recording's name).
    void sync_directory(const std::filesystem::path& dir);

    // Waits until everything queued before the call is done (tests, shutdown).
    void wait_idle();
    [[nodiscard]] WavSyncerStats stats() const;

private:
    struct Job {
        int fd = -1; // owned by the job; -1: sync the directory `path`
        std::filesystem::path path;
    };
    void enqueue(Job job);
    void run();

    const std::size_t max_pending_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<Job> jobs_;
    bool busy_ = false;
    bool stopping_ = false;
    std::atomic<std::uint64_t> synced_{0}, skipped_{0}, failed_{0};
    std::thread thread_; // last
};

} // namespace suflyor::media
