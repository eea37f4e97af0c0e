// Which device rings (GET/PUT /api/v1/me/device, PUT /api/v1/employees/{id}/device) and the
// browser softphone's credentials (GET /api/v1/me/softphone), through the real router, domain
// and SQLite store (in memory); no device is registered (test::NoTelephony) and the events are
// recorded.
#include "api/api.hpp"
#include "unit/common/api_domain.hpp"
#include "unit/common/api_request.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace suflyor::api {
namespace {

struct RecordingEvents final : monitor::EventSink {
    void publish(const std::string& name, center::AccountId account,
                 const nlohmann::json& payload) override {
        log.push_back({name, account, payload});
    }
    struct Event {
        std::string name;
        center::AccountId account;
        nlohmann::json payload;
    };
    std::vector<Event> log;
    [[nodiscard]] std::size_t count(const std::string& name) const {
        return static_cast<std::size_t>(
            std::count_if(log.begin(), log.end(), [&](const Event& e) { return e.name == name; }));
    }
};

ApiSettings softphone_on() {
    ApiSettings s;
    s.softphone_ws_url = "wss://cc.acme.test/sip";
    return s;
}

class DeviceRoutesTest : public ::testing::Test, protected test::ApiDomainParts<RecordingEvents> {
protected:
    explicit DeviceRoutesTest(ApiSettings settings = softphone_on())
        : api_(test::run_at_once, api_domain(), std::move(settings), metrics) {
        std::tie(acme, boss) =
            directory.create_account(cli, {"Acme", "o@acme.test", "acme.test", person("boss")});
        anna = directory.create_user(cli, acme.id, person("anna", center::Role::administrator));
        olga = directory.create_user(cli, acme.id, person("olga"));
        std::tie(globex, gboss) = directory.create_account(
            cli, {"Globex", "o@globex.test", "globex.test", person("gboss")});
    }

    static center::NewUser person(const std::string& login,
                                  center::Role role = center::Role::operator_) {
        return {"Name " + login, login, role, "password-" + login, "", "sip-secret-" + login};
    }

    Response call(const std::string& method, const std::string& path, const std::string& token = {},
                  const std::string& body = {}) {
        auto request = test::api_request(method, path, token, body);
        return api_.router().dispatch(request);
    }
    std::string login(const std::string& who) {
        const auto r = call("POST", "/api/v1/auth/login", {},
                            nlohmann::json{{"login", who}, {"password", "password-" + who}}.dump());
        EXPECT_EQ(r.status, 200) << r.json.dump();
        return r.json.value("token", "");
    }
    static std::string ring(const std::string& device) {
        return nlohmann::json{{"ring", device}}.dump();
    }
    static std::string code(const Response& r) { return r.json["error"].value("code", ""); }

    const center::Actor cli = center::system_actor("cli");
    center::Account acme, globex;
    center::User boss, anna, olga, gboss;
    Api api_;
};

TEST_F(DeviceRoutesTest, EveryoneReadsAndSetsTheirOwnDevice) {
    const auto token = login("olga");
    auto r = call("GET", "/api/v1/me/device", token);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json, (nlohmann::json{{"ring", "sip_phone"}}));
    EXPECT_EQ(call("GET", "/api/v1/me", token).json["ring_device"], "sip_phone");

    r = call("PUT", "/api/v1/me/device", token, ring("browser"));
    EXPECT_EQ(r.status, 200) << r.json.dump();
    EXPECT_EQ(r.json, (nlohmann::json{{"ring", "browser"}}));
    EXPECT_EQ(call("GET", "/api/v1/me/device", token).json["ring"], "browser");
    EXPECT_EQ(call("GET", "/api/v1/me", token).json["ring_device"], "browser");
    EXPECT_EQ(directory.user(olga.id).ring_device, center::RingDevice::browser);

