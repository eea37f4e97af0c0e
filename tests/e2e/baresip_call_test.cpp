// A real trunk call with real audio: baresip as the operator's softphone (digest REGISTER,
// auto-answer, says 1061 Hz) and baresip as the client behind the trunk on 127.0.0.2 (says 443
// Hz). The server routes the DID to the operator and anchors the media in its engine; each side
// must hear the other's tone and not its own (no echo, no loop), judged from what each baresip
// recorded. Codec pairs: PCMU on both legs (relay), and G.722 against PCMU (transcoding).
#include "store/store.hpp"
#include "support/baresip.hpp"
#include "support/heard.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using test::tone_a_hz;
using test::tone_b_hz;

constexpr double client_tone_hz = tone_a_hz;   // 443 Hz
constexpr double operator_tone_hz = tone_b_hz; // 1061 Hz

// Judged audio: from 0.5 s into each recording (the far leg may start a little later than the
// recording) to 0.3 s before its end (hang-up); check_tones drops 0.5 s guards inside that.
constexpr double judge_from_s = 0.5;
constexpr double judge_tail_s = 0.3;
constexpr double judged_talk_s = 3.0;
constexpr double record_at_least_s = judge_from_s + 0.5 + judged_talk_s + 0.5 + judge_tail_s;

struct CodecCase {
    std::string name;
    std::string operator_codec; // baresip codec: name/rate/channels (rate defaults to 8000)
    std::string client_codec;
    int operator_hears_rate; // the recording's rate is the decoder's: it proves the codec used
    int client_hears_rate;
};

void PrintTo(const CodecCase& c, std::ostream* os) { *os << c.name; }

std::string case_name(const ::testing::TestParamInfo<CodecCase>& info) { return info.param.name; }

class BaresipCallTest : public ::testing::TestWithParam<CodecCase> {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
    }

    std::vector<center::Call> calls() {
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        return store->calls().query(store::CallQuery{center::AccountId{1}});
    }

    // The store is written by the server's control loop after the BYE: poll it, bounded.
    std::vector<center::Call> calls_once_ended(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto all = calls();
            const bool ended = !all.empty() && std::all_of(all.begin(), all.end(), [](auto& c) {
                return c.state == center::CallState::ended;
            });
            if (ended || std::chrono::steady_clock::now() >= deadline) return all;
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 100ms);
        }
    }

    std::string server_log() {
        drain_output(server.process());
        return "--- server\n" + server.process().err();
    }

    // The server's recordings go to its own temp directory (the Server helper's [media]).
    Server server{SUFLYOR_BINARY, provider_trunk_config() + log_config()};
};

