#pragma once
// Bearer tokens and the failed-login limit. Both live on the control loop (no locks).
// A token is 32 random bytes (base64url); only its BLAKE2b hash is kept, so a memory dump or a
// log line never yields a usable token. Tokens expire `ttl` after issue and are revocable.
#include "center/model.hpp"
#include "core/clock.hpp"

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::api {

class TokenStore {
public:
    TokenStore(const core::Clock& clock, std::chrono::hours ttl);

    struct Issued {
        std::string token;
        core::WallTime expires_at;
    };
    Issued issue(center::UserId user);
    // The token's user while it is valid; expired tokens are forgotten here.
    std::optional<center::UserId> resolve(std::string_view token);
    void revoke(std::string_view token);
    void revoke_user(center::UserId user); // e.g. when the password changes
    void sweep();                          // forgets every expired token
    [[nodiscard]] std::size_t size() const { return by_hash_.size(); }

    // The browser softphone's SIP password for the session of a valid token: a MAC of the
    // token's hash under a key drawn when this store was made, so it is never the long-lived SIP
    // password, differs per token and dies with the token (and with a restart). nullopt for a
    // token that is not valid.
    std::optional<std::string> browser_secret(std::string_view token);
    // The browser secrets of every valid session of `user` (what the SIP side accepts from a
    // browser registering as that user).
    [[nodiscard]] std::vector<std::string> browser_secrets(center::UserId user) const;

private:
    struct Entry {
        center::UserId user{0};
        core::WallTime expires_at{};
    };
    static std::string hash(std::string_view token);
    [[nodiscard]] std::string secret_of(const std::string& token_hash) const;
    const core::Clock& clock_;
    std::chrono::hours ttl_;
    std::array<unsigned char, 32> secret_key_{}; // keys the browser secrets; never leaves memory
    std::map<std::string, Entry> by_hash_;
};

// Failed logins per login name and per source address: after `per_login` failures of one login,
// or `per_source` failures from one address (an office behind one NAT address has many users:
// it gets a larger allowance), within `window` the key is refused (429 rate_limited) until its
// window is over. A success clears the login's count. An address over its limit does not refuse a
// login that has no failures in its window: its correct password still signs in.
class LoginLimiter {
public:
    LoginLimiter(const core::Clock& clock, int per_login, int per_source,
                 std::chrono::minutes window)
        : clock_(clock), per_login_(per_login), per_source_(per_source), window_(window) {}
    // Seconds to wait when refused, else nullopt.
    std::optional<std::int64_t> refused(const std::string& login, const std::string& source);
    void failed(const std::string& login, const std::string& source);
    void succeeded(const std::string& login) { counts_.erase("login:" + login); }

private:
    struct Count {
        core::MonoTime started{};
        int failures{0};
    };
    std::optional<std::int64_t> wait_for(const std::string& key, int limit);
    void count(const std::string& key);
    static constexpr std::size_t max_keys = 100'000; // bounded memory under a spray of logins
    const core::Clock& clock_;
    int per_login_;
    int per_source_;
    std::chrono::minutes window_;
    std::map<std::string, Count> counts_;
};

} // namespace suflyor::api
