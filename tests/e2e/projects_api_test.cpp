// Managing projects through the API of the real `suflyor serve`: every route for the creator,
// an administrator, an operator and another account's creator; bad input refused with its
// field; audit rows and live events for each change; an archived project's number no longer
// reaching its operator (sipp as the provider and as the phone) while an unarchived one does;
// a retired processing result refused for a new choice while the calls that carry it keep it.
#include "support/http_client.hpp"
#include "support/http_clients.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ProjectsApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("anna", "anna-sip-secret", "administrator");
        server.add_user("olga", "olga-sip-secret");
        server.add_user("ivan", "ivan-sip-secret");
        server.admin({"account", "create", "--name", "Globex", "--email", "boss@globex.test",
                      "--sip-domain", "globex.test", "--creator-login", "gboss",
                      "--creator-password", "gboss-password"});
        server.admin({"user", "create", "--account", "Globex", "--name", "Gleb", "--login", "gleb",
                      "--role", "operator", "--password", "password-gleb", "--sip-password",
                      "gleb-sip-secret"});
        http = std::make_unique<HttpClient>(server.http_port());
        admin = http->login("admin", "creator-password");
        anna = http->login("anna", "password-anna");
        olga = http->login("olga", "password-olga");
        gboss = http->login("gboss", "gboss-password");
    }

    std::int64_t user_id(const std::string& token, const std::string& login) {
        const auto team = http->get("/api/v1/team", token).json();
        for (const auto& e : team["employees"])
            if (e["login"] == login) return e["id"];
        ADD_FAILURE() << "no employee " << login;
        return 0;
    }

    // Creates project `name` through the API as the creator; returns it.
    json create(const std::string& name, const json& results = json::array()) {
        const auto reply =
            http->send("POST", "/api/v1/projects", admin, {{"name", name}, {"results", results}});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return reply.json();
    }

    std::string path(const json& project, const std::string& rest = "") {
        return "/api/v1/projects/" + std::to_string(project["id"].get<std::int64_t>()) + rest;
    }

    std::string audit() { return server.admin({"audit", "list", "--account", "1"}); }

    // A client call through the trunk to DID 74950000001 ("Sales"), answered by olga's phone,
    // which holds it for `talk_ms`; waits until both sides are done.
    void answered_call(int talk_ms) {
        auto phone = sipp_phone(server, "olga", "olga-sip-secret", "operator_answer_talk.xml",
                                {"-d", std::to_string(talk_ms)});
        auto call = trunk_client_call(server);
        EXPECT_EQ(call->wait(30s), 0) << call->out() << call->err();
        EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    }

    const int provider_port = free_port(SOCK_DGRAM);
    Server server{SUFLYOR_BINARY, provider_trunk_config(provider_port),
                  "sip_domain = \"127.0.0.1\"\n"};
    std::unique_ptr<HttpClient> http;
    std::string admin, anna, olga, gboss;
};

