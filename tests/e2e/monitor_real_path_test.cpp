// Monitoring the way a call center uses it: the released `suflyor serve` (its own wiring, no test
// hooks), three baresip phones — the client behind the trunk, the operator and the supervisor
// registered with digest auth — and the HTTP API. The supervisor joins through the API (listen),
// switches to whisper through the API, then to barge, listen and whisper with DTMF 6, 4, 5 from
// the phone, and hangs up. Per phase, who hears whom is judged by tone on what each phone
// recorded; the downloaded stereo recording must hold only the client (left) and only the
// operator (right) in every mode; the supervisor track only the supervisor, only while someone
// could hear them; and no control digit may reach the operator or the client.
#include "support/baresip.hpp"
#include "support/heard.hpp"
#include "support/http_client.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double client_hz = test::tone_a_hz;     // 443
constexpr double operator_hz = test::tone_b_hz;   // 1061
constexpr double supervisor_hz = test::tone_c_hz; // 1777
constexpr double phase_s = 3.0;

// Where a phase began: each phone's recording position, and the call's time since answer (the
// server's recording timeline).
struct Mark {
    double client{0}, op{0}, supervisor{0}, call{0};
};

class MonitorRealPathTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        server.admin({"feature", "connect", "--account", "1", "--feature", "whisper_listen"});
        http = std::make_unique<HttpClient>(server.http_port());
        admin = http->login("admin", "creator-password");
        host = "127.0.0.1:" + std::to_string(server.sip_udp_port());
    }

    BaresipOptions phone(const std::string& name, const std::string& ip, double hz,
                         BaresipAccount account) {
        return BaresipOptions{.name = name, .ip = ip, .tone_hz = hz, .account = std::move(account)};
    }

    std::string server_log() {
        drain_output(server.process());
        return "--- server\n" + server.process().err();
    }

    Mark mark(BaresipParty& c, BaresipParty& o, BaresipParty* s) const {
        return {c.heard().seconds(), o.heard().seconds(), s ? s->heard().seconds() : 0.0,
                std::chrono::duration<double>(Clock::now() - answered).count()};
    }

    // Every phone records `phase_s` more seconds.
    void play_phase(BaresipParty& c, BaresipParty& o, BaresipParty* s) {
        const Mark start = mark(c, o, s);
        ASSERT_TRUE(c.wait_heard_seconds(start.client + phase_s, 30s)) << c.log();
        ASSERT_TRUE(o.wait_heard_seconds(start.op + phase_s, 30s)) << o.log();
        if (s) {
            ASSERT_TRUE(s->wait_heard_seconds(start.supervisor + phase_s, 30s)) << s->log();
        }
    }

    // Polls the session until the server reports `mode` (a DTMF switch is asynchronous).
    bool wait_mode(const std::string& session, const std::string& mode) {
        const auto deadline = Clock::now() + 10s;
        while (Clock::now() < deadline) {
            if (http->get("/api/v1/monitor/" + session, admin).json().value("mode", "") == mode)
                return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    nlohmann::json call_card(std::int64_t id) {
        return http->get("/api/v1/calls/" + std::to_string(id), admin).json();
    }

    // Downloads a recording through the API into the test's directory.
    std::filesystem::path download(std::int64_t call, const std::string& query,
                                   const std::string& name) {
        const auto reply =
            http->get("/api/v1/calls/" + std::to_string(call) + "/recording" + query, admin);
        EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 300);
        const auto path = server.dir() / name;
        std::ofstream(path, std::ios::binary) << reply.body;
        return path;
    }

    Server server{SUFLYOR_BINARY, provider_trunk_config()};
    std::unique_ptr<HttpClient> http;
    std::string admin;
    std::string host;
    Clock::time_point answered;
};

