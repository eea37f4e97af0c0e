#include "app/monitor_wiring.hpp"

#include "app/ring_device.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::app {

std::optional<monitor::CallRoom> MonitorTelephony::room_of(center::CallId call) {
    const auto media = b2bua_.media_of(call.value());
    if (!media) return std::nullopt;
    return monitor::CallRoom{
        media->room, monitor::RoomLegs{media->client_slot, media->operator_slot, std::nullopt}};
}

bool MonitorTelephony::has_device(const center::User& user) {
    return can_ring(locations_, user, clock_.wall_now());
}

std::optional<std::int64_t> MonitorTelephony::ring_supervisor(const center::User& supervisor,
                                                              std::int64_t room) {
    return b2bua_.call_device(sip::Aor{supervisor.account_id.value(), supervisor.sip.user}, room,
                              "Supervisor", *this, device_kind(supervisor.ring_device));
}

void MonitorTelephony::hang_up_supervisor(std::int64_t handle) { b2bua_.hang_up_device(handle); }

void MonitorTelephony::apply(std::int64_t room, const monitor::Plan& plan) {
    media::MixPlan mix{};
    for (std::size_t i = 0; i < plan.hears.size() && i < mix.hears.size(); ++i)
        mix.hears[i] = plan.hears[i];
    try {
        engine_.set_plan(media::RoomId{room}, mix);
    } catch (const std::exception& e) {
        spdlog::warn("monitor: cannot apply a plan to room {}: {}", room, e.what());
    }
}

void MonitorTelephony::on_device_answered(std::int64_t handle, const sip::AnchoredLeg& leg) {
    if (service_) service_->on_supervisor_answered(handle, leg.slot);
}

void MonitorTelephony::on_device_ended(std::int64_t handle, const std::string&) {
    if (service_) service_->on_supervisor_ended(handle);
}

void MonitorTelephony::on_call_answered(center::CallId call) {
    if (service_) service_->on_call_answered(call);
}

void MonitorTelephony::on_call_ended(center::CallId call) {
    if (service_) service_->on_call_ended(call);
}

void MonitorTelephony::on_media_event(const media::Event& event) {
    if (event.kind == media::EventKind::dtmf && service_)
        service_->on_dtmf(event.room.value(), event.slot, event.digit);
}

void HubEvents::publish(const std::string& name, center::AccountId account,
                        const nlohmann::json& payload) {
    spdlog::info("event {} account={} {}", name, account.value(), payload.dump());
    hub_.publish(name, account.value(), payload);
    if (name == "monitor.refused")
        metrics_
            .counter("suflyor_monitor_refusals_total", "Refused joins by refusal code",
                     {{"code", payload.value("code", "")}})
            .inc();
}

void DomainEvents::call_changed(const center::Call& call) {
    if (call.state == center::CallState::ended)
        metrics_
            .counter("suflyor_calls_ended_total", "Calls ended, by direction",
                     {{"direction", std::string(center::to_string(call.direction))}})
            .inc();
    hub_.publish("call." + std::string(center::to_string(call.state)), call.account_id.value(),
                 api::call_json(store_, call));
}

void DomainEvents::presence_changed(center::UserId user) {
    if (const auto u = store_.users().find(user))
        hub_.publish("presence.changed", u->account_id.value(),
                     api::employee_json(store_, *u, registration_));
}

void DomainEvents::employee_changed(center::UserId user, const std::string& event) {
    const auto u = store_.users().find(user);
    if (!u) return;
    if (event == "employee.deactivated" && cut_off_) cut_off_(*u);
    hub_.publish(event, u->account_id.value(), api::employee_json(store_, *u, registration_));
}

} // namespace suflyor::app
