#include "monitor/monitor.hpp"

#include "core/error.hpp"
#include "store/store.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::monitor {

using center::CallState;
using center::MonitorMode;
using core::ErrorCode;
using core::fail;

MonitorService::MonitorService(store::Store& store, const core::Clock& clock,
                               center::Features& features, center::MonitorLedger& ledger,
                               Telephony& telephony, EventSink& events, MonitorSettings settings)
    : store_(store), clock_(clock), features_(features), ledger_(ledger), telephony_(telephony),
      events_(events), settings_(settings) {}

void MonitorService::check_may_monitor(const User& supervisor) {
    if (!center::may_supervise(supervisor.role))
        fail(ErrorCode::forbidden,
             "only the account's creator or administrators may listen or whisper");
    if (!features_.connected(supervisor.account_id, center::Feature::whisper_listen))
        fail(ErrorCode::feature_not_connected,
             "the \"Whisper and listen\" feature is not connected");
}

center::MonitorSession MonitorService::start(const User& supervisor, CallId call_id,
                                             MonitorMode mode) {
    try {
        // The order of the checks is the contract: each refusal names the first rule broken.
        if (!center::may_supervise(supervisor.role))
            fail(ErrorCode::forbidden,
                 "only the account's creator or administrators may listen or whisper");
        const auto call = store_.calls().find(call_id);
        if (!call || call->account_id != supervisor.account_id)
            fail(ErrorCode::not_found, "call " + call_id.str() + " not found");
        if (!features_.connected(supervisor.account_id, center::Feature::whisper_listen))
            fail(ErrorCode::feature_not_connected,
                 "the \"Whisper and listen\" feature is not connected");
        check_barge_allowed(supervisor, mode);
        if (call->state == CallState::ended) fail(ErrorCode::call_ended, "the call has ended");
        if (call->state != CallState::talking)
            fail(ErrorCode::conflict, "the call is not answered yet");
        if (const auto open = ledger_.open_for_call(call_id)) {
            const auto who = store_.users().find(open->supervisor_id);
            fail(ErrorCode::already_monitored, (who ? who->name : std::string("another employee")) +
                                                   " is already joined to this call");
        }
        if (call->operator_id == supervisor.id)
            fail(ErrorCode::conflict, "a party of the call cannot monitor it");
        if (!telephony_.has_device(supervisor)) no_device(supervisor, "is not registered");
        const auto room = telephony_.room_of(call_id);
        if (!room) fail(ErrorCode::call_ended, "the call has ended");

        auto session = ledger_.open(supervisor, call_id, mode); // atomic; audited
        const auto handle = telephony_.ring_supervisor(supervisor, room->room);
        if (!handle) {
            const bool browser = supervisor.ring_device == center::RingDevice::browser;
            ledger_.close(center::system_actor("system"), session.id,
                          browser ? "browser_not_registered" : "no_supervisor_device");
            no_device(supervisor, "could not be rung");
        }
        active_[session.id.value()] = Active{session, *room, *handle, false};
        publish("monitor.started", session, {{"state", "ringing_supervisor"}});
        return session;
    } catch (const core::Error& e) {
        refused(supervisor, call_id, e);
        throw;
    }
}

void MonitorService::no_device(const User& supervisor, const std::string& why) {
    // The user chose the browser: say so, rather than send them looking for a desk phone.
    if (supervisor.ring_device == center::RingDevice::browser)
        fail(ErrorCode::browser_not_registered,
             "you ring in the browser and no tab of yours is signed in to the softphone: open "
             "the web app (or allow its microphone) and try again");
    fail(ErrorCode::no_supervisor_device, "your phone " + why);
}

void MonitorService::check_barge_allowed(const User& supervisor, MonitorMode mode) {
    if (mode != MonitorMode::barge) return;
    const auto account = store_.accounts().find(supervisor.account_id);
    if (!account || !account->barge_enabled)
        fail(ErrorCode::forbidden, "barge is turned off for this account");
}

