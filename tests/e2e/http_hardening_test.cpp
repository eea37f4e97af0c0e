// The HTTP edge's hardening against the real `suflyor serve`: authentication before validation,
// an encoded NUL in a path, repeated JSON keys, a protected /metrics, and the sign-in limit
// behind a trusted reverse proxy (X-Forwarded-For believed from it only).
#include "support/http_client.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

namespace suflyor::e2e {
namespace {

using nlohmann::json;

std::string forwarded_for(const std::string& address) { return "X-Forwarded-For: " + address; }

class HttpHardeningTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("anna", "anna-sip-secret", "administrator");
        http = std::make_unique<HttpClient>(server.http_port());
        anna = http->login("anna", "password-anna");
    }

    Server server{SUFLYOR_BINARY};
    std::unique_ptr<HttpClient> http;
    std::string anna;
};

TEST_F(HttpHardeningTest, AnUnauthenticatedRequestIsRefused401WhateverItsIdOrBody) {
    const auto expect_401 = [&](const HttpReply& reply, const std::string& what) {
        EXPECT_EQ(reply.status, 401) << what << ": " << reply.body;
        EXPECT_EQ(reply.code(), "unauthorized") << what;
    };
    for (const std::string token : {"", "forged-token"}) {
        const std::string who = token.empty() ? "no token" : "a forged token";
        expect_401(
            http->request("POST", "/api/v1/calls/abc/monitor", token, "{\"mode\":\"listen\"}"),
            who + ", bad id");
        expect_401(http->request("POST", "/api/v1/calls/1/monitor", token, "{not json"),
                   who + ", malformed body");
        expect_401(http->request("POST", "/api/v1/calls/1/monitor", token, "{\"mode\":\"x\"}"),
                   who + ", bad mode");
        expect_401(
            http->request("POST", "/api/v1/calls/1/monitor", token, "mode=listen", "text/plain"),
            who + ", wrong media type");
        expect_401(http->request("PATCH", "/api/v1/monitor/0", token, "{}"), who + ", zero id");
        expect_401(http->get("/api/v1/calls?limit=0", token), who + ", bad query");
        expect_401(http->request("PUT", "/api/v1/calls/9/result", token, "{\"extra\":1}"),
                   who + ", unknown field");
    }
    // Signed in, the same requests get their validation refusals.
    EXPECT_EQ(
        http->request("POST", "/api/v1/calls/abc/monitor", anna, "{\"mode\":\"listen\"}").status,
        404);
    EXPECT_EQ(http->request("POST", "/api/v1/calls/1/monitor", anna, "{not json").code(),
              "malformed_json");
    EXPECT_EQ(
        http->request("POST", "/api/v1/calls/1/monitor", anna, "mode=listen", "text/plain").status,
        415);
    EXPECT_EQ(http->get("/api/v1/calls?limit=0", anna).code(), "invalid_value");
    // Open routes keep their own answers.
    EXPECT_EQ(http->request("POST", "/api/v1/auth/login", "", "{not json").code(),
              "malformed_json");
    EXPECT_EQ(http->get("/api/v1/openapi.json").status, 200);
}

TEST_F(HttpHardeningTest, AnEncodedNulInThePathIsRefused400) {
    for (const std::string path : {"/api/v1/calls/1%00/monitor", "/api/v1/me%00", "/healthz%00",
                                   "/metrics%00x", "/calls%00.html"}) {
        const auto reply = http->request("GET", path, anna);
        EXPECT_EQ(reply.status, 400) << path << ": " << reply.body;
        EXPECT_EQ(reply.code(), "invalid_path") << path;
    }
    const auto monitor =
        http->request("POST", "/api/v1/calls/1%00/monitor", anna, json{{"mode", "listen"}}.dump());
    EXPECT_EQ(monitor.status, 400);
    EXPECT_EQ(monitor.code(), "invalid_path");
    // Other escapes are still decoded, as before: %6D is an "m", %2F a slash.
    EXPECT_EQ(http->get("/api/v1/%6De", anna).status, 200);
    EXPECT_EQ(http->get("/api/v1%2Fme", anna).status, 200);
    EXPECT_EQ(http->get("/healthz").status, 200);
}

TEST_F(HttpHardeningTest, ARepeatedJsonKeyIsRefused400NamingTheField) {
    const auto reply =
        http->request("POST", "/api/v1/auth/login", "",
                      R"({"login":"anna","password":"x","password":"password-anna"})");
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.code(), "duplicate_field");
    EXPECT_EQ(reply.json()["error"]["field"], "password");
    const auto nested = http->request("PATCH", "/api/v1/account", anna,
                                      R"({"barge_enabled":true,"barge_enabled":false})");
    EXPECT_EQ(nested.code(), "duplicate_field");
    EXPECT_EQ(nested.json()["error"]["field"], "barge_enabled");
    EXPECT_EQ(http->request("PATCH", "/api/v1/account", anna, R"({"barge_enabled":true})").status,
              200);
}