    // The team shows it, and its views hear of the change once.
    const auto team = call("GET", "/api/v1/team", token).json["employees"];
    const auto it = std::find_if(team.begin(), team.end(),
                                 [&](const auto& e) { return e["id"] == olga.id.value(); });
    ASSERT_NE(it, team.end());
    EXPECT_EQ((*it)["ring_device"], "browser");
    ASSERT_EQ(events.count("employee.device_changed"), 1u);
    EXPECT_EQ(events.log.back().account, acme.id);
    EXPECT_EQ(events.log.back().payload["id"], olga.id.value());
    EXPECT_EQ(events.log.back().payload["ring_device"], "browser");
    EXPECT_EQ(call("PUT", "/api/v1/me/device", token, ring("browser")).status, 200);
    EXPECT_EQ(events.count("employee.device_changed"), 1u); // no change, no event, no audit

    const auto audit = store->audit().list(acme.id, 5);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.front().action, "user.set_ring_device");
    EXPECT_EQ(audit.front().actor.user_id, olga.id);

    EXPECT_EQ(call("PUT", "/api/v1/me/device", token, ring("sip_phone")).json["ring"], "sip_phone");
    EXPECT_EQ(call("GET", "/api/v1/me/device").status, 401);
    EXPECT_EQ(call("PUT", "/api/v1/me/device", "bogus", ring("browser")).status, 401);
}