center::MonitorSession MonitorService::switch_mode(const User& by, MonitorSessionId id,
                                                   MonitorMode mode) {
    check_barge_allowed(by, mode);
    auto session = ledger_.switch_mode(by, id, mode); // checks owner, account, open; audited
    if (auto it = active_.find(id.value()); it != active_.end()) {
        it->second.session = session;
        if (it->second.answered)
            telephony_.apply(it->second.room.room, plan_for(it->second.room.legs, mode));
    }
    publish("monitor.switched", session);
    return session;
}

void MonitorService::stop(const User& by, MonitorSessionId id) {
    const auto session = store_.monitor_sessions().find(id);
    if (!session || session->account_id != by.account_id)
        fail(ErrorCode::not_found, "monitor session " + id.str() + " not found");
    if (session->supervisor_id != by.id && !center::may_supervise(by.role))
        fail(ErrorCode::forbidden, "only a supervisor may end a monitor session");
    if (auto it = active_.find(id.value()); it != active_.end()) {
        end_session(it->second, center::actor_of(by), "supervisor_left", true);
        active_.erase(it);
        return;
    }
    const auto closed = ledger_.close(center::actor_of(by), id, "supervisor_left");
    publish("monitor.stopped", closed, {{"reason", "supervisor_left"}});
}

void MonitorService::end_session(Active& active, const center::Actor& by, const std::string& reason,
                                 bool hang_up) {
    if (hang_up) telephony_.hang_up_supervisor(active.handle);
    telephony_.apply(active.room.room, plan_for(active.room.legs, std::nullopt));
    auto session = active.session;
    if (const auto stored = store_.monitor_sessions().find(session.id); stored && stored->open())
        session = ledger_.close(by, session.id, reason);
    publish("monitor.stopped", session, {{"reason", reason}});
}

MonitorService::Active* MonitorService::by_handle(std::int64_t handle) {
    for (auto& [id, a] : active_)
        if (a.handle == handle) return &a;
    return nullptr;
}

void MonitorService::on_supervisor_answered(std::int64_t handle, std::uint8_t slot) {
    auto* active = by_handle(handle);
    if (active == nullptr) return;
    active->answered = true;
    active->room.legs.supervisor = slot;
    telephony_.apply(active->room.room, plan_for(active->room.legs, active->session.mode));
    publish("monitor.switched", active->session, {{"state", "joined"}});
}

void MonitorService::on_supervisor_ended(std::int64_t handle) {
    auto* active = by_handle(handle);
    if (active == nullptr) return;
    const auto id = active->session.id.value();
    end_session(*active, center::system_actor("system"),
                active->answered ? "supervisor_hangup" : "supervisor_unreachable", false);
    active_.erase(id);
}

void MonitorService::on_call_ended(CallId call) {
    for (auto it = active_.begin(); it != active_.end();) {
        if (it->second.session.call_id == call) {
            // CallLog::end closed the session with reason call_ended; release the supervisor.
            telephony_.hang_up_supervisor(it->second.handle);
            auto session = it->second.session;
            if (const auto stored = store_.monitor_sessions().find(session.id)) session = *stored;
            publish("monitor.stopped", session, {{"reason", "call_ended"}});
            it = active_.erase(it);
        } else {
            ++it;
        }
    }
}

void MonitorService::on_dtmf(std::int64_t room, std::uint8_t slot, char digit) {
    // The ChanSpy `d` convention: 4 listen, 5 whisper, 6 barge.
    const auto mode = digit == '4'   ? std::optional(MonitorMode::listen)
                      : digit == '5' ? std::optional(MonitorMode::whisper)
                      : digit == '6' ? std::optional(MonitorMode::barge)
                                     : std::nullopt;
    if (!mode) return;
    for (auto& [id, a] : active_) {
        if (a.room.room != room || a.room.legs.supervisor != slot) continue;
        const auto supervisor = store_.users().find(a.session.supervisor_id);
        if (!supervisor) return;
        try {
            switch_mode(*supervisor, a.session.id, *mode);
        } catch (const core::Error& e) {
            spdlog::info("monitor: DTMF {} from the supervisor refused: {}", digit, e.what());
        }
        return;
    }
}

