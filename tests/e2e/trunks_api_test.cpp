// Trunks and numbers edited through the API of the real `suflyor serve`: roles × routes × two
// accounts, bad input with the field named, configuration trunks read-only, the password never
// returned; and applied live: a trunk added takes a call from its source at once, a removed one
// stops (its source is an unknown peer again) while a call in progress through it goes on, and an
// outbound registration added through the API registers at the provider and is withdrawn on delete.
#include "support/http_client.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* secret = "trunk-secret";

class TrunksApiTest : public ::testing::Test {
protected:
    void start(const std::string& trunk_config) {
        server =
            std::make_unique<Server>(SUFLYOR_BINARY, trunk_config, "sip_domain = \"127.0.0.1\"\n");
        server->start();
        server->add_user("anna", "anna-sip-secret", "administrator");
        server->add_user("olga", "olga-sip-secret");
        server->add_project_operator("olga");
        server->admin({"account", "create", "--name", "Globex", "--email", "boss@globex.test",
                       "--sip-domain", "globex.test", "--creator-login", "gboss",
                       "--creator-password", "gboss-password"});
        server->admin({"project", "create", "--account", "2", "--name", "Theirs"});
        http = std::make_unique<HttpClient>(server->http_port());
        admin = http->login("admin", "creator-password");
        anna = http->login("anna", "password-anna");
        olga = http->login("olga", "password-olga");
        gboss = http->login("gboss", "gboss-password");
    }

    // Every reply passes through here: none may carry the registration password.
    HttpReply call(const std::string& method, const std::string& path, const std::string& token,
                   const json& body = nullptr) {
        auto reply = body.is_null() ? http->request(method, path, token)
                                    : http->send(method, path, token, body);
        EXPECT_EQ(reply.body.find(secret), std::string::npos) << method << " " << path;
        return reply;
    }

    std::int64_t project_id(const std::string& token, const std::string& name) {
        const auto projects = call("GET", "/api/v1/projects", token).json()["projects"];
        for (const auto& p : projects)
            if (p["name"] == name) return p["id"];
        ADD_FAILURE() << "no project " << name << ": " << projects.dump();
        return 0;
    }

    json trunk_named(const std::string& token, const std::string& name) {
        const auto trunks = call("GET", "/api/v1/trunks", token).json()["trunks"];
        for (const auto& t : trunks)
            if (t["name"] == name) return t;
        return nullptr;
    }

    std::unique_ptr<Server> server;
    std::unique_ptr<HttpClient> http;
    std::string admin, anna, olga, gboss;
};

