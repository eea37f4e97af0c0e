// The control-loop side with a recording dispatcher and a ManualClock: no threads, no sleeps.
#include "core/error.hpp"
#include "notify/notify.hpp"

#include <gtest/gtest.h>

namespace suflyor::notify {
namespace {

using namespace std::chrono_literals;

class RecordingDispatcher final : public MailDispatcher {
public:
    void submit(SendJob job) override { jobs.push_back(std::move(job)); }
    std::vector<SendJob> take() { return std::exchange(jobs, {}); }
    std::vector<SendJob> jobs;
};

class OutboxTest : public ::testing::Test {
protected:
    std::unique_ptr<store::Store> store = store::open_sqlite(store::SqliteOptions{":memory:"});
    core::ManualClock clock;
    RecordingDispatcher dispatcher;
    center::AccountId acme = store->accounts().insert(center::Account{
        center::AccountId{0}, "Acme", "boss@acme.test", "acme.test", clock.wall_now()});
    MailOutbox outbox{*store, clock, dispatcher,
                      OutboxOptions{RetryPolicy{60s, 3600s}, /*max_in_flight=*/2, 600s}};

    store::OutboxMailId queue(const std::string& subject) {
        return outbox.enqueue(Mail{acme, "boss@acme.test", subject, "body of " + subject});
    }
    store::OutboxMail row(store::OutboxMailId id) { return *store->mail_outbox().find(id); }
    void fail(store::OutboxMailId id, const std::string& why = "Couldn't connect to server") {
        outbox.on_report(SendReport{id, SendResult::failure(why)});
    }
};

TEST(RetryPolicy, DoublesFromTheFirstDelayUpToTheCap) {
    const RetryPolicy policy{60s, 3600s};
    const std::pair<std::int64_t, std::chrono::seconds> cases[] = {
        {1, 60s},   {2, 120s},  {3, 240s},  {4, 480s},          {5, 960s},
        {6, 1920s}, {7, 3600s}, {8, 3600s}, {1'000'000, 3600s}, {0, 60s},
    };
    for (const auto& [failed, delay] : cases)
        EXPECT_EQ(policy.delay_after(failed).count(), delay.count()) << failed;
    EXPECT_EQ((RetryPolicy{0s, 3600s}.delay_after(1)).count(), 1); // never a busy loop
    EXPECT_EQ((RetryPolicy{7200s, 3600s}.delay_after(1)).count(), 3600);
}

TEST_F(OutboxTest, EnqueuedMailIsDueNowAndGoesToTheDispatcherOnce) {
    const auto id = queue("hello");
    const auto m = row(id);
    EXPECT_EQ(m.created_at, clock.wall_now());
    EXPECT_EQ(m.next_attempt_at, clock.wall_now());
    EXPECT_EQ(m.attempts, 0);
    EXPECT_EQ(outbox.pending_count(), 1);

    EXPECT_EQ(outbox.dispatch(), 1u);
    auto jobs = dispatcher.take();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].id, id);
    EXPECT_EQ(jobs[0].message.to, "boss@acme.test");
    EXPECT_EQ(jobs[0].message.subject, "hello");
    EXPECT_EQ(jobs[0].message.body, "body of hello");
    EXPECT_EQ(jobs[0].message.date, m.created_at);
    EXPECT_EQ(jobs[0].message.unique_key,
              "suflyor-mail." + id.str() + "." + std::to_string(core::to_unix_ms(m.created_at)));
    EXPECT_EQ(outbox.in_flight(), 1u);

    EXPECT_EQ(outbox.dispatch(), 0u); // in flight: not handed out twice
    EXPECT_TRUE(dispatcher.take().empty());

    outbox.on_report(SendReport{id, SendResult::success()});
    EXPECT_EQ(outbox.in_flight(), 0u);
    EXPECT_EQ(row(id).sent_at, clock.wall_now());
    EXPECT_EQ(row(id).attempts, 1);
    EXPECT_EQ(outbox.pending_count(), 0);
    clock.advance(24h);
    EXPECT_EQ(outbox.dispatch(), 0u);
}

