// Flood limits of the HTTP server: open connections per client address (civetweb's connection
// callbacks count them; a request over the limit is answered 429 and its connection closed) and
// the small stacks of civetweb's many worker threads.
#include "api/server_internal.hpp"

#include <pthread.h>
#include <stdexcept>

namespace suflyor::api::detail {

namespace {

using HttpState = HttpServer::State;

HttpState& state_of(const mg_connection* conn) {
    return *static_cast<HttpState*>(mg_get_user_data(mg_get_context(conn)));
}

// What a connection was counted under (its user connection data, from init to close).
struct Counted {
    bool seen{false};       // its first request came
    bool by_address{false}; // counted under `address` (not a trusted proxy's)
    std::string address;
};

} // namespace

int count_connection(const mg_connection* conn, void** conn_data) {
    // civetweb has no request info yet (no peer address): the address is counted at the first
    // request, in limit_connections.
    ++state_of(conn).open_connections;
    *conn_data = new Counted;
    return 0;
}

void release_connection(const mg_connection* conn) {
    auto* counted = static_cast<Counted*>(mg_get_user_connection_data(conn));
    if (counted == nullptr) return;
    mg_set_user_connection_data(conn, nullptr);
    auto& state = state_of(conn);
    --state.open_connections;
    if (counted->by_address) {
        const std::lock_guard lock(state.connections_mutex);
        const auto it = state.connections_by_address.find(counted->address);
        if (it != state.connections_by_address.end() && --it->second <= 0)
            state.connections_by_address.erase(it);
    }
    delete counted;
}

int limit_connections(mg_connection* conn) {
    auto& state = state_of(conn);
    auto* counted = static_cast<Counted*>(mg_get_user_connection_data(conn));
    if (counted == nullptr) return 0;
    if (!counted->seen) { // the connection's first request
        counted->seen = true;
        const std::string address = mg_get_request_info(conn)->remote_addr;
        // Behind a trusted proxy every client shares its address: the proxy limits them.
        for (const auto& range : state.trusted_proxies)
            if (range.contains(address)) return 0;
        counted->address = address;
        counted->by_address = true;
        const std::lock_guard lock(state.connections_mutex);
        ++state.connections_by_address[address];
    }
    if (!counted->by_address) return 0;
    int open = 0;
    {
        const std::lock_guard lock(state.connections_mutex);
        open = state.connections_by_address[counted->address];
    }
    const auto limit = state.settings.max_connections_per_address;
    if (limit == 0 || open <= static_cast<int>(limit)) return 0; // civetweb handles the request
    state.connections_refused.inc();
    mg_disable_connection_keep_alive(conn);
    Response response = error_response(
        ApiError(429, "too_many_connections",
                 "more than " + std::to_string(limit) + " open connections from this address"));
    response.headers.emplace_back("Retry-After", "5");
    write_json(conn, response);
    return 429; // answered here
}

WorkerStacks::WorkerStacks(std::size_t bytes) {
    pthread_attr_t attr;
    if (pthread_getattr_default_np(&attr) != 0) return;
    std::size_t current = 0;
    if (pthread_attr_getstacksize(&attr, &current) == 0 && current > bytes &&
        pthread_attr_setstacksize(&attr, bytes) == 0 && pthread_setattr_default_np(&attr) == 0) {
        restore_ = current;
    }
    pthread_attr_destroy(&attr);
}

WorkerStacks::~WorkerStacks() {
    if (restore_ == 0) return;
    pthread_attr_t attr;
    if (pthread_getattr_default_np(&attr) != 0) return;
    pthread_attr_setstacksize(&attr, restore_);
    pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
}

} // namespace suflyor::api::detail
