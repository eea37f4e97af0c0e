// Monitoring (SPEC §2–§6): join a call, switch mode, disconnect, re-join the same employee.
// Every decision is the monitor service's; this maps its refusals onto SPEC §10's statuses.
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

center::MonitorMode mode_of(const JsonBody& body) {
    return *center::parse_monitor_mode(body.choice("mode", {"listen", "whisper", "barge"}));
}

// already_monitored names who is joined (SPEC §3: "and who is joined").
[[noreturn]] void rethrow_with_who(Api::State& s, const core::Error& e, center::CallId call) {
    if (e.code() == core::ErrorCode::already_monitored)
        if (const auto open = s.domain.store.monitor_sessions().open_for_call(call))
            if (const auto who = s.domain.store.users().find(open->supervisor_id))
                throw ApiError(409, "already_monitored", e.what(),
                               {{"by", person_json(*who)},
                                {"mode", center::to_string(open->mode)},
                                {"session_id", open->id.value()}});
    throw;
}

center::MonitorSession session_of(Api::State& s, const center::User& me, std::int64_t id) {
    const auto session = s.domain.store.monitor_sessions().find(center::MonitorSessionId{id});
    if (!session || session->account_id != me.account_id)
        refuse(404, "not_found", "monitor session " + std::to_string(id) + " not found");
    return *session;
}

} // namespace

void add_monitor_routes(Router& router, Api::State& s) {
    router.add("POST", "/api/v1/calls/{id}/monitor", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto mode = mode_of(JsonBody::parse(r, {"mode"}));
        return s.as_user(r, [&](const center::User& me) {
            // Another account's call is not found, before any other rule is looked at.
            const auto call = s.domain.store.calls().find(center::CallId{id});
            if (!call || call->account_id != me.account_id)
                refuse(404, "not_found", "call " + std::to_string(id) + " not found");
            try {
                const auto session = s.domain.monitor.start(me, call->id, mode);
                return Response::created(session_json(s.domain.store, session));
            } catch (const core::Error& e) {
                rethrow_with_who(s, e, call->id);
            }
        });
    });
    router.add("PATCH", "/api/v1/monitor/{id}", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto mode = mode_of(JsonBody::parse(r, {"mode"}));
        return s.as_user(r, [&](const center::User& me) {
            const auto session = session_of(s, me, id);
            return Response::ok(
                session_json(s.domain.store, s.domain.monitor.switch_mode(me, session.id, mode)));
        });
    });
    router.add("DELETE", "/api/v1/monitor/{id}", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            const auto session = session_of(s, me, id);
            s.domain.monitor.stop(me, session.id);
            return Response::no_content();
        });
    });
    router.add("GET", "/api/v1/monitor/{id}", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            require_supervisor(me);
            return Response::ok(session_json(s.domain.store, session_of(s, me, id)));
        });
    });
    router.add("POST", "/api/v1/employees/{id}/monitor-next", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto mode = mode_of(JsonBody::parse(r, {"mode"}));
        return s.as_user(r, [&](const center::User& me) {
            const auto employee = visible_employee(s, me, id);
            const auto call = s.domain.store.calls().active_call_of_operator(employee.id);
            try {
                if (const auto joined = s.domain.monitor.follow_next(me, employee.id, mode))
                    return Response::created(
                        {{"joined", true}, {"session", session_json(s.domain.store, *joined)}});
            } catch (const core::Error& e) {
                if (call) rethrow_with_who(s, e, call->id);
                throw;
            }
            return Response{202,
                            {{"joined", false},
                             {"armed", true},
                             {"employee_id", employee.id.value()},
                             {"mode", center::to_string(mode)}},
                            {},
                            {}};
        });
    });
    router.add("DELETE", "/api/v1/employees/{id}/monitor-next", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            require_supervisor(me);
            const auto employee = visible_employee(s, me, id);
            s.domain.monitor.cancel_follow(me, employee.id);
            return Response::no_content();
        });
    });
}

} // namespace suflyor::api