TEST_F(OutboxTest, FailureKeepsTheMailAndBacksOffDoublingUntilTheCap) {
    const auto id = queue("hello");
    const auto start = clock.wall_now();
    // Seconds after the previous failure at which the next attempt is due.
    const std::int64_t delays[] = {60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600};
    std::int64_t attempts = 0;
    for (const auto delay : delays) {
        ASSERT_EQ(outbox.dispatch(), 1u);
        const auto job = dispatcher.take().at(0);
        fail(job.id, "attempt " + std::to_string(attempts + 1) + " refused");
        ++attempts;
        const auto m = row(id);
        EXPECT_EQ(m.attempts, attempts);
        EXPECT_EQ(m.last_error, "attempt " + std::to_string(attempts) + " refused");
        EXPECT_EQ(m.next_attempt_at, clock.wall_now() + std::chrono::seconds{delay});
        EXPECT_FALSE(m.sent_at);
        EXPECT_EQ(outbox.pending_count(), 1); // never dropped

        clock.advance(std::chrono::seconds{delay} - 1ms);
        EXPECT_EQ(outbox.dispatch(), 0u) << "not yet due after " << attempts;
        clock.advance(1ms);
    }
    EXPECT_EQ(clock.wall_now() - start,
              std::chrono::seconds{60 + 120 + 240 + 480 + 960 + 1920 + 4 * 3600});
    ASSERT_EQ(outbox.dispatch(), 1u);
    outbox.on_report(SendReport{dispatcher.take().at(0).id, SendResult::success()});
    EXPECT_EQ(row(id).attempts, 11);
    EXPECT_EQ(row(id).sent_at, clock.wall_now());
    EXPECT_EQ(row(id).last_error, "attempt 10 refused");
    EXPECT_EQ(outbox.pending_count(), 0);
}

TEST_F(OutboxTest, AtMostMaxInFlightOldestFirstTheRestNextCycle) {
    const auto a = queue("a");
    clock.advance(1ms);
    const auto b = queue("b");
    clock.advance(1ms);
    const auto c = queue("c");
    EXPECT_EQ(outbox.dispatch(), 2u);
    auto first = dispatcher.take();
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].id, a);
    EXPECT_EQ(first[1].id, b);
    EXPECT_EQ(outbox.dispatch(), 0u); // full

    fail(a); // a is postponed; its slot frees
    EXPECT_EQ(outbox.dispatch(), 1u);
    auto second = dispatcher.take();
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, c); // b is still in flight and not handed out again
    outbox.on_report(SendReport{b, SendResult::success()});
    outbox.on_report(SendReport{c, SendResult::success()});
    EXPECT_EQ(outbox.pending_count(), 1);
    EXPECT_EQ(outbox.in_flight(), 0u);
}

TEST_F(OutboxTest, AMailWithoutAReportIsHandedOutAgainAfterTheLease) {
    const auto id = queue("lost report");
    ASSERT_EQ(outbox.dispatch(), 1u);
    dispatcher.take();
    clock.advance(599s);
    EXPECT_EQ(outbox.dispatch(), 0u);
    clock.advance(1s);
    ASSERT_EQ(outbox.dispatch(), 1u);
    EXPECT_EQ(dispatcher.take().at(0).id, id);
    EXPECT_EQ(row(id).attempts, 0); // the lost attempt was never recorded
}

TEST_F(OutboxTest, LateOrDuplicateReportsDoNotDisturbASentMail) {
    const auto id = queue("x");
    outbox.dispatch();
    outbox.on_report(SendReport{id, SendResult::success()});
    const auto sent = row(id);
    clock.advance(5s);
    fail(id); // a stale failure
    outbox.on_report(SendReport{id, SendResult::success()});
    EXPECT_EQ(row(id).sent_at, sent.sent_at);
    EXPECT_EQ(row(id).attempts, 1);
    EXPECT_EQ(row(id).last_error, "");
    outbox.on_report(SendReport{store::OutboxMailId{999}, SendResult::failure("?")}); // logged
    EXPECT_EQ(outbox.pending_count(), 0);
}

