#pragma once
// Public header of the monitor module: the one place where monitoring sessions start, switch and
// stop (SPEC §2–§6). The HTTP API and the supervisor's DTMF call these entry points; the service
// checks the rules in a fixed order (each refusal has its own code), keeps the supervisor's leg
// and the room's mix plan in step with the session, and audits and announces every change.
// It runs on the control loop: check-and-join is atomic because nothing else runs meanwhile,
// and the database's unique index on open sessions backs it.
#include "center/center.hpp"
#include "core/error.hpp"
#include "monitor/plan.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace suflyor::monitor {

using center::CallId;
using center::MonitorSessionId;
using center::User;
using center::UserId;

struct CallRoom {
    std::int64_t room{0};
    RoomLegs legs;
};

// The telephony the monitor drives (the app wires it to the B2BUA and the media engine).
class Telephony {
public:
    virtual ~Telephony() = default;
    // The call's media room and its client/operator slots, while the call is up.
    virtual std::optional<CallRoom> room_of(CallId call) = 0;
    virtual bool has_device(const User& user) = 0;
    // Rings the supervisor's device (auto-answer) into the room; nullopt when it cannot.
    virtual std::optional<std::int64_t> ring_supervisor(const User& supervisor,
                                                        std::int64_t room) = 0;
    virtual void hang_up_supervisor(std::int64_t handle) = 0;
    virtual void apply(std::int64_t room, const Plan& plan) = 0;
};

// Where monitor.* events go (the WebSocket hub, later).
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void publish(const std::string& name, center::AccountId account,
                         const nlohmann::json& payload) = 0;
};

struct MonitorSettings {
    std::chrono::minutes follow_ttl{30};
};

class MonitorService {
public:
    MonitorService(store::Store& store, const core::Clock& clock, center::Features& features,
                   center::MonitorLedger& ledger, Telephony& telephony, EventSink& events,
                   MonitorSettings settings = {});

    // Entry points. Each throws core::Error with the API's refusal code.
    center::MonitorSession start(const User& supervisor, CallId call, center::MonitorMode mode);
    center::MonitorSession switch_mode(const User& by, MonitorSessionId session,
                                       center::MonitorMode mode);
    void stop(const User& by, MonitorSessionId session);
    // Re-join the same employee: their current call now, or their next answered call (armed for
    // follow_ttl). Returns the session when it joined at once.
    std::optional<center::MonitorSession> follow_next(const User& supervisor, UserId employee,
                                                      center::MonitorMode mode);
    void cancel_follow(const User& supervisor, UserId employee);
    // Drops the follows whose time is over (announcing monitor.follow_expired); the control loop
    // calls it from a timer. Returns when the next follow expires, if any is armed.
    std::optional<core::WallTime> expire_follows();

    // Telephony events.
    void on_supervisor_answered(std::int64_t handle, std::uint8_t slot);
    void on_supervisor_ended(std::int64_t handle);
    void on_call_answered(CallId call);
    void on_call_ended(CallId call);
    void on_dtmf(std::int64_t room, std::uint8_t slot, char digit);

    [[nodiscard]] bool following(UserId employee) const {
        return follows_.contains(employee.value());
    }

private:
    struct Active {
        center::MonitorSession session;
        CallRoom room;
        std::int64_t handle{0};
        bool answered{false};
    };
    struct Follow {
        UserId supervisor{0};
        center::MonitorMode mode{center::MonitorMode::listen};
        core::WallTime expires{};
    };

    void check_may_monitor(const User& supervisor);
    void check_barge_allowed(const User& supervisor, center::MonitorMode mode);
    // The refusal when the supervisor's device cannot be rung: browser_not_registered when they
    // ring in the browser, else no_supervisor_device.
    [[noreturn]] static void no_device(const User& supervisor, const std::string& why);
    void end_session(Active& active, const center::Actor& by, const std::string& reason,
                     bool hang_up);
    void refused(const User& supervisor, CallId call, const core::Error& error);
    void publish(const std::string& name, const center::MonitorSession& s,
                 const nlohmann::json& extra = {});
    Active* by_handle(std::int64_t handle);

    store::Store& store_;
    const core::Clock& clock_;
    center::Features& features_;
    center::MonitorLedger& ledger_;
    Telephony& telephony_;
    EventSink& events_;
    MonitorSettings settings_;
    std::map<std::int64_t, Active> active_;  // by session id
    std::map<std::int64_t, Follow> follows_; // by employee id
};

} // namespace suflyor::monitor
