#include "api/server.hpp"
#include "support/http_clients.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace suflyor::api {
namespace {

using namespace std::chrono_literals;
using test::WsClient;

class WebSocketTest : public ::testing::Test {
protected:
    void SetUp() override { start({}); }

    void start(std::vector<std::string> allowed_origins, std::size_t ring = 256) {
        server_.reset();
        hub_ = std::make_unique<EventHub>(ring);
        HttpSettings settings;
        settings.port = 0;
        settings.threads = 12; // each open WebSocket holds a worker
        settings.allowed_origins = std::move(allowed_origins);
        settings.heartbeat = 1s;
        server_ = std::make_unique<HttpServer>(settings, router_, *hub_, metrics_,
                                               [](const std::string& token) {
                                                   std::optional<WsIdentity> identity;
                                                   if (token == "tok-a")
                                                       identity = WsIdentity{1, 10};
                                                   if (token == "tok-b")
                                                       identity = WsIdentity{2, 20};
                                                   return identity;
                                               });
    }

    // The hub learns of a connection just after its 101 is sent: wait for it (bounded).
    bool wait_connections(std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (hub_->connections() != count) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(2ms);
        }
        return true;
    }

    std::string origin_of_server() const {
        return "Origin: http://127.0.0.1:" + std::to_string(server_->port());
    }

    Router router_;
    Metrics metrics_;
    std::unique_ptr<EventHub> hub_;
    std::unique_ptr<HttpServer> server_;
};

nlohmann::json next_event(WsClient& client) {
    const auto frame = client.read_frame();
    if (!frame) return nullptr;
    EXPECT_EQ(frame->opcode, 1); // text
    return nlohmann::json::parse(frame->payload);
}

