// WebRTC offer/answer: a browser's offer, our answer (byte for byte what Chromium accepted),
// our offer to a browser and its answer, and the refusals.
#include "helpers.hpp"
#include "sdp/sdp.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::sdp {
namespace {

using namespace test;

// The inputs the fixtures were made with (fixtures/README.md).
const WebRtcLocal local{"Sufl", "Kq3vYx8pQz2mN7rT4wLs9bHd",
                        "sha-256 94:B6:CF:D1:FF:1E:5D:A4:4D:DC:23:C7:AE:E6:5F:F4:F5:7B:A7:FF:7F:"
                        "80:75:E7:06:F7:53:20:8F:D6:37:1B"};
const std::string our_address = "127.0.0.1";
constexpr std::uint16_t our_port = 40000;

Capabilities webrtc_caps(std::vector<Codec> codecs = {Codec::pcmu, Codec::pcma, Codec::g722,
                                                      Codec::opus}) {
    Capabilities caps;
    caps.codecs = std::move(codecs);
    caps.webrtc = true;
    return caps;
}

SessionDescription parsed(const std::string& text) {
    Parsed p = parse_sdp(text);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : to_string(p.error()));
    return p.ok() ? std::move(p).value() : SessionDescription{};
}

SessionDescription answer_to(const SessionDescription& offer, const Negotiated& n) {
    return build_answer(offer, n, our_address, our_port, 7, 1, local);
}

// Every attribute our answer's audio section must carry for a browser.
void expect_webrtc_section(const MediaDescription& m, Setup setup, const std::string& mid) {
    EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(m.port, our_port);
    EXPECT_EQ(m.connection_address, our_address);
    EXPECT_EQ(m.mid, mid);
    EXPECT_EQ(m.ice_ufrag, local.ice_ufrag);
    EXPECT_EQ(m.ice_pwd, local.ice_pwd);
    EXPECT_EQ(m.fingerprints, std::vector<Fingerprint>{*parse_fingerprint(local.fingerprint)});
    EXPECT_EQ(m.setup, setup);
    EXPECT_TRUE(m.rtcp_mux);
    EXPECT_FALSE(m.rtcp_rsize); // not echoed: the peer keeps sending compound RTCP
    ASSERT_EQ(m.candidates.size(), 1u);
    const Candidate& c = m.candidates[0];
    EXPECT_EQ(c.component, 1);
    EXPECT_EQ(c.transport, "UDP");
    EXPECT_EQ(c.priority, 2130706431u);
    EXPECT_EQ(c.address, our_address);
    EXPECT_EQ(c.port, our_port);
    EXPECT_EQ(c.type, "host");
    EXPECT_TRUE(m.end_of_candidates);
    EXPECT_TRUE(m.ice_options.empty());
}

