// The whole path: a feature connect queues its mail, the sender thread delivers it over SMTP to
// the loopback sink, reports come back to the "control loop" (this test's thread) — through an
// outage of the sink and its end. Timers run on a ManualClock; only a real thread's report is
// waited for, with a bounded condition wait.
#include "mime_reader.hpp"
#include "notify/notify.hpp"
#include "support/smtp_sink.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace suflyor::notify {
namespace {

using namespace std::chrono_literals;

// Stands in for the control loop's message queue: the sender thread posts, the loop takes.
class LoopInbox {
public:
    void post(SendReport report) {
        {
            std::lock_guard lock(mutex_);
            reports_.push_back(std::move(report));
        }
        posted_.notify_one();
    }
    std::optional<SendReport> take(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!posted_.wait_for(lock, timeout, [&] { return !reports_.empty(); }))
            return std::nullopt;
        auto report = std::move(reports_.front());
        reports_.pop_front();
        return report;
    }

private:
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<SendReport> reports_;
};

class DeliveryTest : public ::testing::Test {
protected:
    ::suflyor::test::SmtpSink sink;
    std::unique_ptr<store::Store> store = store::open_sqlite(store::SqliteOptions{":memory:"});
    core::ManualClock clock;
    LoopInbox inbox;
    MailSender sender{
        make_smtp_transport(SmtpSettings{sink.url(), "noreply@suflyor.test", "", "", 5s, 10s}),
        [this](SendReport report) { inbox.post(std::move(report)); }};
    MailOutbox outbox{*store, clock, sender, OutboxOptions{RetryPolicy{60s, 3600s}}};
    center::Features features{*store, clock};
    center::AccountId acme = store->accounts().insert(center::Account{
        center::AccountId{0}, "Acme", "boss@acme.test", "acme.test", clock.wall_now()});
    const center::Actor platform{std::nullopt, "platform-admin:root"};

    // One control-loop turn for a report: wait for it and hand it to the outbox.
    SendReport deliver_report() {
        auto report = inbox.take(10s);
        EXPECT_TRUE(report) << "no report from the sender thread";
        if (!report) return SendReport{store::OutboxMailId{0}, SendResult::failure("none")};
        outbox.on_report(*report);
        return *report;
    }
};

TEST_F(DeliveryTest, ConnectMailReachesTheSink) {
    const auto status = connect_feature_and_notify(features, *store, clock, platform, acme,
                                                   center::Feature::whisper_listen);
    EXPECT_EQ(status.state, center::FeatureState::connected);
    ASSERT_EQ(outbox.dispatch(), 1u);
    const auto report = deliver_report();
    EXPECT_TRUE(report.result.ok()) << report.result.error;
    EXPECT_EQ(outbox.pending_count(), 0);
    EXPECT_EQ(store->mail_outbox().find(report.id)->sent_at, clock.wall_now());

    ASSERT_TRUE(sink.wait_for(1, 5s));
    const auto got = sink.messages().at(0);
    EXPECT_EQ(got.rcpt_to, std::vector<std::string>{"boss@acme.test"});
    const auto m = test::parse_message(got.data);
    EXPECT_EQ(test::decode_words(m.headers.at("Subject")),
              "Возможность «Суфлирование и прослушивание» подключена / Whisper and listen is "
              "connected");
    const auto expected =
        feature_connected_mail(*store->accounts().find(acme), center::Feature::whisper_listen);
    std::string crlf_body;
    for (char c : expected.body)
        crlf_body += c == '\n' ? std::string("\r\n") : std::string(1, c);
    EXPECT_EQ(test::base64_decode(m.body), crlf_body);
}

TEST_F(DeliveryTest, OutageDoesNotBlockTheConnectAndTheMailGoesOutWhenTheSinkReturns) {
    sink.stop();
    const auto status = connect_feature_and_notify(features, *store, clock, platform, acme,
                                                   center::Feature::whisper_listen);
    EXPECT_EQ(status.state, center::FeatureState::connected); // the request completed
    EXPECT_TRUE(features.connected(acme, center::Feature::whisper_listen));

    const auto failed_at = clock.wall_now();
    ASSERT_EQ(outbox.dispatch(), 1u);
    const auto report = deliver_report();
    EXPECT_FALSE(report.result.ok());
    auto mail = *store->mail_outbox().find(report.id);
    EXPECT_EQ(mail.attempts, 1);
    EXPECT_EQ(mail.next_attempt_at, failed_at + 60s);
    EXPECT_NE(mail.last_error.find("Couldn't connect to server"), std::string::npos)
        << mail.last_error;
    EXPECT_EQ(outbox.pending_count(), 1);

    // Still down at the first retry: the delay doubles.
    clock.advance(60s);
    ASSERT_EQ(outbox.dispatch(), 1u);
    EXPECT_FALSE(deliver_report().result.ok());
    mail = *store->mail_outbox().find(report.id);
    EXPECT_EQ(mail.attempts, 2);
    EXPECT_EQ(mail.next_attempt_at, clock.wall_now() + 120s);

    sink.start(); // the outage ends; nothing goes out before the retry time
    clock.advance(119s);
    EXPECT_EQ(outbox.dispatch(), 0u);
    EXPECT_FALSE(sink.wait_for(1, 20ms));
    clock.advance(1s);
    ASSERT_EQ(outbox.dispatch(), 1u);
    const auto delivered = deliver_report();
    EXPECT_TRUE(delivered.result.ok()) << delivered.result.error;
    ASSERT_TRUE(sink.wait_for(1, 5s));
    mail = *store->mail_outbox().find(report.id);
    EXPECT_EQ(mail.attempts, 3);
    EXPECT_EQ(mail.sent_at, clock.wall_now());
    EXPECT_EQ(outbox.pending_count(), 0);
    EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(DeliveryTest, SeveralMailsAllArriveInOrder) {
    std::vector<store::OutboxMailId> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(
            outbox.enqueue(Mail{acme, "boss@acme.test", "mail " + std::to_string(i), "text\n"}));
        clock.advance(1ms);
    }
    ASSERT_EQ(outbox.dispatch(), 3u);
    for (const auto id : ids)
        EXPECT_EQ(deliver_report().id, id); // one sender thread: in order
    ASSERT_TRUE(sink.wait_for(3, 5s));
    const auto got = sink.messages();
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(test::parse_message(got[i].data).headers.at("Subject"),
                  "mail " + std::to_string(i));
    EXPECT_EQ(outbox.pending_count(), 0);
}

} // namespace
} // namespace suflyor::notify
