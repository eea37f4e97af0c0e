#pragma once
// Secrets of employees: login passwords (argon2id) and SIP digest secrets (HA1).
#include "center/model.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace suflyor::center {

class PasswordHasher {
public:
    struct Cost {
        unsigned long long ops;
        std::size_t memory_bytes;
    };
    // libsodium's "interactive" argon2id cost: for production.
    static Cost interactive();
    // libsodium's "moderate" cost: slower logins, stronger hashes.
    static Cost moderate();
    // The smallest cost argon2id allows: for tests only, where hashing speed matters.
    static Cost minimal();

    explicit PasswordHasher(Cost cost = interactive()) : cost_(cost) {}
    [[nodiscard]] std::string hash(std::string_view password) const;
    [[nodiscard]] bool verify(const std::string& encoded_hash, std::string_view password) const;

private:
    Cost cost_;
};

// HA1 for SIP digest authentication (RFC 2617 MD5 and RFC 8760 SHA-256): H(user:realm:password).
SipCredentials make_sip_credentials(const std::string& sip_user, const std::string& realm,
                                    std::string_view password);

} // namespace suflyor::center