TEST(HttpMetrics, AConfiguredTokenProtectsMetrics) {
    const std::string token = "metrics-scrape-token-0123456789";
    Server server{SUFLYOR_BINARY, "", "", "", "metrics_token = \"" + token + "\"\n"};
    server.start();
    const HttpClient http(server.http_port());
    const auto open = http.get("/metrics");
    EXPECT_EQ(open.status, 401);
    EXPECT_EQ(open.code(), "unauthorized");
    EXPECT_EQ(open.headers.at("www-authenticate"), "Bearer");
    EXPECT_EQ(http.get("/metrics", "wrong-token-of-the-same-size-0").status, 401);
    EXPECT_EQ(http.get("/metrics", token + "x").status, 401);
    const auto scraped = http.get("/metrics", token);
    EXPECT_EQ(scraped.status, 200);
    EXPECT_NE(scraped.body.find("suflyor_http_requests_total"), std::string::npos);
    EXPECT_EQ(http.get("/healthz").status, 200); // the health check stays open
}

// Fails sign-ins of ten logins (five each: the per-login limit), 50 from `address`: the
// per-address limit.
void flood_sign_ins(const HttpClient& http, const std::vector<std::string>& headers) {
    for (int i = 0; i < 50; ++i) {
        const auto reply = http.request(
            "POST", "/api/v1/auth/login", "",
            json{{"login", "nobody" + std::to_string(i % 10)}, {"password", "guess"}}.dump(),
            "application/json", headers);
        ASSERT_EQ(reply.status, 401) << i << ": " << reply.body;
    }
}

HttpReply sign_in(const HttpClient& http, const std::string& login, const std::string& password,
                  const std::vector<std::string>& headers) {
    return http.request("POST", "/api/v1/auth/login", "",
                        json{{"login", login}, {"password", password}}.dump(), "application/json",
                        headers);
}

TEST(HttpSignInLimit, AFloodThroughATrustedProxyLocksOutOnlyTheFloodingClient) {
    Server server{SUFLYOR_BINARY, "", "", "", "trusted_proxies = [\"127.0.0.0/8\"]\n"};
    server.start();
    server.add_user("olga", "olga-sip-secret");
    server.add_user("ivan", "ivan-sip-secret");
    const HttpClient http(server.http_port());
    // Every request reaches the server from the proxy's address (loopback); the proxy appends the
    // client's address to whatever the client sent.
    const std::vector<std::string> attacker{forwarded_for("198.51.100.66")};
    flood_sign_ins(http, attacker);
    // The attacker's address is locked for logins with failures ...
    EXPECT_EQ(sign_in(http, "nobody1", "guess", attacker).status, 429);
    // ... and forging a hop to the left does not help: the proxy's own hop is the right-most.
    EXPECT_EQ(
        sign_in(http, "nobody1", "guess", {forwarded_for("203.0.113.1, 198.51.100.66")}).status,
        429);
    // Other users behind the same proxy sign in.
    EXPECT_EQ(sign_in(http, "olga", "password-olga", {forwarded_for("203.0.113.10")}).status, 200);
    EXPECT_EQ(sign_in(http, "ivan", "password-ivan", {forwarded_for("203.0.113.11")}).status, 200);
    // Even from the flooding address, a login without failures signs in with its password.
    EXPECT_EQ(sign_in(http, "admin", "creator-password", attacker).status, 200);
    // The per-login limit still holds, whatever address the guesses come from.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(
            sign_in(http, "olga", "guess", {forwarded_for("192.0.2." + std::to_string(i + 1))})
                .status,
            401);
    EXPECT_EQ(sign_in(http, "olga", "password-olga", {forwarded_for("192.0.2.99")}).status, 429);
}

TEST(HttpSignInLimit, ForwardedForFromAnUntrustedPeerIsIgnored) {
    Server server{SUFLYOR_BINARY}; // no trusted proxies
    server.start();
    server.add_user("olga", "olga-sip-secret");
    const HttpClient http(server.http_port());
    // Each failure claims another client address: the peer's own address counts them all.
    for (int i = 0; i < 50; ++i) {
        const auto reply = sign_in(http, "nobody" + std::to_string(i % 10), "guess",
                                   {forwarded_for("198.51.100." + std::to_string(i + 1))});
        ASSERT_EQ(reply.status, 401) << i;
    }
    const auto locked = sign_in(http, "nobody3", "guess", {forwarded_for("203.0.113.200")});
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(locked.code(), "rate_limited");
    // A login without failures still signs in from the locked address; after one wrong password
    // it is locked there too.
    EXPECT_EQ(sign_in(http, "olga", "password-olga", {}).status, 200);
    EXPECT_EQ(sign_in(http, "olga", "guess", {}).status, 401);
    EXPECT_EQ(sign_in(http, "olga", "password-olga", {}).status, 429);
}

} // namespace
} // namespace suflyor::e2e
