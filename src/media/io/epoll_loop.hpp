#pragma once
// The epoll side of one media worker (the backend when io_uring is not asked for or cannot be
// set up): one epoll set holds every leg socket, the command eventfd and the timerfd; each ready
// socket is drained with recvmmsg into a preallocated batch, each datagram sent with one sendto.
// Same shape as UringLoop (watch, wait, dispatch, send) so the worker drives either the same way.
// All buffers are fixed at creation; nothing is allocated per packet.
#include "core/clock.hpp"
#include "media/engine/room_context.hpp"
#include "media/io/io_uring_loop.hpp"
#include "media/io/unique_fd.hpp"

#include <array>
#include <cstdint>
#include <netinet/in.h>
#include <span>
#include <sys/epoll.h>
#include <sys/socket.h>

namespace suflyor::media {

struct SocketWatch;

class EpollLoop final : public PacketSender {
public:
    static constexpr std::size_t batch = 16;             // datagrams per recvmmsg
    static constexpr std::size_t max_ready_events = 256; // ready fds per epoll_wait
    using Fd = UringLoop::Fd;
    using Ready = UringLoop::Ready;

    // Throws std::system_error when epoll_create1 fails.
    EpollLoop();
    EpollLoop(const EpollLoop&) = delete;
    EpollLoop& operator=(const EpollLoop&) = delete;

    void watch_fd(int fd, Fd which); // the command eventfd or the timerfd
    void watch_socket(SocketWatch& watch, int fd);
    // epoll forgets a closed fd by itself: nothing to cancel before a socket closes.

    // Waits up to timeout_ms (-1: no limit) for readiness; true when something is ready.
    bool wait(int timeout_ms) noexcept;
    // Drains the sockets the last wait found ready, sockets before commands (a command later in
    // the batch may remove a leg the batch still names). When the timer is among them and the
    // batch was full, sockets still ready are read too (at most max_catch_up_rounds more rounds)
    // so a mix pass does not see frames that already arrived as late.
    Ready dispatch(DatagramHandler& handler, core::MonoTime now, const core::Clock& clock,
                   int max_catch_up_rounds);

    bool send(int fd, const sockaddr_in* to, std::span<const std::uint8_t> bytes) noexcept override;

private:
    std::size_t drain_socket(DatagramHandler& handler, SocketWatch& watch, core::MonoTime now);

    UniqueFd epoll_fd_;
    int ready_count_ = 0;
    std::array<epoll_event, max_ready_events> ready_{};
    std::array<std::array<std::uint8_t, max_datagram>, batch> buffers_{};
    std::array<sockaddr_in, batch> sources_{};
    std::array<iovec, batch> iovecs_{};
    std::array<mmsghdr, batch> messages_{};
};

} // namespace suflyor::media
