#include "api/route_match.hpp"
#include "api/server_internal.hpp"
#include "api/text.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace suflyor::api {

namespace detail {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string url_decode(std::string_view text) { return percent_decode(text, true); }

std::optional<std::string> request_path(const mg_connection* conn) {
    const char* raw = mg_get_request_info(conn)->local_uri;
    std::string path = percent_decode(raw != nullptr ? raw : "", false);
    if (path.find('\0') != std::string::npos) return std::nullopt;
    return path;
}

void write_invalid_path(mg_connection* conn) {
    mg_disable_connection_keep_alive(conn);
    write_json(conn, error_response(ApiError(400, "invalid_path", "the path holds a NUL byte")));
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (!pair.empty()) {
            const auto equals = pair.find('=');
            std::string name = url_decode(pair.substr(0, equals));
            std::string value = equals == std::string_view::npos
                                    ? std::string()
                                    : url_decode(pair.substr(equals + 1));
            if (!name.empty()) out[std::move(name)] = std::move(value);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

void write_response(mg_connection* conn, int status, std::string_view content_type,
                    std::string_view body,
                    const std::vector<std::pair<std::string, std::string>>& extra, bool head_only) {
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "X-Content-Type-Options", "nosniff", -1);
    if (!content_type.empty()) {
        mg_response_header_add(conn, "Content-Type", content_type.data(),
                               static_cast<int>(content_type.size()));
    }
    const bool has_body = status != 204 && status != 304;
    if (has_body) {
        mg_response_header_add(conn, "Content-Length", std::to_string(body.size()).c_str(), -1);
    }
    for (const auto& [name, value] : extra) {
        mg_response_header_add(conn, name.c_str(), value.c_str(), static_cast<int>(value.size()));
    }
    mg_response_header_send(conn);
    if (has_body && !head_only && !body.empty()) mg_write(conn, body.data(), body.size());
}

void write_json(mg_connection* conn, const Response& response, bool head_only) {
    std::vector<std::pair<std::string, std::string>> headers = response.headers;
    headers.emplace_back("Cache-Control", "no-store");
    if (response.json.is_null()) {
        write_response(conn, response.status, {}, {}, headers, head_only);
        return;
    }
    const std::string body =
        response.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    write_response(conn, response.status, "application/json; charset=utf-8", body, headers,
                   head_only);
}

} // namespace detail

namespace {

using Clock = std::chrono::steady_clock;
using HttpState = HttpServer::State;

void write_error(mg_connection* conn, const ApiError& error) {
    detail::write_json(conn, error_response(error));
}

std::string method_label(const char* method) {
    static constexpr std::string_view known[] = {"GET",  "POST",    "PUT",   "PATCH",
                                                 "HEAD", "OPTIONS", "DELETE"};
    for (const auto name : known) {
        if (name == method) return std::string(name);
    }
    return "other"; // bounded label cardinality whatever clients send
}

enum class BodyStatus { complete, too_large, incomplete };

// Reads the request body up to the limit. too_large: nothing more is read, and the connection
// is closed after the reply so the unread rest is never parsed as a request. incomplete: the
// client stopped (or timed out) before its Content-Length; a truncated body is never dispatched.
BodyStatus read_body(mg_connection* conn, std::size_t limit, std::string& body) {
    const mg_request_info* info = mg_get_request_info(conn);
    if (info->content_length > static_cast<long long>(limit)) return BodyStatus::too_large;
    if (info->content_length > 0) body.reserve(static_cast<std::size_t>(info->content_length));
    // Read straight into the string (one byte past the limit shows an oversized body).
    constexpr std::size_t chunk = 16384;
    while (true) {
        const std::size_t used = body.size();
        body.resize(used + chunk);
        const int n = mg_read(conn, body.data() + used, chunk);
        body.resize(used + static_cast<std::size_t>(std::max(n, 0)));
        if (n < 0) return BodyStatus::incomplete;
        if (n == 0) break;
        if (body.size() > limit) return BodyStatus::too_large;
    }
    if (info->content_length >= 0 &&
        body.size() != static_cast<std::size_t>(info->content_length)) {
        return BodyStatus::incomplete;
    }
    return BodyStatus::complete;
}

Request build_request(const HttpState& state, mg_connection* conn, std::string path) {
    const mg_request_info* info = mg_get_request_info(conn);
    Request request;
    request.method = info->request_method ? info->request_method : "";
    request.path = std::move(path);
    if (info->query_string != nullptr) request.query = detail::parse_query(info->query_string);
    for (int i = 0; i < info->num_headers; ++i) {
        const std::string name =
            text::lower(info->http_headers[i].name ? info->http_headers[i].name : "");
        const std::string value = info->http_headers[i].value ? info->http_headers[i].value : "";
        auto [it, fresh] = request.headers.try_emplace(name, value);
        if (!fresh) it->second += ", " + value; // repeated header: one comma-separated value
    }
    request.remote_ip = detail::client_address(info->remote_addr, request.header("x-forwarded-for"),
                                               state.trusted_proxies);
    return request;
}

int handle_api(mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    const auto started = Clock::now();
    const mg_request_info* info = mg_get_request_info(conn);
    const std::string method = info->request_method ? info->request_method : "";
    const auto decoded = detail::request_path(conn);
    if (!decoded) {
        detail::write_invalid_path(conn); // the body is not read: the connection closes
        state.record(method, "unmatched", 400, started);
        return 400;
    }
    const std::string& path = *decoded;
    const std::string route = state.route_label(method, path);
    int status = 500;
    try {
        std::string body;
        const BodyStatus body_status = read_body(conn, state.settings.max_body_bytes, body);
        if (body_status == BodyStatus::too_large) {
            mg_disable_connection_keep_alive(conn);
            status = 413;
            write_error(conn,
                        ApiError(413, "payload_too_large",
                                 "the body is larger than " +
                                     std::to_string(state.settings.max_body_bytes) + " bytes"));
        } else if (body_status == BodyStatus::incomplete) {
            mg_disable_connection_keep_alive(conn);
            status = 400;
            write_error(conn, ApiError(400, "invalid_body", "the body ended early"));
        } else if (path == "/api/v1/events") {
            status = 426;
            write_error(
                conn, ApiError(426, "upgrade_required", "/api/v1/events is a WebSocket endpoint"));
        } else {
            Request request = build_request(state, conn, path);
            request.body = std::move(body);
            Response response = state.router.dispatch(request);
            status = response.status;
            if (response.file) {
                status = detail::send_file(conn, response.file->path, response.file->mime,
                                           response.file->download_name, request,
                                           {{"Cache-Control", "no-store"}});
            } else {
                detail::write_json(conn, response, method == "HEAD");
            }
        }
    } catch (const std::exception& error) {
        // Only a failure outside the router (allocation, writing) lands here; headers may be
        // partly sent, so the connection is closed rather than answered twice.
        spdlog::error("[api] {} {}: {}", method, path, error.what());
        mg_disable_connection_keep_alive(conn);
        status = 500;
    }
    state.record(method, route, status, started);
    return status;
}

// civetweb also hands "/healthz/..." to the "/healthz" handler: only the exact path is ours.
bool exact_path(mg_connection* conn, const char* path) {
    const auto decoded = detail::request_path(conn);
    return decoded && *decoded == path;
}

int handle_healthz(mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    const auto started = Clock::now();
    const std::string method = mg_get_request_info(conn)->request_method;
    int status = 200;
    if (!detail::request_path(conn)) {
        status = 400;
        detail::write_invalid_path(conn);
    } else if (!exact_path(conn, "/healthz")) {
        status = 404;
        write_error(conn, ApiError(404, "not_found", "no such resource"));
    } else if (method == "GET" || method == "HEAD") {
        detail::write_json(conn, Response::ok({{"status", "ok"}}), method == "HEAD");
    } else {
        status = 405;
        Response response =
            error_response(ApiError(405, "method_not_allowed", method + " is not allowed"));
        response.headers.emplace_back("Allow", "GET, HEAD");
        detail::write_json(conn, response);
    }
    state.record(method, "/healthz", status, started);
    return status;
}

// Authorization: Bearer <expected>, compared in constant time.
bool bearer_matches(mg_connection* conn, const std::string& expected) {
    const char* header = mg_get_header(conn, "Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (header == nullptr) return false;
    const std::string_view value(header);
    if (value.size() != scheme.size() + expected.size() ||
        !text::iequals(value.substr(0, scheme.size()), scheme)) {
        return false;
    }
    return sodium_memcmp(value.data() + scheme.size(), expected.data(), expected.size()) == 0;
}

int handle_metrics(mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    const auto started = Clock::now();
    const std::string method = mg_get_request_info(conn)->request_method;
    int status = 200;
    if (!exact_path(conn, "/metrics")) {
        status = detail::request_path(conn) ? 404 : 400;
        if (status == 400)
            detail::write_invalid_path(conn);
        else
            write_error(conn, ApiError(404, "not_found", "no such resource"));
        state.record(method, "unmatched", status, started);
        return status;
    }
    if (!state.settings.metrics_token.empty() &&
        !bearer_matches(conn, state.settings.metrics_token)) {
        status = 401;
        Response response = error_response(
            ApiError(401, "unauthorized", "/metrics needs Authorization: Bearer <metrics_token>"));
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
        detail::write_json(conn, response, method == "HEAD");
        state.record(method, "/metrics", status, started);
        return status;
    }
    if (method == "GET" || method == "HEAD") {
        // Recorded before rendering so a scrape counts itself: the counter is visible at once.
        state.record(method, "/metrics", status, started);
        detail::write_response(conn, 200, "text/plain; version=0.0.4; charset=utf-8",
                               state.metrics.render(), {{"Cache-Control", "no-store"}},
                               method == "HEAD");
        return status;
    }
    status = 405;
    Response response =
        error_response(ApiError(405, "method_not_allowed", method + " is not allowed"));
    response.headers.emplace_back("Allow", "GET, HEAD");
    detail::write_json(conn, response);
    state.record(method, "/metrics", status, started);
    return status;
}

int handle_static(mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    const auto started = Clock::now();
    const std::string method = mg_get_request_info(conn)->request_method;
    int status = 500;
    try {
        status = detail::serve_static(state, conn);
    } catch (const std::exception& error) {
        spdlog::error("[api] static file: {}", error.what());
        mg_disable_connection_keep_alive(conn);
    }
    state.record(method, "static", status, started);
    return status;
}

int log_message(const mg_connection*, const char* message) {
    spdlog::warn("[http] {}", message);
    return 1; // logged here; civetweb writes nothing itself
}

} // namespace

std::string HttpServer::State::route_label(const std::string& method,
                                           const std::string& path) const {
    const auto segments = detail::split_path(path);
    const std::string* best = nullptr;
    std::uint64_t best_specificity = 0;
    (void)method; // the route label is the path pattern; the method is its own label
    for (const auto& [pattern, pattern_segments] : patterns) {
        const auto specificity = detail::match(pattern_segments, segments, nullptr);
        if (specificity && (best == nullptr || *specificity > best_specificity)) {
            best = &pattern;
            best_specificity = *specificity;
        }
    }
    return best != nullptr ? *best : "unmatched";
}

void HttpServer::State::record(const std::string& method, const std::string& route, int status,
                               std::chrono::steady_clock::time_point started) {
    const std::string verb = method_label(method.c_str());
    metrics
        .counter("suflyor_http_requests_total", "HTTP requests by method, route and status",
                 {{"method", verb}, {"route", route}, {"status", std::to_string(status)}})
        .inc();
    const std::chrono::duration<double> elapsed = Clock::now() - started;
    metrics
        .histogram("suflyor_http_request_duration_seconds", "HTTP request latency in seconds",
                   Metrics::default_latency_buckets(), {{"method", verb}, {"route", route}})
        .observe(elapsed.count());
}

HttpServer::HttpServer(HttpSettings settings, const Router& router, EventHub& hub, Metrics& metrics,
                       WsAuthenticator authenticate)
    : state_(std::make_unique<State>(std::move(settings), router, hub, metrics,
                                     std::move(authenticate))) {
    State& state = *state_;
    for (const auto& route : router.routes()) {
        const bool known = std::any_of(state.patterns.begin(), state.patterns.end(),
                                       [&](const auto& p) { return p.first == route.pattern; });
        if (!known) state.patterns.emplace_back(route.pattern, detail::split_path(route.pattern));
    }
    for (const auto& text : state.settings.trusted_proxies) {
        auto range = sip::AddressRange::parse(text);
        if (!range) throw std::runtime_error("trusted proxy \"" + text + "\" is not an address");
        state.trusted_proxies.push_back(*range);
    }
    std::error_code ec;
    if (!state.settings.static_dir.empty() &&
        std::filesystem::is_directory(state.settings.static_dir, ec)) {
        state.static_root = std::filesystem::canonical(state.settings.static_dir, ec);
        if (ec) state.static_root.clear();
    }

    const std::string ports = state.settings.host + ":" + std::to_string(state.settings.port);
    const std::string threads = std::to_string(std::max(1, state.settings.threads));
    const std::string request_timeout =
        std::to_string(std::chrono::milliseconds(state.settings.request_timeout).count());
    const std::string keep_alive =
        std::to_string(std::chrono::milliseconds(state.settings.keep_alive).count());
    const std::string heartbeat =
        std::to_string(std::chrono::milliseconds(state.settings.heartbeat).count());
    const std::string max_request = std::to_string(state.settings.max_header_bytes);
    const char* options[] = {"listening_ports", ports.c_str(), "num_threads", threads.c_str(),
                             "request_timeout_ms", request_timeout.c_str(), "keep_alive_timeout_ms",
                             keep_alive.c_str(), "websocket_timeout_ms", heartbeat.c_str(),
                             "enable_websocket_ping_pong", "yes", "max_request_size",
                             max_request.c_str(), "enable_keep_alive", "yes",
                             // A response goes out in several writes (headers, body): with
                             // Nagle on, the last one waits for the client's delayed ACK, and
                             // every request on a kept-alive connection took ≈40 ms more.
                             "tcp_nodelay", "1", "enable_directory_listing", "no",
                             "decode_url", // request_path() decodes, refusing an encoded NUL
                             "no", nullptr};
    mg_callbacks callbacks{};
    callbacks.log_message = &log_message;
    callbacks.init_connection = &detail::count_connection;
    callbacks.connection_close = &detail::release_connection;
    callbacks.begin_request = &detail::limit_connections;
    mg_init_library(0);
    {
        const detail::WorkerStacks small_stacks(state.settings.worker_stack_bytes);
        state.context = mg_start(&callbacks, &state, options);
    }
    if (state.context == nullptr) {
        mg_exit_library();
        throw std::runtime_error("cannot start the HTTP server on " + ports);
    }
    mg_server_port listening[4]{};
    const int count = mg_get_server_ports(state.context, 4, listening);
    if (count > 0) state.port = static_cast<std::uint16_t>(listening[0].port);

    mg_set_request_handler(state.context, "/api/v1", &handle_api, &state);
    mg_set_request_handler(state.context, "/healthz", &handle_healthz, &state);
    mg_set_request_handler(state.context, "/metrics", &handle_metrics, &state);
    mg_set_request_handler(state.context, "**", &handle_static, &state);
    mg_set_websocket_handler(state.context, "/api/v1/events", &detail::ws_connect,
                             &detail::ws_ready, &detail::ws_data, &detail::ws_close, &state);
    metrics.callback_gauge("suflyor_ws_connections", "Open event WebSocket connections", {},
                           [&hub] { return static_cast<double>(hub.connections()); });
    metrics.callback_gauge("suflyor_http_connections",
                           "Open HTTP connections (WebSockets included)", {},
                           [&state] { return static_cast<double>(state.open_connections.load()); });
    spdlog::info("[api] HTTP listening on {}:{}", state.settings.host, state.port);
}

HttpServer::~HttpServer() {
    mg_stop(state_->context); // closes WebSockets (their close handlers leave the hub), joins
    mg_exit_library();
    state_->metrics.remove("suflyor_ws_connections");
    state_->metrics.remove("suflyor_http_connections");
}

std::uint16_t HttpServer::port() const { return state_->port; }

} // namespace suflyor::api
