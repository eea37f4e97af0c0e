// Browsers as devices, in-process (the real store, registrar, B2BUA and media engine on libre's
// loop; libre's own client stack as the browser over ws and as a desk phone over UDP):
// - a browser session's secret is a password over WebSocket only (refused over UDP);
// - a binding registered over ws is a "browser", over UDP a "SIP phone"; the server's device call
//   (a supervisor joining a call) rings only the kind asked for, with the auto-answer headers;
//   the monitor's telephony (has_device, ring_supervisor) follows the user's ring_device.
#include "../unit/common/temp_dir.hpp"
#include "app/call_wiring.hpp"
#include "app/monitor_wiring.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "support/device_call.hpp"
#include "support/libre_phone.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>
#include <re.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

// The store's directory plus the browser sessions' secrets (which the API hands out; here the
// test names them).
class DirectoryWithSecrets final : public sip::SipDirectory {
public:
    explicit DirectoryWithSecrets(app::StoreSipDirectory& store) : store_(store) {}
    std::optional<sip::SipAccount> account_for_domain(std::string_view domain) override {
        return store_.account_for_domain(domain);
    }
    std::optional<sip::SipUserRecord> user(std::int64_t account_id,
                                           std::string_view sip_user) override {
        auto rec = store_.user(account_id, sip_user);
        if (rec && sip_user == "boss") rec->browser_secrets = {"tab-secret-1", "tab-secret-2"};
        return rec;
    }

private:
    app::StoreSipDirectory& store_;
};

TEST(SipWebSocketDevices, SecretsOnlyOverWebSocketAndDeviceCallsRingTheChosenKind) {
    ASSERT_EQ(libre_init(), 0);
    {
        test::TempDir dir;
        auto config = device_call_config(dir.path());
        config.sip.ws_listen = app::SocketAddress{"127.0.0.1", 0};
        app::Services services(config);
        create_acme_with_boss(services);

        app::StoreSipDirectory store_directory(*services.store, services.directory);
        DirectoryWithSecrets directory(store_directory);
        DeviceCallServer server(config, services, dir.path(), &directory);
        auto& anchor = server.anchor;
        auto& sip_server = server.sip_server;
        auto& b2bua = server.b2bua;
        const int udp_port = sip_server.port("udp");
        const int ws_port = sip_server.port("ws");
        ASSERT_NE(ws_port, 0);
        const sip::Aor boss{1, "boss"};
        const auto now = [&] { return services.clock.wall_now(); };

        // A browser secret over UDP is a wrong password.
        LibrePhone desk(SIP_TRANSP_UDP);
        desk.register_at(udp_port, "boss", "acme.test", "tab-secret-1");
        ASSERT_TRUE(run_loop_until([&] { return desk.last_status() != 0; }, 10s));
        EXPECT_EQ(desk.last_status(), 403);
        EXPECT_FALSE(sip_server.locations().registered(boss, now()));

        // Over ws it is one of the user's passwords.
        LibrePhone tab(SIP_TRANSP_WS);
        tab.register_at(ws_port, "boss", "acme.test", "tab-secret-2");
        ASSERT_TRUE(run_loop_until([&] { return tab.last_status() != 0; }, 10s));
        EXPECT_EQ(tab.last_status(), 200);
        EXPECT_TRUE(sip_server.locations().has_binding(boss, sip::DeviceKind::browser, now()));
        EXPECT_FALSE(sip_server.locations().has_binding(boss, sip::DeviceKind::sip_phone, now()));

        // No SIP phone registered: a device call for one rings nothing, and the monitor's
        // telephony says so for a user whose chosen device is the SIP phone.
        const auto room = anchor.create_room();
        DeviceCallRecorder listener;
        EXPECT_FALSE(
            b2bua.call_device(boss, room, "Supervisor", listener, sip::DeviceKind::sip_phone));
        app::MonitorTelephony telephony(b2bua, sip_server.locations(), server.engine,
                                        services.clock);
        center::User wants_browser;
        wants_browser.account_id = center::AccountId{1};
        wants_browser.sip.user = "boss";
        wants_browser.ring_device = center::RingDevice::browser;
        center::User wants_phone = wants_browser;
        wants_phone.ring_device = center::RingDevice::sip_phone;
        EXPECT_EQ(center::User{}.ring_device, center::RingDevice::sip_phone); // the default
        EXPECT_TRUE(telephony.has_device(wants_browser));
        EXPECT_FALSE(telephony.has_device(wants_phone));
        EXPECT_FALSE(telephony.ring_supervisor(wants_phone, room));

        // The desk phone registers with the long-lived password; now both kinds are there.
        desk.register_at(udp_port, "boss", "acme.test", "boss-sip-secret");
        ASSERT_TRUE(run_loop_until([&] { return desk.last_status() == 200; }, 10s));
        EXPECT_TRUE(sip_server.locations().has_binding(boss, sip::DeviceKind::sip_phone, now()));
        EXPECT_TRUE(telephony.has_device(wants_phone));

        // Ringing the browser reaches the tab only, with the auto-answer headers.
        const auto handle =
            b2bua.call_device(boss, room, "Supervisor", listener, sip::DeviceKind::browser);
        ASSERT_TRUE(handle);
        ASSERT_TRUE(run_loop_until([&] { return !listener.ended.empty(); }, 10s));
        EXPECT_EQ(listener.ended, "rejected_486"); // the tab's answer came back over its socket
        ASSERT_EQ(tab.received().size(), 1u);
        const auto& invite = tab.received().front().text;
        EXPECT_EQ(invite.rfind("INVITE sip:boss@127.0.0.1:9;transport=ws SIP/2.0", 0), 0u)
            << invite;
        EXPECT_NE(invite.find("Call-Info: <sip:suflyor@"), std::string::npos) << invite;
        EXPECT_NE(invite.find(">;answer-after=0\r\n"), std::string::npos) << invite;
        EXPECT_NE(invite.find("X-Suflyor-Monitor: " + std::to_string(room) + "\r\n"),
                  std::string::npos)
            << invite;
        EXPECT_TRUE(desk.received().empty());

        // And ringing the SIP phone reaches the desk phone only.
        listener.ended.clear();
        ASSERT_TRUE(
            b2bua.call_device(boss, room, "Supervisor", listener, sip::DeviceKind::sip_phone));
        ASSERT_TRUE(run_loop_until([&] { return !listener.ended.empty(); }, 10s));
        ASSERT_EQ(desk.received().size(), 1u);
        EXPECT_EQ(desk.received().front().method, "INVITE");
        EXPECT_EQ(tab.received().size(), 1u);

        // The monitor's ring of a supervisor who chose the browser reaches the tab.
        ASSERT_TRUE(telephony.ring_supervisor(wants_browser, room));
        ASSERT_TRUE(run_loop_until([&] { return tab.received().size() == 2; }, 10s));
        EXPECT_EQ(tab.received().back().method, "INVITE");
        EXPECT_EQ(desk.received().size(), 1u);
        run_loop_until([&] { return b2bua.settled(); }, 5s);
        anchor.destroy_room(room);
    }
    libre_close();
}

} // namespace
} // namespace suflyor::e2e
