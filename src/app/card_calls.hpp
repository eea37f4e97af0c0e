#pragma once
// The calls the call card places (SPEC §6): "contact the client yourself" and "call the
// employee". Both are click-to-call: the B2BUA rings the supervisor's own device first, then the
// other party, routed exactly as if the supervisor had dialled the number from that device.
// What the server can tell before ringing anyone is refused with its own code (no trunk, the
// employee busy or offline); what the other side answers later ends the placed call with an
// end_reason (callee_busy, callee_not_found, ...), pushed as call.ended.
#include "api/api.hpp"
#include "app/call_wiring.hpp"
#include "sip/b2bua.hpp"

namespace suflyor::app {

class CardCalls final : public api::CardTelephony {
public:
    CardCalls(store::Store& store, StoreCallRouter& router, sip::B2bua& b2bua,
              const sip::LocationService& locations, const core::Clock& clock)
        : store_(store), router_(router), b2bua_(b2bua), locations_(locations), clock_(clock) {}
    center::CallId call_client(const center::User& by, const center::Call& call) override;
    center::CallId call_employee(const center::User& by, const center::User& employee) override;

private:
    center::CallId place(const center::User& by, const std::string& dialled,
                         const std::string& display,
                         const std::optional<center::ProjectId>& project, core::ErrorCode no_route);
    store::Store& store_;
    StoreCallRouter& router_;
    sip::B2bua& b2bua_;
    const sip::LocationService& locations_;
    const core::Clock& clock_;
};

} // namespace suflyor::app
