#include "store/sqlite/database.hpp"

#include "core/error.hpp"

#include <utility>

namespace suflyor::store::sqlite {

void raise(sqlite3* db, int rc, std::string_view what) {
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const std::string message = std::string(what) + ": " + detail;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) core::fail(core::ErrorCode::conflict, message);
    core::fail(core::ErrorCode::storage, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc =
        sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) raise(db, rc, "prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement::Statement(sqlite3* db, CachedStatement& cached)
    : db_(db), stmt_(cached.stmt), cached_(&cached) {
    cached.in_use = true;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)),
      cached_(std::exchange(other.cached_, nullptr)) {}

Statement::~Statement() {
    if (cached_ == nullptr) {
        sqlite3_finalize(stmt_);
        return;
    }
    // Ends any read the statement still holds; its result code repeats the last step's error.
    (void)sqlite3_reset(stmt_);
    (void)sqlite3_clear_bindings(stmt_);
    cached_->in_use = false;
}

void Statement::check_bind(int rc, int index) {
    if (rc != SQLITE_OK) raise(db_, rc, "bind parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check_bind(
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

Statement& Statement::bind_null(int index) {
    check_bind(sqlite3_bind_null(stmt_, index), index);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    raise(db_, rc, "step");
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(stmt_, column);
    if (data == nullptr) return {};
    return {reinterpret_cast<const char*>(data),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<core::WallTime> Statement::opt_time(int column) const {
    if (is_null(column)) return std::nullopt;
    return time(column);
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

Database::Database(const std::string& path, int busy_timeout_ms, bool read_only) {
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = "cannot open database '" + path + "'";
        // The handle must be closed even on failure; read the message first.
        std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        core::fail(core::ErrorCode::storage, message + ": " + detail);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Database::~Database() {
    for (auto& [sql, cached] : statements_)
        sqlite3_finalize(cached.stmt);
    sqlite3_close_v2(db_);
}

Statement Database::prepare(std::string_view sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
        if (statements_.size() >= max_cached_statements) return Statement(db_, sql);
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) raise(db_, rc, "prepare '" + std::string(sql.substr(0, 60)) + "'");
        found = statements_.emplace(std::string(sql), CachedStatement{stmt, false}).first;
    }
    if (found->second.in_use) return Statement(db_, sql);
    return Statement(db_, found->second);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    const std::string owned(sql);
    const int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string detail = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        const std::string message = "exec '" + owned.substr(0, 60) + "': " + detail;
        if ((rc & 0xff) == SQLITE_CONSTRAINT) core::fail(core::ErrorCode::conflict, message);
        core::fail(core::ErrorCode::storage, message);
    }
}

} // namespace suflyor::store::sqlite
