// A WebRTC leg through the whole engine over loopback UDP, on both I/O backends: a "browser" (a
// test socket, a plain OpenSSL DTLS client, libsrtp2 sessions keyed from its own export, Opus
// from libopus) checks the leg's port with STUN, handshakes DTLS with the engine as server, and
// talks SRTP Opus 48 kHz to a PCMU phone in the same room. Judged by Goertzel on what each side
// decodes; and the security rules on the real path: a check with the wrong MESSAGE-INTEGRITY
// selects nothing, a ClientHello from elsewhere does not disturb the call, SRTP with a bad tag is
// dropped and counted.
#include "../webrtc/webrtc_test_support.hpp"
#include "engine_test_support.hpp"
#include "media/webrtc/demux.hpp"

#include <optional>
#include <tuple>

namespace suflyor::media::test {
namespace {

using suflyor::test::check_tones;
using suflyor::test::tone_a_hz;
using suflyor::test::tone_b_hz;
using suflyor::test::tone_c_hz;
using suflyor::test::ToneExpectation;
using suflyor::test::ToneThresholds;
using webrtc::PacketKind;
using webrtc::SrtpResult;
using webrtc::SrtpSession;

constexpr std::uint8_t opus_pt = 111;
constexpr int opus_rate = 48000;
constexpr const char* gcm_first = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
constexpr const char* cm_only = "SRTP_AES128_CM_SHA1_80";

// Short windows (a second of audio): 0.2 s blocks after 0.2 s of codec and jitter-buffer start.
const ToneThresholds short_window{.block_s = 0.2, .guard_s = 0.2};

// A browser on its own UDP socket: ICE checks, the DTLS client, SRTP both ways, Opus both ways.
class Browser {
public:
    Browser(double tone_hz, std::uint32_t ssrc, const char* profiles = gcm_first,
            std::string ufrag = "brws")
        : fd_(bind_udp(ipv4_loopback, 0)), endpoint_{ipv4_loopback, local_port(fd_.get())},
          dtls_(/*client=*/true, profiles), ufrag_(std::move(ufrag)),
          tone_(tone_hz, -12.0, opus_rate), ssrc_(ssrc), seq_(static_cast<std::uint16_t>(ssrc)),
          ts_(ssrc * 3), encoder_(make_encoder({CodecId::opus, opus_rate, 0})),
          decoder_(make_decoder({CodecId::opus, opus_rate, 0})) {}

    [[nodiscard]] Endpoint endpoint() const { return endpoint_; }
    [[nodiscard]] WebRtcRemote remote() const {
        return WebRtcRemote{.ice_ufrag = ufrag_,
                            .ice_pwd = "browserpassword-0123456789",
                            .fingerprint = dtls_.fingerprint(),
                            .our_role = webrtc::DtlsRole::server};
    }
    [[nodiscard]] static LegMedia media() {
        return LegMedia{
            .codec = CodecId::opus, .payload_type = opus_pt, .telephone_event_pt = no_payload_type};
    }

    void send(std::span<const std::uint8_t> bytes, std::uint16_t port) const {
        const sockaddr_in to = webrtc::test::address("127.0.0.1", port);
        ASSERT_EQ(::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(bytes.size()));
    }

    // A binding request to the leg, as the browser's ICE agent sends it.
    void check(const LegHandle& leg, std::string_view pwd, bool use_candidate, std::uint8_t id) {
        send(webrtc::test::binding_request(leg.ice.ufrag + ":" + ufrag_, pwd, use_candidate, id),
             leg.rtp_port);
    }

    // The DTLS handshake through the engine (browser as client); then SRTP keys from its export.
    void handshake(MediaEngine& engine, std::uint16_t port) {
        std::vector<std::uint8_t> flight = dtls_.step();
        for (int round = 0; round < 20 && !dtls_.connected(); ++round) {
            if (!flight.empty()) send(flight, port);
            pump(engine);
            flight.clear();
            for (const auto& datagram : take()) {
                if (webrtc::classify(datagram) != PacketKind::dtls) continue;
                const auto reply = dtls_.step(datagram);
                flight.insert(flight.end(), reply.begin(), reply.end());
            }
        }
        ASSERT_TRUE(dtls_.connected()) << "the DTLS handshake did not complete";
        ASSERT_FALSE(dtls_.failed());
        const webrtc::SrtpKeys keys = dtls_.keys();
        profile_ = keys.profile;
        out_.emplace(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);
        in_.emplace(keys.profile, keys.remote_key(), SrtpSession::Direction::inbound);
    }

