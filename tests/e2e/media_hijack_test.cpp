// A stranger must never take over a media leg (issue 13). The real `suflyor serve` with a small
// RTP range; baresip as the operator's phone (127.0.0.1) and as the client behind the trunk
// (127.0.0.2); a stranger on 127.0.0.3 sprays in-sequence PCMU RTP of its own tone (1777 Hz) at
// every even port of the range — the call's ports and all the others.
//   - while the operator's phone rings and after the answer: the stranger is sent nothing, and
//     neither party (nor the server's recording) ever has the stranger's tone;
//   - while the client's phone is paused (SIGSTOP: a network gap) for longer than the engine's
//     relatch_idle (2 s): the stranger still gets nothing, and once the phone resumes the
//     operator hears it again.
#include "store/store.hpp"
#include "support/baresip.hpp"
#include "support/rtp_sprayer.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

constexpr double client_hz = test::tone_a_hz;   // 443
constexpr double operator_hz = test::tone_b_hz; // 1061
constexpr double stranger_hz = test::tone_c_hz; // 1777
constexpr const char* stranger_ip = "127.0.0.3";

// 20 RTP pairs per test process, away from the default range and the baresip parties' ports.
int rtp_port_min() { return 60000 + (::getpid() % 100) * 40; }
int rtp_port_max() { return rtp_port_min() + 39; }
std::string media_config() {
    return "rtp_port_min = " + std::to_string(rtp_port_min()) +
           "\nrtp_port_max = " + std::to_string(rtp_port_max()) + "\n";
}

class MediaHijackTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        server_host = "127.0.0.1:" + std::to_string(server.sip_udp_port());
    }

    std::unique_ptr<BaresipParty> operator_phone(bool auto_answer) {
        auto phone = std::make_unique<BaresipParty>(BaresipOptions{
            .name = "operator",
            .ip = "127.0.0.1",
            .tone_hz = operator_hz,
            .account = {.aor = "sip:olga@" + server_host,
                        .auth_pass = "olga-sip-secret",
                        .regint = 600,
                        .auto_answer = auto_answer},
            .sip_trace = debugging(),
        });
        phone->drain_while_waiting(server.process());
        EXPECT_TRUE(phone->wait_registered(30s)) << phone->log() << server_log();
        return phone;
    }

    std::unique_ptr<BaresipParty> client_phone() {
        auto phone = std::make_unique<BaresipParty>(BaresipOptions{
            .name = "client",
            .ip = "127.0.0.2", // the trunk's source address
            .tone_hz = client_hz,
            .account = {.aor = "sip:+74951112233@127.0.0.2", .regint = 0},
            .sip_trace = debugging(),
        });
        phone->drain_while_waiting(server.process());
        return phone;
    }

    std::string server_log() {
        drain_output(server.process());
        return "--- server\n" + server.process().err();
    }

    // [from_s, to_s) of `heard` has `hear_hz` (unless 0) and never the stranger's tone.
    static testing::AssertionResult judged(const WavAudio& heard, double hear_hz, double from_s,
                                           double to_s) {
        std::vector<test::ToneExpectation> expectations{{stranger_hz, false}};
        if (hear_hz != 0) expectations.push_back({hear_hz, true});
        const auto report =
            test::check_tones(heard.samples, heard.sample_rate, from_s, to_s, expectations);
        if (report && report.blocks >= 4) return testing::AssertionSuccess();
        return testing::AssertionFailure()
               << report.blocks << " blocks in [" << from_s << " s, " << to_s << " s):\n"
               << report.failures;
    }

    // The call ends; the server's recording of it never has the stranger in either channel.
    void hang_up_and_check_recording(BaresipParty& client, BaresipParty& op) {
        ASSERT_TRUE(client.hangup()) << client.log();
        ASSERT_TRUE(client.wait_call_closed(20s)) << client.log() << server_log();
        ASSERT_TRUE(op.wait_call_closed(20s)) << op.log() << server_log();
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        std::vector<center::Call> calls;
        for (;;) { // the control loop writes the end after the BYE: bounded polling
            calls = store->calls().query(store::CallQuery{center::AccountId{1}});
            if ((calls.size() == 1 && calls.front().state == center::CallState::ended) ||
                std::chrono::steady_clock::now() >= deadline)
                break;
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 100ms);
        }
        ASSERT_EQ(calls.size(), 1u) << server_log();
        ASSERT_FALSE(calls.front().recording_path.empty());
        for (const int channel : {0, 1}) {
            const WavAudio track = read_wav(calls.front().recording_path, channel);
            EXPECT_TRUE(judged(track, 0, 0.0, track.seconds()))
                << "recording channel " << channel << server_log();
        }
    }

    Server server{SUFLYOR_BINARY, provider_trunk_config() + log_config(), "", media_config()};
    std::string server_host;
    RtpSprayer stranger{stranger_ip, rtp_port_min(), rtp_port_max(), stranger_hz};
};