TEST_P(BaresipCallTest, ClientAndOperatorHearEachOther) {
    const CodecCase& codecs = GetParam();
    const std::string server_host = "127.0.0.1:" + std::to_string(server.sip_udp_port());

    BaresipParty operator_phone(BaresipOptions{
        .name = "operator",
        .ip = "127.0.0.1",
        .tone_hz = operator_tone_hz,
        .account = {.aor = "sip:olga@" + server_host,
                    .auth_pass = "olga-sip-secret",
                    .regint = 600,
                    .auto_answer = true,
                    .audio_codecs = codecs.operator_codec},
        .sip_trace = debugging(),
    });
    operator_phone.drain_while_waiting(server.process());
    ASSERT_TRUE(operator_phone.wait_registered(30s)) << operator_phone.log() << server_log();

    BaresipParty client(BaresipOptions{
        .name = "client",
        .ip = "127.0.0.2", // the trunk's source address
        .tone_hz = client_tone_hz,
        .account = {.aor = "sip:+74951112233@127.0.0.2",
                    .regint = 0,
                    .audio_codecs = codecs.client_codec},
        .sip_trace = debugging(),
    });
    client.drain_while_waiting(server.process());

    ASSERT_TRUE(client.dial("sip:74950000001@" + server_host)) << client.log();
    ASSERT_TRUE(operator_phone.wait_call_established(30s))
        << operator_phone.log() << client.log() << server_log();
    ASSERT_TRUE(client.wait_call_established(30s))
        << client.log() << operator_phone.log() << server_log();

    // Talk until both recordings hold enough audio (recording length, not wall time).
    ASSERT_TRUE(client.wait_heard_seconds(record_at_least_s, 30s)) << client.log() << server_log();
    ASSERT_TRUE(operator_phone.wait_heard_seconds(record_at_least_s, 30s))
        << operator_phone.log() << server_log();

    ASSERT_TRUE(client.hangup()) << client.log();
    ASSERT_TRUE(client.wait_call_closed(20s)) << client.log() << server_log();
    ASSERT_TRUE(operator_phone.wait_call_closed(20s)) << operator_phone.log() << server_log();

    const auto judge = [](const WavAudio& heard, double hear_hz, double not_hear_hz) {
        const test::ToneExpectation expectations[] = {{hear_hz, true}, {not_hear_hz, false}};
        return test::check_tones(heard.samples, heard.sample_rate, judge_from_s,
                                 heard.seconds() - judge_tail_s, expectations);
    };

    const WavAudio operator_heard = operator_phone.heard();
    EXPECT_EQ(operator_heard.sample_rate, codecs.operator_hears_rate)
        << operator_phone.log() << server_log();
    EXPECT_GE(operator_heard.seconds(), record_at_least_s);
    const auto operator_report = judge(operator_heard, client_tone_hz, operator_tone_hz);
    EXPECT_TRUE(operator_report) << "operator hears the client and not itself ("
                                 << operator_report.blocks << " blocks):\n"
                                 << operator_report.failures << operator_phone.log()
                                 << server_log();
    EXPECT_GE(operator_report.blocks, 10u);

    const WavAudio client_heard = client.heard();
    EXPECT_EQ(client_heard.sample_rate, codecs.client_hears_rate) << client.log() << server_log();
    EXPECT_GE(client_heard.seconds(), record_at_least_s);
    const auto client_report = judge(client_heard, operator_tone_hz, client_tone_hz);
    EXPECT_TRUE(client_report) << "client hears the operator and not itself ("
                               << client_report.blocks << " blocks):\n"
                               << client_report.failures << client.log() << server_log();
    EXPECT_GE(client_report.blocks, 10u);

    const auto all = calls_once_ended(10s);
    ASSERT_EQ(all.size(), 1u) << server_log();
    const auto& call = all.front();
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_TRUE(call.answered_at.has_value());
    EXPECT_EQ(call.end_reason, "client_hangup");
    EXPECT_EQ(call.client_number, "74951112233");
    EXPECT_EQ(call.direction, center::CallDirection::inbound);
    EXPECT_TRUE(call.operator_id.has_value());
    EXPECT_TRUE(call.project_id.has_value());

    // The server's own recording of the call: client on the left, operator on the right.
    ASSERT_FALSE(call.recording_path.empty());
    EXPECT_TRUE(call.recording_path.starts_with(server.dir().string())) << call.recording_path;
    const WavAudio recorded_client = read_wav(call.recording_path, 0);
    const WavAudio recorded_operator = read_wav(call.recording_path, 1);
    EXPECT_GE(recorded_client.seconds(), judged_talk_s);
    const auto left = judge(recorded_client, client_tone_hz, operator_tone_hz);
    EXPECT_TRUE(left) << "recording, client channel:\n" << left.failures << server_log();
    const auto right = judge(recorded_operator, operator_tone_hz, client_tone_hz);
    EXPECT_TRUE(right) << "recording, operator channel:\n" << right.failures << server_log();

    EXPECT_EQ(client.quit(), 0) << client.log();
    EXPECT_EQ(operator_phone.quit(), 0) << operator_phone.log();
}

// baresip 1.0 reads "G722" as G722/8000/1, finds no such codec and then offers every codec it
// has: the driver refuses to start rather than let a codec case test something else.
TEST(BaresipPartyTest, RefusesAnAccountCodecBaresipWouldIgnore) {
    EXPECT_THROW(BaresipParty(BaresipOptions{
                     .name = "bad-codec",
                     .tone_hz = client_tone_hz,
                     .account = {.aor = "sip:nobody@127.0.0.1", .audio_codecs = "G722"}}),
                 std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, BaresipCallTest,
    ::testing::Values(CodecCase{"PcmuBothSides", "PCMU", "PCMU", 8000, 8000},
                      CodecCase{"G722OperatorPcmuClient", "G722/16000/1", "PCMU", 16000, 8000},
                      CodecCase{"PcmuOperatorG722Client", "PCMU", "G722/16000/1", 8000, 16000}),
    case_name);

} // namespace
} // namespace suflyor::e2e
