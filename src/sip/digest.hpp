#pragma once
// SIP digest authentication, server side (RFC 3261 §22, RFC 2617 with qop=auth, MD5).
// Nonces are stateless: "<issue time>.<HMAC of time and realm>" — any forged or altered nonce is
// refused; a genuine one older than the TTL is answered with stale=true so the phone retries
// without asking its user. (Replay of a (nonce, nc) pair within the TTL is not tracked.)
#include "core/clock.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sip {

using Ha1 = std::array<std::uint8_t, 16>;

// "0123...ef" (32 hex digits) → bytes; nullopt for anything else.
std::optional<Ha1> ha1_from_hex(std::string_view hex);

enum class AuthOutcome {
    ok,
    missing,     // no credentials: challenge
    malformed,   // unparsable Authorization header
    wrong_realm, // credentials for another realm
    unknown_user,
    bad_response, // wrong password (or wrong method/URI)
    stale_nonce,  // genuine but expired nonce: challenge with stale=true
    forged_nonce, // a nonce we never issued
};

std::string_view to_string(AuthOutcome outcome);

struct AuthResult {
    AuthOutcome outcome;
    std::string user; // the username the client claimed, when it claimed one
};

class DigestAuthenticator {
public:
    DigestAuthenticator(const core::Clock& clock, std::chrono::seconds nonce_ttl);

    // The value of a WWW-Authenticate / Proxy-Authenticate header.
    [[nodiscard]] std::string challenge(std::string_view realm, bool stale) const;

    // Checks an Authorization header value for `method` in `realm`; `ha1_of(user)` looks the
    // user's HA1 up (nullopt: no such user).
    AuthResult verify(std::string_view authorization, std::string_view method,
                      std::string_view realm,
                      const std::function<std::optional<Ha1>(std::string_view user)>& ha1_of) const;

    // As verify(), for a user with several valid passwords (the long-lived one and, over
    // WebSocket, the browser sessions' secrets): any of `ha1s_of(user)` may answer; an empty
    // list is an unknown user.
    AuthResult
    verify_any(std::string_view authorization, std::string_view method, std::string_view realm,
               const std::function<std::vector<Ha1>(std::string_view user)>& ha1s_of) const;

    // HA1 = MD5(user ":" realm ":" password) (RFC 2617 §3.2.2.2).
    static Ha1 ha1_of(std::string_view user, std::string_view realm, std::string_view password);

    // Exposed for tests: a nonce issued at `issued`.
    [[nodiscard]] std::string nonce_at(core::WallTime issued, std::string_view realm) const;

private:
    [[nodiscard]] std::string mac(std::int64_t issued_ms, std::string_view realm) const;
    const core::Clock& clock_;
    std::chrono::seconds ttl_;
    std::array<std::uint8_t, 32> secret_{};
};

} // namespace suflyor::sip
