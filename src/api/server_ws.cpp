// The event WebSocket (/api/v1/events): Origin and token checks before the upgrade, then the
// connection is a hub subscriber until civetweb closes it.
#include "api/server_internal.hpp"
#include "api/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace suflyor::api::detail {

namespace {

using HttpState = HttpServer::State;

// "https://Example.com:8443/" → "example.com:8443"
std::string origin_authority(std::string_view origin) {
    const auto scheme = origin.find("://");
    if (scheme == std::string_view::npos) return {};
    origin.remove_prefix(scheme + 3);
    return text::lower(origin.substr(0, origin.find('/')));
}

bool origin_allowed(const HttpSettings& settings, const char* origin, const char* host) {
    if (origin == nullptr) return true; // not a browser: the token is the whole check
    std::string wanted = text::lower(origin);
    while (!wanted.empty() && wanted.back() == '/')
        wanted.pop_back();
    if (!settings.allowed_origins.empty()) {
        return std::any_of(settings.allowed_origins.begin(), settings.allowed_origins.end(),
                           [&](const std::string& allowed) {
                               std::string entry = text::lower(allowed);
                               while (!entry.empty() && entry.back() == '/')
                                   entry.pop_back();
                               return entry == wanted;
                           });
    }
    const std::string authority = origin_authority(wanted);
    return host != nullptr && !authority.empty() && authority == text::lower(host);
}

// A refusal before the upgrade. civetweb hands the connect handler a const connection whose
// protocol is already marked WebSocket (so its response-header API refuses it), but nothing has
// been sent yet: a plain HTTP response written as bytes is what the client reads.
int refuse(HttpState& state, const mg_connection* conn, const ApiError& error,
           std::chrono::steady_clock::time_point started,
           const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    const std::string body = error_response(error).json.dump();
    std::string head = "HTTP/1.1 " + std::to_string(error.status()) + " " +
                       mg_get_response_code_text(conn, error.status()) +
                       "\r\nContent-Type: application/json; charset=utf-8"
                       "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store"
                       "\r\nConnection: close\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n";
    for (const auto& [name, value] : extra)
        head += name + ": " + value + "\r\n";
    head += "\r\n" + body;
    mg_write(const_cast<mg_connection*>(conn), head.data(), head.size());
    state.record("GET", "/api/v1/events", error.status(), started);
    return 1; // civetweb closes the connection without upgrading
}

class CivetSink final : public EventSink {
public:
    explicit CivetSink(mg_connection* conn) : conn_(conn) {}
    // mg_websocket_write takes civetweb's connection lock, so these frames never interleave
    // with the pings and pongs civetweb writes from the connection's own thread.
    bool send_text(std::string_view frame) override {
        return mg_websocket_write(conn_, MG_WEBSOCKET_OPCODE_TEXT, frame.data(), frame.size()) > 0;
    }
    void send_close() override {
        static constexpr char try_again_later[] = {0x03, static_cast<char>(0xF5)}; // 1013
        mg_websocket_write(conn_, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, try_again_later,
                           sizeof try_again_later);
    }

private:
    mg_connection* conn_;
};

} // namespace

int ws_connect(const mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    const auto started = std::chrono::steady_clock::now();
    if (!origin_allowed(state.settings, mg_get_header(conn, "Origin"),
                        mg_get_header(conn, "Host"))) {
        return refuse(state, conn, ApiError(403, "forbidden", "origin not allowed"), started);
    }
    const mg_request_info* info = mg_get_request_info(conn);
    const auto query = parse_query(info->query_string != nullptr ? info->query_string : "");
    std::string token;
    if (const auto it = query.find("access_token"); it != query.end()) {
        token = it->second;
    } else if (const char* authorization = mg_get_header(conn, "Authorization")) {
        const std::string_view value(authorization);
        if (value.size() > 7 && text::lower(value.substr(0, 7)) == "bearer ") {
            token = std::string(value.substr(7));
        }
    }
    std::optional<std::uint64_t> since;
    if (const auto it = query.find("since"); it != query.end()) {
        std::uint64_t value = 0;
        const auto& text = it->second;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
            return refuse(state, conn,
                          ApiError(400, "invalid_argument", "since must be a sequence number",
                                   {{"field", "since"}}),
                          started);
        }
        since = value;
    }
    std::optional<WsIdentity> identity;
    if (!token.empty()) {
        try {
            identity = state.authenticate(token);
        } catch (const std::exception& error) {
            spdlog::error("[api] WebSocket authentication failed: {}", error.what());
        }
    }
    if (!identity) {
        return refuse(state, conn,
                      ApiError(401, "unauthorized", "a valid bearer token is required"), started,
                      {{"WWW-Authenticate", "Bearer"}});
    }
    {
        const std::lock_guard lock(state.sockets_mutex);
        state.sockets.insert_or_assign(conn, HttpState::Socket{*identity, since, std::nullopt});
    }
    state.record("GET", "/api/v1/events", 101, started);
    return 0;
}

void ws_ready(mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    std::optional<WsIdentity> identity;
    std::optional<std::uint64_t> since;
    {
        const std::lock_guard lock(state.sockets_mutex);
        const auto it = state.sockets.find(conn);
        if (it == state.sockets.end()) return;
        identity = it->second.identity;
        since = it->second.since;
    }
    const auto id =
        state.hub.subscribe(identity->account, std::make_shared<CivetSink>(conn), since);
    const std::lock_guard lock(state.sockets_mutex);
    state.sockets[conn].subscriber = id;
}

int ws_data(mg_connection* conn, int bits, char* data, std::size_t length, void*) {
    if ((bits & 0x0F) == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE) {
        // Echo the status code, as RFC 6455 §5.5.1 asks, then let civetweb close.
        mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, data,
                           std::min<std::size_t>(length, 2));
        return 0;
    }
    return 1; // the stream is server → client; anything the client sends is ignored
}

void ws_close(const mg_connection* conn, void* user) {
    auto& state = *static_cast<HttpState*>(user);
    std::optional<EventHub::SubscriberId> subscriber;
    {
        const std::lock_guard lock(state.sockets_mutex);
        const auto it = state.sockets.find(conn);
        if (it == state.sockets.end()) return;
        subscriber = it->second.subscriber;
        state.sockets.erase(it);
    }
    if (subscriber) state.hub.unsubscribe(*subscriber); // waits for a write in progress
}

} // namespace suflyor::api::detail
