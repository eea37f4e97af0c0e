#include "media/io/io_uring_loop.hpp"

#include "media/engine/leg.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <system_error>
#include <unistd.h>

namespace suflyor::media {

namespace {

// user_data: kind in the top byte; receives also carry the watch's generation and index, so a
// completion that outlived its socket is recognised and ignored.
enum class Kind : std::uint8_t { send = 1, receive = 2, poll = 3, cancel = 4 };

constexpr std::uint64_t tag(Kind kind, std::uint32_t generation, std::uint32_t index) noexcept {
    return std::uint64_t{static_cast<std::uint8_t>(kind)} << 56 |
           std::uint64_t{generation & 0xFF'FFFFU} << 32 | index;
}
constexpr Kind kind_of(std::uint64_t user_data) noexcept {
    return static_cast<Kind>(user_data >> 56);
}
constexpr std::uint32_t generation_of(std::uint64_t user_data) noexcept {
    return static_cast<std::uint32_t>(user_data >> 32) & 0xFF'FFFFU;
}
constexpr std::uint32_t index_of(std::uint64_t user_data) noexcept {
    return static_cast<std::uint32_t>(user_data);
}

constexpr unsigned short buffer_group = 0;

void* map_zeroed(std::size_t bytes) {
    void* memory =
        ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    return memory;
}

} // namespace

UringLoop::UringLoop()
    : slots_(std::make_unique<SendSlot[]>(send_slots)),
      free_slots_(std::make_unique<std::uint32_t[]>(send_slots)),
      completions_(std::make_unique<Completion[]>(cq_entries)) {
    io_uring_params params{};
    params.cq_entries = cq_entries;
    // Single issuer + deferred task work: completions are produced only when this thread
    // enters the kernel to wait, in one batch. Disabled until the driving thread enables it.
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
                   IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_R_DISABLED;
    int rc = io_uring_queue_init_params(sq_entries, &ring_, &params);
    if (rc == -EINVAL) { // a kernel before 6.1: plain ring
        params = io_uring_params{};
        params.cq_entries = cq_entries;
        params.flags = IORING_SETUP_CQSIZE;
        rc = io_uring_queue_init_params(sq_entries, &ring_, &params);
        enabled_ = true;
    }
    if (rc < 0) throw std::system_error(-rc, std::generic_category(), "io_uring_queue_init");
    ring_ready_ = true;
    if ((params.features & IORING_FEAT_EXT_ARG) == 0) {
        release();
        throw std::system_error(ENOSYS, std::generic_category(), "io_uring without EXT_ARG");
    }
    try {
        const std::size_t ring_bytes = buffer_count * sizeof(io_uring_buf);
        buffer_ring_memory_ = map_zeroed(ring_bytes);
        buffers_ = map_zeroed(std::size_t{buffer_count} * buffer_bytes);
        buffer_ring_ = static_cast<io_uring_buf_ring*>(buffer_ring_memory_);
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<std::uint64_t>(buffer_ring_memory_);
        reg.ring_entries = buffer_count;
        reg.bgid = buffer_group;
        rc = io_uring_register_buf_ring(&ring_, &reg, 0);
        if (rc < 0) throw std::system_error(-rc, std::generic_category(), "register_buf_ring");
    } catch (...) {
        release();
        throw;
    }
    io_uring_buf_ring_init(buffer_ring_);
    const int mask = io_uring_buf_ring_mask(buffer_count);
    for (unsigned i = 0; i < buffer_count; ++i)
        io_uring_buf_ring_add(buffer_ring_, buffer(static_cast<std::uint16_t>(i)), buffer_bytes,
                              static_cast<unsigned short>(i), mask, static_cast<int>(i));
    io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(buffer_count));

    // A sparse file table, as large as the descriptor limit allows (the kernel refuses more).
    rlimit files{};
    const unsigned wanted =
        ::getrlimit(RLIMIT_NOFILE, &files) == 0
            ? static_cast<unsigned>(std::min<rlim_t>(files.rlim_cur, max_file_slots))
            : 0;
    if (wanted > 0 && io_uring_register_files_sparse(&ring_, wanted) == 0) file_slots_ = wanted;

