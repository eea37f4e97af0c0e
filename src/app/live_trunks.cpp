#include "app/live_trunks.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::app {

void LiveTrunks::apply() {
    table_.replace(service_.live_trunks());
    if (registrations_ != nullptr) registrations_->sync(table_);
    spdlog::info("sip: {} trunk(s) in force", table_.all().size());
}

void LiveTrunks::trunks_changed(center::AccountId account, const std::string& event,
                                const nlohmann::json& payload) {
    apply();
    events_.publish(event, account, payload);
}

std::optional<center::RegistrationStatus> LiveTrunks::registration(const std::string& key) const {
    if (registrations_ == nullptr) return std::nullopt;
    const auto state = registrations_->state(key);
    if (!state) return std::nullopt;
    if (state->registered) return center::RegistrationStatus{"registered", ""};
    if (state->answered) return center::RegistrationStatus{"failing", state->reason};
    return center::RegistrationStatus{"pending", ""};
}

} // namespace suflyor::app
