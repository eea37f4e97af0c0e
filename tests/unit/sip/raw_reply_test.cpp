#include "sip/raw_reply.hpp"
#include "sip/via_normalize.hpp"

#include <gtest/gtest.h>

namespace suflyor::sip {
namespace {

const std::string request = "INVITE sip:bob@example.com SIP/7.0\r\n"
                            "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1\r\n"
                            "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0\r\n"
                            "f: <sip:alice@example.com>;tag=a1\r\n"
                            "To: <sip:bob@example.com>\r\n"
                            "i: abc@host\r\n"
                            "CSeq: 7 INVITE\r\n"
                            "Content-Length: 0\r\n\r\n";

TEST(RawReply, CopiesTheHeadersThatMatchTheResponseToItsRequest) {
    const auto r = build_raw_reply(request, 505, "Version Not Supported", "", "t0");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, "SIP/2.0 505 Version Not Supported\r\n"
                  "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1\r\n"
                  "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0\r\n"
                  "From: <sip:alice@example.com>;tag=a1\r\n"
                  "To: <sip:bob@example.com>;tag=t0\r\n"
                  "Call-ID: abc@host\r\n"
                  "CSeq: 7 INVITE\r\n"
                  "Content-Length: 0\r\n\r\n");
    const auto with_extra =
        build_raw_reply(request, 420, "Bad Extension", "Unsupported: foo\r\n", "t0");
    EXPECT_NE(with_extra->find("CSeq: 7 INVITE\r\nUnsupported: foo\r\nContent-Length: 0"),
              std::string::npos);
}

TEST(RawReply, KeepsAnExistingToTagAndRefusesWithoutViaOrCSeq) {
    auto tagged = request;
    tagged.replace(tagged.find("To: <sip:bob@example.com>"), 25,
                   "To: <sip:bob@example.com>;tag=b2");
    EXPECT_NE(build_raw_reply(tagged, 400, "Bad Request", "", "t0")->find("tag=b2\r\n"),
              std::string::npos);
    EXPECT_FALSE(
        build_raw_reply("INVITE sip:x SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n", 400, "Bad", "", "t"));
    EXPECT_FALSE(
        build_raw_reply("INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n", 400, "Bad", "", "t"));
    EXPECT_FALSE(build_raw_reply("", 400, "Bad", "", "t"));
}

TEST(RawReplyPort, ViaPortRportAndDefault) {
    EXPECT_EQ(raw_reply_port(request, 40000), 5070);
    EXPECT_EQ(
        raw_reply_port("X sip:y SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;rport;branch=z\r\n\r\n",
                       40000),
        40000);
    EXPECT_EQ(raw_reply_port("X sip:y SIP/2.0\r\nv: SIP/2.0/UDP h.example.com\r\n\r\n", 40000),
              5060);
    EXPECT_EQ(raw_reply_port("X sip:y SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::1]:5080\r\n\r\n", 1),
              5080);
    EXPECT_EQ(raw_reply_port("X sip:y SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::1]\r\n\r\n", 1), 5060);
    EXPECT_EQ(raw_reply_port("X sip:y SIP/2.0\r\n\r\n", 1234), 1234);
}

TEST(NormalizeTopVia, AddsRportAndABranchOnlyWhereMissing) {
    const std::string modern =
        "REGISTER sip:a SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;branch=z9hG4bKx;rport\r\n\r\n";
    EXPECT_FALSE(normalize_top_via(modern));

    const auto with_rport = normalize_top_via(
        "REGISTER sip:a SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;branch=z9hG4bKx\r\n\r\n");
    ASSERT_TRUE(with_rport);
    EXPECT_NE(with_rport->find("Via: SIP/2.0/UDP h:5060;branch=z9hG4bKx;rport\r\n"),
              std::string::npos);

    const std::string old =
        "INVITE sip:a SIP/2.0\r\nVia: SIP/2.0/UDP iftgw.example.com, SIP/2.0/UDP b\r\n"
        "Call-ID: 1@h\r\nCSeq: 1 INVITE\r\nFrom: <sip:x@y>\r\n\r\n";
    const auto rfc2543 = normalize_top_via(old);
    ASSERT_TRUE(rfc2543);
    EXPECT_NE(rfc2543->find("Via: SIP/2.0/UDP iftgw.example.com;branch=z9hG4bK2543."),
              std::string::npos);
    EXPECT_NE(rfc2543->find(";rport, SIP/2.0/UDP b\r\n"), std::string::npos) << *rfc2543;
    EXPECT_EQ(*normalize_top_via(old), *rfc2543); // deterministic: retransmissions match
    const auto folded = normalize_top_via(
        "INVITE sip:a SIP/2.0\r\nv  : SIP / 2.0\r\n /UDP h ;branch=z9hG4bKq  \r\nTo: t\r\n\r\n");
    ASSERT_TRUE(folded);
    EXPECT_NE(folded->find("/UDP h ;branch=z9hG4bKq;rport  \r\nTo: t"), std::string::npos)
        << *folded;
    EXPECT_FALSE(normalize_top_via("INVITE sip:a SIP/2.0\r\nTo: t\r\n\r\nVia: SIP/2.0/UDP h\r\n"));
}

} // namespace
} // namespace suflyor::sip
