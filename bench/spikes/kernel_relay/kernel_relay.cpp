// Spike (built as spike_kernel_relay, run by hand; see README.md): the load generator of
// bench_media_load against relay_tc.c, a TC program on lo that relays RTP between the two legs of
// each call inside the kernel and hands a copy of every packet to user space through a BPF ring
// buffer (what the recorder would read). Reports the program's own run time per packet
// (kernel.bpf_stats_enabled must be 1) and the CPU per copy of the user-space consumer on CPU 0.
#include "load_generator.hpp"
#include "media/io/port_allocator.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cstdio>
#include <cstdlib>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

using namespace suflyor;

struct rule {
    __u16 src_port, dst_port, seq_offset, pad;
    __u32 ts_offset, ssrc;
    __u64 packets;
};

std::uint16_t port_of(int fd) {
    sockaddr_in a{};
    socklen_t l = sizeof a;
    getsockname(fd, (sockaddr*)&a, &l);
    return ntohs(a.sin_port);
}

int main(int argc, char** argv) {
    const std::size_t calls = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
    // The TC program's object: argv[2], else where the build put it.
    const char* relay_object = argc > 2 ? argv[2] : SPIKE_RELAY_TC_OBJECT;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(1, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    bpf_object* obj = bpf_object__open_file(relay_object, nullptr);
    if (!obj || bpf_object__load(obj)) {
        std::perror("load");
        return 1;
    }
    bpf_program* prog = bpf_object__find_program_by_name(obj, "relay");
    int map = bpf_object__find_map_fd_by_name(obj, "rules");
    bpf_tc_hook hook{};
    hook.sz = sizeof hook;
    hook.ifindex = if_nametoindex("lo");
    hook.attach_point = BPF_TC_INGRESS;
    bpf_tc_hook_create(&hook); // may exist
    bpf_tc_opts opts{};
    opts.sz = sizeof opts;
    opts.prog_fd = bpf_program__fd(prog);
    if (bpf_tc_attach(&hook, &opts)) {
        std::perror("attach");
        return 1;
    }

    bench::LoadGenerator generator(2);
    std::vector<media::UniqueFd> sockets;
    for (std::size_t c = 0; c < calls; ++c) {
        std::uint16_t leg[2];
        for (int s = 0; s < 2; ++s) {
            sockets.push_back(media::bind_udp(0x7F000001, 0));
            leg[s] = port_of(sockets.back().get());
        }
        // side s sends to leg[s]; it is relayed out of leg[s^1] to the other side.
        for (int s = 0; s < 2; ++s) {
            generator.side(s).targets.push_back(leg[s]);
            rule r{};
            r.src_port = htons(leg[s ^ 1]);
            r.dst_port = htons(generator.side(s ^ 1).port);
            r.seq_offset = 1000;
            r.ts_offset = 160000;
            r.ssrc = htonl(0x5000 + c);
            __u16 key = htons(leg[s]);
            if (bpf_map_update_elem(map, &key, &r, BPF_ANY)) {
                std::perror("map");
                return 1;
            }
        }
    }
    // The user-space side: a thread on CPU 0 that takes every copy (as the recorder feed would).
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> copies{0};
    ring_buffer* ring = ring_buffer__new(
        bpf_object__find_map_fd_by_name(obj, "copies"),
        [](void* ctx, void* data, size_t size) -> int {
            auto* n = static_cast<std::atomic<std::uint64_t>*>(ctx);
            n->store(n->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            volatile std::uint8_t sink = static_cast<std::uint8_t*>(data)[20];
            (void)sink;
            (void)size;
            return 0;
        },
        &copies, nullptr);
    std::thread consumer([&] {
        cpu_set_t c0;
        CPU_ZERO(&c0);
        CPU_SET(0, &c0);
        pthread_setaffinity_np(pthread_self(), sizeof c0, &c0);
        while (!stop.load()) {
            ring_buffer__consume(ring);
            usleep(1000);
        }
    });
    auto thread_cpu = [&] {
        clockid_t id{};
        timespec ts{};
        pthread_getcpuclockid(consumer.native_handle(), &id);
        clock_gettime(id, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
    };
    bpf_prog_info info{};
    __u32 info_len = sizeof info;
    double cpu0 = 0, run_ns0 = 0, run_cnt0 = 0;
    std::uint64_t copies0 = 0;
    bench::LoadPlan plan{.calls = calls};
    const auto result = generator.run(plan, [&] {
        cpu0 = thread_cpu();
        copies0 = copies.load();
        bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len);
        run_ns0 = double(info.run_time_ns);
        run_cnt0 = double(info.run_cnt);
    });
    const double consumer_us = thread_cpu() - cpu0;
    const std::uint64_t copied = copies.load() - copies0;
    info = bpf_prog_info{};
    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len);
    const double bpf_ns =
        (double(info.run_time_ns) - run_ns0) / std::max(1.0, double(info.run_cnt) - run_cnt0);
    stop = true;
    consumer.join();
    std::printf("bpf program %.0f ns per run (%.0f runs); user-space consumer %.3f us per copy "
                "(%llu copies, %.1f %% of a core)\n",
                bpf_ns, double(info.run_cnt) - run_cnt0, consumer_us / std::max<double>(1, copied),
                (unsigned long long)copied, consumer_us / 5e4);
    std::printf("kernel relay calls %zu: sent %llu received %llu (expected %llu)\n", calls,
                (unsigned long long)result.sent, (unsigned long long)result.received,
                (unsigned long long)result.expected);
    opts.flags = opts.prog_fd = opts.prog_id = 0;
    bpf_tc_detach(&hook, &opts);
    hook.attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
    bpf_tc_hook_destroy(&hook);
    return 0;
}
