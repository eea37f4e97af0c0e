#include "store/sqlite/migrations.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

namespace suflyor::store::sqlite {
namespace {

// Never edit a migration that has shipped: add a new one.
constexpr std::array<Migration, 12> all_migrations{{
    {1, "accounts, users, projects", R"sql(
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    contact_email TEXT NOT NULL,
    sip_domain    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at    INTEGER NOT NULL
);
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    login          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role           TEXT NOT NULL CHECK (role IN ('creator', 'administrator', 'operator')),
    password_hash  TEXT NOT NULL,
    sip_user       TEXT NOT NULL,
    sip_ha1_md5    TEXT NOT NULL,
    sip_ha1_sha256 TEXT NOT NULL,
    presence       TEXT NOT NULL DEFAULT 'offline'
                   CHECK (presence IN ('offline', 'available', 'ringing', 'talking')),
    presence_since INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (account_id, sip_user)
);
-- One creator per account, enforced by the database as well as by the domain.
CREATE UNIQUE INDEX users_one_creator_per_account ON users(account_id) WHERE role = 'creator';
CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, name)
);
CREATE TABLE project_operators (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
CREATE TRIGGER project_operators_same_account BEFORE INSERT ON project_operators
WHEN (SELECT account_id FROM users WHERE id = NEW.user_id)
     IS NOT (SELECT account_id FROM projects WHERE id = NEW.project_id)
BEGIN
    SELECT RAISE(ABORT, 'operator and project belong to different accounts');
END;
CREATE TABLE processing_results (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    retired    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, label)
);
)sql"},
    {2, "calls, monitor sessions, comments, saved calls", R"sql(
CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id     INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    operator_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    client_number  TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    state          TEXT NOT NULL CHECK (state IN ('ringing', 'talking', 'ended')),
    created_at     INTEGER NOT NULL,
    answered_at    INTEGER,
    ended_at       INTEGER,
    end_reason     TEXT NOT NULL DEFAULT '',
    recording_path TEXT NOT NULL DEFAULT '',
    result_id      INTEGER REFERENCES processing_results(id),
    result_note    TEXT NOT NULL DEFAULT '',
    result_by      INTEGER REFERENCES users(id),
    result_at      INTEGER
);
CREATE INDEX calls_by_account ON calls(account_id, state, created_at);
CREATE INDEX calls_by_operator ON calls(operator_id, created_at);
CREATE TABLE monitor_sessions (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    call_id       INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    supervisor_id INTEGER NOT NULL REFERENCES users(id),
    mode          TEXT NOT NULL CHECK (mode IN ('listen', 'whisper', 'barge')),
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    end_reason    TEXT NOT NULL DEFAULT ''
);
-- At most one open monitor session per call.
CREATE UNIQUE INDEX monitor_sessions_one_open_per_call ON monitor_sessions(call_id)
    WHERE ended_at IS NULL;
CREATE TABLE monitor_modes (
    session_id INTEGER NOT NULL REFERENCES monitor_sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('listen', 'whisper', 'barge')),
    at         INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    call_id    INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    offset_ms  INTEGER NOT NULL CHECK (offset_ms >= 0),
    dictated   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_by_call ON comments(call_id, offset_ms);