TEST_F(DeviceRoutesTest, SupervisorsSetItForTheirAccountsEmployeesOnly) {
    const auto admin = login("anna");
    auto r = call("PUT", "/api/v1/employees/" + olga.id.str() + "/device", admin, ring("browser"));
    EXPECT_EQ(r.status, 200) << r.json.dump();
    EXPECT_EQ(r.json["id"], olga.id.value()); // the employee as the team shows them
    EXPECT_EQ(r.json["ring_device"], "browser");
    EXPECT_EQ(r.json["status"], "offline");
    EXPECT_EQ(directory.user(olga.id).ring_device, center::RingDevice::browser);
    EXPECT_EQ(store->audit().list(acme.id, 1).front().actor.user_id, anna.id);
    // The creator's too, by an administrator of the same account.
    EXPECT_EQ(call("PUT", "/api/v1/employees/" + boss.id.str() + "/device", admin, ring("browser"))
                  .status,
              200);

    // Another account's employee does not exist for them; nothing changes there.
    r = call("PUT", "/api/v1/employees/" + gboss.id.str() + "/device", admin, ring("browser"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code(r), "not_found");
    EXPECT_EQ(directory.user(gboss.id).ring_device, center::RingDevice::sip_phone);
    EXPECT_EQ(call("PUT", "/api/v1/employees/999/device", admin, ring("browser")).status, 404);
    EXPECT_EQ(call("PUT", "/api/v1/employees/abc/device", admin, ring("browser")).status, 404);

    // An operator may not choose for others (their own is theirs to choose).
    const auto op = login("olga");
    r = call("PUT", "/api/v1/employees/" + anna.id.str() + "/device", op, ring("browser"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(code(r), "forbidden");
    EXPECT_EQ(directory.user(anna.id).ring_device, center::RingDevice::sip_phone);
    // Another account's employee is not found for them either (visibility before role).
    r = call("PUT", "/api/v1/employees/" + gboss.id.str() + "/device", op, ring("browser"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code(r), "not_found");
    r = call("PUT", "/api/v1/employees/" + olga.id.str() + "/device", op, ring("sip_phone"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json["ring_device"], "sip_phone");
    EXPECT_EQ(events.count("employee.device_changed"), 3u);
}

TEST_F(DeviceRoutesTest, BadBodiesAreRefusedNamingTheField) {
    const auto token = login("anna");
    struct Case {
        std::string body;
        std::string code;
        std::string field;
    };
    const Case cases[] = {
        {ring("pager"), "invalid_value", "ring"},
        {ring("Browser"), "invalid_value", "ring"},
        {R"({"ring": 1})", "invalid_type", "ring"},
        {"{}", "missing_field", "ring"},
        {R"({"ring": "browser", "volume": 3})", "unknown_field", "volume"},
    };
    for (const auto& path :
         {std::string("/api/v1/me/device"), "/api/v1/employees/" + olga.id.str() + "/device"})
        for (const auto& c : cases) {
            SCOPED_TRACE(path + " " + c.body);
            const auto r = call("PUT", path, token, c.body);
            EXPECT_EQ(r.status, 400);
            EXPECT_EQ(code(r), c.code);
            EXPECT_EQ(r.json["error"]["field"], c.field);
        }
    EXPECT_EQ(call("PUT", "/api/v1/me/device", token, "{").status, 400);
    EXPECT_EQ(directory.user(anna.id).ring_device, center::RingDevice::sip_phone);
    EXPECT_EQ(directory.user(olga.id).ring_device, center::RingDevice::sip_phone);
    EXPECT_EQ(events.count("employee.device_changed"), 0u);
}

TEST_F(DeviceRoutesTest, SoftphoneSecretIsPerSessionAndGoneAfterLogout) {
    const auto first = login("olga");
    const auto second = login("olga");
    const auto a = call("GET", "/api/v1/me/softphone", first);
    const auto b = call("GET", "/api/v1/me/softphone", second);
    ASSERT_EQ(a.status, 200);
    EXPECT_EQ(a.json["enabled"], true);
    EXPECT_TRUE(a.json["reason"].is_null());
    EXPECT_EQ(a.json["ws_url"], "wss://cc.acme.test/sip");
    EXPECT_EQ(a.json["uri"], "sip:olga@acme.test");
    EXPECT_EQ(a.json["authorization_user"], "olga");
    EXPECT_EQ(a.json["display_name"], "Name olga");
    EXPECT_EQ(a.json["realm"], "acme.test");
    EXPECT_EQ(a.json["ring_device"], "sip_phone");
    const std::string secret_a = a.json["password"];
    const std::string secret_b = b.json["password"];
    EXPECT_EQ(secret_a.size(), 32u);
    EXPECT_NE(secret_a, secret_b);
    EXPECT_NE(secret_a, "sip-secret-olga"); // never the long-lived SIP password
    EXPECT_NE(secret_a, first);             // nor the token
    EXPECT_EQ(call("GET", "/api/v1/me/softphone", first).json["password"], secret_a); // stable

    auto live = api_.browser_secrets(olga.id);
    std::sort(live.begin(), live.end());
    auto expected = std::vector<std::string>{secret_a, secret_b};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(live, expected);
    EXPECT_TRUE(api_.browser_secrets(anna.id).empty());

    EXPECT_EQ(call("POST", "/api/v1/auth/logout", first).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/me/softphone", first).status, 401);
    EXPECT_EQ(api_.browser_secrets(olga.id), std::vector<std::string>{secret_b});
    EXPECT_EQ(call("GET", "/api/v1/me/softphone").status, 401);
}

class SoftphoneOffTest : public DeviceRoutesTest {
protected:
    SoftphoneOffTest() : DeviceRoutesTest(off()) {}
    static ApiSettings off() {
        ApiSettings s;
        s.softphone_off_reason = "sip.ws_public_url is not set";
        return s;
    }
};

TEST_F(SoftphoneOffTest, SaysWhyAndHandsOutNoSecret) {
    const auto r = call("GET", "/api/v1/me/softphone", login("olga"));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json["enabled"], false);
    EXPECT_EQ(r.json["reason"], "sip.ws_public_url is not set");
    EXPECT_EQ(r.json["ws_url"], "");
    EXPECT_EQ(r.json["password"], "");
    EXPECT_EQ(r.json["uri"], "sip:olga@acme.test");
}

TEST_F(DeviceRoutesTest, ABrowserSupervisorWithNoTabIsRefusedWithItsOwnCode) {
    features.connect(cli, acme.id, center::Feature::whisper_listen);
    auto c = calls.open(
        {acme.id, std::nullopt, olga.id, "+74950000001", center::CallDirection::inbound});
    c = calls.answer(c.id);
    const auto token = login("anna");
    const auto path = "/api/v1/calls/" + c.id.str() + "/monitor";
    const auto listen = nlohmann::json{{"mode", "listen"}}.dump();
    auto r = call("POST", path, token, listen);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(code(r), "no_supervisor_device");
    call("PUT", "/api/v1/me/device", token, ring("browser"));
    r = call("POST", path, token, listen);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(code(r), "browser_not_registered");
    EXPECT_EQ(events.log.back().name, "monitor.refused");
    EXPECT_EQ(events.log.back().payload["code"], "browser_not_registered");
    // Rules before the device's still come first: an operator is refused for their role.
    EXPECT_EQ(code(call("POST", path, login("olga"), listen)), "forbidden");
}

} // namespace
} // namespace suflyor::api