TEST(SdpWebRtcNegotiate, ChromiumOfferGetsOpusAndTheAnswerChromiumAccepted) {
    const SessionDescription offer = parsed(fixture("chromium156_offer.sdp"));
    EXPECT_EQ(negotiate(offer, Capabilities{}).error(), NegotiationError::unsupported_proto);
    const auto chosen = negotiate(offer, webrtc_caps());
    ASSERT_TRUE(chosen.ok()) << to_string(chosen.error());
    const Negotiated& n = chosen.value();
    EXPECT_EQ(n.codec, Codec::opus);
    EXPECT_EQ(n.payload_type, 111);
    EXPECT_EQ(n.rtp_clock, 48000u);
    EXPECT_EQ(n.telephone_event_pt, 110);
    EXPECT_EQ(n.direction, Direction::sendrecv);
    EXPECT_EQ(n.remote_address, "192.0.2.2");
    EXPECT_EQ(n.remote_port, 55982);
    EXPECT_TRUE(n.rtcp_mux);
    ASSERT_TRUE(n.webrtc.has_value());
    const WebRtcNegotiated& w = *n.webrtc;
    EXPECT_EQ(w.remote.ice_ufrag, "ZAqE");
    EXPECT_EQ(w.remote.ice_pwd, "XIwgOoBbMq8c36DBCqYvNaD9");
    EXPECT_EQ(w.remote.fingerprint,
              (Fingerprint{"sha-256", "CA:73:D8:44:F4:78:DD:DE:04:2F:9C:1D:DA:B5:A4:4A:F0:D2:3D:"
                                      "E8:70:98:91:15:ED:14:A9:3A:A8:F1:F9:E8"}));
    EXPECT_EQ(w.remote.fingerprints, std::vector<Fingerprint>{w.remote.fingerprint});
    EXPECT_EQ(w.remote.setup, Setup::actpass);
    EXPECT_EQ(w.remote.candidates.size(), 4u);
    EXPECT_FALSE(w.remote.ice_lite);
    EXPECT_EQ(w.local_role, DtlsRole::server);
    EXPECT_EQ(w.mid, "0");
    EXPECT_TRUE(w.bundle);

    const SessionDescription answer = answer_to(offer, n);
    const std::string text = write_sdp(answer);
    EXPECT_EQ(text, fixture("our_answer_to_chromium156.sdp")); // Chromium 156 accepted it
    const SessionDescription back = parsed(text);
    EXPECT_EQ(back, answer);
    EXPECT_TRUE(back.ice_lite);
    EXPECT_EQ(back.bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
    ASSERT_EQ(back.media.size(), 1u);
    expect_webrtc_section(back.media[0], Setup::passive, "0");
    EXPECT_EQ(back.media[0].formats,
              (std::vector<Format>{
                  fmt(111, "opus", 48000, 2, "minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0"),
                  fmt(110, "telephone-event", 48000, 1, "0-15")}));
    EXPECT_EQ(back.media[0].direction, Direction::sendrecv);
}

TEST(SdpWebRtcNegotiate, RejectedVideoAndDataChannelKeepTheirMids) {
    const SessionDescription offer = parsed(fixture("chromium156_offer_audio_video_data.sdp"));
    const auto chosen = negotiate(offer, webrtc_caps());
    ASSERT_TRUE(chosen.ok()) << to_string(chosen.error());
    EXPECT_EQ(chosen->media_index, 0u);
    EXPECT_TRUE(chosen->webrtc->bundle);
    const SessionDescription answer = answer_to(offer, chosen.value());
    EXPECT_EQ(write_sdp(answer), fixture("our_answer_to_chromium156_audio_video_data.sdp"));
    EXPECT_EQ(answer.bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
    ASSERT_EQ(answer.media.size(), 3u);
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(answer.media[i].port, 0);
        EXPECT_EQ(answer.media[i].mid, offer.media[i].mid);
        EXPECT_TRUE(answer.media[i].candidates.empty());
        EXPECT_TRUE(answer.media[i].fingerprints.empty());
    }
}

TEST(SdpWebRtcNegotiate, FirefoxOffer) {
    const SessionDescription offer = parsed(std::string(firefox));
    const auto chosen = negotiate(offer, webrtc_caps());
    ASSERT_TRUE(chosen.ok()) << to_string(chosen.error());
    EXPECT_EQ(chosen->codec, Codec::opus);
    EXPECT_EQ(chosen->payload_type, 109);
    // Firefox offers telephone-event/8000 only, which does not fit Opus's clock (RFC 4733).
    EXPECT_EQ(chosen->telephone_event_pt, std::nullopt);
    EXPECT_EQ(chosen->remote_address, "203.0.113.5");
    EXPECT_EQ(chosen->webrtc->remote.fingerprint.value.substr(0, 5), "2E:5C");
    EXPECT_EQ(chosen->webrtc->remote.ice_ufrag, "8a3b6c1d");
    EXPECT_EQ(chosen->webrtc->remote.candidates.size(), 3u);
    EXPECT_EQ(chosen->webrtc->local_role, DtlsRole::server);
    const SessionDescription answer = parsed(write_sdp(answer_to(offer, chosen.value())));
    expect_webrtc_section(answer.media.at(0), Setup::passive, "0");
    EXPECT_EQ(answer.media[0].formats,
              std::vector<Format>{fmt(109, "opus", 48000, 2,
                                      "minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0")});
    EXPECT_EQ(answer.bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
    // Without Opus on our side: G.722 (Firefox's next), with telephone-event/8000.
    const auto narrow = negotiate(offer, webrtc_caps({Codec::pcmu, Codec::g722}));
    ASSERT_TRUE(narrow.ok());
    EXPECT_EQ(narrow->codec, Codec::g722);
    EXPECT_EQ(narrow->telephone_event_pt, 101);
    const SessionDescription g722_answer = answer_to(offer, narrow.value());
    EXPECT_EQ(
        g722_answer.media[0].formats,
        (std::vector<Format>{fmt(9, "G722", 8000), fmt(101, "telephone-event", 8000, 1, "0-15")}));
}

// Chromium's trickle offer (vectors.hpp, no candidates) without `remove`, plus `add` (at the end,
// that is in the audio section).
std::string chromium_with(std::string_view remove, std::string_view add = {}) {
    std::string text(chromium);
    if (!remove.empty()) {
        const std::size_t at = text.find(remove);
        EXPECT_NE(at, std::string::npos) << remove;
        if (at != std::string::npos) text.erase(at, remove.size());
    }
    return text + std::string(add);
}

TEST(SdpWebRtcNegotiate, RefusalsAndRoles) {
    using E = NegotiationError;
    struct Case {
        std::string_view why;
        std::string offer;
        E error;
    };
    const std::string fp = "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:"
                           "DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\n";
    const std::vector<Case> cases = {
        {"no fingerprint", chromium_with(fp), E::missing_fingerprint},
        {"md5 only",
         chromium_with(fp, "a=fingerprint:md5 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:"
                           "0E:0F:10\n"),
         E::missing_fingerprint},
        {"sha-256 of the wrong length", chromium_with(fp, "a=fingerprint:sha-256 01:02:03\n"),
         E::missing_fingerprint},
        {"no ice-ufrag", chromium_with("a=ice-ufrag:hJc3\n"), E::missing_ice_credentials},
        {"no ice-pwd", chromium_with("a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6gI\n"),
         E::missing_ice_credentials},
        {"ice-ufrag of 3", chromium_with("a=ice-ufrag:hJc3\n", "a=ice-ufrag:hJc\n"),
         E::missing_ice_credentials},
        {"ice-pwd of 21",
         chromium_with("a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6gI\n", "a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV\n"),
         E::missing_ice_credentials},
        {"no rtcp-mux", chromium_with("a=rtcp-mux\n"), E::missing_rtcp_mux},
        {"holdconn", chromium_with("a=setup:actpass\n", "a=setup:holdconn\n"), E::bad_setup},
        {"RTP/SAVPF with SDES only",
         "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
         "m=audio 4000 RTP/SAVPF 0\r\na=rtcp-mux\r\n"
         "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n",
         E::missing_fingerprint},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.why);
        const auto result = negotiate(parsed(c.offer), webrtc_caps());
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error(), c.error) << to_string(result.error());
    }
    EXPECT_EQ(negotiate(parsed(std::string(chromium)), webrtc_caps({})).error(),
              E::no_common_codec);
    // The shortest credentials RFC 8839 allows: 4 and 22 characters.
    EXPECT_TRUE(negotiate(parsed(chromium_with("a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6gI\n",
                                               "a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6\n")),
                          webrtc_caps())
                    .ok());

    struct Role {
        std::string_view setup_line;
        sdp::Setup remote;
        DtlsRole ours;
        sdp::Setup answered;
    };
    for (const Role& r :
         {Role{"a=setup:active\n", Setup::active, DtlsRole::server, Setup::passive},
          Role{"a=setup:passive\n", Setup::passive, DtlsRole::client, Setup::active},
          Role{"", Setup::active, DtlsRole::server, Setup::passive}}) {
        SCOPED_TRACE(r.setup_line);
        const SessionDescription offer = parsed(chromium_with("a=setup:actpass\n", r.setup_line));
        const auto n = negotiate(offer, webrtc_caps());
        ASSERT_TRUE(n.ok()) << to_string(n.error());
        EXPECT_EQ(n->webrtc->remote.setup, r.remote);
        EXPECT_EQ(n->webrtc->local_role, r.ours);
        EXPECT_EQ(answer_to(offer, n.value()).media[0].setup, r.answered);
    }
}

