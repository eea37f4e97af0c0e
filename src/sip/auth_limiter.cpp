#include "sip/auth_limiter.hpp"

namespace suflyor::sip {

bool AuthLimiter::blocked(const std::string& source_ip) {
    auto it = window_.find(source_ip);
    if (it == window_.end()) return false;
    if (clock_.mono_now() - it->second.started >= std::chrono::minutes{1}) {
        window_.erase(it);
        return false;
    }
    return it->second.failures >= limit_;
}

void AuthLimiter::failed(const std::string& source_ip) {
    const auto now = clock_.mono_now();
    if (window_.size() >= max_tracked_sources && !window_.contains(source_ip)) {
        // Forget windows that are over; if all are live, the oldest entries simply stay.
        std::erase_if(window_, [&](const auto& e) {
            return now - e.second.started >= std::chrono::minutes{1};
        });
        if (window_.size() >= max_tracked_sources) return;
    }
    auto [it, fresh] = window_.try_emplace(source_ip, Window{now, 0});
    if (!fresh && now - it->second.started >= std::chrono::minutes{1}) it->second = Window{now, 0};
    ++it->second.failures;
}

} // namespace suflyor::sip
