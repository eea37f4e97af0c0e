// Comments, saved calls, feature states and the audit log.
#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {

CommentId SqliteComments::insert(const Comment& c) {
    db_.prepare("INSERT INTO comments (call_id, author_id, text, offset_ms, dictated, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, c.call_id)
        .bind(2, c.author_id)
        .bind(3, c.text)
        .bind(4, c.offset_ms)
        .bind(5, c.dictated)
        .bind(6, c.created_at)
        .run();
    return CommentId{db_.last_insert_id()};
}

std::vector<Comment> SqliteComments::list(CallId call) {
    auto s = db_.prepare("SELECT id, call_id, author_id, text, offset_ms, dictated, created_at "
                         "FROM comments WHERE call_id = ? ORDER BY offset_ms, created_at, id");
    s.bind(1, call);
    return all_rows<Comment>(s, [](const Statement& r) {
        return Comment{r.id<CommentId>(0), r.id<CallId>(1), r.id<UserId>(2), r.text(3),
                       r.int64(4),         r.int64(5) != 0, r.time(6)};
    });
}

void SqliteSavedCalls::save(const SavedCall& saved) {
    db_.prepare("INSERT OR IGNORE INTO saved_calls (user_id, call_id, saved_at) VALUES (?, ?, ?)")
        .bind(1, saved.user_id)
        .bind(2, saved.call_id)
        .bind(3, saved.saved_at)
        .run();
}

void SqliteSavedCalls::unsave(UserId user, CallId call) {
    db_.prepare("DELETE FROM saved_calls WHERE user_id = ? AND call_id = ?")
        .bind(1, user)
        .bind(2, call)
        .run();
}

bool SqliteSavedCalls::is_saved(UserId user, CallId call) {
    auto s = db_.prepare("SELECT 1 FROM saved_calls WHERE user_id = ? AND call_id = ?");
    s.bind(1, user).bind(2, call);
    return s.step();
}

std::vector<SavedCall> SqliteSavedCalls::list(UserId user) {
    auto s = db_.prepare("SELECT user_id, call_id, saved_at FROM saved_calls WHERE user_id = ? "
                         "ORDER BY saved_at DESC, call_id DESC");
    s.bind(1, user);
    return all_rows<SavedCall>(s, [](const Statement& r) {
        return SavedCall{r.id<UserId>(0), r.id<CallId>(1), r.time(2)};
    });
}

FeatureStatus SqliteFeatures::get(AccountId account, Feature feature) {
    auto s = db_.prepare("SELECT state, requested_at, connected_at, disabled_at, contact_email "
                         "FROM account_features WHERE account_id = ? AND feature = ?");
    s.bind(1, account).bind(2, to_string(feature));
    FeatureStatus status{account, feature, FeatureState::none, {}, {}, {}, {}};
    if (s.step()) {
        status.state = column_enum<FeatureState>(s, 0, parse_feature_state);
        status.requested_at = s.opt_time(1);
        status.connected_at = s.opt_time(2);
        status.disabled_at = s.opt_time(3);
        status.contact_email = s.text(4);
    }
    return status;
}

void SqliteFeatures::put(const FeatureStatus& f) {
    db_.prepare("INSERT INTO account_features (account_id, feature, state, requested_at, "
                "connected_at, disabled_at, contact_email) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (account_id, feature) DO UPDATE SET state = excluded.state, "
                "requested_at = excluded.requested_at, connected_at = excluded.connected_at, "
                "disabled_at = excluded.disabled_at, contact_email = excluded.contact_email")
        .bind(1, f.account_id)
        .bind(2, to_string(f.feature))
        .bind(3, to_string(f.state))
        .bind(4, f.requested_at)
        .bind(5, f.connected_at)
        .bind(6, f.disabled_at)
        .bind(7, f.contact_email)
        .run();
}

AuditId SqliteAudit::append(const AuditEntry& e) {
    db_.prepare("INSERT INTO audit_log (account_id, actor_user_id, actor_label, action, "
                "object_type, object_id, details, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.account_id)
        .bind(2, e.actor.user_id)
        .bind(3, e.actor.label)
        .bind(4, e.action)
        .bind(5, e.object_type)
        .bind(6, e.object_id)
        .bind(7, e.details)
        .bind(8, e.at)
        .run();
    return AuditId{db_.last_insert_id()};
}

std::vector<AuditEntry> SqliteAudit::list(std::optional<AccountId> account, std::int64_t limit) {
    auto s = db_.prepare("SELECT id, account_id, actor_user_id, actor_label, action, object_type, "
                         "object_id, details, at FROM audit_log "
                         "WHERE ?1 IS NULL OR account_id = ?1 ORDER BY id DESC LIMIT ?2");
    s.bind(1, account).bind(2, limit);
    return all_rows<AuditEntry>(s, [](const Statement& r) {
        return AuditEntry{r.id<AuditId>(0),
                          r.opt_id<AccountId>(1),
                          Actor{r.opt_id<UserId>(2), r.text(3)},
                          r.text(4),
                          r.text(5),
                          r.text(6),
                          r.text(7),
                          r.time(8)};
    });
}

} // namespace suflyor::store::sqlite
