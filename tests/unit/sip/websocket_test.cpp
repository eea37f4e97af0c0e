// The pure parts of SIP over WebSocket: the upgrade's checks, RFC 6455 frames, SIP framing.
#include "sip/websocket.hpp"
#include "support/ws_frame.hpp"

#include <gtest/gtest.h>

namespace suflyor::sip::ws {
namespace {

TEST(WebSocketHandshake, AcceptKeyIsTheRfc6455Example) {
    EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, OriginRules) {
    const std::vector<std::string> none;
    // No Origin: not a browser.
    EXPECT_TRUE(origin_allowed(std::nullopt, "pbx.example.com", none));
    // Empty list: the page must come from the host the request was addressed to.
    EXPECT_TRUE(origin_allowed("https://pbx.example.com", "pbx.example.com", none));
    EXPECT_TRUE(origin_allowed("http://127.0.0.1:5066", "127.0.0.1:5066", none));
    EXPECT_TRUE(origin_allowed("HTTPS://PBX.example.com/", "pbx.example.com", none));
    EXPECT_FALSE(origin_allowed("https://evil.example", "pbx.example.com", none));
    // The page from the web port, the WebSocket on its own port: the same host.
    EXPECT_TRUE(origin_allowed("https://pbx.example.com", "pbx.example.com:5067", none));
    EXPECT_TRUE(origin_allowed("http://[::1]:8080", "[::1]:5066", none));
    EXPECT_FALSE(origin_allowed("http://[::2]:8080", "[::1]:5066", none));
    EXPECT_FALSE(origin_allowed("https://pbx.example.com.evil.example", "pbx.example.com", none));
    EXPECT_FALSE(origin_allowed("null", "pbx.example.com", none));
    EXPECT_FALSE(origin_allowed("https://pbx.example.com", "", none));
    // A list is exact: scheme, host and port.
    const std::vector<std::string> list{"https://app.example.com", "http://localhost:5173/"};
    EXPECT_TRUE(origin_allowed("https://app.example.com", "pbx.example.com", list));
    EXPECT_TRUE(origin_allowed("http://localhost:5173", "127.0.0.1:5066", list));
    EXPECT_FALSE(origin_allowed("http://app.example.com", "pbx.example.com", list));
    EXPECT_FALSE(origin_allowed("https://pbx.example.com", "pbx.example.com", list));
}

TEST(WebSocketHandshake, TokenLists) {
    EXPECT_TRUE(has_token("sip", "sip"));
    EXPECT_TRUE(has_token("chat, SIP ", "sip"));
    EXPECT_FALSE(has_token("sips", "sip"));
    EXPECT_FALSE(has_token("", "sip"));
}

TEST(WebSocketFrames, DecodesMaskedTextAndEncodesUnmasked) {
    const auto frame = test::masked_client_frame(0x81, "OPTIONS sip:x SIP/2.0");
    EXPECT_EQ(decode_frame(frame.substr(0, 5), 1024).status, DecodeStatus::need_more);
    const auto d = decode_frame(frame + "tail", 1024);
    ASSERT_EQ(d.status, DecodeStatus::frame);
    EXPECT_EQ(d.consumed, frame.size());
    EXPECT_TRUE(d.frame.fin);
    EXPECT_EQ(d.frame.opcode, Opcode::text);
    EXPECT_EQ(d.frame.payload, "OPTIONS sip:x SIP/2.0");
    EXPECT_EQ(encode_frame(Opcode::text, "hi"), std::string("\x81\x02hi"));
    const std::string big(300, 'a');
    const auto encoded = encode_frame(Opcode::binary, big);
    EXPECT_EQ(encoded.substr(0, 4), std::string("\x82\x7e\x01\x2c", 4));
    EXPECT_EQ(encoded.size(), 304u);
    const auto d16 = decode_frame(test::masked_client_frame(0x82, big), 1024);
    ASSERT_EQ(d16.status, DecodeStatus::frame);
    EXPECT_EQ(d16.frame.payload, big);
}

TEST(WebSocketFrames, RefusesWhatRfc6455Forbids) {
    std::string unmasked("\x81\x02hi", 4);
    EXPECT_EQ(decode_frame(unmasked, 1024).status, DecodeStatus::error);
    EXPECT_EQ(decode_frame(test::masked_client_frame(0xc1, "x"), 1024).status,
              DecodeStatus::error); // RSV1
    EXPECT_EQ(decode_frame(test::masked_client_frame(0x83, "x"), 1024).status,
              DecodeStatus::error); // opcode
    EXPECT_EQ(decode_frame(test::masked_client_frame(0x09, "x"), 1024).status,
              DecodeStatus::error); // fragmented ping
    EXPECT_EQ(decode_frame(test::masked_client_frame(0x89, std::string(126, 'p')), 1024).status,
              DecodeStatus::error); // long control frame
    EXPECT_EQ(decode_frame(test::masked_client_frame(0x81, std::string(200, 'a')), 100).status,
              DecodeStatus::error);
    // A 64-bit length beyond the limit is refused from its header alone.
    std::string huge("\x81\xff\x00\x00\x00\x01\x00\x00\x00\x00", 10);
    EXPECT_EQ(decode_frame(huge, 1 << 16).status, DecodeStatus::error);
}

TEST(WebSocketMessages, ReassemblesFragmentsAndPassesControlFrames) {
    MessageReader reader(1024);
    const auto stream =
        test::masked_client_frame(0x01, "REGISTER ") + test::masked_client_frame(0x89, "p1") +
        test::masked_client_frame(0x80, "sip:x SIP/2.0") +
        test::masked_client_frame(0x81, "second") + test::masked_client_frame(0x88, "");
    // Fed a byte at a time, as TCP may deliver it.
    std::vector<MessageReader::Event> events;
    for (char c : stream)
        for (auto& e : reader.feed(std::string_view(&c, 1)))
            events.push_back(std::move(e));
    using Kind = MessageReader::Event::Kind;
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0].kind, Kind::ping);
    EXPECT_EQ(events[0].data, "p1");
    EXPECT_EQ(events[1].kind, Kind::message);
    EXPECT_EQ(events[1].data, "REGISTER sip:x SIP/2.0");
    EXPECT_EQ(events[2].data, "second");
    EXPECT_EQ(events[3].kind, Kind::close);
}

