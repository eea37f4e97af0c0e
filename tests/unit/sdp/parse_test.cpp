#include "helpers.hpp"
#include "sdp/sdp.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::sdp {
namespace {

using namespace test;

struct VectorCase {
    std::string_view name;
    std::string_view text;
    SessionDescription expected;
};

const std::vector<VectorCase>& vector_cases() {
    static const std::vector<VectorCase> cases = {
        {"baresip_g711",
         baresip_g711,
         {"-",
          1280113346,
          3658018917,
          "192.168.1.20",
          "-",
          "192.168.1.20",
          {{.media = "audio",
            .port = 10166,
            .proto = "RTP/AVP",
            .formats = {pcmu, pcma, fmt(101, "telephone-event", 8000, 1, "0-15")},
            .connection_address = "192.168.1.20",
            .rtcp_rsize = true}}}},
        {"baresip_opus",
         baresip_opus,
         {"-",
          1419716596,
          2082374585,
          "192.168.1.20",
          "-",
          "192.168.1.20",
          {{.media = "audio",
            .port = 10300,
            .proto = "RTP/AVP",
            .formats = {fmt(96, "opus", 48000, 2, "stereo=1;sprop-stereo=1"), g722, pcmu, pcma,
                        fmt(101, "telephone-event", 8000, 1, "0-15")},
            .connection_address = "192.168.1.20",
            .rtcp_rsize = true}}}},
        {"sipp_uac",
         sipp_uac,
         {"user1",
          53655765,
          2353687637,
          "127.0.0.1",
          "-",
          "127.0.0.1",
          {{.media = "audio",
            .port = 6000,
            .proto = "RTP/AVP",
            .formats = {pcmu},
            .connection_address = "127.0.0.1"}}}},
        {"sipp_uac_pcap",
         sipp_uac_pcap,
         {"user1",
          53655765,
          2353687637,
          "127.0.0.1",
          "-",
          "127.0.0.1",
          {{.media = "audio",
            .port = 6000,
            .proto = "RTP/AVP",
            .formats = {pcma, fmt(101, "telephone-event", 8000, 1, "0-11,16")},
            .connection_address = "127.0.0.1"}}}},
        {"polycom",
         polycom,
         {"-",
          1700000000,
          1700000000,
          "10.0.0.51",
          "Polycom IP Phone",
          "10.0.0.51",
          {{.media = "audio",
            .port = 2222,
            .proto = "RTP/AVP",
            .formats = {g722, pcmu, pcma, fmt(18, "G729", 8000, 1, "annexb=no"),
                        fmt(101, "telephone-event", 8000, 1, "0-15")},
            .connection_address = "10.0.0.51"}}}},
        {"cisco",
         cisco,
         {"Cisco-SIPUA",
          18982,
          0,
          "10.0.0.60",
          "SIP Call",
          "",
          {{.media = "audio",
            .port = 19822,
            .proto = "RTP/AVP",
            .formats = {g722, pcmu, pcma, fmt(116, "iLBC", 8000, 1, "mode=20"),
                        fmt(18, "G729", 8000, 1, "annexb=yes"),
                        fmt(101, "telephone-event", 8000, 1, "0-15")},
            .connection_address = "10.0.0.60"}}}},
        {"asterisk",
         asterisk,
         {"-",
          1234567890,
          1234567892,
          "203.0.113.10",
          "Asterisk",
          "203.0.113.10",
          {{.media = "audio",
            .port = 13468,
            .proto = "RTP/AVP",
            .formats = {pcma, pcmu, gsm, fmt(101, "telephone-event", 8000, 1, "0-16")},
            .connection_address = "203.0.113.10"}}}},
        {"asterisk_hold",
         asterisk_hold,
         {"-",
          1234567890,
          1234567893,
          "203.0.113.10",
          "Asterisk",
          "203.0.113.10",
          {{.media = "audio",
            .port = 13468,
            .proto = "RTP/AVP",
            .formats = {pcma, fmt(101, "telephone-event", 8000, 1, "0-16")},
            .connection_address = "203.0.113.10",
            .direction = Direction::sendonly}}}},
        {"chromium",
         chromium,
         {"-",
          4611731400430051336,
          2,
          "127.0.0.1",
          "-",
          "",
          {{.media = "audio",
            .port = 9,
            .proto = "UDP/TLS/RTP/SAVPF",
            .formats = {fmt(111, "opus", 48000, 2, "minptime=10;useinbandfec=1"),
                        fmt(63, "red", 48000, 2, "111/111"), g722, pcmu, pcma, fmt(13, "CN", 8000),
                        fmt(110, "telephone-event", 48000), fmt(126, "telephone-event", 8000)},
            .connection_address = "0.0.0.0",
            .rtcp_mux = true,
            .rtcp_port = 9,
            .mid = "0",
            .ice_ufrag = "hJc3",
            .ice_pwd = "Xk8qxSHu5QHH0Yd2fq1hV6gI",
            .ice_options = {"trickle"},
            .fingerprints = {{"sha-256", "7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:"
                                         "64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08"}},
            .setup = Setup::actpass}},
          false,
          {{"0"}}}},
        {"audio_video_ip6",
         audio_video_ip6,
         {"alice",
          2890844526,
          2890844527,
          "2001:db8::10",
          "-",
          "2001:db8::10",
          {{.media = "audio",
            .port = 49170,
            .proto = "RTP/AVP",
            .formats = {pcmu, fmt(97, "opus", 48000, 2),
                        fmt(101, "telephone-event", 8000, 1, "0-15")},
            .connection_address = "2001:db8::10",
            .rtcp_mux = true},
           {.media = "video",
            .port = 51372,
            .proto = "RTP/AVP",
            .formats = {fmt(96, "H264", 90000, 1, "profile-level-id=42e01f;packetization-mode=1"),
                        fmt(31, "H261", 90000)},
            .connection_address = "2001:db8::10"}}}},
        {"t38_reinvite",
         t38_reinvite,
         {"-",
          3938,
          3939,
          "gw1.example.net",
          "-",
          "198.51.100.7",
          {{.media = "audio",
            .port = 0,
            .proto = "RTP/AVP",
            .formats = {pcmu},
            .connection_address = "198.51.100.7"},
           {.media = "image",
            .port = 4002,
            .proto = "udptl",
            .other_formats = {"t38"},
            .connection_address = "198.51.100.7"}}}},
    };
    return cases;
}

TEST(SdpParse, RealProductOffersWithLfAndCrlf) {
    for (const VectorCase& c : vector_cases()) {
        SCOPED_TRACE(c.name);
        for (const std::string& text : {std::string(c.text), to_crlf(c.text)}) {
            const Parsed parsed = parse_sdp(text);
            ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
            EXPECT_EQ(parsed.value(), c.expected);
        }
    }
}

TEST(SdpParse, WriteThenParseGivesTheSameDescription) {
    for (const VectorCase& c : vector_cases()) {
        SCOPED_TRACE(c.name);
        const std::string written = write_sdp(c.expected);
        const Parsed again = parse_sdp(written);
        ASSERT_TRUE(again.ok()) << to_string(again.error()) << "\n" << written;
        EXPECT_EQ(again.value(), c.expected);
        EXPECT_EQ(write_sdp(again.value()), written);
    }
}

TEST(SdpWrite, ExactTextWithCrlfInRfc4566Order) {
    const Parsed cisco_offer = parse_sdp(cisco);
    ASSERT_TRUE(cisco_offer.ok());
    // No session c= (Cisco puts it in the media section); unknown attributes and b= dropped.
    EXPECT_EQ(write_sdp(cisco_offer.value()), "v=0\r\n"
                                              "o=Cisco-SIPUA 18982 0 IN IP4 10.0.0.60\r\n"
                                              "s=SIP Call\r\n"
                                              "t=0 0\r\n"
                                              "m=audio 19822 RTP/AVP 9 0 8 116 18 101\r\n"
                                              "c=IN IP4 10.0.0.60\r\n"
                                              "a=rtpmap:9 G722/8000\r\n"
                                              "a=rtpmap:0 PCMU/8000\r\n"
                                              "a=rtpmap:8 PCMA/8000\r\n"
                                              "a=rtpmap:116 iLBC/8000\r\n"
                                              "a=rtpmap:18 G729/8000\r\n"
                                              "a=rtpmap:101 telephone-event/8000\r\n"
                                              "a=fmtp:116 mode=20\r\n"
                                              "a=fmtp:18 annexb=yes\r\n"
                                              "a=fmtp:101 0-15\r\n"
                                              "a=ptime:20\r\n"
                                              "a=sendrecv\r\n");
    const Parsed chrome = parse_sdp(chromium);
    ASSERT_TRUE(chrome.ok());
    SessionDescription audio_video = chrome.value();
    audio_video.media.push_back(parse_sdp(audio_video_ip6).value().media[1]);
    audio_video.media[1].ptime_ms = 33; // not audio: ptime written only when not the default
    EXPECT_EQ(write_sdp(audio_video), "v=0\r\n"
                                      "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
                                      "s=-\r\n"
                                      "t=0 0\r\n"
                                      "a=group:BUNDLE 0\r\n"
                                      "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
                                      "c=IN IP4 0.0.0.0\r\n"
                                      "a=rtpmap:111 opus/48000/2\r\n"
                                      "a=rtpmap:63 red/48000/2\r\n"
                                      "a=rtpmap:9 G722/8000\r\n"
                                      "a=rtpmap:0 PCMU/8000\r\n"
                                      "a=rtpmap:8 PCMA/8000\r\n"
                                      "a=rtpmap:13 CN/8000\r\n"
                                      "a=rtpmap:110 telephone-event/48000\r\n"
                                      "a=rtpmap:126 telephone-event/8000\r\n"
                                      "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
                                      "a=fmtp:63 111/111\r\n"
                                      "a=ptime:20\r\n"
                                      "a=rtcp:9\r\n"
                                      "a=rtcp-mux\r\n"
                                      "a=mid:0\r\n"
                                      "a=ice-ufrag:hJc3\r\n"
                                      "a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6gI\r\n"
                                      "a=ice-options:trickle\r\n"
                                      "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:"
                                      "3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:"
                                      "08\r\n"
                                      "a=setup:actpass\r\n"
                                      "a=sendrecv\r\n"
                                      "m=video 51372 RTP/AVP 96 31\r\n"
                                      "c=IN IP6 2001:db8::10\r\n"
                                      "a=rtpmap:96 H264/90000\r\n"
                                      "a=rtpmap:31 H261/90000\r\n"
                                      "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n"
                                      "a=ptime:33\r\n"
                                      "a=sendrecv\r\n");
}

// What sloppy but real peers send, and what it parses to.
TEST(SdpParse, LenientWhereRealPhonesAreSloppy) {
    const std::string sloppy = "v=0 \r\n"
                               "o=-  1   2 IN IP4 192.0.2.1\t\r\n" // runs of blanks
                               "s=\r\n"                            // empty session name
                               "\r\n"                              // blank line
                               "c=IN IP4 233.252.0.1/127/2\r\n"    // multicast TTL and count
                               "t=0 0\r\n"
                               "z=2882844526 -1h 2898848070 0\r\n" // time zones: ignored
                               "k=prompt\r\n"
                               "X=vendor extension line\r\n"
                               "a=ptime:30\r\n" // session-level default
                               "a=inactive\r\n" // session-level default
                               "a=x-custom\r\n" // unknown flag
                               "m=audio 5004/2 RTP/AVP 0 98 8\r\n"
                               "a=rtpmap:0 pcmu/8000\r\n" // lower case, kept as written
                               "a=fmtp:98   mode=30 \r\n" // no rtpmap for 98: unknown
                               "a=rtcp:5009 IN IP4 192.0.2.1\r\n"
                               "m=audio 6000 RTP/AVP 8\n" // LF only from here
                               "a=ptime:20.0\n"
                               "a=recvonly\n"
                               "a=rtcp-mux\n";
    const Parsed parsed = parse_sdp(sloppy);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const SessionDescription expected{
        "-",
        1,
        2,
        "192.0.2.1",
        "-",
        "233.252.0.1",
        {{.media = "audio",
          .port = 5004,
          .proto = "RTP/AVP",
          .formats = {fmt(0, "pcmu", 8000), fmt(98, "", 0, 1, "mode=30"), pcma},
          .connection_address = "233.252.0.1",
          .direction = Direction::inactive,
          .rtcp_port = 5009,
          .ptime_ms = 30},
         {.media = "audio",
          .port = 6000,
          .proto = "RTP/AVP",
          .formats = {pcma},
          .connection_address = "233.252.0.1",
          .direction = Direction::recvonly,
          .rtcp_mux = true,
          .ptime_ms = 20}}};
    EXPECT_EQ(parsed.value(), expected);
}

TEST(SdpParse, StaticPayloadTypesGetRfc3551Defaults) {
    const Parsed parsed = parse_sdp("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                                    "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                                    "m=audio 4000 RTP/AVP 0 3 4 8 9 10 13 18 96\r\n");
    ASSERT_TRUE(parsed.ok());
    const std::vector<Format> expected = {pcmu,
                                          gsm,
                                          fmt(4, "G723", 8000),
                                          pcma,
                                          g722,
                                          fmt(10, "L16", 44100, 2),
                                          fmt(13, "CN", 8000),
                                          g729,
                                          fmt(96, "", 0)};
    EXPECT_EQ(parsed->media.at(0).formats, expected);
}

TEST(SdpParse, LimitsAreInclusive) {
    const std::string head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n";
    std::string many_media = head;
    for (int i = 0; i < 64; ++i)
        many_media += "m=audio " + std::to_string(4000 + 2 * i) + " RTP/AVP 0\r\n";
    const Parsed sixty_four = parse_sdp(many_media);
    ASSERT_TRUE(sixty_four.ok());
    EXPECT_EQ(sixty_four->media.size(), 64u);
    EXPECT_EQ(parse_sdp(many_media + "m=audio 9000 RTP/AVP 0\r\n").error(), SdpError::too_large);

    std::string all_pts = head + "m=audio 4000 RTP/AVP";
    for (int pt = 0; pt < 128; ++pt)
        all_pts += " " + std::to_string(pt);
    const Parsed full = parse_sdp(all_pts + "\r\n");
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->media.at(0).formats.size(), 128u);
    EXPECT_EQ(full->media.at(0).formats.at(127).payload_type, 127);

