#pragma once
// One WebRTC leg's transport on one UDP socket: ICE-lite answers, DTLS-SRTP handshake and SRTP
// protection, demultiplexed by first byte. The engine calls it per datagram and per tick; it
// sends through a DatagramSink and never blocks. The SRTP path adds no allocation, lock or
// exception of its own (libsrtp2's crypto backend is another matter: see srtp.hpp).
#include "core/clock.hpp"
#include "media/webrtc/dtls.hpp"
#include "media/webrtc/ice_lite.hpp"
#include "media/webrtc/srtp.hpp"

#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <optional>
#include <span>
#include <string>

namespace suflyor::media::webrtc {

struct TransportParams {
    std::string local_ufrag, local_pwd, remote_ufrag, remote_pwd;
    DtlsRole role = DtlsRole::server;
    std::string remote_fingerprint; // "sha-256 AB:CD:..." as in the peer's a=fingerprint
};

class DatagramSink {
public:
    virtual void send(std::span<const std::uint8_t> datagram, const sockaddr_in& to) noexcept = 0;

protected:
    ~DatagramSink() = default;
};

enum class Received : std::uint8_t { rtp, rtcp, handled, dropped };

struct TransportStats {
    std::uint64_t stun_ok = 0;          // valid checks answered with a success response
    std::uint64_t stun_refused = 0;     // requests refused (error response) or dropped
    std::uint64_t dtls_foreign = 0;     // DTLS records from other than the selected address
    std::uint64_t dtls_failed = 0;      // handshakes that failed (at most 1 per transport)
    std::uint64_t srtp_auth_failed = 0; // SRTP/SRTCP whose tag did not verify
    std::uint64_t srtp_replayed = 0;    // SRTP/SRTCP replays
    std::uint64_t unknown = 0;          // datagrams of no known kind, or malformed RTP/RTCP
    std::uint64_t media_not_ready = 0;  // RTP/RTCP before the keys were ready
};

class Transport {
public:
    Transport(const Identity& identity, TransportParams params,
              DtlsSession::Options dtls_options = {});

    // One datagram from `from`; SRTP/SRTCP is removed in place and len updated when it returns
    // rtp/rtcp. STUN replies and DTLS flights go out through `sink`.
    Received on_datagram(std::span<std::uint8_t> buffer, std::size_t& len, const sockaddr_in& from,
                         core::MonoTime now, DatagramSink& sink) noexcept;
    // In place; buffer.size() >= len + max_srtp_overhead. False until media_ready().
    bool protect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    bool protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    // An ICE restart (new credentials in a re-offer or re-answer) over the same DTLS association:
    // the new agent replaces the old one and nothing is selected until the browser nominates
    // again; DTLS and SRTP go on (a browser keeps its DTLS association across an ICE restart).
    void restart_ice(IceLite ice) noexcept { ice_ = std::move(ice); }
    // DTLS retransmissions; cheap when idle.
    void on_tick(core::MonoTime now, DatagramSink& sink) noexcept;
    // Sends a close_notify to the selected address (if connected) and stops the media.
    void close(DatagramSink& sink) noexcept;

    [[nodiscard]] bool media_ready() const noexcept { return inbound_ && outbound_; }
    // The ICE-validated, nominated address; null before.
    [[nodiscard]] const sockaddr_in* selected() const noexcept { return ice_.selected(); }
    [[nodiscard]] bool consent_expired(core::MonoTime now) const noexcept {
        return ice_.consent_expired(now);
    }
    // DTLS failed or the fingerprint did not match.
    [[nodiscard]] bool failed() const noexcept {
        return dtls_.state() == DtlsSession::State::failed;
    }
    // The peer sent a close_notify (or close() was called).
    [[nodiscard]] bool closed() const noexcept {
        return dtls_.state() == DtlsSession::State::closed;
    }
    [[nodiscard]] const TransportStats& stats() const noexcept { return stats_; }
    [[nodiscard]] const DtlsSession& dtls() const noexcept { return dtls_; }

private:
    Received on_stun(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                     core::MonoTime now, DatagramSink& sink);
    Received on_dtls(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                     core::MonoTime now, DatagramSink& sink);
    Received on_srtp(std::span<std::uint8_t> buffer, std::size_t& len, bool rtcp) noexcept;
    void after_dtls(DatagramSink& sink);

    IceLite ice_;
    DtlsSession dtls_;
    std::optional<SrtpSession> inbound_;
    std::optional<SrtpSession> outbound_;
    TransportStats stats_;
};

} // namespace suflyor::media::webrtc
