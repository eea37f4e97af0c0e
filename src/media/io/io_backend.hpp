#pragma once
// Which I/O backend a media worker runs (EngineConfig::io), and the one place that decides it:
// io_uring when asked for and the ring could be set up, else epoll — a pure function, so the
// fallback is tested without breaking a kernel.
#include "media/engine/engine_types.hpp"

#include <string_view>

namespace suflyor::media {

struct IoSelection {
    IoBackend backend = IoBackend::epoll;
    bool fell_back = false; // io_uring was asked for but could not be set up: warn once
};

[[nodiscard]] constexpr IoSelection select_io_backend(IoBackend wanted,
                                                      bool io_uring_ready) noexcept {
    if (wanted != IoBackend::io_uring) return {IoBackend::epoll, false};
    if (io_uring_ready) return {IoBackend::io_uring, false};
    return {IoBackend::epoll, true};
}

[[nodiscard]] constexpr std::string_view to_string(IoBackend backend) noexcept {
    return backend == IoBackend::io_uring ? "io_uring" : "epoll";
}

} // namespace suflyor::media