TEST_F(ProjectsApiTest, EveryRouteForEveryRoleAndAnotherAccountIsNotFound) {
    const auto sales = create("Sales", {"Sold"});
    EXPECT_EQ(sales["name"], "Sales");
    EXPECT_EQ(sales["archived"], false);
    EXPECT_EQ(sales["archived_at"], nullptr);
    EXPECT_EQ(sales["results"].size(), 1u);
    EXPECT_EQ(sales["retired_results"], json::array());
    const auto sold = std::to_string(sales["results"][0]["id"].get<std::int64_t>());
    const auto olga_id = std::to_string(user_id(admin, "olga"));

    struct Case {
        std::string method, path;
        std::function<json(const std::string&)> body; // by the caller's name
        long admin, anna, olga, gboss;                // expected statuses
    };
    const auto none = [](const std::string&) { return json(); };
    const std::vector<Case> matrix{
        {"PATCH", path(sales),
         [](const std::string&) {
             return json{{"name", "Sales team"}};
         },
         200, 200, 403, 404},
        {"PUT", path(sales, "/operators/" + olga_id), none, 200, 200, 403, 404},
        {"DELETE", path(sales, "/operators/" + olga_id), none, 200, 200, 403, 404},
        {"POST", path(sales, "/results"),
         [](const std::string& who) {
             return json{{"label", "Asked by " + who}};
         },
         201, 201, 403, 404},
        {"PATCH", path(sales, "/results/" + sold),
         [](const std::string&) {
             return json{{"label", "Sold!"}};
         },
         200, 200, 403, 404},
        {"POST", path(sales, "/results/" + sold + "/retire"), none, 200, 200, 403, 404},
        {"POST", path(sales, "/archive"), none, 200, 200, 403, 404},
        {"POST", path(sales, "/unarchive"), none, 200, 200, 403, 404},
        {"POST", "/api/v1/projects",
         [](const std::string& who) {
             return json{{"name", "Project of " + who}};
         },
         201, 201, 403, 201}, // another account's creator creates in their own account
    };
    const std::vector<std::pair<std::string, std::string>> callers{
        {"admin", admin}, {"anna", anna}, {"olga", olga}, {"gboss", gboss}};
    for (const auto& c : matrix) {
        const long expected[] = {c.admin, c.anna, c.olga, c.gboss};
        for (std::size_t i = 0; i < callers.size(); ++i) {
            const auto body = c.body(callers[i].first);
            const auto reply = body.is_null()
                                   ? http->request(c.method, c.path, callers[i].second)
                                   : http->send(c.method, c.path, callers[i].second, body);
            EXPECT_EQ(reply.status, expected[i])
                << callers[i].first << " " << c.method << " " << c.path << ": " << reply.body;
            if (expected[i] == 403) EXPECT_EQ(reply.code(), "forbidden");
            if (expected[i] == 404) EXPECT_EQ(reply.code(), "not_found");
        }
    }
    // The result of it all, as each account sees it.
    const auto mine = http->get("/api/v1/projects", anna).json()["projects"];
    ASSERT_EQ(mine.size(), 3u); // "Project of admin", "Project of anna", "Sales team"
    const auto& team = mine[2];
    EXPECT_EQ(team["name"], "Sales team");
    EXPECT_EQ(team["archived"], false);
    EXPECT_EQ(team["operators"], json::array());
    ASSERT_EQ(team["results"].size(), 2u);
    EXPECT_EQ(team["results"][0]["label"], "Asked by admin");
    EXPECT_EQ(team["retired_results"][0]["label"], "Sold!");
    const auto theirs = http->get("/api/v1/projects", gboss).json()["projects"];
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0]["name"], "Project of gboss");
    // An operator still reads the projects (they are not hidden), only may not change them.
    EXPECT_EQ(http->get("/api/v1/projects", olga).status, 200);

    // Every change is in the audit log, under the CLI's names where it has them.
    const auto log = audit();
    for (const char* action :
         {"project.create", "project.rename", "project.add_operator", "project.remove_operator",
          "project.add_result", "project.rename_result", "project.retire_result", "project.archive",
          "project.unarchive"})
        EXPECT_NE(log.find(action), std::string::npos) << action << "\n" << log;
    EXPECT_NE(log.find("anna"), std::string::npos); // the actor is named
}

