// The HTTP API (SPEC §10) against the real `suflyor serve`, through a real HTTP client: sign-in
// and its refusals, bad input of every kind, the cross-account isolation matrix (role × route),
// monitoring a live sipp call through the API with every refusal of SPEC §10, the card's
// actions, the recording download with Range, features and the platform operator.
#include "support/http_client.hpp"
#include "support/http_clients.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"
#include "support/smtp_sink.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("anna", "anna-sip-secret", "administrator");
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        server.admin({"project", "set-results", "--account", "1", "--project", "Sales", "--result",
                      "Sold", "--result", "Call back"});
        server.admin({"account", "create", "--name", "Globex", "--email", "boss@globex.test",
                      "--sip-domain", "globex.test", "--creator-login", "gboss",
                      "--creator-password", "gboss-password"});
        http = std::make_unique<HttpClient>(server.http_port());
        admin = http->login("admin", "creator-password");
        anna = http->login("anna", "password-anna");
        olga = http->login("olga", "password-olga");
        gboss = http->login("gboss", "gboss-password");
    }

    // Registers `user`'s phone and leaves a sipp running `scenario` on it.
    std::unique_ptr<Process> phone(const std::string& user, const std::string& secret,
                                   const std::string& scenario,
                                   const std::vector<std::string>& extra = {}) {
        return sipp_phone(server, user, secret, scenario, extra);
    }

    // A client call through the trunk that olga answers and holds for `talk_ms`, then ends.
    std::unique_ptr<Process> start_call(int talk_ms) {
        olga_phone = phone("olga", "olga-sip-secret", "operator_answer_talk.xml",
                           {"-d", std::to_string(talk_ms)});
        return trunk_client_call(server);
    }

    // Waits until the API lists an active call in state `state`; returns its id.
    std::int64_t wait_call(const std::string& state) { return wait_api_call(*http, admin, state); }

    std::int64_t user_id(const std::string& login) {
        const auto team = http->get("/api/v1/team", admin).json();
        for (const auto& e : team["employees"])
            if (e["login"] == login) return e["id"];
        return 0;
    }

    const int provider_port = free_port(SOCK_DGRAM);
    Server server{SUFLYOR_BINARY, provider_trunk_config(provider_port),
                  "sip_domain = \"127.0.0.1\"\n"};
    std::unique_ptr<HttpClient> http;
    std::string admin, anna, olga, gboss;
    std::unique_ptr<Process> olga_phone;
};