TEST(SdpWebRtcNegotiate, OpusWinsForBrowsersAndTrickleIsNotHold) {
    // PCMU listed first (JsSIP can reorder codecs): a browser leg still gets Opus.
    std::string text(chromium);
    text.replace(text.find("111 63 9 0 8"), 12, "0 8 9 111 63");
    const auto n = negotiate(parsed(text), webrtc_caps());
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->codec, Codec::opus);
    // A plain RTP offer keeps the offerer's order.
    std::string plain = text;
    plain.replace(plain.find("UDP/TLS/RTP/SAVPF"), 17, "RTP/AVP");
    EXPECT_EQ(negotiate(parsed(plain), webrtc_caps())->codec, Codec::pcmu);
    // c=0.0.0.0 (trickle): still sendrecv, unlike RFC 2543 hold on plain RTP.
    EXPECT_EQ(n->remote_address, "0.0.0.0");
    EXPECT_EQ(n->direction, Direction::sendrecv);
    EXPECT_EQ(negotiate(parsed(plain), webrtc_caps())->direction, Direction::recvonly);
}

TEST(SdpWebRtcOffer, OurOfferIsTheOneChromiumAnswered) {
    const SessionDescription offer =
        build_webrtc_offer(webrtc_caps(), local, our_address, our_port, Direction::sendrecv, 7, 1);
    const std::string text = write_sdp(offer);
    EXPECT_EQ(text, fixture("our_webrtc_offer.sdp"));
    const SessionDescription back = parsed(text);
    EXPECT_EQ(back, offer);
    EXPECT_TRUE(back.ice_lite);
    EXPECT_EQ(back.bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
    ASSERT_EQ(back.media.size(), 1u);
    expect_webrtc_section(back.media[0], Setup::actpass, "0");
    EXPECT_EQ(back.media[0].formats,
              (std::vector<Format>{
                  fmt(111, "opus", 48000, 2, "minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0"),
                  pcmu, pcma, g722, fmt(101, "telephone-event", 8000, 1, "0-15"),
                  fmt(110, "telephone-event", 48000, 1, "0-15")}));

    const auto accepted =
        accept_answer(back, parsed(fixture("chromium156_answer_to_our_offer.sdp")));
    ASSERT_TRUE(accepted.ok()) << to_string(accepted.error());
    EXPECT_EQ(accepted->codec, Codec::opus);
    EXPECT_EQ(accepted->payload_type, 111);
    EXPECT_EQ(accepted->telephone_event_pt, 110);
    EXPECT_EQ(accepted->direction, Direction::sendrecv);
    EXPECT_TRUE(accepted->rtcp_mux);
    ASSERT_TRUE(accepted->webrtc.has_value());
    EXPECT_EQ(accepted->webrtc->remote.setup, Setup::active);
    EXPECT_EQ(accepted->webrtc->local_role, DtlsRole::server);
    EXPECT_EQ(accepted->webrtc->remote.ice_ufrag, "vcM+");
    EXPECT_EQ(accepted->webrtc->remote.fingerprint.value.substr(0, 8), "E3:F6:36");
    EXPECT_EQ(accepted->webrtc->mid, "0");
    EXPECT_TRUE(accepted->webrtc->bundle);

    // Only what the caps hold; Opus first whatever their order.
    const SessionDescription g711 = build_webrtc_offer(
        webrtc_caps({Codec::pcma}), local, our_address, our_port, Direction::recvonly, 1, 1);
    EXPECT_EQ(g711.media.at(0).formats,
              (std::vector<Format>{pcma, fmt(101, "telephone-event", 8000, 1, "0-15")}));
    EXPECT_EQ(g711.media[0].direction, Direction::recvonly);
}

TEST(SdpWebRtcOffer, AcceptAnswerRefusals) {
    using E = NegotiationError;
    const SessionDescription offer =
        build_webrtc_offer(webrtc_caps(), local, our_address, our_port, Direction::sendrecv, 7, 1);
    const std::string answer = fixture("chromium156_answer_to_our_offer.sdp");
    const auto with = [&answer](std::string_view remove, std::string_view add = {}) {
        std::string text = answer;
        const std::size_t at = text.find(remove);
        EXPECT_NE(at, std::string::npos) << remove;
        if (at != std::string::npos) text.erase(at, remove.size());
        return text + std::string(add);
    };
    const std::string setup = "a=setup:active\r\n";
    struct Case {
        std::string_view why;
        std::string answer;
        Result<DtlsRole, E> expected;
    };
    const std::vector<Case> cases = {
        {"passive: we are the DTLS client", with(setup, "a=setup:passive\r\n"), DtlsRole::client},
        {"no setup: active (RFC 4145)", with(setup), DtlsRole::server},
        {"actpass is not an answer", with(setup, "a=setup:actpass\r\n"), E::bad_setup},
        {"holdconn", with(setup, "a=setup:holdconn\r\n"), E::bad_setup},
        {"no fingerprint",
         with("a=fingerprint:sha-256 E3:F6:36:E6:67:80:29:E1:CD:81:3C:08:32:CE:"
              "5A:1F:2F:A1:F9:35:69:4E:AD:AC:42:AA:76:7B:44:66:15:98\r\n"),
         E::missing_fingerprint},
        {"no ice-pwd", with("a=ice-pwd:diQBWl2iJEsKgM8JmdMQQ7DU\r\n"), E::missing_ice_credentials},
        {"no rtcp-mux", with("a=rtcp-mux\r\n"), E::missing_rtcp_mux},
        {"another mid", with("a=mid:0\r\n", "a=mid:1\r\n"), E::bad_answer},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.why);
        const auto result = accept_answer(offer, parsed(c.answer));
        ASSERT_EQ(result.ok(), c.expected.ok()) << (result.ok() ? "" : to_string(result.error()));
        if (result.ok())
            EXPECT_EQ(result->webrtc->local_role, c.expected.value());
        else
            EXPECT_EQ(result.error(), c.expected.error()) << to_string(result.error());
    }
}

