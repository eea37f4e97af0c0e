// The B2BUA's calls ended from outside their SIP dialogs: by the server stopping, and by the media
// engine finding a leg silent for too long.
#include "sip/b2bua_internal.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::sip {

std::size_t B2bua::hang_up_all(const std::string& reason) {
    impl_->closing = true;
    std::size_t ended = 0;
    for (auto& c : impl_->calls)
        if (!c->ended) {
            impl_->finish(*c, reason); // the reaper sends BYE or CANCEL to each leg
            ++ended;
        }
    return ended;
}

bool B2bua::settled() const {
    // Every session holds a reference to the socket it was made on, including the ones libre
    // keeps after we released them until their BYE or CANCEL is answered (or times out).
    const bool sessions_gone = impl_->sessions == nullptr || mem_nrefs(impl_->sessions) <= 1;
    return impl_->calls.empty() && impl_->device_calls.empty() && impl_->graveyard.empty() &&
           sessions_gone;
}

void Call::note_hold(bool calling_side, bool holds) {
    bool& flag = calling_side ? client_holds : op_holds;
    if (flag == holds) return;
    flag = holds;
    spdlog::info("b2bua: call {}: the {} side {} the call", id, calling_side ? "calling" : "called",
                 holds ? "holds" : "resumes");
}

bool B2bua::media_timed_out(std::int64_t room, std::uint8_t slot) {
    for (auto& d : impl_->device_calls)
        if (d->room == room && d->leg && d->leg->slot == slot && d->answered && !d->ended) {
            spdlog::info("b2bua: device call {}: no media for the RTP timeout, hanging up",
                         d->handle);
            d->end("media_timeout", true);
            return true;
        }
    for (auto& c : impl_->calls) {
        if (c->room != room || c->ended || !c->answered) continue;
        const bool its_leg = c->client_leg.slot == slot || (c->op_leg && c->op_leg->slot == slot);
        if (!its_leg) continue;
        if (c->client_holds || c->op_holds) {
            spdlog::info("b2bua: call {}: a leg is silent while the call is on hold: kept", c->id);
            return false;
        }
        spdlog::info("b2bua: call {}: no media from slot {} for the RTP timeout", c->id, slot);
        impl_->finish(*c, "media_timeout");
        return true;
    }
    return false;
}

} // namespace suflyor::sip
