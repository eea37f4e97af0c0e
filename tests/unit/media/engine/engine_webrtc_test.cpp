// A WebRTC leg through the whole engine over loopback UDP, on both I/O backends: a "browser" (a
// test socket, a plain OpenSSL DTLS client, libsrtp2 sessions keyed from its own export, Opus
// from libopus) checks the leg's port with STUN, handshakes DTLS with the engine as server, and
// talks SRTP Opus 48 kHz to a PCMU phone in the same room. Judged by Goertzel on what each side
// decodes; and the security rules on the real path: a check with the wrong MESSAGE-INTEGRITY
// selects nothing, a ClientHello from elsewhere does not disturb the call, SRTP with a bad tag is
// dropped and counted; SRTCP both ways, the end of ICE consent, two browsers in one room.
#include "engine_webrtc_browser.hpp"

#include <tuple>

namespace suflyor::media::test {
namespace {

using suflyor::test::check_tones;
using suflyor::test::tone_a_hz;
using suflyor::test::tone_b_hz;
using suflyor::test::tone_c_hz;
using suflyor::test::ToneExpectation;
using suflyor::test::ToneThresholds;

// Short windows (a second of audio): 0.2 s blocks after 0.2 s of codec and jitter-buffer start.
const ToneThresholds short_window{.block_s = 0.2, .guard_s = 0.2};

// A browser (slot 0, Opus over WebRTC) and a phone (slot 1, PCMU) bridged in one room.
struct BrowserCall {
    explicit BrowserCall(IoBackend io, const char* profiles = gcm_first,
                         std::chrono::milliseconds rtcp_interval = EngineConfig{}.rtcp_interval,
                         std::chrono::milliseconds rtp_timeout = EngineConfig{}.rtp_timeout)
        : engine(config_of(io, rtcp_interval, rtp_timeout), clock),
          browser(tone_a_hz, 0xB0B0, profiles), phone(tone_b_hz, -12.0, 0x1111) {
        room = engine.create_room();
        hb = engine.add_leg(room, LegSpec{.media = Browser::media(), .webrtc = true},
                            browser.remote());
        hp = engine.add_leg(room, LegSpec{.media = phone.media()});
        MixPlan plan;
        plan.hears[hb.id.slot] = leg_bit(hp.id.slot);
        plan.hears[hp.id.slot] = leg_bit(hb.id.slot);
        engine.set_plan(room, plan);
        pump(engine);
    }

    static EngineConfig config_of(IoBackend io, std::chrono::milliseconds rtcp_interval,
                                  std::chrono::milliseconds rtp_timeout) {
        EngineConfig config = test_config(200, io);
        config.rtcp_interval = rtcp_interval;
        config.rtp_timeout = rtp_timeout;
        return config;
    }

    // ICE (a nominating check answered with a success response) then DTLS.
    void connect() {
        browser.check(hb, hb.ice.pwd, /*use_candidate=*/true, 1);
        pump(engine);
        browser.drain();
        const auto replies = browser.take_stun();
        ASSERT_EQ(replies.size(), 1U);
        const auto reply = stun_reply(replies[0], hb.ice.pwd);
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->cls, webrtc::stun::Class::success);
        EXPECT_TRUE(reply->integrity_ok) << "the response is signed with our ice-pwd";
        browser.handshake(engine, hb.rtp_port);
    }

    void run(int frames, const std::function<void(int)>& also = nullptr) {
        for (int i = 0; i < frames; ++i) {
            if (browser.keyed()) browser.send_frame(hb.rtp_port); // no SRTP before DTLS
            phone.send_frame(hp.rtp_port);
            if (also) also(i);
            pump(engine);
            clock.advance(20ms);
            engine.tick();
            browser.drain();
            phone.drain();
        }
    }

    // Both directions carry the right tone, and only it, over [start_s, end_s) of each capture.
    void expect_both_hear_each_other(double start_s, double end_s) const {
        const std::vector<ToneExpectation> phone_hears{{tone_a_hz, true}, {tone_b_hz, false}};
        const auto rp = check_tones(phone.heard(), 8000, start_s, end_s, phone_hears, short_window);
        EXPECT_TRUE(rp.ok) << "phone: " << rp.failures;
        const std::vector<ToneExpectation> browser_hears{{tone_b_hz, true}, {tone_a_hz, false}};
        const auto rb =
            check_tones(browser.heard(), opus_rate, start_s, end_s, browser_hears, short_window);
        EXPECT_TRUE(rb.ok) << "browser: " << rb.failures;
    }

