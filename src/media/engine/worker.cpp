#include "media/engine/worker.hpp"

#include "media/io/io_backend.hpp"
#include "media/io/port_allocator.hpp"
#include "media/recording/recorder.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <system_error>
#include <unistd.h>

namespace suflyor::media {

namespace {

// After a stall, at most this many 20 ms periods of missed slices are made up.
constexpr std::uint64_t max_catch_up_periods = 4;

void check(bool ok, const char* what) {
    if (!ok) throw std::system_error(errno, std::generic_category(), what);
}

// The worker's io_uring, or null for epoll: asked-for io_uring that cannot be set up falls
// back to epoll with one warning.
std::unique_ptr<UringLoop> make_uring(IoBackend wanted, std::size_t worker) {
    std::unique_ptr<UringLoop> loop;
    std::string error;
    if (wanted == IoBackend::io_uring) {
        try {
            loop = std::make_unique<UringLoop>();
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
    const IoSelection selection = select_io_backend(wanted, loop != nullptr);
    if (selection.fell_back)
        spdlog::warn("[media] worker {}: io_uring unavailable ({}), using epoll", worker, error);
    return loop;
}

} // namespace

std::uint32_t TickHistogram::percentile_us(double fraction) const noexcept {
    if (ticks == 0) return 0;
    const auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(ticks));
    std::uint64_t seen = 0;
    for (std::size_t bucket = 0; bucket < buckets; ++bucket) {
        seen += counts[bucket];
        if (seen > wanted || seen == ticks) return static_cast<std::uint32_t>((bucket + 1) * 10);
    }
    return static_cast<std::uint32_t>(buckets * 10);
}

Worker::Worker(std::size_t index, const EngineConfig& config, const core::Clock& clock,
               PortAllocator& ports, RecordProducer* recorder, int notify_fd)
    : index_(index), config_(config), clock_(clock), ports_(ports), notify_fd_(notify_fd),
      command_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), commands_(config.command_queue),
      events_(config.event_queue), uring_(make_uring(config.io, index)),
      epoll_(uring_ ? nullptr : std::make_unique<EpollLoop>()),
      context_{config,
               clock,
               *this,
               recorder,
               ports,
               mixers_,
               scratch_,
               uring_ ? static_cast<PacketSender&>(*uring_) : static_cast<PacketSender&>(*epoll_)},
      slices_(std::max<std::size_t>(1, config.tick_slices)) {
    check(command_fd_.valid(), "eventfd");
    if (uring_)
        uring_->watch_fd(command_fd_.get(), UringLoop::Fd::commands);
    else
        epoll_->watch_fd(command_fd_.get(), EpollLoop::Fd::commands);
}

Worker::~Worker() {
    stop();
    if (uring_) uring_->cancel_all(); // unthreaded: the sockets are freed when rooms close them
    slices_.clear();
    rooms_.clear(); // closes sockets, releases ports
}

void Worker::start() {
    if (running_.exchange(true)) return;
    timer_fd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    check(timer_fd_.valid(), "timerfd_create");
    arm_timer(!rooms_.empty());
    if (uring_)
        uring_->watch_fd(timer_fd_.get(), UringLoop::Fd::timer);
    else
        epoll_->watch_fd(timer_fd_.get(), EpollLoop::Fd::timer);
    thread_ = std::thread([this] { run(); });
    if (config_.pin_first_cpu >= 0) {
        const long cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(static_cast<int>(
                    (static_cast<long>(config_.pin_first_cpu) + static_cast<long>(index_)) % cpus),
                &set);
        (void)pthread_setaffinity_np(thread_.native_handle(), sizeof set, &set);
    }
}

// An idle worker (no rooms) has nothing to tick: its timer stops, so it sleeps until a command
// comes instead of waking once per slice (1,000 times a second).
void Worker::arm_timer(bool armed) {
    if (!timer_fd_.valid() || armed == timer_armed_) return;
    const timespec period =
        armed ? timespec{0, frame_ms * 1'000'000L / static_cast<long>(slices_.size())} : timespec{};
    const itimerspec spec{period, period};
    check(::timerfd_settime(timer_fd_.get(), 0, &spec, nullptr) == 0, "timerfd_settime");
    timer_armed_ = armed;
}

void Worker::stop() {
    if (!thread_.joinable()) return;
    running_.store(false);
    const std::uint64_t one = 1;
    (void)!::write(command_fd_.get(), &one, sizeof one);
    thread_.join();
}

std::chrono::nanoseconds Worker::cpu_time() const noexcept {
    timespec ts{};
    if (thread_.joinable()) {
        clockid_t id{};
        if (pthread_getcpuclockid(const_cast<std::thread&>(thread_).native_handle(), &id) != 0)
            return {};
        ::clock_gettime(id, &ts);
    } else {
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); // unthreaded: the caller's thread
    }
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

bool Worker::post(const Command& command) noexcept {
    if (!commands_.try_push(command)) return false;
    const std::uint64_t one = 1;
    (void)!::write(command_fd_.get(), &one, sizeof one);
    return true;
}

void Worker::run() {
    if (uring_) {
        uring_->enable(); // this thread is the ring's only issuer from now on
        while (running_.load(std::memory_order_relaxed))
            if (uring_->wait(-1)) handle_uring(clock_.mono_now());
        uring_->cancel_all();
        return;
    }
    while (running_.load(std::memory_order_relaxed))
        if (epoll_->wait(-1)) handle_epoll(clock_.mono_now());
}

std::size_t Worker::poll_io(int timeout_ms) {
    if (uring_) {
        uring_->enable();
        std::size_t datagrams = 0;
        if (uring_->wait(timeout_ms)) datagrams = handle_uring(clock_.mono_now());
        uring_->submit(); // unthreaded: what this pass sent is on its way when we return
        return datagrams;
    }
    return epoll_->wait(timeout_ms) ? handle_epoll(clock_.mono_now()) : 0;
}

void Worker::tick() {
    const core::MonoTime now = clock_.mono_now();
    if (uring_) uring_->enable();
    for (std::size_t i = 0; i < slices_.size(); ++i)
        run_slice(now);
    if (uring_) uring_->submit();
    flush_events();
}

void Worker::tick_slice() {
    if (uring_) uring_->enable();
    run_slice(clock_.mono_now());
    if (uring_) uring_->submit();
    flush_events();
}

// One io_uring pass, in the order of the epoll pass: datagrams, then due slices, then commands
// (which may close sockets: the sends queued so far are submitted before).
std::size_t Worker::handle_uring(core::MonoTime now) {
    wakeups_.store(wakeups_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    UringLoop::Ready ready = uring_->dispatch(*this, now);
    if (ready.timer) {
        // Receives the kernel still holds arrived before this tick: hand them to their rooms
        // first. Otherwise, after a busy moment, their frames would look late to the jitter
        // buffers, and each buffer that saw one would play 20 ms later for seconds.
        for (int round = 0; round < max_catch_up_rounds && uring_->collect_ready(); ++round) {
            const UringLoop::Ready more = uring_->dispatch(*this, clock_.mono_now());
            ready.datagrams += more.datagrams;
            ready.commands = ready.commands || more.commands;
        }
    }
    finish_pass(ready.timer, ready.commands, ready.datagrams, now);
    return ready.datagrams;
}

// The end of a pass of either backend, after its datagrams: due slices, then commands (which
// may close sockets: the sends queued so far are submitted before), then events out.
void Worker::finish_pass(bool timer, bool commands, std::size_t datagrams, core::MonoTime now) {
    if (timer) {
        std::uint64_t expirations = 0;
        if (::read(timer_fd_.get(), &expirations, sizeof expirations) == sizeof expirations)
            run_timer(expirations, now);
    }
    if (commands) {
        if (uring_) uring_->submit();
        std::uint64_t value = 0;
        (void)!::read(command_fd_.get(), &value, sizeof value);
        drain_commands();
    }
    flush_events();
    if (datagrams != 0)
        datagrams_.store(datagrams_.load(std::memory_order_relaxed) + datagrams,
                         std::memory_order_relaxed);
}

void Worker::on_datagram(SocketWatch& watch, std::span<std::uint8_t> datagram,
                         const sockaddr_in* from, core::MonoTime now) noexcept {
    Leg& leg = *watch.leg;
    if (from == nullptr) {
        ++leg.stats.dropped_malformed;
        return;
    }
    if (leg.spec.webrtc) {
        if (watch.rtcp) // rtcp-mux only: the RTCP port has nothing to say
            ++leg.stats.dropped_other;
        else
            leg.room->on_webrtc_datagram(leg, datagram, *from, now);
    } else if (watch.rtcp)
        leg.room->on_rtcp_datagram(leg, datagram, from_sockaddr(*from), now);
    else
        leg.room->on_rtp_datagram(leg, datagram, from_sockaddr(*from), now);
}

void Worker::run_timer(std::uint64_t expirations, core::MonoTime now) {
    // Slices beyond the catch-up limit are skipped, but the rotation keeps to the clock.
    const std::uint64_t limit = max_catch_up_periods * slices_.size();
    const std::uint64_t run = std::min(expirations, limit);
    next_slice_ = (next_slice_ + (expirations - run)) % slices_.size();
    for (std::uint64_t t = 0; t < run; ++t)
        run_slice(now);
}

std::size_t Worker::handle_epoll(core::MonoTime now) {
    wakeups_.store(wakeups_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    const EpollLoop::Ready ready = epoll_->dispatch(*this, now, clock_, max_catch_up_rounds);
    finish_pass(ready.timer, ready.commands, ready.datagrams, now);
    return ready.datagrams;
}

void Worker::run_slice(core::MonoTime now) {
    const std::vector<Room*>& rooms = slices_[next_slice_];
    next_slice_ = next_slice_ + 1 == slices_.size() ? 0 : next_slice_ + 1;
    if (rooms.empty()) return;
    const auto started = std::chrono::steady_clock::now();
    for (Room* room : rooms)
        room->tick(now);
    const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now() - started);
    const auto bucket = std::min<std::size_t>(static_cast<std::size_t>(took.count()) / 10'000,
                                              TickHistogram::buckets - 1);
    ++histogram_.counts[bucket];
    ++histogram_.ticks;
    histogram_.total_ns += static_cast<std::uint64_t>(took.count());
    histogram_.rooms_ticked += rooms.size();
}

// A new room goes to the slice holding the fewest rooms (the earliest such slice), so the
// slices stay within one room of each other while rooms are only added.
void Worker::add_room(std::int64_t id) {
    const auto least =
        std::min_element(slices_.begin(), slices_.end(),
                         [](const std::vector<Room*>& a, const std::vector<Room*>& b) {
                             return a.size() < b.size();
                         });
    const auto at = rooms_.emplace(id, std::make_unique<Room>(RoomId{id}, context_)).first;
    try {
        least->push_back(at->second.get());
    } catch (...) {
        rooms_.erase(at);
        throw;
    }
    arm_timer(true);
}

void Worker::remove_room(std::unordered_map<std::int64_t, std::unique_ptr<Room>>::iterator found) {
    Room* room = found->second.get();
    for (std::uint8_t slot = 0; slot < max_room_legs; ++slot)
        if (Leg* leg = room->leg(slot)) unwatch(*leg);
    for (auto& slice : slices_) {
        const auto at = std::find(slice.begin(), slice.end(), room);
        if (at == slice.end()) continue;
        slice.erase(at); // keeps the order of the others
        break;
    }
    rooms_.erase(found); // stops its recording, closes sockets, releases ports
    if (rooms_.empty()) arm_timer(false);
}

void Worker::emit(const Event& event) noexcept {
    if (events_.try_push(event))
        events_pending_ = true;
    else
        ++events_dropped_;
}

void Worker::flush_events() noexcept {
    if (!events_pending_) return;
    events_pending_ = false;
    const std::uint64_t one = 1;
    (void)!::write(notify_fd_, &one, sizeof one);
}

// Before a leg's sockets close: io_uring holds a reference to a socket it receives on, so the
// receive is cancelled first (epoll forgets a closed fd by itself).
void Worker::unwatch(Leg& leg) {
    if (!uring_) return;
    uring_->unwatch_socket(leg.rtp_watch);
    uring_->unwatch_socket(leg.rtcp_watch);
    uring_->unwatch_socket(leg.peer_watch);
}

void Worker::watch(int fd, SocketWatch* target) {
    if (uring_)
        uring_->watch_socket(*target, fd);
    else
        epoll_->watch_socket(*target, fd);
}

void Worker::drain_commands() {
    Command command;
    while (commands_.try_pop(command)) {
        try {
            execute(command);
        } catch (const std::exception&) {
            Event event;
            event.kind = EventKind::command_failed;
            event.room = RoomId{command.room};
            event.slot = command.slot;
            emit(event);
        }
    }
}

void Worker::execute(const Command& c) {
    const auto found = rooms_.find(c.room);
    Room* room = found == rooms_.end() ? nullptr : found->second.get();
    auto fail = [&] {
        Event event;
        event.kind = EventKind::command_failed;
        event.room = RoomId{c.room};
        event.slot = c.slot;
        emit(event);
    };
    switch (c.kind) {
    case CommandKind::create_room:
        if (room == nullptr) add_room(c.room);
        return;
    case CommandKind::destroy_room:
        if (room == nullptr) return fail();
        remove_room(found);
        {
            Event event;
            event.kind = EventKind::room_destroyed;
            event.room = RoomId{c.room};
            emit(event);
        }
        return;
    case CommandKind::add_leg: {
        std::unique_ptr<webrtc::Transport> transport(c.transport);
        UniqueFd rtp(c.rtp_fd);
        UniqueFd rtcp(c.rtcp_fd);
        UniqueFd peer(c.peer_fd);
        if (room == nullptr || c.slot >= max_room_legs) {
            rtp.reset();
            rtcp.reset();
            peer.reset();
            ports_.release(c.port);
            return fail();
        }
        if (Leg* old = room->leg(c.slot)) unwatch(*old); // add_leg replaces it
        Leg& leg = room->add_leg(c.slot, c.spec, c.port, std::move(rtp), std::move(rtcp), c.ssrc,
                                 std::move(transport));
        watch(leg.rtp_fd.get(), &leg.rtp_watch);
        watch(leg.rtcp_fd.get(), &leg.rtcp_watch);
        if (peer.valid()) {
            leg.attach_peer_socket(std::move(peer));
            watch(leg.peer_fd.get(), &leg.peer_watch);
        }
        return;
    }
    case CommandKind::update_leg: {
        std::unique_ptr<webrtc::Transport> transport(c.transport);
        std::unique_ptr<webrtc::IceLite> ice(c.ice);
        if (room == nullptr || room->leg(c.slot) == nullptr) return fail();
        room->update_leg(c.slot, c.spec.media, std::move(transport), std::move(ice));
        return;
    }
    case CommandKind::remove_leg:
        if (room == nullptr || room->leg(c.slot) == nullptr) return fail();
        unwatch(*room->leg(c.slot));
        room->remove_leg(c.slot);
        {
            Event event;
            event.kind = EventKind::leg_removed;
            event.room = RoomId{c.room};
            event.slot = c.slot;
            emit(event);
        }
        return;
    case CommandKind::set_plan:
        if (room == nullptr) return fail();
        room->set_plan(c.plan);
        return;
    case CommandKind::start_recording:
        if (room == nullptr) return fail();
        room->start_recording(RecordingId{c.recording});
        return;
    case CommandKind::stop_recording:
        if (room == nullptr) return fail();
        room->stop_recording();
        return;
    case CommandKind::request_stats:
        if (room == nullptr) return fail();
        room->emit_stats();
        return;
    case CommandKind::stop_worker: running_.store(false); return;
    }
}

} // namespace suflyor::media
