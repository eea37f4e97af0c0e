#include "sip/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <re.h>

#include <algorithm>
#include <stdexcept>

namespace suflyor::sip {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0xf]);
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view view(const pl& p) { return {p.p, p.l}; }

} // namespace

std::optional<Ha1> ha1_from_hex(std::string_view text) {
    if (text.size() != 32) return std::nullopt;
    Ha1 out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(text[2 * i]);
        const int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

std::string_view to_string(AuthOutcome outcome) {
    switch (outcome) {
    case AuthOutcome::ok: return "ok";
    case AuthOutcome::missing: return "missing";
    case AuthOutcome::malformed: return "malformed";
    case AuthOutcome::wrong_realm: return "wrong_realm";
    case AuthOutcome::unknown_user: return "unknown_user";
    case AuthOutcome::bad_response: return "bad_password";
    case AuthOutcome::stale_nonce: return "stale_nonce";
    case AuthOutcome::forged_nonce: return "forged_nonce";
    }
    return "unknown";
}

DigestAuthenticator::DigestAuthenticator(const core::Clock& clock, std::chrono::seconds nonce_ttl)
    : clock_(clock), ttl_(nonce_ttl) {
    if (RAND_bytes(secret_.data(), static_cast<int>(secret_.size())) != 1)
        throw std::runtime_error("no randomness for the nonce secret");
}

std::string DigestAuthenticator::mac(std::int64_t issued_ms, std::string_view realm) const {
    const std::string input = std::to_string(issued_ms) + ":" + std::string(realm);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, &size);
    return hex(out, 16);
}

std::string DigestAuthenticator::nonce_at(core::WallTime issued, std::string_view realm) const {
    const auto ms = core::to_unix_ms(issued);
    return std::to_string(ms) + "." + mac(ms, realm);
}

std::string DigestAuthenticator::challenge(std::string_view realm, bool stale) const {
    std::string value = "Digest realm=\"" + std::string(realm) + "\", nonce=\"" +
                        nonce_at(clock_.wall_now(), realm) + "\", algorithm=MD5, qop=\"auth\"";
    if (stale) value += ", stale=true";
    return value;
}

AuthResult DigestAuthenticator::verify(
    std::string_view authorization, std::string_view method, std::string_view realm,
    const std::function<std::optional<Ha1>(std::string_view user)>& ha1_of) const {
    return verify_any(authorization, method, realm, [&](std::string_view user) {
        std::vector<Ha1> out;
        if (auto ha1 = ha1_of(user)) out.push_back(*ha1);
        return out;
    });
}

Ha1 DigestAuthenticator::ha1_of(std::string_view user, std::string_view realm,
                                std::string_view password) {
    const std::string input =
        std::string(user) + ":" + std::string(realm) + ":" + std::string(password);
    Ha1 out{};
    unsigned int size = 0;
    EVP_Digest(input.data(), input.size(), out.data(), &size, EVP_md5(), nullptr);
    return out;
}

AuthResult DigestAuthenticator::verify_any(
    std::string_view authorization, std::string_view method, std::string_view realm,
    const std::function<std::vector<Ha1>(std::string_view user)>& ha1s_of) const {
    if (authorization.empty()) return {AuthOutcome::missing, {}};
    pl header{authorization.data(), authorization.size()};
    httpauth_digest_resp resp{};
    if (httpauth_digest_response_decode(&resp, &header) != 0) return {AuthOutcome::malformed, {}};
    std::string user(view(resp.username));
    if (view(resp.realm) != realm) return {AuthOutcome::wrong_realm, user};

    const auto nonce = view(resp.nonce);
    const auto dot = nonce.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 19)
        return {AuthOutcome::forged_nonce, user};
    std::int64_t issued_ms = 0;
    for (char c : nonce.substr(0, dot)) {
        if (c < '0' || c > '9') return {AuthOutcome::forged_nonce, user};
        issued_ms = issued_ms * 10 + (c - '0');
    }
    const auto expected = mac(issued_ms, realm);
    const auto given = nonce.substr(dot + 1);
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0)
        return {AuthOutcome::forged_nonce, user};

    const auto ha1s = ha1s_of(user);
    if (ha1s.empty()) return {AuthOutcome::unknown_user, user};
    const pl met{method.data(), method.size()};
    if (std::none_of(ha1s.begin(), ha1s.end(), [&](const Ha1& ha1) {
            return httpauth_digest_response_auth(&resp, &met, ha1.data()) == 0;
        }))
        return {AuthOutcome::bad_response, user};
    // Only a correct answer to an expired nonce is "stale": the phone knows the password.
    const auto age = clock_.wall_now() - core::from_unix_ms(issued_ms);
    if (age > ttl_ || age < -std::chrono::minutes{1}) return {AuthOutcome::stale_nonce, user};
    return {AuthOutcome::ok, user};
}

} // namespace suflyor::sip
