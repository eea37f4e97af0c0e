#include "center/credentials.hpp"

#include "core/error.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>

namespace suflyor::center {
namespace {

std::string hex_digest(const EVP_MD* md, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, md, nullptr) != 1)
        core::fail(core::ErrorCode::internal, "digest computation failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xf]);
    }
    return out;
}

void ensure_sodium() {
    if (sodium_init() < 0) core::fail(core::ErrorCode::internal, "libsodium failed to initialise");
}

} // namespace

PasswordHasher::Cost PasswordHasher::interactive() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHasher::Cost PasswordHasher::moderate() {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

PasswordHasher::Cost PasswordHasher::minimal() {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string PasswordHasher::hash(std::string_view password) const {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost_.ops,
                              cost_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        core::fail(core::ErrorCode::internal, "password hashing ran out of memory");
    return out.data();
}

bool PasswordHasher::verify(const std::string& encoded_hash, std::string_view password) const {
    ensure_sodium();
    return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

SipCredentials make_sip_credentials(const std::string& sip_user, const std::string& realm,
                                    std::string_view password) {
    std::string input = sip_user + ":" + realm + ":";
    input.append(password);
    return SipCredentials{sip_user, hex_digest(EVP_md5(), input), hex_digest(EVP_sha256(), input)};
}

} // namespace suflyor::center