TEST_F(ProjectsApiTest, BadInputIsRefusedWithItsField) {
    const auto sales = create("Sales", {"Sold"});
    const auto post = [&](const json& body) {
        return http->send("POST", "/api/v1/projects", admin, body);
    };
    const auto refused = [](const HttpReply& reply, long status, const std::string& code,
                            const std::string& field) {
        EXPECT_EQ(reply.status, status) << reply.body;
        EXPECT_EQ(reply.code(), code) << reply.body;
        EXPECT_EQ(reply.json()["error"].value("field", ""), field) << reply.body;
    };
    refused(post(json::object()), 400, "missing_field", "name");
    refused(post({{"name", 5}}), 400, "invalid_type", "name");
    refused(post({{"name", "   "}}), 400, "invalid_value", "name");
    refused(post({{"name", std::string(101, 'x')}}), 400, "invalid_value", "name");
    refused(post({{"name", "Sales"}}), 409, "conflict", "name");
    refused(post({{"name", "X"}, {"results", "Sold"}}), 400, "invalid_type", "results");
    refused(post({{"name", "X"}, {"results", {"A", "A"}}}), 400, "invalid_value", "results");
    refused(post({{"name", "X"}, {"color", "red"}}), 400, "unknown_field", "color");
    // 100 Cyrillic letters are 100 characters (200 bytes): accepted.
    std::string cyrillic;
    for (int i = 0; i < 100; ++i)
        cyrillic += "\xD0\x96"; // Ж
    EXPECT_EQ(post({{"name", cyrillic}}).status, 201);

    const auto other = create("Support");
    refused(http->send("PATCH", path(other), admin, {{"name", "Sales"}}), 409, "conflict", "name");
    refused(http->send("PATCH", path(other), admin, json::object()), 400, "missing_field", "name");
    refused(http->send("PATCH", path(other), admin, {{"name", "Tab\there"}}), 400, "invalid_value",
            "name");

    // Operators only; another account's employee does not exist here.
    const auto anna_id = std::to_string(user_id(admin, "anna"));
    const auto gleb_id = std::to_string(user_id(gboss, "gleb"));
    refused(http->request("PUT", path(sales, "/operators/" + anna_id), admin), 400, "invalid_value",
            "user_id");
    EXPECT_EQ(http->request("PUT", path(sales, "/operators/" + gleb_id), admin).status, 404);
    EXPECT_EQ(http->request("PUT", path(sales, "/operators/999"), admin).status, 404);
    EXPECT_EQ(http->request("PUT", path(sales, "/operators/abc"), admin).status, 404);
    EXPECT_EQ(http->request("PUT", "/api/v1/projects/999/operators/" + anna_id, admin).status, 404);

    refused(http->send("POST", path(sales, "/results"), admin, {{"label", "Sold"}}), 409,
            "conflict", "label");
    refused(http->send("POST", path(sales, "/results"), admin, {{"label", ""}}), 400,
            "invalid_value", "label");
    refused(http->send("POST", path(sales, "/results"), admin, json::object()), 400,
            "missing_field", "label");
    EXPECT_EQ(http->send("PATCH", path(sales, "/results/999"), admin, {{"label", "X"}}).status,
              404);
    EXPECT_EQ(http->request("POST",
                            path(other,
                                 "/results/" +
                                     std::to_string(sales["results"][0]["id"].get<std::int64_t>()) +
                                     "/retire"),
                            admin)
                  .status,
              404); // a result of another project

    // An archived project takes no new operators or results until it is unarchived.
    ASSERT_EQ(http->request("POST", path(sales, "/archive"), admin).json()["archived"], true);
    const auto olga_id = std::to_string(user_id(admin, "olga"));
    EXPECT_EQ(http->request("PUT", path(sales, "/operators/" + olga_id), admin).code(), "conflict");
    EXPECT_EQ(http->send("POST", path(sales, "/results"), admin, {{"label", "New"}}).status, 409);
    EXPECT_EQ(http->request("POST", path(sales, "/unarchive"), admin).json()["archived"], false);
    EXPECT_EQ(http->request("PUT", path(sales, "/operators/" + olga_id), admin).status, 200);
}

TEST_F(ProjectsApiTest, ChangesAreAnnouncedToTheAccountOnly) {
    test::WsClient acme(static_cast<std::uint16_t>(server.http_port()),
                        "/api/v1/events?access_token=" + anna);
    test::WsClient globex(static_cast<std::uint16_t>(server.http_port()),
                          "/api/v1/events?access_token=" + gboss);
    ASSERT_EQ(acme.handshake_status(), 101);
    ASSERT_EQ(globex.handshake_status(), 101);
    const auto sales = create("Sales");
    const auto olga_id = std::to_string(user_id(admin, "olga"));
    http->request("PUT", path(sales, "/operators/" + olga_id), admin);
    http->request("PUT", path(sales, "/operators/" + olga_id), admin); // no change: no event
    http->request("POST", path(sales, "/archive"), admin);
    http->request("POST", path(sales, "/unarchive"), admin);

    std::vector<json> frames;
    while (frames.size() < 4) {
        const auto frame = acme.read_frame(5s);
        ASSERT_TRUE(frame) << "got " << frames.size() << " project events";
        auto parsed = json::parse(frame->payload);
        if (parsed["type"].get<std::string>().rfind("project.", 0) == 0)
            frames.push_back(std::move(parsed));
    }
    EXPECT_EQ(frames[0]["type"], "project.created");
    EXPECT_EQ(frames[0]["data"]["name"], "Sales");
    EXPECT_EQ(frames[1]["type"], "project.updated");
    EXPECT_EQ(frames[1]["data"]["operators"], json::array({std::stoll(olga_id)}));
    EXPECT_EQ(frames[2]["type"], "project.archived");
    EXPECT_EQ(frames[2]["data"]["archived"], true);
    EXPECT_EQ(frames[3]["type"], "project.unarchived");
    // Nothing more for Acme, nothing at all for Globex.
    for (auto frame = acme.read_frame(300ms); frame; frame = acme.read_frame(300ms))
        EXPECT_EQ(json::parse(frame->payload)["type"].get<std::string>().rfind("project.", 0),
                  std::string::npos)
            << frame->payload;
    for (auto frame = globex.read_frame(300ms); frame; frame = globex.read_frame(300ms))
        EXPECT_EQ(json::parse(frame->payload)["type"].get<std::string>().rfind("project.", 0),
                  std::string::npos)
            << frame->payload;
}

