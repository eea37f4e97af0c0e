#pragma once
// The SIP edge's view of the domain, over the store (internal to the app module).
#include "app/config.hpp"
#include "center/center.hpp"
#include "sip/sip.hpp"
#include "store/store.hpp"

namespace suflyor::app {

// The SIP edge's settings; the WebSocket upgrade's Origin allow-list is [http]'s.
sip::SipSettings sip_settings(const SipConfig& config, const HttpConfig& http);

class StoreSipDirectory final : public sip::SipDirectory, public sip::RegistrationListener {
public:
    StoreSipDirectory(store::Store& store, center::Directory& directory)
        : store_(store), directory_(directory) {}
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
};

} // namespace suflyor::app