TEST(SdpWebRtcOffer, BothSidesAgree) {
    // Our offer answered by ourselves: roles opposite, the same codec and credentials crossed.
    const WebRtcLocal peer{"Peer", "PeerPasswordPeerPassword",
                           "sha-1 01:02:03:04:05:06:07:08:09:"
                           "0A:0B:0C:0D:0E:0F:10:11:12:13:14"};
    const SessionDescription offer =
        build_webrtc_offer(webrtc_caps(), local, our_address, our_port, Direction::sendrecv, 7, 1);
    const auto as_answerer = negotiate(parsed(write_sdp(offer)), webrtc_caps());
    ASSERT_TRUE(as_answerer.ok()) << to_string(as_answerer.error());
    EXPECT_EQ(as_answerer->webrtc->remote.ice_ufrag, local.ice_ufrag);
    EXPECT_EQ(as_answerer->webrtc->remote.candidates.size(), 1u);
    EXPECT_EQ(as_answerer->remote_port, our_port);
    const SessionDescription answer =
        build_answer(offer, as_answerer.value(), "192.0.2.50", 50000, 9, 9, peer);
    const auto as_offerer = accept_answer(offer, parsed(write_sdp(answer)));
    ASSERT_TRUE(as_offerer.ok()) << to_string(as_offerer.error());
    EXPECT_EQ(as_offerer->codec, as_answerer->codec);
    EXPECT_EQ(as_offerer->payload_type, as_answerer->payload_type);
    EXPECT_NE(as_offerer->webrtc->local_role, as_answerer->webrtc->local_role);
    EXPECT_EQ(as_offerer->webrtc->remote.ice_ufrag, "Peer");
    EXPECT_EQ(as_offerer->webrtc->remote.fingerprint, *parse_fingerprint(peer.fingerprint));
    EXPECT_EQ(as_offerer->remote_address, "192.0.2.50");
    EXPECT_EQ(as_offerer->remote_port, 50000);
}