    // One 20 ms frame of the tone, Opus in SRTP. `corrupt_tag` flips the last byte of the tag.
    void send_frame(std::uint16_t port, bool corrupt_tag = false) {
        std::array<std::uint8_t, 1500> packet{};
        const std::size_t header = rtp::write_rtp_header(
            packet, {.payload_type = opus_pt, .sequence = seq_, .timestamp = ts_, .ssrc = ssrc_});
        std::array<std::int16_t, samples_per_frame(opus_rate)> pcm{};
        tone_.fill(pcm);
        const CodecResult encoded = encoder_->encode(pcm, std::span(packet).subspan(header, 400));
        ASSERT_TRUE(encoded);
        std::size_t length = header + encoded.count;
        ASSERT_EQ(out_->protect_rtp(packet, length), SrtpResult::ok);
        if (corrupt_tag) packet[length - 1] ^= 0x01;
        send(std::span(packet).first(length), port);
        ++seq_;
        ts_ += rtp_ticks_per_frame(CodecId::opus);
    }

    // Everything that arrived (non-blocking), as datagrams.
    std::vector<std::vector<std::uint8_t>> take() {
        std::vector<std::vector<std::uint8_t>> got;
        std::array<std::uint8_t, 2048> buffer{};
        for (;;) {
            const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (n < 0) return got;
            got.emplace_back(buffer.begin(), buffer.begin() + n);
        }
    }

    // Reads what arrived: SRTP is unprotected and its Opus decoded into heard(); STUN is kept.
    void drain() {
        for (auto& datagram : take()) {
            switch (webrtc::classify(datagram)) {
            case PacketKind::rtp: on_srtp(datagram); break;
            case PacketKind::rtcp: ++srtcp_; break;
            case PacketKind::stun: stun_.push_back(std::move(datagram)); break;
            case PacketKind::dtls:
            case PacketKind::unknown: ++other_; break;
            }
        }
    }

    [[nodiscard]] const std::vector<std::int16_t>& heard() const { return heard_; }
    [[nodiscard]] std::size_t media_packets() const { return media_packets_; }
    [[nodiscard]] std::size_t unreadable() const { return unreadable_; }
    [[nodiscard]] std::vector<std::vector<std::uint8_t>> take_stun() {
        return std::exchange(stun_, {});
    }
    [[nodiscard]] webrtc::SrtpProfile profile() const { return profile_; }
    [[nodiscard]] bool keyed() const { return out_.has_value(); }

private:
    void on_srtp(std::vector<std::uint8_t>& datagram) {
        std::size_t length = datagram.size();
        if (!in_ || in_->unprotect_rtp(datagram, length) != SrtpResult::ok) {
            ++unreadable_;
            return;
        }
        const auto view = rtp::parse_rtp(std::span<const std::uint8_t>(datagram.data(), length));
        if (!view || view->payload_type != opus_pt) {
            ++unreadable_;
            return;
        }
        ++media_packets_;
        std::array<std::int16_t, max_frame_samples> pcm{};
        const CodecResult decoded = decoder_->decode(view->payload, pcm);
        if (!decoded) {
            ++unreadable_;
            return;
        }
        heard_.insert(heard_.end(), pcm.begin(),
                      pcm.begin() + static_cast<std::ptrdiff_t>(decoded.count));
    }

    UniqueFd fd_;
    Endpoint endpoint_;
    webrtc::test::BrowserPeer dtls_;
    std::string ufrag_;
    suflyor::test::ToneGenerator tone_;
    std::uint32_t ssrc_;
    std::uint16_t seq_;
    std::uint32_t ts_;
    std::unique_ptr<Encoder> encoder_;
    std::unique_ptr<Decoder> decoder_;
    std::optional<SrtpSession> out_;
    std::optional<SrtpSession> in_;
    webrtc::SrtpProfile profile_{};
    std::vector<std::int16_t> heard_;
    std::vector<std::vector<std::uint8_t>> stun_;
    std::size_t media_packets_ = 0;
    std::size_t unreadable_ = 0;
    std::size_t srtcp_ = 0;
    std::size_t other_ = 0;
};

// The STUN class and (for errors) code of a response, or nullopt if it is not one for us.
struct StunReply {
    webrtc::stun::Class cls;
    int code;
    bool integrity_ok;
};
std::optional<StunReply> stun_reply(const std::vector<std::uint8_t>& datagram,
                                    std::string_view our_pwd) {
    const auto decoded = webrtc::stun::decode(datagram);
    if (!decoded.message) return std::nullopt;
    const auto& m = *decoded.message;
    return StunReply{m.cls, m.error ? m.error->code : 0, webrtc::stun::check_integrity(m, our_pwd)};
}

// A browser (slot 0, Opus over WebRTC) and a phone (slot 1, PCMU) bridged in one room.
struct BrowserCall {
    explicit BrowserCall(IoBackend io, const char* profiles = gcm_first)
        : engine(test_config(200, io), clock), browser(tone_a_hz, 0xB0B0, profiles),
          phone(tone_b_hz, -12.0, 0x1111) {
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
