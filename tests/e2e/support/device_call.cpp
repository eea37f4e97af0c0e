#include "support/device_call.hpp"

namespace suflyor::e2e {

app::Config device_call_config(const std::filesystem::path& dir) {
    app::Config config;
    config.storage.path = (dir / "db.sqlite").string();
    config.security.password_cost = "minimal";
    config.sip.listen.port = 0;
    config.sip.transports = {"udp"};
    config.media.workers = 1;
    return config;
}

void create_acme_with_boss(app::Services& services) {
    center::NewAccount account{"Acme", "owner@acme.test", "acme.test",
                               center::NewUser{"Boss", "boss", center::Role::creator,
                                               "boss-password", "boss", "boss-sip-secret"}};
    services.directory.create_account(center::system_actor("test"), account);
}

} // namespace suflyor::e2e
