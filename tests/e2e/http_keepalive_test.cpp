// Keep-alive latency against the real `suflyor serve`: one TCP connection, many sequential
// requests. Without TCP_NODELAY the response's second segment waits for the client's delayed ACK
// (Nagle), which costs ≈40 ms per request on Linux; with it, a request takes about a millisecond.
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

namespace suflyor::e2e {
namespace {

// A plain HTTP/1.1 client on one connection (what a browser or a poller does).
class KeepAliveConnection {
public:
    explicit KeepAliveConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        timeval timeout{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ =
            ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    }
    ~KeepAliveConnection() { ::close(fd_); }
    KeepAliveConnection(const KeepAliveConnection&) = delete;
    KeepAliveConnection& operator=(const KeepAliveConnection&) = delete;

    [[nodiscard]] bool connected() const { return connected_; }

    // Sends one GET and reads its whole response; returns the status line ("" on failure).
    std::string get(const std::string& path) {
        const std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
        if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size()))
            return {};
        std::string response;
        std::size_t header_end = std::string::npos;
        std::size_t body_length = 0;
        char chunk[4096];
        while (header_end == std::string::npos || response.size() < header_end + 4 + body_length) {
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) return {};
            response.append(chunk, static_cast<std::size_t>(n));
            if (header_end == std::string::npos) {
                header_end = response.find("\r\n\r\n");
                if (header_end == std::string::npos) continue;
                std::string head = response.substr(0, header_end);
                std::transform(head.begin(), head.end(), head.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                const auto at = head.find("content-length:");
                if (at == std::string::npos) return {}; // keep-alive needs a length
                body_length = std::stoul(head.substr(at + 15));
            }
        }
        return response.substr(0, response.find("\r\n"));
    }

private:
    int fd_;
    bool connected_ = false;
};

TEST(HttpKeepAlive, SequentialRequestsOnOneConnectionTakeAboutAMillisecondNotADelayedAck) {
    Server server{SUFLYOR_BINARY};
    server.start();
    KeepAliveConnection connection(server.http_port());
    ASSERT_TRUE(connection.connected());

    constexpr int requests = 40;
    std::vector<double> millis;
    for (int i = 0; i < requests; ++i) {
        const auto started = std::chrono::steady_clock::now();
        ASSERT_EQ(connection.get("/healthz"), "HTTP/1.1 200 OK") << "request " << i;
        millis.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
    }
    std::sort(millis.begin(), millis.end());
    const double median = millis[millis.size() / 2];
    RecordProperty("median_ms", std::to_string(median));
    // A delayed ACK costs 40 ms or more; a shared, busy 2-core machine still answers in a few.
    EXPECT_LT(median, 15.0) << "median keep-alive request latency " << median << " ms";
}

} // namespace
} // namespace suflyor::e2e
