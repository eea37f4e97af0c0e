// The product page's flow with no SIP phone on the supervisor's desk: the supervisor is signed in
// to the web app in headless Chromium (fake microphone saying tone C), their device is "browser",
// and the page's softphone is registered over SIP WebSocket. A baresip client behind the trunk
// (tone A) talks to a baresip operator (tone B). Through the API the supervisor listens, whispers
// and barges in; the page answers the server's monitor call by itself (WebRTC: ICE-lite,
// DTLS-SRTP, Opus). Judged by tone on what each party actually heard: the browser hears both in
// every mode; the operator hears the supervisor in whisper and barge only; the client in barge
// only. Label "browser": it needs the built web UI (web/dist) and web/node_modules, so
// scripts/test.sh runs it after the web build.
#include "support/baresip.hpp"
#include "support/heard.hpp"
#include "support/http_client.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

constexpr double client_hz = test::tone_a_hz;     // 443
constexpr double operator_hz = test::tone_b_hz;   // 1061
constexpr double supervisor_hz = test::tone_c_hz; // 1777
constexpr double phase_s = 3.0;
// The first moments after a switch belong to neither phase (jitter buffers, the API round trip).
constexpr double settle_s = 0.6;

const std::filesystem::path source_dir{SUFLYOR_SOURCE_DIR};

// The latest "heard <seconds>" the browser printed (0 before any).
double browser_heard(const std::string& out) {
    const auto at = out.rfind("heard ");
    if (at == std::string::npos) return 0;
    return std::strtod(out.c_str() + at + 6, nullptr);
}

// Whether the browser's call, once talking, is over (the call panel closed or says ended).
bool call_over(const std::string& out) {
    const auto talking = out.find("call talking");
    return talking != std::string::npos && (out.find("call ended", talking) != std::string::npos ||
                                            out.find("call none", talking) != std::string::npos);
}

std::string ws_config(int port) {
    const std::string address = "127.0.0.1:" + std::to_string(port);
    return "ws_listen = \"" + address + "\"\nws_public_url = \"ws://" + address + "\"\n";
}

class BrowserSoftphoneTest : public ::testing::Test {
protected:
    void SetUp() override { start_server(); }

    // Calls out leave through the provider trunk to 127.0.0.2:`provider_port`.
    void start_server(int provider_port = 5060) {
        ws_port = free_port(SOCK_STREAM);
        server = std::make_unique<Server>(
            SUFLYOR_BINARY, ws_config(ws_port) + provider_trunk_config(provider_port), "", "",
            "static_dir = \"" + (source_dir / "web/dist").string() + "\"\n");
        server->start();
        server->add_user("olga", "olga-sip-secret");
        server->add_project_operator("olga");
        server->admin({"feature", "connect", "--account", "1", "--feature", "whisper_listen"});
        http = std::make_unique<HttpClient>(server->http_port());
        admin = http->login("admin", "creator-password");
        host = "127.0.0.1:" + std::to_string(server->sip_udp_port());
    }

    // `login` rings in the browser (the page's own setting, through the API) and is signed in to
    // the web app in Chromium, its microphone saying `hz`; `answer`: it takes ringing calls.
    // `dial`: a number it calls from the dial pad once registered.
    std::unique_ptr<Process> start_browser(const std::string& login, const std::string& password,
                                           double hz, bool answer = false,
                                           const std::string& dial = "") {
        const auto token = http->login(login, password);
        const auto device = http->send("PUT", "/api/v1/me/device", token, {{"ring", "browser"}});
        EXPECT_EQ(device.status, 200) << device.body;
        const auto mic = server->dir() / (login + "-mic.wav");
        const auto made =
            run_to_end({"/usr/bin/sox", "-n", "-r", "48000", "-c", "1", "-b", "16", mic.string(),
                        "synth", "120", "sine", std::to_string(hz), "vol", "0.5"},
                       30s);
        EXPECT_EQ(made.code, 0) << made.err;
        std::vector<std::string> argv{
            "/usr/bin/node", (source_dir / "web/e2e/browser_phone.mjs").string(),
            "--url",         "http://127.0.0.1:" + std::to_string(server->http_port()),
            "--login",       login,
            "--password",    password,
            "--mic",         mic.string(),
            "--out",         heard_path().string()};
        if (answer) argv.emplace_back("--answer");
        if (!dial.empty()) argv.insert(argv.end(), {"--dial", dial});
        return std::make_unique<Process>(argv);
    }

    // Stops the browser (it saves what it heard) and reads that.
    WavAudio browser_heard_audio(Process& browser) {
        browser.signal(SIGTERM);
        EXPECT_EQ(browser.wait(30s), 0) << browser.out() << browser.err();
        if (debugging()) {
            std::cerr << "--- browser\n" << browser.err();
            std::filesystem::copy_file(heard_path(),
                                       std::filesystem::temp_directory_path() / "browser-heard.wav",
                                       std::filesystem::copy_options::overwrite_existing);
        }
        EXPECT_TRUE(std::filesystem::exists(heard_path())) << browser.out() << browser.err();
        return read_wav(heard_path());
    }

