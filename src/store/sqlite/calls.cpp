#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view call_columns =
    "id, account_id, project_id, operator_id, client_number, direction, state, created_at, "
    "answered_at, ended_at, end_reason, recording_path, result_id, result_note, result_by, "
    "result_at, recording_lost_ms";

Call read_call(const Statement& s) {
    Call c;
    c.id = s.id<CallId>(0);
    c.account_id = s.id<AccountId>(1);
    c.project_id = s.opt_id<ProjectId>(2);
    c.operator_id = s.opt_id<UserId>(3);
    c.client_number = s.text(4);
    c.direction = column_enum<CallDirection>(s, 5, parse_call_direction);
    c.state = column_enum<CallState>(s, 6, parse_call_state);
    c.created_at = s.time(7);
    c.answered_at = s.opt_time(8);
    c.ended_at = s.opt_time(9);
    c.end_reason = s.text(10);
    c.recording_path = s.text(11);
    c.result_id = s.opt_int64(12);
    c.result_note = s.text(13);
    c.result_by = s.opt_id<UserId>(14);
    c.result_at = s.opt_time(15);
    c.recording_lost_ms = s.int64(16);
    return c;
}

// The WHERE clause of a query; parameters are bound in the same order by bind_filters.
std::string where_clause(const CallQuery& q) {
    std::string where = " WHERE account_id = ?";
    if (q.state) where += " AND state = ?";
    if (q.active_only) where += " AND state IN ('ringing', 'talking')";
    if (q.operator_id) where += " AND operator_id = ?";
    if (q.project_id) where += " AND project_id = ?";
    if (q.since) where += " AND created_at >= ?";
    if (q.until) where += " AND created_at < ?";
    return where;
}

int bind_filters(Statement& s, const CallQuery& q) {
    int i = 1;
    s.bind(i++, q.account_id);
    if (q.state) s.bind(i++, to_string(*q.state));
    if (q.operator_id) s.bind(i++, *q.operator_id);
    if (q.project_id) s.bind(i++, *q.project_id);
    if (q.since) s.bind(i++, *q.since);
    if (q.until) s.bind(i++, *q.until);
    return i;
}

} // namespace

CallId SqliteCalls::insert(const Call& c) {
    db_.prepare("INSERT INTO calls (account_id, project_id, operator_id, client_number, direction, "
                "state, created_at, answered_at, ended_at, end_reason, recording_path) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, c.account_id)
        .bind(2, c.project_id)
        .bind(3, c.operator_id)
        .bind(4, c.client_number)
        .bind(5, to_string(c.direction))
        .bind(6, to_string(c.state))
        .bind(7, c.created_at)
        .bind(8, c.answered_at)
        .bind(9, c.ended_at)
        .bind(10, c.end_reason)
        .bind(11, c.recording_path)
        .run();
    return CallId{db_.last_insert_id()};
}

std::optional<Call> SqliteCalls::find(CallId id) {
    auto s = db_.prepare("SELECT " + std::string(call_columns) + " FROM calls WHERE id = ?");
    s.bind(1, id);
    return first_row<Call>(s, read_call);
}

void SqliteCalls::update(const Call& c) {
    db_.prepare("UPDATE calls SET project_id = ?, operator_id = ?, client_number = ?, state = ?, "
                "answered_at = ?, ended_at = ?, end_reason = ?, recording_path = ?, result_id = ?, "
                "result_note = ?, result_by = ?, result_at = ?, recording_lost_ms = ? WHERE id = ?")
        .bind(1, c.project_id)
        .bind(2, c.operator_id)
        .bind(3, c.client_number)
        .bind(4, to_string(c.state))
        .bind(5, c.answered_at)
        .bind(6, c.ended_at)
        .bind(7, c.end_reason)
        .bind(8, c.recording_path)
        .bind(9, c.result_id)
        .bind(10, c.result_note)
        .bind(11, c.result_by)
        .bind(12, c.result_at)
        .bind(13, c.recording_lost_ms)
        .bind(14, c.id)
        .run();
    expect_one_change(db_, "call");
}

std::vector<Call> SqliteCalls::query(const CallQuery& q) {
    auto s = db_.prepare("SELECT " + std::string(call_columns) + " FROM calls" + where_clause(q) +
                         " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
    const int next = bind_filters(s, q);
    s.bind(next, q.limit).bind(next + 1, q.offset);
    return all_rows<Call>(s, read_call);
}

std::int64_t SqliteCalls::count(const CallQuery& q) {
    auto s = db_.prepare("SELECT count(*) FROM calls" + where_clause(q));
    bind_filters(s, q);
    s.step();
    return s.int64(0);
}

std::optional<Call> SqliteCalls::active_call_of_operator(UserId user) {
    auto s = db_.prepare("SELECT " + std::string(call_columns) +
                         " FROM calls WHERE operator_id = ? AND state IN ('ringing', 'talking') "
                         "ORDER BY created_at DESC LIMIT 1");
    s.bind(1, user);
    return first_row<Call>(s, read_call);
}

} // namespace suflyor::store::sqlite