TEST_F(WebSocketTest, RefusesBeforeTheUpgrade) {
    struct Case {
        const char* name;
        std::string target;
        std::vector<std::string> headers;
        int status;
        const char* code;
    };
    const Case cases[] = {
        {"foreign origin",
         "/api/v1/events?access_token=tok-a",
         {"Origin: http://evil.example"},
         403,
         "forbidden"},
        {"origin on another port",
         "/api/v1/events?access_token=tok-a",
         {"Origin: http://127.0.0.1:1"},
         403,
         "forbidden"},
        {"null origin", "/api/v1/events?access_token=tok-a", {"Origin: null"}, 403, "forbidden"},
        {"no token", "/api/v1/events", {}, 401, "unauthorized"},
        {"empty token", "/api/v1/events?access_token=", {}, 401, "unauthorized"},
        {"bad token", "/api/v1/events?access_token=nope", {}, 401, "unauthorized"},
        {"bad bearer", "/api/v1/events", {"Authorization: Bearer nope"}, 401, "unauthorized"},
        {"basic auth", "/api/v1/events", {"Authorization: Basic dG9rLWE="}, 401, "unauthorized"},
        {"bad since", "/api/v1/events?access_token=tok-a&since=x", {}, 400, "invalid_argument"},
        {"negative since",
         "/api/v1/events?access_token=tok-a&since=-1",
         {},
         400,
         "invalid_argument"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        WsClient client(server_->port(), c.target, c.headers);
        EXPECT_EQ(client.handshake_status(), c.status);
        EXPECT_EQ(nlohmann::json::parse(client.refusal_body())["error"]["code"], c.code);
    }
    EXPECT_EQ(hub_->connections(), 0U);
}

TEST_F(WebSocketTest, AcceptsSameOriginOrNoOriginWithAToken) {
    WsClient no_origin(server_->port(), "/api/v1/events?access_token=tok-a");
    EXPECT_EQ(no_origin.handshake_status(), 101);
    WsClient same_origin(server_->port(), "/api/v1/events?access_token=tok-a",
                         {origin_of_server()});
    EXPECT_EQ(same_origin.handshake_status(), 101);
    WsClient header_token(server_->port(), "/api/v1/events", {"Authorization: Bearer tok-b"});
    EXPECT_EQ(header_token.handshake_status(), 101);
    EXPECT_TRUE(wait_connections(3));
}

TEST_F(WebSocketTest, AllowedOriginsListIsExact) {
    start({"https://ops.example.com"});
    WsClient listed(server_->port(), "/api/v1/events?access_token=tok-a",
                    {"Origin: https://ops.example.com"});
    EXPECT_EQ(listed.handshake_status(), 101);
    WsClient same_host(server_->port(), "/api/v1/events?access_token=tok-a", {origin_of_server()});
    EXPECT_EQ(same_host.handshake_status(), 403); // the list replaces the same-origin rule
    WsClient lookalike(server_->port(), "/api/v1/events?access_token=tok-a",
                       {"Origin: https://ops.example.com.evil.net"});
    EXPECT_EQ(lookalike.handshake_status(), 403);
}

TEST_F(WebSocketTest, EventsReachTheirAccountInOrder) {
    WsClient a(server_->port(), "/api/v1/events?access_token=tok-a");
    WsClient a2(server_->port(), "/api/v1/events", {"Authorization: Bearer tok-a"});
    WsClient b(server_->port(), "/api/v1/events?access_token=tok-b");
    ASSERT_EQ(a.handshake_status(), 101);
    ASSERT_EQ(a2.handshake_status(), 101);
    ASSERT_EQ(b.handshake_status(), 101);
    ASSERT_TRUE(wait_connections(3));

    hub_->publish("foreign", 2, {{"secret", true}}); // published first: it would arrive first
    for (int i = 1; i <= 20; ++i)
        hub_->publish("tick", 1, {{"i", i}});
    hub_->publish("large", 1, {{"blob", std::string(70000, 'z')}}); // 64-bit frame length

    for (WsClient* client : {&a, &a2}) {
        for (int i = 1; i <= 20; ++i) {
            const auto event = next_event(*client);
            ASSERT_FALSE(event.is_null());
            EXPECT_EQ(event, nlohmann::json({{"type", "tick"}, {"seq", i}, {"data", {{"i", i}}}}));
        }
        const auto large = next_event(*client);
        EXPECT_EQ(large["seq"], 21);
        EXPECT_EQ(large["data"]["blob"].get<std::string>().size(), 70000U);
    }
    EXPECT_EQ(next_event(b),
              nlohmann::json({{"type", "foreign"}, {"seq", 1}, {"data", {{"secret", true}}}}));
}

TEST_F(WebSocketTest, SinceReplaysMissedEventsOrAsksForResync) {
    start({}, /*ring=*/3);
    for (int i = 1; i <= 5; ++i)
        hub_->publish("e", 1, {{"i", i}}); // ring: seq 3, 4, 5

    WsClient replay(server_->port(), "/api/v1/events?access_token=tok-a&since=3");
    ASSERT_EQ(replay.handshake_status(), 101);
    EXPECT_EQ(next_event(replay),
              nlohmann::json({{"type", "e"}, {"seq", 4}, {"data", {{"i", 4}}}}));
    EXPECT_EQ(next_event(replay),
              nlohmann::json({{"type", "e"}, {"seq", 5}, {"data", {{"i", 5}}}}));

    WsClient behind(server_->port(), "/api/v1/events?access_token=tok-a&since=1");
    ASSERT_EQ(behind.handshake_status(), 101);
    EXPECT_EQ(next_event(behind), nlohmann::json({{"type", "resync"}, {"seq", 5}}));

    ASSERT_TRUE(wait_connections(2));
    hub_->publish("e", 1, {{"i", 6}});
    EXPECT_EQ(next_event(replay)["seq"], 6);
    EXPECT_EQ(next_event(behind)["seq"], 6); // live events follow the resync
}

TEST_F(WebSocketTest, PingsAnIdleClientAndHandlesClose) {
    WsClient client(server_->port(), "/api/v1/events?access_token=tok-a");
    ASSERT_EQ(client.handshake_status(), 101);
    ASSERT_TRUE(wait_connections(1));
    // heartbeat = 1 s: a ping follows an idle second (bounded wait on civetweb's own timer).
    const auto ping = client.read_frame(5s, /*return_pings=*/true);
    ASSERT_TRUE(ping.has_value());
    EXPECT_EQ(ping->opcode, 0x9);

    client.send_frame(0x8, std::string("\x03\xe8", 2)); // close, 1000
    std::optional<WsClient::Frame> reply;
    do {
        reply = client.read_frame(5s);
    } while (reply && reply->opcode != 0x8);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->payload, std::string("\x03\xe8", 2));
    EXPECT_TRUE(wait_connections(0));
    EXPECT_EQ(client.read_frame(5s), std::nullopt); // and the server hangs up
}

TEST_F(WebSocketTest, StoppingTheServerClosesOpenSockets) {
    auto client = std::make_unique<WsClient>(server_->port(), "/api/v1/events?access_token=tok-b");
    ASSERT_EQ(client->handshake_status(), 101);
    ASSERT_TRUE(wait_connections(1));
    server_.reset();
    EXPECT_EQ(hub_->connections(), 0U);
}

} // namespace
} // namespace suflyor::api
