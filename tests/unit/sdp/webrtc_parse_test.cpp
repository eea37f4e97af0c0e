// WebRTC attributes: parsing real browser offers, writing them back, and the malformed cases.
#include "helpers.hpp"
#include "sdp/sdp.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::sdp {
namespace {

using namespace test;

Candidate candidate(std::string foundation, std::string transport, std::uint32_t priority,
                    std::string address, std::uint16_t port, std::string type,
                    std::string extensions = {}) {
    Candidate c;
    c.foundation = std::move(foundation);
    c.transport = std::move(transport);
    c.priority = priority;
    c.address = std::move(address);
    c.port = port;
    c.type = std::move(type);
    c.extensions = std::move(extensions);
    return c;
}

TEST(SdpWebRtcParse, ChromiumOfferEveryAttribute) {
    const std::string text = fixture("chromium156_offer.sdp");
    ASSERT_FALSE(text.empty());
    const Parsed parsed = parse_sdp(text);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const SessionDescription& s = parsed.value();
    EXPECT_FALSE(s.ice_lite);
    EXPECT_EQ(s.bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
    ASSERT_EQ(s.media.size(), 1u);
    const MediaDescription& m = s.media[0];
    EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(is_webrtc_proto(m.proto));
    EXPECT_EQ(m.port, 55982);
    EXPECT_EQ(m.connection_address, "192.0.2.2");
    EXPECT_EQ(m.mid, "0");
    EXPECT_EQ(m.ice_ufrag, "ZAqE");
    EXPECT_EQ(m.ice_pwd, "XIwgOoBbMq8c36DBCqYvNaD9");
    EXPECT_EQ(m.ice_options, std::vector<std::string>{"trickle"});
    EXPECT_EQ(m.fingerprints,
              (std::vector<Fingerprint>{{"sha-256", "CA:73:D8:44:F4:78:DD:DE:04:2F:9C:1D:DA:B5:A4:"
                                                    "4A:F0:D2:3D:E8:70:98:91:15:ED:14:A9:3A:A8:F1:"
                                                    "F9:E8"}}));
    EXPECT_EQ(m.setup, Setup::actpass);
    EXPECT_TRUE(m.rtcp_mux);
    EXPECT_TRUE(m.rtcp_rsize);
    EXPECT_EQ(m.rtcp_port, 9);
    EXPECT_FALSE(m.end_of_candidates); // Chromium never writes it in an offer
    EXPECT_EQ(m.candidates, (std::vector<Candidate>{
                                candidate("2093258024", "udp", 2122194687, "192.0.2.2", 55982,
                                          "host", "generation 0 network-id 1"),
                                candidate("3080869064", "udp", 2122265343, "fd00::2", 53449, "host",
                                          "generation 0 network-id 2"),
                                candidate("2188263868", "tcp", 1518214911, "192.0.2.2", 9, "host",
                                          "tcptype active generation 0 network-id 1"),
                                candidate("1225293916", "tcp", 1518285567, "fd00::2", 9, "host",
                                          "tcptype active generation 0 network-id 2"),
                            }));
    // ssrc, msid, extmap, rtcp-fb: dropped. The formats: all eight, Opus first.
    ASSERT_EQ(m.formats.size(), 8u);
    EXPECT_EQ(m.formats[0], fmt(111, "opus", 48000, 2, "minptime=10;useinbandfec=1"));
    EXPECT_EQ(m.formats[6], fmt(110, "telephone-event", 48000));
    // Written and read back: the same description.
    const Parsed again = parse_sdp(write_sdp(s));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), s);
}

TEST(SdpWebRtcParse, ChromiumAudioVideoDataOfferKeepsEveryMid) {
    const Parsed parsed = parse_sdp(fixture("chromium156_offer_audio_video_data.sdp"));
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const SessionDescription& s = parsed.value();
    EXPECT_EQ(s.bundle_groups, (std::vector<std::vector<std::string>>{{"0", "1", "2"}}));
    ASSERT_EQ(s.media.size(), 3u);
    EXPECT_EQ(s.media[1].media, "video");
    EXPECT_EQ(s.media[1].mid, "1");
    EXPECT_EQ(s.media[1].direction, Direction::recvonly);
    EXPECT_EQ(s.media[2].proto, "UDP/DTLS/SCTP");
    EXPECT_EQ(s.media[2].other_formats, std::vector<std::string>{"webrtc-datachannel"});
    EXPECT_EQ(s.media[2].mid, "2");
    // Bundled sections share the transport: the same credentials and fingerprint everywhere.
    for (const MediaDescription& m : s.media) {
        EXPECT_EQ(m.ice_ufrag, s.media[0].ice_ufrag);
        EXPECT_EQ(m.fingerprints, s.media[0].fingerprints);
        EXPECT_EQ(m.setup, Setup::actpass);
    }
    EXPECT_EQ(parse_sdp(write_sdp(s)).value(), s);
}

