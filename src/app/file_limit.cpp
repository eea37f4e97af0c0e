#include "app/file_limit.hpp"

#include <algorithm>
#include <sys/resource.h>

namespace suflyor::app {

namespace {
constexpr std::uint64_t sockets_per_leg = 3;
constexpr std::uint64_t other_files = 1024;
constexpr rlim_t ceiling = 1 << 20; // the kernel's default fs.nr_open
} // namespace

std::uint64_t descriptors_for_legs(std::uint64_t legs) noexcept {
    return legs * sockets_per_leg + other_files;
}

int open_file_limit() noexcept {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    return static_cast<int>(std::min(limit.rlim_cur, ceiling));
}

FileLimit raise_file_limit(std::int64_t rtp_port_min, std::int64_t rtp_port_max) noexcept {
    FileLimit result;
    const std::int64_t ports = std::max<std::int64_t>(0, rtp_port_max - rtp_port_min + 1);
    result.wanted = descriptors_for_legs(static_cast<std::uint64_t>(ports / 2));
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return result;
    const rlim_t target = std::min(limit.rlim_max, ceiling);
    if (limit.rlim_cur < target) {
        rlimit raised = limit;
        raised.rlim_cur = target;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
            result.raised = true;
        }
    }
    result.limit = limit.rlim_cur;
    return result;
}

} // namespace suflyor::app