    receive_header_.msg_namelen = sizeof(sockaddr_in);
    receive_header_.msg_controllen = 0;
    for (std::uint32_t i = 0; i < send_slots; ++i)
        free_slots_[i] = send_slots - 1 - i;
    free_count_ = send_slots;
}

UringLoop::~UringLoop() { release(); }

// The kernel runs deferred completions in batches (of about 20) per entry and flags the ring
// while more wait: enter until none is left (bounded: commands only, never per packet).
void UringLoop::run_deferred_work() noexcept {
    for (int i = 0; i < 4096; ++i) {
        if ((IO_URING_READ_ONCE(*ring_.sq.kflags) & IORING_SQ_TASKRUN) == 0) return;
        (void)io_uring_get_events(&ring_);
    }
}

void UringLoop::cancel_all() noexcept {
    if (!ring_ready_ || !enabled_) return;
    io_uring_sync_cancel_reg reg{};
    reg.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
    reg.timeout = {-1, -1};
    if (io_uring_register_sync_cancel(&ring_, &reg) >= 0) run_deferred_work();
    // The file table holds a reference to every registered socket: drop it now, so the sockets
    // (and their ports) go when their fds close, not when the ring's teardown gets to them.
    if (file_slots_ == 0) return;
    (void)io_uring_unregister_files(&ring_);
    file_slots_ = 0;
    for (Watched& w : watched_)
        w.fixed = false;
}

void UringLoop::release() noexcept {
    if (ring_ready_) {
        io_uring_queue_exit(&ring_);
        ring_ready_ = false;
    }
    if (buffers_ != nullptr) ::munmap(buffers_, std::size_t{buffer_count} * buffer_bytes);
    if (buffer_ring_memory_ != nullptr)
        ::munmap(buffer_ring_memory_, buffer_count * sizeof(io_uring_buf));
    buffers_ = nullptr;
    buffer_ring_memory_ = nullptr;
}

void UringLoop::enable() {
    if (enabled_) return;
    // liburing 2.3 declares io_uring_enable_rings but does not export it: the raw register call.
    if (::syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS, nullptr, 0) <
        0)
        throw std::system_error(errno, std::generic_category(), "io_uring enable rings");
    enabled_ = true;
}

std::uint8_t* UringLoop::buffer(std::uint16_t id) const noexcept {
    return static_cast<std::uint8_t*>(buffers_) + std::size_t{id} * buffer_bytes;
}

io_uring_sqe* UringLoop::next_sqe() noexcept {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe != nullptr || !enabled_) return sqe;
    submit(); // the SQ is full: hand it over and take a fresh entry
    return io_uring_get_sqe(&ring_);
}

void UringLoop::submit() {
    if (!enabled_) return;
    (void)io_uring_submit(&ring_);
    sends_queued_ = 0;
}

bool UringLoop::collect_ready() noexcept {
    submit();
    if ((IO_URING_READ_ONCE(*ring_.sq.kflags) & IORING_SQ_TASKRUN) != 0)
        (void)io_uring_get_events(&ring_);
    reap();
    return completion_count_ > 0;
}

void UringLoop::arm_poll(Fd which) noexcept {
    io_uring_sqe* sqe = next_sqe();
    if (sqe == nullptr) return; // only when the ring is disabled and full: cannot happen here
    io_uring_prep_poll_multishot(sqe, fds_[static_cast<std::size_t>(which)], POLLIN);
    io_uring_sqe_set_data64(sqe, tag(Kind::poll, 0, static_cast<std::uint32_t>(which)));
}

void UringLoop::watch_fd(int fd, Fd which) {
    fds_[static_cast<std::size_t>(which)] = fd;
    arm_poll(which);
}

void UringLoop::target(io_uring_sqe* sqe, const Watched& w, std::uint32_t index) const noexcept {
    if (!w.fixed) return;
    sqe->fd = static_cast<int>(index);
    sqe->flags |= IOSQE_FIXED_FILE;
}

void UringLoop::arm_receive(std::uint32_t index) noexcept {
    const Watched& w = watched_[index];
    io_uring_sqe* sqe = next_sqe();
    if (sqe == nullptr) return;
    io_uring_prep_recvmsg_multishot(sqe, w.fd, &receive_header_, 0);
    target(sqe, w, index);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = buffer_group;
    io_uring_sqe_set_data64(sqe, tag(Kind::receive, w.generation, index));
}