TEST(SdpWebRtcParse, FirefoxSessionLevelAttributesAreInherited) {
    for (const std::string& text : {std::string(firefox), to_crlf(firefox)}) {
        const Parsed parsed = parse_sdp(text);
        ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
        const MediaDescription& m = parsed->media.at(0);
        EXPECT_EQ(m.fingerprints.size(), 1u);
        EXPECT_EQ(m.fingerprints.at(0).hash, "sha-256");
        EXPECT_EQ(m.ice_options, std::vector<std::string>{"trickle"});
        EXPECT_EQ(m.ice_ufrag, "8a3b6c1d");
        EXPECT_EQ(m.ice_pwd, "5f1c3a9e0b7d4c2a8e6f1b3d5a7c9e0f");
        EXPECT_EQ(m.setup, Setup::actpass);
        EXPECT_TRUE(m.end_of_candidates);
        EXPECT_FALSE(m.rtcp_rsize);
        EXPECT_EQ(m.connection_address, "203.0.113.5");
        Candidate srflx = candidate("1", "UDP", 1686052863, "203.0.113.5", 49703, "srflx");
        srflx.related_address = "192.168.1.34";
        srflx.related_port = 49703;
        ASSERT_EQ(m.candidates.size(), 3u);
        EXPECT_EQ(m.candidates[1].extensions, "tcptype active");
        EXPECT_EQ(m.candidates[2], srflx);
        EXPECT_EQ(parse_sdp(write_sdp(parsed.value())).value(), parsed.value());
    }
}

TEST(SdpWebRtcParse, WritesTheAttributesAtMediaLevel) {
    SessionDescription s;
    s.session_id = 1;
    s.session_version = 2;
    s.origin_address = "192.0.2.1";
    s.connection_address = "192.0.2.1";
    s.ice_lite = true;
    s.bundle_groups = {{"a", "b"}, {}};
    MediaDescription m;
    m.media = "audio";
    m.port = 4000;
    m.proto = "UDP/TLS/RTP/SAVPF";
    m.formats = {pcmu};
    m.connection_address = "192.0.2.1";
    m.rtcp_mux = true;
    m.rtcp_rsize = true;
    m.mid = "a";
    m.ice_ufrag = "u+/1";
    m.ice_pwd = "0123456789abcdefghijkl";
    m.ice_options = {"trickle", "renomination"};
    m.fingerprints = {{"sha-1", "AB:CD"}, {"sha-256", "01:23"}};
    m.setup = Setup::passive;
    Candidate relay = candidate("x1", "udp", 7, "198.51.100.1", 3478, "relay", "generation 0");
    relay.related_address = "203.0.113.9";
    relay.related_port = 50000;
    m.candidates = {candidate("1", "UDP", host_candidate_priority, "192.0.2.1", 4000, "host"),
                    relay};
    m.end_of_candidates = true;
    s.media.push_back(m);
    const std::string text = write_sdp(s);
    EXPECT_EQ(text, "v=0\r\n"
                    "o=- 1 2 IN IP4 192.0.2.1\r\n"
                    "s=-\r\n"
                    "c=IN IP4 192.0.2.1\r\n"
                    "t=0 0\r\n"
                    "a=ice-lite\r\n"
                    "a=group:BUNDLE a b\r\n"
                    "a=group:BUNDLE\r\n"
                    "m=audio 4000 UDP/TLS/RTP/SAVPF 0\r\n"
                    "a=rtpmap:0 PCMU/8000\r\n"
                    "a=ptime:20\r\n"
                    "a=rtcp-mux\r\n"
                    "a=rtcp-rsize\r\n"
                    "a=mid:a\r\n"
                    "a=ice-ufrag:u+/1\r\n"
                    "a=ice-pwd:0123456789abcdefghijkl\r\n"
                    "a=ice-options:trickle renomination\r\n"
                    "a=fingerprint:sha-1 AB:CD\r\n"
                    "a=fingerprint:sha-256 01:23\r\n"
                    "a=setup:passive\r\n"
                    "a=candidate:1 1 UDP 2130706431 192.0.2.1 4000 typ host\r\n"
                    "a=candidate:x1 1 udp 7 198.51.100.1 3478 typ relay raddr 203.0.113.9 rport "
                    "50000 generation 0\r\n"
                    "a=end-of-candidates\r\n"
                    "a=sendrecv\r\n");
    const Parsed parsed = parse_sdp(text);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    EXPECT_EQ(parsed.value(), s);
}