TEST_F(ApiTest, SignInSignOutAndEveryKindOfBadInput) {
    const auto me = http->get("/api/v1/me", anna);
    EXPECT_EQ(me.status, 200);
    EXPECT_EQ(me.json()["role"], "administrator");
    EXPECT_EQ(me.json()["account"]["name"], "My call center");
    EXPECT_EQ(me.headers.at("content-type").rfind("application/json", 0), 0u);

    const auto login = [&](const json& body) {
        return http->send("POST", "/api/v1/auth/login", "", body);
    };
    EXPECT_EQ(login({{"login", "anna"}, {"password", "wrong"}}).code(), "invalid_credentials");
    EXPECT_EQ(login({{"login", "nobody"}, {"password", "wrong"}}).status, 401);
    EXPECT_EQ(login({{"login", "anna"}}).code(), "missing_field");
    EXPECT_EQ(login({{"login", "anna"}, {"password", 5}}).code(), "invalid_type");
    const auto unknown = login({{"login", "anna"}, {"password", "x"}, {"admin", true}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.code(), "unknown_field");
    EXPECT_EQ(unknown.json()["error"]["field"], "admin");
    EXPECT_EQ(http->request("POST", "/api/v1/auth/login", "", "{\"login\":").code(),
              "malformed_json");
    EXPECT_EQ(http->request("POST", "/api/v1/auth/login", "", "[1,2]").code(), "invalid_body");
    const auto form = http->request("POST", "/api/v1/auth/login", "", "login=anna",
                                    "application/x-www-form-urlencoded");
    EXPECT_EQ(form.status, 415);
    const auto huge = http->request("POST", "/api/v1/auth/login", "",
                                    "{\"login\":\"" + std::string(2 << 20, 'a') + "\"}");
    EXPECT_EQ(huge.status, 413);

    EXPECT_EQ(http->get("/api/v1/me").status, 401);
    EXPECT_EQ(http->get("/api/v1/me").code(), "unauthorized");
    EXPECT_EQ(http->get("/api/v1/me", "forged-token").status, 401);
    EXPECT_EQ(http->get("/api/v1/nothing-here", anna).status, 404);
    const auto wrong_method = http->request("DELETE", "/api/v1/team", anna);
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(wrong_method.headers.at("allow"), "GET");
    EXPECT_EQ(http->get("/api/v1/calls/abc", anna).status, 404);
    EXPECT_EQ(http->get("/api/v1/calls/-1", anna).status, 404);
    EXPECT_EQ(http->get("/api/v1/calls?limit=0", anna).code(), "invalid_value");
    EXPECT_EQ(http->get("/api/v1/calls?color=red", anna).code(), "unknown_field");
    EXPECT_EQ(http->get("/api/v1/calls?state=flying", anna).code(), "invalid_value");

    // Sign-out revokes exactly that token.
    const auto second = http->login("anna", "password-anna");
    EXPECT_EQ(http->request("POST", "/api/v1/auth/logout", anna).status, 204);
    EXPECT_EQ(http->get("/api/v1/me", anna).status, 401);
    EXPECT_EQ(http->get("/api/v1/me", second).status, 200);

    // Five wrong passwords lock the login (even the right one is refused), not other logins.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login({{"login", "olga"}, {"password", "guess"}}).status, 401);
    const auto locked = login({{"login", "olga"}, {"password", "password-olga"}});
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(locked.code(), "rate_limited");
    EXPECT_GT(locked.json()["error"]["retry_after_seconds"].get<int>(), 0);
    EXPECT_EQ(login({{"login", "anna"}, {"password", "password-anna"}}).status, 200);
    EXPECT_EQ(http->get("/healthz").status, 200);
}

TEST_F(ApiTest, AnotherAccountsObjectsAreNotFoundAndRolesAreEnforced) {
    auto call = start_call(500);
    EXPECT_EQ(call->wait(30s), 0) << call->out() << call->err();
    EXPECT_EQ(olga_phone->wait(30s), 0) << olga_phone->out() << olga_phone->err();
    const auto calls = http->get("/api/v1/calls", admin).json()["calls"];
    ASSERT_EQ(calls.size(), 1u);
    const std::string id = std::to_string(calls[0]["id"].get<std::int64_t>());
    const std::string olga_id = std::to_string(user_id("olga"));
    const std::string project = std::to_string(calls[0]["project"]["id"].get<std::int64_t>());

    struct Case {
        std::string method, path;
        json body;
        long admin, anna, olga, gboss; // expected statuses
    };
    const json listen{{"mode", "listen"}};
    const std::vector<Case> matrix{
        {"GET", "/api/v1/calls/" + id, nullptr, 200, 200, 200, 404},
        {"GET", "/api/v1/calls/" + id + "/comments", nullptr, 200, 200, 200, 404},
        {"PUT", "/api/v1/calls/" + id + "/saved", nullptr, 204, 204, 204, 404},
        {"DELETE", "/api/v1/calls/" + id + "/saved", nullptr, 204, 204, 204, 404},
        {"GET", "/api/v1/calls/" + id + "/recording?track=supervisor", nullptr, 404, 404, 403, 404},
        {"POST", "/api/v1/calls/" + id + "/monitor", listen, 403, 403, 403, 404},
        {"GET", "/api/v1/projects/" + project + "/state", nullptr, 200, 200, 200, 404},
        {"POST", "/api/v1/employees/" + olga_id + "/monitor-next", listen, 403, 403, 403, 404},
        {"DELETE", "/api/v1/employees/" + olga_id + "/monitor-next", nullptr, 404, 404, 403, 404},
        {"GET", "/api/v1/monitor/1", nullptr, 404, 404, 403, 404},
        {"POST", "/api/v1/features/whisper_listen/disable", nullptr, 409, 409, 403, 409},
    };
    for (const auto& c : matrix) {
        const std::vector<std::pair<std::string, long>> who{
            {admin, c.admin}, {anna, c.anna}, {olga, c.olga}, {gboss, c.gboss}};
        const char* names[] = {"admin", "anna", "olga", "gboss"};
        for (std::size_t i = 0; i < who.size(); ++i) {
            const auto reply = c.body.is_null()
                                   ? http->request(c.method, c.path, who[i].first)
                                   : http->send(c.method, c.path, who[i].first, c.body);
            EXPECT_EQ(reply.status, who[i].second)
                << names[i] << " " << c.method << " " << c.path << ": " << reply.body;
        }
    }
    // Lists are the caller's account only.
    EXPECT_EQ(http->get("/api/v1/calls", gboss).json()["total"], 0);
    EXPECT_EQ(http->get("/api/v1/team", gboss).json()["employees"].size(), 1u);
    EXPECT_EQ(http->get("/api/v1/projects", gboss).json()["projects"].size(), 0u);
    EXPECT_EQ(http->get("/api/v1/calls", olga).json()["total"], 1); // her own call
    // The operator may not watch the call (feature off or not: the role comes first).
    EXPECT_EQ(http->send("POST", "/api/v1/calls/" + id + "/monitor", olga, listen).code(),
              "forbidden");
}

TEST_F(ApiTest, MonitoringALiveCallThroughTheApiWithEveryRefusal) {
    auto call = start_call(12000);
    const auto id = std::to_string(wait_call("talking"));
    const auto monitor = [&](const std::string& token, const std::string& mode) {
        return http->send("POST", "/api/v1/calls/" + id + "/monitor", token, {{"mode", mode}});
    };
    EXPECT_EQ(monitor(admin, "listen").code(), "feature_not_connected");
    EXPECT_EQ(monitor(admin, "shout").code(), "invalid_value");
    // Two accounts: requests wait for the platform operator.
    const auto requested =
        http->request("POST", "/api/v1/features/whisper_listen/request", admin).json();
    EXPECT_EQ(requested["state"], "requested");
    EXPECT_EQ(
        http->request("POST", "/api/v1/admin/accounts/1/features/whisper_listen/connect", admin)
            .status,
        403);
    const auto connected = http->request(
        "POST", "/api/v1/admin/accounts/1/features/whisper_listen/connect", Server::platform_token);
    EXPECT_EQ(connected.status, 200) << connected.body;
    EXPECT_EQ(connected.json()["state"], "connected");
    EXPECT_EQ(http->get("/api/v1/me", admin).json()["may_monitor"], true);

    EXPECT_EQ(monitor(admin, "listen").code(), "no_supervisor_device");
    EXPECT_EQ(monitor(admin, "listen").status, 409);
    auto device = phone("admin", "creator-sip-password", "device_autoanswer.xml");
    // Ringing in the browser, a registered desk phone does not count: the refusal says so.
    const auto to_browser = http->send("PUT", "/api/v1/me/device", admin, {{"ring", "browser"}});
    EXPECT_EQ(to_browser.status, 200) << to_browser.body;
    EXPECT_EQ(monitor(admin, "listen").code(), "browser_not_registered");
    EXPECT_EQ(http->send("PUT", "/api/v1/me/device", admin, {{"ring", "sip_phone"}}).status, 200);
    const auto softphone = http->get("/api/v1/me/softphone", admin).json();
    EXPECT_EQ(softphone["enabled"], false); // no [sip] ws_listen / ws_public_url here
    EXPECT_TRUE(softphone["reason"].is_string());
    EXPECT_EQ(softphone["password"], "");
    const auto joined = monitor(admin, "listen");
    ASSERT_EQ(joined.status, 201) << joined.body;
    const auto session = std::to_string(joined.json()["session_id"].get<std::int64_t>());
    EXPECT_EQ(joined.json()["supervisor"]["name"], "Owner");

    const auto second = monitor(anna, "whisper");
    EXPECT_EQ(second.status, 409);
    EXPECT_EQ(second.code(), "already_monitored");
    EXPECT_EQ(second.json()["error"]["by"]["name"], "Owner");

    const auto card = http->get("/api/v1/calls/" + id, anna).json();
    EXPECT_EQ(card["state"], "talking");
    EXPECT_EQ(card["monitored_by"]["supervisor"]["name"], "Owner");
    EXPECT_EQ(card["monitored_by"]["mode"], "listen");
    const auto team = http->get("/api/v1/team", anna).json()["employees"];
    bool olga_talking = false;
    for (const auto& e : team)
        if (e["login"] == "olga")
            olga_talking = e["status"] == "talking" && e["current_call"]["id"] == std::stoll(id);
    EXPECT_TRUE(olga_talking) << team.dump();

    const auto switched =
        http->send("PATCH", "/api/v1/monitor/" + session, admin, {{"mode", "whisper"}});
    EXPECT_EQ(switched.status, 200) << switched.body;
    EXPECT_EQ(switched.json()["mode"], "whisper");
    EXPECT_EQ(switched.json()["modes"].size(), 2u);
    EXPECT_EQ(http->send("PATCH", "/api/v1/monitor/" + session, gboss, {{"mode", "listen"}}).status,
              404);
    // Barge can be turned off per account; listen and whisper stay.
    EXPECT_EQ(http->send("PATCH", "/api/v1/account", olga, {{"barge_enabled", false}}).status, 403);
    const auto no_barge = http->send("PATCH", "/api/v1/account", anna, {{"barge_enabled", false}});
    EXPECT_EQ(no_barge.status, 200) << no_barge.body;
    EXPECT_EQ(no_barge.json()["barge_enabled"], false);
    EXPECT_EQ(http->send("PATCH", "/api/v1/monitor/" + session, admin, {{"mode", "barge"}}).code(),
              "forbidden");
    EXPECT_EQ(http->get("/api/v1/me", gboss).json()["account"]["barge_enabled"], true);

    // Comments during the call, by position in it.
    const auto comment = http->send("POST", "/api/v1/calls/" + id + "/comments", admin,
                                    {{"text", "Good greeting"}, {"dictated", true}});
    EXPECT_EQ(comment.status, 201) << comment.body;
    EXPECT_EQ(comment.json()["author"]["name"], "Owner");
    EXPECT_GE(comment.json()["offset_ms"].get<std::int64_t>(), 0);
    EXPECT_EQ(http->send("POST", "/api/v1/calls/" + id + "/comments", admin,
                         {{"text", std::string(5000, 'x')}})
                  .code(),
              "invalid_value");

    EXPECT_EQ(http->request("DELETE", "/api/v1/monitor/" + session, admin).status, 204);
    EXPECT_EQ(device->wait(30s), 0) << device->out() << device->err(); // released by BYE
    EXPECT_EQ(http->get("/api/v1/monitor/" + session, admin).json()["end_reason"],
              "supervisor_left");

    // The call goes on; when it ends, joining is refused as call_ended.
    EXPECT_EQ(call->wait(60s), 0) << call->out() << call->err();
    EXPECT_EQ(olga_phone->wait(30s), 0) << olga_phone->out() << olga_phone->err();
    EXPECT_EQ(monitor(admin, "listen").status, 410);
    EXPECT_EQ(monitor(admin, "listen").code(), "call_ended");

    // After the call: the operator's result, saved cards, the recording.
    const auto results = http->get("/api/v1/calls/" + id, olga).json()["results"];
    ASSERT_EQ(results.size(), 2u);
    const auto result = http->send("PUT", "/api/v1/calls/" + id + "/result", olga,
                                   {{"result_id", results[1]["id"]}, {"note", "Tomorrow 10:00"}});
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(http->send("PUT", "/api/v1/calls/" + id + "/result", admin,
                         {{"result_id", results[1]["id"]}})
                  .status,
              403);
    const auto seen = http->get("/api/v1/calls/" + id, admin).json();
    EXPECT_EQ(seen["result"]["label"], "Call back");
    EXPECT_EQ(seen["result"]["note"], "Tomorrow 10:00");
    EXPECT_EQ(seen["monitor_sessions"].size(), 1u);
    EXPECT_EQ(http->request("PUT", "/api/v1/calls/" + id + "/saved", admin).status, 204);
    EXPECT_EQ(http->get("/api/v1/saved-calls", admin).json()["calls"].size(), 1u);
    EXPECT_EQ(http->get("/api/v1/saved-calls", anna).json()["calls"].size(), 0u);
    EXPECT_EQ(http->get("/api/v1/calls/" + id + "/comments", olga).json()["comments"].size(), 1u);

    const auto wav = http->get("/api/v1/calls/" + id + "/recording", admin);
    ASSERT_EQ(wav.status, 200) << wav.body.substr(0, 200);
    EXPECT_EQ(wav.headers.at("content-type"), "audio/wav");
    EXPECT_EQ(wav.body.substr(0, 4), "RIFF");
    const auto part = http->request("GET", "/api/v1/calls/" + id + "/recording", admin, "", "",
                                    {"Range: bytes=0-43"});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.body.size(), 44u);
    EXPECT_EQ(part.headers.at("content-range"), "bytes 0-43/" + std::to_string(wav.body.size()));
    EXPECT_EQ(http->get("/api/v1/calls/" + id + "/recording", gboss).status, 404);
    // Whisper went to the supervisor track, which only supervisors may fetch.
    EXPECT_EQ(http->get("/api/v1/calls/" + id + "/recording?track=supervisor", olga).status, 403);
}