    core::ManualClock clock;
    MediaEngine engine;
    Browser browser;
    Peer phone;
    RoomId room{0};
    LegHandle hb, hp;
};

class EngineWebRtc
    : public testing::TestWithParam<std::tuple<IoBackend, const char* /* SRTP profiles */>> {
protected:
    [[nodiscard]] IoBackend io() const { return std::get<0>(GetParam()); }
    [[nodiscard]] const char* profiles() const { return std::get<1>(GetParam()); }
};

TEST_P(EngineWebRtc, BrowserAndPhoneHearEachOtherThroughDtlsSrtpAndOpus) {
    BrowserCall call(io(), profiles());
    EXPECT_EQ(call.hb.ice.ufrag.size(), 8U);
    EXPECT_EQ(call.hb.ice.pwd.size(), 24U);
    EXPECT_FALSE(call.engine.dtls_fingerprint().empty());
    call.connect();
    EXPECT_EQ(call.browser.profile(), profiles() == cm_only ? webrtc::SrtpProfile::aes128_cm_sha1_80
                                                            : webrtc::SrtpProfile::aead_aes128_gcm);
    constexpr int frames = 50; // 1 s
    call.run(frames);

    // Mixed outputs lose at most the jitter buffer's fill.
    EXPECT_GE(call.phone.heard().size(), (frames - 3) * frame_bytes);
    EXPECT_GE(call.browser.media_packets(), static_cast<std::size_t>(frames - 3));
    EXPECT_EQ(call.browser.unreadable(), 0U) << "everything sent to the browser is valid SRTP";
    call.expect_both_hear_each_other(0.0, frames * 0.02);

    const LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.packets_in, static_cast<std::uint64_t>(frames));
    EXPECT_GT(b.mixed, 0U);
    EXPECT_EQ(b.source, call.browser.endpoint()) << "ICE selected the browser's address";
    EXPECT_EQ(b.stun_refused, 0U);
    EXPECT_EQ(b.dtls_foreign, 0U);
    EXPECT_EQ(b.srtp_auth_failed, 0U);
    EXPECT_EQ(b.srtp_replayed, 0U);
    EXPECT_EQ(b.dropped_other, 0U);
    const LegStats p = leg_stats(call.engine, call.room, call.hp.id.slot);
    EXPECT_EQ(p.packets_in, static_cast<std::uint64_t>(frames));
    EXPECT_GT(p.mixed, 0U);
}

// A check signed with another password gets a 401 and selects nothing: media never goes to its
// source, before the call is up (to the browser itself) or after (to a stranger).
TEST_P(EngineWebRtc, WrongMessageIntegrityIsRefusedAndSelectsNothing) {
    BrowserCall call(io(), profiles());
    call.browser.check(call.hb, "not-the-ice-password-at-all", /*use_candidate=*/true, 7);
    pump(call.engine);
    call.browser.drain();
    const auto replies = call.browser.take_stun();
    ASSERT_EQ(replies.size(), 1U);
    const auto reply = stun_reply(replies[0], call.hb.ice.pwd);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->cls, webrtc::stun::Class::error);
    EXPECT_EQ(reply->code, 401);
    call.run(10); // the phone talks; the unselected browser gets nothing
    EXPECT_EQ(call.browser.media_packets() + call.browser.unreadable(), 0U);
    LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.stun_refused, 1U);
    EXPECT_FALSE(b.source.known()) << "nothing selected";

    call.connect();
    Peer stranger(tone_c_hz, -12.0, 0x5555);
    call.run(50, [&](int i) {
        if (i != 10) return;
        stranger.send_raw(webrtc::test::binding_request(call.hb.ice.ufrag + ":brws",
                                                        "guessed-password-000000000", true, 9),
                          call.hb.rtp_port);
    });
    stranger.drain();
    EXPECT_TRUE(stranger.packets().empty()) << "no media to the refused source";
    EXPECT_EQ(stranger.non_rtp(), 1U) << "only the 401";
    b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.stun_refused, 2U);
    EXPECT_EQ(b.source, call.browser.endpoint()) << "the selection stayed";
    call.expect_both_hear_each_other(0.0, 1.0);
}

