#pragma once
// DTLS 1.2 for DTLS-SRTP (RFC 5763, RFC 5764) with OpenSSL 3 and in-memory I/O: the caller hands
// in datagrams and sends what the session queues. The peer's certificate is self-signed and is
// trusted only if its digest matches the a=fingerprint of the peer's SDP.
#include "core/clock.hpp"
#include "media/webrtc/srtp.hpp"

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::media::webrtc {

// a=setup: we are active -> client; passive -> server.
enum class DtlsRole : std::uint8_t { client, server };

// This server's DTLS certificate: a self-signed ECDSA P-256 certificate and key, generated at
// start and shared (read-only) by every session on every thread.
class Identity {
public:
    static Identity generate(); // throws core::Error
    Identity(Identity&&) noexcept;
    Identity& operator=(Identity&&) noexcept;
    ~Identity();

    // For the SDP's a=fingerprint: "sha-256 AB:CD:...".
    [[nodiscard]] const std::string& fingerprint() const noexcept;
    [[nodiscard]] X509* certificate() const noexcept;
    [[nodiscard]] EVP_PKEY* private_key() const noexcept;

    struct State;
    [[nodiscard]] const State& state() const noexcept { return *state_; }

private:
    explicit Identity(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// "sha-256 AB:CD:..." of a certificate.
std::string certificate_fingerprint(X509* certificate);
// Does `certificate` match an SDP fingerprint ("sha-256", "sha-384" or "sha-512", hex pairs
// separated by colons, either case)? Anything unparsable or weaker does not match.
bool fingerprint_matches(X509* certificate, std::string_view sdp_fingerprint);

class DtlsSession {
public:
    enum class State : std::uint8_t { idle, handshaking, connected, closed, failed };
    struct Options {
        // First retransmission timeout (RFC 6347 §4.2.4.1 says 1 s; it doubles on each loss).
        std::chrono::milliseconds initial_timeout{1000};
        std::uint16_t mtu = 1200; // largest record datagram we send
    };

    DtlsSession(const Identity& identity, DtlsRole role, std::string remote_fingerprint,
                Options options);
    DtlsSession(const Identity& identity, DtlsRole role, std::string remote_fingerprint)
        : DtlsSession(identity, role, std::move(remote_fingerprint), Options{}) {}
    DtlsSession(DtlsSession&&) noexcept;
    DtlsSession& operator=(DtlsSession&&) noexcept;
    ~DtlsSession();

    // Starts the handshake: a client queues its ClientHello, a server waits for one. Idempotent.
    void start(core::MonoTime now);
    // One datagram of DTLS records from the peer (starts a server session if idle).
    void on_datagram(std::span<const std::uint8_t> datagram, core::MonoTime now);
    // Retransmits the last flight when its timer is due; cheap otherwise.
    void on_tick(core::MonoTime now);
    // Queues a close_notify alert (if connected) and ends the session.
    void close();

    [[nodiscard]] State state() const noexcept;
    // The negotiated profile and the keys for each direction, once connected.
    [[nodiscard]] const std::optional<SrtpKeys>& srtp_keys() const noexcept;
    // When on_tick() next has something to do (a handshake flight to retransmit), if ever.
    [[nodiscard]] std::optional<core::MonoTime> next_timeout() const noexcept;
    // Why the session failed (OpenSSL's reason or ours), empty otherwise.
    [[nodiscard]] const std::string& failure() const noexcept;

    // Datagrams to send to the peer, in order. The caller sends them and clears the vector.
    std::vector<std::vector<std::uint8_t>>& outgoing() noexcept;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace suflyor::media::webrtc
