#include "app/card_calls.hpp"

#include "app/ring_device.hpp"
#include "core/error.hpp"

namespace suflyor::app {

using core::ErrorCode;
using core::fail;

namespace {

// Whether `employee` is on a call the server knows: as its operator (presence follows those), or
// as the callee of an internal call (whose operator is the colleague who placed it).
bool on_a_call(store::Store& store, const center::User& employee) {
    if (employee.presence == center::Presence::ringing ||
        employee.presence == center::Presence::talking)
        return true;
    if (store.calls().active_call_of_operator(employee.id)) return true;
    store::CallQuery active{employee.account_id};
    active.active_only = true;
    active.limit = 1000;
    for (const auto& call : store.calls().query(active))
        if (call.direction == center::CallDirection::internal &&
            call.client_number == employee.sip.user)
            return true;
    return false;
}

} // namespace

center::CallId CardCalls::call_client(const center::User& by, const center::Call& call) {
    if (call.client_number.empty() || call.direction == center::CallDirection::internal)
        fail(ErrorCode::no_client_number, "this call has no outside client to call back");
    return place(by, call.client_number, "→ " + call.client_number, call.project_id,
                 ErrorCode::no_trunk);
}

center::CallId CardCalls::call_employee(const center::User& by, const center::User& employee) {
    if (employee.sip.user.empty())
        fail(ErrorCode::employee_offline, employee.name + " has no SIP account to call");
    // Checked here, on the control loop, so a click never rings an operator mid-conversation.
    if (on_a_call(store_, employee)) fail(ErrorCode::busy, employee.name + " is on a call");
    if (!locations_.registered(sip::Aor{employee.account_id.value(), employee.sip.user},
                               clock_.wall_now()))
        fail(ErrorCode::employee_offline, employee.name + " has no registered phone");
    return place(by, employee.sip.user, "→ " + employee.name, std::nullopt, ErrorCode::conflict);
}

center::CallId CardCalls::place(const center::User& by, const std::string& dialled,
                                const std::string& display,
                                const std::optional<center::ProjectId>& project,
                                ErrorCode no_route) {
    const auto account = store_.accounts().find(by.account_id);
    if (!account) fail(ErrorCode::not_found, "account not found");
    if (by.sip.user.empty())
        fail(ErrorCode::no_supervisor_device, by.name + " has no SIP account to ring first");
    auto plan = router_.route_from_employee(account->sip_domain, by.sip.user, dialled);
    // An outside number without a route: no trunk of the account reaches it.
    if (!plan) fail(no_route, "no trunk is configured to reach " + dialled);
    const bool browser = by.ring_device == center::RingDevice::browser;
    if (browser && !can_ring(locations_, by, clock_.wall_now()))
        fail(ErrorCode::browser_not_registered,
             by.name + " rings in the browser and no tab is signed in to the softphone");
    // A call-back belongs to the project of the call it came from.
    if (project && plan->kind == sip::CallKind::outbound) plan->project_id = project->value();
    const auto placed = b2bua_.originate(sip::Aor{by.account_id.value(), by.sip.user}, *plan,
                                         display, device_kind(by.ring_device));
    if (!placed && browser)
        fail(ErrorCode::browser_not_registered, by.name + "'s browser could not be rung first");
    if (!placed)
        fail(ErrorCode::no_supervisor_device, by.name + " has no registered device to ring first");
    return center::CallId{*placed};
}

} // namespace suflyor::app
