#include "mime_reader.hpp"
#include "notify/message.hpp"

#include <gtest/gtest.h>

namespace suflyor::notify {
namespace {

using test::base64_decode;
using test::decode_words;

TEST(Base64, Rfc4648Vectors) {
    const std::pair<std::string, std::string> cases[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
        {"Привет", "0J/RgNC40LLQtdGC"},
        {std::string("\xff\xfe\x00\x01", 4), "//4AAQ=="},
    };
    for (const auto& [in, out] : cases) {
        EXPECT_EQ(base64_encode(in), out) << in;
        EXPECT_EQ(base64_decode(out), in) << out; // the tests' reader agrees
    }
}

TEST(MessageDate, Rfc5322FormInUtc) {
    const std::pair<std::int64_t, std::string> cases[] = {
        {0, "Thu, 01 Jan 1970 00:00:00 +0000"},
        {1'700'000'000'000, "Tue, 14 Nov 2023 22:13:20 +0000"},
        {951'782'400'000, "Tue, 29 Feb 2000 00:00:00 +0000"},
        {1'709'251'199'999, "Thu, 29 Feb 2024 23:59:59 +0000"}, // milliseconds are cut
    };
    for (const auto& [ms, text] : cases)
        EXPECT_EQ(format_date(core::from_unix_ms(ms)), text) << ms;
}

TEST(HeaderText, PlainAsciiThatFitsStaysAsIs) {
    EXPECT_EQ(encode_header_text("Whisper and listen is connected", 9),
              "Whisper and listen is connected");
    EXPECT_EQ(encode_header_text("", 9), "");
}

TEST(HeaderText, ExactEncodedWordForAShortRussianText) {
    EXPECT_EQ(encode_header_text("Привет", 9), "=?UTF-8?B?0J/RgNC40LLQtdGC?=");
}

TEST(HeaderText, AnythingElseBecomesFoldedUtf8WordsThatDecodeBack) {
    const std::string cases[] = {
        "Возможность «Шептать и слушать» подключена / Whisper and listen is connected",
        std::string(90, 'a'),            // ASCII too long for one line
        "line one\r\nBcc: evil@example", // no header injection
        "=?UTF-8?B?AAAA?= looks encoded",
        "ёжик 🦔 ёжик 🦔 ёжик 🦔 ёжик 🦔 ёжик 🦔", // 4-byte
                                                                                 // characters
    };
    for (const auto& text : cases) {
        const auto value = encode_header_text(text, 9);
        EXPECT_EQ(decode_words(value), text);
        std::size_t line_start = 0, line_no = 0;
        for (;;) {
            const auto eol = value.find("\r\n", line_start);
            const auto line = value.substr(line_start, eol - line_start);
            const auto width = line.size() + (line_no == 0 ? 9 : 0);
            EXPECT_LE(width, 76u) << text;
            EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos);
            if (line_no > 0) {
                EXPECT_EQ(line.front(), ' '); // folded
            }
            // Each word alone is whole UTF-8: it starts on a character boundary.
            const auto word = line.substr(line.find("=?UTF-8?B?") + 10);
            const auto bytes = base64_decode(word.substr(0, word.find("?=")));
            ASSERT_FALSE(bytes.empty());
            EXPECT_NE(static_cast<unsigned char>(bytes.front()) & 0xc0, 0x80) << text;
            if (eol == std::string::npos) break;
            line_start = eol + 2;
            ++line_no;
        }
    }
}

TEST(Mailbox, AddressAndDisplayName) {
    struct Case {
        std::string in, address, header;
    };
    const Case cases[] = {
        {"suflyor@example.com", "suflyor@example.com", "suflyor@example.com"},
        {"Suflyor <suflyor@example.com>", "suflyor@example.com", "Suflyor <suflyor@example.com>"},
        {"<s@example.com>", "s@example.com", "<s@example.com>"},
        {"Суфлёр <s@example.com>", "s@example.com", "=?UTF-8?B?0KHRg9GE0LvRkdGA?= <s@example.com>"},
        {"Acme, Inc. <a@b.test>", "a@b.test", "=?UTF-8?B?QWNtZSwgSW5jLg==?= <a@b.test>"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(address_of(c.in), c.address) << c.in;
        EXPECT_EQ(format_mailbox(c.in), c.header) << c.in;
    }
}

TEST(Mailbox, PlausibleAddresses) {
    const std::pair<std::string, bool> cases[] = {
        {"boss@acme.test", true},
        {"first.last+tag@xn--80ak6aa92e.com", true},
        {"", false},
        {"no-at-sign", false},
        {"@acme.test", false},
        {"boss@", false},
        {"a@b@c", false},
        {"boss@acme.test\r\nRCPT TO:<x@y>", false},
        {"two words@acme.test", false},
        {"<boss@acme.test>", false},
        {"a@b,c@d", false},
    };
    for (const auto& [address, ok] : cases)
        EXPECT_EQ(plausible_address(address), ok) << address;
}

TEST(Message, ExactHeadersAndBase64BodyOfCrlfLines) {
    const Message m{"boss@acme.test", "Hi", "Hi.\n.dot\n", "suflyor-mail.7.1700000000000",
                    core::from_unix_ms(1'700'000'000'000)};
    EXPECT_EQ(format_message(m, "Suflyor <noreply@suflyor.test>"),
              "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
              "From: Suflyor <noreply@suflyor.test>\r\n"
              "To: <boss@acme.test>\r\n"
              "Subject: Hi\r\n"
              "Message-ID: <suflyor-mail.7.1700000000000@suflyor.test>\r\n"
              "MIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n"
              "Content-Transfer-Encoding: base64\r\n"
              "Auto-Submitted: auto-generated\r\n"
              "\r\n"
              "SGkuDQouZG90DQo=\r\n");
}

TEST(Message, LongBodyLinesAreAtMost76AndDecodeToTheText) {
    std::string body;
    for (int i = 0; i < 40; ++i)
        body += "Строка " + std::to_string(i) + ": Шептать и слушать / Whisper and listen\r\n";
    const Message m{"boss@acme.test", "s", body, "k", core::from_unix_ms(0)};
    const auto parsed = test::parse_message(format_message(m, "a@localhost"));
    std::size_t pos = 0;
    while (pos < parsed.body.size()) {
        const auto eol = parsed.body.find("\r\n", pos);
        ASSERT_NE(eol, std::string::npos);
        EXPECT_LE(eol - pos, 76u);
        pos = eol + 2;
    }
    EXPECT_EQ(base64_decode(parsed.body), body);
    EXPECT_EQ(parsed.headers.at("Message-ID"), "<k@localhost>");
}

} // namespace
} // namespace suflyor::notify