TEST(WebSocketMessages, OversizedOrOutOfOrderIsAnError) {
    using Kind = MessageReader::Event::Kind;
    MessageReader small(16);
    auto e = small.feed(test::masked_client_frame(0x01, std::string(10, 'a')) +
                        test::masked_client_frame(0x80, std::string(10, 'b')));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].kind, Kind::error);
    EXPECT_TRUE(small.feed(test::masked_client_frame(0x81, "x")).empty()); // stays failed
    MessageReader stray(1024);
    e = stray.feed(test::masked_client_frame(0x80, "continuation"));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].kind, Kind::error);
}

TEST(SipFraming, ContentLengthIsAddedWhenMissing) {
    const std::string without = "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/WSS x.invalid\r\n\r\nhi";
    EXPECT_EQ(
        *stream_message(without),
        "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/WSS x.invalid\r\nContent-Length: 2\r\n\r\nhi");
    const std::string with = "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n";
    EXPECT_EQ(*stream_message(with), with);
    EXPECT_FALSE(stream_message("OPTIONS sip:a@b SIP/2.0\r\n").has_value());
}

TEST(SipFraming, StreamSplitsIntoMessagesAndDropsKeepalives) {
    StreamSplitter splitter(1024);
    const std::string a = "SIP/2.0 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    const std::string b = "OPTIONS sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    const std::string stream = "\r\n" + a + "\r\n\r\n" + b;
    splitter.append(stream.substr(0, 20));
    EXPECT_FALSE(splitter.next().has_value());
    splitter.append(stream.substr(20));
    EXPECT_EQ(splitter.next(), a);
    EXPECT_EQ(splitter.next(), b);
    EXPECT_FALSE(splitter.next().has_value());
    EXPECT_FALSE(splitter.failed());
    StreamSplitter tiny(32);
    tiny.append("SIP/2.0 200 OK\r\nContent-Length: 100\r\n\r\n");
    EXPECT_FALSE(tiny.next().has_value());
    EXPECT_TRUE(tiny.failed());
}

