// SPEC §2 through real sockets: for every plan, what each of client, operator and supervisor
// hears, judged by Goertzel on the decoded G.711 each test socket received.
#include "engine_test_support.hpp"

#include <string>
#include <tuple>

namespace suflyor::media::test {
namespace {

using suflyor::test::check_tones;
using suflyor::test::tone_a_hz; // client
using suflyor::test::tone_b_hz; // operator
using suflyor::test::tone_c_hz; // supervisor
using suflyor::test::ToneExpectation;

struct MatrixCase {
    std::string name;
    MixPlan (*plan)();
    bool client_hears_supervisor;
    bool operator_hears_supervisor;
    bool supervisor_hears; // C + O
    bool relayed_client;   // client's output is relayed (no decode)
    bool relayed_operator;
};

class MixMatrix : public testing::TestWithParam<std::tuple<MatrixCase, IoBackend>> {};

TEST_P(MixMatrix, EachLegHearsExactlyWhatThePlanSays) {
    const MatrixCase& tc = std::get<0>(GetParam());
    MonitoredCall call(test_config(200, std::get<1>(GetParam())));
    call.set_plan(tc.plan());
    call.run(150); // 3 s

    constexpr double end_s = 3.0;
    // Relayed outputs get every frame; mixed ones lose at most the jitter buffer's fill.
    EXPECT_GE(call.c.heard().size(), 148 * frame_bytes);
    EXPECT_GE(call.o.heard().size(), 148 * frame_bytes);
    // Client: operator always; supervisor only in barge; never itself.
    const std::vector<ToneExpectation> client_hears{
        {tone_b_hz, true}, {tone_c_hz, tc.client_hears_supervisor}, {tone_a_hz, false}};
    const std::vector<ToneExpectation> operator_hears{
        {tone_a_hz, true}, {tone_c_hz, tc.operator_hears_supervisor}, {tone_b_hz, false}};
    const std::vector<ToneExpectation> supervisor_hears{
        {tone_a_hz, true}, {tone_b_hz, true}, {tone_c_hz, false}};
    const auto rc = check_tones(call.c.heard(), 8000, 0.0, end_s, client_hears);
    EXPECT_TRUE(rc.ok) << "client: " << rc.failures;
    const auto ro = check_tones(call.o.heard(), 8000, 0.0, end_s, operator_hears);
    EXPECT_TRUE(ro.ok) << "operator: " << ro.failures;
    if (tc.supervisor_hears) {
        const auto rs = check_tones(call.s.heard(), 8000, 0.0, end_s, supervisor_hears);
        EXPECT_TRUE(rs.ok) << "supervisor: " << rs.failures;
    } else {
        EXPECT_TRUE(call.s.packets().empty()) << "a supervisor hearing nothing is sent nothing";
    }

    call.engine.request_stats(call.room);
    pump(call.engine);
    int seen = 0;
    for (const Event& e : events_of(call.engine)) {
        if (e.kind != EventKind::stats) continue;
        ++seen;
        if (e.slot == client) {
            EXPECT_EQ(e.stats.relayed > 0, tc.relayed_client);
            EXPECT_EQ(e.stats.mixed > 0, !tc.relayed_client);
            EXPECT_EQ(e.stats.packets_in, 150U);
        }
        if (e.slot == operator_) {
            EXPECT_EQ(e.stats.relayed > 0, tc.relayed_operator);
            EXPECT_EQ(e.stats.mixed > 0, !tc.relayed_operator);
        }
        EXPECT_EQ(e.stats.dropped_foreign_source, 0U);
        EXPECT_EQ(e.stats.dropped_malformed, 0U);
    }
    EXPECT_EQ(seen, 3);
}

INSTANTIATE_TEST_SUITE_P(
    Plans, MixMatrix,
    testing::Combine(
        testing::Values(MatrixCase{"relay", relay_plan, false, false, false, true, true},
                        MatrixCase{"listen", listen_plan, false, false, true, true, true},
                        MatrixCase{"whisper", whisper_plan, false, true, true, true, false},
                        MatrixCase{"barge", barge_plan, true, true, true, false, false}),
        testing::Values(IoBackend::epoll, IoBackend::io_uring)),
    [](const testing::TestParamInfo<std::tuple<MatrixCase, IoBackend>>& info) {
        return std::string(std::get<0>(info.param).name) + "_" + io_name(std::get<1>(info.param));
    });

} // namespace
} // namespace suflyor::media::test
