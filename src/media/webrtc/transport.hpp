#pragma once
// PLACEHOLDER with the agreed facade shape; replaced by the webrtc helper's implementation.
#include "core/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <span>
#include <string>

#include <memory>
namespace suflyor::media::webrtc {
class Identity {
public:
    static std::unique_ptr<Identity> generate();
    std::string fingerprint() const;
};
enum class DtlsRole { client, server };
struct TransportParams {
    std::string local_ufrag, local_pwd, remote_ufrag, remote_pwd;
    DtlsRole role;
    std::string remote_fingerprint;
};
class DatagramSink {
public:
    virtual void send(std::span<const std::uint8_t>, const sockaddr_in& to) noexcept = 0;

protected:
    ~DatagramSink() = default;
};
enum class Received { rtp, rtcp, handled, dropped };
struct TransportStats {
    std::uint64_t stun_ok, stun_refused, dtls_foreign, dtls_failed, srtp_auth_failed,
        srtp_replayed, unknown;
};
constexpr std::size_t max_srtp_overhead = 148;
class Transport {
public:
    Transport(const Identity& identity, TransportParams params);
    ~Transport();
    Received on_datagram(std::span<std::uint8_t> buffer, std::size_t& len, const sockaddr_in& from,
                         core::MonoTime now, DatagramSink& sink) noexcept;
    bool protect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    bool protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    void on_tick(core::MonoTime now, DatagramSink& sink) noexcept;
    bool media_ready() const noexcept;
    const sockaddr_in* selected() const noexcept;
    bool consent_expired(core::MonoTime now) const noexcept;
    bool failed() const noexcept;
    const TransportStats& stats() const noexcept;
};
} // namespace suflyor::media::webrtc