// A plain offer with one extra line in the session section and one in the media section.
std::string offer_lines(std::string_view session_line, std::string_view media_line) {
    return "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n" +
           std::string(session_line) + "m=audio 4000 UDP/TLS/RTP/SAVPF 0\r\n" +
           std::string(media_line);
}

TEST(SdpWebRtcParse, LenientWhereBrowsersDiffer) {
    // Candidates the parser does not understand are dropped, never the offer.
    const Parsed odd = parse_sdp(offer_lines(
        "a=ice-lite\r\na=group:LS 0 1\r\na=end-of-candidates\r\na=setup:active\r\n",
        "a=candidate:1 1 udp 2113937151 0b5a0bd4-2d63-4c5f-9a3e-3b1e0e4f6d7a.local 54400 typ "
        "host generation 0\r\n"
        "a=candidate:2 1 udp 5 192.0.2.1 9 host\r\n"                          // no "typ"
        "a=candidate:3 0 udp 5 192.0.2.1 9 typ host\r\n"                      // component 0
        "a=candidate:4 1 udp -5 192.0.2.1 9 typ host\r\n"                     // priority
        "a=candidate:5 1 udp 5 192.0.2.1 70000 typ host\r\n"                  // port
        "a=candidate:6 1 udp 5 192.0.2.1 9 typ srflx raddr 1.2.3 rport 9\r\n" // raddr
        "a=candidate:7 1 udp 5 192.0.2.1 9 typ srflx raddr 192.0.2.2 rport x\r\n"
        "a=candidate:8 1 udp 5 192.0.2.1 9 typ srflx raddr 192.0.2.2\r\n" // rport missing: ok
        "a=candidate:\r\n"
        "a=ice-lite\r\n"       // media level: ignored
        "a=group:BUNDLE 0\r\n" // media level: ignored
        "a=mid:audio-1\r\n"));
    ASSERT_TRUE(odd.ok()) << to_string(odd.error());
    EXPECT_TRUE(odd->ice_lite);
    EXPECT_TRUE(odd->bundle_groups.empty()); // LS groups are not kept
    const MediaDescription& m = odd->media.at(0);
    ASSERT_EQ(m.candidates.size(), 2u);
    EXPECT_EQ(m.candidates[0].address, "0b5a0bd4-2d63-4c5f-9a3e-3b1e0e4f6d7a.local");
    EXPECT_EQ(m.candidates[1].foundation, "8");
    EXPECT_EQ(m.candidates[1].related_address, "192.0.2.2");
    EXPECT_FALSE(m.candidates[1].related_port.has_value());
    EXPECT_TRUE(m.end_of_candidates);  // inherited from the session
    EXPECT_EQ(m.setup, Setup::active); // inherited from the session
    EXPECT_EQ(m.mid, "audio-1");
    EXPECT_EQ(parse_sdp(write_sdp(odd.value())).value(), odd.value());

    // Media-level values win over session-level ones.
    const Parsed over =
        parse_sdp(offer_lines("a=ice-ufrag:sess\r\na=ice-pwd:sessionpassword0123456789\r\n"
                              "a=fingerprint:sha-1 AA:BB\r\na=ice-options:trickle\r\n",
                              "a=ice-ufrag:med1\r\na=fingerprint:sha-256 CC:DD\r\n"
                              "a=fingerprint:sha-512 EE:FF\r\na=ice-options:\r\n"));
    ASSERT_TRUE(over.ok()) << to_string(over.error());
    EXPECT_EQ(over->media[0].ice_ufrag, "med1");
    EXPECT_EQ(over->media[0].ice_pwd, "sessionpassword0123456789");
    EXPECT_EQ(over->media[0].fingerprints,
              (std::vector<Fingerprint>{{"sha-256", "CC:DD"}, {"sha-512", "EE:FF"}}));
    EXPECT_EQ(over->media[0].ice_options, std::vector<std::string>{"trickle"}); // empty: inherited
}

