#pragma once
// Internals of the HTTP server shared by its files (server.cpp: lifecycle and API requests;
// server_files.cpp: files and Range; server_ws.cpp: the event WebSocket). Not a public header.
#include "api/server.hpp"

#include <civetweb.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
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

    State(HttpSettings s, const Router& r, EventHub& h, Metrics& m, WsAuthenticator a)
        : settings(std::move(s)), router(r), hub(h), metrics(m), authenticate(std::move(a)) {}

    // The route pattern of an API path ("/api/v1/calls/{id}"), or "unmatched".
    [[nodiscard]] std::string route_label(const std::string& method, const std::string& path) const;
    void record(const std::string& method, const std::string& route, int status,
                std::chrono::steady_clock::time_point started);
};

namespace detail {

// Percent-decoding of a query component ('+' is a space); invalid escapes are kept verbatim.
std::string url_decode(std::string_view text);
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

// WebSocket handlers (registered by server.cpp).
int ws_connect(const mg_connection* conn, void* state);
void ws_ready(mg_connection* conn, void* state);
int ws_data(mg_connection* conn, int bits, char* data, std::size_t length, void* state);
void ws_close(const mg_connection* conn, void* state);

} // namespace detail
} // namespace suflyor::api