std::optional<center::MonitorSession>
MonitorService::follow_next(const User& supervisor, UserId employee_id, MonitorMode mode) {
    check_may_monitor(supervisor);
    const auto employee = store_.users().find(employee_id);
    if (!employee || employee->account_id != supervisor.account_id)
        fail(ErrorCode::not_found, "employee " + employee_id.str() + " not found");
    if (const auto call = store_.calls().active_call_of_operator(employee_id);
        call && call->state == CallState::talking)
        return start(supervisor, call->id, mode);
    follows_[employee_id.value()] =
        Follow{supervisor.id, mode, clock_.wall_now() + settings_.follow_ttl};
    events_.publish("monitor.follow_armed", supervisor.account_id,
                    {{"employee_id", employee_id.value()},
                     {"supervisor_id", supervisor.id.value()},
                     {"mode", center::to_string(mode)}});
    return std::nullopt;
}

void MonitorService::cancel_follow(const User& supervisor, UserId employee) {
    const auto it = follows_.find(employee.value());
    if (it == follows_.end() || it->second.supervisor != supervisor.id)
        fail(ErrorCode::not_found, "no follow armed for this employee");
    follows_.erase(it);
    events_.publish("monitor.follow_cancelled", supervisor.account_id,
                    {{"employee_id", employee.value()}, {"supervisor_id", supervisor.id.value()}});
}

std::optional<core::WallTime> MonitorService::expire_follows() {
    const auto now = clock_.wall_now();
    std::optional<core::WallTime> next;
    for (auto it = follows_.begin(); it != follows_.end();) {
        if (now < it->second.expires) {
            if (!next || it->second.expires < *next) next = it->second.expires;
            ++it;
            continue;
        }
        if (const auto supervisor = store_.users().find(it->second.supervisor))
            events_.publish(
                "monitor.follow_expired", supervisor->account_id,
                {{"employee_id", it->first}, {"supervisor_id", it->second.supervisor.value()}});
        it = follows_.erase(it);
    }
    return next;
}

void MonitorService::on_call_answered(CallId call_id) {
    const auto call = store_.calls().find(call_id);
    if (!call || !call->operator_id) return;
    const auto it = follows_.find(call->operator_id->value());
    if (it == follows_.end()) return;
    const Follow follow = it->second;
    follows_.erase(it);                              // fires once, joined or refused
    if (clock_.wall_now() >= follow.expires) return; // its timer has not run yet; it is over
    const auto supervisor = store_.users().find(follow.supervisor);
    if (!supervisor) return;
    try {
        start(*supervisor, call_id, follow.mode);
    } catch (const core::Error&) {
        // refused() already announced why (e.g. someone else joined first).
    }
}

void MonitorService::refused(const User& supervisor, CallId call, const core::Error& error) {
    nlohmann::json payload{{"call_id", call.value()},
                           {"supervisor_id", supervisor.id.value()},
                           {"code", core::to_string(error.code())},
                           {"message", error.what()}};
    // Who is joined, as data: the UI names them in its own language (the message is English).
    if (error.code() == ErrorCode::already_monitored)
        if (const auto open = ledger_.open_for_call(call))
            if (const auto who = store_.users().find(open->supervisor_id))
                payload["by"] = {{"id", who->id.value()}, {"name", who->name}};
    events_.publish("monitor.refused", supervisor.account_id, payload);
}

void MonitorService::publish(const std::string& name, const center::MonitorSession& s,
                             const nlohmann::json& extra) {
    nlohmann::json payload{{"session_id", s.id.value()},
                           {"call_id", s.call_id.value()},
                           {"supervisor_id", s.supervisor_id.value()},
                           {"mode", center::to_string(s.mode)}};
    for (const auto& [k, v] : extra.items())
        payload[k] = v;
    events_.publish(name, s.account_id, payload);
}

} // namespace suflyor::monitor
