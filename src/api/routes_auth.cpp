// Sign-in and the signed-in user: login (argon2id checked on the HTTP thread, never on the
// control loop), logout (revokes the token), me.
#include "api/context.hpp"
#include "api/dto.hpp"
#include "center/validation.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::api {
namespace {

// Verified when the login is unknown, so a miss costs as much time as a wrong password.
const std::string& decoy_hash(const center::PasswordHasher& hasher) {
    static const std::string hash = hasher.hash("decoy password never used");
    return hash;
}

Response login(Api::State& s, const Request& request) {
    const auto body = JsonBody::parse(request, {"login", "password"});
    auto name = body.string("login", 64);
    try {
        name = center::validate::login(name); // the stored form (lower case)
    } catch (const core::Error&) {
        // not a valid login: it matches nobody, and fails like a wrong password
    }
    const auto password = body.string("password", 1024);

    struct Lookup {
        std::optional<std::int64_t> wait;
        std::optional<center::User> user;
    };
    const auto found = s.on_loop([&] {
        Lookup l{s.logins.refused(name, request.remote_ip), std::nullopt};
        if (!l.wait) l.user = s.domain.store.users().find_by_login(name);
        return l;
    });
    if (found.wait)
        throw ApiError(429, "rate_limited", "too many failed sign-ins; try again later",
                       {{"retry_after_seconds", *found.wait}});
    // An unknown login still costs one hash check, so timing does not tell it apart.
    const bool ok =
        found.user
            ? s.domain.hasher.verify(found.user->password_hash, password)
            : (static_cast<void>(s.domain.hasher.verify(decoy_hash(s.domain.hasher), password)),
               false);
    return s.on_loop([&] {
        if (!ok) {
            s.logins.failed(name, request.remote_ip);
            spdlog::warn("api: failed sign-in for '{}' from {}", name, request.remote_ip);
            throw ApiError(401, "invalid_credentials", "wrong login or password");
        }
        s.logins.succeeded(name);
        const auto user = s.domain.store.users().find(found.user->id);
        if (!user) throw ApiError(401, "invalid_credentials", "wrong login or password");
        // Told only to someone who knows the password: the employee is kept, not deleted.
        if (!user->active)
            throw ApiError(403, "deactivated",
                           "this employee was deactivated; ask an administrator");
        const auto account = s.domain.store.accounts().find(user->account_id);
        const auto issued = s.tokens.issue(user->id);
        return Response::ok(
            {{"token", issued.token},
             {"expires_at", time_json(issued.expires_at)},
             {"user", me_json(*user, *account,
                              s.domain.features.connected(user->account_id,
                                                          center::Feature::whisper_listen))}});
    });
}

} // namespace

void add_auth_routes(Router& router, Api::State& s) {
    router.add(
        "POST", "/api/v1/auth/login", [&s](const Request& r) { return login(s, r); }, Access::open);
    router.add("POST", "/api/v1/auth/logout", [&s](const Request& r) {
        const auto token = Api::State::bearer(r);
        return s.on_loop([&] {
            s.user_for(token); // 401 for a token that is not valid anyway
            s.tokens.revoke(token);
            return Response::no_content();
        });
    });
    router.add("GET", "/api/v1/me", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            const auto account = s.domain.store.accounts().find(me.account_id);
            return Response::ok(me_json(
                me, *account,
                s.domain.features.connected(me.account_id, center::Feature::whisper_listen)));
        });
    });
}

} // namespace suflyor::api