TEST_F(ProjectsApiTest, AnArchivedProjectsNumberNoLongerReachesItsOperator) {
    // The trunk's DID 74950000001 names "Sales": a project made in the web UI's way.
    const auto sales = create("Sales");
    const auto olga_id = std::to_string(user_id(admin, "olga"));
    ASSERT_EQ(http->request("PUT", path(sales, "/operators/" + olga_id), anna).status, 200);
    ASSERT_EQ(http->request("POST", path(sales, "/archive"), anna).status, 200);

    auto phone = sipp_phone(server, "olga", "olga-sip-secret", "operator_answer.xml");
    std::string log;
    EXPECT_NE(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log, "127.0.0.2"),
        0);
    EXPECT_NE(log.find("404"), std::string::npos) << log;
    EXPECT_TRUE(server.process().wait_for_stderr("belongs to archived project 'Sales'", 5s));
    EXPECT_EQ(phone->wait(1ms), -1) << "the operator's phone must not have been rung";
    EXPECT_EQ(http->get("/api/v1/calls", admin).json()["total"], 0);

    ASSERT_EQ(http->request("POST", path(sales, "/unarchive"), anna).status, 200);
    EXPECT_EQ(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log, "127.0.0.2"),
        0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto calls = http->get("/api/v1/calls", admin).json()["calls"];
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0]["project"]["name"], "Sales");
    EXPECT_EQ(calls[0]["operator"]["id"], std::stoll(olga_id));
}

TEST_F(ProjectsApiTest, ARetiredResultIsRefusedForANewChoiceWhileCallsKeepIt) {
    const auto sales = create("Sales", {"Sold", "Call back"});
    const auto sold = sales["results"][0]["id"].get<std::int64_t>();
    const auto call_back = sales["results"][1]["id"].get<std::int64_t>();
    const auto olga_id = std::to_string(user_id(admin, "olga"));
    ASSERT_EQ(http->request("PUT", path(sales, "/operators/" + olga_id), admin).status, 200);

    answered_call(300);
    const auto first =
        http->get("/api/v1/calls", olga).json()["calls"][0]["id"].get<std::int64_t>();
    const auto first_path = "/api/v1/calls/" + std::to_string(first);
    ASSERT_EQ(
        http->send("PUT", first_path + "/result", olga, {{"result_id", sold}, {"note", ""}}).status,
        200);

    const auto retired =
        http->request("POST", path(sales, "/results/" + std::to_string(sold) + "/retire"), anna);
    ASSERT_EQ(retired.status, 200) << retired.body;
    EXPECT_EQ(retired.json()["results"].size(), 1u);
    EXPECT_EQ(retired.json()["retired_results"][0]["label"], "Sold");

    // The call keeps its result; its note may still change.
    EXPECT_EQ(http->get(first_path, admin).json()["result"]["label"], "Sold");
    EXPECT_EQ(http->send("PUT", first_path + "/result", olga,
                         {{"result_id", sold}, {"note", "paid by card"}})
                  .status,
              200);

    answered_call(300);
    const auto second =
        http->get("/api/v1/calls", olga).json()["calls"][0]["id"].get<std::int64_t>();
    ASSERT_NE(second, first);
    const auto second_path = "/api/v1/calls/" + std::to_string(second);
    // The card offers only the active results.
    const auto card = http->get(second_path, olga).json();
    ASSERT_EQ(card["results"].size(), 1u);
    EXPECT_EQ(card["results"][0]["id"], call_back);
    const auto refused =
        http->send("PUT", second_path + "/result", olga, {{"result_id", sold}, {"note", ""}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("retired"), std::string::npos) << refused.body;
    EXPECT_EQ(
        http->send("PUT", second_path + "/result", olga, {{"result_id", call_back}, {"note", ""}})
            .status,
        200);

    // A rename corrects the wording for every call that carries the result.
    ASSERT_EQ(http->send("PATCH", path(sales, "/results/" + std::to_string(call_back)), anna,
                         {{"label", "Call back later"}})
                  .status,
              200);
    EXPECT_EQ(http->get(second_path, admin).json()["result"]["label"], "Call back later");
    EXPECT_EQ(http->get(first_path, admin).json()["result"]["label"], "Sold");
}

} // namespace
} // namespace suflyor::e2e
