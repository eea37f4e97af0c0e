// SPEC §7 through the real `suflyor serve`: «Подключить» sends a request with a contact email
// (the account's by default, editable); the connection mail goes to that address and names the
// feature as the product does; other open tabs hear of every step; the API says when no mail
// server is configured. Refusals in the SPEC §10 shape.
#include "support/http_client.hpp"
#include "support/http_clients.hpp"
#include "support/server.hpp"
#include "support/smtp_sink.hpp"
#include "unit/notify/mime_reader.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* request_path = "/api/v1/features/whisper_listen/request";

// Waits until the server counts `count` event sockets (the hub registers one just after its
// upgrade).
bool sockets_registered(const HttpClient& http, int count) {
    const auto wanted = "suflyor_ws_connections " + std::to_string(count);
    for (int i = 0; i < 250; ++i) {
        if (http.get("/metrics").body.find(wanted) != std::string::npos) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

// The next event of `type` on the socket (others skipped); null when none comes.
json next_event(test::WsClient& socket, const std::string& type) {
    for (int i = 0; i < 20; ++i) {
        const auto frame = socket.read_frame(10s);
        if (!frame) return nullptr;
        auto event = json::parse(frame->payload);
        if (event["type"] == type) return event;
    }
    return nullptr;
}

TEST(FeatureRequest, TheConnectionMailGoesToTheAddressGivenInTheRequest) {
    test::SmtpSink sink;
    Server server{SUFLYOR_BINARY, "[smtp]\nurl = \"" + sink.url() +
                                      "\"\nfrom = \"cc@suflyor.test\"\n"
                                      "[features]\nauto_connect = \"never\"\n"};
    server.start();
    server.add_user("olga", "olga-sip-secret");
    server.add_user("anna", "anna-sip-secret", "administrator");
    HttpClient http(server.http_port());
    const auto admin = http.login("admin", "creator-password");
    const auto anna = http.login("anna", "password-anna");
    const auto olga = http.login("olga", "password-olga");

    // Another tab (anna's) is open on the event socket.
    test::WsClient other_tab(static_cast<std::uint16_t>(server.http_port()),
                             "/api/v1/events?access_token=" + anna);
    ASSERT_EQ(other_tab.handshake_status(), 101);
    ASSERT_TRUE(sockets_registered(http, 1));

    const auto listed = http.get("/api/v1/features", admin).json();
    EXPECT_EQ(listed["mail_configured"], true);
    EXPECT_EQ(listed["features"][0]["state"], "none");
    EXPECT_TRUE(listed["features"][0]["contact_email"].is_null());

    // Refusals: the operator's role comes first; then the address is checked.
    const auto refused = http.send("POST", request_path, olga, {{"contact_email", "ops@x.test"}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.code(), "forbidden");
    for (const char* bad : {"not-an-address", "a@b", "two@@acme.test"}) {
        const auto reply = http.send("POST", request_path, admin, {{"contact_email", bad}});
        EXPECT_EQ(reply.status, 400) << bad;
        EXPECT_EQ(reply.code(), "invalid_argument") << reply.body;
        EXPECT_EQ(reply.json()["error"]["field"], "contact_email") << reply.body;
    }
    const auto not_text = http.send("POST", request_path, admin, {{"contact_email", 42}});
    EXPECT_EQ(not_text.status, 400);
    EXPECT_EQ(not_text.json()["error"]["field"], "contact_email");
    const auto unknown = http.send("POST", request_path, admin, {{"email", "ops@acme.test"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.code(), "unknown_field");
    EXPECT_EQ(http.get("/api/v1/features", admin).json()["features"][0]["state"], "none");

    // The request, with an address other than the account's.
    const auto requested =
        http.send("POST", request_path, admin, {{"contact_email", "ops@acme.test"}});
    ASSERT_EQ(requested.status, 200) << requested.body;
    EXPECT_EQ(requested.json()["state"], "requested");
    EXPECT_EQ(requested.json()["contact_email"], "ops@acme.test");
    auto event = next_event(other_tab, "feature.requested");
    ASSERT_FALSE(event.is_null());
    EXPECT_EQ(event["data"]["contact_email"], "ops@acme.test");
    const auto again = http.get("/api/v1/features", anna).json()["features"][0];
    EXPECT_EQ(again["state"], "requested");
    EXPECT_EQ(again["contact_email"], "ops@acme.test");

    // The platform operator fulfils it: the mail goes to the address of the request.
    const auto connected = http.request(
        "POST", "/api/v1/admin/accounts/1/features/whisper_listen/connect", Server::platform_token);
    ASSERT_EQ(connected.status, 200) << connected.body;
    event = next_event(other_tab, "feature.connected");
    ASSERT_FALSE(event.is_null());
    EXPECT_EQ(event["data"]["state"], "connected");
    ASSERT_TRUE(sink.wait_for(1, 15s));
    const auto mail = sink.messages().front();
    EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"ops@acme.test"});
    const auto message = notify::test::parse_message(mail.data);
    EXPECT_EQ(notify::test::decode_words(message.headers.at("Subject")),
              "Возможность «Суфлирование и прослушивание» подключена / Whisper and listen is "
              "connected");
    const auto body = notify::test::base64_decode(message.body);
    EXPECT_NE(body.find("подключена возможность «Суфлирование и прослушивание»"), std::string::npos)
        << body;
    EXPECT_NE(body.find("Whisper and listen is now connected"), std::string::npos) << body;

    // «Подключённые» → gear → «Отключить»: the other tab hears of it too.
    const auto disabled = http.request("POST", "/api/v1/features/whisper_listen/disable", admin);
    EXPECT_EQ(disabled.json()["state"], "disabled");
    EXPECT_FALSE(next_event(other_tab, "feature.disabled").is_null());
}

// No [smtp] url: the API says so (the UI shows «Почтовый сервер не настроен»), and a request
// without an address takes the account's contact email.
TEST(FeatureRequest, WithoutAMailServerTheApiSaysNoMailIsSent) {
    Server server{SUFLYOR_BINARY};
    server.start();
    HttpClient http(server.http_port());
    const auto admin = http.login("admin", "creator-password");
    EXPECT_EQ(http.get("/api/v1/features", admin).json()["mail_configured"], false);
    const auto requested = http.request("POST", request_path, admin);
    ASSERT_EQ(requested.status, 200) << requested.body;
    EXPECT_EQ(requested.json()["state"], "connected"); // a single-account install auto-connects
    EXPECT_EQ(requested.json()["contact_email"], "owner@example.com");
    EXPECT_TRUE(server.process().wait_for_stderr("mail: queued #1 to owner@example.com", 10s))
        << server.process().err();
}

} // namespace
} // namespace suflyor::e2e
