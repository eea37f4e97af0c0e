// Click-to-call: the server rings the employee who clicked (the A leg, a normal ring); once they
// answer it calls the other party (the B leg: a client through the trunk, or a colleague's
// device) and bridges the two when that answers. From then on it is a call like any other
// (recorded, monitorable, ended by either side), driven by the handlers in b2bua.cpp.
#include "core/error.hpp"
#include "sip/b2bua_internal.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

namespace suflyor::sip {
namespace {

// A From display name that stays one quoted-string whatever it was given.
std::string quotable(const std::string& display) {
    std::string out;
    out.reserve(display.size());
    for (const char c : display)
        if (c != '"' && c != '\\' && c != '\r' && c != '\n') out += c;
    return out;
}

} // namespace

std::string caller_failure_reason(unsigned status) {
    switch (status) {
    case 0: return "caller_unavailable"; // no response: the device is unreachable
    case 408:
    case 480: return "not_answered";
    default: return "declined"; // 486 / 603 when the employee presses "decline"
    }
}

std::string callee_failure_reason(unsigned status) {
    switch (status) {
    case 486:
    case 600: return "callee_busy";
    case 603: return "callee_declined";
    case 408: return "no_answer";
    case 404: // the provider does not know the number
    case 484:
    case 604: return "callee_not_found";
    default: return "callee_unavailable"; // no response, 480, 503, ...
    }
}

std::optional<std::int64_t> B2bua::Impl::originate(const Aor& from, const CallPlan& plan,
                                                   DeviceKind kind, const std::string& display) {
    auto devices = locations.bindings(from, kind, clock.wall_now());
    if (devices.empty()) return std::nullopt;
    const std::optional<Binding> device = std::move(devices.back()); // the most recent one
    auto call = std::make_unique<Call>();
    call->owner = this;
    call->plan = plan;
    if (call->plan.presented_number.empty()) call->plan.presented_number = from.user;
    call->client_number = plan.client_number;
    call->originated = true;
    call->sdp_session = random() >> 1;
    tmr_init(&call->ring_timer);
    tmr_init(&call->reaper);
    try {
        call->room = media.create_room();
        call->client_leg = media.add_leg(call->room, std::nullopt, LegRole::operator_,
                                         signalling_ip(*device), is_browser(*device));
    } catch (const std::exception& e) {
        if (call->room != 0) media.destroy_room(call->room);
        core::fail(core::ErrorCode::internal, std::string("no media for the call: ") + e.what());
    }
    try {
        call->id = router.call_started(call->plan);
    } catch (...) {
        media.destroy_room(call->room);
        throw;
    }
    router.call_ringing(call->id, from); // the employee who clicked is the call's operator

    // Our offer rides on the INVITE; the A leg's answer comes in its 200 OK (on_caller_answer).
    call->client_reoffer =
        offer_sdp(call->client_leg, sdp::Direction::sendrecv, call->sdp_session, call->sdp_version);
    Body offer(sdp::write_sdp(call->client_reoffer));
    // The device shows whom it will be connected to; calling this From back dials them again.
    const std::string from_uri =
        "sip:" + (plan.client_number.empty() ? std::string("suflyor") : plan.client_number) + "@" +
        settings.domain;
    const std::string route = route_to(*device);
    const char* routes[] = {route.c_str()};
    const int err = sipsess_connect(
        &call->client, sessions, device->contact_uri.c_str(), quotable(display).c_str(),
        from_uri.c_str(), "suflyor", routes, 1, "application/sdp", offer.mb, nullptr, nullptr,
        false, &Call::on_client_offer, &Call::on_caller_answer, &Call::on_caller_progress,
        &Call::on_client_established, nullptr, nullptr, &Call::on_caller_close, call.get(), "");
    if (err != 0) {
        media.destroy_room(call->room);
        router.call_ended(call->id, "caller_unavailable");
        core::fail(core::ErrorCode::internal,
                   "cannot call " + device->contact_uri + ": " + std::strerror(err));
    }
    tmr_start(&call->ring_timer, ring_timeout_ms(), &Call::on_caller_ring_timeout, call.get());
    spdlog::info("b2bua: call {} ({}) originated for {}: ringing {}", call->id,
                 plan.kind == CallKind::outbound ? "outbound" : "internal", from.user,
                 device->contact_uri);
    const auto id = call->id;
    adopt(std::move(call));
    return id;
}

int Call::on_caller_answer(const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    if (call.caller_answered) return on_client_answer(msg, arg); // to a re-INVITE of ours
    auto& impl = *call.owner;
    const auto answer = sdp::parse_sdp(body_of(msg));
    if (!answer.ok()) return EPROTO; // libre hangs up; on_caller_close ends the call
    const auto media = sdp::accept_answer(call.client_reoffer, answer.value());
    if (!media.ok()) return EPROTO;
    call.client_media = media.value();
    impl.media.update_leg(call.client_leg, call.client_media, ip_of(msg->src));
    call.caller_answered = true;
    tmr_cancel(&call.ring_timer);
    spdlog::info("b2bua: call {}: the employee answered; calling {}", call.id, call.client_number);
    // The B leg rings now; its answer, failure or timeout is handled as on any call (b2bua.cpp).
    if (!call.ring_next()) impl.finish(call, "callee_unavailable"); // the reaper BYEs the A leg
    return 0;
}

void Call::on_caller_progress(const sip_msg*, void*) {}

void Call::on_caller_close(int err, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    const unsigned code = msg != nullptr ? msg->scode : 0;
    if (!call.caller_answered)
        spdlog::info("b2bua: call {}: the employee's device did not answer ({})", call.id,
                     code != 0 ? std::to_string(code) : std::string(std::strerror(err)));
    const bool unusable_answer = !call.caller_answered && code >= 200 && code < 300;
    call.owner->finish(call, call.answered          ? "operator_hangup"
                             : call.caller_answered ? "cancelled" // while the other side rang
                             : unusable_answer      ? "media_failed"
                                                    : caller_failure_reason(code));
}

void Call::on_caller_ring_timeout(void* arg) {
    auto& call = *static_cast<Call*>(arg);
    spdlog::info("b2bua: call {}: the employee did not answer", call.id);
    call.client = static_cast<sipsess*>(mem_deref(call.client)); // CANCEL
    call.owner->finish(call, "not_answered");
}

std::optional<std::int64_t> B2bua::originate(const Aor& from, const CallPlan& plan,
                                             const std::string& display, DeviceKind kind) {
    return impl_->originate(from, plan, kind, display);
}

} // namespace suflyor::sip
