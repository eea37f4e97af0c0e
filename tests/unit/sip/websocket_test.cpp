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

} // namespace
} // namespace suflyor::sip::ws
