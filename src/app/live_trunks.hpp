#pragma once
// Trunks applied without a restart (internal to the app module): after every change the trunk
// service stores, the live table is rebuilt from the configuration's and the database's trunks and
// swapped in — new calls route by it at once, calls in progress keep what they copied — and the
// outbound registrations follow it.
#include "center/center.hpp"
#include "monitor/monitor.hpp"
#include "sip/trunk_registration.hpp"

#include <optional>
#include <string>

namespace suflyor::app {

class LiveTrunks final : public center::TrunkListener {
public:
    LiveTrunks(center::TrunkService& service, sip::TrunkTable& table, monitor::EventSink& events)
        : service_(service), table_(table), events_(events) {}
    void attach(sip::TrunkRegistrations* registrations) { registrations_ = registrations; }

    // Rebuilds the table (and the registrations) from the service's trunks.
    void apply();
    void trunks_changed(center::AccountId account, const std::string& event,
                        const nlohmann::json& payload) override;
    // The trunk's outbound registration (by sip::Trunk::key()); nullopt when it does not register.
    [[nodiscard]] std::optional<center::RegistrationStatus>
    registration(const std::string& key) const;

private:
    center::TrunkService& service_;
    sip::TrunkTable& table_;
    monitor::EventSink& events_;
    sip::TrunkRegistrations* registrations_{nullptr};
};

} // namespace suflyor::app
