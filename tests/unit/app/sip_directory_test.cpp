// The SIP edge's view of users (StoreSipDirectory) carries the browser softphone's secrets of the
// user's live API sessions, read from the real API's tokens as the running server wires it; and
// which registered device may ring for a user (ring_device.hpp).
#include "api/api.hpp"
#include "app/ring_device.hpp"
#include "app/sip_wiring.hpp"
#include "unit/common/api_domain.hpp"
#include "unit/common/api_request.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace suflyor::app {
namespace {

using namespace std::chrono_literals;

api::ApiSettings with_softphone() {
    api::ApiSettings s;
    s.token_ttl = 12h;
    s.softphone_ws_url = "wss://cc.acme.test/sip";
    return s;
}

class SipDirectoryTest : public ::testing::Test, protected test::ApiDomainParts<test::NoEvents> {
protected:
    SipDirectoryTest() {
        std::tie(acme, boss) = directory.create_account(
            cli, {"Acme", "o@acme.test", "acme.test", person("boss", center::Role::creator)});
        olga = directory.create_user(cli, acme.id, person("olga", center::Role::operator_));
        sip_directory.set_browser_secrets(
            [this](center::UserId user) { return api.browser_secrets(user); });
    }
    static center::NewUser person(const std::string& login, center::Role role) {
        return {"Name " + login, login, role, "password-" + login, "", "sip-secret-" + login};
    }
    api::Response call(const std::string& method, const std::string& path, const std::string& token,
                       const std::string& body = {}) {
        auto request = test::api_request(method, path, token, body);
        return api.router().dispatch(request);
    }
    std::string login(const std::string& who) {
        return call("POST", "/api/v1/auth/login", {},
                    nlohmann::json{{"login", who}, {"password", "password-" + who}}.dump())
            .json.value("token", "");
    }
    std::string softphone_secret(const std::string& token) {
        return call("GET", "/api/v1/me/softphone", token).json.value("password", "");
    }
    std::vector<std::string> secrets_of(const std::string& sip_user) {
        const auto record = sip_directory.user(acme.id.value(), sip_user);
        EXPECT_TRUE(record);
        if (!record) return {};
        auto secrets = record->browser_secrets;
        std::sort(secrets.begin(), secrets.end());
        return secrets;
    }

    api::Api api{test::run_at_once, api_domain(), with_softphone(), metrics};
    StoreSipDirectory sip_directory{*store, directory};
    const center::Actor cli = center::system_actor("cli");
    center::Account acme;
    center::User boss, olga;
};

TEST_F(SipDirectoryTest, UserRecordsCarryTheSecretsOfLiveSessionsOnly) {
    EXPECT_TRUE(secrets_of("olga").empty()); // nobody signed in
    const auto first = login("olga");
    const auto second = login("olga");
    const auto boss_token = login("boss");
    const auto a = softphone_secret(first);
    const auto b = softphone_secret(second);
    ASSERT_FALSE(a.empty());
    ASSERT_NE(a, b);
    auto both = std::vector<std::string>{a, b};
    std::sort(both.begin(), both.end());
    EXPECT_EQ(secrets_of("olga"), both);
    EXPECT_EQ(secrets_of("boss"), std::vector<std::string>{softphone_secret(boss_token)});
    // The digest secret of desk phones is unchanged beside them.
    EXPECT_EQ(sip_directory.user(acme.id.value(), "olga")->ha1,
              sip::ha1_from_hex(directory.user(olga.id).sip.ha1_md5));

    EXPECT_EQ(call("POST", "/api/v1/auth/logout", first).status, 204);
    EXPECT_EQ(secrets_of("olga"), std::vector<std::string>{b});
    clock.advance(12h); // every token expired: no secret is accepted any more
    EXPECT_TRUE(secrets_of("olga").empty());
    EXPECT_TRUE(secrets_of("boss").empty());

    sip_directory.set_browser_secrets({}); // unwired (the server's shutdown): none, no crash
    EXPECT_TRUE(secrets_of("olga").empty());
}

TEST(SoftphoneOffer, NeedsAWebSocketTransportAndItsPublicUrl) {
    SipConfig sip;
    auto offer = softphone_offer(sip);
    EXPECT_TRUE(offer.ws_url.empty());
    EXPECT_NE(offer.off_reason.find("ws_listen"), std::string::npos) << offer.off_reason;
    sip.wss_listen = SocketAddress{"0.0.0.0", 5443};
    offer = softphone_offer(sip);
    EXPECT_TRUE(offer.ws_url.empty());
    EXPECT_NE(offer.off_reason.find("ws_public_url"), std::string::npos) << offer.off_reason;
    sip.ws_public_url = "wss://cc.acme.test/sip";
    offer = softphone_offer(sip);
    EXPECT_EQ(offer.ws_url, "wss://cc.acme.test/sip");
    EXPECT_TRUE(offer.off_reason.empty());
}

TEST(RingDevice, TheBrowserRingsOnlyThroughAWebSocketBinding) {
    core::ManualClock clock;
    sip::LocationService locations;
    center::User olga;
    olga.account_id = center::AccountId{1};
    olga.sip.user = "olga";
    const sip::Aor aor{1, "olga"};
    for (const auto device : {center::RingDevice::sip_phone, center::RingDevice::browser}) {
        olga.ring_device = device;
        EXPECT_FALSE(can_ring(locations, olga, clock.wall_now()));
    }
    locations.update(aor, {{"sip:olga@10.0.0.5:5060", 60}}, sip::Flow{"UDP", "10.0.0.5:5060"},
                     "desk", 1, "phone", clock.wall_now());
    olga.ring_device = center::RingDevice::sip_phone;
    EXPECT_TRUE(can_ring(locations, olga, clock.wall_now()));
    olga.ring_device = center::RingDevice::browser;
    EXPECT_FALSE(can_ring(locations, olga, clock.wall_now())); // the desk phone is not the tab
    // The registrar marks a binding made over ws/wss as a browser (its flow is the WebSocket
    // gateway's loopback bridge; the browser's address is the flow's peer).
    locations.update(aor, {{"sip:x1@df7jal23ls0d.invalid;transport=ws", 60}},
                     sip::Flow{"TCP", "127.0.0.1:40001", "198.51.100.7:50123"}, "tab", 1, "JsSIP",
                     clock.wall_now(), sip::DeviceKind::browser);
    EXPECT_TRUE(can_ring(locations, olga, clock.wall_now()));
    olga.ring_device = center::RingDevice::sip_phone;
    EXPECT_TRUE(can_ring(locations, olga, clock.wall_now())); // the desk phone is still there
    locations.update(aor, {{"sip:olga@10.0.0.5:5060", 0}}, sip::Flow{"UDP", "10.0.0.5:5060"},
                     "desk", 2, "phone", clock.wall_now());
    EXPECT_FALSE(can_ring(locations, olga, clock.wall_now())); // a tab is not a SIP phone
    olga.ring_device = center::RingDevice::browser;
    clock.advance(61s); // both registrations lapsed
    EXPECT_FALSE(can_ring(locations, olga, clock.wall_now()));
    sip::Binding tab;
    tab.kind = sip::DeviceKind::browser;
    EXPECT_TRUE(is_browser_binding(tab));
    EXPECT_FALSE(is_browser_binding(sip::Binding{}));
    EXPECT_EQ(device_kind(center::RingDevice::browser), sip::DeviceKind::browser);
    EXPECT_EQ(device_kind(center::RingDevice::sip_phone), sip::DeviceKind::sip_phone);
}

} // namespace
} // namespace suflyor::app
