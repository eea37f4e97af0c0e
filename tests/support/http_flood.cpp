#include "support/http_flood.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace suflyor::test {

namespace {

using Clock = std::chrono::steady_clock;

enum class Kind { websocket, idle, slow };
enum class Phase { closed, connecting, handshaking, open, refused };

struct Connection {
    Kind kind{Kind::idle};
    int source{0};
    int fd{-1};
    Phase phase{Phase::closed};
    std::string in;
    Clock::time_point next_drip{};
};

sockaddr_in loopback(std::uint32_t host_byte, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl((127U << 24) | host_byte);
    return address;
}

void send_some(int fd, std::string_view data) {
    (void)::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Masked client frame (RFC 6455 §5.3) with a zero mask: the payload goes out unchanged.
std::string client_frame(int opcode, std::string_view payload) {
    std::string frame;
    frame += static_cast<char>(0x80 | opcode);
    frame += static_cast<char>(0x80 | static_cast<int>(std::min<std::size_t>(payload.size(), 125)));
    frame.append(4, '\0');
    frame.append(payload.substr(0, 125));
    return frame;
}

} // namespace

struct HttpFlood::Impl {
    FloodPlan plan;
    int epoll{-1};
    std::vector<Connection> connections;
    std::deque<std::size_t> to_open;
    int pending{0};
    std::atomic<bool> running{true};
    mutable std::mutex mutex;
    FloodCounts counts;
    std::thread thread;

    explicit Impl(FloodPlan p) : plan(std::move(p)) {
        epoll = ::epoll_create1(EPOLL_CLOEXEC);
        if (epoll < 0) throw std::runtime_error("epoll_create1 failed");
        const auto add = [&](Kind kind, int count) {
            for (int i = 0; i < count; ++i) {
                Connection c;
                c.kind = kind;
                c.source =
                    static_cast<int>(connections.size()) % std::max(1, plan.source_addresses);
                to_open.push_back(connections.size());
                connections.push_back(std::move(c));
            }
        };
        add(Kind::websocket, plan.websockets);
        add(Kind::idle, plan.idle);
        add(Kind::slow, plan.slow);
        thread = std::thread([this] { run(); });
    }

    ~Impl() {
        running = false;
        thread.join();
        for (auto& c : connections)
            if (c.fd >= 0) ::close(c.fd);
        ::close(epoll);
    }

    void run() {
        std::vector<epoll_event> events(256);
        while (running) {
            while (pending < plan.max_pending && !to_open.empty()) {
                const auto index = to_open.front();
                to_open.pop_front();
                open(index);
            }
            const int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 20);
            for (int i = 0; i < n; ++i)
                on_event(events[static_cast<std::size_t>(i)].data.u64,
                         events[static_cast<std::size_t>(i)].events);
            drip();
        }
    }