TEST_F(TrunksApiTest, RolesAccountsBadInputAndReadOnlyConfigTrunks) {
    start(provider_trunk_config(free_port(SOCK_DGRAM)));
    // The configuration's trunk is listed read-only with its DID.
    const auto listed = call("GET", "/api/v1/trunks", admin);
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.json()["trunks"].size(), 1u);
    const auto config = listed.json()["trunks"][0];
    EXPECT_EQ(config["id"], "config:provider");
    EXPECT_EQ(config["source"], "config");
    EXPECT_EQ(config["read_only"], true);
    EXPECT_EQ(config["numbers"][0]["number"], "74950000001");
    EXPECT_EQ(config["numbers"][0]["project"]["name"], "Sales");
    // Operators manage no trunks; another account does not see this one.
    EXPECT_EQ(call("GET", "/api/v1/trunks", olga).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/trunks", olga, {{"name", "X"}, {"peer", "h:5060"}}).status,
              403);
    EXPECT_TRUE(call("GET", "/api/v1/trunks", gboss).json()["trunks"].empty());

    const json body = {{"name", "Second"},
                       {"peer", "sip.provider.test:5060"},
                       {"transport", "tcp"},
                       {"sources", json::array({"192.0.2.10", "198.51.100.0/24"})},
                       {"caller_id", "+74950000000"},
                       {"register_outbound", false},
                       {"username", "acme"},
                       {"password", secret}};
    const auto created = call("POST", "/api/v1/trunks", anna, body);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto trunk = created.json();
    EXPECT_EQ(trunk["source"], "database");
    EXPECT_EQ(trunk["read_only"], false);
    EXPECT_EQ(trunk["has_password"], true);
    EXPECT_FALSE(trunk.contains("password"));
    EXPECT_EQ(trunk["sources"], json::array({"192.0.2.10", "198.51.100.0/24"}));
    const std::string path = "/api/v1/trunks/" + std::to_string(trunk["id"].get<std::int64_t>());
    EXPECT_EQ(call("POST", "/api/v1/trunks", admin, body).code(), "conflict"); // the name

    // Bad input: 400 naming the field.
    const auto field_of = [&](const json& bad) {
        const auto r = call("POST", "/api/v1/trunks", admin, bad);
        EXPECT_EQ(r.status, 400) << bad.dump() << " " << r.body;
        return r.json()["error"].value("field", "");
    };
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "no-port"}}), "peer");
    EXPECT_EQ(
        field_of({{"name", "B"}, {"peer", "h:5060"}, {"sources", json::array({"1.2.3.4/40"})}}),
        "sources");
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "h:5060"}, {"sources", "1.2.3.4"}}), "sources");
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "h:5060"}, {"transport", "sctp"}}), "transport");
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "h:5060"}, {"caller_id", "me"}}), "caller_id");
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "h:5060"}, {"register_outbound", true}}),
              "username");
    EXPECT_EQ(field_of({{"peer", "h:5060"}}), "name");
    EXPECT_EQ(field_of({{"name", "B"}, {"peer", "h:5060"}, {"admin", true}}), "admin");

    // Numbers: normalized, unique on the server, into a project of the same account.
    const auto sales = project_id(admin, "Sales");
    const auto added = call("POST", path + "/numbers", admin,
                            {{"number", "+7 (495) 000-00-02"}, {"project_id", sales}});
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(added.json()["number"], "74950000002");
    EXPECT_EQ(
        call("POST", path + "/numbers", admin, {{"number", "74950000002"}, {"project_id", sales}})
            .code(),
        "conflict");
    EXPECT_EQ(
        call("POST", path + "/numbers", admin, {{"number", "74950000001"}, {"project_id", sales}})
            .code(),
        "conflict"); // the configuration's DID
    const auto theirs = project_id(gboss, "Theirs");
    const auto foreign_project =
        call("POST", path + "/numbers", admin, {{"number", "74950000003"}, {"project_id", theirs}});
    EXPECT_EQ(foreign_project.status, 400);
    EXPECT_EQ(foreign_project.json()["error"]["field"], "project_id");
    EXPECT_EQ(call("POST", path + "/numbers", admin, {{"number", "call me"}, {"project_id", sales}})
                  .json()["error"]["field"],
              "number");
    // The project lists the numbers reaching it: the configuration's and the database's.
    const auto projects = call("GET", "/api/v1/projects", admin).json()["projects"];
    for (const auto& p : projects)
        if (p["name"] == "Sales") {
            EXPECT_EQ(p["numbers"], json::array({"74950000001", "74950000002"}));
        }

    // Another account: 404 on every route of this trunk.
    EXPECT_EQ(call("PATCH", path, gboss, {{"name", "Mine"}}).status, 404);
    EXPECT_EQ(call("DELETE", path, gboss).status, 404);
    EXPECT_EQ(
        call("POST", path + "/numbers", gboss, {{"number", "74950000004"}, {"project_id", theirs}})
            .status,
        404);
    EXPECT_EQ(call("DELETE", path + "/numbers/74950000002", gboss).status, 404);
    EXPECT_EQ(call("PATCH", "/api/v1/trunks/config:provider", gboss, {{"name", "Mine"}}).status,
              404);
    // Operators: 403 on every route.
    EXPECT_EQ(call("PATCH", path, olga, {{"name", "Mine"}}).status, 403);
    EXPECT_EQ(call("DELETE", path, olga).status, 403);
    EXPECT_EQ(call("DELETE", path + "/numbers/74950000002", olga).status, 403);

    // The configuration's trunk and its DIDs refuse edits.
    EXPECT_EQ(call("PATCH", "/api/v1/trunks/config:provider", admin, {{"name", "X"}}).code(),
              "read_only");
    EXPECT_EQ(call("DELETE", "/api/v1/trunks/config:provider", admin).code(), "read_only");
    EXPECT_EQ(call("DELETE", "/api/v1/trunks/config:provider/numbers/74950000001", admin).code(),
              "read_only");
    EXPECT_EQ(call("DELETE", "/api/v1/trunks/config:provider", admin).status, 409);

    // Changes: only what is given; a new password is kept, never shown.
    const auto patched =
        call("PATCH", path, admin, {{"peer", "127.0.0.9:5070"}, {"password", "other-secret"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["peer"], "127.0.0.9:5070");
    EXPECT_EQ(patched.json()["name"], "Second");
    EXPECT_EQ(patched.body.find("other-secret"), std::string::npos);
    EXPECT_EQ(call("PATCH", path, admin, {{"peer", "bad"}}).json()["error"]["field"], "peer");

    EXPECT_EQ(call("DELETE", path + "/numbers/%2B74950000002", admin).status, 204);
    EXPECT_EQ(call("DELETE", path + "/numbers/74950000002", admin).status, 404);
    EXPECT_EQ(call("DELETE", path, anna).status, 204);
    EXPECT_EQ(call("DELETE", path, anna).status, 404);
    // Neither the log nor the audit trail shows the password.
    EXPECT_EQ(server->process().err().find(secret), std::string::npos);
    EXPECT_EQ(server->process().err().find("other-secret"), std::string::npos);
}

TEST_F(TrunksApiTest, ATrunkAddedTakesCallsAtOnceARemovedOneStopsCallsInProgressGoOn) {
    start("");
    const int provider_port = free_port(SOCK_DGRAM);
    std::string log;
    // No trunk yet: 127.0.0.2 is a stranger, and dialling out from it is forbidden.
    EXPECT_EQ(run_sipp("stranger_dial.xml", server->sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;

    const auto created = call("POST", "/api/v1/trunks", admin,
                              {{"name", "Live"},
                               {"peer", "127.0.0.2:" + std::to_string(provider_port)},
                               {"sources", json::array({"127.0.0.2"})}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string path =
        "/api/v1/trunks/" + std::to_string(created.json()["id"].get<std::int64_t>());
    ASSERT_EQ(call("POST", path + "/numbers", admin,
                   {{"number", "74950000001"}, {"project_id", project_id(admin, "Sales")}})
                  .status,
              201);

    // At once, without a restart: the client's call reaches olga, who talks for 4 s.
    auto phone =
        sipp_phone(*server, "olga", "olga-sip-secret", "operator_answer_talk.xml", {"-d", "4000"});
    auto client = trunk_client_call(*server);
    const auto call_id = wait_api_call(*http, admin, "talking");
    ASSERT_NE(call_id, 0);

    // The trunk goes while the call is in progress: the call goes on until olga hangs up, and
    // her BYE still reaches the client through the server.
    EXPECT_EQ(call("DELETE", path, admin).status, 204);
    EXPECT_EQ(client->wait(30s), 0) << client->out() << client->err();
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto ended = call("GET", "/api/v1/calls/" + std::to_string(call_id), admin).json();
    EXPECT_EQ(ended["state"], "ended") << ended.dump();
    EXPECT_EQ(ended["end_reason"], "operator_hangup") << ended.dump();

    // Removed: 127.0.0.2 is a stranger again.
    EXPECT_EQ(run_sipp("stranger_dial.xml", server->sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_TRUE(server->process().wait_for_stderr("reason=unknown_source_external_number", 5s));
}

TEST_F(TrunksApiTest, AnOutboundRegistrationAddedThroughTheApiRegistersAndIsWithdrawnOnDelete) {
    start("");
    const int provider_port = free_port(SOCK_DGRAM);
    Process registrar(sipp_command("provider_registrar_unregister.xml", 0, {"-s", "trunkuser"},
                                   "127.0.0.2", provider_port));
    ASSERT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"))
        << registrar.out() << registrar.err();
    const auto created = call("POST", "/api/v1/trunks", admin,
                              {{"name", "Registering"},
                               {"peer", "127.0.0.2:" + std::to_string(provider_port)},
                               {"register_outbound", true},
                               {"username", "trunkuser"},
                               {"password", secret}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_TRUE(server->process().wait_for_stderr("trunk Registering registration ok", 15s))
        << server->process().err() << registrar.out();
    // GET tells the registration state.
    json state;
    for (int i = 0; i < 100; ++i) {
        state = trunk_named(admin, "Registering")["registration"];
        if (state.is_object() && state["state"] == "registered") break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(state["state"], "registered") << state.dump();
    const std::string path =
        "/api/v1/trunks/" + std::to_string(created.json()["id"].get<std::int64_t>());
    EXPECT_EQ(call("DELETE", path, admin).status, 204);
    // The provider got the un-REGISTER (expires 0) and answered it.
    EXPECT_EQ(registrar.wait(30s), 0) << registrar.out() << registrar.err();
    EXPECT_TRUE(server->process().wait_for_stderr("trunk Registering registration stops", 5s));
}

} // namespace
} // namespace suflyor::e2e
