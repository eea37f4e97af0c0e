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

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using test::FloodPlan;
using test::HttpFlood;
using test::raw_json_request;
using test::timed_request;

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
    const auto probes = test::probe_for(port, "anna", "password-anna", token, 13s, 100ms, 2s);
    std::cout << test::describe("/healthz", probes.healthz) << "\n"
              << test::describe("login", probes.login) << "\n"
              << test::describe("monitor", probes.monitor) << "\n";
    // Every request answered with its status within 2 s; p99 well under that (a shared 2-core
    // machine runs other tests meanwhile).
    EXPECT_EQ(probes.first_failure, "");
    EXPECT_GT(probes.healthz.count, 20u);
    EXPECT_LT(probes.healthz.p99, 1s);
    EXPECT_LT(probes.login.p99, 1s);
    EXPECT_LT(probes.monitor.p99, 1s);

    const auto counts = flood.counts();
    EXPECT_EQ(counts.websockets_open, plan.websockets);
    EXPECT_EQ(counts.websockets_closed, 0);
    // The request timeout cut every idle and slow connection at least once.
    EXPECT_GE(counts.reopened, plan.idle + plan.slow);
    const auto metrics = http.get("/metrics").body;
    EXPECT_NE(metrics.find("suflyor_ws_connections 300"), std::string::npos) << metrics;
}

TEST(HttpFlood, AnAddressOverItsConnectionLimitIsRefused429WhileOthersAreServed) {
    Server server{SUFLYOR_BINARY, "", "", "", "max_connections_per_address = 20\n"};
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
