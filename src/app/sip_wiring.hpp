#pragma once
// The SIP edge's view of the domain, over the store (internal to the app module).
#include "api/api.hpp"
#include "app/config.hpp"
#include "center/center.hpp"
#include "sip/sip.hpp"
#include "store/store.hpp"

#include <functional>
#include <string>
#include <vector>

namespace suflyor::app {

// The SIP edge's settings; the WebSocket upgrade's Origin allow-list is [http]'s.
sip::SipSettings sip_settings(const SipConfig& config, const HttpConfig& http);

// The browser softphone's secrets of a user's live API sessions (the API's token store).
using BrowserSecrets = std::function<std::vector<std::string>(center::UserId)>;

// Whether the softphone can be offered, and the URL browsers connect to: ws_public_url with a
// ws or wss transport listening; else an empty URL and the reason.
struct SoftphoneOffer {
    std::string ws_url;
    std::string off_reason;
};
SoftphoneOffer softphone_offer(const SipConfig& config);

// The live registration of an employee's device, for the Team page: the binding of the device
// they ring on when it has one, else their oldest live binding.
std::optional<api::DeviceRegistration> registration_of(const sip::LocationService& locations,
                                                       const core::Clock& clock,
                                                       const center::User& user);

// What softphones are told to connect to: [sip] advertised (else the listen host when it is a
// real address, else [media] advertised_address), and each transport with its bound port.
api::SipConnection sip_connection(const Config& config, const sip::SipServer& server);

class StoreSipDirectory final : public sip::SipDirectory, public sip::RegistrationListener {
public:
    StoreSipDirectory(store::Store& store, center::Directory& directory)
        : store_(store), directory_(directory) {}
    // Where user() reads browser secrets from (none until set; set it empty before the source
    // goes away).
    void set_browser_secrets(BrowserSecrets source) { browser_secrets_ = std::move(source); }
    std::optional<sip::SipAccount> account_for_domain(std::string_view domain) override;
    std::optional<sip::SipUserRecord> user(std::int64_t account_id,
                                           std::string_view sip_user) override;
    // Registration drives presence: a first binding makes the employee available, the last
    // binding's end makes them offline (a talking or ringing employee keeps that status).
    void on_online(const sip::Aor& aor) override;
    void on_offline(const sip::Aor& aor) override;

private:
    void set_presence(const sip::Aor& aor, center::Presence presence);
    store::Store& store_;
    center::Directory& directory_;
    BrowserSecrets browser_secrets_;
};

} // namespace suflyor::app
