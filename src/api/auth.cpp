#include "api/auth.hpp"

#include <sodium.h>

#include <array>

namespace suflyor::api {

TokenStore::TokenStore(const core::Clock& clock, std::chrono::hours ttl)
    : clock_(clock), ttl_(ttl) {
    randombytes_buf(secret_key_.data(), secret_key_.size());
}

namespace {

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     '\0');
    sodium_bin2base64(text.data(), text.size(), data, size,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text.resize(text.find('\0'));
    return text;
}

} // namespace

TokenStore::Issued TokenStore::issue(center::UserId user) {
    std::array<unsigned char, 32> raw{};
    randombytes_buf(raw.data(), raw.size());
    const auto token = base64url(raw.data(), raw.size());
    const Issued issued{token, clock_.wall_now() + ttl_};
    by_hash_[hash(token)] = Entry{user, issued.expires_at};
    return issued;
}

std::optional<center::UserId> TokenStore::resolve(std::string_view token) {
    const auto it = by_hash_.find(hash(token));
    if (it == by_hash_.end()) return std::nullopt;
    if (clock_.wall_now() >= it->second.expires_at) {
        by_hash_.erase(it);
        return std::nullopt;
    }
    return it->second.user;
}

void TokenStore::revoke(std::string_view token) { by_hash_.erase(hash(token)); }

void TokenStore::revoke_user(center::UserId user) {
    std::erase_if(by_hash_, [&](const auto& e) { return e.second.user == user; });
}

void TokenStore::sweep() {
    const auto now = clock_.wall_now();
    std::erase_if(by_hash_, [&](const auto& e) { return now >= e.second.expires_at; });
}

std::optional<std::string> TokenStore::browser_secret(std::string_view token) {
    if (!resolve(token)) return std::nullopt;
    return secret_of(hash(token));
}

std::vector<std::string> TokenStore::browser_secrets(center::UserId user) const {
    const auto now = clock_.wall_now();
    std::vector<std::string> secrets;
    for (const auto& [token_hash, entry] : by_hash_)
        if (entry.user == user && now < entry.expires_at) secrets.push_back(secret_of(token_hash));
    return secrets;
}

std::string TokenStore::secret_of(const std::string& token_hash) const {
    // Keyed BLAKE2b (a MAC): without the key, a token's hash does not give its secret.
    constexpr std::string_view purpose = "suflyor browser SIP secret v1:";
    std::string input(purpose);
    input += token_hash;
    std::array<unsigned char, 24> mac{};
    crypto_generichash(mac.data(), mac.size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), secret_key_.data(), secret_key_.size());
    return base64url(mac.data(), mac.size());
}

std::string TokenStore::hash(std::string_view token) {
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                       0);
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::optional<std::int64_t> LoginLimiter::refused(const std::string& login,
                                                  const std::string& source) {
    const std::string login_key = "login:" + login;
    if (const auto by_login = wait_for(login_key, per_login_)) return by_login;
    const auto by_source = wait_for("source:" + source, per_source_);
    // A login with no failures of its own is let through a busy address: its first wrong
    // password is then refused like any other, so a flood from one address (or from everyone
    // behind one NAT or proxy) cannot lock the others out, and buys one guess per login.
    if (by_source && !counts_.contains(login_key)) return std::nullopt;
    return by_source;
}

void LoginLimiter::failed(const std::string& login, const std::string& source) {
    count("login:" + login);
    count("source:" + source);
}

std::optional<std::int64_t> LoginLimiter::wait_for(const std::string& key, int limit) {
    const auto it = counts_.find(key);
    if (it == counts_.end()) return std::nullopt;
    const auto elapsed = clock_.mono_now() - it->second.started;
    if (elapsed >= window_) {
        counts_.erase(it);
        return std::nullopt;
    }
    if (it->second.failures < limit) return std::nullopt;
    return std::chrono::ceil<std::chrono::seconds>(window_ - elapsed).count();
}

void LoginLimiter::count(const std::string& key) {
    const auto now = clock_.mono_now();
    if (counts_.size() >= max_keys && !counts_.contains(key))
        std::erase_if(counts_, [&](const auto& e) { return now - e.second.started >= window_; });
    if (counts_.size() >= max_keys && !counts_.contains(key)) return;
    auto [it, fresh] = counts_.try_emplace(key, Count{now, 0});
    if (!fresh && now - it->second.started >= window_) it->second = Count{now, 0};
    ++it->second.failures;
}

} // namespace suflyor::api