// A ClientHello from another socket once the call is up: dropped and counted, nothing answered,
// and the call's DTLS and media go on undisturbed.
TEST_P(EngineWebRtc, ForeignClientHelloDoesNotDisturbTheCall) {
    BrowserCall call(io(), profiles());
    call.connect();
    Peer intruder(tone_c_hz, -12.0, 0x6666); // its own socket and port on 127.0.0.1
    webrtc::test::BrowserPeer intruder_dtls(/*client=*/true, profiles());
    const std::vector<std::uint8_t> hello = intruder_dtls.step();
    ASSERT_FALSE(hello.empty());
    ASSERT_EQ(webrtc::classify(hello), PacketKind::dtls);
    call.run(50, [&](int i) {
        if (i == 10 || i == 11) intruder.send_raw(hello, call.hb.rtp_port);
    });
    intruder.drain();
    EXPECT_EQ(intruder.packets().size() + intruder.non_rtp(), 0U) << "nothing answers it";
    EXPECT_EQ(call.browser.unreadable(), 0U);
    call.expect_both_hear_each_other(0.0, 1.0);
    const LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.dtls_foreign, 2U);
    EXPECT_EQ(b.packets_in, 50U);
    EXPECT_EQ(b.source, call.browser.endpoint());
}

// SRTP whose authentication tag was changed on the way: dropped (never reaches the room) and
// counted; the packets after it are taken as before.
TEST_P(EngineWebRtc, SrtpWithABadTagIsDroppedAndCounted) {
    BrowserCall call(io(), profiles());
    call.connect();
    call.run(20);
    call.browser.send_frame(call.hb.rtp_port, /*corrupt_tag=*/true);
    pump(call.engine);
    LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.srtp_auth_failed, 1U);
    EXPECT_EQ(b.packets_in, 20U) << "the forged packet was not taken";
    call.run(20);
    b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.srtp_auth_failed, 1U);
    EXPECT_EQ(b.srtp_replayed, 0U);
    EXPECT_EQ(b.packets_in, 40U);
    const std::vector<ToneExpectation> phone_hears{{tone_a_hz, true}, {tone_b_hz, false}};
    const auto rp = check_tones(call.phone.heard(), 8000, 0.0, 0.8, phone_hears, short_window);
    EXPECT_TRUE(rp.ok) << "phone: " << rp.failures;
}

// RTCP under rtcp-mux, in SRTCP both ways; and the end of consent (RFC 7675: no valid check
// for 30 s) ends the leg's media once, reported as an RTP timeout, while the phone goes on.
TEST_P(EngineWebRtc, SrtcpBothWaysAndConsentExpiry) {
    BrowserCall call(io(), profiles(), 200ms, std::chrono::minutes(10));
    call.connect();
    call.run(40, [&](int i) { // 0.8 s: at least two reports (the first within 0.3 s)
        if (i == 5) call.browser.send_report(call.hb.rtp_port);
    });
    EXPECT_GE(call.browser.reports(), 2U) << "SRTCP reports every 100-300 ms reach the browser";
    EXPECT_EQ(call.browser.unreadable(), 0U);
    LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.rtcp_in, 1U) << "the browser's SRTCP report was taken";
    EXPECT_GE(b.rtcp_out, 2U);
    EXPECT_EQ(b.srtp_auth_failed, 0U);
    for (const Event& e : events_of(call.engine))
        EXPECT_NE(e.kind, EventKind::rtp_timeout);

    // No check for 30 s (RTP timeouts are far off here, so the event can only be consent's).
    call.clock.advance(29s);
    call.engine.tick();
    for (const Event& e : events_of(call.engine))
        EXPECT_NE(e.kind, EventKind::rtp_timeout) << "consent lasts 30 s";
    call.clock.advance(1s);
    call.engine.tick();
    call.engine.tick();
    int timeouts = 0;
    for (const Event& e : events_of(call.engine)) {
        if (e.kind != EventKind::rtp_timeout) continue;
        ++timeouts;
        EXPECT_EQ(e.slot, call.hb.id.slot);
    }
    EXPECT_EQ(timeouts, 1) << "consent expired, reported once";
    call.browser.drain();
    const std::size_t heard_before = call.browser.media_packets();
    call.run(10);
    EXPECT_EQ(call.browser.media_packets(), heard_before) << "nothing is sent without consent";
    const std::size_t phone_before = call.phone.packets().size();
    call.run(10);
    EXPECT_GT(call.phone.packets().size(), phone_before) << "the phone's leg is unaffected";
}

