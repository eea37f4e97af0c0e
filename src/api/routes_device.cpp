// The signed-in user's devices: which one rings (SIP phone or the web app's softphone), and the
// browser softphone's SIP credentials for this session (a per-token secret, never the SIP
// password).
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

center::RingDevice ring_of(const Request& r) {
    const auto body = JsonBody::parse(r, {"ring"});
    return *center::parse_ring_device(body.choice("ring", {"sip_phone", "browser"}));
}

nlohmann::json ring_json(const center::User& u) {
    return {{"ring", center::to_string(u.ring_device)}};
}

// The team shows each employee's device: its views update from this event.
void announce(Api::State& s, const center::User& u) {
    s.domain.events.publish("employee.device_changed", u.account_id,
                            employee_json(s.domain.store, u, s.domain.registration_of));
}

center::User set_ring(Api::State& s, const center::User& by, const center::User& whose,
                      center::RingDevice ring) {
    if (whose.ring_device == ring) return whose;
    const auto updated = s.domain.directory.set_ring_device(center::actor_of(by), whose.id, ring);
    announce(s, updated);
    return updated;
}

} // namespace

void add_device_routes(Router& router, Api::State& s) {
    router.add("GET", "/api/v1/me/device", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) { return Response::ok(ring_json(me)); });
    });
    router.add("PUT", "/api/v1/me/device", [&s](const Request& r) {
        const auto ring = ring_of(r);
        return s.as_user(r, [&](const center::User& me) {
            return Response::ok(ring_json(set_ring(s, me, me, ring)));
        });
    });
    // A supervisor chooses for an employee of their account; another account's is not found,
    // before the role is looked at (as everywhere).
    router.add("PUT", "/api/v1/employees/{id}/device", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto ring = ring_of(r);
        return s.as_user(r, [&](const center::User& me) {
            const auto employee = visible_employee(s, me, id);
            if (employee.id != me.id) require_supervisor(me);
            return Response::ok(employee_json(s.domain.store, set_ring(s, me, employee, ring),
                                              s.domain.registration_of));
        });
    });
    router.add("GET", "/api/v1/me/softphone", [&s](const Request& r) {
        const auto token = Api::State::bearer(r);
        return s.as_user(r, [&](const center::User& me) {
            const auto account = s.domain.store.accounts().find(me.account_id);
            const bool enabled = !s.settings.softphone_ws_url.empty();
            std::string password;
            if (enabled) password = s.tokens.browser_secret(token).value_or("");
            return Response::ok(
                {{"enabled", enabled},
                 {"reason", enabled ? nlohmann::json(nullptr)
                                    : nlohmann::json(s.settings.softphone_off_reason)},
                 {"ws_url", s.settings.softphone_ws_url},
                 {"uri", "sip:" + me.sip.user + "@" + account->sip_domain},
                 {"authorization_user", me.sip.user},
                 {"password", password},
                 {"display_name", me.name},
                 {"realm", account->sip_domain},
                 {"ring_device", center::to_string(me.ring_device)}});
        });
    });
}

} // namespace suflyor::api
