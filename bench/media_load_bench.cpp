// Load benchmarks of the media engine over loopback: relayed calls (client <-> operator) and
// monitored calls (plus a supervisor hearing the mix in listen mode). The engine runs one
// worker pinned to CPU 0; the generator runs on the benchmark thread pinned to CPU 1.
// Each benchmark is one bounded run (1 s warm-up + 5 s measured); see docs/performance.md.
// BM_RelayCalls / BM_MonitoredCalls run the epoll backend, the *IoUring families the same cases
// on the io_uring backend (EngineConfig::io), so one binary compares them. All of them send from
// each leg's connected peer socket (EngineConfig::peer_sockets, the default); the
// *IoUringUnconnected families send from the leg's unconnected socket with an address.
#include "core/clock.hpp"
#include "load_generator.hpp"
#include "media/engine/worker.hpp"
#include "media/media.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <pthread.h>
#include <sched.h>
#include <string>
#include <unistd.h>

namespace suflyor::bench {
namespace {

using namespace std::chrono_literals;

void pin_self(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)), &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

media::EngineConfig engine_config(std::size_t tick_slices, media::IoBackend io, bool peer_sockets) {
    auto config = bench_engine_config();
    config.tick_slices = tick_slices;
    config.io = io;
    config.peer_sockets = peer_sockets;
    return config;
}

media::LegMedia pcmu_to(std::uint16_t port) {
    return media::LegMedia{
        .remote = {media::ipv4_loopback, port}, .codec = media::CodecId::pcmu, .payload_type = 0};
}

void run_load(benchmark::State& state, bool monitored, media::IoBackend io,
              bool peer_sockets = true) {
    const auto calls = static_cast<std::size_t>(state.range(0));
    // Monitored cases name the tick slicing (20: 1 ms slices; 1: all rooms in one pass).
    const auto slices = monitored ? static_cast<std::size_t>(state.range(1)) : std::size_t{20};
    pin_self(1);
    core::SystemClock clock;
    const std::size_t nsides = monitored ? 3 : 2;
    LoadGenerator generator(nsides);
    for (std::size_t s = 0; s < nsides; ++s)
        generator.side(s).targets.resize(calls);
    generator.side(0).loud_probes = true;

    const double rss_before = rss_bytes();
    media::MediaEngine engine(engine_config(slices, io, peer_sockets), clock);
    if (engine.worker_io(0) != io) {
        state.SkipWithError("io_uring could not be set up (the worker fell back to epoll)");
        return;
    }
    media::MixPlan plan;
    plan.hears[0] = media::leg_bit(1);
    plan.hears[1] = media::leg_bit(0);
    if (monitored) plan.hears[2] = media::leg_bit(0) | media::leg_bit(1); // listen
    for (std::size_t c = 0; c < calls; ++c) {
        const auto room = engine.create_room();
        for (std::size_t s = 0; s < nsides; ++s) {
            const auto leg =
                engine.add_leg(room, media::LegSpec{.media = pcmu_to(generator.side(s).port)});
            generator.side(s).targets[c] = leg.rtp_port;
        }
        engine.set_plan(room, plan);
    }

    LoadPlan load{.calls = calls};
    load.relayed_side = 1;
    load.mixed_side = monitored ? 2 : -1;
    load.outputs_per_call = nsides;
    LoadResult result;
    std::chrono::nanoseconds cpu{};
    double rss_after = 0;
    std::uint64_t datagrams = 0;
    std::uint64_t wakeups = 0;
    for (auto _ : state) {
        std::chrono::nanoseconds cpu_start{};
        std::uint64_t datagrams_start = 0;
        std::uint64_t wakeups_start = 0;
        result = generator.run(load, [&] {
            cpu_start = engine.worker_cpu_time(0);
            datagrams_start = engine.worker_datagrams(0);
            wakeups_start = engine.worker_wakeups(0);
        });
        cpu = engine.worker_cpu_time(0) - cpu_start;
        datagrams = engine.worker_datagrams(0) - datagrams_start;
        wakeups = engine.worker_wakeups(0) - wakeups_start;
        rss_after = rss_bytes();
        state.SetIterationTime(result.seconds);
    }
    engine.stop_workers();

    // Per packet the engine actually read (under CPU starvation it reads fewer than were sent).
    const double packets_in = static_cast<double>(std::max<std::uint64_t>(datagrams, 1));
    const double cpu_us = std::chrono::duration<double, std::micro>(cpu).count();
    const double loss = result.expected > 0 ? 1.0 - static_cast<double>(result.received) /
                                                        static_cast<double>(result.expected)
                                            : 0;
    state.counters["calls"] = static_cast<double>(calls);
    state.counters["kpps_in"] = packets_in / result.seconds / 1000.0;
    state.counters["load_avg"] = [] {
        double one = 0;
        std::ifstream("/proc/loadavg") >> one;
        return one;
    }();
    state.counters["cpu_util"] = cpu_us / (result.seconds * 1e6);
    state.counters["us_per_pkt"] = cpu_us / packets_in;
    // Datagrams per wait that found work: epoll_wait, or io_uring_enter (which also submitted
    // the sends of the previous pass).
    state.counters["pkts_per_wake"] =
        packets_in / static_cast<double>(std::max<std::uint64_t>(wakeups, 1));
    state.counters["us_per_call_s"] = cpu_us / (static_cast<double>(calls) * result.seconds);
    state.counters["loss_pct"] = std::max(0.0, loss) * 100.0;
    state.counters["recv"] = static_cast<double>(result.received);
    state.counters["expected"] = static_cast<double>(result.expected);
    state.counters["jitter_us"] = result.jitter_us_mean;
    state.counters["relay_lat_p50_us"] = percentile(result.relay_latency_us, 0.50);
    state.counters["relay_lat_p99_us"] = percentile(result.relay_latency_us, 0.99);
    if (monitored) {
        state.counters["mixed_lat_p50_ms"] = percentile(result.mixed_latency_us, 0.50) / 1000.0;
        state.counters["mixed_lat_p99_ms"] = percentile(result.mixed_latency_us, 0.99) / 1000.0;
        // One mix pass = one time slice's rooms (about calls / slices of them).
        const auto& passes = engine.worker_ticks(0);
        state.counters["pass_p50_us"] = passes.percentile_us(0.50);
        state.counters["pass_p99_us"] = passes.percentile_us(0.99);
        const double passes_n = static_cast<double>(std::max<std::uint64_t>(passes.ticks, 1));
        state.counters["pass_mean_us"] = static_cast<double>(passes.total_ns) / 1000.0 / passes_n;
        state.counters["rooms_per_pass"] = static_cast<double>(passes.rooms_ticked) / passes_n;
        // Wall time of mixing per room tick (every room once per 20 ms).
        state.counters["mix_us_per_room"] =
            static_cast<double>(passes.total_ns) / 1000.0 /
            static_cast<double>(std::max<std::uint64_t>(passes.rooms_ticked, 1));
    }
    state.counters["rss_KiB_per_call"] =
        (rss_after - rss_before) / 1024.0 / static_cast<double>(calls);
}

void BM_RelayCalls(benchmark::State& state) { run_load(state, false, media::IoBackend::epoll); }
void BM_MonitoredCalls(benchmark::State& state) { run_load(state, true, media::IoBackend::epoll); }
void BM_RelayCallsIoUring(benchmark::State& state) {
    run_load(state, false, media::IoBackend::io_uring);
}
void BM_MonitoredCallsIoUring(benchmark::State& state) {
    run_load(state, true, media::IoBackend::io_uring);
}
void BM_RelayCallsIoUringUnconnected(benchmark::State& state) {
    run_load(state, false, media::IoBackend::io_uring, false);
}
void BM_MonitoredCallsIoUringUnconnected(benchmark::State& state) {
    run_load(state, true, media::IoBackend::io_uring, false);
}

// The same load cases for both I/O backends; epoll also runs the slice-layout comparisons.
void relay_cases(benchmark::internal::Benchmark* b) {
    b->ArgName("calls");
    for (const int calls : {50, 500, 1000, 1500, 2000, 3000})
        b->Arg(calls);
    b->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
}
void monitored_cases(benchmark::internal::Benchmark* b) {
    b->ArgNames({"calls", "slices"});
    for (const int calls : {250, 500, 750, 1000})
        b->Args({calls, 20});
    b->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
}
BENCHMARK(BM_RelayCalls)->Apply(relay_cases);
BENCHMARK(BM_MonitoredCalls)
    ->Apply(monitored_cases)
    ->Args({1000, 10}) // 2 ms slices
    ->Args({1000, 1}); // one pass over all rooms every 20 ms (the layout before slicing)
BENCHMARK(BM_RelayCallsIoUring)->Apply(relay_cases);
BENCHMARK(BM_MonitoredCallsIoUring)->Apply(monitored_cases);
BENCHMARK(BM_RelayCallsIoUringUnconnected)->Apply(relay_cases);
BENCHMARK(BM_MonitoredCallsIoUringUnconnected)->Apply(monitored_cases);

// The mix path alone, in process: one room tick of a monitored call (2 inputs decoded from the
// jitter buffer, mixed, 1 output encoded). No sockets: shows the per-call tick cost.
void BM_MixerListenFrame(benchmark::State& state) {
    media::Mixer mixer(160);
    media::MixPlan plan;
    plan.hears[2] = media::leg_bit(0) | media::leg_bit(1);
    auto enc = media::make_encoder({media::CodecId::pcmu, 8000, 0});
    auto dec = media::make_decoder({media::CodecId::pcmu, 8000, 0});
    std::array<std::uint8_t, 160> payload{};
    payload.fill(0x90);
    std::array<std::uint8_t, 200> out{};
    for (auto _ : state) {
        for (std::size_t leg = 0; leg < 2; ++leg)
            (void)dec->decode(payload, mixer.input(leg));
        mixer.mix(plan, 0b011);
        auto r = enc->encode(mixer.output(2), out);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_MixerListenFrame);

} // namespace
} // namespace suflyor::bench

BENCHMARK_MAIN();
