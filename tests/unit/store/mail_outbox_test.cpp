#include "core/error.hpp"
#include "fixtures.hpp"

#include <gtest/gtest.h>

namespace suflyor::store::test {
namespace {

class MailOutboxTest : public StoreTest {
protected:
    AccountId acme = account("acme");

    OutboxMailId mail(const std::string& subject, std::int64_t created, std::int64_t next) {
        return store->mail_outbox().insert(OutboxMail{OutboxMailId{0}, acme, "boss@acme.test",
                                                      subject, "body of " + subject, at(created), 0,
                                                      at(next), "", std::nullopt});
    }
    std::vector<std::string> due_subjects(std::int64_t now, std::int64_t limit = 10) {
        std::vector<std::string> out;
        for (const auto& m : store->mail_outbox().due(at(now), limit))
            out.push_back(m.subject);
        return out;
    }
};

TEST_F(MailOutboxTest, InsertedMailReadsBackFieldForField) {
    const OutboxMail in{OutboxMailId{0},
                        acme,
                        "boss@acme.test",
                        "Возможность «Шептать и слушать» подключена",
                        "Здравствуйте!\r\n.\r\nHello\n",
                        at(5000),
                        0,
                        at(5000),
                        "",
                        std::nullopt};
    const auto id = store->mail_outbox().insert(in);
    EXPECT_GT(id.value(), 0);
    const auto out = store->mail_outbox().find(id);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->id, id);
    EXPECT_EQ(out->account_id, acme);
    EXPECT_EQ(out->recipient, in.recipient);
    EXPECT_EQ(out->subject, in.subject);
    EXPECT_EQ(out->body, in.body);
    EXPECT_EQ(out->created_at, at(5000));
    EXPECT_EQ(out->attempts, 0);
    EXPECT_EQ(out->next_attempt_at, at(5000));
    EXPECT_EQ(out->last_error, "");
    EXPECT_FALSE(out->sent_at);
    EXPECT_FALSE(store->mail_outbox().find(OutboxMailId{id.value() + 1}));
    EXPECT_EQ(store->mail_outbox().pending_count(), 1);
}

TEST_F(MailOutboxTest, DueIsUnsentAtOrBeforeNowOldestFirstUpToTheLimit) {
    mail("c", 3000, 3000);
    mail("a", 1000, 1000);
    mail("later", 500, 9000); // the oldest, but not due until 9000
    mail("b", 2000, 2000);
    struct Case {
        std::int64_t now;
        std::int64_t limit;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {999, 10, {}},          {1000, 10, {"a"}}, // next_attempt_at == now is due
        {2500, 10, {"a", "b"}}, {3000, 10, {"a", "b", "c"}},
        {3000, 2, {"a", "b"}},  {9000, 10, {"later", "a", "b", "c"}},
        {9000, 0, {}},
    };
    for (const auto& c : cases)
        EXPECT_EQ(due_subjects(c.now, c.limit), c.expected)
            << "now " << c.now << " limit " << c.limit;
}

TEST_F(MailOutboxTest, FailedAttemptCountsRecordsTheErrorAndPostponesTheMail) {
    const auto id = mail("a", 1000, 1000);
    store->mail_outbox().mark_failed(id, "Couldn't connect to server", at(61'000));
    auto m = store->mail_outbox().find(id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->attempts, 1);
    EXPECT_EQ(m->last_error, "Couldn't connect to server");
    EXPECT_EQ(m->next_attempt_at, at(61'000));
    EXPECT_FALSE(m->sent_at);
    EXPECT_EQ(due_subjects(60'999), std::vector<std::string>{});
    EXPECT_EQ(due_subjects(61'000), std::vector<std::string>{"a"});

    store->mail_outbox().mark_failed(id, "timeout", at(181'000));
    m = store->mail_outbox().find(id);
    EXPECT_EQ(m->attempts, 2);
    EXPECT_EQ(m->last_error, "timeout");
    EXPECT_EQ(m->next_attempt_at, at(181'000));
    EXPECT_EQ(store->mail_outbox().pending_count(), 1); // a failing mail stays pending
}

TEST_F(MailOutboxTest, SentMailLeavesTheQueueAndKeepsItsHistory) {
    const auto a = mail("a", 1000, 1000);
    const auto b = mail("b", 2000, 2000);
    store->mail_outbox().mark_failed(a, "refused", at(1500));
    store->mail_outbox().mark_sent(a, at(1600));
    const auto m = store->mail_outbox().find(a);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->attempts, 2);
    EXPECT_EQ(m->sent_at, at(1600));
    EXPECT_EQ(m->last_error, "refused"); // the history of the failed attempt stays
    EXPECT_EQ(due_subjects(10'000), std::vector<std::string>{"b"});
    EXPECT_EQ(store->mail_outbox().pending_count(), 1);
    store->mail_outbox().mark_sent(b, at(2100));
    EXPECT_EQ(store->mail_outbox().pending_count(), 0);
    EXPECT_EQ(due_subjects(10'000), std::vector<std::string>{});
}

TEST_F(MailOutboxTest, MarkingASentOrUnknownMailIsNotFound) {
    const auto a = mail("a", 1000, 1000);
    store->mail_outbox().mark_sent(a, at(1100));
    const OutboxMailId unknown{a.value() + 100};
    for (const auto& mark : std::vector<std::function<void()>>{
             [&] { store->mail_outbox().mark_sent(a, at(1200)); },
             [&] { store->mail_outbox().mark_failed(a, "x", at(1200)); },
             [&] { store->mail_outbox().mark_sent(unknown, at(1200)); },
             [&] { store->mail_outbox().mark_failed(unknown, "x", at(1200)); }}) {
        try {
            mark();
            ADD_FAILURE() << "expected not_found";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::not_found);
        }
    }
    EXPECT_EQ(store->mail_outbox().find(a)->sent_at, at(1100)); // unchanged
    EXPECT_EQ(store->mail_outbox().find(a)->attempts, 1);
}

TEST_F(MailOutboxTest, MailOfAnUnknownAccountIsRefused) {
    try {
        store->mail_outbox().insert(OutboxMail{OutboxMailId{0}, AccountId{acme.value() + 1}, "x@y",
                                               "s", "b", at(1), 0, at(1), "", std::nullopt});
        FAIL() << "the foreign key must refuse it";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    EXPECT_EQ(store->mail_outbox().pending_count(), 0);
}

TEST_F(MailOutboxTest, AMailQueuedInARolledBackTransactionIsGone) {
    EXPECT_THROW(store->transaction([&] {
        mail("a", 1000, 1000);
        core::fail(core::ErrorCode::conflict, "the state change failed");
    }),
                 core::Error);
    EXPECT_EQ(store->mail_outbox().pending_count(), 0);
    store->transaction([&] { mail("b", 1000, 1000); });
    EXPECT_EQ(due_subjects(1000), std::vector<std::string>{"b"});
}

} // namespace
} // namespace suflyor::store::test
