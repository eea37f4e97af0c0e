#pragma once
// Internals of the HTTP server shared by its files (server.cpp: lifecycle and API requests;
// server_files.cpp: files and Range; server_ws.cpp: the event WebSocket). Not a public header.
#include "api/server.hpp"
#include "sip/sip.hpp"

#include <civetweb.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace suflyor::api {

struct HttpServer::State {
    HttpSettings settings;
    const Router& router;
    EventHub& hub;
    Metrics& metrics;
    WsAuthenticator authenticate;
    std::filesystem::path static_root; // canonical static_dir, empty when it does not exist
    // The router's patterns, split once, for the metrics' route label.
    std::vector<std::pair<std::string, std::vector<std::string>>> patterns;
    std::vector<sip::AddressRange> trusted_proxies; // from settings.trusted_proxies
    mg_context* context{nullptr};
    std::uint16_t port{0};

    // Event WebSockets between their connect and close handlers.
    struct Socket {
        WsIdentity identity;
        std::optional<std::uint64_t> since;
        std::optional<EventHub::SubscriberId> subscriber;
    };
    std::mutex sockets_mutex;
    std::map<const mg_connection*, Socket> sockets;

    std::atomic<int> open_connections{0};
    // Open connections by peer address (trusted proxies are not counted).
    std::mutex connections_mutex;
    std::unordered_map<std::string, int> connections_by_address;
    Counter& connections_refused;

    State(HttpSettings s, const Router& r, EventHub& h, Metrics& m, WsAuthenticator a)
        : settings(std::move(s)), router(r), hub(h), metrics(m), authenticate(std::move(a)),
          connections_refused(m.counter("suflyor_http_connections_refused_total",
                                        "Requests refused 429: too many open connections from "
                                        "their address")) {}

    // The route pattern of an API path ("/api/v1/calls/{id}"), or "unmatched".
    [[nodiscard]] std::string route_label(const std::string& method, const std::string& path) const;
    void record(const std::string& method, const std::string& route, int status,
                std::chrono::steady_clock::time_point started);
};

namespace detail {

// The client's address: `peer` itself unless it is one of the `trusted` proxies; then the
// right-most hop of `forwarded_for` (X-Forwarded-For) that is not a trusted proxy.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<sip::AddressRange>& trusted);

// Percent-decoding of a query component ('+' is a space); invalid escapes are kept verbatim.
std::string url_decode(std::string_view text);
// The request's path, percent-decoded here (civetweb is told not to: it decodes in place into a
// C string, so "/calls/1%00/monitor" would reach a handler as "/calls/1"). nullopt when the
// path holds an encoded NUL: the caller answers 400 invalid_path (write_invalid_path).
std::optional<std::string> request_path(const mg_connection* conn);
void write_invalid_path(mg_connection* conn);
// "a=1&b=x%20y" → {a:1, b:"x y"} (the last of a repeated name wins).
std::map<std::string, std::string> parse_query(std::string_view query);

// A single byte range of a file of `size` bytes (RFC 9110 §14).
struct ByteRange {
    enum class Kind { full, partial, unsatisfiable } kind{Kind::full};
    std::uint64_t first{0};
    std::uint64_t last{0}; // inclusive
};
// No header, another unit or several ranges: full. A bytes range that is malformed or beyond
// the end: unsatisfiable (416).
ByteRange parse_range(std::string_view header, std::uint64_t size);

// Writes a response: status line, the common headers and `extra`, then `body`.
void write_response(mg_connection* conn, int status, std::string_view content_type,
                    std::string_view body,
                    const std::vector<std::pair<std::string, std::string>>& extra = {},
                    bool head_only = false);
void write_json(mg_connection* conn, const Response& response, bool head_only = false);
// Sends a file with Range support; returns the status sent.
int send_file(mg_connection* conn, const std::filesystem::path& path, std::string_view mime,
              const std::string& download_name, const Request& request,
              const std::vector<std::pair<std::string, std::string>>& extra = {});
// Serves the SPA's static files; returns the status sent.
int serve_static(HttpServer::State& state, mg_connection* conn);

// Connection limits (server_limits.cpp), as civetweb callbacks: init_connection counts the
// connection, begin_request counts it under its peer address at its first request and answers 429
// too_many_connections when the peer holds more than max_connections_per_address,
// connection_close gives both back. Idle connections that never send a request are bounded by
// request_timeout instead (civetweb cannot refuse a connection before its first request).
int count_connection(const mg_connection* conn, void** conn_data);
void release_connection(const mg_connection* conn);
int limit_connections(mg_connection* conn);

// While alive, new threads get stacks of `bytes` (civetweb starts all its workers in mg_start;
// it has no stack-size option). The process default comes back afterwards.
class WorkerStacks {
public:
    explicit WorkerStacks(std::size_t bytes);
    ~WorkerStacks();
    WorkerStacks(const WorkerStacks&) = delete;
    WorkerStacks& operator=(const WorkerStacks&) = delete;

private:
    std::size_t restore_{0};
};

// WebSocket handlers (registered by server.cpp).
int ws_connect(const mg_connection* conn, void* state);
void ws_ready(mg_connection* conn, void* state);
int ws_data(mg_connection* conn, int bits, char* data, std::size_t length, void* state);
void ws_close(const mg_connection* conn, void* state);

} // namespace detail
} // namespace suflyor::api
