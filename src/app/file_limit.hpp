#pragma once
// The server's open-file limit. Every media leg holds three sockets (RTP, its connected peer
// twin, RTCP), so the RTP port range alone can need thousands of descriptors, far above the
// usual soft limit of 1,024: the server raises its soft limit to the hard one at start-up and
// says when even that is too low for the configured range.
#include <cstdint>

namespace suflyor::app {

struct FileLimit {
    std::uint64_t limit = 0;  // the soft limit in force afterwards
    std::uint64_t wanted = 0; // what the port range can use, plus headroom for the rest
    bool raised = false;      // the soft limit was raised
    [[nodiscard]] bool enough() const noexcept { return limit >= wanted; }
};

// Descriptors `legs` media legs need with the server's other files (SIP, HTTP, database, logs).
[[nodiscard]] std::uint64_t descriptors_for_legs(std::uint64_t legs) noexcept;

// Raises RLIMIT_NOFILE's soft limit to its hard limit (capped at 1,048,576) and reports it
// against what rtp_port_min..rtp_port_max can use (one leg per even/odd port pair).
FileLimit raise_file_limit(std::int64_t rtp_port_min, std::int64_t rtp_port_max) noexcept;

// The current soft limit, capped at 1,048,576 (the size of fd tables sized by it).
[[nodiscard]] int open_file_limit() noexcept;

} // namespace suflyor::app
