#pragma once
// What the in-process device-call tests share (the server ringing a user's device to bring a
// supervisor into a media room): the configuration, the account with its one user, and a
// listener that records how the device call went.
#include "app/call_wiring.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "sip/b2bua.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace suflyor::e2e {

// Database under `dir`, fast password hashing, SIP over UDP on a free port, one media worker.
app::Config device_call_config(const std::filesystem::path& dir);

// Creates account "Acme" (domain acme.test) whose creator is `boss` (password "boss-password",
// SIP user "boss", SIP password "boss-sip-secret"): account 1, SIP AOR {1, "boss"}.
void create_acme_with_boss(app::Services& services);

// Records the device leg once answered, or why the device call ended.
struct DeviceCallRecorder final : sip::DeviceCallListener {
    void on_device_answered(std::int64_t, const sip::AnchoredLeg& l) override { leg = l; }
    void on_device_ended(std::int64_t, const std::string& why) override { ended = why; }
    std::optional<sip::AnchoredLeg> leg;
    std::string ended;
};

// The server's side of device calls in-process, wired as `serve` wires it: trunks (none
// configured), media engine and anchor (recordings under `dir`), the store's SIP directory, call
// router, SIP server and B2BUA. Runs on libre's loop: libre_init() first. `users`, when given,
// answers the SIP server's user lookups instead of the store's directory.
struct DeviceCallServer {
    DeviceCallServer(const app::Config& config, app::Services& services,
                     const std::filesystem::path& dir, sip::SipDirectory* users = nullptr);

    sip::TrunkTable trunks;
    media::MediaEngine engine;
    app::EngineAnchor anchor;
    app::StoreSipDirectory directory;
    app::StoreCallRouter router;
    sip::SipServer sip_server;
    sip::B2bua b2bua;
};

} // namespace suflyor::e2e
