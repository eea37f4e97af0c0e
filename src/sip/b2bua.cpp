// B2BUA call flow on libre's sipsess: client INVITE from a trunk → route to the project's
// operators one by one → relay ringing → on the operator's answer bridge the media and answer the
// client → BYE/CANCEL from either side ends both. Runs on the control loop. Calls the server
// places itself are in b2bua_originate.cpp and b2bua_device.cpp.
#include "sip/b2bua_internal.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

namespace suflyor::sip {

B2bua::Impl::~Impl() {
    tmr_cancel(&overload_probe);
    tmr_cancel(&collector);
    on_collect(this);
    device_calls.clear();
    calls.clear();
    if (sessions != nullptr) sipsess_close_all(sessions);
    mem_deref(sessions);
}

void B2bua::Impl::start() {
    tmr_init(&collector);
    tmr_init(&overload_probe);
    start_overload_probe();
    if (const int err = sipsess_listen(&sessions, stack, 4096, &Impl::on_connect, this))
        throw std::runtime_error("b2bua: cannot listen for sessions (" + std::to_string(err) + ")");
}

void B2bua::Impl::on_connect(const sip_msg* msg, void* arg) {
    static_cast<Impl*>(arg)->connect(msg);
}

void B2bua::Impl::start_overload_probe() {
    probe_due = clock.mono_now() + settings.overload.probe_period;
    tmr_start(&overload_probe, static_cast<std::uint64_t>(settings.overload.probe_period.count()),
              &Impl::on_overload_probe, this);
}

void B2bua::Impl::on_overload_probe(void* arg) {
    auto* self = static_cast<Impl*>(arg);
    self->overload.on_probe(self->probe_due);
    self->start_overload_probe();
}

void B2bua::Impl::connect(const sip_msg* msg) {
    if (closing) {
        (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 503, "Service Unavailable",
                          "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    if (overload.refuse_new_call()) {
        // RFC 3261 §21.5.4: the trunk may try another server or come back after Retry-After.
        (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 503, "Service Unavailable",
                          "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
        if (overload.refused() % 100 == 1)
            spdlog::warn("b2bua: the loop runs {} ms behind: new calls refused with 503 ({} so "
                         "far)",
                         overload.last_lag().count(), overload.refused());
        return;
    }
    const Trunk* trunk = trunks.by_source(ip_of(msg->src));
    const std::string dialled(view(msg->uri.user));
    std::optional<CallPlan> plan;
    if (trunk != nullptr) {
        plan = router.route_from_trunk(*trunk, normalize_number(dialled));
        if (plan) {
            // The client is who the provider says is calling.
            const std::string caller(view(msg->from.uri.user));
            plan->client_number =
                normalize_number(caller).empty() ? caller : normalize_number(caller);
            plan->presented_number = plan->client_number;
        }
    } else {
        // The SIP edge authenticated this request as its From user.
        plan = router.route_from_employee(std::string(view(msg->from.uri.host)),
                                          std::string(view(msg->from.uri.user)), dialled);
    }
    if (!plan) {
        spdlog::info("b2bua: {} call to {}: no route", trunk != nullptr ? trunk->name : "employee",
                     dialled);
        (void)sip_treply(nullptr, stack, msg, 404, "Not Found");
        return;
    }
    const auto parsed = sdp::parse_sdp(body_of(msg));
    if (!parsed.ok()) {
        (void)sip_treply(nullptr, stack, msg, 400, "Bad Session Description");
        return;
    }
    const auto chosen = sdp::negotiate(parsed.value(), settings.capabilities);
    if (!chosen.ok()) {
        (void)sip_treply(nullptr, stack, msg, 488, "Not Acceptable Here");
        return;
    }

    auto call = std::make_unique<Call>();
    call->owner = this;
    call->plan = *plan;
    call->client_number = plan->client_number;
    call->client_offer = parsed.value();
    call->client_media = chosen.value();
    call->sdp_session = random() >> 1;
    tmr_init(&call->ring_timer);
    tmr_init(&call->reaper);
    try {
        call->room = media.create_room();
        // The calling side is the client on inbound calls, the operator on outbound/internal ones.
        call->client_leg =
            media.add_leg(call->room, call->client_media,
                          plan->kind == CallKind::inbound ? LegRole::client : LegRole::operator_,
                          ip_of(msg->src));
    } catch (const std::exception& e) {
        spdlog::error("b2bua: no media for a call from {}: {}", call->client_number, e.what());
        if (call->room != 0) media.destroy_room(call->room);
        (void)sip_treply(nullptr, stack, msg, 503, "Service Unavailable");
        return;
    }
    call->id = router.call_started(call->plan);
    if (!call->ring_next()) {
        media.destroy_room(call->room);
        router.call_ended(call->id, "no_operator");
        (void)sip_treply(nullptr, stack, msg, 480, "Temporarily Unavailable");
        return;
    }
    const int err = sipsess_accept(
        &call->client, sessions, msg, 180, "Ringing", "suflyor", "application/sdp", nullptr,
        nullptr, nullptr, false, &Call::on_client_offer, &Call::on_client_answer,
        &Call::on_client_established, nullptr, nullptr, &Call::on_client_close, call.get(), "");
    if (err != 0) {
        spdlog::error("b2bua: cannot accept the INVITE: {}", std::strerror(err));
        call->ended = true;
        media.destroy_room(call->room);
        router.call_ended(call->id, "internal_error");
        return;
    }
    spdlog::info("b2bua: call {} ({}) from {} to {}", call->id,
                 plan->kind == CallKind::inbound    ? "inbound"
                 : plan->kind == CallKind::outbound ? "outbound"
                                                    : "internal",
                 std::string(view(msg->from.uri.user)), dialled);
    adopt(std::move(call));
}

std::optional<Binding> B2bua::Impl::device_of(const Aor& aor) const {
    auto bindings = locations.bindings(aor, clock.wall_now());
    if (bindings.empty()) return std::nullopt;
    return std::move(bindings.back()); // the most recent registration
}

void B2bua::Impl::finish(Call& call, const std::string& reason) {
    if (call.ended) return;
    call.ended = true;
    tmr_cancel(&call.ring_timer);
    // The sessions are released by the reaper (releasing one sends BYE when established, CANCEL
    // while ringing) — not here, where one of them may be inside its own close handler.
    media.destroy_room(call.room);
    router.call_ended(call.id, reason);
    spdlog::info("b2bua: call {} ended ({})", call.id, reason);
    // Freed from the loop, not from inside the libre callback that is still running.
    tmr_start(&call.reaper, 0, &Call::on_reap, &call);
}

bool Call::ring_next() {
    auto& impl = *owner;
    if (plan.kind == CallKind::outbound) {
        if (next_target++ > 0) return false; // one trunk attempt
        // The trunk's signalling IP comes with its answer (update_leg).
        return ring_target(plan.trunk_uri, std::nullopt, {});
    }
    while (next_target < plan.employees.size()) {
        const Aor aor = plan.employees[next_target++];
        const auto device = impl.device_of(aor);
        if (!device ||
            !ring_target(device->contact_uri, B2bua::Impl::route_to(*device),
                         B2bua::Impl::signalling_ip(*device), B2bua::Impl::is_browser(*device)))
            continue;
        ringing = aor;
        // On an originated call the operator is the employee who clicked, rung first.
        if (!originated) impl.router.call_ringing(id, aor);
        return true;
    }
    return false;
}

bool Call::ring_target(const std::string& request_uri, const std::optional<std::string>& route,
                       const std::string& signalling_ip, bool browser) {
    auto& impl = *owner;
    try {
        // The called side is the client unless an employee is called by a client or a colleague.
        op_leg = impl.media.add_leg(
            room, std::nullopt,
            plan.kind == CallKind::outbound || originated ? LegRole::client : LegRole::operator_,
            signalling_ip, browser);
    } catch (const std::exception& e) {
        spdlog::error("b2bua: no media leg for the called side: {}", e.what());
        return false;
    }
    op_offer = impl.offer_sdp(*op_leg, sdp::Direction::sendrecv, sdp_session, 1);
    Body offer(sdp::write_sdp(op_offer));
    const std::string from_uri = "sip:" + plan.presented_number + "@" + impl.settings.domain;
    const char* routes[] = {route ? route->c_str() : nullptr};
    const int err = sipsess_connect(
        &op, impl.sessions, request_uri.c_str(), plan.presented_number.c_str(), from_uri.c_str(),
        "suflyor", route ? routes : nullptr, route ? 1 : 0, "application/sdp", offer.mb, nullptr,
        nullptr, false, &Call::on_op_offer, &Call::on_op_answer, &Call::on_op_progress,
        &Call::on_op_established, nullptr, nullptr, &Call::on_op_close, this, "");
    if (err != 0) {
        spdlog::warn("b2bua: cannot call {}: {}", request_uri, std::strerror(err));
        drop_operator_leg();
        return false;
    }
    tmr_start(&ring_timer, impl.ring_timeout_ms(), &Call::on_ring_timeout, this);
    return true;
}

void Call::drop_operator_leg() {
    op = static_cast<sipsess*>(mem_deref(op));
    if (op_leg) owner->media.remove_leg(*op_leg);
    op_leg.reset();
    ringing.reset();
}

void Call::give_up(const std::string& reason) {
    // An originated A leg is established: the reaper hangs it up with the call.
    if (!originated) (void)sipsess_reject(client, 480, "Temporarily Unavailable", "");
    owner->finish(*this, reason);
}

void Call::bridge() {
    const bool caller_is_client = plan.kind == CallKind::inbound;
    owner->media.bridge(room, caller_is_client ? client_leg : *op_leg,
                        caller_is_client ? *op_leg : client_leg);
}

int Call::on_op_answer(const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    auto& impl = *call.owner;
    const auto answer = sdp::parse_sdp(body_of(msg));
    if (!answer.ok()) return EPROTO;
    const auto media = sdp::accept_answer(call.op_offer, answer.value());
    if (!media.ok()) return EPROTO;
    if (call.ended) return 0; // too late: the call ended meanwhile, its room is gone
    impl.media.update_leg(*call.op_leg, media.value(), ip_of(msg->src));
    if (call.answered) return 0; // the answer to a re-INVITE of ours
    call.bridge();
    tmr_cancel(&call.ring_timer);
    call.answered = true;
    if (call.originated) {
        spdlog::info("b2bua: call {}: {} answered", call.id, call.client_number);
        impl.router.call_answered(call.id, call.room,
                                  impl.media.start_recording(call.room, call.id));
        return 0;
    }
    const auto client_answer =
        impl.answer_sdp(call.client_offer, call.client_media, call.client_leg, call.sdp_session, 1);
    Body body(sdp::write_sdp(client_answer));
    if (const int err = sipsess_answer(call.client, 200, "OK", body.mb, "")) {
        spdlog::error("b2bua: cannot answer call {}: {}", call.id, std::strerror(err));
        impl.finish(call, "internal_error");
        return 0;
    }
    impl.router.call_answered(call.id, call.room, impl.media.start_recording(call.room, call.id));
    return 0;
}

void Call::on_op_progress(const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    auto& impl = *call.owner;
    const auto body = body_of(msg);
    if (msg->scode == 183 && !body.empty()) {
        // Early media (announcements, ringback from a provider): bridge now and pass it on.
        const auto answer = sdp::parse_sdp(body);
        const auto media = answer.ok() ? sdp::accept_answer(call.op_offer, answer.value())
                                       : sdp::Result<sdp::Negotiated, sdp::NegotiationError>(
                                             sdp::NegotiationError::bad_answer);
        if (media.ok()) {
            impl.media.update_leg(*call.op_leg, media.value(), ip_of(msg->src));
            call.bridge();
            // An originated A leg is answered already: it hears the early media as it is.
            if (call.originated) return;
            Body early(sdp::write_sdp(impl.answer_sdp(call.client_offer, call.client_media,
                                                      call.client_leg, call.sdp_session, 1)));
            (void)sipsess_progress(call.client, 183, "Session Progress", early.mb, "");
            return;
        }
    }
    // Plain ringing is not relayed: the caller has had its 180 since its INVITE was accepted.
}

void Call::on_op_established(const sip_msg*, void*) {}

void Call::on_op_close(int err, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    auto& impl = *call.owner;
    if (call.answered) {
        impl.finish(call, call.plan.kind == CallKind::outbound ? "client_hangup"
                          : call.originated                    ? "callee_hangup"
                                                               : "operator_hangup");
        return;
    }
    const unsigned code = msg != nullptr ? msg->scode : 0;
    spdlog::info("b2bua: call {}: the called side did not answer ({})", call.id,
                 code != 0 ? std::to_string(code) : std::string(std::strerror(err)));
    tmr_cancel(&call.ring_timer);
    impl.bury(call.op);
    call.op = nullptr;
    if (call.op_leg) impl.media.remove_leg(*call.op_leg);
    call.op_leg.reset();
    call.ringing.reset();
    if (!call.ring_next())
        call.give_up(call.originated ? callee_failure_reason(code) : "no_answer");
}

void Call::on_ring_timeout(void* arg) {
    auto& call = *static_cast<Call*>(arg);
    spdlog::info("b2bua: call {}: ring timeout", call.id);
    call.drop_operator_leg(); // CANCELs the ringing INVITE
    if (!call.ring_next()) call.give_up("no_answer");
}

namespace {

// The direction the other side should get: what the offerer does, seen from us relaying it.
sdp::Direction carried(const sdp::SessionDescription& offer, std::size_t media_index) {
    const auto& m = offer.media.at(media_index);
    if (sdp::is_hold(m))
        return m.direction == sdp::Direction::inactive ? sdp::Direction::inactive
                                                       : sdp::Direction::sendonly;
    return sdp::Direction::sendrecv;
}

} // namespace

void Call::propagate_direction(sipsess* to, bool to_client, sdp::Direction direction) {
    if (to == nullptr || !answered) return;
    auto& impl = *owner;
    auto offer =
        impl.offer_sdp(to_client ? client_leg : *op_leg, direction, sdp_session, ++sdp_version);
    (to_client ? client_reoffer : op_offer) = offer;
    mbuf* mb = body_mbuf(offer);
    if (const int err = sipsess_modify(to, mb))
        spdlog::warn("b2bua: call {}: cannot send a re-INVITE: {}", id, std::strerror(err));
    mem_deref(mb);
}

int Call::on_op_offer(mbuf** desc, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    auto& impl = *call.owner;
    const auto offer = sdp::parse_sdp(body_of(msg));
    if (!offer.ok()) return EPROTO;
    const auto chosen = sdp::negotiate(offer.value(), impl.settings.capabilities);
    if (!chosen.ok() || !call.op_leg) return EPROTO;
    impl.media.update_leg(*call.op_leg, chosen.value(), ip_of(msg->src));
    *desc = body_mbuf(impl.answer_sdp(offer.value(), chosen.value(), *call.op_leg, call.sdp_session,
                                      ++call.sdp_version));
    call.note_hold(false, sdp::is_hold(offer.value().media.at(chosen.value().media_index)));
    call.propagate_direction(call.client, true, carried(offer.value(), chosen.value().media_index));
    return 0;
}

int Call::on_client_offer(mbuf** desc, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    auto& impl = *call.owner;
    const auto offer = sdp::parse_sdp(body_of(msg));
    if (!offer.ok()) return EPROTO;
    const auto chosen = sdp::negotiate(offer.value(), impl.settings.capabilities);
    if (!chosen.ok()) return EPROTO;
    call.client_offer = offer.value();
    call.client_media = chosen.value();
    impl.media.update_leg(call.client_leg, call.client_media, ip_of(msg->src));
    *desc = body_mbuf(impl.answer_sdp(call.client_offer, call.client_media, call.client_leg,
                                      call.sdp_session, ++call.sdp_version));
    call.note_hold(true, sdp::is_hold(offer.value().media.at(chosen.value().media_index)));
    call.propagate_direction(call.op, false, carried(offer.value(), chosen.value().media_index));
    return 0;
}

int Call::on_client_answer(const sip_msg* msg, void* arg) {
    // The answer to a re-INVITE we sent to the calling side.
    auto& call = *static_cast<Call*>(arg);
    const auto answer = sdp::parse_sdp(body_of(msg));
    if (!answer.ok()) return EPROTO;
    const auto media = sdp::accept_answer(call.client_reoffer, answer.value());
    if (!media.ok()) return EPROTO;
    call.client_media = media.value();
    call.owner->media.update_leg(call.client_leg, call.client_media, ip_of(msg->src));
    return 0;
}

void Call::on_client_established(const sip_msg*, void*) {}

void Call::on_client_close(int err, const sip_msg* msg, void* arg) {
    auto& call = *static_cast<Call*>(arg);
    const bool caller_is_client = call.plan.kind == CallKind::inbound;
    call.owner->finish(call, !call.answered     ? "cancelled"
                             : caller_is_client ? "client_hangup"
                                                : "operator_hangup");
}

void Call::on_reap(void* arg) {
    auto* call = static_cast<Call*>(arg);
    if (call->position) call->owner->calls.erase(*call->position);
}

void B2bua::Impl::adopt(std::unique_ptr<Call> call) {
    Call* raw = call.get();
    calls.push_back(std::move(call));
    raw->position = std::prev(calls.end());
}

B2bua::B2bua(::sip* stack, const B2buaSettings& settings, const TrunkTable& trunks,
             const LocationService& locations, const core::Clock& clock, MediaAnchor& media,
             CallRouter& router)
    : impl_(std::make_unique<Impl>(stack, settings, trunks, locations, clock, media, router)) {
    impl_->start();
}

B2bua::~B2bua() = default;

std::uint64_t B2bua::refused_overloaded() const { return impl_->overload.refused(); }

std::chrono::milliseconds B2bua::loop_lag() const { return impl_->overload.last_lag(); }

std::optional<B2bua::CallMedia> B2bua::media_of(std::int64_t call_id) const {
    for (const auto& c : impl_->calls) {
        if (c->id != call_id || c->ended || !c->answered || !c->op_leg) continue;
        // The calling side is the client on inbound calls, the operator otherwise.
        const bool inbound = c->plan.kind == CallKind::inbound;
        const auto caller = c->client_leg.slot;
        const auto called = c->op_leg->slot;
        return CallMedia{c->room, inbound ? caller : called, inbound ? called : caller};
    }
    return std::nullopt;
}

bool B2bua::hang_up(std::int64_t call_id, const std::string& reason) {
    for (auto& c : impl_->calls)
        if (c->id == call_id && !c->ended) {
            impl_->finish(*c, reason); // the reaper sends BYE or CANCEL to each leg
            return true;
        }
    return false;
}

std::size_t B2bua::active_calls() const {
    std::size_t n = 0;
    for (const auto& c : impl_->calls)
        n += c->ended ? 0 : 1;
    return n;
}

} // namespace suflyor::sip