CREATE TABLE saved_calls (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    call_id  INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, call_id)
);
)sql"},
    {3, "features per account, audit log", R"sql(
CREATE TABLE account_features (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    feature      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('none', 'requested', 'connected', 'disabled')),
    requested_at INTEGER,
    connected_at INTEGER,
    disabled_at  INTEGER,
    PRIMARY KEY (account_id, feature)
);
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER,
    actor_user_id INTEGER,
    actor_label   TEXT NOT NULL,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    details       TEXT NOT NULL DEFAULT '{}',
    at            INTEGER NOT NULL
);
CREATE INDEX audit_log_by_account ON audit_log(account_id, at);
-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    {4, "mail outbox", R"sql(
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         INTEGER
);
-- What the sender asks for on every cycle: the unsent mails that are due.
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL;
)sql"},
    {5, "barge per account", R"sql(
-- Whether the account's supervisors may barge in (speak to both parties); listen and whisper
-- are not affected. On by default, as before this setting existed.
ALTER TABLE accounts ADD COLUMN barge_enabled INTEGER NOT NULL DEFAULT 1
  CHECK (barge_enabled IN (0, 1));
)sql"},
    {6, "server heartbeat", R"sql(
-- When the running server was last known alive (written every few seconds): a restart ends the
-- calls a crash left open at this time (docs/operations.md "Restarts").
CREATE TABLE server_heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
)sql"},
    {7, "ring device per user", R"sql(
-- Which device rings for the user: their SIP phone (as before this setting existed) or the web
-- app's softphone in a signed-in browser tab.
ALTER TABLE users ADD COLUMN ring_device TEXT NOT NULL DEFAULT 'sip_phone'
  CHECK (ring_device IN ('sip_phone', 'browser'));
)sql"},
    {8, "employees deactivated, never deleted", R"sql(
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;
)sql"},
    {9, "archived projects", R"sql(
-- When the project was archived (NULL: active). An archived project takes no new calls; its
-- calls, results and operators stay.
ALTER TABLE projects ADD COLUMN archived_at INTEGER;
)sql"},
    {10, "trunks and numbers", R"sql(
-- SIP trunks edited in the web UI (config [[trunks]] stay in the file). The registration password
-- is sealed with the server's key (docs/operations.md "Trunk secrets"), never stored in clear.
CREATE TABLE trunks (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    peer              TEXT NOT NULL,
    transport         TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
    sources           TEXT NOT NULL DEFAULT '', -- one address or CIDR range a line
    caller_id         TEXT NOT NULL DEFAULT '',
    register_outbound INTEGER NOT NULL DEFAULT 0 CHECK (register_outbound IN (0, 1)),
    username          TEXT NOT NULL DEFAULT '',
    sealed_password   TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    UNIQUE (account_id, name)
);
-- A dialled number routes to one project on the whole server: an inbound DID is never ambiguous.
CREATE TABLE trunk_numbers (
    number     TEXT PRIMARY KEY,
    trunk_id   INTEGER NOT NULL REFERENCES trunks(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE
);
CREATE INDEX trunk_numbers_by_trunk ON trunk_numbers(trunk_id);
CREATE INDEX trunk_numbers_by_project ON trunk_numbers(project_id);
)sql"},
    {11, "contact email of a feature request", R"sql(
-- The address given with the request («Подключить» form), where the connection mail goes.
-- Empty: none given (a direct connect, or a request from before this column) → the account's.
ALTER TABLE account_features ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
)sql"},
    {12, "audio lost from a call's recording", R"sql(
ALTER TABLE calls ADD COLUMN recording_lost_ms INTEGER NOT NULL DEFAULT 0
  CHECK (recording_lost_ms >= 0);
)sql"},
}};

} // namespace

std::span<const Migration> migrations() { return all_migrations; }

int schema_version(Database& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    stmt.step();
    return static_cast<int>(stmt.int64(0));
}

void migrate(Database& db, std::optional<int> target) {
    const int latest = all_migrations.back().version;
    const int goal = target.value_or(latest);
    db.exec("BEGIN IMMEDIATE");
    try {
        const int current = schema_version(db);
        if (current > latest)
            core::fail(core::ErrorCode::storage,
                       "database schema version " + std::to_string(current) +
                           " is newer than this build knows (" + std::to_string(latest) +
                           "): upgrade Suflyor or use a matching database");
        for (const auto& m : all_migrations) {
            if (m.version <= current || m.version > goal) continue;
            spdlog::info("store: applying migration {} ({})", m.version, m.description);
            db.exec(m.sql);
            db.exec("PRAGMA user_version = " + std::to_string(m.version));
        }
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

} // namespace suflyor::store::sqlite