void UringLoop::watch_socket(SocketWatch& watch, int fd) {
    std::uint32_t index = 0;
    if (free_watched_.empty()) {
        index = static_cast<std::uint32_t>(watched_.size());
        watched_.emplace_back();
        free_watched_.reserve(watched_.size());
        rearm_.reserve(watched_.size());
    } else {
        index = free_watched_.back();
        free_watched_.pop_back();
    }
    Watched& w = watched_[index];
    w.watch = &watch;
    w.fd = fd;
    w.generation = (w.generation + 1) & 0xFF'FFFFU;
    w.fixed = index < file_slots_ && io_uring_register_files_update(&ring_, index, &fd, 1) == 1;
    index_of_[&watch] = index;
    if (owner_of_fd_.size() <= static_cast<std::size_t>(fd))
        owner_of_fd_.resize(static_cast<std::size_t>(fd) + 1, 0);
    owner_of_fd_[static_cast<std::size_t>(fd)] = tag(Kind::receive, w.generation, index);
    arm_receive(index);
}

void UringLoop::unwatch_socket(const SocketWatch& watch) {
    const auto found = index_of_.find(&watch);
    if (found == index_of_.end()) return;
    const std::uint32_t index = found->second;
    index_of_.erase(found);
    Watched& w = watched_[index];
    submit(); // a queued arm or send must not reach the kernel after the socket is closed
    io_uring_sync_cancel_reg reg{};
    reg.addr = tag(Kind::receive, w.generation, index);
    reg.timeout = {-1, -1};
    // -ENOENT: its multishot had ended. The cancelled request completes in deferred task work,
    // which runs (and drops the socket) when the ring is entered for events.
    if (io_uring_register_sync_cancel(&ring_, &reg) >= 0) run_deferred_work();
    if (w.fixed) { // the table's reference would keep the socket (and its port) alive
        const int none = -1;
        (void)io_uring_register_files_update(&ring_, index, &none, 1);
        w.fixed = false;
    }
    if (static_cast<std::size_t>(w.fd) < owner_of_fd_.size())
        owner_of_fd_[static_cast<std::size_t>(w.fd)] = 0;
    w.generation = (w.generation + 1) & 0xFF'FFFFU; // completions still queued are stale now
    w.watch = nullptr;
    w.fd = -1;
    free_watched_.push_back(index);
}

bool UringLoop::wait(int timeout_ms) {
    reap(); // completions of sends submitted outside wait(), or left from a full dispatch
    if (completion_count_ > 0) {
        submit();
        return true;
    }
    // The sends about to be submitted complete during the submit itself (UDP, MSG_DONTWAIT):
    // wait for one completion beyond them, so they alone do not end the wait.
    const unsigned wait_nr = sends_queued_ + 1;
    sends_queued_ = 0;
    if (timeout_ms < 0) {
        (void)io_uring_submit_and_wait(&ring_, wait_nr);
    } else {
        __kernel_timespec ts{timeout_ms / 1000,
                             static_cast<long long>(timeout_ms % 1000) * 1'000'000};
        io_uring_cqe* cqe = nullptr;
        (void)io_uring_submit_and_wait_timeout(&ring_, &cqe, wait_nr, &ts, nullptr);
    }
    reap();
    return completion_count_ > 0;
}

// Send completions are finished at once (their slots become free); the rest is kept for
// dispatch, as many as fit.
void UringLoop::reap() noexcept {
    unsigned head = 0;
    unsigned seen = 0;
    io_uring_cqe* cqe = nullptr;
    io_uring_for_each_cqe(&ring_, head, cqe) {
        if (kind_of(cqe->user_data) == Kind::send) {
            finish_send(*cqe);
        } else {
            if (completion_count_ == cq_entries) break;
            completions_[completion_count_++] = Completion{cqe->user_data, cqe->res, cqe->flags};
        }
        ++seen;
    }
    io_uring_cq_advance(&ring_, seen);
}

void UringLoop::finish_send(const io_uring_cqe& cqe) noexcept {
    const std::uint32_t slot = index_of(cqe.user_data);
    free_slots_[free_count_++] = slot;
    if (cqe.res >= 0) return;
    ++send_failures_;
    // Charge the leg whose socket sent it, if it is still there.
    const std::uint64_t owner = slots_[slot].owner;
    if (owner == 0) return;
    const Watched& w = watched_[index_of(owner)];
    if (w.watch != nullptr && w.generation == generation_of(owner))
        ++w.watch->leg->stats.send_errors;
}

void UringLoop::give_back(std::uint16_t id) noexcept {
    io_uring_buf_ring_add(buffer_ring_, buffer(id), buffer_bytes, id,
                          io_uring_buf_ring_mask(buffer_count), buffers_returned_++);
}