// SPEC §6: from the card, the supervisor calls the client back (their own phone rings first, then
// the client through the trunk) or calls the employee (an internal call).
TEST_F(ApiTest, TheCardCallsTheClientAndTheEmployeeFromTheSupervisorsPhone) {
    auto first = start_call(300);
    EXPECT_EQ(first->wait(30s), 0) << first->out() << first->err();
    EXPECT_EQ(olga_phone->wait(30s), 0) << olga_phone->out() << olga_phone->err();
    const auto original = http->get("/api/v1/calls", admin).json()["calls"][0];
    const auto id = std::to_string(original["id"].get<std::int64_t>());
    const auto call_client = [&](const std::string& token) {
        return http->request("POST", "/api/v1/calls/" + id + "/call-client", token);
    };
    EXPECT_EQ(call_client(admin).code(), "no_supervisor_device");
    EXPECT_EQ(call_client(olga).status, 403);
    EXPECT_EQ(call_client(gboss).status, 404);

    auto admin_phone = phone("admin", "creator-sip-password", "originate_answer_hangup.xml");
    Process provider(
        sipp_command("operator_answer.xml", 0, {"-s", "provider"}, "127.0.0.2", provider_port));
    ASSERT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"));
    const auto placed = call_client(admin);
    ASSERT_EQ(placed.status, 201) << placed.body;
    EXPECT_EQ(admin_phone->wait(30s), 0) << admin_phone->out() << admin_phone->err();
    EXPECT_EQ(provider.wait(30s), 0) << provider.out() << provider.err();
    const auto back =
        http->get("/api/v1/calls/" + std::to_string(placed.json()["call_id"].get<std::int64_t>()),
                  admin)
            .json();
    EXPECT_EQ(back["direction"], "outbound");
    EXPECT_EQ(back["client_number"], original["client_number"]);
    EXPECT_EQ(back["operator"]["name"], "Owner");
    EXPECT_EQ(back["project"]["name"], "Sales"); // the project of the call it came from
    EXPECT_EQ(back["end_reason"], "operator_hangup");

    // The employee: the supervisor's phone first, then hers.
    const auto olga_id = std::to_string(user_id("olga"));
    EXPECT_EQ(http->request("POST",
                            "/api/v1/employees/" + std::to_string(user_id("admin")) + "/call",
                            admin)
                  .status,
              409);
    auto colleague = phone("olga", "olga-sip-secret", "originate_answer.xml");
    auto admin_again = phone("admin", "creator-sip-password", "originate_answer_hangup.xml");
    const auto internal = http->request("POST", "/api/v1/employees/" + olga_id + "/call", admin);
    ASSERT_EQ(internal.status, 201) << internal.body;
    EXPECT_EQ(admin_again->wait(30s), 0) << admin_again->out() << admin_again->err();
    EXPECT_EQ(colleague->wait(30s), 0) << colleague->out() << colleague->err();
    EXPECT_EQ(
        http->get("/api/v1/calls/" + std::to_string(internal.json()["call_id"].get<std::int64_t>()),
                  admin)
            .json()["direction"],
        "internal");
    EXPECT_EQ(http->request("POST", "/api/v1/employees/" + olga_id + "/call", gboss).status, 404);
}

