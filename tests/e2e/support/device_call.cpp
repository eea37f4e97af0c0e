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

DeviceCallServer::DeviceCallServer(const app::Config& config, app::Services& services,
                                   const std::filesystem::path& dir, sip::SipDirectory* users)
    : trunks(app::trunk_table({}, *services.store)),
      engine(app::engine_config(config.media), services.clock),
      anchor(engine, "127.0.0.1", dir / "recordings"),
      directory(*services.store, services.directory),
      router(*services.store, services.calls, trunks, directory),
      sip_server(app::sip_settings(config.sip, config.http), services.clock,
                 users ? *users : directory, directory, trunks),
      b2bua(sip_server.stack(), sip::B2buaSettings{}, trunks, sip_server.locations(),
            services.clock, anchor, router) {}

} // namespace suflyor::e2e
