// The source-learning rules of one leg (SourceFilter), table-driven: the SDP address is accepted
// at once; another port of an allowed IP (the SDP's or the signalling's) only after probation and
// only while the current source is silent; any other IP never, however long the leg is silent.
#include "core/clock.hpp"
#include "media/engine/source_filter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace suflyor::media::test {
namespace {

using namespace std::chrono_literals;
using V = SourceVerdict;

constexpr std::uint32_t ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return std::uint32_t{a} << 24 | std::uint32_t{b} << 16 | std::uint32_t{c} << 8 | d;
}

constexpr std::uint32_t sdp_ip = ip(10, 0, 0, 5);           // what the SDP's c= line says
constexpr std::uint32_t signalling_ip = ip(203, 0, 113, 7); // where the SIP came from
constexpr std::uint32_t stranger_ip = ip(198, 51, 100, 9);  // anyone else
constexpr Endpoint sdp{sdp_ip, 4000};
constexpr std::uint16_t probation = 4;
constexpr auto relatch_idle = 2000ms;

// `count` packets from `from` (one SSRC, consecutive sequence numbers unless `seq_step` says
// otherwise), `gap` apart, each expected to get `verdict` — except the last, which gets `last`.
struct Burst {
    Endpoint from;
    int count = 1;
    V verdict = V::accept;
    V last = V::accept;
    std::uint32_t ssrc = 0x1111;
    std::chrono::milliseconds pause_before{0};
    std::uint16_t seq_step = 1;
};

struct Scenario {
    std::string name;
    Endpoint expected = sdp;
    std::uint32_t signalling = signalling_ip;
    bool nat = true;
    std::vector<Burst> bursts;
    Endpoint current_after; // the source media is accepted from at the end
};

Burst accepted(Endpoint from, int count, std::chrono::milliseconds pause = 0ms) {
    return {from, count, V::accept, V::accept, 0x1111, pause};
}
Burst dropped(Endpoint from, int count, std::chrono::milliseconds pause = 0ms,
              std::uint32_t ssrc = 0x6666) {
    return {from, count, V::foreign, V::foreign, ssrc, pause};
}
// probation - 1 dropped, then the source latches.
Burst learns(Endpoint from, std::chrono::milliseconds pause = 0ms, std::uint32_t ssrc = 0x2222) {
    return {from, probation, V::probation, V::latched, ssrc, pause};
}

std::vector<Scenario> scenarios() {
    const Endpoint signalling_port{signalling_ip, 51000};
    const Endpoint sdp_other_port{sdp_ip, 4010};
    const Endpoint stranger{stranger_ip, 4000};
    return {
        {.name = "SdpAddressAcceptedFromTheFirstPacket",
         .bursts = {accepted(sdp, 10)},
         .current_after = sdp},
        {.name = "OtherIpNeverEvenWhileTheLegNeverHeardAnything",
         .bursts = {dropped(stranger, 200), dropped({stranger_ip, 4002}, 50), accepted(sdp, 1)},
         .current_after = sdp},
        {.name = "SignallingIpOtherPortAfterProbation", // the phone behind NAT
         .bursts = {learns(signalling_port), accepted(signalling_port, 5)},
         .current_after = signalling_port},
        {.name = "SdpIpOtherPortAfterProbation", // a port-rewriting NAT in front of the SDP's IP
         .bursts = {learns(sdp_other_port), accepted(sdp_other_port, 5)},
         .current_after = sdp_other_port},
        {.name = "SequenceJumpRestartsProbation", // 3 + 3 in sequence but for a jump of 5
         .bursts = {{signalling_port, 3, V::probation, V::probation, 0x2222},
                    {signalling_port, 3, V::probation, V::probation, 0x2222, 0ms, 5},
                    {signalling_port, 1, V::latched, V::latched, 0x2222}},
         .current_after = signalling_port},
        {.name = "SsrcChangeRestartsProbation",
         .bursts = {{signalling_port, 3, V::probation, V::probation, 0x2222},
                    {signalling_port, 3, V::probation, V::probation, 0x3333},
                    {signalling_port, 1, V::latched, V::latched, 0x3333}},
         .current_after = signalling_port},
        {.name = "SameIpOtherPortNotWhileTheCurrentSourceTalks",
         .bursts = {accepted(sdp, 5), dropped(sdp_other_port, 20, 0ms, 0x2222),
                    dropped(signalling_port, 20, 500ms, 0x2222), accepted(sdp, 1)},
         .current_after = sdp},
        {.name = "RelatchAfterPauseFromAllowedIp",
         .bursts = {accepted(sdp, 5), learns(signalling_port, relatch_idle),
                    dropped(sdp, 3), // the old source is now someone else
                    accepted(signalling_port, 1)},
         .current_after = signalling_port},
        {.name = "RelatchAfterPauseNeverFromAnotherIp",
         .bursts = {accepted(sdp, 5), dropped(stranger, 500, 10 * relatch_idle),
                    accepted(sdp, 5, 60s)}, // the phone comes back and is heard at once
         .current_after = sdp},
        {.name = "LatchedSourceKeepsOffOtherIps",
         .bursts = {learns(signalling_port), dropped(stranger, 100, relatch_idle),
                    accepted(signalling_port, 1, 30s)},
         .current_after = signalling_port},
        {.name = "NoSdpYetOnlyTheSignallingIpLearns", // our own offer, the answer not in yet
         .expected = {},
         .bursts = {dropped(stranger, 50), dropped({0, 4000}, 5), learns(signalling_port)},
         .current_after = signalling_port},
        {.name = "NothingKnownNothingAccepted",
         .expected = {},
         .signalling = 0,
         .bursts = {dropped(stranger, 50), dropped(signalling_port, 50), dropped({0, 0}, 5)},
         .current_after = {}},
        {.name = "StrictLegOnlyTheExactSdpAddress",
         .nat = false,
         .bursts = {dropped(sdp_other_port, 20, 0ms, 0x2222), dropped(signalling_port, 20),
                    dropped(stranger, 20), accepted(sdp, 3),
                    dropped(signalling_port, 20, 10 * relatch_idle)},
         .current_after = sdp},
    };
}