TEST_F(OutboxTest, EnqueueJoinsTheCallersTransaction) {
    EXPECT_THROW(store->transaction([&] {
        queue("rolled back");
        throw std::runtime_error("the state change failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(outbox.pending_count(), 0);
    EXPECT_EQ(outbox.dispatch(), 0u);
}

TEST(FeatureConnectedMail, BilingualTextToTheContactEmail) {
    const center::Account acme{center::AccountId{7}, "Acme", "boss@acme.test", "acme.test", {}};
    const auto mail = feature_connected_mail(acme, center::Feature::whisper_listen);
    EXPECT_EQ(mail.account, center::AccountId{7});
    EXPECT_EQ(mail.to, "boss@acme.test");
    // The feature named as the product page names it, in both languages.
    EXPECT_EQ(feature_name_ru(center::Feature::whisper_listen), "Суфлирование и прослушивание");
    EXPECT_EQ(feature_name_en(center::Feature::whisper_listen), "Whisper and listen");
    EXPECT_EQ(mail.subject, "Возможность «Суфлирование и прослушивание» подключена / Whisper and "
                            "listen is connected");
    for (const char* part :
         {"Для аккаунта «Acme» подключена возможность «Суфлирование и прослушивание».", "«Команда»",
          "«Проекты»", "нажмите на время разговора", "«Прослушать» или «Суфлировать»",
          "Whisper and listen is now connected for the account \"Acme\".", "Team", "Projects",
          "click the time an employee has been talking", "choose Listen or Whisper",
          "Balance → Tariff and features"})
        EXPECT_NE(mail.body.find(part), std::string::npos) << part;
    EXPECT_EQ(mail.body.find('\r'), std::string::npos);
    EXPECT_EQ(mail.body.find("Шептать"), std::string::npos);
    EXPECT_EQ(feature_connected_mail(acme, center::Feature::whisper_listen, "ops@acme.test").to,
              "ops@acme.test");
}

TEST_F(OutboxTest, ConnectingAFeatureQueuesItsMailOnceInTheSameTransaction) {
    center::Features features(*store, clock);
    const center::Actor platform{std::nullopt, "platform-admin:root"};
    const auto status = connect_feature_and_notify(features, *store, clock, platform, acme,
                                                   center::Feature::whisper_listen);
    EXPECT_EQ(status.state, center::FeatureState::connected);
    ASSERT_EQ(outbox.pending_count(), 1);
    ASSERT_EQ(outbox.dispatch(), 1u);
    const auto job = dispatcher.take().at(0);
    EXPECT_EQ(job.message.to, "boss@acme.test");
    EXPECT_EQ(job.message.subject, "Возможность «Суфлирование и прослушивание» подключена / "
                                   "Whisper and listen is connected");

    // Connecting what is connected changes nothing and sends nothing.
    connect_feature_and_notify(features, *store, clock, platform, acme,
                               center::Feature::whisper_listen);
    EXPECT_EQ(outbox.pending_count(), 1);

    // An unknown account: the connect fails, and no mail is left behind.
    EXPECT_THROW(connect_feature_and_notify(features, *store, clock, platform,
                                            center::AccountId{acme.value() + 1},
                                            center::Feature::whisper_listen),
                 core::Error);
    EXPECT_EQ(outbox.pending_count(), 1);
}

// SPEC §7: the connection mail goes to the contact email given with the request.
TEST_F(OutboxTest, TheConnectMailGoesToTheAddressGivenWithTheRequest) {
    center::Features features(*store, clock);
    center::User boss;
    boss.account_id = acme;
    boss.name = "Boss";
    boss.login = "boss";
    boss.role = center::Role::creator;
    boss.sip.user = "boss";
    boss.id = store->users().insert(boss);
    features.request(boss, center::Feature::whisper_listen, std::string("ops@acme.test"));
    connect_feature_and_notify(features, *store, clock, center::system_actor("platform-admin"),
                               acme, center::Feature::whisper_listen);
    ASSERT_EQ(outbox.dispatch(), 1u);
    const auto job = dispatcher.take().at(0);
    EXPECT_EQ(job.message.to, "ops@acme.test");
    EXPECT_NE(job.message.body.find("«Суфлирование и прослушивание»"), std::string::npos);
    EXPECT_NE(job.message.body.find("Whisper and listen is now connected"), std::string::npos);
}

} // namespace
} // namespace suflyor::notify