// A single-account install fulfils a feature request at once (features.auto_connect default).
TEST(ApiFeatures, ASingleAccountServerConnectsOnRequest) {
    Server server{SUFLYOR_BINARY};
    server.start();
    HttpClient http(server.http_port());
    const auto admin = http.login("admin", "creator-password");
    const auto listed = http.get("/api/v1/features", admin).json()["features"];
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["key"], "whisper_listen");
    EXPECT_EQ(listed[0]["state"], "none");
    const auto requested = http.request("POST", "/api/v1/features/whisper_listen/request", admin);
    EXPECT_EQ(requested.json()["state"], "connected") << requested.body;
    EXPECT_EQ(http.request("POST", "/api/v1/features/nonsense/request", admin).status, 404);
    const auto disabled = http.request("POST", "/api/v1/features/whisper_listen/disable", admin);
    EXPECT_EQ(disabled.json()["state"], "disabled");
    EXPECT_EQ(http.get("/api/v1/me", admin).json()["may_monitor"], false);
    const auto spec = http.get("/api/v1/openapi.json");
    EXPECT_EQ(spec.status, 200);
    EXPECT_EQ(spec.json()["openapi"], "3.0.3");
}

// SPEC §7: when the platform operator fulfils a request, a mail goes to the account's contact
// email. A mail outage never blocks or loses it: the request completes, the mail goes out when
// the mail server is back.
TEST(ApiMail, TheConnectMailArrivesAndSurvivesAMailOutage) {
    test::SmtpSink sink;
    Server server{SUFLYOR_BINARY, "[smtp]\nurl = \"" + sink.url() +
                                      "\"\nfrom = \"cc@suflyor.test\"\nretry_seconds = 1\n"};
    server.start();
    server.admin({"account", "create", "--name", "Globex", "--email", "boss@globex.test",
                  "--sip-domain", "globex.test", "--creator-login", "gboss", "--creator-password",
                  "gboss-password"});
    HttpClient http(server.http_port());
    const auto connect = [&](int account) {
        return http.request("POST",
                            "/api/v1/admin/accounts/" + std::to_string(account) +
                                "/features/whisper_listen/connect",
                            Server::platform_token);
    };
    EXPECT_EQ(connect(1).status, 200);
    ASSERT_TRUE(sink.wait_for(1, 15s));
    auto mail = sink.messages().front();
    EXPECT_EQ(mail.mail_from, "cc@suflyor.test");
    EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"owner@example.com"});
    EXPECT_NE(mail.data.find("Subject: =?UTF-8?"), std::string::npos) << mail.data;
    EXPECT_EQ(connect(1).status, 200); // already connected: no second mail

    sink.stop();
    const auto started = std::chrono::steady_clock::now();
    const auto reply = connect(2);
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json()["state"], "connected");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "the outage blocked the request";
    EXPECT_TRUE(server.process().wait_for_stderr("mail: #2 to boss@globex.test failed", 15s))
        << server.process().err();
    sink.start();
    ASSERT_TRUE(sink.wait_for(2, 30s)) << "the mail was lost in the outage";
    mail = sink.messages().back();
    EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"boss@globex.test"});
    EXPECT_EQ(sink.messages().size(), 2u);
}