TEST(SdpWebRtcParse, MalformedWebRtcAttributesAreRejected) {
    struct Case {
        std::string_view why;
        std::string session_line, media_line;
        SdpError error;
    };
    const std::vector<Case> cases = {
        {"fingerprint without value", "", "a=fingerprint:sha-256\r\n", SdpError::bad_attribute},
        {"fingerprint odd hex", "", "a=fingerprint:sha-256 AB:C\r\n", SdpError::bad_attribute},
        {"fingerprint not hex", "", "a=fingerprint:sha-256 AB:CG\r\n", SdpError::bad_attribute},
        {"fingerprint no colons", "", "a=fingerprint:sha-256 ABCD\r\n", SdpError::bad_attribute},
        {"fingerprint trailing colon", "", "a=fingerprint:sha-256 AB:\r\n",
         SdpError::bad_attribute},
        {"fingerprint extra field", "", "a=fingerprint:sha-256 AB:CD x\r\n",
         SdpError::bad_attribute},
        {"fingerprint hash not a token", "a=fingerprint:sha(256) AB:CD\r\n", "",
         SdpError::bad_attribute},
        {"fingerprint over 64 bytes", "",
         "a=fingerprint:sha-512 " +
             [] {
                 std::string v = "00";
                 for (int i = 0; i < 64; ++i)
                     v += ":00";
                 return v;
             }() +
             "\r\n",
         SdpError::bad_attribute},
        {"setup unknown", "", "a=setup:both\r\n", SdpError::bad_attribute},
        {"setup twice", "", "a=setup:active\r\na=setup:active\r\n", SdpError::bad_attribute},
        {"setup twice at session level", "a=setup:active\r\na=setup:passive\r\n", "",
         SdpError::bad_attribute},
        {"ufrag with a space", "", "a=ice-ufrag:ab cd\r\n", SdpError::bad_attribute},
        {"ufrag empty", "", "a=ice-ufrag:\r\n", SdpError::bad_attribute},
        {"ufrag not ice-char", "", "a=ice-ufrag:ab-cd\r\n", SdpError::bad_attribute},
        {"ufrag twice", "", "a=ice-ufrag:abcd\r\na=ice-ufrag:abcd\r\n", SdpError::bad_attribute},
        {"ufrag too long", "", "a=ice-ufrag:" + std::string(257, 'a') + "\r\n",
         SdpError::bad_attribute},
        {"pwd twice", "a=ice-pwd:0123456789abcdefghijkl\r\na=ice-pwd:0123456789abcdefghijkl\r\n",
         "", SdpError::bad_attribute},
        {"ice-options not a token", "a=ice-options:trickle a/b\r\n", "", SdpError::bad_attribute},
        {"mid empty", "", "a=mid:\r\n", SdpError::bad_attribute},
        {"mid not a token", "", "a=mid:a/b\r\n", SdpError::bad_attribute},
        {"mid twice", "", "a=mid:0\r\na=mid:1\r\n", SdpError::bad_attribute},
        {"BUNDLE mid not a token", "a=group:BUNDLE 0 a:b\r\n", "", SdpError::bad_attribute},
        {"nine fingerprints", "",
         [] {
             std::string lines;
             for (int i = 0; i < 9; ++i)
                 lines += "a=fingerprint:sha-1 AB:CD\r\n";
             return lines;
         }(),
         SdpError::too_large},
        {"65 candidates", "",
         [] {
             std::string lines;
             for (int i = 0; i < 65; ++i)
                 lines += "a=candidate:" + std::to_string(i) + " 1 udp 1 192.0.2.1 9 typ host\r\n";
             return lines;
         }(),
         SdpError::too_large},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.why);
        const Parsed parsed = parse_sdp(offer_lines(c.session_line, c.media_line));
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error(), c.error) << to_string(parsed.error());
    }
    // The limits themselves are fine.
    std::string eight, sixty_four;
    for (int i = 0; i < 8; ++i)
        eight += "a=fingerprint:sha-1 AB:CD\r\n";
    for (int i = 0; i < 64; ++i)
        sixty_four += "a=candidate:" + std::to_string(i) + " 1 udp 1 192.0.2.1 9 typ host\r\n";
    EXPECT_EQ(parse_sdp(offer_lines("", eight))->media[0].fingerprints.size(), max_fingerprints);
    EXPECT_EQ(parse_sdp(offer_lines("", sixty_four))->media[0].candidates.size(),
              max_candidates_per_media);
}

TEST(SdpWebRtcParse, PlainRtpHoldIsNotWebRtcTrickle) {
    MediaDescription m;
    m.connection_address = "0.0.0.0";
    m.proto = "UDP/TLS/RTP/SAVPF";
    EXPECT_FALSE(is_hold(m)); // a trickling browser, not RFC 2543 hold
    m.direction = Direction::sendonly;
    EXPECT_TRUE(is_hold(m));
    m.direction = Direction::sendrecv;
    m.proto = "RTP/AVP";
    EXPECT_TRUE(is_hold(m));
    EXPECT_TRUE(is_webrtc_proto("RTP/SAVPF"));
    EXPECT_TRUE(is_webrtc_proto("udp/tls/rtp/savpf"));
    EXPECT_FALSE(is_webrtc_proto("RTP/SAVP"));
    EXPECT_FALSE(is_webrtc_proto("UDP/DTLS/SCTP"));
}

} // namespace
} // namespace suflyor::sdp
