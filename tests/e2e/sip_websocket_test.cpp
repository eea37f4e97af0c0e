// SIP over WebSocket (RFC 7118) through the real `suflyor serve`: the upgrade's Origin and
// sub-protocol checks (raw HTTP), then registration with digest over ws by libre's own client
// stack (Debian's baresip 1.0 has no ws transport), presence through the API, and a request the
// server sends to the browser coming back over the same WebSocket connection, and the API's
// per-session browser secret (valid over ws only).
#include "support/http_client.hpp"
#include "support/libre_phone.hpp"
#include "support/server.hpp"
#include "support/ws_frame.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

// A raw WebSocket client: the upgrade request as written, then masked frames.
class RawWs {
public:
    explicit RawWs(int port) : port_(port) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval tv{5, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawWs() { close(fd_); }
    RawWs(const RawWs&) = delete;
    RawWs& operator=(const RawWs&) = delete;

    // Sends the upgrade with `headers` added; returns the response head ("" when none came).
    std::string upgrade(const std::vector<std::string>& headers) {
        if (!connected_) return "connect failed";
        const auto request = test::upgrade_request("/sip", port_, headers);
        (void)send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
        read_until("\r\n\r\n");
        const auto end = buffer_.find("\r\n\r\n");
        auto head = buffer_.substr(0, end);
        buffer_.erase(0, end == std::string::npos ? buffer_.size() : end + 4);
        return head;
    }
    void send_text(const std::string& payload) {
        const auto frame = test::masked_client_frame(0x81, payload);
        (void)send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL);
    }
    // Everything received so far, after waiting (up to 5 s) for `text` to appear.
    const std::string& read_until(const std::string& text) {
        char buf[4096];
        while (buffer_.find(text) == std::string::npos) {
            const auto n = recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) break;
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
        return buffer_;
    }

private:
    int port_;
    int fd_{-1};
    bool connected_{false};
    std::string buffer_;
};

std::string upgrade(int port, const std::vector<std::string>& headers) {
    return RawWs(port).upgrade(headers);
}

class SipWebSocketTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        http = std::make_unique<HttpClient>(server.http_port());
        ASSERT_EQ(libre_init(), 0);
    }
    void TearDown() override { libre_close(); }

    std::string status_of(const std::string& login) {
        const auto token = http->login("admin", "creator-password");
        const auto team = http->get("/api/v1/team", token);
        const auto json = team.json();
        for (const auto& e : json["employees"])
            if (e["login"] == login) return e["status"];
        return "? " + team.body;
    }
    std::int64_t user_id(const std::string& token, const std::string& login) {
        const auto team = http->get("/api/v1/team", token).json();
        for (const auto& e : team["employees"])
            if (e["login"] == login) return e["id"];
        return 0;
    }

    const int ws_port = free_port(SOCK_STREAM);
    Server server{SUFLYOR_BINARY, "ws_listen = \"127.0.0.1:" + std::to_string(ws_port) +
                                      "\"\nmax_auth_failures_per_minute = 3\n" + log_config()};
    std::unique_ptr<HttpClient> http;
};

TEST_F(SipWebSocketTest, UpgradeChecksOriginAndTheSipSubProtocol) {
    const auto same_host = "Origin: http://127.0.0.1:" + std::to_string(ws_port);
    const auto ok = upgrade(ws_port, {same_host, "Sec-WebSocket-Protocol: sip"});
    EXPECT_EQ(ok.rfind("HTTP/1.1 101", 0), 0u) << ok;
    EXPECT_NE(ok.find("Sec-WebSocket-Protocol: sip"), std::string::npos) << ok;
    EXPECT_NE(ok.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos)
        << ok;
    const auto evil =
        upgrade(ws_port, {"Origin: https://evil.example", "Sec-WebSocket-Protocol: sip"});
    EXPECT_EQ(evil.rfind("HTTP/1.1 403", 0), 0u) << evil;
    EXPECT_TRUE(
        server.process().wait_for_stderr("Origin 'https://evil.example' is not allowed", 5s))
        << server.process().err();
    const auto no_sip = upgrade(ws_port, {same_host, "Sec-WebSocket-Protocol: chat"});
    EXPECT_EQ(no_sip.rfind("HTTP/1.1 400", 0), 0u) << no_sip;
    const auto plain_get = upgrade(ws_port, {same_host}); // no sub-protocol at all
    EXPECT_EQ(plain_get.rfind("HTTP/1.1 400", 0), 0u) << plain_get;
}

