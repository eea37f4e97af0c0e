#include "app/card_calls.hpp"

#include "core/error.hpp"

namespace suflyor::app {

using core::ErrorCode;
using core::fail;

center::CallId CardCalls::call_client(const center::User& by, const center::Call& call) {
    if (call.client_number.empty() || call.direction == center::CallDirection::internal)
        fail(ErrorCode::conflict, "this call has no external client to call back");
    return place(by, call.client_number, "→ " + call.client_number, call.project_id);
}

center::CallId CardCalls::call_employee(const center::User& by, const center::User& employee) {
    if (employee.sip.user.empty())
        fail(ErrorCode::conflict, employee.name + " has no SIP account to call");
    return place(by, employee.sip.user, "→ " + employee.name, std::nullopt);
}

center::CallId CardCalls::place(const center::User& by, const std::string& dialled,
                                const std::string& display,
                                const std::optional<center::ProjectId>& project) {
    const auto account = store_.accounts().find(by.account_id);
    if (!account) fail(ErrorCode::not_found, "account not found");
    auto plan = router_.route_from_employee(account->sip_domain, by.sip.user, dialled);
    if (!plan) fail(ErrorCode::conflict, "no route to " + dialled + " (is a trunk configured?)");
    // A call-back belongs to the project of the call it came from.
    if (project && plan->kind == sip::CallKind::outbound) plan->project_id = project->value();
    const auto placed =
        b2bua_.originate(sip::Aor{by.account_id.value(), by.sip.user}, *plan, display);
    if (!placed)
        fail(ErrorCode::no_supervisor_device, by.name + " has no registered device to ring first");
    return center::CallId{*placed};
}

} // namespace suflyor::app