TEST_F(MediaHijackTest, AStrangerSprayingTheRangeWhileThePhoneRingsAndAfterGetsNothing) {
    auto op = operator_phone(false);
    auto client = client_phone();
    stranger.start();
    ASSERT_TRUE(client->dial("sip:74950000001@" + server_host)) << client->log();
    ASSERT_TRUE(op->wait_event("CALL_INCOMING", 30s).has_value()) << op->log() << server_log();
    // The phone rings while the stranger sprays a second (50 rounds) at every port.
    ASSERT_TRUE(stranger.wait_more_rounds(50, 10s));
    ASSERT_TRUE(op->command("accept").ok) << op->log();
    ASSERT_TRUE(op->wait_call_established(30s)) << op->log() << server_log();
    ASSERT_TRUE(client->wait_call_established(30s)) << client->log() << server_log();
    ASSERT_TRUE(op->wait_heard_seconds(4.0, 30s)) << op->log() << server_log();
    ASSERT_TRUE(client->wait_heard_seconds(4.0, 30s)) << client->log() << server_log();
    stranger.stop();
    EXPECT_GT(stranger.rounds(), 150u);
    EXPECT_EQ(stranger.received(), 0u) << "the stranger was sent media" << server_log();

    const WavAudio op_heard = op->heard();
    EXPECT_TRUE(judged(op_heard, client_hz, 0.5, op_heard.seconds() - 0.3))
        << "the operator hears the client, never the stranger" << op->log() << server_log();
    const WavAudio client_heard = client->heard();
    EXPECT_TRUE(judged(client_heard, operator_hz, 0.5, client_heard.seconds() - 0.3))
        << "the client hears the operator, never the stranger" << client->log() << server_log();
    hang_up_and_check_recording(*client, *op);
}

TEST_F(MediaHijackTest, AStrangerCannotTakeOverWhileThePhonePausesAndThePhoneIsHeardAgain) {
    auto op = operator_phone(true);
    auto client = client_phone();
    ASSERT_TRUE(client->dial("sip:74950000001@" + server_host)) << client->log();
    ASSERT_TRUE(op->wait_call_established(30s)) << op->log() << server_log();
    ASSERT_TRUE(client->wait_call_established(30s)) << client->log() << server_log();
    ASSERT_TRUE(op->wait_heard_seconds(2.0, 30s)) << op->log() << client->log() << server_log();

    // The client's phone falls silent (a network gap, DTX, a hang) for 3 s — longer than the
    // engine's relatch_idle (2 s) — while the stranger sends in-sequence RTP at every port.
    stranger.start();
    client->signal(SIGSTOP);
    const bool sprayed = stranger.wait_more_rounds(150, 20s);
    client->signal(SIGCONT);
    ASSERT_TRUE(sprayed);
    const double resumed_at = op->heard().seconds();
    ASSERT_TRUE(op->wait_heard_seconds(resumed_at + 3.0, 30s)) << op->log() << server_log();
    stranger.stop();
    EXPECT_EQ(stranger.received(), 0u) << "the stranger was sent media" << server_log();

    const WavAudio op_heard = op->heard();
    EXPECT_TRUE(judged(op_heard, 0, 0.5, op_heard.seconds() - 0.3))
        << "the operator never hears the stranger" << op->log() << server_log();
    EXPECT_TRUE(judged(op_heard, client_hz, resumed_at + 0.5, op_heard.seconds() - 0.3))
        << "the operator hears the client again once its phone resumes" << op->log()
        << server_log();
    hang_up_and_check_recording(*client, *op);
}

} // namespace
} // namespace suflyor::e2e