// The strict sanity gate stands in front of libre for WebSocket messages as for TCP ones, and the
// answer travels back as a server frame.
TEST_F(SipWebSocketTest, TheSanityGateAnswersOverTheWebSocket) {
    RawWs ws(ws_port);
    ASSERT_EQ(ws.upgrade({"Sec-WebSocket-Protocol: sip"}).rfind("HTTP/1.1 101", 0), 0u);
    ws.send_text("OPTIONS sip:127.0.0.1;transport=;x=1 SIP/2.0\r\n"
                 "Via: SIP/2.0/WS h.invalid;branch=z9hG4bKsan1\r\n"
                 "From: <sip:a@h.invalid>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\n"
                 "Call-ID: sanity-ws-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n");
    const auto& got = ws.read_until("Call-ID: sanity-ws-1");
    EXPECT_NE(got.find("SIP/2.0 400 "), std::string::npos) << got;
}

// Wrong passwords over ws count towards the ban of the browser's address: then its REGISTERs go
// unanswered and a new WebSocket is refused at the upgrade.
TEST_F(SipWebSocketTest, AnAddressBannedForWrongPasswordsGetsNoWebSocket) {
    for (int i = 0; i < 3; ++i) {
        LibrePhone phone(SIP_TRANSP_WS);
        phone.register_at(ws_port, "olga", "suflyor.local", "guess-" + std::to_string(i));
        ASSERT_TRUE(run_loop_until([&] { return phone.last_status() != 0; }, 10s));
        EXPECT_EQ(phone.last_status(), 403);
    }
    EXPECT_TRUE(server.process().wait_for_stderr("reason=bad_password transport=ws", 5s));
    const auto refused = upgrade(ws_port, {"Sec-WebSocket-Protocol: sip"});
    EXPECT_EQ(refused.rfind("HTTP/1.1 403", 0), 0u) << refused << server.process().err();
}

TEST_F(SipWebSocketTest, RegistersWithDigestAndGoesOnline) {
    EXPECT_EQ(status_of("olga"), "offline");
    LibrePhone phone(SIP_TRANSP_WS);
    phone.register_at(ws_port, "olga", "suflyor.local", "not-the-password");
    ASSERT_TRUE(run_loop_until([&] { return phone.last_status() != 0; }, 10s));
    EXPECT_EQ(phone.last_status(), 403);
    EXPECT_TRUE(server.process().wait_for_stderr(
        "sip-auth-failure src=127.0.0.1 method=REGISTER user=olga realm=suflyor.local "
        "reason=bad_password transport=ws",
        5s))
        << server.process().err();
    EXPECT_EQ(status_of("olga"), "offline");

    phone.register_at(ws_port, "olga", "suflyor.local", "olga-sip-secret");
    ASSERT_TRUE(run_loop_until([&] { return phone.last_status() != 0; }, 10s));
    EXPECT_EQ(phone.last_status(), 200);
    EXPECT_TRUE(
        server.process().wait_for_stderr("REGISTER olga@suflyor.local from 127.0.0.1:", 5s));
    EXPECT_TRUE(server.process().wait_for_stderr("over ws -> 1 binding(s)", 5s))
        << server.process().err();
    EXPECT_EQ(status_of("olga"), "available");

    phone.unregister();
    EXPECT_TRUE(run_loop_until([&] { return status_of("olga") == "offline"; }, 10s));
}

