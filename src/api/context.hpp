#pragma once
// What every route file shares: the domain, the loop, tokens, and the helpers that authenticate a
// request and run its work on the control loop.
#include "api/api.hpp"
#include "api/auth.hpp"
#include "api/readers.hpp"

#include <optional>
#include <type_traits>

namespace suflyor::api {

struct Api::State {
    State(LoopRunner loop_runner, ApiDomain d, ApiSettings s, Metrics& m)
        : loop(std::move(loop_runner)), domain(d), settings(std::move(s)), metrics(m),
          tokens(domain.clock, settings.token_ttl),
          logins(domain.clock, settings.max_login_failures, settings.max_login_failures * 10,
                 settings.login_window),
          readers(domain.open_reader, max_readers) {}

    static constexpr std::size_t max_readers = 4; // 2 cores: more would only queue in SQLite

    LoopRunner loop;
    ApiDomain domain;
    ApiSettings settings;
    Metrics& metrics;
    TokenStore tokens;   // control loop only
    LoginLimiter logins; // control loop only
    Readers readers;     // any HTTP thread

    // The bearer token of the request; 401 unauthorized without one.
    static std::string bearer(const Request& request);

    // The token's user, read on the loop; 401 when the token is unknown, expired or revoked.
    center::User user_for(const std::string& token);

    // Authenticates the request, then runs `work(user)` on the control loop and returns its
    // result to the HTTP thread.
    template <class F> auto as_user(const Request& request, F&& work) {
        const auto token = bearer(request);
        using Result = std::invoke_result_t<F, const center::User&>;
        std::optional<Result> result;
        loop([&] { result.emplace(work(user_for(token))); });
        return std::move(*result);
    }

    // A read: authenticates on the loop (the tokens live there), then runs `work(store, user)` on
    // this HTTP thread with a read-only connection, so a long list never delays SIP. Without
    // readers (an in-memory database) the work runs on the loop with the loop's store.
    template <class F> auto read_as_user(const Request& request, F&& work) {
        if (!readers.enabled())
            return as_user(request, [&](const center::User& me) { return work(domain.store, me); });
        const auto token = bearer(request);
        std::optional<center::User> me;
        loop([&] { me.emplace(user_for(token)); });
        const auto reader = readers.lease();
        return work(*reader, *me);
    }

    // Runs `work` on the loop (no user: login, platform routes).
    template <class F> auto on_loop(F&& work) {
        std::optional<std::invoke_result_t<F>> result;
        loop([&] { result.emplace(work()); });
        return std::move(*result);
    }
};

// Route groups (each in its own file).
void add_auth_routes(Router& router, Api::State& state);
void add_team_routes(Router& router, Api::State& state);
void add_project_routes(Router& router, Api::State& state);
void add_call_routes(Router& router, Api::State& state);
void add_card_routes(Router& router, Api::State& state);
void add_monitor_routes(Router& router, Api::State& state);
void add_feature_routes(Router& router, Api::State& state);
void add_meta_routes(Router& router, Api::State& state);
void add_device_routes(Router& router, Api::State& state);
void add_trunk_routes(Router& router, Api::State& state);
void add_employee_routes(Router& router, Api::State& state);

// Refusals shared by the routes.
[[noreturn]] void refuse(int status, const std::string& code, const std::string& message);
void require_supervisor(const center::User& user); // 403 forbidden for operators
// A call the viewer may see: their account's, and for an operator only their own (else 404).
center::Call visible_call(store::Store& store, const center::User& viewer, std::int64_t id);
inline center::Call visible_call(Api::State& state, const center::User& viewer, std::int64_t id) {
    return visible_call(state.domain.store, viewer, id);
}
center::User visible_employee(Api::State& state, const center::User& viewer, std::int64_t id);

} // namespace suflyor::api
