#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view session_columns =
    "id, account_id, call_id, supervisor_id, mode, started_at, ended_at, end_reason";

MonitorSession read_session(const Statement& s) {
    MonitorSession m;
    m.id = s.id<MonitorSessionId>(0);
    m.account_id = s.id<AccountId>(1);
    m.call_id = s.id<CallId>(2);
    m.supervisor_id = s.id<UserId>(3);
    m.mode = column_enum<MonitorMode>(s, 4, parse_monitor_mode);
    m.started_at = s.time(5);
    m.ended_at = s.opt_time(6);
    m.end_reason = s.text(7);
    return m;
}

std::string select_sessions(std::string_view where) {
    return "SELECT " + std::string(session_columns) + " FROM monitor_sessions " +
           std::string(where);
}

} // namespace

std::vector<MonitorSession> SqliteMonitorSessions::load(Statement& stmt) {
    auto sessions = all_rows<MonitorSession>(stmt, read_session);
    for (auto& m : sessions) {
        auto modes =
            db_.prepare("SELECT mode, at FROM monitor_modes WHERE session_id = ? ORDER BY seq");
        modes.bind(1, m.id);
        while (modes.step())
            m.modes.push_back(
                ModeChange{column_enum<MonitorMode>(modes, 0, parse_monitor_mode), modes.time(1)});
    }
    return sessions;
}

MonitorSessionId SqliteMonitorSessions::insert(const MonitorSession& m) {
    try {
        db_.prepare("INSERT INTO monitor_sessions (account_id, call_id, supervisor_id, mode, "
                    "started_at, ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, m.account_id)
            .bind(2, m.call_id)
            .bind(3, m.supervisor_id)
            .bind(4, to_string(m.mode))
            .bind(5, m.started_at)
            .bind(6, m.ended_at)
            .bind(7, m.end_reason)
            .run();
    } catch (const core::Error& e) {
        if (e.code() == core::ErrorCode::conflict)
            core::fail(core::ErrorCode::already_monitored,
                       "call " + m.call_id.str() + " already has an open monitor session");
        throw;
    }
    const MonitorSessionId id{db_.last_insert_id()};
    switch_mode(id, ModeChange{m.mode, m.started_at});
    return id;
}

std::optional<MonitorSession> SqliteMonitorSessions::find(MonitorSessionId id) {
    auto s = db_.prepare(select_sessions("WHERE id = ?"));
    s.bind(1, id);
    auto found = load(s);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::optional<MonitorSession> SqliteMonitorSessions::open_for_call(CallId call) {
    auto s = db_.prepare(select_sessions("WHERE call_id = ? AND ended_at IS NULL"));
    s.bind(1, call);
    auto found = load(s);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<MonitorSession> SqliteMonitorSessions::list_for_call(CallId call) {
    auto s = db_.prepare(select_sessions("WHERE call_id = ? ORDER BY started_at, id"));
    s.bind(1, call);
    return load(s);
}

std::vector<MonitorSession> SqliteMonitorSessions::open_sessions() {
    auto s = db_.prepare(select_sessions("WHERE ended_at IS NULL ORDER BY id"));
    return load(s);
}

void SqliteMonitorSessions::switch_mode(MonitorSessionId id, const ModeChange& change) {
    db_.prepare("UPDATE monitor_sessions SET mode = ? WHERE id = ?")
        .bind(1, to_string(change.mode))
        .bind(2, id)
        .run();
    expect_one_change(db_, "monitor session");
    db_.prepare("INSERT INTO monitor_modes (session_id, seq, mode, at) VALUES "
                "(?1, (SELECT coalesce(max(seq), 0) + 1 FROM monitor_modes WHERE session_id = ?1), "
                "?2, ?3)")
        .bind(1, id)
        .bind(2, to_string(change.mode))
        .bind(3, change.at)
        .run();
}

void SqliteMonitorSessions::close(MonitorSessionId id, WallTime at, const std::string& reason) {
    db_.prepare("UPDATE monitor_sessions SET ended_at = ?, end_reason = ? "
                "WHERE id = ? AND ended_at IS NULL")
        .bind(1, at)
        .bind(2, reason)
        .bind(3, id)
        .run();
    expect_one_change(db_, "open monitor session");
}

} // namespace suflyor::store::sqlite
