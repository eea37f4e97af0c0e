#include "helpers.hpp"
#include "sdp/sdp.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::sdp {
namespace {

using namespace test;

const Capabilities all_codecs{};

Capabilities only(std::vector<Codec> codecs, bool telephone_event = true) {
    return Capabilities{std::move(codecs), telephone_event};
}

Negotiated expect(Codec codec, std::uint8_t pt, std::optional<std::uint8_t> te, Direction direction,
                  std::string address, std::uint16_t port, bool rtcp_mux = false,
                  std::size_t index = 0, std::optional<std::uint16_t> rtcp_port = std::nullopt) {
    Negotiated n;
    n.codec = codec;
    n.payload_type = pt;
    n.rtp_clock = rtp_clock(codec);
    n.telephone_event_pt = te;
    n.direction = direction;
    n.remote_address = std::move(address);
    n.remote_port = port;
    n.rtcp_mux = rtcp_mux;
    n.media_index = index;
    n.remote_rtcp_port = rtcp_port;
    return n;
}

// A small offer: the standard session lines followed by `media`.
std::string offer_with(std::string_view media, std::string_view session_c = "192.0.2.9") {
    std::string text = "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\n";
    if (!session_c.empty()) text += "c=IN IP4 " + std::string(session_c) + "\r\n";
    return text + "t=0 0\r\n" + std::string(media);
}

struct NegotiateCase {
    std::string_view why;
    std::string offer;
    Capabilities ours;
    Result<Negotiated, NegotiationError> expected;
};

TEST(SdpNegotiate, AnswererPicksTheOfferersFirstSupportedCodec) {
    using D = Direction;
    using E = NegotiationError;
    const std::string g711_te = "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 "
                                "telephone-event/8000\r\na=fmtp:101 0-15\r\n";
    const std::vector<NegotiateCase> cases = {
        {"baresip G.711", std::string(baresip_g711), all_codecs,
         expect(Codec::pcmu, 0, 101, D::sendrecv, "192.168.1.20", 10166)},
        // telephone-event/8000 does not fit Opus's 48 kHz clock (RFC 4733 §2.4.1): dropped.
        {"baresip opus first", std::string(baresip_opus), all_codecs,
         expect(Codec::opus, 96, std::nullopt, D::sendrecv, "192.168.1.20", 10300)},
        {"baresip, we lack opus and G722", std::string(baresip_opus),
         only({Codec::pcma, Codec::pcmu}),
         expect(Codec::pcmu, 0, 101, D::sendrecv, "192.168.1.20", 10300)},
        {"baresip, we lack opus", std::string(baresip_opus), only({Codec::pcmu, Codec::g722}),
         expect(Codec::g722, 9, 101, D::sendrecv, "192.168.1.20", 10300)},
        {"sipp uac", std::string(sipp_uac), all_codecs,
         expect(Codec::pcmu, 0, std::nullopt, D::sendrecv, "127.0.0.1", 6000)},
        {"sipp uac_pcap", std::string(sipp_uac_pcap), all_codecs,
         expect(Codec::pcma, 8, 101, D::sendrecv, "127.0.0.1", 6000)},
        {"polycom G722 first", std::string(polycom), all_codecs,
         expect(Codec::g722, 9, 101, D::sendrecv, "10.0.0.51", 2222)},
        {"polycom, no telephone-event", std::string(polycom), only({Codec::pcmu}, false),
         expect(Codec::pcmu, 0, std::nullopt, D::sendrecv, "10.0.0.51", 2222)},
        {"cisco media-level c=", std::string(cisco), all_codecs,
         expect(Codec::g722, 9, 101, D::sendrecv, "10.0.0.60", 19822)},
        {"asterisk PCMA first beats our PCMU", std::string(asterisk), all_codecs,
         expect(Codec::pcma, 8, 101, D::sendrecv, "203.0.113.10", 13468)},
        {"asterisk, we only PCMU", std::string(asterisk), only({Codec::pcmu}),
         expect(Codec::pcmu, 0, 101, D::sendrecv, "203.0.113.10", 13468)},
        {"asterisk hold: sendonly -> recvonly", std::string(asterisk_hold), all_codecs,
         expect(Codec::pcma, 8, 101, D::recvonly, "203.0.113.10", 13468)},
        {"audio+video over IPv6, rtcp-mux", std::string(audio_video_ip6), all_codecs,
         expect(Codec::pcmu, 0, 101, D::sendrecv, "2001:db8::10", 49170, true)},
        {"opus renumbered to 97", std::string(audio_video_ip6), only({Codec::opus}),
         expect(Codec::opus, 97, std::nullopt, D::sendrecv, "2001:db8::10", 49170, true)},
        {"telephone-event/48000 with opus",
         offer_with("m=audio 4000 RTP/AVP 111 126 110\r\na=rtpmap:111 opus/48000/2\r\n"
                    "a=rtpmap:126 telephone-event/8000\r\na=rtpmap:110 telephone-event/48000\r\n"),
         all_codecs, expect(Codec::opus, 111, 110, D::sendrecv, "192.0.2.9", 4000)},
        {"opus/48000 without channel count",
         offer_with("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 OPUS/48000\r\n"), all_codecs,
         expect(Codec::opus, 96, std::nullopt, D::sendrecv, "192.0.2.9", 4000)},
        {"recvonly -> sendonly", offer_with(g711_te + "a=recvonly\r\n"), all_codecs,
         expect(Codec::pcmu, 0, 101, D::sendonly, "192.0.2.9", 4000)},
        {"inactive -> inactive", offer_with(g711_te + "a=inactive\r\n"), all_codecs,
         expect(Codec::pcmu, 0, 101, D::inactive, "192.0.2.9", 4000)},
        {"RFC 2543 hold c=0.0.0.0 sendrecv -> recvonly", offer_with(g711_te, "0.0.0.0"), all_codecs,
         expect(Codec::pcmu, 0, 101, D::recvonly, "0.0.0.0", 4000)},
        {"c=0.0.0.0 recvonly -> inactive", offer_with(g711_te + "a=recvonly\r\n", "0.0.0.0"),
         all_codecs, expect(Codec::pcmu, 0, 101, D::inactive, "0.0.0.0", 4000)},
        {"RTP/AVPF is plain enough",
         offer_with("m=audio 4000 RTP/AVPF 8\r\na=rtcp:4001\r\na=ptime:30\r\n"), all_codecs,
         [] {
             Negotiated n = expect(Codec::pcma, 8, std::nullopt, D::sendrecv, "192.0.2.9", 4000,
                                   false, 0, 4001);
             n.remote_ptime_ms = 30;
             return n;
         }()},
        {"SDES-SRTP line skipped for the plain one (best-effort SRTP)",
         offer_with("m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
                    "m=audio 4002 RTP/AVP 0\r\n"),
         all_codecs,
         expect(Codec::pcmu, 0, std::nullopt, D::sendrecv, "192.0.2.9", 4002, false, 1)},
        {"first audio has no common codec, second has",
         offer_with("m=audio 4000 RTP/AVP 18\r\nm=audio 4002 RTP/AVP 8\r\n"), all_codecs,
         expect(Codec::pcma, 8, std::nullopt, D::sendrecv, "192.0.2.9", 4002, false, 1)},
        {"case-insensitive media and encoding",
         offer_with("m=AUDIO 4000 RTP/AVP 96\r\na=rtpmap:96 pcmu/8000\r\n"), all_codecs,
         expect(Codec::pcmu, 96, std::nullopt, D::sendrecv, "192.0.2.9", 4000)},
        {"chromium DTLS-SRTP", std::string(chromium), all_codecs, E::unsupported_proto},
        {"SAVP only", offer_with("m=audio 4000 RTP/SAVP 0\r\n"), all_codecs, E::unsupported_proto},
        {"asterisk, we only opus", std::string(asterisk), only({Codec::opus}), E::no_common_codec},
        {"cisco, we have nothing", std::string(cisco), only({}), E::no_common_codec},
        {"G.729 only", offer_with("m=audio 4000 RTP/AVP 18\r\n"), all_codecs, E::no_common_codec},
        {"PCMU at the wrong clock",
         offer_with("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n"), all_codecs,
         E::no_common_codec},
        {"G722 at its sample rate is not G722/8000",
         offer_with("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 G722/16000\r\n"), all_codecs,
         E::no_common_codec},
        {"T.38 with audio disabled", std::string(t38_reinvite), all_codecs, E::no_audio},
        {"video only", offer_with("m=video 4000 RTP/AVP 31\r\n"), all_codecs, E::no_audio},
        {"no m= at all", offer_with(""), all_codecs, E::no_audio},
        {"no c= anywhere", offer_with("m=audio 4000 RTP/AVP 0\r\n", ""), all_codecs,
         E::bad_address},
    };
    for (const NegotiateCase& c : cases) {
        SCOPED_TRACE(c.why);
        const Parsed offer = parse_sdp(c.offer);
        ASSERT_TRUE(offer.ok()) << to_string(offer.error());
        const auto result = negotiate(offer.value(), c.ours);
        ASSERT_EQ(result.ok(), c.expected.ok())
            << (result.ok() ? std::string("ok") : std::string(to_string(result.error())));
        if (result.ok())
            EXPECT_EQ(result.value(), c.expected.value());
        else
            EXPECT_EQ(result.error(), c.expected.error()) << to_string(result.error());
    }
}

struct AnswerCase {
    std::string_view why;
    std::string_view offer;
    Capabilities ours;
    std::string_view answer;
};

TEST(SdpBuildAnswer, ExactAnswersToRealOffers) {
    const std::vector<AnswerCase> cases = {
        {"polycom", polycom, all_codecs,
         "v=0\r\no=- 7 8 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
         "m=audio 40000 RTP/AVP 9 101\r\n"
         "a=rtpmap:9 G722/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n"
         "a=fmtp:101 0-15\r\n"
         "a=ptime:20\r\n"
         "a=sendrecv\r\n"},
        {"baresip opus: codec as written, its fmtp not echoed, no telephone-event", baresip_opus,
         all_codecs,
         "v=0\r\no=- 7 8 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
         "m=audio 40000 RTP/AVP 96\r\n"
         "a=rtpmap:96 opus/48000/2\r\n"
         "a=ptime:20\r\n"
         "a=sendrecv\r\n"},
        {"audio+video: video rejected, rtcp-mux echoed", audio_video_ip6, all_codecs,
         "v=0\r\no=- 7 8 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
         "m=audio 40000 RTP/AVP 0 101\r\n"
         "a=rtpmap:0 PCMU/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n"
         "a=fmtp:101 0-15\r\n"
         "a=ptime:20\r\n"
         "a=rtcp-mux\r\n"
         "a=sendrecv\r\n"
         "m=video 0 RTP/AVP 96 31\r\n"
         "a=rtpmap:96 H264/90000\r\n"
         "a=rtpmap:31 H261/90000\r\n"
         "a=inactive\r\n"},
        {"asterisk hold answered recvonly", asterisk_hold, all_codecs,
         "v=0\r\no=- 7 8 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
         "m=audio 40000 RTP/AVP 8 101\r\n"
         "a=rtpmap:8 PCMA/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n"
         "a=fmtp:101 0-15\r\n"
         "a=ptime:20\r\n"
         "a=recvonly\r\n"},
        {"SRTP line rejected, plain line answered",
         "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
         "m=audio 4000 RTP/SAVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n",
         all_codecs,
         "v=0\r\no=- 7 8 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
         "m=audio 0 RTP/SAVP 0\r\n"
         "a=rtpmap:0 PCMU/8000\r\n"
         "a=ptime:20\r\n"
         "a=inactive\r\n"
         "m=audio 40000 RTP/AVP 0\r\n"
         "a=rtpmap:0 PCMU/8000\r\n"
         "a=ptime:20\r\n"
         "a=inactive\r\n"},
    };
    for (const AnswerCase& c : cases) {
        SCOPED_TRACE(c.why);
        const Parsed offer = parse_sdp(c.offer);
        ASSERT_TRUE(offer.ok());
        const auto chosen = negotiate(offer.value(), c.ours);
        ASSERT_TRUE(chosen.ok()) << to_string(chosen.error());
        const SessionDescription answer =
            build_answer(offer.value(), chosen.value(), "198.51.100.1", 40000, 7, 8);
        const std::string text = write_sdp(answer);
        EXPECT_EQ(text, c.answer);
        // The offerer reading our answer agrees on codec, PTs, and sees our address.
        const Parsed parsed_answer = parse_sdp(text);
        ASSERT_TRUE(parsed_answer.ok());
        EXPECT_EQ(parsed_answer.value(), answer);
        const auto seen = accept_answer(offer.value(), parsed_answer.value());
        ASSERT_TRUE(seen.ok()) << to_string(seen.error());
        EXPECT_EQ(seen->codec, chosen->codec);
        EXPECT_EQ(seen->payload_type, chosen->payload_type);
        EXPECT_EQ(seen->telephone_event_pt, chosen->telephone_event_pt);
        EXPECT_EQ(seen->remote_address, "198.51.100.1");
        EXPECT_EQ(seen->remote_port, 40000);
        EXPECT_EQ(seen->media_index, chosen->media_index);
        EXPECT_EQ(seen->rtcp_mux, chosen->rtcp_mux);
    }
}

TEST(SdpBuildOffer, ExactOffers) {
    EXPECT_EQ(write_sdp(build_offer(all_codecs, "192.0.2.5", 30000, Direction::sendrecv, 42, 1)),
              "v=0\r\no=- 42 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
              "m=audio 30000 RTP/AVP 0 8 9 111 101 110\r\n"
              "a=rtpmap:0 PCMU/8000\r\n"
              "a=rtpmap:8 PCMA/8000\r\n"
              "a=rtpmap:9 G722/8000\r\n"
              "a=rtpmap:111 opus/48000/2\r\n"
              "a=rtpmap:101 telephone-event/8000\r\n"
              "a=rtpmap:110 telephone-event/48000\r\n"
              "a=fmtp:101 0-15\r\n"
              "a=fmtp:110 0-15\r\n"
              "a=ptime:20\r\n"
              "a=sendrecv\r\n");
    EXPECT_EQ(write_sdp(build_offer(only({Codec::pcma, Codec::pcma}, false), "2001:db8::5", 30000,
                                    Direction::sendonly, 42, 2)),
              "v=0\r\no=- 42 2 IN IP6 2001:db8::5\r\ns=-\r\nc=IN IP6 2001:db8::5\r\nt=0 0\r\n"
              "m=audio 30000 RTP/AVP 8\r\n"
              "a=rtpmap:8 PCMA/8000\r\n"
              "a=ptime:20\r\n"
              "a=sendonly\r\n");
    EXPECT_EQ(
        write_sdp(build_offer(only({Codec::opus}), "192.0.2.5", 30000, Direction::inactive, 1, 1)),
        "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
        "m=audio 30000 RTP/AVP 111 110\r\n"
        "a=rtpmap:111 opus/48000/2\r\n"
        "a=rtpmap:110 telephone-event/48000\r\n"
        "a=fmtp:110 0-15\r\n"
        "a=ptime:20\r\n"
        "a=inactive\r\n");
}

// Our outgoing leg offers; a peer (also this code) answers; we read the answer.
TEST(SdpOfferAnswer, BothSidesAgree) {
    struct Case {
        Capabilities offerer, answerer;
        Direction offered;
        Codec codec;
        std::uint8_t pt;
        std::optional<std::uint8_t> te;
        Direction answerer_direction, offerer_direction;
    };
    using D = Direction;
    const std::vector<Case> cases = {
        {all_codecs, all_codecs, D::sendrecv, Codec::pcmu, 0, 101, D::sendrecv, D::sendrecv},
        {all_codecs, only({Codec::opus}), D::sendrecv, Codec::opus, 111, 110, D::sendrecv,
         D::sendrecv},
        {only({Codec::g722, Codec::pcma}), all_codecs, D::sendonly, Codec::g722, 9, 101,
         D::recvonly, D::sendonly},
        {all_codecs, only({Codec::pcma}, false), D::inactive, Codec::pcma, 8, std::nullopt,
         D::inactive, D::inactive},
        {all_codecs, all_codecs, D::recvonly, Codec::pcmu, 0, 101, D::sendonly, D::recvonly},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(to_string(c.codec));
        const auto offer =
            parse_sdp(write_sdp(build_offer(c.offerer, "192.0.2.5", 30000, c.offered, 100, 1)));
        ASSERT_TRUE(offer.ok());
        const auto chosen = negotiate(offer.value(), c.answerer);
        ASSERT_TRUE(chosen.ok()) << to_string(chosen.error());
        EXPECT_EQ(chosen.value(),
                  expect(c.codec, c.pt, c.te, c.answerer_direction, "192.0.2.5", 30000));
        const auto answer = parse_sdp(
            write_sdp(build_answer(offer.value(), chosen.value(), "192.0.2.6", 31000, 200, 1)));
        ASSERT_TRUE(answer.ok());
        const auto accepted = accept_answer(offer.value(), answer.value());
        ASSERT_TRUE(accepted.ok()) << to_string(accepted.error());
        EXPECT_EQ(accepted.value(),
                  expect(c.codec, c.pt, c.te, c.offerer_direction, "192.0.2.6", 31000));
    }
}

struct AcceptCase {
    std::string_view why;
    Direction offered;
    std::string answer_media; // m= section(s) of the answer
    std::string answer_c;
    Result<Negotiated, NegotiationError> expected;
};

TEST(SdpAcceptAnswer, ReadsThePeersAnswerToOurOffer) {
    using D = Direction;
    using E = NegotiationError;
    const std::vector<AcceptCase> cases = {
        {"sipp uas: PCMU only", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
         "127.0.0.1", expect(Codec::pcmu, 0, std::nullopt, D::sendrecv, "127.0.0.1", 6000)},
        {"opus + telephone-event/48000", D::sendrecv,
         "m=audio 6000 RTP/AVP 111 110\r\na=rtpmap:111 opus/48000/2\r\n"
         "a=rtpmap:110 telephone-event/48000\r\na=rtcp-mux\r\n",
         "192.0.2.7", expect(Codec::opus, 111, 110, D::sendrecv, "192.0.2.7", 6000)},
        {"opus renumbered by the answerer; 8 kHz events do not fit", D::sendrecv,
         "m=audio 6000 RTP/AVP 96 101\r\na=rtpmap:96 opus/48000/2\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n",
         "192.0.2.7", expect(Codec::opus, 96, std::nullopt, D::sendrecv, "192.0.2.7", 6000)},
        {"codec we did not offer skipped", D::sendrecv,
         "m=audio 6000 RTP/AVP 18 8 101\r\na=rtpmap:101 telephone-event/8000\r\n", "192.0.2.7",
         expect(Codec::pcma, 8, 101, D::sendrecv, "192.0.2.7", 6000)},
        {"answer sendonly: we only receive", D::sendrecv,
         "m=audio 6000 RTP/AVP 0\r\na=sendonly\r\n", "192.0.2.7",
         expect(Codec::pcmu, 0, std::nullopt, D::recvonly, "192.0.2.7", 6000)},
        {"answer recvonly: we only send", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\na=recvonly\r\n",
         "192.0.2.7", expect(Codec::pcmu, 0, std::nullopt, D::sendonly, "192.0.2.7", 6000)},
        {"answer sendrecv to our sendonly stays sendonly", D::sendonly,
         "m=audio 6000 RTP/AVP 0\r\n", "192.0.2.7",
         expect(Codec::pcmu, 0, std::nullopt, D::sendonly, "192.0.2.7", 6000)},
        {"answer c=0.0.0.0: never send there", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\n", "0.0.0.0",
         expect(Codec::pcmu, 0, std::nullopt, D::recvonly, "0.0.0.0", 6000)},
        {"answer inactive", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\na=inactive\r\n", "192.0.2.7",
         expect(Codec::pcmu, 0, std::nullopt, D::inactive, "192.0.2.7", 6000)},
        {"audio rejected", D::sendrecv, "m=audio 0 RTP/AVP 0\r\n", "192.0.2.7", E::no_audio},
        {"extra m= line", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n",
         "192.0.2.7", E::bad_answer},
        {"m= line of another media", D::sendrecv, "m=video 6000 RTP/AVP 31\r\n", "192.0.2.7",
         E::bad_answer},
        {"codec we never offered", D::sendrecv, "m=audio 6000 RTP/AVP 3 18\r\n", "192.0.2.7",
         E::no_common_codec},
        {"proto changed", D::sendrecv, "m=audio 6000 RTP/SAVP 0\r\n", "192.0.2.7",
         E::unsupported_proto},
        {"no address", D::sendrecv, "m=audio 6000 RTP/AVP 0\r\n", "", E::bad_address},
    };
    for (const AcceptCase& c : cases) {
        SCOPED_TRACE(c.why);
        const SessionDescription offer =
            build_offer(all_codecs, "192.0.2.5", 30000, c.offered, 1, 1);
        std::string text = "v=0\r\no=- 5 5 IN IP4 192.0.2.7\r\ns=-\r\n";
        if (!c.answer_c.empty()) text += "c=IN IP4 " + c.answer_c + "\r\n";
        const Parsed answer = parse_sdp(text + "t=0 0\r\n" + c.answer_media);
        ASSERT_TRUE(answer.ok()) << to_string(answer.error());
        const auto result = accept_answer(offer, answer.value());
        ASSERT_EQ(result.ok(), c.expected.ok())
            << (result.ok() ? std::string("ok") : std::string(to_string(result.error())));
        if (result.ok())
            EXPECT_EQ(result.value(), c.expected.value());
        else
            EXPECT_EQ(result.error(), c.expected.error()) << to_string(result.error());
    }
}

TEST(SdpHold, DetectsSendonlyInactiveAndNullAddress) {
    struct Case {
        Direction direction;
        std::string address;
        bool hold;
    };
    const std::vector<Case> cases = {
        {Direction::sendrecv, "192.0.2.1", false}, {Direction::recvonly, "192.0.2.1", false},
        {Direction::sendonly, "192.0.2.1", true},  {Direction::inactive, "192.0.2.1", true},
        {Direction::sendrecv, "0.0.0.0", true},    {Direction::recvonly, "0.0.0.0", true},
        {Direction::sendrecv, "::", true},         {Direction::sendrecv, "2001:db8::1", false},
    };
    for (const Case& c : cases) {
        MediaDescription m;
        m.direction = c.direction;
        m.connection_address = c.address;
        EXPECT_EQ(is_hold(m), c.hold) << to_string(c.direction) << " " << c.address;
    }
    EXPECT_TRUE(is_hold(parse_sdp(asterisk_hold)->media.at(0)));
    EXPECT_FALSE(is_hold(parse_sdp(asterisk)->media.at(0)));
}

TEST(SdpNegotiate, Names) {
    EXPECT_EQ(to_string(Codec::pcmu), "PCMU");
    EXPECT_EQ(to_string(Codec::pcma), "PCMA");
    EXPECT_EQ(to_string(Codec::g722), "G722");
    EXPECT_EQ(to_string(Codec::opus), "opus");
    EXPECT_EQ(rtp_clock(Codec::g722), 8000u);
    EXPECT_EQ(rtp_clock(Codec::opus), 48000u);
    EXPECT_EQ(to_string(NegotiationError::no_audio), "no_audio");
    EXPECT_EQ(to_string(NegotiationError::no_common_codec), "no_common_codec");
    EXPECT_EQ(to_string(NegotiationError::unsupported_proto), "unsupported_proto");
    EXPECT_EQ(to_string(NegotiationError::bad_address), "bad_address");
    EXPECT_EQ(to_string(NegotiationError::bad_answer), "bad_answer");
}

} // namespace
} // namespace suflyor::sdp
