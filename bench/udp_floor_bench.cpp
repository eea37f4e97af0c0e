// The kernel's floor for relaying RTP over loopback: the same load generator and set-up as
// BM_RelayCalls, but instead of the media engine a bare forwarder on CPU 0 that does only the
// socket work every relay has to do: per call two sockets, each connected to its far side; one
// io_uring with a multishot receive per socket into provided buffers and one send per datagram
// from the opposite socket of the pair, straight from the receive buffer, submitted with one
// io_uring_enter per pass. No parsing, header rewrite, source check, timers or copies. Its CPU per
// packet is what no user-space relay on these sockets goes below on this machine; the engine's
// figure minus this one is the engine's own work. `mode` (see Mode) takes away the source
// address and the per-operation file lookup as well. See docs/performance.md.
#include "load_generator.hpp"
#include "media/io/port_allocator.hpp"

#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <atomic>
#include <cstring>
#include <ctime>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace suflyor::bench {
namespace {

constexpr unsigned buffer_count = 4096;
constexpr unsigned buffer_bytes = 2048;

void pin_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)), &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

std::chrono::nanoseconds thread_cpu(pthread_t thread) {
    clockid_t id{};
    timespec ts{};
    if (pthread_getcpuclockid(thread, &id) != 0 || ::clock_gettime(id, &ts) != 0) return {};
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

std::uint16_t port_of(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

void connect_to(int fd, std::uint16_t port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0)
        throw std::runtime_error("connect");
}

// How lean the forwarder is (the benchmark's `mode` argument).
enum class Mode : int {
    recvmsg = 0,       // multishot recvmsg (source address included), plain fds: as the engine
    recvmsg_fixed = 1, // the same on registered files
    recv_fixed = 2,    // multishot recv (no source address: no source check possible), registered
};

// Socket i forwards what it receives out of socket i ^ 1 (the other side of its call).
class Forwarder {
public:
    Forwarder(std::vector<media::UniqueFd> sockets, Mode mode)
        : sockets_(std::move(sockets)), mode_(mode) {
        io_uring_params params{};
        params.cq_entries = 16384;
        params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER |
                       IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED;
        if (io_uring_queue_init_params(4096, &ring_, &params) < 0)
            throw std::runtime_error("io_uring_queue_init");
        buffers_ = static_cast<std::uint8_t*>(::mmap(nullptr, buffer_count * buffer_bytes,
                                                     PROT_READ | PROT_WRITE,
                                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        // liburing 2.3 (Debian 12) has no io_uring_setup_buf_ring: map and register by hand.
        void* ring_memory = ::mmap(nullptr, buffer_count * sizeof(io_uring_buf),
                                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (buffers_ == MAP_FAILED || ring_memory == MAP_FAILED)
            throw std::runtime_error("provided buffers");
        buffer_ring_ = static_cast<io_uring_buf_ring*>(ring_memory);
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<std::uint64_t>(ring_memory);
        reg.ring_entries = buffer_count;
        reg.bgid = 0;
        if (io_uring_register_buf_ring(&ring_, &reg, 0) < 0)
            throw std::runtime_error("register_buf_ring");
        io_uring_buf_ring_init(buffer_ring_);
        for (unsigned i = 0; i < buffer_count; ++i)
            io_uring_buf_ring_add(buffer_ring_, buffers_ + std::size_t{i} * buffer_bytes,
                                  buffer_bytes, static_cast<unsigned short>(i),
                                  io_uring_buf_ring_mask(buffer_count), static_cast<int>(i));
        io_uring_buf_ring_advance(buffer_ring_, buffer_count);
        header_.msg_namelen = sizeof(sockaddr_in);
        if (mode_ != Mode::recvmsg) {
            std::vector<int> fds;
            for (const auto& s : sockets_)
                fds.push_back(s.get());
            if (io_uring_register_files(&ring_, fds.data(), static_cast<unsigned>(fds.size())) < 0)
                throw std::runtime_error("register_files");
        }
    }
    ~Forwarder() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        io_uring_queue_exit(&ring_);
        ::munmap(buffers_, buffer_count * buffer_bytes);
        ::munmap(buffer_ring_, buffer_count * sizeof(io_uring_buf));
    }

    void start() {
        thread_ = std::thread([this] { run(); });
        while (!started_.load())
            std::this_thread::yield();
    }
    [[nodiscard]] std::chrono::nanoseconds cpu() { return thread_cpu(thread_.native_handle()); }
    [[nodiscard]] std::uint64_t datagrams() const { return datagrams_.load(); }

private:
    void run() {
        pin_thread(0);
        (void)::syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS,
                        nullptr, 0);
        for (std::size_t i = 0; i < sockets_.size(); ++i)
            arm(static_cast<std::uint32_t>(i));
        started_ = true;
        std::vector<std::uint32_t> rearm;
        while (!stop_) {
            __kernel_timespec ts{0, 10'000'000};
            io_uring_cqe* first = nullptr;
            (void)io_uring_submit_and_wait_timeout(&ring_, &first, 1, &ts, nullptr);
            unsigned head = 0, seen = 0, returned = 0;
            std::uint64_t got = 0;
            io_uring_cqe* cqe = nullptr;
            io_uring_for_each_cqe(&ring_, head, cqe) {
                ++seen;
                if ((cqe->user_data >> 32) == 0) continue; // a send
                const auto index = static_cast<std::uint32_t>(cqe->user_data);
                if ((cqe->flags & IORING_CQE_F_MORE) == 0) rearm.push_back(index);
                if (cqe->res < 0 || (cqe->flags & IORING_CQE_F_BUFFER) == 0) continue;
                const auto id = static_cast<std::uint16_t>(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
                std::uint8_t* data = buffers_ + std::size_t{id} * buffer_bytes;
                void* payload = data;
                auto length = static_cast<unsigned>(cqe->res);
                if (mode_ != Mode::recv_fixed) {
                    auto* out = io_uring_recvmsg_validate(data, cqe->res, &header_);
                    payload = out != nullptr ? io_uring_recvmsg_payload(out, &header_) : nullptr;
                    length = out != nullptr ? out->payloadlen : 0;
                }
                if (payload != nullptr) {
                    // The payload is sent straight from the receive buffer; the buffer goes back
                    // to the ring with this pass's submit, which also carries the send (UDP send
                    // copies the data during the submit).
                    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
                    if (sqe == nullptr) {
                        io_uring_submit(&ring_);
                        sqe = io_uring_get_sqe(&ring_);
                    }
                    io_uring_prep_send(sqe, sockets_[index ^ 1U].get(), payload, length,
                                       MSG_DONTWAIT);
                    fixed(sqe, index ^ 1U);
                    io_uring_sqe_set_data64(sqe, 0);
                    ++got;
                }
                io_uring_buf_ring_add(buffer_ring_, data, buffer_bytes, id,
                                      io_uring_buf_ring_mask(buffer_count),
                                      static_cast<int>(returned++));
            }
            io_uring_cq_advance(&ring_, seen);
            // Submit the sends before their buffers can be refilled by a receive.
            io_uring_submit(&ring_);
            io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(returned));
            for (const std::uint32_t index : rearm)
                arm(index);
            rearm.clear();
            datagrams_.store(datagrams_.load(std::memory_order_relaxed) + got,
                             std::memory_order_relaxed);
        }
    }

    void arm(std::uint32_t index) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
        if (sqe == nullptr) {
            io_uring_submit(&ring_);
            sqe = io_uring_get_sqe(&ring_);
        }
        if (mode_ == Mode::recv_fixed)
            io_uring_prep_recv_multishot(sqe, sockets_[index].get(), nullptr, 0, 0);
        else
            io_uring_prep_recvmsg_multishot(sqe, sockets_[index].get(), &header_, 0);
        fixed(sqe, index);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = 0;
        io_uring_sqe_set_data64(sqe, std::uint64_t{1} << 32 | index);
    }

    void fixed(io_uring_sqe* sqe, std::uint32_t index) const {
        if (mode_ == Mode::recvmsg) return;
        sqe->fd = static_cast<int>(index);
        sqe->flags |= IOSQE_FIXED_FILE;
    }

    std::vector<media::UniqueFd> sockets_;
    Mode mode_;
    io_uring ring_{};
    io_uring_buf_ring* buffer_ring_ = nullptr;
    std::uint8_t* buffers_ = nullptr;
    msghdr header_{};
    std::thread thread_;
    std::atomic<bool> started_{false};
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> datagrams_{0};
};

void BM_RelayFloor(benchmark::State& state) {
    const auto calls = static_cast<std::size_t>(state.range(0));
    pin_thread(1);
    LoadGenerator generator(2);
    std::vector<media::UniqueFd> sockets;
    for (std::size_t c = 0; c < calls; ++c) {
        for (std::size_t s = 0; s < 2; ++s) {
            media::UniqueFd fd = media::bind_udp(INADDR_LOOPBACK, 0);
            if (!fd.valid()) {
                state.SkipWithError("socket");
                return;
            }
            // Socket s sends to generator side s (it relays what the other side said).
            connect_to(fd.get(), generator.side(s).port);
            generator.side(s).targets.push_back(port_of(fd.get()));
            sockets.push_back(std::move(fd));
        }
    }
    Forwarder forwarder(std::move(sockets), static_cast<Mode>(state.range(1)));
    forwarder.start();

    LoadPlan load{.calls = calls};
    LoadResult result;
    std::chrono::nanoseconds cpu{};
    std::uint64_t datagrams = 0;
    for (auto _ : state) {
        std::chrono::nanoseconds cpu_start{};
        std::uint64_t datagrams_start = 0;
        result = generator.run(load, [&] {
            cpu_start = forwarder.cpu();
            datagrams_start = forwarder.datagrams();
        });
        cpu = forwarder.cpu() - cpu_start;
        datagrams = forwarder.datagrams() - datagrams_start;
        state.SetIterationTime(result.seconds);
    }
    const double packets = static_cast<double>(std::max<std::uint64_t>(datagrams, 1));
    const double cpu_us = std::chrono::duration<double, std::micro>(cpu).count();
    state.counters["calls"] = static_cast<double>(calls);
    state.counters["kpps_in"] = packets / result.seconds / 1000.0;
    state.counters["cpu_util"] = cpu_us / (result.seconds * 1e6);
    state.counters["us_per_pkt"] = cpu_us / packets;
    state.counters["loss_pct"] = result.expected > 0
                                     ? 100.0 * (1.0 - static_cast<double>(result.received) /
                                                          static_cast<double>(result.expected))
                                     : 0.0;
}
BENCHMARK(BM_RelayFloor)
    ->ArgNames({"calls", "mode"})
    ->ArgsProduct({{1000, 1500, 2000}, {0, 1, 2}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

} // namespace
} // namespace suflyor::bench

BENCHMARK_MAIN();
