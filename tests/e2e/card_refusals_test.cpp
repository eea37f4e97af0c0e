// The card's calls and the monitor's refusals say why, as data the web UI translates (issue 12):
// calling an operator who is on a call is refused `busy` and one without a phone
// `employee_offline`; calling the client with no trunk is `no_trunk`, and a provider's 404 ends
// the placed call `callee_not_found` (pushed as call.ended); a refused join's monitor.refused
// event names who is joined; a result the operator records reaches supervisors as card.result.
// The real `suflyor serve`, sipp phones and provider, a real WebSocket client.
#include "support/http_client.hpp"
#include "support/http_clients.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* trunk_marker = "# trunk\n";

std::string trunk_config(int provider_port) {
    return std::string(trunk_marker) + provider_trunk_config(provider_port);
}

class CardRefusalsTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("anna", "anna-sip-secret", "administrator");
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        server.admin({"project", "set-results", "--account", "1", "--project", "Sales", "--result",
                      "Sold", "--result", "Call back"});
        sign_in();
    }

    void sign_in() {
        http = std::make_unique<HttpClient>(server.http_port());
        admin = http->login("admin", "creator-password");
        anna = http->login("anna", "password-anna");
        olga = http->login("olga", "password-olga");
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

    std::int64_t wait_call(const std::string& state) { return wait_api_call(*http, admin, state); }

    std::string user_id(const std::string& login) {
        const auto team = http->get("/api/v1/team", admin).json();
        for (const auto& e : team["employees"])
            if (e["login"] == login) return std::to_string(e["id"].get<std::int64_t>());
        ADD_FAILURE() << "no employee " << login << ": " << team.dump();
        return "0";
    }

    // An event socket of `token`, registered with the hub (its connection counted) on return.
    std::unique_ptr<test::WsClient> events(const std::string& token, int connections) {
        auto ws = std::make_unique<test::WsClient>(static_cast<std::uint16_t>(server.http_port()),
                                                   "/api/v1/events?access_token=" + token);
        EXPECT_EQ(ws->handshake_status(), 101);
        const auto counted = "suflyor_ws_connections " + std::to_string(connections);
        for (int i = 0; i < 250; ++i) {
            if (http->get("/metrics").body.find(counted) != std::string::npos) return ws;
            std::this_thread::sleep_for(20ms);
        }
        ADD_FAILURE() << "the hub never counted " << connections << " sockets";
        return ws;
    }

    // The next frame of type `type` (skipping others), or null when none came in time.
    static json next_event(test::WsClient& ws, const std::string& type,
                           std::chrono::seconds timeout = 15s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto frame = ws.read_frame(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            if (!frame) break;
            auto parsed = json::parse(frame->payload);
            if (parsed["type"] == type) return parsed;
        }
        return nullptr;
    }

    const int provider_port = free_port(SOCK_DGRAM);
    Server server{SUFLYOR_BINARY, trunk_config(provider_port), "sip_domain = \"127.0.0.1\"\n"};
    std::unique_ptr<HttpClient> http;
    std::string admin, anna, olga;
    std::unique_ptr<Process> olga_phone;
};

