// Calls the server places to a user's device and attaches to an existing media room (a supervisor
// joining a call): rung with auto-answer hints, reported to a DeviceCallListener.
#include "sip/b2bua_internal.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

namespace suflyor::sip {

void DeviceCall::end(const std::string& reason, bool notify) {
    if (ended) return;
    ended = true;
    tmr_cancel(&ring_timer);
    if (leg) owner->media.remove_leg(*leg);
    if (notify) listener->on_device_ended(handle, reason);
    tmr_start(&reaper, 0, &DeviceCall::on_reap, this); // the session goes with the object
}

int DeviceCall::on_answer(const sip_msg* msg, void* arg) {
    auto& call = *static_cast<DeviceCall*>(arg);
    const auto answer = sdp::parse_sdp(body_of(msg));
    if (!answer.ok()) return EPROTO;
    const auto media = sdp::accept_answer(call.offer, answer.value());
    if (!media.ok()) return EPROTO;
    call.owner->media.update_leg(*call.leg, media.value(), ip_of(msg->src));
    if (call.answered) return 0;
    call.answered = true;
    tmr_cancel(&call.ring_timer);
    call.listener->on_device_answered(call.handle, *call.leg);
    return 0;
}

int DeviceCall::on_offer(mbuf** desc, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<DeviceCall*>(arg);
    auto& impl = *call.owner;
    const auto offer = sdp::parse_sdp(body_of(msg));
    if (!offer.ok()) return EPROTO;
    const auto chosen = sdp::negotiate(offer.value(), impl.settings.capabilities);
    if (!chosen.ok()) return EPROTO;
    impl.media.update_leg(*call.leg, chosen.value(), ip_of(msg->src));
    *desc = body_mbuf(impl.answer_sdp(offer.value(), chosen.value(), *call.leg, 1, 2));
    return 0;
}

void DeviceCall::on_close(int err, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<DeviceCall*>(arg);
    const std::string reason = call.answered    ? "hangup"
                               : msg != nullptr ? "rejected_" + std::to_string(msg->scode)
                                                : std::string(std::strerror(err));
    spdlog::info("b2bua: device call {} ended: {} ({})", call.handle, reason,
                 err != 0         ? std::strerror(err)
                 : msg != nullptr ? "by the device"
                                  : "no error");
    call.end(reason, true);
}

void DeviceCall::on_ring_timeout(void* arg) {
    auto& call = *static_cast<DeviceCall*>(arg);
    call.session = static_cast<sipsess*>(mem_deref(call.session)); // CANCEL
    call.end("no_answer", true);
}

void DeviceCall::on_reap(void* arg) {
    auto* call = static_cast<DeviceCall*>(arg);
    call->owner->device_calls.remove_if(
        [call](const std::unique_ptr<DeviceCall>& c) { return c.get() == call; });
}

std::optional<std::int64_t> B2bua::call_device(const Aor& who, std::int64_t room,
                                               const std::string& display,
                                               DeviceCallListener& listener, DeviceKind kind) {
    auto& impl = *impl_;
    const auto bindings = impl.locations.bindings(who, kind, impl.clock.wall_now());
    if (bindings.empty()) return std::nullopt;
    const Binding& device = bindings.back();
    auto call = std::make_unique<DeviceCall>();
    call->owner = &impl;
    call->handle = impl.next_device_handle++;
    call->room = room;
    call->listener = &listener;
    tmr_init(&call->ring_timer);
    tmr_init(&call->reaper);
    call->leg =
        impl.media.add_leg(room, std::nullopt, LegRole::supervisor,
                           B2bua::Impl::signalling_ip(device), B2bua::Impl::is_browser(device));
    call->offer = impl.offer_sdp(*call->leg, sdp::Direction::sendrecv, impl.random() >> 1, 1);
    mbuf* offer = body_mbuf(call->offer);
    const std::string from_uri = "sip:suflyor@" + impl.settings.domain;
    const std::string route =
        "sip:" + device.flow.source + ";lr;transport=" + device.flow.transport;
    const char* routes[] = {route.c_str()};
    // Auto-answer hints understood by most desk phones and softphones (Polycom, Yealink, Cisco,
    // Grandstream, Zoiper, baresip with answermode=auto); X-Suflyor-Monitor tells the web
    // softphone which monitor room the call belongs to (it answers those on its own).
    const int err = sipsess_connect(
        &call->session, impl.sessions, device.contact_uri.c_str(), display.c_str(),
        from_uri.c_str(), "suflyor", routes, 1, "application/sdp", offer, nullptr, nullptr, false,
        &DeviceCall::on_offer, &DeviceCall::on_answer, &DeviceCall::on_progress,
        &DeviceCall::on_established, nullptr, nullptr, &DeviceCall::on_close, call.get(),
        "Call-Info: <%s>;answer-after=0\r\nAlert-Info: "
        "<http://localhost/>;info=alert-autoanswer;delay=0\r\nX-Suflyor-Monitor: %lld\r\n",
        from_uri.c_str(), static_cast<long long>(room));
    mem_deref(offer);
    if (err != 0) {
        impl.media.remove_leg(*call->leg);
        spdlog::warn("b2bua: cannot call {}: {}", device.contact_uri, std::strerror(err));
        return std::nullopt;
    }
    tmr_start(&call->ring_timer,
              static_cast<std::uint64_t>(impl.settings.ring_timeout.count()) * 1000,
              &DeviceCall::on_ring_timeout, call.get());
    const auto handle = call->handle;
    impl.device_calls.push_back(std::move(call));
    return handle;
}

void B2bua::hang_up_device(std::int64_t handle) {
    for (auto& call : impl_->device_calls)
        if (call->handle == handle && !call->ended) {
            call->session = static_cast<sipsess*>(mem_deref(call->session)); // BYE or CANCEL
            call->end("server_hangup", false);
        }
}

} // namespace suflyor::sip
