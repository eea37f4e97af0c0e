#include "load_generator.hpp"

#include "media/io/port_allocator.hpp"
#include "rtp/rtp_packet.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cmath>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace suflyor::bench {

media::EngineConfig bench_engine_config() {
    media::EngineConfig config;
    config.workers = 1;
    config.threaded = true;
    config.pin_first_cpu = 0;
    config.port_min = 20000;
    config.port_max = 59999;
    config.socket_buffer_bytes = 0;
    config.command_queue = 1 << 15;
    return config;
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t payload_bytes = 160;
constexpr std::size_t packet_bytes = 12 + payload_bytes;
constexpr std::size_t slices = 20; // sends spread over 20 × 1 ms per frame
constexpr std::uint8_t ulaw_silence = 0xFF;
constexpr std::uint8_t ulaw_loud = 0x80; // near full scale
constexpr int probe_every = 50;

double us_since(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::micro>(b - a).count();
}

} // namespace

LoadGenerator::LoadGenerator(std::size_t sides) : sides_(sides) {
    for (auto& side : sides_) {
        side.fd = media::bind_udp(0x7F00'0001, 0, 0);
        int big = 64 << 20;
        if (::setsockopt(side.fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
            ::setsockopt(side.fd.get(), SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        if (::setsockopt(side.fd.get(), SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) != 0)
            ::setsockopt(side.fd.get(), SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        ::getsockname(side.fd.get(), reinterpret_cast<sockaddr*>(&addr), &len);
        side.port = ntohs(addr.sin_port);
    }
}

LoadResult LoadGenerator::run(const LoadPlan& plan, const std::function<void()>& on_measure) {
    const std::size_t calls = plan.calls;
    const std::size_t nsides = sides_.size();
    // Per stream state (side × call).
    std::vector<std::uint16_t> seq(nsides * calls);
    std::vector<std::uint32_t> ts(nsides * calls);
    std::vector<Clock::time_point> probe_sent(calls);
    std::vector<std::uint8_t> probe_seen(calls * nsides, 1); // per receiving side
    std::vector<Clock::time_point> last_arrival(nsides * calls);
    std::vector<double> jitter(nsides * calls, 0.0);
    std::vector<std::uint8_t> have_arrival(nsides * calls, 0);

    // Port -> call index for each receiving side.
    std::vector<std::vector<std::int32_t>> call_of(nsides, std::vector<std::int32_t>(65536, -1));
    for (std::size_t s = 0; s < nsides; ++s)
        for (std::size_t c = 0; c < calls; ++c)
            call_of[s][sides_[s].targets[c]] = static_cast<std::int32_t>(c);

    constexpr std::size_t batch = 256;
    std::vector<std::array<std::uint8_t, 1500>> out(batch);
    std::vector<sockaddr_in> dest(batch);
    std::vector<iovec> iov(batch);
    std::vector<mmsghdr> msgs(batch);
    std::vector<std::array<std::uint8_t, 1500>> in(batch);
    std::vector<sockaddr_in> from(batch);
    std::vector<iovec> riov(batch);
    std::vector<mmsghdr> rmsgs(batch);

    LoadResult result;
    result.received_by_side.resize(nsides);
    const auto start = Clock::now();
    const auto measure_from = start + plan.warmup;
    const auto end = measure_from + plan.measure;
    std::uint64_t frame = 0;
    std::size_t slice = 0;
    auto next_slice = start;

    auto receive = [&](std::size_t s) {
        for (;;) {
            for (std::size_t i = 0; i < batch; ++i) {
                riov[i] = iovec{in[i].data(), in[i].size()};
                rmsgs[i].msg_hdr =
                    msghdr{&from[i], sizeof(sockaddr_in), &riov[i], 1, nullptr, 0, 0};
            }
            const int got =
                ::recvmmsg(sides_[s].fd.get(), rmsgs.data(), batch, MSG_DONTWAIT, nullptr);
            if (got <= 0) return;
            const auto now = Clock::now();
            const bool counting = now >= measure_from && now < end;
            for (int i = 0; i < got; ++i) {
                const auto k = static_cast<std::size_t>(i);
                if (rmsgs[k].msg_len < 12 || in[k][1] >= 192) continue; // RTCP
                const std::int32_t c = call_of[s][ntohs(from[k].sin_port)];
                if (c < 0) continue;
                const std::size_t stream = s * calls + static_cast<std::size_t>(c);
                if (counting) {
                    ++result.received;
                    ++result.received_by_side[s];
                }
                if (have_arrival[stream]) {
                    const double d = std::abs(us_since(last_arrival[stream], now) - 20000.0);
                    jitter[stream] += (d - jitter[stream]) / 16.0;
                }
                have_arrival[stream] = 1;
                last_arrival[stream] = now;
                if (sides_[s].rewrite) continue; // not G.711: no probes to look for
                const std::uint8_t probe = in[k][12 + payload_bytes / 2];
                const bool loud = (probe & 0x7F) < 0x20; // µ-law: small codes are loud
                if (loud && !probe_seen[stream]) {
                    probe_seen[stream] = 1;
                    if (counting) {
                        const double us = us_since(probe_sent[static_cast<std::size_t>(c)], now);
                        if (static_cast<int>(s) == plan.mixed_side)
                            result.mixed_latency_us.push_back(us);
                        else if (s == plan.relayed_side)
                            result.relay_latency_us.push_back(us);
                    }
                }
            }
        }
    };

    std::vector<pollfd> fds(nsides);
    for (std::size_t s = 0; s < nsides; ++s)
        fds[s] = pollfd{sides_[s].fd.get(), POLLIN, 0};

    bool measuring = false;
    while (Clock::now() < end) {
        const auto now = Clock::now();
        if (!measuring && now >= measure_from) {
            measuring = true;
            on_measure();
        }
        if (now >= next_slice) {
            const std::size_t first = calls * slice / slices;
            const std::size_t last = calls * (slice + 1) / slices;
            const bool loud_frame = frame % probe_every == 0;
            for (std::size_t s = 0; s < nsides; ++s) {
                Side& side = sides_[s];
                if (!side.sends) continue;
                std::size_t n = 0;
                auto flush = [&] {
                    if (n == 0) return;
                    std::size_t done = 0;
                    while (done < n) {
                        const int sent = ::sendmmsg(side.fd.get(), msgs.data() + done,
                                                    static_cast<unsigned>(n - done), 0);
                        if (sent <= 0) break;
                        done += static_cast<std::size_t>(sent);
                    }
                    if (now >= measure_from && now < end) result.sent += done;
                    n = 0;
                };
                for (std::size_t c = first; c < last; ++c) {
                    const std::size_t stream = s * calls + c;
                    auto& p = out[n];
                    rtp::write_rtp_header(p, {.payload_type = 0,
                                              .marker = false,
                                              .sequence = seq[stream]++,
                                              .timestamp = ts[stream],
                                              .ssrc = static_cast<std::uint32_t>(stream + 1)});
                    ts[stream] += payload_bytes;
                    const bool loud = side.loud_probes && loud_frame;
                    std::fill(p.begin() + 12, p.begin() + packet_bytes,
                              loud ? ulaw_loud : ulaw_silence);
                    std::size_t length = packet_bytes;
                    if (side.rewrite) {
                        length = side.rewrite(c, p, packet_bytes);
                        if (length == 0) continue;
                    }
                    if (loud) {
                        probe_sent[c] = Clock::now();
                        for (std::size_t r = 0; r < nsides; ++r)
                            probe_seen[r * calls + c] = 0;
                    }
                    dest[n] = sockaddr_in{};
                    dest[n].sin_family = AF_INET;
                    dest[n].sin_addr.s_addr = htonl(0x7F00'0001);
                    dest[n].sin_port = htons(side.targets[c]);
                    iov[n] = iovec{p.data(), length};
                    msgs[n].msg_hdr =
                        msghdr{&dest[n], sizeof(sockaddr_in), &iov[n], 1, nullptr, 0, 0};
                    if (++n == batch) flush();
                }
                flush();
            }
            if (++slice == slices) {
                slice = 0;
                ++frame;
            }
            next_slice += std::chrono::milliseconds(1);
        }
        for (std::size_t s = 0; s < nsides; ++s)
            receive(s);
        const auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_slice - Clock::now());
        if (wait.count() > 0) ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    }
    result.seconds = std::chrono::duration<double>(plan.measure).count();
    result.expected = static_cast<std::uint64_t>(
        static_cast<double>(calls * plan.outputs_per_call) * 50.0 * result.seconds);
    double sum = 0;
    std::size_t streams = 0;
    for (std::size_t i = 0; i < jitter.size(); ++i)
        if (have_arrival[i]) {
            sum += jitter[i];
            ++streams;
        }
    result.jitter_us_mean = streams > 0 ? sum / static_cast<double>(streams) : 0;
    return result;
}

} // namespace suflyor::bench