class SourceFilterRules : public testing::TestWithParam<Scenario> {};

TEST_P(SourceFilterRules, Verdicts) {
    const Scenario& s = GetParam();
    SourceFilter filter(s.expected, s.signalling, s.nat, probation, relatch_idle);
    core::MonoTime now{};
    std::uint16_t seq = 100;
    for (std::size_t b = 0; b < s.bursts.size(); ++b) {
        const Burst& burst = s.bursts[b];
        now += burst.pause_before;
        for (int i = 0; i < burst.count; ++i) {
            seq = static_cast<std::uint16_t>(seq + (i == 0 ? burst.seq_step : 1));
            const V want = i + 1 == burst.count ? burst.last : burst.verdict;
            EXPECT_EQ(filter.on_packet(burst.from, burst.ssrc, seq, now), want)
                << "burst " << b << " packet " << i << " from " << to_string(burst.from);
            now += 20ms;
        }
    }
    EXPECT_EQ(filter.current(), s.current_after);
}

INSTANTIATE_TEST_SUITE_P(Table, SourceFilterRules, testing::ValuesIn(scenarios()),
                         [](const testing::TestParamInfo<Scenario>& info) {
                             return info.param.name;
                         });

TEST(SourceFilterSignalling, AReInviteKeepsALearnedSourceANewSdpAddressReplacesIt) {
    SourceFilter filter(sdp, signalling_ip, true, probation, relatch_idle);
    core::MonoTime now{};
    const Endpoint nat{signalling_ip, 51000};
    for (std::uint16_t seq = 1; seq <= probation; ++seq)
        (void)filter.on_packet(nat, 1, seq, now);
    ASSERT_EQ(filter.current(), nat);
    // Hold/unhold: the same SDP address and signalling; the learned source stays.
    filter.expect(sdp, signalling_ip);
    EXPECT_EQ(filter.current(), nat);
    EXPECT_EQ(filter.on_packet(nat, 1, probation + 1, now), V::accept);
    // The phone re-registered from elsewhere: the old source's IP is no longer allowed.
    const std::uint32_t moved_ip = ip(192, 0, 2, 44);
    filter.expect(sdp, moved_ip);
    EXPECT_EQ(filter.current(), sdp);
    EXPECT_EQ(filter.on_packet(nat, 1, probation + 2, now), V::foreign);
    // A new SDP address is current at once.
    const Endpoint moved{moved_ip, 7000};
    filter.expect(moved, moved_ip);
    EXPECT_EQ(filter.current(), moved);
    EXPECT_EQ(filter.on_packet(moved, 9, 1, now), V::accept);
    EXPECT_EQ(filter.on_packet(sdp, 9, 2, now + relatch_idle * 5), V::foreign)
        << "the old SDP address is no longer allowed";
}

} // namespace
} // namespace suflyor::media::test