    void open(std::size_t index) {
        auto& c = connections[index];
        c.in.clear();
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c.fd < 0) {
            to_open.push_back(index); // out of descriptors for now: try again later
            return;
        }
        const auto source = loopback(static_cast<std::uint32_t>(2 + c.source), 0);
        (void)::bind(c.fd, reinterpret_cast<const sockaddr*>(&source), sizeof source);
        const auto target = loopback(1, plan.port);
        const int rc = ::connect(c.fd, reinterpret_cast<const sockaddr*>(&target), sizeof target);
        if (rc != 0 && errno != EINPROGRESS) {
            ::close(c.fd);
            c.fd = -1;
            to_open.push_back(index);
            return;
        }
        c.phase = Phase::connecting;
        ++pending;
        epoll_event event{};
        event.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
        event.data.u64 = index;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, c.fd, &event);
    }

    void on_event(std::size_t index, std::uint32_t flags) {
        auto& c = connections[index];
        if (c.fd < 0) return;
        if (c.phase == Phase::connecting) {
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) {
                lost(index);
                return;
            }
            connected(index);
            if ((flags & EPOLLIN) == 0) return;
        }
        char buffer[4096];
        while (true) {
            const auto n = ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) {
                c.in.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            lost(index); // closed by the server
            return;
        }
        if (c.kind == Kind::websocket)
            websocket_input(index);
        else
            c.in.clear(); // an answer (408, 413, ...) before the server closes
    }

    void connected(std::size_t index) {
        auto& c = connections[index];
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.u64 = index;
        ::epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &event);
        const std::lock_guard lock(mutex);
        switch (c.kind) {
        case Kind::websocket:
            c.phase = Phase::handshaking;
            send_some(c.fd, "GET /api/v1/events?access_token=" + plan.token +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: "
                                "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            return; // pending until the handshake's answer
        case Kind::idle: ++counts.idle_open; break;
        case Kind::slow:
            ++counts.slow_open;
            send_some(c.fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            c.next_drip = Clock::now() + plan.drip;
            break;
        }
        c.phase = Phase::open;
        --pending;
    }

    void websocket_input(std::size_t index) {
        auto& c = connections[index];
        if (c.phase == Phase::handshaking) {
            const auto end = c.in.find("\r\n\r\n");
            if (end == std::string::npos) return;
            const bool upgraded = c.in.rfind("HTTP/1.1 101", 0) == 0;
            c.in.erase(0, end + 4);
            --pending;
            const std::lock_guard lock(mutex);
            if (!upgraded) {
                ++counts.websockets_refused;
                close(index, Phase::refused);
                return;
            }
            ++counts.websockets_open;
            c.phase = Phase::open;
        }
        // Frames from the server: unmasked, so header 2 bytes + extended length.
        while (c.in.size() >= 2) {
            const auto b1 = static_cast<unsigned char>(c.in[1]);
            std::size_t header = 2;
            std::size_t length = b1 & 0x7F;
            if (length == 126) {
                if (c.in.size() < 4) return;
                length = (static_cast<unsigned char>(c.in[2]) << 8) |
                         static_cast<unsigned char>(c.in[3]);
                header = 4;
            } else if (length == 127) {
                if (c.in.size() < 10) return;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) |
                             static_cast<unsigned char>(c.in[static_cast<std::size_t>(i)]);
                header = 10;
            }
            if (c.in.size() < header + length) return;
            const int opcode = static_cast<unsigned char>(c.in[0]) & 0x0F;
            if (opcode == 0x9) send_some(c.fd, client_frame(0xA, c.in.substr(header, length)));
            c.in.erase(0, header + length);
        }
    }

    void drip() {
        const auto now = Clock::now();
        for (auto& c : connections) {
            if (c.kind != Kind::slow || c.phase != Phase::open || now < c.next_drip) continue;
            send_some(c.fd, "a");
            c.next_drip = now + plan.drip;
        }
    }

    void close(std::size_t index, Phase phase) {
        auto& c = connections[index];
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
        c.phase = phase;
    }

    // The server closed the connection (or it failed to connect).
    void lost(std::size_t index) {
        auto& c = connections[index];
        const Phase was = c.phase;
        if (was == Phase::connecting || was == Phase::handshaking) --pending;
        const std::lock_guard lock(mutex);
        if (c.kind == Kind::websocket) {
            if (was == Phase::open)
                ++counts.websockets_closed;
            else
                ++counts.websockets_refused;
            close(index, Phase::refused);
            return;
        }
        if (was == Phase::open) {
            ++counts.reopened;
            if (c.kind == Kind::idle)
                --counts.idle_open;
            else
                --counts.slow_open;
        }
        close(index, Phase::closed);
        to_open.push_back(index);
    }
};

HttpFlood::HttpFlood(FloodPlan plan) : impl_(std::make_unique<Impl>(std::move(plan))) {}

HttpFlood::~HttpFlood() = default;

FloodCounts HttpFlood::counts() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->counts;
}

