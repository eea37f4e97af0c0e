#pragma once
// A loopback flood for the HTTP server's capacity tests and bench/http_flood_bench: many open
// event WebSockets (answering pings), idle connections that never send a byte and slowloris
// connections that drip a header byte at a time (both reopened whenever the server closes them),
// spread over several 127.0.0.x source addresses, all driven by one epoll thread. Plus timed
// single requests to measure what a user sees meanwhile. Loopback only; bounded by its plan.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace suflyor::test {

struct FloodPlan {
    std::uint16_t port{0};
    std::string token; // bearer token for the WebSockets (?access_token=)
    int websockets{0};
    int idle{0};
    int slow{0};
    std::chrono::milliseconds drip{1000}; // a slowloris connection's pace
    int source_addresses{1};              // connections come from 127.0.0.2 .. 127.0.0.(1+n)
    int max_pending{64};                  // connects and handshakes in flight at once
};

struct FloodCounts {
    int websockets_open{0};
    int websockets_refused{0}; // handshake not 101
    int websockets_closed{0};  // closed by the server after opening
    int idle_open{0};
    int slow_open{0};
    int reopened{0}; // idle or slow connections the server closed (and the flood reopened)
};

class HttpFlood {
public:
    explicit HttpFlood(FloodPlan plan);
    ~HttpFlood(); // closes every connection
    HttpFlood(const HttpFlood&) = delete;
    HttpFlood& operator=(const HttpFlood&) = delete;

    // Waits until every WebSocket answered its handshake and every idle and slow connection is
    // connected; false when `timeout` passes first.
    bool wait_established(std::chrono::milliseconds timeout);
    [[nodiscard]] FloodCounts counts() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// One request on a new connection from 127.0.0.<source> (`raw` is the whole request; it should say
// Connection: close): the status (0 when no complete answer came before `timeout`) and the time
// from connect to the last byte.
struct TimedReply {
    int status{0};
    std::chrono::microseconds latency{0};
    std::string body;
};
TimedReply timed_request(std::uint16_t port, const std::string& raw,
                         std::chrono::milliseconds timeout, std::uint8_t source = 1);

// "POST <path>" with a JSON body and an optional bearer token, as a raw request.
std::string raw_json_request(const std::string& method, const std::string& path,
                             const std::string& body, const std::string& token = "");

struct LatencySummary {
    std::size_t count{0};
    std::size_t failed{0}; // no answer, or not the expected status
    std::chrono::microseconds p50{0};
    std::chrono::microseconds p99{0};
    std::chrono::microseconds max{0};
};
LatencySummary summarize(std::vector<std::chrono::microseconds> samples, std::size_t failed);

// What a user sees meanwhile: GET /healthz (200), sign-in of `login`/`password` (200) and a
// monitor request for a call that does not exist with `token` (404: the token is checked and the
// control loop answers), one after the other on fresh connections, then `pause`, for `duration`.
struct ProbeResults {
    LatencySummary healthz;
    LatencySummary login;
    LatencySummary monitor;
    std::string first_failure; // "" when every probe got its status
};
ProbeResults probe_for(std::uint16_t port, const std::string& login, const std::string& password,
                       const std::string& token, std::chrono::milliseconds duration,
                       std::chrono::milliseconds pause, std::chrono::milliseconds timeout);
std::string describe(const char* what, const LatencySummary& summary);

} // namespace suflyor::test
