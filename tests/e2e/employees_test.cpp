// Employee management through the API against the real `suflyor serve`: create with generated
// secrets that sign in and register a real phone (sipp), change, deactivate (sign-in, tokens and
// SIP cut off at once) and activate, password resets, the softphone's connection settings; every
// route × role (creator, administrator, operator) × account, bad input with its field, the
// one-creator rules, audit rows and live events.
#include "support/http_client.hpp"
#include "support/http_clients.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class EmployeesApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("anna", "anna-sip-secret", "administrator");
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        server.admin({"account", "create", "--name", "Globex", "--email", "boss@globex.test",
                      "--sip-domain", "globex.test", "--creator-login", "gboss",
                      "--creator-password", "gboss-password"});
        http = std::make_unique<HttpClient>(server.http_port());
        boss = http->login("admin", "creator-password");
        anna = http->login("anna", "password-anna");
        olga = http->login("olga", "password-olga");
        gboss = http->login("gboss", "gboss-password");
    }

    json employee(const std::string& login, const std::string& token = "") {
        const auto team = http->get("/api/v1/team", token.empty() ? boss : token).json();
        for (const auto& e : team["employees"])
            if (e["login"] == login) return e;
        return nullptr;
    }
    std::int64_t id_of(const std::string& login) {
        const auto e = employee(login);
        return e.is_null() ? 0 : e["id"].get<std::int64_t>();
    }
    std::string path(std::int64_t id, const std::string& tail = "") {
        return "/api/v1/employees/" + std::to_string(id) + tail;
    }
    int sipp(const std::string& scenario, const std::string& user, const std::string& password) {
        return run_sipp(scenario, server.sip_udp_port(), {"-s", user, "-au", user, "-ap", password},
                        log);
    }
    std::string audit() { return server.admin({"audit", "list", "--limit", "200"}); }
    // The events of the account replayed from the start (the hub's ring), up to `type`.
    json replayed_event(const std::string& token, const std::string& type) {
        test::WsClient ws(static_cast<std::uint16_t>(server.http_port()),
                          "/api/v1/events?since=0&access_token=" + token);
        EXPECT_EQ(ws.handshake_status(), 101);
        while (const auto frame = ws.read_frame(5s)) {
            auto parsed = json::parse(frame->payload);
            if (parsed["type"] == type) return parsed;
        }
        return nullptr;
    }

    // Two accounts: phones name the first one's SIP domain (the server's address, as sipp does).
    Server server{SUFLYOR_BINARY, "", "sip_domain = \"127.0.0.1\"\n"};
    std::unique_ptr<HttpClient> http;
    std::string boss, anna, olga, gboss;
    std::string log;
};