TEST_F(CardRefusalsTest, BusyAndOfflineEmployeesWhoIsJoinedAndTheResultArriveAsData) {
    auto admin_events = events(admin, 1);
    auto anna_events = events(anna, 2);
    auto call = start_call(15000);
    const auto id = std::to_string(wait_call("talking"));
    const auto olga_id = user_id("olga");

    // Olga talks to a client: ringing her second line is refused, before anyone is rung.
    const auto busy = http->request("POST", "/api/v1/employees/" + olga_id + "/call", admin);
    EXPECT_EQ(busy.status, 409) << busy.body;
    EXPECT_EQ(busy.code(), "busy");
    const auto offline =
        http->request("POST", "/api/v1/employees/" + user_id("anna") + "/call", admin);
    EXPECT_EQ(offline.status, 409) << offline.body;
    EXPECT_EQ(offline.code(), "employee_offline"); // anna never registered a phone

    // One supervisor joins; the second is refused, and the event says who, as data.
    EXPECT_EQ(
        http->request("POST", "/api/v1/features/whisper_listen/request", admin).json()["state"],
        "connected");
    auto device = phone("admin", "creator-sip-password", "device_autoanswer.xml");
    const auto joined =
        http->send("POST", "/api/v1/calls/" + id + "/monitor", admin, {{"mode", "listen"}});
    ASSERT_EQ(joined.status, 201) << joined.body;
    const auto refused =
        http->send("POST", "/api/v1/calls/" + id + "/monitor", anna, {{"mode", "whisper"}});
    EXPECT_EQ(refused.code(), "already_monitored");
    EXPECT_EQ(refused.json()["error"]["by"]["name"], "Owner");
    const auto event = next_event(*anna_events, "monitor.refused");
    ASSERT_TRUE(event.is_object()) << "no monitor.refused event";
    EXPECT_EQ(event["data"]["code"], "already_monitored");
    EXPECT_EQ(event["data"]["by"]["name"], "Owner");
    EXPECT_EQ(event["data"]["call_id"].get<std::int64_t>(), std::stoll(id));

    EXPECT_EQ(call->wait(60s), 0) << call->out() << call->err();
    EXPECT_EQ(olga_phone->wait(30s), 0) << olga_phone->out() << olga_phone->err();
    EXPECT_EQ(device->wait(30s), 0) << device->out() << device->err();
    // The call is over: olga is free again (her phone stays registered), so what refuses anna
    // now is her own missing phone.
    EXPECT_EQ(http->request("POST", "/api/v1/employees/" + olga_id + "/call", anna).code(),
              "no_supervisor_device");

    // The operator records the result; the supervisor's socket gets it at once.
    const auto results = http->get("/api/v1/calls/" + id, olga).json()["results"];
    ASSERT_EQ(results.size(), 2u);
    const auto set = http->send("PUT", "/api/v1/calls/" + id + "/result", olga,
                                {{"result_id", results[1]["id"]}, {"note", "Tomorrow 10:00"}});
    ASSERT_EQ(set.status, 200) << set.body;
    const auto result = next_event(*admin_events, "card.result");
    ASSERT_TRUE(result.is_object()) << "no card.result event";
    EXPECT_EQ(result["data"]["call_id"].get<std::int64_t>(), std::stoll(id));
    EXPECT_EQ(result["data"]["result"]["label"], "Call back");
    EXPECT_EQ(result["data"]["result"]["note"], "Tomorrow 10:00");
    EXPECT_EQ(result["data"]["result"]["by"]["name"], "User olga");
    EXPECT_EQ(result["data"]["result"], http->get("/api/v1/calls/" + id, admin).json()["result"]);
}

TEST_F(CardRefusalsTest, CallingTheClientSaysWhyItFailed) {
    auto first = start_call(300);
    EXPECT_EQ(first->wait(30s), 0) << first->out() << first->err();
    EXPECT_EQ(olga_phone->wait(30s), 0) << olga_phone->out() << olga_phone->err();
    const auto id = std::to_string(
        http->get("/api/v1/calls", admin).json()["calls"][0]["id"].get<std::int64_t>());
    auto admin_events = events(admin, 1);

    // The provider does not know the number: the placed call ends callee_not_found.
    auto admin_phone = phone("admin", "creator-sip-password", "originate_answer.xml");
    Process provider(
        sipp_command("provider_not_found.xml", 0, {"-s", "provider"}, "127.0.0.2", provider_port));
    ASSERT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"));
    const auto placed = http->request("POST", "/api/v1/calls/" + id + "/call-client", admin);
    ASSERT_EQ(placed.status, 201) << placed.body;
    const auto placed_id = placed.json()["call_id"].get<std::int64_t>();
    EXPECT_EQ(provider.wait(30s), 0) << provider.out() << provider.err();
    EXPECT_EQ(admin_phone->wait(30s), 0) << admin_phone->out() << admin_phone->err();
    json ended = nullptr;
    while ((ended = next_event(*admin_events, "call.ended")).is_object())
        if (ended["data"]["id"].get<std::int64_t>() == placed_id) break;
    ASSERT_TRUE(ended.is_object()) << "no call.ended for the placed call";
    EXPECT_EQ(ended["data"]["end_reason"], "callee_not_found");

    // Without a trunk the server knows before ringing anyone.
    admin_events.reset();
    server.stop();
    std::stringstream config;
    config << std::ifstream(server.config_path()).rdbuf();
    const auto without = config.str().substr(0, config.str().find(trunk_marker));
    ASSERT_EQ(without.find("[[trunks]]"), std::string::npos) << without;
    std::ofstream(server.config_path()) << without;
    server.start();
    sign_in();
    auto registered = phone("admin", "creator-sip-password", "originate_answer.xml");
    const auto no_trunk = http->request("POST", "/api/v1/calls/" + id + "/call-client", admin);
    EXPECT_EQ(no_trunk.status, 409) << no_trunk.body;
    EXPECT_EQ(no_trunk.code(), "no_trunk");
    EXPECT_EQ(registered->wait(1ms), -1) << "nobody may be rung\n" << registered->out();
}

} // namespace
} // namespace suflyor::e2e
