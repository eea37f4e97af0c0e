#pragma once
// RTP port pairs from a configured range: an even RTP port and RTCP on port + 1, both bound as
// non-blocking UDP sockets. Each pair is drawn at random from the free ones (getrandom), so the
// ports of the next calls cannot be guessed from one's own (an attacker spraying "the next port"
// hits nothing in particular). A port held by another process is skipped, not handed out.
// Thread-safe (control side allocates, media workers release after closing the sockets); never on
// the data path.
#include "media/io/unique_fd.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace suflyor::media {

struct PortLease {
    std::uint16_t rtp_port = 0; // even; RTCP is rtp_port + 1
    UniqueFd rtp;
    UniqueFd rtcp;
    UniqueFd peer; // the RTP port's twin (Leg::peer_fd), when the engine makes one
};

struct PortAllocatorConfig {
    std::uint32_t bind_ipv4 = 0x7F00'0001; // host order
    std::uint16_t port_min = 20000;
    std::uint16_t port_max = 29999;
    int socket_buffer_bytes = 0; // SO_RCVBUF / SO_SNDBUF, 0 = system default
};

class PortAllocator {
public:
    // Throws core::Error(invalid_argument) when the range holds no even/odd pair.
    explicit PortAllocator(PortAllocatorConfig config);

    // Binds a free pair drawn at random. nullopt when every pair is leased or unbindable.
    [[nodiscard]] std::optional<PortLease> allocate();
    // Returns a pair to the pool. Call after closing its sockets. Unknown ports are ignored.
    void release(std::uint16_t rtp_port);

    [[nodiscard]] std::size_t capacity() const noexcept { return pairs_; }
    [[nodiscard]] std::size_t in_use() const;

private:
    [[nodiscard]] std::optional<PortLease> try_bind(std::uint16_t rtp_port) const;

    PortAllocatorConfig config_;
    std::uint16_t first_; // first even port of the range
    std::size_t pairs_;
    mutable std::mutex mutex_;
    std::vector<std::uint16_t> free_;  // pair indices not leased, in no particular order
    std::vector<std::uint32_t> where_; // per pair: its index in free_, or leased_mark
    static constexpr std::uint32_t leased_mark = ~std::uint32_t{0};
};

// A bound non-blocking UDP socket on ipv4:port (port 0: any); invalid on failure.
[[nodiscard]] UniqueFd bind_udp(std::uint32_t ipv4, std::uint16_t port, int buffer_bytes = 0);

// A second socket on the address and port `bound` holds (both join one SO_REUSEPORT group;
// `bound` gets the option now, after its own bind, so our allocator's plain binds elsewhere
// still see the port as taken). Invalid on failure.
[[nodiscard]] UniqueFd bind_twin_udp(int bound, int buffer_bytes = 0);

// connect() of a UDP socket to ipv4:port (host order); false on failure.
bool connect_udp(int fd, std::uint32_t ipv4, std::uint16_t port) noexcept;

} // namespace suflyor::media
