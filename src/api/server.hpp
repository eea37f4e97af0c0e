#pragma once
// The HTTP server: civetweb serving the API router under /api/v1/, the event WebSocket at
// /api/v1/events, /healthz, /metrics and the web UI's static files (index.html for SPA routes).
// Every response carries X-Content-Type-Options: nosniff; API responses are JSON with
// Cache-Control: no-store. Request counts and latencies go into Metrics by route pattern.
//
// WebSocket heartbeat: civetweb's own ping/pong. After `heartbeat` without any frame from the
// client the server sends a ping (browsers answer with a pong by themselves); a connection that
// leaves five pings unanswered is closed and leaves the hub.
#include "api/http.hpp"
#include "api/hub.hpp"
#include "api/metrics.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::api {

struct HttpSettings {
    std::string host{"127.0.0.1"};
    std::uint16_t port{8080}; // 0 = any free port
    // civetweb's worker threads. Each open connection holds one while it is open (an event
    // WebSocket for its whole life; an idle one until `request_timeout`, or `keep_alive` after a
    // request), so this must cover the expected WebSockets plus concurrent and idle connections.
    // They start with small stacks (worker_stack_bytes), so thousands are cheap.
    int threads{8};
    std::size_t worker_stack_bytes{256 * 1024};
    std::size_t max_body_bytes{1 << 20};
    std::size_t max_header_bytes{16384};
    // Origins allowed to open the event WebSocket ("https://ops.example.com"). Empty: only an
    // Origin whose host equals the request's Host (same-origin); no Origin (non-browser) is fine.
    std::vector<std::string> allowed_origins;
    std::filesystem::path static_dir; // may not exist: then no static files
    std::chrono::seconds heartbeat{25};
    // A request's head and body must arrive within this (slow senders are cut off).
    std::chrono::seconds request_timeout{10};
    // How long a connection may stay idle between requests.
    std::chrono::seconds keep_alive{5};
    // Open connections one peer address may hold (trusted proxies are exempt); a request on a
    // connection over the limit gets 429 too_many_connections. 0: no limit.
    std::size_t max_connections_per_address{0};
    // Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed: a request
    // from one of them counts as coming from the right-most hop that is not a trusted proxy.
    std::vector<std::string> trusted_proxies;
    // Bearer token /metrics requires; empty: /metrics is open.
    std::string metrics_token;
};

struct WsIdentity {
    std::int64_t account{0};
    std::int64_t user{0};
};

// Resolves a WebSocket's bearer token (query ?access_token=… or Authorization header); called on
// civetweb threads.
using WsAuthenticator = std::function<std::optional<WsIdentity>(const std::string& token)>;

class HttpServer {
public:
    // Starts listening; throws std::runtime_error when civetweb cannot start (port taken, ...).
    // `router`, `hub` and `metrics` must outlive the server.
    HttpServer(HttpSettings settings, const Router& router, EventHub& hub, Metrics& metrics,
               WsAuthenticator authenticate);
    ~HttpServer(); // stops, joins
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    [[nodiscard]] std::uint16_t port() const;

    struct State; // civetweb's callbacks reach it through their user data

private:
    std::unique_ptr<State> state_;
};

} // namespace suflyor::api