// The browser as DTLS server (its a=setup passive, ours active): the engine sends the
// ClientHello once ICE has selected the browser's address, and the call flows the same.
TEST_P(EngineWebRtc, EngineAsDtlsClient) {
    core::ManualClock clock;
    MediaEngine engine(test_config(200, io()), clock);
    Browser browser(tone_a_hz, 0xB0B0, profiles(), "brws", /*dtls_client=*/false);
    Peer phone(tone_b_hz, -12.0, 0x1111);
    const RoomId room = engine.create_room();
    const LegHandle hb =
        engine.add_leg(room, LegSpec{.media = Browser::media(), .webrtc = true}, browser.remote());
    const LegHandle hp = engine.add_leg(room, LegSpec{.media = phone.media()});
    MixPlan plan;
    plan.hears[hb.id.slot] = leg_bit(hp.id.slot);
    plan.hears[hp.id.slot] = leg_bit(hb.id.slot);
    engine.set_plan(room, plan);
    pump(engine);
    browser.check(hb, hb.ice.pwd, /*use_candidate=*/true, 1);
    pump(engine);
    browser.drain(); // the success response, and the engine's ClientHello right after it
    ASSERT_EQ(browser.take_stun().size(), 1U);
    browser.handshake(engine, hb.rtp_port);
    constexpr int frames = 50;
    for (int i = 0; i < frames; ++i) {
        browser.send_frame(hb.rtp_port);
        phone.send_frame(hp.rtp_port);
        pump(engine);
        clock.advance(20ms);
        engine.tick();
        browser.drain();
        phone.drain();
    }
    const auto rp = check_tones(phone.heard(), 8000, 0.0, 1.0,
                                std::vector<ToneExpectation>{{tone_a_hz, true}, {tone_b_hz, false}},
                                short_window);
    EXPECT_TRUE(rp.ok) << "phone: " << rp.failures;
    const auto rb = check_tones(browser.heard(), opus_rate, 0.0, 1.0,
                                std::vector<ToneExpectation>{{tone_b_hz, true}, {tone_a_hz, false}},
                                short_window);
    EXPECT_TRUE(rb.ok) << "browser: " << rb.failures;
    EXPECT_EQ(leg_stats(engine, room, hb.id.slot).packets_in, static_cast<std::uint64_t>(frames));
}

// An ICE restart (a re-offer with a new ice-ufrag and the same fingerprint) keeps the DTLS
// association, as browsers do: the browser's SRTP from before goes on being accepted and what
// we send stays readable, the old address keeps the media until the new agent is nominated, and
// only the new credentials are answered.
TEST_P(EngineWebRtc, IceRestartKeepsTheDtlsAssociation) {
    BrowserCall call(io(), profiles());
    call.connect();
    call.run(10);
    WebRtcRemote restarted = call.browser.remote();
    restarted.ice_ufrag = "brw2";
    call.engine.update_leg(call.hb.id, Browser::media(), restarted);
    pump(call.engine);
    call.run(5); // before the new nomination: media still flows
    const auto check = [&](std::string_view browser_ufrag, std::uint8_t id) {
        call.browser.send(
            webrtc::test::binding_request(call.hb.ice.ufrag + ":" + std::string(browser_ufrag),
                                          call.hb.ice.pwd, true, id),
            call.hb.rtp_port);
        pump(call.engine);
        call.browser.drain();
        const auto replies = call.browser.take_stun();
        EXPECT_EQ(replies.size(), 1U);
        return replies.empty() ? std::nullopt : stun_reply(replies[0], call.hb.ice.pwd);
    };
    const auto old_reply = check("brws", 5);
    ASSERT_TRUE(old_reply);
    EXPECT_EQ(old_reply->cls, webrtc::stun::Class::error) << "the old username is gone";
    const auto new_reply = check("brw2", 6);
    ASSERT_TRUE(new_reply);
    EXPECT_EQ(new_reply->cls, webrtc::stun::Class::success);
    call.run(35);
    const LegStats b = leg_stats(call.engine, call.room, call.hb.id.slot);
    EXPECT_EQ(b.packets_in, 50U) << "no SRTP packet was lost to the restart";
    EXPECT_EQ(b.srtp_auth_failed + b.srtp_replayed, 0U);
    EXPECT_EQ(b.source, call.browser.endpoint());
    EXPECT_EQ(call.browser.unreadable(), 0U);
    call.expect_both_hear_each_other(0.0, 1.0);
}

