#pragma once
// The monitor service's telephony: the B2BUA rings the supervisor, the media engine applies the
// plans, registrations tell who has a device (internal to the app module).
#include "api/api.hpp"
#include "app/call_wiring.hpp"
#include "monitor/monitor.hpp"
#include "sip/b2bua.hpp"
#include "sip/location.hpp"

namespace suflyor::app {

class MonitorTelephony final : public monitor::Telephony,
                               public sip::DeviceCallListener,
                               public CallObserver {
public:
    MonitorTelephony(sip::B2bua& b2bua, const sip::LocationService& locations,
                     media::MediaEngine& engine, const core::Clock& clock)
        : b2bua_(b2bua), locations_(locations), engine_(engine), clock_(clock) {}
    void attach(monitor::MonitorService& service) { service_ = &service; }

    // monitor::Telephony
    std::optional<monitor::CallRoom> room_of(center::CallId call) override;
    bool has_device(const center::User& user) override;
    std::optional<std::int64_t> ring_supervisor(const center::User& supervisor,
                                                std::int64_t room) override;
    void hang_up_supervisor(std::int64_t handle) override;
    void apply(std::int64_t room, const monitor::Plan& plan) override;

    // sip::DeviceCallListener
    void on_device_answered(std::int64_t handle, const sip::AnchoredLeg& leg) override;
    void on_device_ended(std::int64_t handle, const std::string& reason) override;

    // CallObserver
    void on_call_answered(center::CallId call) override;
    void on_call_ended(center::CallId call) override;

    // Media engine events (DTMF from the supervisor's phone).
    void on_media_event(const media::Event& event);

private:
    sip::B2bua& b2bua_;
    const sip::LocationService& locations_;
    media::MediaEngine& engine_;
    const core::Clock& clock_;
    monitor::MonitorService* service_{nullptr};
};

// Monitor and feature events: logged, and pushed to the account's WebSocket clients.
class HubEvents final : public monitor::EventSink {
public:
    HubEvents(api::EventHub& hub, api::Metrics& metrics) : hub_(hub), metrics_(metrics) {}
    void publish(const std::string& name, center::AccountId account,
                 const nlohmann::json& payload) override;

private:
    api::EventHub& hub_;
    api::Metrics& metrics_;
};

// Calls, presence and employees as the domain stores them, pushed as call.<state>,
// presence.changed and employee.<change>. A deactivated employee's devices are cut off at once.
class DomainEvents final : public center::DomainListener {
public:
    using CutOff = std::function<void(const center::User&)>;
    DomainEvents(store::Store& store, api::EventHub& hub, api::Metrics& metrics,
                 api::RegistrationLookup registration, CutOff cut_off)
        : store_(store), hub_(hub), metrics_(metrics), registration_(std::move(registration)),
          cut_off_(std::move(cut_off)) {}
    void call_changed(const center::Call& call) override;
    void presence_changed(center::UserId user) override;
    void employee_changed(center::UserId user, const std::string& event) override;

private:
    store::Store& store_;
    api::EventHub& hub_;
    api::Metrics& metrics_;
    api::RegistrationLookup registration_;
    CutOff cut_off_;
};

} // namespace suflyor::app
