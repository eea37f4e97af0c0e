#pragma once
// A media worker: one thread (or, unthreaded, the owner's calls) that owns a set of rooms and
// their sockets. Commands arrive through an SPSC ring + eventfd; events leave through an SPSC
// ring + the engine's eventfd. Socket I/O runs on one of two backends (EngineConfig::io), each
// in its own class under media/io: EpollLoop (recvmmsg per ready socket, one sendto per
// datagram) or UringLoop (multishot receives and queued sends, one io_uring_enter per pass).
//
// The 20 ms mix period is cut into config.tick_slices time slices (1 ms each by default). A room
// is placed in the least-loaded slice when it is created and is mixed in that slice of every
// period, so each room still ticks exactly every 20 ms, while one timer expiry (a "mix pass")
// only mixes about 1/tick_slices of the rooms and stalls relay traffic for that long only.
#include "core/clock.hpp"
#include "media/engine/engine_commands.hpp"
#include "media/engine/room.hpp"
#include "media/engine/room_context.hpp"
#include "media/engine/spsc_ring.hpp"
#include "media/io/epoll_loop.hpp"
#include "media/io/io_uring_loop.hpp"
#include "media/io/unique_fd.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

namespace suflyor::media {

class PortAllocator;
class RecordProducer;

// Durations of mix passes (one time slice's rooms; passes over an empty slice are not
// counted) in 10 µs buckets (the last bucket holds everything ≥ 20 ms).
struct TickHistogram {
    static constexpr std::size_t buckets = 2001;
    std::array<std::uint32_t, buckets> counts{};
    std::uint64_t ticks = 0;        // mix passes counted
    std::uint64_t total_ns = 0;     // their summed wall time
    std::uint64_t rooms_ticked = 0; // room ticks done by them
    // The duration in µs under which `fraction` of the ticks completed.
    [[nodiscard]] std::uint32_t percentile_us(double fraction) const noexcept;
};

class Worker final : private EventSink, private DatagramHandler {
public:
    Worker(std::size_t index, const EngineConfig& config, const core::Clock& clock,
           PortAllocator& ports, RecordProducer* recorder, int notify_fd);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start(); // threaded mode
    void stop();  // joins the thread; rooms stay until destruction

    // Control side. false when the ring is full (nothing queued).
    bool post(const Command& command) noexcept;
    bool pop_event(Event& out) noexcept { return events_.try_pop(out); }

    // The backend this worker runs (io_uring only when asked for and set up).
    [[nodiscard]] IoBackend io_backend() const noexcept {
        return uring_ ? IoBackend::io_uring : IoBackend::epoll;
    }

    // Unthreaded mode: one I/O pass (commands + ready sockets); returns the datagrams read.
    std::size_t poll_io(int timeout_ms);
    void tick();       // one 20 ms period: every slice once, so every room once
    void tick_slice(); // the next time slice only

    [[nodiscard]] std::size_t slice_count() const noexcept { return slices_.size(); }

    [[nodiscard]] const TickHistogram& tick_histogram() const noexcept { return histogram_; }
    [[nodiscard]] std::chrono::nanoseconds cpu_time() const noexcept;
    [[nodiscard]] std::uint64_t events_dropped() const noexcept { return events_dropped_; }
    [[nodiscard]] std::size_t room_count() const noexcept { return rooms_.size(); }
    // Datagrams read so far (any thread may read it).
    [[nodiscard]] std::uint64_t datagrams() const noexcept {
        return datagrams_.load(std::memory_order_relaxed);
    }
    // Waits (epoll_wait / io_uring_enter) that found work (any thread may read it).
    [[nodiscard]] std::uint64_t wakeups() const noexcept {
        return wakeups_.load(std::memory_order_relaxed);
    }

private:
    // Before a mix pass: at most this many extra rounds of collecting receives still pending
    // (io_uring: about 20 sockets a round; epoll: a full set of ready sockets), so a flood
    // cannot hold the tick back without bound.
    static constexpr int max_catch_up_rounds = 64;

    void emit(const Event& event) noexcept override;
    void on_datagram(SocketWatch& watch, std::span<std::uint8_t> datagram, const sockaddr_in* from,
                     core::MonoTime now) noexcept override;
    void run();
    std::size_t handle_epoll(core::MonoTime now);
    std::size_t handle_uring(core::MonoTime now);
    void finish_pass(bool timer, bool commands, std::size_t datagrams, core::MonoTime now);
    void run_timer(std::uint64_t expirations, core::MonoTime now);
    void drain_commands();
    void execute(const Command& command);
    void run_slice(core::MonoTime now);
    void add_room(std::int64_t id);
    void remove_room(std::unordered_map<std::int64_t, std::unique_ptr<Room>>::iterator found);
    void watch(int fd, SocketWatch* watch);
    void unwatch(Leg& leg);
    void flush_events() noexcept;
    void arm_timer(bool armed);

    std::size_t index_;
    const EngineConfig& config_;
    const core::Clock& clock_;
    PortAllocator& ports_;
    int notify_fd_;
    UniqueFd command_fd_;
    UniqueFd timer_fd_;
    bool timer_armed_ = false; // threaded: the timer runs while the worker has rooms
    SpscRing<Command> commands_;
    SpscRing<Event> events_;
    bool events_pending_ = false;
    std::uint64_t events_dropped_ = 0;

    MixerPool mixers_;
    WorkerScratch scratch_;
    std::unique_ptr<UringLoop> uring_; // null: the epoll backend
    std::unique_ptr<EpollLoop> epoll_; // set exactly when uring_ is null
    RoomContext context_;
    std::unordered_map<std::int64_t, std::unique_ptr<Room>> rooms_;
    // Per time slice, the rooms mixed in it (each room in exactly one). Changed on commands only.
    std::vector<std::vector<Room*>> slices_;
    std::size_t next_slice_ = 0; // the slice the next pass mixes

    TickHistogram histogram_;
    std::atomic<std::uint64_t> datagrams_{0};
    std::atomic<std::uint64_t> wakeups_{0};
    std::atomic<bool> running_{false};
    std::thread thread_;
};

} // namespace suflyor::media
