#pragma once
// The io_uring side of one media worker: one ring carries every receive and send of the
// worker's sockets, so one io_uring_enter per loop iteration submits the sends the previous
// pass queued and reaps the receives that arrived meanwhile.
//
// - Receives: one multishot recvmsg per watched socket, into a ring of provided buffers (one
//   buffer group); a buffer goes back to the ring as soon as its datagram was handled.
// - Sends: a datagram is copied into a preallocated send slot (its bytes and destination) and
//   queued as an IORING_OP_SEND on the leg's own socket (with the destination address unless
//   the socket is connected); the slot is
//   free again when its completion is reaped. No slot (or SQE) free: the queued sends are
//   submitted and completed sends reaped first; still none: the send fails (counted by the room).
// - Registered files: every watched socket also takes the slot of its watch index in the ring's
//   file table, and its receives and sends name that slot (IOSQE_FIXED_FILE), so the kernel
//   skips looking up and reference-counting the file per operation. Without a slot (the table
//   could not be registered, or the socket's index is beyond it) the plain fd is used.
// - The command eventfd and the timerfd are watched with multishot polls; the worker reads them.
// The ring is single-issuer: it is created disabled and enabled by the thread that drives it.
// All sizes are fixed at creation; nothing is allocated per packet.
#include "core/clock.hpp"
#include "media/engine/room_context.hpp"

#include <array>
#include <cstdint>
#include <liburing.h>
#include <memory>
#include <netinet/in.h>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace suflyor::media {

struct SocketWatch;

// Receives the datagrams of a dispatch.
class DatagramHandler {
public:
    // from == nullptr: the datagram was truncated (larger than max_datagram) or its source is
    // not an IPv4 address — malformed.
    virtual void on_datagram(SocketWatch& watch, std::span<std::uint8_t> datagram,
                             const sockaddr_in* from, core::MonoTime now) noexcept = 0;

protected:
    ~DatagramHandler() = default;
};

class UringLoop final : public PacketSender {
public:
    static constexpr unsigned sq_entries = 1024;
    static constexpr unsigned cq_entries = 8192;
    static constexpr unsigned buffer_count = 2048; // provided receive buffers (power of two)
    static constexpr unsigned buffer_bytes = 2048; // recvmsg header + address + datagram
    static constexpr unsigned send_slots = 1024;
    static constexpr unsigned max_file_slots = 32768; // also bounded by RLIMIT_NOFILE

    // The two fds a worker watches besides its sockets.
    enum class Fd : std::uint8_t { commands, timer };

    // Throws std::system_error when the kernel refuses (io_uring disabled, too old, no memory).
    UringLoop();
    ~UringLoop();
    UringLoop(const UringLoop&) = delete;
    UringLoop& operator=(const UringLoop&) = delete;

    // Binds the ring to the calling thread; every call below must come from that thread.
    // Idempotent.
    void enable();

    void watch_fd(int fd, Fd which); // multishot poll for readability
    void watch_socket(SocketWatch& watch, int fd);
    // Cancels the socket's receive and waits for it: afterwards the ring holds no reference to
    // the socket (closing it frees the port) and no completion of it reaches the handler.
    void unwatch_socket(const SocketWatch& watch);

    // Submits queued SQEs and waits up to timeout_ms (-1: no limit, 0: none) for completions.
    // true when something other than send completions is ready to dispatch.
    bool wait(int timeout_ms);
    struct Ready {
        std::size_t datagrams = 0; // handed to the handler (malformed ones included)
        bool commands = false;
        bool timer = false;
    };
    Ready dispatch(DatagramHandler& handler, core::MonoTime now);
    void submit(); // queued SQEs (sends, arms, re-arms) to the kernel, no waiting
    // Submits what is queued and collects completions that are ready without waiting, including
    // receives still held in the kernel's deferred work (it hands those over in batches of about
    // 20 per entry). true when there is something to dispatch.
    bool collect_ready() noexcept;
    // Cancels every request and waits (from the driving thread; elsewhere the ring's teardown
    // does it, asynchronously): afterwards closing the sockets frees their ports at once.
    void cancel_all() noexcept;

    bool send(int fd, const sockaddr_in* to, std::span<const std::uint8_t> bytes) noexcept override;

    [[nodiscard]] std::uint64_t send_failures() const noexcept { return send_failures_; }

private:
    struct Completion {
        std::uint64_t user_data;
        std::int32_t res;
        std::uint32_t flags;
    };
    struct Watched {
        SocketWatch* watch = nullptr;
        int fd = -1;
        std::uint32_t generation = 0;
        bool fixed = false; // the socket sits in file slot `index` of the ring's table
    };
    struct SendSlot {
        std::array<std::uint8_t, max_datagram> bytes;
        sockaddr_in to;
        std::uint64_t owner; // the rtp/rtcp watch tag of the sending socket, 0 if none
    };

    void release() noexcept; // the ring and its mappings (destructor, failed constructor)
    io_uring_sqe* next_sqe() noexcept;
    void run_deferred_work() noexcept;
    void arm_receive(std::uint32_t index) noexcept;
    void arm_poll(Fd which) noexcept;
    void reap() noexcept;
    void finish_send(const io_uring_cqe& cqe) noexcept;
    // Points an SQE at a watched socket: its file slot when it has one, else its fd.
    void target(io_uring_sqe* sqe, const Watched& w, std::uint32_t index) const noexcept;
    void give_back(std::uint16_t buffer) noexcept;
    [[nodiscard]] std::uint8_t* buffer(std::uint16_t id) const noexcept;

    io_uring ring_{};
    bool ring_ready_ = false;
    bool enabled_ = false;
    unsigned file_slots_ = 0;            // size of the registered (sparse) file table, 0: none
    void* buffer_ring_memory_ = nullptr; // io_uring_buf_ring, page aligned
    io_uring_buf_ring* buffer_ring_ = nullptr;
    void* buffers_ = nullptr;            // buffer_count × buffer_bytes
    std::uint16_t buffers_returned_ = 0; // added to the ring since the last advance
    msghdr receive_header_{};            // the multishot recvmsg layout: IPv4 name, no control

    std::unique_ptr<SendSlot[]> slots_;
    std::unique_ptr<std::uint32_t[]> free_slots_;
    std::uint32_t free_count_ = 0;
    unsigned sends_queued_ = 0; // since the last submit

    std::unique_ptr<Completion[]> completions_; // reaped, not yet dispatched
    std::size_t completion_count_ = 0;

    std::array<int, 2> fds_{-1, -1}; // Fd::commands, Fd::timer
    std::vector<Watched> watched_;   // by index; grows on commands only
    std::vector<std::uint32_t> free_watched_;
    std::unordered_map<const SocketWatch*, std::uint32_t> index_of_;
    std::vector<std::uint64_t> owner_of_fd_; // fd -> watch tag (send failures find their leg)
    std::vector<std::uint32_t> rearm_;       // receives whose multishot ended, this dispatch
    std::uint64_t send_failures_ = 0;
};

} // namespace suflyor::media