bool HttpFlood::wait_established(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        const auto now = counts();
        if (now.websockets_open + now.websockets_refused >= impl_->plan.websockets &&
            now.idle_open >= impl_->plan.idle && now.slow_open >= impl_->plan.slow) {
            return now.websockets_refused == 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

TimedReply timed_request(std::uint16_t port, const std::string& raw,
                         std::chrono::milliseconds timeout, std::uint8_t source) {
    TimedReply reply;
    const auto started = Clock::now();
    const auto deadline = started + timeout;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return reply;
    const auto from = loopback(source, 0);
    (void)::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from);
    const auto target = loopback(1, port);
    const auto wait = [&](short events) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd, events, 0};
        return ::poll(&p, 1, static_cast<int>(left.count())) == 1;
    };
    std::string in;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0 ||
        (errno == EINPROGRESS && wait(POLLOUT))) {
        std::size_t sent = 0;
        while (sent < raw.size() && wait(POLLOUT)) {
            const auto n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        char buffer[4096];
        while (sent == raw.size() && wait(POLLIN)) {
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            in.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    reply.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    const auto end = in.find("\r\n\r\n");
    if (in.rfind("HTTP/1.1 ", 0) == 0 && end != std::string::npos && Clock::now() <= deadline) {
        reply.status = std::atoi(in.c_str() + 9);
        reply.body = in.substr(end + 4);
    }
    return reply;
}

std::string raw_json_request(const std::string& method, const std::string& path,
                             const std::string& body, const std::string& token) {
    std::string request =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty())
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
    return request + "\r\n" + body;
}

LatencySummary summarize(std::vector<std::chrono::microseconds> samples, std::size_t failed) {
    LatencySummary summary;
    summary.count = samples.size();
    summary.failed = failed;
    if (samples.empty()) return summary;
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double q) {
        const auto i = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
        return samples[std::min(i, samples.size() - 1)];
    };
    summary.p50 = at(0.50);
    summary.p99 = at(0.99);
    summary.max = samples.back();
    return summary;
}

ProbeResults probe_for(std::uint16_t port, const std::string& login, const std::string& password,
                       const std::string& token, std::chrono::milliseconds duration,
                       std::chrono::milliseconds pause, std::chrono::milliseconds timeout) {
    struct Probe {
        std::string request;
        int expected;
        std::vector<std::chrono::microseconds> times;
        std::size_t failed{0};
    };
    Probe probes[] = {
        {raw_json_request("GET", "/healthz", ""), 200, {}},
        {raw_json_request("POST", "/api/v1/auth/login",
                          "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}"),
         200,
         {}},
        {raw_json_request("POST", "/api/v1/calls/999999/monitor", "{\"mode\":\"listen\"}", token),
         404,
         {}},
    };
    ProbeResults results;
    const auto until = Clock::now() + duration;
    while (Clock::now() < until) {
        for (auto& probe : probes) {
            const auto reply = timed_request(port, probe.request, timeout);
            probe.times.push_back(reply.latency);
            if (reply.status == probe.expected) continue;
            ++probe.failed;
            if (results.first_failure.empty())
                results.first_failure = probe.request.substr(0, probe.request.find('\r')) +
                                        ": expected " + std::to_string(probe.expected) + ", got " +
                                        std::to_string(reply.status) + " " + reply.body;
        }
        std::this_thread::sleep_for(pause);
    }
    results.healthz = summarize(probes[0].times, probes[0].failed);
    results.login = summarize(probes[1].times, probes[1].failed);
    results.monitor = summarize(probes[2].times, probes[2].failed);
    return results;
}

std::string describe(const char* what, const LatencySummary& s) {
    char line[160];
    std::snprintf(line, sizeof line,
                  "%-9s %5zu requests %3zu failed  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", what,
                  s.count, s.failed, static_cast<double>(s.p50.count()) / 1000.0,
                  static_cast<double>(s.p99.count()) / 1000.0,
                  static_cast<double>(s.max.count()) / 1000.0);
    return line;
}

} // namespace suflyor::test
