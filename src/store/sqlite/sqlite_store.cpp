#include "core/error.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/repositories.hpp"

#include <filesystem>

namespace suflyor::store {
namespace sqlite {
namespace {

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const SqliteOptions& options)
        : db_(options.read_only ? options.path.string() : prepare_path(options.path),
              options.busy_timeout_ms, options.read_only),
          read_only_(options.read_only) {
        if (read_only_) {
            db_.exec("PRAGMA query_only = ON");
            if (const int version = sqlite::schema_version(db_);
                version != sqlite::migrations().back().version)
                core::fail(core::ErrorCode::storage,
                           "database '" + options.path.string() + "' has schema version " +
                               std::to_string(version) + ", this build reads version " +
                               std::to_string(sqlite::migrations().back().version));
            return;
        }
        db_.exec("PRAGMA foreign_keys = ON");
        if (options.path != ":memory:") {
            db_.exec("PRAGMA journal_mode = WAL");
            db_.exec("PRAGMA synchronous = NORMAL"); // WAL keeps this crash-safe
        }
        migrate(db_, options.target_version);
    }

    AccountRepository& accounts() override { return accounts_; }
    UserRepository& users() override { return users_; }
    ProjectRepository& projects() override { return projects_; }
    CallRepository& calls() override { return calls_; }
    MonitorSessionRepository& monitor_sessions() override { return monitor_sessions_; }
    CommentRepository& comments() override { return comments_; }
    SavedCallRepository& saved_calls() override { return saved_calls_; }
    FeatureRepository& features() override { return features_; }
    AuditRepository& audit() override { return audit_; }
    MailOutboxRepository& mail_outbox() override { return mail_outbox_; }
    HeartbeatRepository& heartbeat() override { return heartbeat_; }
    TrunkRepository& trunks() override { return trunks_; }
    int schema_version() override { return sqlite::schema_version(db_); }

    void transaction(const std::function<void()>& work) override {
        // The outermost level takes the write lock up front (no lock-upgrade deadlock with
        // another process); inner levels are savepoints, so a failed inner step undoes only itself
        // when the caller catches it.
        const bool outermost = depth_ == 0;
        const std::string savepoint = "sp" + std::to_string(depth_);
        // A reader's transaction is a consistent snapshot: it takes no write lock.
        db_.exec(outermost ? (read_only_ ? "BEGIN" : "BEGIN IMMEDIATE") : "SAVEPOINT " + savepoint);
        ++depth_;
        try {
            work();
        } catch (...) {
            --depth_;
            db_.exec(outermost ? "ROLLBACK"
                               : "ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
            throw;
        }
        --depth_;
        db_.exec(outermost ? "COMMIT" : "RELEASE " + savepoint);
    }

private:
    static std::string prepare_path(const std::filesystem::path& path) {
        if (path != ":memory:" && path.has_parent_path()) {
            std::error_code ec;
            std::filesystem::create_directories(path.parent_path(), ec);
            if (ec)
                core::fail(core::ErrorCode::storage, "cannot create directory '" +
                                                         path.parent_path().string() +
                                                         "': " + ec.message());
        }
        return path.string();
    }

    Database db_;
    bool read_only_{false};
    int depth_{0};
    SqliteAccounts accounts_{db_};
    SqliteUsers users_{db_};
    SqliteProjects projects_{db_};
    SqliteCalls calls_{db_};
    SqliteMonitorSessions monitor_sessions_{db_};
    SqliteComments comments_{db_};
    SqliteSavedCalls saved_calls_{db_};
    SqliteFeatures features_{db_};
    SqliteAudit audit_{db_};
    SqliteMailOutbox mail_outbox_{db_};
    SqliteHeartbeat heartbeat_{db_};
    SqliteTrunks trunks_{db_};
};

} // namespace
} // namespace sqlite

std::unique_ptr<Store> open_sqlite(const SqliteOptions& options) {
    return std::make_unique<sqlite::SqliteStore>(options);
}

int latest_schema_version() { return sqlite::migrations().back().version; }

} // namespace suflyor::store