// Two browsers in one room: a client phone, an operator and a supervisor both in browsers, the
// supervisor listening (SPEC §2): each side hears what the plan says and nothing else.
TEST_P(EngineWebRtc, TwoBrowsersInAMonitoredCall) {
    core::ManualClock clock;
    MediaEngine engine(test_config(200, io()), clock);
    Peer phone(tone_a_hz, -12.0, 0x1111);
    Browser op(tone_b_hz, 0x2222, profiles(), "oper");
    Browser sup(tone_c_hz, 0x3333, profiles(), "supv");
    const RoomId room = engine.create_room();
    const LegHandle hc = engine.add_leg(room, LegSpec{.media = phone.media()});
    // The operator's leg is offered first and gets the browser's side with its answer.
    const LegHandle ho = engine.add_leg(room, LegSpec{.media = Browser::media(), .webrtc = true});
    engine.update_leg(ho.id, Browser::media(), op.remote());
    const LegHandle hs =
        engine.add_leg(room, LegSpec{.media = Browser::media(), .webrtc = true}, sup.remote());
    ASSERT_EQ(hc.id.slot, client);
    ASSERT_EQ(ho.id.slot, operator_);
    ASSERT_EQ(hs.id.slot, supervisor);
    EXPECT_NE(ho.ice.ufrag, hs.ice.ufrag);
    engine.set_plan(room, listen_plan());
    pump(engine);
    for (auto [browser, handle] : {std::pair{&op, &ho}, std::pair{&sup, &hs}}) {
        browser->check(*handle, handle->ice.pwd, true, 3);
        pump(engine);
        browser->handshake(engine, handle->rtp_port);
    }
    constexpr int frames = 50;
    for (int i = 0; i < frames; ++i) {
        phone.send_frame(hc.rtp_port);
        op.send_frame(ho.rtp_port);
        sup.send_frame(hs.rtp_port);
        pump(engine);
        clock.advance(20ms);
        engine.tick();
        phone.drain();
        op.drain();
        sup.drain();
    }
    const auto rc = check_tones(
        phone.heard(), 8000, 0.0, 1.0,
        std::vector<ToneExpectation>{{tone_b_hz, true}, {tone_c_hz, false}, {tone_a_hz, false}},
        short_window);
    EXPECT_TRUE(rc.ok) << "client: " << rc.failures;
    const auto ro = check_tones(
        op.heard(), opus_rate, 0.0, 1.0,
        std::vector<ToneExpectation>{{tone_a_hz, true}, {tone_c_hz, false}, {tone_b_hz, false}},
        short_window);
    EXPECT_TRUE(ro.ok) << "operator: " << ro.failures;
    const auto rs = check_tones(
        sup.heard(), opus_rate, 0.0, 1.0,
        std::vector<ToneExpectation>{{tone_a_hz, true}, {tone_b_hz, true}, {tone_c_hz, false}},
        short_window);
    EXPECT_TRUE(rs.ok) << "supervisor: " << rs.failures;
    for (const std::uint8_t slot : {operator_, supervisor}) {
        const LegStats s = leg_stats(engine, room, slot);
        EXPECT_EQ(s.packets_in, static_cast<std::uint64_t>(frames)) << int(slot);
        EXPECT_EQ(s.srtp_auth_failed + s.stun_refused + s.dtls_foreign, 0U) << int(slot);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Io, EngineWebRtc,
    testing::Combine(testing::Values(IoBackend::epoll, IoBackend::io_uring),
                     testing::Values(gcm_first, cm_only)),
    [](const testing::TestParamInfo<std::tuple<IoBackend, const char*>>& info) {
        return io_name(std::get<0>(info.param)) +
               (std::get<1>(info.param) == cm_only ? "_aes_cm" : "_aes_gcm");
    });

} // namespace
} // namespace suflyor::media::test