TEST_F(MonitorRealPathTest, ApiAndDtmfSwitchModesAndRecordingsHoldEachPartyInItsPlace) {
    BaresipParty op(phone("operator", "127.0.0.1", operator_hz,
                          {.aor = "sip:olga@" + host,
                           .auth_pass = "olga-sip-secret",
                           .regint = 600,
                           .auto_answer = true}));
    BaresipParty sup(phone("supervisor", "127.0.0.1", supervisor_hz,
                           {.aor = "sip:admin@" + host,
                            .auth_pass = "creator-sip-password",
                            .regint = 600,
                            .auto_answer = true}));
    op.drain_while_waiting(server.process());
    sup.drain_while_waiting(server.process());
    ASSERT_TRUE(op.wait_registered(30s)) << op.log() << server_log();
    ASSERT_TRUE(sup.wait_registered(30s)) << sup.log() << server_log();
    BaresipParty client(phone("client", "127.0.0.2", client_hz,
                              {.aor = "sip:+74951112233@127.0.0.2", .regint = 0}));
    client.drain_while_waiting(server.process());

    ASSERT_TRUE(client.dial("sip:74950000001@" + host)) << client.log();
    ASSERT_TRUE(op.wait_call_established(30s)) << op.log() << server_log();
    answered = Clock::now();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log() << server_log();
    play_phase(client, op, nullptr);

    const auto calls = http->get("/api/v1/calls?state=talking", admin).json();
    ASSERT_EQ(calls["calls"].size(), 1u) << calls.dump();
    const std::int64_t call = calls["calls"][0]["id"];

    // Listen, through the API: the supervisor's phone is rung and answers by itself.
    const Mark listen = mark(client, op, nullptr);
    const auto joined = http->send("POST", "/api/v1/calls/" + std::to_string(call) + "/monitor",
                                   admin, {{"mode", "listen"}});
    ASSERT_EQ(joined.status, 201) << joined.body << server_log();
    const auto session = std::to_string(joined.json()["session_id"].get<std::int64_t>());
    ASSERT_TRUE(sup.wait_call_established(30s)) << sup.log() << server_log();
    ASSERT_TRUE(sup.wait_heard_seconds(0.2, 30s)) << sup.log();
    play_phase(client, op, &sup);

    // Whisper, through the API.
    const Mark whisper = mark(client, op, &sup);
    const auto patched =
        http->send("PATCH", "/api/v1/monitor/" + session, admin, {{"mode", "whisper"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    play_phase(client, op, &sup);

    // Barge, listen and whisper again, with the supervisor's keypad (ChanSpy's 6, 4, 5).
    const auto by_digit = [&](char digit, const std::string& mode) {
        EXPECT_TRUE(sup.send_digit(digit)) << sup.log();
        EXPECT_TRUE(wait_mode(session, mode))
            << "DTMF " << digit << " did not switch to " << mode << "\n"
            << server_log();
        const Mark m = mark(client, op, &sup);
        play_phase(client, op, &sup);
        return m;
    };
    const Mark barge = by_digit('6', "barge");
    const Mark listen_again = by_digit('4', "listen");
    const Mark whisper_again = by_digit('5', "whisper");

    // The supervisor hangs up; the call goes on as before the join.
    const Mark left = mark(client, op, &sup);
    ASSERT_TRUE(sup.hangup());
    ASSERT_TRUE(sup.wait_call_closed(20s)) << sup.log();
    play_phase(client, op, nullptr);
    const Mark end = mark(client, op, nullptr);
    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(op.wait_call_closed(20s)) << op.log();
    ASSERT_TRUE(client.wait_call_closed(20s)) << client.log();

    // No control digit reached the operator or the client (baresip reports every digit it gets).
    EXPECT_FALSE(op.wait_event("CALL_DTMF_START", 500ms)) << op.log();
    EXPECT_FALSE(client.wait_event("CALL_DTMF_START", 500ms)) << client.log();

    const auto session_json = http->get("/api/v1/monitor/" + session, admin).json();
    ASSERT_EQ(session_json["modes"].size(), 5u) << session_json.dump();
    EXPECT_EQ(session_json["end_reason"], "supervisor_hangup") << session_json.dump();

    const auto c = client.heard();
    const auto o = op.heard();
    const auto s = sup.heard();
    expect_heard("client before the join", c, 0.3, listen.client,
                 {{operator_hz, true}, {client_hz, false}, {supervisor_hz, false}});
    expect_heard("operator before the join", o, 0.3, listen.op,
                 {{client_hz, true}, {operator_hz, false}, {supervisor_hz, false}});
    struct Phase {
        const char* name;
        const Mark& from;
        const Mark& to;
        bool operator_hears_supervisor;
        bool client_hears_supervisor;
    };
    const Phase phases[] = {
        {"listen (API)", listen, whisper, false, false},
        {"whisper (API)", whisper, barge, true, false},
        {"barge (DTMF 6)", barge, listen_again, true, true},
        {"listen (DTMF 4)", listen_again, whisper_again, false, false},
        {"whisper (DTMF 5)", whisper_again, left, true, false},
    };
    for (const auto& p : phases) {
        const std::string name = p.name;
        // The listen phase's supervisor recording starts when the phone answered.
        const double s_from = &p.from == &listen ? 0.0 : p.from.supervisor;
        expect_heard(
            "client in " + name, c, p.from.client, p.to.client,
            {{operator_hz, true}, {supervisor_hz, p.client_hears_supervisor}, {client_hz, false}});
        expect_heard("operator in " + name, o, p.from.op, p.to.op,
                     {{client_hz, true},
                      {supervisor_hz, p.operator_hears_supervisor},
                      {operator_hz, false}});
        expect_heard("supervisor in " + name, s, s_from, p.to.supervisor,
                     {{client_hz, true}, {operator_hz, true}, {supervisor_hz, false}});
    }
    expect_heard("client after the supervisor left", c, left.client, end.client,
                 {{operator_hz, true}, {supervisor_hz, false}});
    expect_heard("operator after the supervisor left", o, left.op, end.op,
                 {{client_hz, true}, {supervisor_hz, false}});

    // The recordings, downloaded as a user would once the call has ended.
    const auto deadline = Clock::now() + 10s;
    while (call_card(call).value("state", "") != "ended" && Clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    ASSERT_EQ(call_card(call).value("state", ""), "ended");
    const auto stereo = download(call, "", "call.wav");
    const WavAudio left_channel = read_wav(stereo, 0);
    const WavAudio right_channel = read_wav(stereo, 1);
    const double recorded = left_channel.seconds();
    EXPECT_GE(recorded, end.call - 1.0);
    // Every mode: left only the client, right only the operator — never the supervisor.
    expect_heard("recording, client channel", left_channel, 0.3, recorded - 0.3,
                 {{client_hz, true}, {operator_hz, false}, {supervisor_hz, false}});
    expect_heard("recording, operator channel", right_channel, 0.3, recorded - 0.3,
                 {{operator_hz, true}, {client_hz, false}, {supervisor_hz, false}});

    // The supervisor track: only the supervisor, only while the operator or client heard them.
    const WavAudio track = read_wav(download(call, "?track=supervisor", "supervisor.wav"), 0);
    const double track_end = std::min(track.seconds(), left.call);
    const auto judge_track = [&](const std::string& what, double from, double to, bool present) {
        expect_heard("supervisor track, " + what, track, from, std::min(to, track_end),
                     {{supervisor_hz, present}, {client_hz, false}, {operator_hz, false}});
    };
    EXPECT_GE(track.seconds(), whisper_again.call + 1.0) << "the track ends too early";
    if (track.seconds() > listen.call + 1.5) // a leading stretch before the first whisper: silent
        judge_track("listen (API)", listen.call, whisper.call, false);
    judge_track("whisper (API)", whisper.call, barge.call, true);
    judge_track("barge (DTMF 6)", barge.call, listen_again.call, true);
    judge_track("listen (DTMF 4)", listen_again.call, whisper_again.call, false);
    judge_track("whisper (DTMF 5)", whisper_again.call, left.call, true);

    // Digits on the mixed path are not losses: no concealment bursts from a key press.
    const auto metrics = http->get("/metrics").body;
    const std::string name = "suflyor_rtp_concealed_frames_total ";
    const auto at = metrics.find("\n" + name);
    ASSERT_NE(at, std::string::npos) << metrics;
    EXPECT_LT(std::stod(metrics.substr(at + 1 + name.size())), 20.0) << metrics;
}

} // namespace
} // namespace suflyor::e2e
