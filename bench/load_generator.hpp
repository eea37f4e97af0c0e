#pragma once
// A loopback RTP load generator for the media engine: N calls of G.711 20 ms packets from a few
// batched UDP sockets (sendmmsg/recvmmsg, one socket per call side), spread evenly over each
// 20 ms frame. It measures loss, interarrival jitter and added latency of what comes back.
//
// Latency probes: every 50th frame of a call's client stream is loud (the rest is µ-law
// silence); the first loud packet back on the operator (relayed) and supervisor (mixed) side
// gives the added latency through the engine, whichever path carried it.
#include "media/io/unique_fd.hpp"
#include "media/media.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace suflyor::bench {

// The engine the load benchmarks measure: one threaded worker pinned to CPU 0 (the generator takes
// CPU 1), ports 20000-59999, the kernel's default socket buffers, and a command queue deep enough
// for setup's bursts (a few commands per call posted at once).
media::EngineConfig bench_engine_config();

struct Side { // one generator socket playing one role for every call
    media::UniqueFd fd;
    std::uint16_t port = 0;
    bool sends = true;
    bool loud_probes = false;           // client side
    std::vector<std::uint16_t> targets; // per call: the engine leg's RTP port
    // A browser side: rewrites each outgoing packet (the G.711 packet in the first `length`
    // bytes of `buffer`, which has room for 1,500) for call `call`, e.g. into SRTP, and returns
    // its new length (0: not sent). Its received packets are counted but not probed for latency.
    std::function<std::size_t(std::size_t call, std::span<std::uint8_t> buffer, std::size_t length)>
        rewrite;
};

struct LoadResult {
    std::uint64_t sent = 0;
    std::uint64_t expected = 0; // packets the engine should have sent back in the window
    std::uint64_t received = 0;
    std::vector<std::uint64_t> received_by_side; // of `received`
    double seconds = 0;
    std::vector<double> relay_latency_us; // per probe on the relayed side
    std::vector<double> mixed_latency_us; // per probe on the mixed side
    double jitter_us_mean = 0;            // RFC 3550 style, averaged over streams
};

struct LoadPlan {
    std::size_t calls = 0;
    std::chrono::milliseconds warmup{1000};
    std::chrono::milliseconds measure{5000};
    std::size_t relayed_side = 1;     // index of the side receiving the client's relayed probes
    int mixed_side = -1;              // index of the side receiving mixed probes, -1 none
    std::size_t outputs_per_call = 2; // packets per call per frame expected back
};

class LoadGenerator {
public:
    explicit LoadGenerator(std::size_t sides);
    [[nodiscard]] Side& side(std::size_t index) { return sides_[index]; }
    // Blocks for warmup + measure on the calling thread.
    // on_measure: called once when the measured window starts (e.g. to sample CPU time).
    LoadResult run(const LoadPlan& plan, const std::function<void()>& on_measure);

private:
    std::vector<Side> sides_;
};

} // namespace suflyor::bench