    // A browser operator and a phone client talk for 5 s; the client hangs up; each must have
    // heard only the other (from 2 s: the client's recording starts at the 200 OK, before the
    // browser's DTLS is done).
    void expect_talked_both_ways(Process& browser, BaresipParty& client) {
        ASSERT_TRUE(browser.wait_for_output(
            [](const std::string& out, const std::string&) { return browser_heard(out) >= 5; },
            30s))
            << browser.out() << server_log();
        ASSERT_TRUE(client.wait_heard_seconds(5, 30s)) << client.log();
        ASSERT_TRUE(client.hangup());
        ASSERT_TRUE(browser.wait_for_output(
            [](const std::string& out, const std::string&) { return call_over(out); }, 20s))
            << browser.out() << server_log();
        const WavAudio b = browser_heard_audio(browser);
        const WavAudio c = client.heard();
        expect_heard("the operator's browser", b, 2.0, 5.0,
                     {{client_hz, true}, {operator_hz, false}});
        expect_heard("the client", c, 2.0, 5.0, {{operator_hz, true}, {client_hz, false}});
    }

    [[nodiscard]] std::filesystem::path heard_path() const {
        return server->dir() / "browser-heard.wav";
    }

    std::string server_log() {
        drain_output(server->process());
        return "--- server\n" + server->process().err();
    }

    int ws_port = 0;
    std::unique_ptr<Server> server;
    std::unique_ptr<HttpClient> http;
    std::string admin;
    std::string host;
};

TEST_F(BrowserSoftphoneTest, SupervisorInTheBrowserListensWhispersAndBargesByTheAudioTable) {
    auto browser = start_browser("admin", "creator-password", supervisor_hz);
    ASSERT_TRUE(browser->wait_for_stdout("registered", 60s))
        << browser->out() << browser->err() << server_log();

    BaresipParty op(BaresipOptions{.name = "operator",
                                   .tone_hz = operator_hz,
                                   .account = {.aor = "sip:olga@" + host,
                                               .auth_pass = "olga-sip-secret",
                                               .regint = 600,
                                               .auto_answer = true}});
    op.drain_while_waiting(server->process());
    ASSERT_TRUE(op.wait_registered(30s)) << op.log() << server_log();
    BaresipParty client(BaresipOptions{.name = "client",
                                       .ip = "127.0.0.2",
                                       .tone_hz = client_hz,
                                       .account = {.aor = "sip:+74951112233@127.0.0.2"}});
    client.drain_while_waiting(server->process());
    ASSERT_TRUE(client.dial("sip:74950000001@" + host)) << client.log();
    ASSERT_TRUE(op.wait_call_established(30s)) << op.log() << server_log();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log() << server_log();

    const auto calls = http->get("/api/v1/calls?state=talking", admin).json();
    ASSERT_EQ(calls["calls"].size(), 1u) << calls.dump();
    const std::int64_t call = calls["calls"][0]["id"];

    // Where each phase starts: the operator's, the client's and the browser's recording position.
    struct Mark {
        double client, op, browser;
    };
    const auto mark = [&] {
        browser->drain();
        return Mark{client.heard().seconds(), op.heard().seconds(), browser_heard(browser->out())};
    };
    const auto play_phase = [&](const Mark& start) {
        ASSERT_TRUE(client.wait_heard_seconds(start.client + phase_s, 30s)) << client.log();
        ASSERT_TRUE(op.wait_heard_seconds(start.op + phase_s, 30s)) << op.log();
        ASSERT_TRUE(browser->wait_for_output(
            [&](const std::string& out, const std::string&) {
                return browser_heard(out) >= start.browser + phase_s;
            },
            30s))
            << browser->out() << browser->err() << server_log();
    };

    // «Прослушать»: the page is rung and answers by itself.
    const auto joined = http->send("POST", "/api/v1/calls/" + std::to_string(call) + "/monitor",
                                   admin, {{"mode", "listen"}});
    ASSERT_EQ(joined.status, 201) << joined.body << server_log();
    const auto session = std::to_string(joined.json()["session_id"].get<std::int64_t>());
    ASSERT_TRUE(browser->wait_for_stdout("call talking", 30s))
        << browser->out() << browser->err() << server_log();
    ASSERT_TRUE(browser->wait_for_stdout("heard ", 30s))
        << browser->out() << browser->err() << server_log();
    const Mark listen = mark();
    play_phase(listen);

    // «Суфлировать».
    const Mark whisper = mark();
    const auto whispering =
        http->send("PATCH", "/api/v1/monitor/" + session, admin, {{"mode", "whisper"}});
    ASSERT_EQ(whispering.status, 200) << whispering.body << server_log() << browser->err();
    play_phase(whisper);

    // Barge: both parties hear the supervisor.
    const Mark barge = mark();
    ASSERT_EQ(http->send("PATCH", "/api/v1/monitor/" + session, admin, {{"mode", "barge"}}).status,
              200);
    play_phase(barge);

    // «Отключиться»: the call goes on; the page's call ends.
    const Mark left = mark();
    ASSERT_EQ(http->request("DELETE", "/api/v1/monitor/" + session, admin).status, 204)
        << server_log();
    ASSERT_TRUE(browser->wait_for_output(
        [](const std::string& out, const std::string&) { return call_over(out); }, 20s))
        << browser->out() << server_log();
    ASSERT_TRUE(client.wait_heard_seconds(left.client + phase_s, 30s)) << client.log();
    const Mark end = mark();
    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(op.wait_call_closed(20s)) << op.log();

    const WavAudio b = browser_heard_audio(*browser);
    const WavAudio c = client.heard();
    const WavAudio o = op.heard();

    struct Phase {
        const char* name;
        const Mark& from;
        const Mark& to;
        bool operator_hears_supervisor;
        bool client_hears_supervisor;
    };
    const Phase phases[] = {{"listen", listen, whisper, false, false},
                            {"whisper", whisper, barge, true, false},
                            {"barge", barge, left, true, true}};
    for (const Phase& p : phases) {
        SCOPED_TRACE(p.name);
        expect_heard(std::string("browser in ") + p.name, b, p.from.browser + settle_s,
                     p.to.browser, {{client_hz, true}, {operator_hz, true}});
        expect_heard(std::string("operator in ") + p.name, o, p.from.op + settle_s, p.to.op,
                     {{client_hz, true}, {supervisor_hz, p.operator_hears_supervisor}});
        expect_heard(std::string("client in ") + p.name, c, p.from.client + settle_s, p.to.client,
                     {{operator_hz, true}, {supervisor_hz, p.client_hears_supervisor}});
    }
    expect_heard("operator after the supervisor left", o, left.op + settle_s, end.op,
                 {{client_hz, true}, {supervisor_hz, false}});
    expect_heard("client after the supervisor left", c, left.client + settle_s, end.client,
                 {{operator_hz, true}, {supervisor_hz, false}});
}

} // namespace
} // namespace suflyor::e2e

