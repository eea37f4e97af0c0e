#include "media/io/port_allocator.hpp"

#include "core/error.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <random>
#include <string>
#include <sys/random.h>
#include <sys/socket.h>
#include <utility>

namespace suflyor::media {

namespace {

UniqueFd bind_socket(const sockaddr_in& addr, int buffer_bytes, bool reuse_port) {
    UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (!fd.valid()) return {};
    if (buffer_bytes > 0) {
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
        ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
    }
    const int on = 1;
    if (reuse_port && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
        return {};
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return {};
    return fd;
}

// A uniform draw from [0, bound) off the kernel's CSPRNG (a few bytes per allocation, control
// side only). The modulo bias for bounds below 2^16 is under 2^-48.
std::size_t random_below(std::size_t bound) {
    std::uint64_t r = 0;
    if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
        std::random_device device;
        r = std::uint64_t{device()} << 32 | device();
    }
    return static_cast<std::size_t>(r % bound);
}

} // namespace

UniqueFd bind_udp(std::uint32_t ipv4, std::uint16_t port, int buffer_bytes) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(ipv4);
    addr.sin_port = htons(port);
    return bind_socket(addr, buffer_bytes, false);
}

bool connect_udp(int fd, std::uint32_t ipv4, std::uint16_t port) noexcept {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(ipv4);
    to.sin_port = htons(port);
    return ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
}

UniqueFd bind_twin_udp(int bound, int buffer_bytes) {
    sockaddr_in addr{};
    socklen_t length = sizeof addr;
    if (::getsockname(bound, reinterpret_cast<sockaddr*>(&addr), &length) != 0 ||
        length != sizeof addr || addr.sin_family != AF_INET || addr.sin_port == 0)
        return {};
    const int on = 1;
    if (::setsockopt(bound, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) return {};
    return bind_socket(addr, buffer_bytes, true);
}

PortAllocator::PortAllocator(PortAllocatorConfig config)
    : config_(config), first_(static_cast<std::uint16_t>((config.port_min + 1U) & ~1U)) {
    if (config.port_min == 0 || config.port_max < first_ + 1U) {
        core::fail(core::ErrorCode::invalid_argument,
                   "RTP port range " + std::to_string(config.port_min) + "-" +
                       std::to_string(config.port_max) + " holds no even/odd port pair");
    }
    pairs_ = (config.port_max - first_ + 1U) / 2U;
    free_.resize(pairs_);
    where_.resize(pairs_);
    for (std::size_t pair = 0; pair < pairs_; ++pair) {
        free_[pair] = static_cast<std::uint16_t>(pair);
        where_[pair] = static_cast<std::uint32_t>(pair);
    }
}

std::optional<PortLease> PortAllocator::try_bind(std::uint16_t rtp_port) const {
    PortLease lease;
    lease.rtp_port = rtp_port;
    lease.rtp = bind_udp(config_.bind_ipv4, rtp_port, config_.socket_buffer_bytes);
    if (!lease.rtp.valid()) return std::nullopt;
    lease.rtcp = bind_udp(config_.bind_ipv4, static_cast<std::uint16_t>(rtp_port + 1), 0);
    if (!lease.rtcp.valid()) return std::nullopt;
    return lease;
}

std::optional<PortLease> PortAllocator::allocate() {
    const std::lock_guard lock(mutex_);
    const auto place = [this](std::size_t index) {
        where_[free_[index]] = static_cast<std::uint32_t>(index);
    };
    // A partial Fisher-Yates shuffle of the free list: each free pair is tried at most once.
    for (std::size_t tried = 0; tried < free_.size(); ++tried) {
        const std::size_t drawn = tried + random_below(free_.size() - tried);
        std::swap(free_[tried], free_[drawn]);
        place(tried);
        place(drawn);
        const std::uint16_t pair = free_[tried];
        auto lease = try_bind(static_cast<std::uint16_t>(first_ + 2 * pair));
        if (!lease) continue; // held by someone else: skip, it stays free in our books
        free_[tried] = free_.back();
        place(tried);
        free_.pop_back();
        where_[pair] = leased_mark;
        return lease;
    }
    return std::nullopt;
}

void PortAllocator::release(std::uint16_t rtp_port) {
    const std::lock_guard lock(mutex_);
    if (rtp_port < first_ || (rtp_port - first_) % 2 != 0) return;
    const std::size_t pair = (rtp_port - first_) / 2U;
    if (pair >= pairs_ || where_[pair] != leased_mark) return;
    where_[pair] = static_cast<std::uint32_t>(free_.size());
    free_.push_back(static_cast<std::uint16_t>(pair));
}

std::size_t PortAllocator::in_use() const {
    const std::lock_guard lock(mutex_);
    return pairs_ - free_.size();
}

} // namespace suflyor::media