// The browser's contact (RFC 7118 §5) and what the gateway makes of it: its bridge address.
constexpr std::string_view kBridge = "127.0.0.1:40000";
constexpr std::string_view kSdp = "v=0\r\no=- 1 1 IN IP4 g7ee9sajv774.invalid\r\ns=-\r\n"
                                  "a=note:Contact: <sip:x@y.invalid;transport=ws>\r\n";

std::string with_body(std::string_view start_and_headers) {
    return std::string(start_and_headers) + "Content-Length: " + std::to_string(kSdp.size()) +
           "\r\n\r\n" + std::string(kSdp);
}

// The Content-Length header's value and the body after the header end, in agreement.
void expect_body_intact(const std::string& message) {
    const auto end = message.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(message.substr(end + 4), kSdp);
    const auto cl = message.find("Content-Length: ");
    ASSERT_LT(cl, end);
    EXPECT_EQ(std::stoul(message.substr(cl + 16)), message.size() - end - 4);
}

TEST(ReachableContact, BrowserInviteContactBecomesTheBridge) {
    const auto invite = with_body("INVITE sip:1001@pbx.example SIP/2.0\r\n"
                                  "Via: SIP/2.0/WSS g7ee9sajv774.invalid;branch=z9hG4bK1\r\n"
                                  "From: <sip:1001@pbx.example>;tag=a\r\n"
                                  "Contact: <sip:ok12egnb@g7ee9sajv774.invalid;transport=ws>\r\n"
                                  "Content-Type: application/sdp\r\n");
    const auto out = reachable_contact(invite, kBridge);
    EXPECT_NE(out.find("\r\nContact: <sip:ok12egnb@127.0.0.1:40000;transport=tcp>\r\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("g7ee9sajv774.invalid;transport=ws>"), std::string::npos);
    // Only the Contact changed: the Via (the browser's own) and the rest stay.
    EXPECT_NE(out.find("Via: SIP/2.0/WSS g7ee9sajv774.invalid;branch=z9hG4bK1\r\n"),
              std::string::npos);
    auto expected = invite;
    expected.replace(expected.find("g7ee9sajv774.invalid;transport=ws>"),
                     std::string_view("g7ee9sajv774.invalid;transport=ws>").size(),
                     "127.0.0.1:40000;transport=tcp>");
    EXPECT_EQ(out, expected);
    expect_body_intact(out);
}

TEST(ReachableContact, BrowserAnswerContactBecomesTheBridge) {
    const auto ok = with_body("SIP/2.0 200 OK\r\n"
                              "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK2\r\n"
                              "CSeq: 1 INVITE\r\n"
                              "Contact: <sip:ok12egnb@g7ee9sajv774.invalid;transport=ws;ob>\r\n"
                              "Content-Type: application/sdp\r\n");
    const auto out = reachable_contact(ok, kBridge);
    EXPECT_NE(out.find("\r\nContact: <sip:ok12egnb@127.0.0.1:40000;transport=tcp;ob>\r\n"),
              std::string::npos)
        << out;
    expect_body_intact(out);
}

TEST(ReachableContact, CompactFormAndDisplayNameAndHeaderParams) {
    const auto out = reachable_contact("BYE sip:x@127.0.0.1 SIP/2.0\r\n"
                                       "m: \"Tab\" <sip:ok12egnb@g7ee9sajv774.invalid;transport=WS>"
                                       ";+sip.ice\r\nl: 0\r\n\r\n",
                                       kBridge);
    EXPECT_EQ(out, "BYE sip:x@127.0.0.1 SIP/2.0\r\n"
                   "m: \"Tab\" <sip:ok12egnb@127.0.0.1:40000;transport=tcp>;+sip.ice\r\n"
                   "l: 0\r\n\r\n");
}

TEST(ReachableContact, UnbracketedContactGetsBracketsKeepingHeaderParams) {
    // Unbracketed, every ';' parameter is a header parameter (RFC 3261 §20.10): the rewritten
    // URI needs brackets for transport=tcp to be the URI's; expires stays a header parameter.
    const auto out = reachable_contact("INVITE sip:1001@pbx.example SIP/2.0\r\n"
                                       "Contact: sip:ok12egnb@g7ee9sajv774.invalid;transport=ws"
                                       ";expires=600\r\nContent-Length: 0\r\n\r\n",
                                       kBridge);
    EXPECT_EQ(out, "INVITE sip:1001@pbx.example SIP/2.0\r\n"
                   "Contact: <sip:ok12egnb@127.0.0.1:40000;transport=tcp>;expires=600\r\n"
                   "Content-Length: 0\r\n\r\n");
}

TEST(ReachableContact, SecureWebSocketAndAPortInTheHost) {
    const auto out = reachable_contact("INVITE sip:1001@pbx.example SIP/2.0\r\n"
                                       "Contact: <sip:ok12egnb@g7ee9sajv774.invalid:443;"
                                       "transport=wss>;expires=600\r\nl: 0\r\n\r\n",
                                       "[::1]:40001");
    EXPECT_EQ(out, "INVITE sip:1001@pbx.example SIP/2.0\r\n"
                   "Contact: <sip:ok12egnb@[::1]:40001;transport=tcp>;expires=600\r\n"
                   "l: 0\r\n\r\n");
}

TEST(ReachableContact, WhatIsLeftAlone) {
    // REGISTER: the browser looks for its own Contact in the registrar's answer.
    const std::string reg = "REGISTER sip:pbx.example SIP/2.0\r\n"
                            "Contact: <sip:ok12egnb@g7ee9sajv774.invalid;transport=ws>"
                            ";expires=600\r\nContent-Length: 0\r\n\r\n";
    EXPECT_EQ(reachable_contact(reg, kBridge), reg);
    // A Contact that is not a WebSocket one (and not a look-alike transport such as "wsx").
    for (const std::string contact :
         {"<sip:1001@192.0.2.10:5060;transport=tcp>", "<sip:1001@192.0.2.10:5060>",
          "sip:1001@192.0.2.10", "<sip:1001@192.0.2.10;transport=wsx>"}) {
        const auto invite =
            with_body("INVITE sip:1001@pbx.example SIP/2.0\r\nContact: " + contact + "\r\n");
        EXPECT_EQ(reachable_contact(invite, kBridge), invite) << contact;
    }
    // No Contact at all; no header end (not a whole message).
    const auto no_contact = with_body("MESSAGE sip:1001@pbx.example SIP/2.0\r\n");
    EXPECT_EQ(reachable_contact(no_contact, kBridge), no_contact);
    const std::string cut = "INVITE sip:1001@pbx.example SIP/2.0\r\n"
                            "Contact: <sip:ok12egnb@g7ee9sajv774.invalid;transport=ws>\r\n";
    EXPECT_EQ(reachable_contact(cut, kBridge), cut);
    // A Contact-like line in the body only (the headers have none): the body is not touched.
    EXPECT_NE(std::string(kSdp).find("transport=ws"), std::string::npos);
    expect_body_intact(reachable_contact(no_contact, kBridge));
}

} // namespace
} // namespace suflyor::sip::ws
