#include "media/webrtc/transport.hpp"

#include "media/webrtc/demux.hpp"

#include <array>
#include <exception>

namespace suflyor::media::webrtc {

Transport::Transport(const Identity& identity, TransportParams params,
                     DtlsSession::Options dtls_options)
    : ice_(std::move(params.local_ufrag), std::move(params.local_pwd),
           std::move(params.remote_ufrag)),
      dtls_(identity, params.role, std::move(params.remote_fingerprint), dtls_options) {}

Received Transport::on_datagram(std::span<std::uint8_t> buffer, std::size_t& len,
                                const sockaddr_in& from, core::MonoTime now,
                                DatagramSink& sink) noexcept {
    if (len > buffer.size()) {
        ++stats_.unknown;
        return Received::dropped;
    }
    const auto datagram = buffer.first(len);
    switch (classify(datagram)) {
    case PacketKind::rtp: return on_srtp(buffer, len, false);
    case PacketKind::rtcp: return on_srtp(buffer, len, true);
    case PacketKind::stun:
    case PacketKind::dtls:
        // Control rate: these may allocate, and so may throw; a throw drops the datagram.
        try {
            return classify(datagram) == PacketKind::stun ? on_stun(datagram, from, now, sink)
                                                          : on_dtls(datagram, from, now, sink);
        } catch (const std::exception&) {
            ++stats_.unknown;
            return Received::dropped;
        }
    case PacketKind::unknown: break;
    }
    ++stats_.unknown;
    return Received::dropped;
}

Received Transport::on_stun(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                            core::MonoTime now, DatagramSink& sink) {
    std::array<std::uint8_t, ice_reply_capacity> reply;
    const IceResult result = ice_.on_stun(datagram, from, now, reply);
    if (result.reply_size > 0) sink.send(std::span{reply}.first(result.reply_size), from);
    switch (result.verdict) {
    case IceVerdict::success:
        ++stats_.stun_ok;
        // An active (client) DTLS side starts once it knows where the peer is.
        if (selected() && dtls_.state() == DtlsSession::State::idle) {
            dtls_.start(now);
            after_dtls(sink);
        }
        return Received::handled;
    case IceVerdict::ignored: return Received::handled;
    case IceVerdict::refused:
    case IceVerdict::dropped: break;
    }
    ++stats_.stun_refused;
    return Received::dropped;
}

Received Transport::on_dtls(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                            core::MonoTime now, DatagramSink& sink) {
    // DTLS only from the address ICE validated and the peer nominated: a ClientHello spoofed from
    // elsewhere must not reach (let alone reset) the session.
    const sockaddr_in* peer = selected();
    if (!peer || !same_address(*peer, from)) {
        ++stats_.dtls_foreign;
        return Received::dropped;
    }
    dtls_.on_datagram(datagram, now);
    after_dtls(sink);
    return failed() ? Received::dropped : Received::handled;
}

void Transport::after_dtls(DatagramSink& sink) {
    auto& out = dtls_.outgoing();
    if (const sockaddr_in* peer = selected())
        for (const auto& datagram : out)
            sink.send(datagram, *peer);
    out.clear();
    switch (dtls_.state()) {
    case DtlsSession::State::connected:
        if (!media_ready() && dtls_.srtp_keys()) {
            const SrtpKeys& keys = *dtls_.srtp_keys();
            inbound_.emplace(keys.profile, keys.remote_key(), SrtpSession::Direction::inbound);
            outbound_.emplace(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);
        }
        break;
    case DtlsSession::State::failed:
        if (stats_.dtls_failed == 0) ++stats_.dtls_failed;
        [[fallthrough]];
    case DtlsSession::State::closed:
        inbound_.reset();
        outbound_.reset();
        break;
    case DtlsSession::State::idle:
    case DtlsSession::State::handshaking: break;
    }
}

Received Transport::on_srtp(std::span<std::uint8_t> buffer, std::size_t& len, bool rtcp) noexcept {
    if (!inbound_) {
        ++stats_.media_not_ready;
        return Received::dropped;
    }
    std::size_t n = len;
    const SrtpResult result =
        rtcp ? inbound_->unprotect_rtcp(buffer, n) : inbound_->unprotect_rtp(buffer, n);
    switch (result) {
    case SrtpResult::ok: len = n; return rtcp ? Received::rtcp : Received::rtp;
    case SrtpResult::auth_failed: ++stats_.srtp_auth_failed; break;
    case SrtpResult::replayed: ++stats_.srtp_replayed; break;
    case SrtpResult::invalid: ++stats_.unknown; break;
    }
    return Received::dropped;
}

bool Transport::protect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    return outbound_ && outbound_->protect_rtp(buffer, len) == SrtpResult::ok;
}

bool Transport::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    return outbound_ && outbound_->protect_rtcp(buffer, len) == SrtpResult::ok;
}

void Transport::on_tick(core::MonoTime now, DatagramSink& sink) noexcept {
    const auto deadline = dtls_.next_timeout();
    if (!deadline || now < *deadline) return; // the common case: nothing due
    try {
        dtls_.on_tick(now);
        after_dtls(sink);
    } catch (const std::exception&) {
        dtls_.outgoing().clear();
    }
}

void Transport::close(DatagramSink& sink) noexcept {
    try {
        dtls_.close();
        after_dtls(sink);
    } catch (const std::exception&) {
        dtls_.outgoing().clear();
    }
    inbound_.reset();
    outbound_.reset();
}

} // namespace suflyor::media::webrtc
