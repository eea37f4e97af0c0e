// The libcurl transport against the real SMTP sink on loopback.
#include "core/error.hpp"
#include "mime_reader.hpp"
#include "notify/notify.hpp"
#include "support/smtp_sink.hpp"

#include <gtest/gtest.h>

namespace suflyor::notify {
namespace {

using namespace std::chrono_literals;

SmtpSettings settings_for(const std::string& url) {
    SmtpSettings s;
    s.url = url;
    s.from = "Suflyor <noreply@suflyor.test>";
    s.connect_timeout = 5s;
    s.total_timeout = 10s;
    return s;
}

const Message connect_message{
    "boss@acme.test",
    "Возможность «Шептать и слушать» подключена / Whisper and listen is connected",
    "Здравствуйте!\n.\n..две точки\nHello, «Acme»!\n", "suflyor-mail.42.1700000000000",
    core::from_unix_ms(1'700'000'000'000)};

TEST(SmtpTransport, DeliversAProperMessageToTheSink) {
    ::suflyor::test::SmtpSink sink;
    auto transport = make_smtp_transport(settings_for(sink.url()));
    const auto result = transport->send(connect_message);
    ASSERT_TRUE(result.ok()) << result.error;
    ASSERT_TRUE(sink.wait_for(1, 5s));
    const auto got = sink.messages().at(0);
    EXPECT_EQ(got.mail_from, "noreply@suflyor.test");
    EXPECT_EQ(got.rcpt_to, std::vector<std::string>{"boss@acme.test"});

    const auto m = test::parse_message(got.data);
    EXPECT_EQ(m.headers.at("Date"), "Tue, 14 Nov 2023 22:13:20 +0000");
    EXPECT_EQ(m.headers.at("From"), "Suflyor <noreply@suflyor.test>");
    EXPECT_EQ(m.headers.at("To"), "<boss@acme.test>");
    EXPECT_EQ(m.headers.at("Message-ID"), "<suflyor-mail.42.1700000000000@suflyor.test>");
    EXPECT_EQ(m.headers.at("MIME-Version"), "1.0");
    EXPECT_EQ(m.headers.at("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(m.headers.at("Content-Transfer-Encoding"), "base64");
    EXPECT_TRUE(m.headers.at("Subject").starts_with("=?UTF-8?B?"));
    EXPECT_EQ(test::decode_words(m.headers.at("Subject")), connect_message.subject);
    EXPECT_EQ(test::base64_decode(m.body),
              "Здравствуйте!\r\n.\r\n..две точки\r\nHello, «Acme»!\r\n");
}

TEST(SmtpTransport, SinkDownIsAnErrorNotAnException) {
    ::suflyor::test::SmtpSink sink;
    sink.stop();
    auto transport = make_smtp_transport(settings_for(sink.url()));
    const auto result = transport->send(connect_message);
    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.error.find("Couldn't connect to server"), std::string::npos) << result.error;
}

TEST(SmtpTransport, RefusedRecipientIsAnErrorWithTheServersCode) {
    ::suflyor::test::SmtpSink sink;
    sink.set_rcpt_reply("550 5.1.1 no such mailbox");
    auto transport = make_smtp_transport(settings_for(sink.url()));
    const auto result = transport->send(connect_message);
    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.error.find("550"), std::string::npos) << result.error;
    EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpTransport, ImplausibleRecipientFailsWithoutTalkingToTheServer) {
    ::suflyor::test::SmtpSink sink;
    auto transport = make_smtp_transport(settings_for(sink.url()));
    auto message = connect_message;
    message.to = "boss@acme.test>\r\nRCPT TO:<spy@evil.test";
    const auto result = transport->send(message);
    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.error.find("invalid recipient"), std::string::npos) << result.error;
    EXPECT_FALSE(sink.wait_for(1, 50ms));
}

TEST(SmtpTransport, UrlAndSenderAreCheckedUpFront) {
    const std::pair<std::string, std::string> bad[] = {
        {"http://mail.test", "a@b.test"},       {"smtp://", "a@b.test"},
        {"smtp://mail.test?tls", "a@b.test"},   {"smtps://mail.test?starttls", "a@b.test"},
        {"smtp://mail.test", "not an address"},
    };
    for (const auto& [url, from] : bad) {
        auto s = settings_for(url);
        s.from = from;
        try {
            make_smtp_transport(s);
            ADD_FAILURE() << url << " / " << from;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_argument);
        }
    }
    for (const auto* url :
         {"smtp://mail.test", "smtp://mail.test:587?starttls", "smtps://mail.test:465"})
        EXPECT_NO_THROW(make_smtp_transport(settings_for(url))) << url;
}

} // namespace
} // namespace suflyor::notify
