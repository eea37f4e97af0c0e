#pragma once
// Failed-authentication limit per source address: after `limit` failures within a minute the
// source is ignored (its out-of-dialog requests are dropped unanswered) until the minute has
// passed. Only tried credentials count (a wrong password or user, an identity mismatch, a stranger
// dialling out): responses and in-dialog requests always pass, so a spoofed flood cannot cut an
// established call's BYE (see SipServer's handle()).
#include "core/clock.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace suflyor::sip {

class AuthLimiter {
public:
    AuthLimiter(const core::Clock& clock, std::int64_t failures_per_minute)
        : clock_(clock), limit_(failures_per_minute) {}
    [[nodiscard]] bool blocked(const std::string& source_ip);
    void failed(const std::string& source_ip);
    void succeeded(const std::string& source_ip) { window_.erase(source_ip); }

private:
    struct Window {
        core::MonoTime started;
        std::int64_t failures{0};
    };
    static constexpr std::size_t max_tracked_sources = 100'000; // bounded memory under a flood
    const core::Clock& clock_;
    std::int64_t limit_;
    std::unordered_map<std::string, Window> window_;
};

} // namespace suflyor::sip
