#pragma once
// Public header of the sip module: the SIP edge on libre (transports, registrar with digest
// authentication). It runs on the control loop (libre's re_main thread) and knows the domain only
// through the small interfaces below, which the app wires to the store.
#include "core/clock.hpp"
#include "sip/auth_limiter.hpp"
#include "sip/digest.hpp"
#include "sip/location.hpp"
#include "sip/timer_parking.hpp"
#include "sip/trunks.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sip; // libre's SIP stack

namespace suflyor::sip {

struct SipSettings {
    std::string listen_host{"127.0.0.1"};
    std::uint16_t listen_port{5060}; // 0: any free port (tests)
    std::vector<std::string> transports{"udp", "tcp"};
    std::string tls_certificate; // PEM with certificate and key; TLS listens on listen_port + 1
    bool authenticate_options{true};
    std::chrono::seconds nonce_ttl{300};
    std::int64_t max_auth_failures_per_minute{10};
    std::uint32_t min_expires_s{60};
    std::uint32_t max_expires_s{3600};
    std::string software{"Suflyor"};
    // SO_RCVBUF of the UDP transport: a burst queues instead of being dropped (0: kernel default).
    int udp_receive_buffer_bytes{4 << 20};
    // SIP over WebSocket for browsers (RFC 7118): "host:port" listeners, empty = off. wss uses
    // tls_certificate. The upgrade's Origin must be one of ws_allowed_origins (empty: the Host
    // the request was addressed to).
    std::string ws_listen;
    std::string wss_listen;
    std::vector<std::string> ws_allowed_origins;
};

struct SipAccount {
    std::int64_t account_id{0};
    std::string realm; // the account's SIP domain
};

struct SipUserRecord {
    std::int64_t user_id{0};
    Ha1 ha1{};
    // Extra passwords of the signed-in browser sessions (plain text, short-lived): valid for this
    // user only on requests that arrived over WebSocket (ws/wss), never over UDP/TCP/TLS.
    std::vector<std::string> browser_secrets;
};

// The HA1s a request of `user` may answer with: the long-lived password's and, only when the
// request came over WebSocket, one per browser secret.
std::vector<Ha1> accepted_ha1s(const SipUserRecord& record, std::string_view user,
                               std::string_view realm, bool over_websocket);

// The domain as the SIP edge sees it.
class SipDirectory {
public:
    virtual ~SipDirectory() = default;
    // The account a request's domain belongs to (an unknown domain on a single-account install
    // resolves to that account, so phones may register to the server's address).
    virtual std::optional<SipAccount> account_for_domain(std::string_view domain) = 0;
    virtual std::optional<SipUserRecord> user(std::int64_t account_id,
                                              std::string_view sip_user) = 0;
};

// Told when an address of record gains its first binding or loses its last.
class RegistrationListener {
public:
    virtual ~RegistrationListener() = default;
    virtual void on_online(const Aor& aor) = 0;
    virtual void on_offline(const Aor& aor) = 0;
};

class SipServer {
public:
    // Call after libre_init(), on the thread that runs re_main(). Throws on a bind failure.
    // Requests from a trunk's sources are not challenged (providers do not authenticate to us).
    SipServer(const SipSettings& settings, const core::Clock& clock, SipDirectory& directory,
              RegistrationListener& listener, const TrunkTable& trunks);
    ~SipServer();
    SipServer(const SipServer&) = delete;
    SipServer& operator=(const SipServer&) = delete;

    // The bound port of a transport ("udp", "tcp", "tls", "ws", "wss"), 0 when not listening.
    [[nodiscard]] std::uint16_t port(std::string_view transport) const;
    [[nodiscard]] const LocationService& locations() const;
    // Forgets the AoR's bindings at once (its employee was deactivated); the listener hears
    // on_offline when there were any.
    void drop_bindings(const Aor& aor);
    // libre's SIP stack, for the sessions layered on it (the B2BUA).
    [[nodiscard]] ::sip* stack() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace suflyor::sip
