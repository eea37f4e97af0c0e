// The mail outbox: notification mails kept until delivered.
#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view outbox_columns = "id, account_id, recipient, subject, body, created_at, "
                                            "attempts, next_attempt_at, last_error, sent_at";

OutboxMail read_mail(const Statement& r) {
    return OutboxMail{r.id<OutboxMailId>(0),
                      r.id<AccountId>(1),
                      r.text(2),
                      r.text(3),
                      r.text(4),
                      r.time(5),
                      r.int64(6),
                      r.time(7),
                      r.text(8),
                      r.opt_time(9)};
}

} // namespace

OutboxMailId SqliteMailOutbox::insert(const OutboxMail& m) {
    db_.prepare("INSERT INTO mail_outbox (account_id, recipient, subject, body, created_at, "
                "attempts, next_attempt_at, last_error, sent_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.account_id)
        .bind(2, m.recipient)
        .bind(3, m.subject)
        .bind(4, m.body)
        .bind(5, m.created_at)
        .bind(6, m.attempts)
        .bind(7, m.next_attempt_at)
        .bind(8, m.last_error)
        .bind(9, m.sent_at)
        .run();
    return OutboxMailId{db_.last_insert_id()};
}

std::optional<OutboxMail> SqliteMailOutbox::find(OutboxMailId id) {
    auto s =
        db_.prepare("SELECT " + std::string(outbox_columns) + " FROM mail_outbox WHERE id = ?");
    s.bind(1, id);
    return first_row<OutboxMail>(s, read_mail);
}

std::vector<OutboxMail> SqliteMailOutbox::due(WallTime now, std::int64_t limit) {
    auto s = db_.prepare("SELECT " + std::string(outbox_columns) +
                         " FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
                         "ORDER BY created_at, id LIMIT ?");
    s.bind(1, now).bind(2, limit);
    return all_rows<OutboxMail>(s, read_mail);
}

void SqliteMailOutbox::mark_sent(OutboxMailId id, WallTime at) {
    db_.prepare("UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1 "
                "WHERE id = ? AND sent_at IS NULL")
        .bind(1, at)
        .bind(2, id)
        .run();
    expect_one_change(db_, "unsent mail " + id.str());
}

void SqliteMailOutbox::mark_failed(OutboxMailId id, const std::string& error,
                                   WallTime next_attempt_at) {
    db_.prepare("UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, "
                "next_attempt_at = ? WHERE id = ? AND sent_at IS NULL")
        .bind(1, error)
        .bind(2, next_attempt_at)
        .bind(3, id)
        .run();
    expect_one_change(db_, "unsent mail " + id.str());
}

std::int64_t SqliteMailOutbox::pending_count() {
    auto s = db_.prepare("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL");
    s.step();
    return s.int64(0);
}

} // namespace suflyor::store::sqlite
