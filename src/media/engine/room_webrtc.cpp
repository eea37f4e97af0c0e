// The WebRTC side of a room's data path: a browser leg's datagrams pass its transport (STUN
// answered, DTLS handshaken, SRTP removed in place) before the RTP path, and what is sent to it
// is protected on the way out. No allocation, lock or exception here.
#include "media/engine/room.hpp"

#include <cstring>

namespace suflyor::media {

namespace {

// STUN responses and DTLS flights leave from the leg's RTP socket (the port the browser checks).
class LegSink final : public webrtc::DatagramSink {
public:
    LegSink(PacketSender& sender, Leg& leg) noexcept : sender_(sender), leg_(leg) {}
    void send(std::span<const std::uint8_t> bytes, const sockaddr_in& to) noexcept override {
        if (!sender_.send(leg_.rtp_fd.get(), &to, bytes)) ++leg_.stats.send_errors;
    }

private:
    PacketSender& sender_;
    Leg& leg_;
};

} // namespace

void Room::on_webrtc_datagram(Leg& leg, std::span<std::uint8_t> datagram, const sockaddr_in& from,
                              core::MonoTime now) noexcept {
    if (!leg.webrtc) { // our offer is out, the browser's answer (its credentials) not in yet
        ++leg.stats.dropped_other;
        return;
    }
    LegSink sink(ctx_.sender, leg);
    std::size_t length = datagram.size();
    const webrtc::Received received = leg.webrtc->on_datagram(datagram, length, from, now, sink);
    follow_selected(leg);
    switch (received) {
    case webrtc::Received::rtp:
        on_rtp_datagram(leg, datagram.first(length), from_sockaddr(from), now);
        return;
    case webrtc::Received::rtcp:
        on_rtcp_datagram(leg, datagram.first(length), from_sockaddr(from), now);
        return;
    case webrtc::Received::handled: return;
    case webrtc::Received::dropped: ++leg.stats.dropped_other; return;
    }
}

// ICE chooses where a browser's media comes from and goes to: the nominated address becomes the
// leg's only accepted source and its target (one refresh when it changes, never per packet).
void Room::follow_selected(Leg& leg) noexcept {
    const sockaddr_in* selected = leg.webrtc ? leg.webrtc->selected() : nullptr;
    if (selected == nullptr) return;
    const Endpoint address = from_sockaddr(*selected);
    if (address == leg.spec.media.remote) return;
    leg.spec.media.remote = address;
    leg.source_filter.expect(address, address.ipv4);
    leg.refresh_targets();
}

bool Room::send_protected(Leg& leg, std::span<const std::uint8_t> bytes, bool rtcp) noexcept {
    auto& buffer = ctx_.scratch.secure;
    if (!leg.webrtc || leg.consent_lost || !leg.webrtc->media_ready() ||
        leg.rtp_addr.sin_port == 0 || bytes.size() > max_datagram)
        return false;
    std::memcpy(buffer.data(), bytes.data(), bytes.size());
    std::size_t length = bytes.size();
    const bool protected_ =
        rtcp ? leg.webrtc->protect_rtcp(buffer, length) : leg.webrtc->protect_rtp(buffer, length);
    return protected_ && ctx_.sender.send(leg.rtp_fd.get(), &leg.rtp_addr,
                                          std::span<const std::uint8_t>(buffer.data(), length));
}

// Per tick: DTLS retransmissions, and the end of consent (RFC 7675: no valid check for 30 s) or
// a failed handshake, which end the leg's media once (reported like an RTP timeout).
void Room::webrtc_maintenance(Leg& leg, core::MonoTime now) noexcept {
    if (!leg.webrtc || leg.consent_lost) return;
    LegSink sink(ctx_.sender, leg);
    leg.webrtc->on_tick(now, sink);
    const bool dead = leg.webrtc->failed() ||
                      (leg.webrtc->selected() != nullptr && leg.webrtc->consent_expired(now));
    if (!dead) return;
    leg.consent_lost = true;
    leg.timed_out = true;
    emit(EventKind::rtp_timeout, leg);
}

} // namespace suflyor::media