TEST_F(ApiTest, TheEventSocketPushesTheAccountsEventsInOrderToThatAccountOnly) {
    const auto port = static_cast<std::uint16_t>(server.http_port());
    test::WsClient foreign(
        port, "/api/v1/events?access_token=" + admin,
        {"Origin: http://evil.example", "Host: 127.0.0.1:" + std::to_string(port)});
    EXPECT_EQ(foreign.handshake_status(), 403);
    test::WsClient anonymous(port, "/api/v1/events");
    EXPECT_EQ(anonymous.handshake_status(), 401);
    test::WsClient forged(port, "/api/v1/events?access_token=forged");
    EXPECT_EQ(forged.handshake_status(), 401);

    test::WsClient acme(port, "/api/v1/events?access_token=" + anna);
    test::WsClient globex(port, "/api/v1/events?access_token=" + gboss);
    ASSERT_EQ(acme.handshake_status(), 101);
    ASSERT_EQ(globex.handshake_status(), 101);
    // The hub registers a socket just after its upgrade: wait until the server counts both.
    bool registered = false;
    for (int i = 0; i < 250 && !registered; ++i) {
        registered =
            http->get("/metrics").body.find("suflyor_ws_connections 2") != std::string::npos;
        if (!registered) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(registered) << http->get("/metrics").body;

    // A phone registers (presence), a feature is requested and connected (feature.*).
    std::string out;
    EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                       {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, out),
              0)
        << out;
    EXPECT_EQ(http->request("POST", "/api/v1/features/whisper_listen/request", admin).status, 200);
    EXPECT_EQ(http->request("POST", "/api/v1/admin/accounts/1/features/whisper_listen/connect",
                            Server::platform_token)
                  .status,
              200);

    std::vector<json> frames;
    while (frames.size() < 3) {
        const auto frame = acme.read_frame(10s);
        ASSERT_TRUE(frame) << "got only " << frames.size() << " events";
        frames.push_back(json::parse(frame->payload));
    }
    EXPECT_EQ(frames[0]["type"], "presence.changed");
    EXPECT_EQ(frames[0]["data"]["login"], "olga");
    EXPECT_EQ(frames[0]["data"]["status"], "available");
    EXPECT_EQ(frames[1]["type"], "feature.requested");
    EXPECT_EQ(frames[2]["type"], "feature.connected");
    EXPECT_EQ(frames[2]["data"]["state"], "connected");
    for (std::size_t i = 1; i < frames.size(); ++i)
        EXPECT_EQ(frames[i]["seq"].get<int>(), frames[i - 1]["seq"].get<int>() + 1);
    EXPECT_FALSE(globex.read_frame(500ms)) << "another account's events leaked";

    // A client that reconnects with the last seq it saw gets what it missed, in order.
    const auto seen = frames[0]["seq"].get<int>();
    test::WsClient again(port,
                         "/api/v1/events?access_token=" + anna + "&since=" + std::to_string(seen));
    ASSERT_EQ(again.handshake_status(), 101);
    const auto replayed = again.read_frame(5s);
    ASSERT_TRUE(replayed);
    EXPECT_EQ(json::parse(replayed->payload)["type"], "feature.requested");
}

} // namespace
} // namespace suflyor::e2e
