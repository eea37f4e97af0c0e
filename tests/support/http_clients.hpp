#pragma once
// Real clients for the HTTP server tests: libcurl for HTTP, a raw socket for hand-made requests,
// and a minimal RFC 6455 WebSocket client (handshake, masked client frames, frame parsing).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::test {

struct HttpReply {
    long status{0};
    std::map<std::string, std::string> headers; // lower-case names, of the final response
    std::string body;
    [[nodiscard]] std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpCall {
    std::string method{"GET"};
    std::string url;
    std::string body;
    std::vector<std::string> headers; // "Name: value"
    bool path_as_is{false};           // send ../ segments unnormalized
    bool chunked{false};              // send the body with Transfer-Encoding: chunked
};

HttpReply http(const HttpCall& call);
inline HttpReply http_get(const std::string& url, std::vector<std::string> headers = {}) {
    return http({"GET", url, {}, std::move(headers)});
}

// Sends `request` as is on a new connection and returns everything read until the server
// closes it (or `timeout` passes).
// With `half_close` the client shuts its sending side after the request (a body cut short).
std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5),
                         bool half_close = false);

class WsClient {
public:
    struct Frame {
        int opcode{0};
        std::string payload;
    };

    // Opens a TCP connection and sends the upgrade request with `headers` ("Name: value").
    // handshake_status() is 101 on success; otherwise the refusal's status and body are kept.
    WsClient(std::uint16_t port, const std::string& target, std::vector<std::string> headers = {});
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    [[nodiscard]] int handshake_status() const { return status_; }
    [[nodiscard]] const std::string& refusal_body() const { return refusal_body_; }

    // The next frame, or nullopt when none arrives before `timeout` or the connection closed.
    // Pings are answered with a pong and returned only when `return_pings` is set.
    std::optional<Frame> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                    bool return_pings = false);
    void send_frame(int opcode, const std::string& payload);

private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    int fd_{-1};
    int status_{0};
    std::string refusal_body_;
    std::string buffer_;
};

} // namespace suflyor::test
