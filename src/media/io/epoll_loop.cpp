#include "media/io/epoll_loop.hpp"

#include "media/engine/leg.hpp"

#include <cerrno>
#include <system_error>

namespace suflyor::media {

namespace {

// epoll data of the two non-socket fds; sockets carry their SocketWatch pointer instead
// (never 1 or 2: a pointer to an object is aligned).
constexpr std::uint64_t command_tag = 1;
constexpr std::uint64_t timer_tag = 2;

void check(bool ok, const char* what) {
    if (!ok) throw std::system_error(errno, std::generic_category(), what);
}

} // namespace

EpollLoop::EpollLoop() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
    check(epoll_fd_.valid(), "epoll_create1");
    for (std::size_t i = 0; i < batch; ++i) {
        iovecs_[i] = iovec{buffers_[i].data(), buffers_[i].size()};
        messages_[i].msg_hdr.msg_name = &sources_[i];
        messages_[i].msg_hdr.msg_iov = &iovecs_[i];
        messages_[i].msg_hdr.msg_iovlen = 1;
    }
}

void EpollLoop::watch_fd(int fd, Fd which) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = which == Fd::commands ? command_tag : timer_tag;
    check(::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl");
}

void EpollLoop::watch_socket(SocketWatch& watch, int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &watch;
    check(::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl");
}

bool EpollLoop::wait(int timeout_ms) noexcept {
    const int count =
        ::epoll_wait(epoll_fd_.get(), ready_.data(), static_cast<int>(ready_.size()), timeout_ms);
    ready_count_ = count < 0 ? 0 : count; // EINTR: nothing ready
    return ready_count_ > 0;
}

EpollLoop::Ready EpollLoop::dispatch(DatagramHandler& handler, core::MonoTime now,
                                     const core::Clock& clock, int max_catch_up_rounds) {
    Ready ready;
    int count = ready_count_;
    for (int round = 0; round <= max_catch_up_rounds; ++round) {
        for (int i = 0; i < count; ++i) {
            const epoll_event& event = ready_[static_cast<std::size_t>(i)];
            if (event.data.u64 == command_tag) {
                ready.commands = true;
            } else if (event.data.u64 == timer_tag) {
                ready.timer = true;
            } else {
                ready.datagrams +=
                    drain_socket(handler, *static_cast<SocketWatch*>(event.data.ptr), now);
            }
        }
        if (!ready.timer || count < static_cast<int>(ready_.size())) break;
        count = ::epoll_wait(epoll_fd_.get(), ready_.data(), static_cast<int>(ready_.size()), 0);
        if (count <= 0) break;
        now = clock.mono_now();
    }
    ready_count_ = 0;
    return ready;
}

std::size_t EpollLoop::drain_socket(DatagramHandler& handler, SocketWatch& watch,
                                    core::MonoTime now) {
    const int fd = socket_of(watch);
    std::size_t total = 0;
    for (;;) {
        for (std::size_t i = 0; i < batch; ++i) {
            messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
            messages_[i].msg_hdr.msg_flags = 0;
        }
        const int got = ::recvmmsg(fd, messages_.data(), batch, MSG_DONTWAIT, nullptr);
        if (got <= 0) break;
        for (int i = 0; i < got; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const mmsghdr& msg = messages_[k];
            const bool whole = (msg.msg_hdr.msg_flags & MSG_TRUNC) == 0 &&
                               msg.msg_hdr.msg_namelen == sizeof(sockaddr_in);
            handler.on_datagram(watch, std::span<std::uint8_t>(buffers_[k].data(), msg.msg_len),
                                whole ? &sources_[k] : nullptr, now);
        }
        total += static_cast<std::size_t>(got);
        if (static_cast<std::size_t>(got) < batch) break;
    }
    return total;
}

bool EpollLoop::send(int fd, const sockaddr_in* to, std::span<const std::uint8_t> bytes) noexcept {
    const ssize_t sent = ::sendto(fd, bytes.data(), bytes.size(), MSG_DONTWAIT,
                                  reinterpret_cast<const sockaddr*>(to), to ? sizeof *to : 0);
    return sent == static_cast<ssize_t>(bytes.size());
}

} // namespace suflyor::media
