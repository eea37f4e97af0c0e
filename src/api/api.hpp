#pragma once
// Public header of the api module: the HTTP API of SPEC §10 (routes, strict input, bearer-token
// auth, the card's actions), the WebSocket hub and the metrics registry, served by civetweb.
// Handlers run on civetweb's threads and do their domain work on the control loop through
// `LoopRunner`; login's argon2id check runs on the HTTP thread so it never stalls the loop.
#include "api/dto.hpp"
#include "api/http.hpp"
#include "api/hub.hpp"
#include "api/metrics.hpp"
#include "api/server.hpp"
#include "center/center.hpp"
#include "monitor/monitor.hpp"
#include "store/store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::api {

// Runs `work` on the control loop and waits for it (its exception is rethrown to the caller).
using LoopRunner = std::function<void(const std::function<void()>& work)>;

// The calls the card's actions place (the app wires them to the B2BUA).
class CardTelephony {
public:
    virtual ~CardTelephony() = default;
    // Rings `by`'s device, then the call's client through the account's trunk. Returns the new
    // call; throws core::Error: no_supervisor_device (`by` has no registered device),
    // no_client_number (nobody outside to call), no_trunk (no trunk reaches the number).
    virtual center::CallId call_client(const center::User& by, const center::Call& call) = 0;
    // Rings `by`'s device, then `employee`'s (an internal call). Throws core::Error: busy (the
    // employee is on a call), employee_offline (no registered phone), no_supervisor_device.
    virtual center::CallId call_employee(const center::User& by, const center::User& employee) = 0;
};

// The domain the routes work on; every member belongs to the control loop.
struct ApiDomain {
    store::Store& store;
    const core::Clock& clock;
    center::Directory& directory;
    center::CallLog& calls;
    center::Features& features;
    monitor::MonitorService& monitor;
    CardTelephony& telephony;
    monitor::EventSink& events;           // feature.* events for the account's WebSocket clients
    const center::PasswordHasher& hasher; // thread-safe: used on HTTP threads for logins
    // Connects a feature for an account (the platform's side): the app queues the mail to the
    // account's contact email with it.
    std::function<center::FeatureStatus(const center::Actor& by, center::AccountId account,
                                        center::Feature feature)>
        connect_feature;
    center::TrunkService& trunks;
    // The outbound registration of a trunk (by sip::Trunk::key()), when it registers.
    std::function<std::optional<center::RegistrationStatus>(const std::string& key)>
        trunk_registration;
    // Opens a read-only connection to the same database for reads on HTTP threads (call lists
    // and cards). Empty (an in-memory database): those reads run on the control loop.
    std::function<std::unique_ptr<store::Store>()> open_reader{};
    // The current registration of an employee's device (the SIP registrar's bindings).
    RegistrationLookup registration_of;
};

// What a softphone needs to reach the SIP server ([sip] advertised, listen and transports).
struct SipConnection {
    std::string host;      // the public address phones use
    std::uint16_t port{0}; // of the first transport offered
    struct Transport {
        std::string name; // "udp", "tcp", "tls"
        std::uint16_t port{0};
    };
    std::vector<Transport> transports;
    bool loopback_only{false}; // the server listens on 127.x only: phones elsewhere cannot reach it
};

struct ApiSettings {
    std::chrono::hours token_ttl{12};
    // Failed logins allowed per login within `login_window` (per source address: ten times as
    // many, since one office may sign in from one address).
    int max_login_failures{5};
    std::chrono::minutes login_window{15};
    // Fulfil feature requests at once: "single-account" (while there is one account), "always",
    // "never" (the platform operator connects them).
    std::string auto_connect{"single-account"};
    // The platform operator's bearer token (server-wide admin); empty: platform routes refused.
    std::string platform_token;
    // Whether a mail server is configured ([smtp] url): without one, no mail is ever sent.
    bool mail_configured{false};
    // The browser softphone: the SIP-over-WebSocket URL the web app connects to
    // ([sip] ws_public_url). Empty: the softphone is off and `softphone_off_reason` says why.
    std::string softphone_ws_url;
    std::string softphone_off_reason{"the server has no SIP WebSocket transport configured"};
    SipConnection sip_connection;
};

class Api {
public:
    Api(LoopRunner loop, ApiDomain domain, ApiSettings settings, Metrics& metrics);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    [[nodiscard]] const Router& router() const;
    // The WebSocket's identity for a bearer token (any thread).
    std::optional<WsIdentity> authenticate_ws(const std::string& token);
    // On the control loop: forgets expired tokens; returns how many are valid.
    std::size_t sweep_tokens();
    // On the control loop: the browser softphone's SIP secrets of `user`'s valid sessions (one
    // per bearer token; see TokenStore::browser_secret).
    [[nodiscard]] std::vector<std::string> browser_secrets(center::UserId user) const;

    struct State;

private:
    std::unique_ptr<State> state_;
    Router router_;
};

} // namespace suflyor::api
