// The HTTP server under a connection flood, against the real `suflyor serve` with its default
// [http] settings: hundreds of signed-in event WebSockets, idle connections that never send a
// byte and slowloris connections, while /healthz, sign-in and a monitor request keep answering
// within a deadline; slow and idle connections are cut off by the request timeout; one address
// over its connection limit is refused 429 while others are served. Sized for 2 shared cores;
// the full-size figures come from bench/http_flood_bench.cpp (docs/performance.md, "HTTP").
#include "support/http_client.hpp"
#include "support/http_flood.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using test::FloodPlan;
using test::HttpFlood;
using test::raw_json_request;
using test::timed_request;

std::string describe(const char* what, const test::LatencySummary& s) {
    return std::string(what) + ": " + std::to_string(s.count) + " requests, " +
           std::to_string(s.failed) + " failed, p50 " + std::to_string(s.p50.count()) +
           " us, p99 " + std::to_string(s.p99.count()) + " us, max " +
           std::to_string(s.max.count()) + " us";
}

TEST(HttpFlood, WebSocketsIdleAndSlowConnectionsLeaveHealthzSignInAndMonitorAnswering) {
    Server server{SUFLYOR_BINARY};
    server.start();
    server.add_user("anna", "anna-sip-secret", "administrator");
    const auto port = static_cast<std::uint16_t>(server.http_port());
    const HttpClient http(server.http_port());
    const auto token = http.login("anna", "password-anna");

    FloodPlan plan;
    plan.port = port;
    plan.token = token;
    plan.websockets = 300;
    plan.idle = 100;
    plan.slow = 50;
    plan.source_addresses = 4;
    HttpFlood flood(plan);
    ASSERT_TRUE(flood.wait_established(40s))
        << "ws " << flood.counts().websockets_open << " refused "
        << flood.counts().websockets_refused << " idle " << flood.counts().idle_open << " slow "
        << flood.counts().slow_open;

    // Probe for longer than the request timeout (10 s), so idle and slow connections are cut
    // off and reopened meanwhile.
    const auto login = raw_json_request("POST", "/api/v1/auth/login",
                                        R"({"login":"anna","password":"password-anna"})");
    const auto monitor =
        raw_json_request("POST", "/api/v1/calls/999999/monitor", R"({"mode":"listen"})", token);
    const auto healthz = raw_json_request("GET", "/healthz", "");
    std::vector<std::chrono::microseconds> health_times, login_times, monitor_times;
    std::size_t health_failed = 0, login_failed = 0, monitor_failed = 0;
    const auto probe = [&](const std::string& request, int expected, auto& times, auto& failed) {
        const auto reply = timed_request(port, request, 2s);
        if (reply.status != expected) {
            ++failed;
            ADD_FAILURE() << "expected " << expected << ", got " << reply.status << " "
                          << reply.body;
        }
        times.push_back(reply.latency);
    };
    const auto until = std::chrono::steady_clock::now() + 13s;
    while (std::chrono::steady_clock::now() < until) {
        probe(healthz, 200, health_times, health_failed);
        probe(login, 200, login_times, login_failed);
        probe(monitor, 404, monitor_times, monitor_failed);
        std::this_thread::sleep_for(100ms);
    }
    const auto health = test::summarize(health_times, health_failed);
    const auto signin = test::summarize(login_times, login_failed);
    const auto monitored = test::summarize(monitor_times, monitor_failed);
    std::cout << describe("/healthz", health) << "\n"
              << describe("login", signin) << "\n"
              << describe("monitor", monitored) << "\n";
    // Every request answered (checked above); the deadline is loose for a shared 2-core machine.
    EXPECT_LT(health.p99, 1s);
    EXPECT_LT(signin.p99, 1s);
    EXPECT_LT(monitored.p99, 1s);

    const auto counts = flood.counts();
    EXPECT_EQ(counts.websockets_open, plan.websockets);
    EXPECT_EQ(counts.websockets_closed, 0);
    // The request timeout cut every idle and slow connection at least once.
    EXPECT_GE(counts.reopened, plan.idle + plan.slow);
    const auto metrics = http.get("/metrics").body;
    EXPECT_NE(metrics.find("suflyor_ws_connections 300"), std::string::npos) << metrics;
}

TEST(HttpFlood, AnAddressOverItsConnectionLimitIsRefused429WhileOthersAreServed) {
    Server server{SUFLYOR_BINARY, "", "", "max_connections_per_address = 20\n"};
    server.start();
    const auto port = static_cast<std::uint16_t>(server.http_port());
    const HttpClient http(server.http_port());
    FloodPlan plan;
    plan.port = port;
    plan.token = http.login("admin", "creator-password");
    plan.websockets = 20; // all from 127.0.0.2: its limit
    HttpFlood flood(plan);
    ASSERT_TRUE(flood.wait_established(20s));
    const auto healthz = raw_json_request("GET", "/healthz", "");
    // The address's 21st connection is over the limit ...
    const auto refused = timed_request(port, healthz, 2s, 2);
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_NE(refused.body.find("too_many_connections"), std::string::npos);
    // ... another address is not, and the refusal is counted.
    EXPECT_EQ(timed_request(port, healthz, 2s, 1).status, 200);
    EXPECT_EQ(timed_request(port, healthz, 2s, 3).status, 200);
    EXPECT_NE(http.get("/metrics").body.find("suflyor_http_connections_refused_total 1"),
              std::string::npos);
    EXPECT_EQ(flood.counts().websockets_open, 20);
}

} // namespace
} // namespace suflyor::e2e