// The softphone credentials the API hands a signed-in page: the per-session secret registers
// over ws and is a wrong password over UDP; the offered URL is the ws listener's.
TEST_F(SipWebSocketTest, TheApisBrowserSecretWorksOverWsOnly) {
    const auto olga = http->login("olga", "password-olga");
    const auto offer = http->get("/api/v1/me/softphone", olga).json();
    ASSERT_EQ(offer["enabled"], true) << offer.dump();
    EXPECT_EQ(offer["ws_url"], "ws://127.0.0.1:" + std::to_string(ws_port));
    const std::string secret = offer["password"];
    const std::string realm = offer["realm"];
    ASSERT_NE(secret, "olga-sip-secret");

    LibrePhone desk(SIP_TRANSP_UDP);
    desk.register_at(server.sip_udp_port(), "olga", realm, secret);
    ASSERT_TRUE(run_loop_until([&] { return desk.last_status() != 0; }, 10s));
    EXPECT_EQ(desk.last_status(), 403);

    LibrePhone tab(SIP_TRANSP_WS);
    tab.register_at(ws_port, "olga", realm, secret);
    ASSERT_TRUE(run_loop_until([&] { return tab.last_status() != 0; }, 10s));
    EXPECT_EQ(tab.last_status(), 200);
    EXPECT_EQ(status_of("olga"), "available");
}

// A closed WebSocket (the tab closed, no un-REGISTER) takes the browser's binding along at once:
// the employee is offline without waiting for the registration to expire.
TEST_F(SipWebSocketTest, AClosedWebSocketTakesTheBrowserOffline) {
    LibrePhone phone(SIP_TRANSP_WS);
    phone.register_at(ws_port, "olga", "suflyor.local", "olga-sip-secret", 3600);
    ASSERT_TRUE(run_loop_until([&] { return phone.last_status() == 200; }, 10s));
    EXPECT_EQ(status_of("olga"), "available");
    phone.drop_connections();
    EXPECT_TRUE(run_loop_until([&] { return status_of("olga") == "offline"; }, 10s));
    EXPECT_TRUE(server.process().wait_for_stderr("closed: olga has no binding left", 5s))
        << server.process().err();
}

// Click-to-call rings the caller's own device first, of the kind they chose: here the browser
// (a tab on ws), and the INVITE must reach it over the WebSocket connection it registered on (the
// client has no listening socket at all). It answers 486, and the server tells the caller so.
TEST_F(SipWebSocketTest, TheServersRequestsReachTheBrowserOverItsConnection) {
    LibrePhone phone(SIP_TRANSP_WS);
    phone.register_at(ws_port, "olga", "suflyor.local", "olga-sip-secret");
    LibrePhone callee(SIP_TRANSP_WS); // the colleague must be reachable for the call to start
    callee.register_at(ws_port, "admin", "suflyor.local", "creator-sip-password");
    ASSERT_TRUE(run_loop_until(
        [&] { return phone.last_status() == 200 && callee.last_status() == 200; }, 10s));
    const auto olga = http->login("olga", "password-olga");
    // A desk-phone user's browser tab does not ring for them: olga chooses the browser.
    ASSERT_EQ(http->send("PUT", "/api/v1/me/device", olga, {{"ring", "browser"}}).status, 200);
    const auto admin_id = user_id(olga, "admin");
    ASSERT_NE(admin_id, 0);
    const auto call =
        http->request("POST", "/api/v1/employees/" + std::to_string(admin_id) + "/call", olga);
    ASSERT_EQ(call.status, 201) << call.body;
    ASSERT_TRUE(run_loop_until(
        [&] {
            for (const auto& r : phone.received())
                if (r.method == "INVITE") return true;
            return false;
        },
        10s));
    const auto& invite = phone.received().front();
    EXPECT_EQ(invite.method, "INVITE");
    EXPECT_EQ(invite.text.rfind("INVITE sip:olga@127.0.0.1:9;transport=ws SIP/2.0", 0), 0u)
        << invite.text;
    EXPECT_TRUE(callee.received().empty()); // the caller's device is rung first
    // The 486 travelled back over the same connection: the call ends as not answered.
    ASSERT_TRUE(run_loop_until(
        [&] {
            return http->get("/api/v1/calls/" +
                                 std::to_string(call.json()["call_id"].get<std::int64_t>()),
                             olga)
                       .json()
                       .value("state", "") == "ended";
        },
        15s))
        << server.process().err();
}

} // namespace
} // namespace suflyor::e2e