    std::string big = head + "m=audio 4000 RTP/AVP 0\r\n";
    const std::string filler = "a=x-filler:" + std::string(50, 'f') + "\r\n";
    while (big.size() + filler.size() <= max_sdp_size)
        big += filler;
    big += std::string(max_sdp_size - big.size(), '\n');
    ASSERT_EQ(big.size(), max_sdp_size);
    EXPECT_TRUE(parse_sdp(big).ok());
    EXPECT_EQ(parse_sdp(big + "\n").error(), SdpError::too_large);
}

struct MalformedCase {
    std::string_view why;
    std::string text; // after the standard prefix unless it starts with "v="
    SdpError error;
};

// Lines that make a valid description; the table appends to or replaces them.
constexpr std::string_view valid_head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                                        "c=IN IP4 192.0.2.1\r\nt=0 0\r\n";
constexpr std::string_view valid_media = "m=audio 4000 RTP/AVP 0 101\r\n";

std::string with_media(std::string_view lines) {
    return std::string(valid_head) + std::string(valid_media) + std::string(lines);
}
std::string with_head(std::string_view lines) {
    return std::string(valid_head) + std::string(lines);
}

TEST(SdpParse, MalformedInputsAreRejectedWithTheRightError) {
    const std::string many_formats = [] {
        std::string m = "m=audio 4000 udptl";
        for (int i = 0; i < 129; ++i)
            m += " t38";
        return with_head(m + "\r\n");
    }();
    const std::vector<MalformedCase> cases = {
        {"nothing", "", SdpError::empty},
        {"blank lines only", "\r\n\n  \r\n", SdpError::empty},
        {"o= first", "o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\ns=-\r\n", SdpError::missing_version},
        {"not sdp", "INVITE sip:bob@example.com SIP/2.0\r\n", SdpError::missing_version},
        {"v=1", "v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", SdpError::bad_version},
        {"v=00", "v=00\r\n", SdpError::bad_version},
        {"no equals sign", with_head("this is not sdp\r\n"), SdpError::bad_line},
        {"empty type", with_head("=x\r\n"), SdpError::bad_line},
        {"digit type", with_head("1=x\r\n"), SdpError::bad_line},
        {"leading blank", with_head(" a=sendrecv\r\n"), SdpError::bad_line},
        {"second v=", with_head("v=0\r\n"), SdpError::bad_line},
        {"second s=", with_head("s=again\r\n"), SdpError::bad_line},
        {"s= in media", with_media("s=late\r\n"), SdpError::bad_line},
        {"NUL in a line", with_head(std::string("a=tool:x\0y\r\n", 13)), SdpError::bad_line},
        {"bare CR inside a line", with_head("a=tool:x\ry\r\n"), SdpError::bad_line},
        {"no o=", "v=0\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
         SdpError::missing_origin},
        {"o= five fields", "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", SdpError::bad_origin},
        {"o= seven fields", "v=0\r\no=- 1 1 IN IP4 192.0.2.1 x\r\ns=-\r\n", SdpError::bad_origin},
        {"o= id not a number", "v=0\r\no=- 1a 1 IN IP4 192.0.2.1\r\ns=-\r\n", SdpError::bad_origin},
        {"o= id over 64 bits", "v=0\r\no=- 18446744073709551616 1 IN IP4 192.0.2.1\r\ns=-\r\n",
         SdpError::bad_origin},
        {"o= negative version", "v=0\r\no=- 1 -1 IN IP4 192.0.2.1\r\ns=-\r\n",
         SdpError::bad_origin},
        {"o= nettype", "v=0\r\no=- 1 1 ATM NSAP 47.0005\r\ns=-\r\n", SdpError::bad_origin},
        {"o= addrtype", "v=0\r\no=- 1 1 IN IP5 192.0.2.1\r\ns=-\r\n", SdpError::bad_origin},
        {"o= bad dotted quad", "v=0\r\no=- 1 1 IN IP4 192.0.2.256\r\ns=-\r\n",
         SdpError::bad_origin},
        {"o= IPv6 under IP4", "v=0\r\no=- 1 1 IN IP4 2001:db8::1\r\ns=-\r\n", SdpError::bad_origin},
        {"second o=", with_head("o=- 2 2 IN IP4 192.0.2.1\r\n"), SdpError::bad_origin},
        {"o= in media", with_media("o=- 2 2 IN IP4 192.0.2.1\r\n"), SdpError::bad_origin},
        {"no s=", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", SdpError::missing_session_name},
        {"c= two fields", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4\r\n",
         SdpError::bad_connection},
        {"c= four fields", with_media("c=IN IP4 192.0.2.1 192.0.2.2\r\n"),
         SdpError::bad_connection},
        {"c= three octets", with_media("c=IN IP4 192.0.2\r\n"), SdpError::bad_connection},
        {"c= IPv4 under IP6", with_media("c=IN IP6 192.0.2.1\r\n"), SdpError::bad_connection},
        {"c= bad IPv6", with_media("c=IN IP6 2001:db8:::1\r\n"), SdpError::bad_connection},
        {"c= bad name", with_media("c=IN IP4 -host.example.com\r\n"), SdpError::bad_connection},
        {"c= bad TTL", with_media("c=IN IP4 233.252.0.1/ttl\r\n"), SdpError::bad_connection},
        {"c= nettype", with_media("c=ATM IP4 192.0.2.1\r\n"), SdpError::bad_connection},
        {"second session c=", with_head("c=IN IP4 192.0.2.2\r\n"), SdpError::bad_connection},
        {"second media c=", with_media("c=IN IP4 192.0.2.2\r\nc=IN IP4 192.0.2.3\r\n"),
         SdpError::bad_connection},
        {"m= no fields", with_head("m=audio\r\n"), SdpError::bad_media},
        {"m= no format", with_head("m=audio 4000 RTP/AVP\r\n"), SdpError::bad_media},
        {"m= port too big", with_head("m=audio 65536 RTP/AVP 0\r\n"), SdpError::bad_media},
        {"m= negative port", with_head("m=audio -1 RTP/AVP 0\r\n"), SdpError::bad_media},
        {"m= port not a number", with_head("m=audio x RTP/AVP 0\r\n"), SdpError::bad_media},
        {"m= bad port count", with_head("m=audio 4000/x RTP/AVP 0\r\n"), SdpError::bad_media},
        {"m= PT 128", with_head("m=audio 4000 RTP/AVP 0 128\r\n"), SdpError::bad_media},
        {"m= PT not a number", with_head("m=audio 4000 RTP/AVP PCMU\r\n"), SdpError::bad_media},
        {"m= PT twice", with_head("m=audio 4000 RTP/AVP 0 8 0\r\n"), SdpError::bad_media},
        {"m= media not a token", with_head("m=au:dio 4000 RTP/AVP 0\r\n"), SdpError::bad_media},
        {"rtpmap PT not listed", with_media("a=rtpmap:8 PCMA/8000\r\n"), SdpError::bad_rtpmap},
        {"rtpmap at session level", with_head("a=rtpmap:0 PCMU/8000\r\n"), SdpError::bad_rtpmap},
        {"rtpmap no clock", with_media("a=rtpmap:101 telephone-event\r\n"), SdpError::bad_rtpmap},
        {"rtpmap clock 0", with_media("a=rtpmap:101 telephone-event/0\r\n"), SdpError::bad_rtpmap},
        {"rtpmap clock not a number", with_media("a=rtpmap:101 telephone-event/8k\r\n"),
         SdpError::bad_rtpmap},
        {"rtpmap clock over 32 bits", with_media("a=rtpmap:101 telephone-event/4294967296\r\n"),
         SdpError::bad_rtpmap},
        {"rtpmap channels 0", with_media("a=rtpmap:101 telephone-event/8000/0\r\n"),
         SdpError::bad_rtpmap},
        {"rtpmap channels 256", with_media("a=rtpmap:101 telephone-event/8000/256\r\n"),
         SdpError::bad_rtpmap},
        {"rtpmap no encoding", with_media("a=rtpmap:101 /8000\r\n"), SdpError::bad_rtpmap},
        {"rtpmap no PT", with_media("a=rtpmap: PCMU/8000\r\n"), SdpError::bad_rtpmap},
        {"rtpmap extra field", with_media("a=rtpmap:101 telephone-event/8000 x\r\n"),
         SdpError::bad_rtpmap},
        {"rtpmap twice",
         with_media("a=rtpmap:101 telephone-event/8000\r\na=rtpmap:101 telephone-event/8000\r\n"),
         SdpError::bad_rtpmap},
        {"fmtp PT not listed", with_media("a=fmtp:102 0-15\r\n"), SdpError::bad_fmtp},
        {"fmtp at session level", with_head("a=fmtp:101 0-15\r\n"), SdpError::bad_fmtp},
        {"fmtp without parameters", with_media("a=fmtp:101\r\n"), SdpError::bad_fmtp},
        {"fmtp PT not a number", with_media("a=fmtp:te 0-15\r\n"), SdpError::bad_fmtp},
        {"fmtp twice", with_media("a=fmtp:101 0-15\r\na=fmtp:101 0-16\r\n"), SdpError::bad_fmtp},
        {"ptime not a number", with_media("a=ptime:twenty\r\n"), SdpError::bad_attribute},
        {"ptime 0", with_media("a=ptime:0\r\n"), SdpError::bad_attribute},
        {"ptime empty", with_head("a=ptime:\r\n"), SdpError::bad_attribute},
        {"rtcp port too big", with_media("a=rtcp:70000\r\n"), SdpError::bad_attribute},
        {"rtcp no port", with_media("a=rtcp:\r\n"), SdpError::bad_attribute},
        {"empty attribute", with_media("a=\r\n"), SdpError::bad_attribute},
        {"attribute without name", with_media("a=:x\r\n"), SdpError::bad_attribute},
        {"129 formats", many_formats, SdpError::too_large},
        {"over 64 KiB", with_media(std::string(max_sdp_size, '\n')), SdpError::too_large},
    };
    for (const MalformedCase& c : cases) {
        SCOPED_TRACE(c.why);
        const Parsed parsed = parse_sdp(c.text);
        ASSERT_FALSE(parsed.ok()) << write_sdp(parsed.value());
        EXPECT_EQ(parsed.error(), c.error) << to_string(parsed.error());
    }
}

TEST(SdpParse, ErrorNamesAreDistinct) {
    const std::vector<SdpError> all = {SdpError::empty,
                                       SdpError::bad_line,
                                       SdpError::missing_version,
                                       SdpError::bad_version,
                                       SdpError::missing_origin,
                                       SdpError::bad_origin,
                                       SdpError::missing_session_name,
                                       SdpError::bad_connection,
                                       SdpError::bad_media,
                                       SdpError::bad_rtpmap,
                                       SdpError::bad_fmtp,
                                       SdpError::bad_attribute,
                                       SdpError::too_large};
    const std::vector<std::string_view> names = {"empty",
                                                 "bad_line",
                                                 "missing_version",
                                                 "bad_version",
                                                 "missing_origin",
                                                 "bad_origin",
                                                 "missing_session_name",
                                                 "bad_connection",
                                                 "bad_media",
                                                 "bad_rtpmap",
                                                 "bad_fmtp",
                                                 "bad_attribute",
                                                 "too_large"};
    ASSERT_EQ(all.size(), names.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        EXPECT_EQ(to_string(all[i]), names[i]);
}

} // namespace
} // namespace suflyor::sdp