namespace suflyor::e2e {
namespace {

// An operator with no desk phone: signed in to the web app, ringing in the browser, answers an
// inbound trunk call from the call panel; the client and the operator hear each other.
TEST_F(BrowserSoftphoneTest, OperatorInTheBrowserAnswersAnInboundCallAndBothHearEachOther) {
    auto browser = start_browser("olga", "password-olga", operator_hz, true);
    ASSERT_TRUE(browser->wait_for_stdout("registered", 60s))
        << browser->out() << browser->err() << server_log();
    BaresipParty client(BaresipOptions{.name = "client",
                                       .ip = "127.0.0.2",
                                       .tone_hz = client_hz,
                                       .account = {.aor = "sip:+74951112233@127.0.0.2"}});
    client.drain_while_waiting(server->process());
    ASSERT_TRUE(client.dial("sip:74950000001@" + host)) << client.log();
    ASSERT_TRUE(browser->wait_for_stdout("call ringing-in", 30s))
        << browser->out() << browser->err() << server_log();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log() << server_log();
    ASSERT_TRUE(browser->wait_for_stdout("call talking", 30s)) << browser->out() << server_log();
    const auto calls = http->get("/api/v1/calls?state=talking", admin).json();
    ASSERT_EQ(calls["calls"].size(), 1u) << calls.dump();

    expect_talked_both_ways(*browser, client);
}

} // namespace
} // namespace suflyor::e2e

namespace suflyor::e2e {
namespace {

class BrowserDialOutTest : public BrowserSoftphoneTest {
protected:
    void SetUp() override {} // the provider's port first
};

// An operator dials a client from the web app's dial pad: the call leaves through the provider
// trunk (a baresip answering at 127.0.0.2) and both hear each other.
TEST_F(BrowserDialOutTest, OperatorDialsOutFromTheDialPadAndBothHearEachOther) {
    BaresipParty provider(
        BaresipOptions{.name = "provider",
                       .ip = "127.0.0.2",
                       .tone_hz = client_hz,
                       .account = {.aor = "sip:84951112233@127.0.0.2", .auto_answer = true}});
    start_server(provider.sip_port());
    provider.drain_while_waiting(server->process());
    auto browser = start_browser("olga", "password-olga", operator_hz, false, "84951112233");
    ASSERT_TRUE(provider.wait_call_established(60s))
        << provider.log() << browser->out() << browser->err() << server_log();
    ASSERT_TRUE(browser->wait_for_stdout("call talking", 30s)) << browser->out() << server_log();
    const auto calls = http->get("/api/v1/calls?state=talking", admin).json();
    ASSERT_EQ(calls["calls"].size(), 1u) << calls.dump();
    EXPECT_EQ(calls["calls"][0]["direction"], "outbound") << calls.dump();
    expect_talked_both_ways(*browser, provider);
}

} // namespace
} // namespace suflyor::e2e
