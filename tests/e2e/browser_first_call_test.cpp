// Issue 15's "done when": a newcomer with only the README and a browser goes from a fresh
// database to a monitored call — no CLI, no config edit, no restart. The server starts with no
// employee but the creator, no project and no trunk. In headless Chromium (web/e2e/first_call.mjs)
// the creator adds an operator, creates a project with her, adds the provider's trunk and number
// and connects the feature. The operator's baresip registers with exactly what the UI showed (the
// one-time SIP password and the «Подключить телефон» panel's server, user and domain); a client
// behind the trunk calls the number; the creator clicks «Прослушать» on the Team page and their
// desk phone (baresip) rings. Judged by tone: the creator hears the client and the operator, and
// neither of them hears the creator.
#include "support/baresip.hpp"
#include "support/heard.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <sstream>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

constexpr double client_hz = test::tone_a_hz;
constexpr double operator_hz = test::tone_b_hz;
constexpr double supervisor_hz = test::tone_c_hz;
constexpr double listen_s = 4.0;
constexpr const char* did = "74950000001";

const std::filesystem::path source_dir{SUFLYOR_SOURCE_DIR};

// The words after `tag ` on the browser's latest line starting with it.
std::vector<std::string> line_words(const std::string& out, const std::string& tag) {
    const auto at = out.rfind("\n" + tag + " ") != std::string::npos
                        ? out.rfind("\n" + tag + " ") + 1
                    : out.rfind(tag + " ", 0) == 0 ? 0
                                                   : std::string::npos;
    if (at == std::string::npos) return {};
    std::istringstream line(out.substr(at, out.find('\n', at) - at));
    std::vector<std::string> words;
    for (std::string w; line >> w;)
        words.push_back(w);
    words.erase(words.begin());
    return words;
}

TEST(BrowserFirstCall, FromAFreshDatabaseToAMonitoredCallInTheWebAppAlone) {
    const int provider_port = free_port(SOCK_DGRAM);
    Server server(SUFLYOR_BINARY, "", "", "",
                  "static_dir = \"" + (source_dir / "web/dist").string() + "\"\n");
    server.start();
    const std::string host = "127.0.0.1:" + std::to_string(server.sip_udp_port());

    Process browser({"/usr/bin/node", (source_dir / "web/e2e/first_call.mjs").string(), "--url",
                     "http://127.0.0.1:" + std::to_string(server.http_port()), "--login", "admin",
                     "--password", "creator-password", "--peer",
                     "127.0.0.2:" + std::to_string(provider_port), "--source", "127.0.0.2", "--did",
                     did, "--shots", (server.dir() / "shots").string()});
    const auto browser_log = [&] {
        browser.drain();
        drain_output(server.process());
        return "--- browser\n" + browser.out() + browser.err() + "--- server\n" +
               server.process().err();
    };
    const auto wait_line = [&](const std::string& tag, std::chrono::seconds timeout) {
        return browser.wait_for_output(
                   [&](const std::string& out, const std::string&) {
                       return out.find(tag) != std::string::npos ||
                              out.find("error ") != std::string::npos;
                   },
                   timeout) &&
               browser.out().find("error ") == std::string::npos;
    };

    // The operator's phone, set up from what the UI showed.
    ASSERT_TRUE(wait_line("connect ", 60s)) << browser_log();
    const auto secret = line_words(browser.out(), "operator");
    const auto connect = line_words(browser.out(), "connect");
    ASSERT_EQ(secret.size(), 2u) << browser_log();
    ASSERT_EQ(connect.size(), 4u) << browser_log();
    EXPECT_EQ(connect[0], host) << "the panel must show the server's SIP address";
    EXPECT_EQ(connect[1], "UDP") << browser_log();
    BaresipParty op(
        BaresipOptions{.name = "operator",
                       .tone_hz = operator_hz,
                       // A softphone's "domain" and "server" fields.
                       .account = {.aor = "sip:" + connect[2] + "@" + connect[3],
                                   .auth_pass = secret[1],
                                   .regint = 600,
                                   .auto_answer = true,
                                   .extra_params = ";outbound=\"sip:" + connect[0] + "\""}});
    op.drain_while_waiting(server.process());
    ASSERT_TRUE(op.wait_registered(30s)) << op.log() << browser_log();

    // The creator's desk phone (its SIP password is the one the first start printed).
    BaresipParty supervisor(auto_answer_phone("supervisor", server.sip_udp_port(), "admin",
                                              "creator-sip-password", supervisor_hz));
    ASSERT_TRUE(supervisor.wait_registered(30s)) << supervisor.log();

    ASSERT_TRUE(wait_line("ready", 90s)) << browser_log();
    BaresipParty client(BaresipOptions{.name = "client",
                                       .ip = "127.0.0.2",
                                       .tone_hz = client_hz,
                                       .account = {.aor = "sip:+74951112233@127.0.0.2"}});
    client.drain_while_waiting(server.process());
    ASSERT_TRUE(client.dial(std::string("sip:") + did + "@" + host)) << client.log();
    ASSERT_TRUE(op.wait_call_established(30s)) << op.log() << browser_log();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log();

    // «Прослушать» on the Team page rings the creator's phone.
    ASSERT_TRUE(wait_line("listening", 120s)) << browser_log();
    ASSERT_TRUE(supervisor.wait_call_established(30s)) << supervisor.log() << browser_log();
    const double s0 = supervisor.heard().seconds();
    const double c0 = client.heard().seconds();
    const double o0 = op.heard().seconds();
    ASSERT_TRUE(supervisor.wait_heard_seconds(s0 + listen_s, 30s)) << supervisor.log();
    ASSERT_TRUE(client.wait_heard_seconds(c0 + listen_s, 30s)) << client.log();
    ASSERT_TRUE(op.wait_heard_seconds(o0 + listen_s, 30s)) << op.log();
    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(op.wait_call_closed(20s)) << op.log();
    browser.signal(SIGTERM);
    EXPECT_EQ(browser.wait(30s), 0) << browser_log();

    // From 1 s after the join (the phone's jitter buffer and the answer's round trip).
    expect_heard("the creator listening", supervisor.heard(), s0 + 1.0, s0 + listen_s,
                 {{client_hz, true}, {operator_hz, true}});
    expect_heard("the operator", op.heard(), o0 + 1.0, o0 + listen_s,
                 {{client_hz, true}, {supervisor_hz, false}});
    expect_heard("the client", client.heard(), c0 + 1.0, c0 + listen_s,
                 {{operator_hz, true}, {supervisor_hz, false}});
}

} // namespace
} // namespace suflyor::e2e