UringLoop::Ready UringLoop::dispatch(DatagramHandler& handler, core::MonoTime now) {
    Ready ready;
    rearm_.clear();
    // A send inside the handler may reap more completions (when it runs out of slots): they
    // are appended and handled in this same loop.
    for (std::size_t i = 0; i < completion_count_; ++i) {
        const Completion c = completions_[i];
        const bool more = (c.flags & IORING_CQE_F_MORE) != 0;
        switch (kind_of(c.user_data)) {
        case Kind::poll: {
            const auto which = static_cast<Fd>(index_of(c.user_data));
            (which == Fd::commands ? ready.commands : ready.timer) = true;
            if (!more) arm_poll(which);
            break;
        }
        case Kind::receive: {
            const bool has_buffer = (c.flags & IORING_CQE_F_BUFFER) != 0;
            const auto id = static_cast<std::uint16_t>(c.flags >> IORING_CQE_BUFFER_SHIFT);
            const std::uint32_t index = index_of(c.user_data);
            const bool current = index < watched_.size() && watched_[index].watch != nullptr &&
                                 watched_[index].generation == generation_of(c.user_data);
            if (current && c.res >= 0 && has_buffer) {
                std::uint8_t* data = buffer(id);
                io_uring_recvmsg_out* out =
                    io_uring_recvmsg_validate(data, c.res, &receive_header_);
                SocketWatch& watch = *watched_[index].watch;
                if (out != nullptr) {
                    const std::uint32_t length = out->payloadlen;
                    const bool whole = (out->flags & MSG_TRUNC) == 0 && length <= max_datagram &&
                                       out->namelen == sizeof(sockaddr_in);
                    sockaddr_in from{};
                    std::memcpy(&from, io_uring_recvmsg_name(out), sizeof from);
                    auto* payload =
                        static_cast<std::uint8_t*>(io_uring_recvmsg_payload(out, &receive_header_));
                    handler.on_datagram(watch, std::span<std::uint8_t>(payload, whole ? length : 0),
                                        whole ? &from : nullptr, now);
                } else {
                    handler.on_datagram(watch, {}, nullptr, now);
                }
                ++ready.datagrams;
            }
            if (has_buffer) give_back(id);
            // The multishot ended (out of buffers, an error): arm it again unless the socket
            // went away (its generation moved on) or the end was our own cancel.
            if (!more && current && c.res != -ECANCELED) rearm_.push_back(index);
            break;
        }
        case Kind::send:
        case Kind::cancel: break;
        }
    }
    completion_count_ = 0;
    if (buffers_returned_ != 0) {
        io_uring_buf_ring_advance(buffer_ring_, buffers_returned_);
        buffers_returned_ = 0;
    }
    for (const std::uint32_t index : rearm_)
        if (watched_[index].watch != nullptr) arm_receive(index);
    return ready;
}

bool UringLoop::send(int fd, const sockaddr_in* to, std::span<const std::uint8_t> bytes) noexcept {
    if (bytes.size() > max_datagram) return false;
    if (free_count_ == 0) { // submit what is queued and take back the slots of finished sends
        submit();
        (void)io_uring_get_events(&ring_);
        reap();
        if (free_count_ == 0) return false;
    }
    io_uring_sqe* sqe = next_sqe();
    if (sqe == nullptr) return false;
    const std::uint32_t index = free_slots_[--free_count_];
    SendSlot& slot = slots_[index];
    std::memcpy(slot.bytes.data(), bytes.data(), bytes.size());
    slot.owner = static_cast<std::size_t>(fd) < owner_of_fd_.size()
                     ? owner_of_fd_[static_cast<std::size_t>(fd)]
                     : 0;
    io_uring_prep_send(sqe, fd, slot.bytes.data(), bytes.size(), MSG_DONTWAIT);
    if (slot.owner != 0) {
        const std::uint32_t index = index_of(slot.owner);
        target(sqe, watched_[index], index);
    }
    if (to != nullptr) {
        slot.to = *to;
        io_uring_prep_send_set_addr(sqe, reinterpret_cast<const sockaddr*>(&slot.to),
                                    sizeof slot.to);
    }
    io_uring_sqe_set_data64(sqe, tag(Kind::send, 0, index));
    ++sends_queued_;
    return true;
}

} // namespace suflyor::media