TEST_F(EmployeesApiTest, CreatedEmployeesSecretsSignInAndRegisterARealPhone) {
    const auto projects = http->get("/api/v1/projects", boss).json()["projects"];
    ASSERT_EQ(projects.size(), 1u);
    const auto sales = projects[0]["id"].get<std::int64_t>();
    const auto created = http->send("POST", "/api/v1/employees", anna,
                                    {{"name", "Maria Petrova"},
                                     {"login", "Maria"},
                                     {"role", "operator"},
                                     {"project_ids", {sales}}});
    ASSERT_EQ(created.status, 201) << created.body;
    const auto body = created.json();
    EXPECT_EQ(body["employee"]["login"], "maria");
    EXPECT_EQ(body["employee"]["sip_user"], "maria");
    EXPECT_EQ(body["employee"]["active"], true);
    EXPECT_EQ(body["employee"]["project_ids"], json::array({sales}));
    const auto password = body["password"].get<std::string>();
    const auto sip_password = body["sip_password"].get<std::string>();
    EXPECT_GE(password.size(), 12u);

    const auto maria = http->login("maria", password);
    EXPECT_EQ(http->get("/api/v1/me", maria).json()["role"], "operator");
    const auto state = http->get("/api/v1/projects/" + std::to_string(sales) + "/state", boss);
    EXPECT_NE(state.body.find("\"maria\""), std::string::npos) << state.body;

    EXPECT_TRUE(employee("maria")["registration"].is_null());
    ASSERT_EQ(sipp("register_stay.xml", "maria", sip_password), 0) << log;
    const auto registered = employee("maria");
    EXPECT_EQ(registered["status"], "available");
    ASSERT_TRUE(registered["registration"].is_object()) << registered.dump();
    EXPECT_EQ(registered["registration"]["device"], "sip_phone");
    EXPECT_EQ(registered["registration"]["address"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
    EXPECT_TRUE(registered["registration"]["since"].is_string());

    EXPECT_NE(audit().find("user.create"), std::string::npos);
    const auto event = replayed_event(boss, "employee.created");
    ASSERT_TRUE(event.is_object());
    EXPECT_EQ(event["data"]["login"], "maria");
    // Only this account hears of it.
    EXPECT_TRUE(replayed_event(gboss, "employee.created").is_null());
}

TEST_F(EmployeesApiTest, EveryRouteByRoleAndAccount) {
    const auto olga_id = id_of("olga");
    const auto boss_id = id_of("admin");
    struct Route {
        std::string method, tail;
        json body;
    };
    const std::vector<Route> routes{{"PATCH", "", {{"name", "Olga K"}}},
                                    {"POST", "/deactivate", json::object()},
                                    {"POST", "/activate", json::object()},
                                    {"POST", "/password", json::object()},
                                    {"POST", "/sip-password", json::object()}};
    // An operator manages nobody, not even themself.
    EXPECT_EQ(http->send("POST", "/api/v1/employees", olga,
                         {{"name", "X"}, {"login", "x"}, {"role", "operator"}})
                  .status,
              403);
    for (const auto& r : routes) {
        SCOPED_TRACE(r.method + " " + r.tail);
        EXPECT_EQ(http->send(r.method, path(olga_id, r.tail), olga, r.body).code(), "forbidden");
        // Another account's supervisor: the employee does not exist for them.
        EXPECT_EQ(http->send(r.method, path(olga_id, r.tail), gboss, r.body).status, 404);
        // An administrator cannot touch the creator.
        EXPECT_EQ(http->send(r.method, path(boss_id, r.tail), anna, r.body).status, 403);
        // No token: 401 before anything else.
        EXPECT_EQ(http->send(r.method, path(olga_id, r.tail), "", r.body).status, 401);
    }
    EXPECT_EQ(http->get(path(olga_id, "/connection"), gboss).status, 404);
    EXPECT_EQ(http->get(path(boss_id, "/connection"), olga).status, 403);
    EXPECT_EQ(http->get(path(olga_id, "/connection"), "").status, 401);
    EXPECT_EQ(http->send("POST", "/api/v1/employees", "", {{"name", "X"}}).status, 401);
    // An administrator manages operators: every route succeeds.
    for (const auto& r : routes) {
        SCOPED_TRACE(r.method + " " + r.tail);
        EXPECT_EQ(http->send(r.method, path(olga_id, r.tail), anna, r.body).status, 200);
    }
    EXPECT_EQ(http->get(path(olga_id, "/connection"), anna).status, 200);
    // The creator manages the administrator.
    EXPECT_EQ(http->send("PATCH", path(id_of("anna")), boss, {{"role", "operator"}}).status, 200);
    EXPECT_EQ(employee("anna")["role"], "operator");
    // Unknown and malformed ids are 404.
    EXPECT_EQ(http->send("POST", path(999999, "/deactivate"), boss, json::object()).status, 404);
    EXPECT_EQ(http->send("POST", "/api/v1/employees/abc/deactivate", boss, json::object()).status,
              404);
}

TEST_F(EmployeesApiTest, BadInputIsRefusedWithItsField) {
    const auto olga_id = id_of("olga");
    const auto field_of = [&](const std::string& method, const std::string& target,
                              const json& body) {
        const auto reply = http->send(method, target, boss, body);
        EXPECT_EQ(reply.status, 400) << reply.body;
        return reply.json()["error"].value("field", "");
    };
    const json ok{{"name", "Ivan"}, {"login", "ivan"}, {"role", "operator"}};
    const auto with = [&](const std::string& key, const json& value) {
        auto b = ok;
        b[key] = value;
        return b;
    };
    auto no_name = ok;
    no_name.erase("name");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", no_name), "name");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("name", "   ")), "name");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("login", "bad login")), "login");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("login", 7)), "login");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("role", "king")), "role");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("project_ids", "1")), "project_ids");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("project_ids", {0})), "project_ids");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("project_ids", {999})), "project_ids");
    EXPECT_EQ(field_of("POST", "/api/v1/employees", with("shoe_size", 42)), "shoe_size");
    EXPECT_EQ(field_of("PATCH", path(olga_id), {{"login", ""}}), "login");
    EXPECT_EQ(field_of("PATCH", path(olga_id), {{"name", std::string(201, 'n')}}), "name");
    // Logins are unique server-wide: another account's login is taken too.
    const auto taken = http->send("POST", "/api/v1/employees", boss, with("login", "gboss"));
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.json()["error"]["field"], "login");
    const auto renamed = http->send("PATCH", path(olga_id), boss, {{"login", "ANNA"}});
    EXPECT_EQ(renamed.status, 409);
    EXPECT_EQ(renamed.json()["error"]["field"], "login");
    EXPECT_TRUE(employee("ivan").is_null()); // nothing was created by a refusal
}

TEST_F(EmployeesApiTest, TheCreatorIsProtectedAndStaysTheOnlyOne) {
    const auto boss_id = id_of("admin");
    const auto olga_id = id_of("olga");
    const auto demote = http->send("PATCH", path(boss_id), boss, {{"role", "administrator"}});
    EXPECT_EQ(demote.status, 409);
    EXPECT_EQ(demote.json()["error"]["field"], "role");
    EXPECT_EQ(http->send("POST", path(boss_id, "/deactivate"), boss, json::object()).status, 409);
    EXPECT_EQ(http->send("PATCH", path(olga_id), boss, {{"role", "creator"}}).status, 409);
    EXPECT_EQ(http->send("PATCH", path(olga_id), anna, {{"role", "creator"}}).status, 403);
    EXPECT_EQ(http->send("POST", "/api/v1/employees", anna,
                         {{"name", "C"}, {"login", "c2"}, {"role", "creator"}})
                  .status,
              403);
    EXPECT_EQ(http->send("POST", path(id_of("anna"), "/deactivate"), anna, json::object()).status,
              409); // nobody deactivates themself
    EXPECT_EQ(employee("admin")["role"], "creator");
    EXPECT_EQ(employee("admin")["active"], true);
    // The creator still renames themself.
    EXPECT_EQ(http->send("PATCH", path(boss_id), boss, {{"name", "The Boss"}}).status, 200);
}

TEST_F(EmployeesApiTest, DeactivationCutsSignInTokensAndThePhoneOffAtOnce) {
    const auto olga_id = id_of("olga");
    ASSERT_EQ(sipp("register_stay.xml", "olga", "olga-sip-secret"), 0) << log;
    ASSERT_EQ(employee("olga")["status"], "available");
    ASSERT_EQ(http->get("/api/v1/me", olga).status, 200);

    const auto off = http->send("POST", path(olga_id, "/deactivate"), anna, json::object());
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_EQ(off.json()["active"], false);
    EXPECT_TRUE(off.json()["deactivated_at"].is_string());
    EXPECT_EQ(http->get("/api/v1/me", olga).status, 401);
    const auto login = http->send("POST", "/api/v1/auth/login", "",
                                  {{"login", "olga"}, {"password", "password-olga"}});
    EXPECT_EQ(login.status, 403);
    EXPECT_EQ(login.code(), "deactivated");
    const auto listed = employee("olga");
    EXPECT_EQ(listed["active"], false);
    EXPECT_EQ(listed["status"], "offline");
    EXPECT_TRUE(listed["registration"].is_null());
    // Her phone's credentials are refused like a stranger's.
    EXPECT_EQ(sipp("register_wrong_password.xml", "olga", "olga-sip-secret"), 0) << log;
    EXPECT_NE(audit().find("user.deactivate"), std::string::npos);
    EXPECT_TRUE(replayed_event(boss, "employee.deactivated").is_object());

    const auto on = http->send("POST", path(olga_id, "/activate"), anna, json::object());
    ASSERT_EQ(on.status, 200);
    EXPECT_EQ(on.json()["active"], true);
    EXPECT_FALSE(http->login("olga", "password-olga").empty());
    EXPECT_EQ(sipp("register_ok.xml", "olga", "olga-sip-secret"), 0) << log;
    EXPECT_NE(audit().find("user.activate"), std::string::npos);
    EXPECT_TRUE(replayed_event(boss, "employee.activated").is_object());
}

TEST_F(EmployeesApiTest, ResetsIssueNewSecretsOnce) {
    const auto olga_id = id_of("olga");
    const auto reset = http->send("POST", path(olga_id, "/password"), anna, json::object());
    ASSERT_EQ(reset.status, 200);
    const auto password = reset.json()["password"].get<std::string>();
    EXPECT_EQ(http->get("/api/v1/me", olga).status, 401); // her sessions ended
    EXPECT_EQ(http->send("POST", "/api/v1/auth/login", "",
                         {{"login", "olga"}, {"password", "password-olga"}})
                  .status,
              401);
    EXPECT_FALSE(http->login("olga", password).empty());

    const auto sip = http->send("POST", path(olga_id, "/sip-password"), anna, json::object());
    ASSERT_EQ(sip.status, 200);
    const auto sip_password = sip.json()["sip_password"].get<std::string>();
    EXPECT_EQ(sipp("register_ok.xml", "olga", sip_password), 0) << log;
    EXPECT_EQ(sipp("register_wrong_password.xml", "olga", "olga-sip-secret"), 0) << log;
    const auto rows = audit();
    EXPECT_NE(rows.find("user.reset_password"), std::string::npos) << rows;
    EXPECT_NE(rows.find("user.set_sip_password"), std::string::npos) << rows;
    EXPECT_NE(rows.find("anna"), std::string::npos);
    // The team listing never shows a secret.
    const auto team = http->get("/api/v1/team", boss).body;
    EXPECT_EQ(team.find(password), std::string::npos);
    EXPECT_EQ(team.find(sip_password), std::string::npos);
}

TEST_F(EmployeesApiTest, ConnectionTellsASoftphoneWhereAndHowToRegister) {
    const auto olga_id = id_of("olga");
    const auto reply = http->get(path(olga_id, "/connection"), boss);
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto c = reply.json();
    EXPECT_EQ(c["host"], "127.0.0.1");
    EXPECT_EQ(c["port"], server.sip_udp_port());
    EXPECT_EQ(c["transport"], "udp");
    EXPECT_EQ(c["transports"],
              json::array({{{"transport", "udp"}, {"port", server.sip_udp_port()}},
                           {{"transport", "tcp"}, {"port", server.sip_tcp_port()}}}));
    EXPECT_EQ(c["user"], "olga");
    EXPECT_EQ(c["domain"], "127.0.0.1");
    EXPECT_EQ(c["realm"], "127.0.0.1");
    EXPECT_EQ(c["loopback_only"], true);
    EXPECT_TRUE(c["ws_url"].is_null());
    // An operator may read their own.
    EXPECT_EQ(http->get(path(olga_id, "/connection"), olga).json()["user"], "olga");
}

} // namespace
} // namespace suflyor::e2e