TEST(SdpWebRtc, StrongestKnownFingerprintIsTheOneToVerify) {
    std::string sha1_value(59, '0');
    for (std::size_t i = 2; i < sha1_value.size(); i += 3)
        sha1_value[i] = ':';
    std::string sha384_value(143, 'A');
    for (std::size_t i = 2; i < sha384_value.size(); i += 3)
        sha384_value[i] = ':';
    const auto n =
        negotiate(parsed(std::string(chromium) + "a=fingerprint:SHA-1 " + sha1_value +
                         "\na=fingerprint:sha-384 " + sha384_value + "\na=fingerprint:md5 01:02\n"),
                  webrtc_caps());
    ASSERT_TRUE(n.ok()) << to_string(n.error());
    EXPECT_EQ(n->webrtc->remote.fingerprint, (Fingerprint{"sha-384", sha384_value}));
    EXPECT_EQ(n->webrtc->remote.fingerprints.size(), 4u);
    // Without the sha-384 one: sha-256 beats SHA-1 (names compared case-insensitively).
    const auto m = negotiate(
        parsed(std::string(chromium) + "a=fingerprint:SHA-1 " + sha1_value + "\n"), webrtc_caps());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->webrtc->remote.fingerprint.hash, "sha-256");
}

TEST(SdpWebRtc, LocalCredentialsAndNames) {
    EXPECT_TRUE(is_valid(local));
    EXPECT_FALSE(is_valid(WebRtcLocal{"abc", local.ice_pwd, local.fingerprint}));
    EXPECT_FALSE(is_valid(WebRtcLocal{"ab-c", local.ice_pwd, local.fingerprint}));
    EXPECT_FALSE(is_valid(WebRtcLocal{local.ice_ufrag, "short", local.fingerprint}));
    EXPECT_FALSE(is_valid(WebRtcLocal{local.ice_ufrag, local.ice_pwd, "AB:CD"}));
    EXPECT_EQ(parse_fingerprint("sha-256 AB:cd"), (Fingerprint{"sha-256", "AB:cd"}));
    EXPECT_FALSE(parse_fingerprint("sha-256").has_value());
    EXPECT_EQ(host_candidate_priority, 2130706431u);
    EXPECT_EQ(to_string(Setup::actpass), "actpass");
    EXPECT_EQ(to_string(Setup::active), "active");
    EXPECT_EQ(to_string(Setup::passive), "passive");
    EXPECT_EQ(to_string(Setup::holdconn), "holdconn");
    EXPECT_EQ(to_string(DtlsRole::client), "client");
    EXPECT_EQ(to_string(DtlsRole::server), "server");
    EXPECT_EQ(to_string(NegotiationError::missing_fingerprint), "missing_fingerprint");
    EXPECT_EQ(to_string(NegotiationError::missing_ice_credentials), "missing_ice_credentials");
    EXPECT_EQ(to_string(NegotiationError::missing_rtcp_mux), "missing_rtcp_mux");
    EXPECT_EQ(to_string(NegotiationError::bad_setup), "bad_setup");
}

} // namespace
} // namespace suflyor::sdp
