#pragma once
// SQLite implementations of the repository interfaces (internal to the store module).
#include "core/error.hpp"
#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace suflyor::store::sqlite {

class SqliteAccounts final : public AccountRepository {
public:
    explicit SqliteAccounts(Database& db) : db_(db) {}
    AccountId insert(const Account& account) override;
    std::optional<Account> find(AccountId id) override;
    std::optional<Account> find_by_name(const std::string& name) override;
    std::optional<Account> find_by_sip_domain(const std::string& domain) override;
    std::vector<Account> list() override;
    std::int64_t count() override;
    void set_barge_enabled(AccountId id, bool enabled) override;

private:
    Database& db_;
};

class SqliteUsers final : public UserRepository {
public:
    explicit SqliteUsers(Database& db) : db_(db) {}
    UserId insert(const User& user) override;
    std::optional<User> find(UserId id) override;
    std::optional<User> find_by_login(const std::string& login) override;
    std::optional<User> find_by_sip_user(AccountId account, const std::string& sip_user) override;
    std::vector<User> list(AccountId account) override;
    std::int64_t count_with_role(AccountId account, Role role) override;
    void update_password(UserId id, const std::string& password_hash) override;
    void update_sip(UserId id, const SipCredentials& sip) override;
    void update_presence(UserId id, Presence presence, WallTime since) override;
    void update_ring_device(UserId id, RingDevice device) override;
    void update_profile(const User& user) override;
    void set_active(UserId id, bool active, WallTime at) override;
    std::vector<User> available_operators(ProjectId project, std::int64_t limit) override;

private:
    Database& db_;
};

class SqliteProjects final : public ProjectRepository {
public:
    explicit SqliteProjects(Database& db) : db_(db) {}
    ProjectId insert(const Project& project) override;
    std::optional<Project> find(ProjectId id) override;
    std::optional<Project> find_by_name(AccountId account, const std::string& name) override;
    std::vector<Project> list(AccountId account) override;
    std::vector<Project> projects_of_operator(UserId user) override;
    void add_operator(ProjectId project, UserId user) override;
    void remove_operator(ProjectId project, UserId user) override;
    void set_results(ProjectId project, const std::vector<std::string>& labels) override;
    std::optional<ProcessingResult> find_result(ProjectId project, std::int64_t id) override;
    void rename(ProjectId project, const std::string& name) override;
    void set_archived(ProjectId project, std::optional<WallTime> at) override;
    std::optional<ProcessingResult> find_result_by_label(ProjectId project,
                                                         const std::string& label) override;
    std::int64_t add_result(ProjectId project, const std::string& label) override;
    void rename_result(ProjectId project, std::int64_t id, const std::string& label) override;
    void retire_result(ProjectId project, std::int64_t id) override;

private:
    std::vector<Project> load(Statement& stmt);
    Database& db_;
};

class SqliteCalls final : public CallRepository {
public:
    explicit SqliteCalls(Database& db) : db_(db) {}
    CallId insert(const Call& call) override;
    std::optional<Call> find(CallId id) override;
    void update(const Call& call) override;
    std::vector<Call> query(const CallQuery& query) override;
    std::int64_t count(const CallQuery& query) override;
    std::optional<Call> active_call_of_operator(UserId user) override;

private:
    Database& db_;
};

class SqliteMonitorSessions final : public MonitorSessionRepository {
public:
    explicit SqliteMonitorSessions(Database& db) : db_(db) {}
    MonitorSessionId insert(const MonitorSession& session) override;
    std::optional<MonitorSession> find(MonitorSessionId id) override;
    std::optional<MonitorSession> open_for_call(CallId call) override;
    std::vector<MonitorSession> list_for_call(CallId call) override;
    std::vector<MonitorSession> open_sessions() override;
    void switch_mode(MonitorSessionId id, const ModeChange& change) override;
    void close(MonitorSessionId id, WallTime at, const std::string& reason) override;

private:
    std::vector<MonitorSession> load(Statement& stmt);
    Database& db_;
};

class SqliteComments final : public CommentRepository {
public:
    explicit SqliteComments(Database& db) : db_(db) {}
    CommentId insert(const Comment& comment) override;
    std::vector<Comment> list(CallId call) override;

private:
    Database& db_;
};

class SqliteSavedCalls final : public SavedCallRepository {
public:
    explicit SqliteSavedCalls(Database& db) : db_(db) {}
    void save(const SavedCall& saved) override;
    void unsave(UserId user, CallId call) override;
    bool is_saved(UserId user, CallId call) override;
    std::vector<SavedCall> list(UserId user) override;

private:
    Database& db_;
};

class SqliteFeatures final : public FeatureRepository {
public:
    explicit SqliteFeatures(Database& db) : db_(db) {}
    FeatureStatus get(AccountId account, Feature feature) override;
    void put(const FeatureStatus& status) override;

private:
    Database& db_;
};

class SqliteAudit final : public AuditRepository {
public:
    explicit SqliteAudit(Database& db) : db_(db) {}
    AuditId append(const AuditEntry& entry) override;
    std::vector<AuditEntry> list(std::optional<AccountId> account, std::int64_t limit) override;

private:
    Database& db_;
};

class SqliteMailOutbox final : public MailOutboxRepository {
public:
    explicit SqliteMailOutbox(Database& db) : db_(db) {}
    OutboxMailId insert(const OutboxMail& mail) override;
    std::optional<OutboxMail> find(OutboxMailId id) override;
    std::vector<OutboxMail> due(WallTime now, std::int64_t limit) override;
    void mark_sent(OutboxMailId id, WallTime at) override;
    void mark_failed(OutboxMailId id, const std::string& error, WallTime next_attempt_at) override;
    std::int64_t pending_count() override;

private:
    Database& db_;
};

class SqliteHeartbeat final : public HeartbeatRepository {
public:
    explicit SqliteHeartbeat(Database& db) : db_(db) {}
    void beat(WallTime at) override;
    std::optional<WallTime> last() override;

private:
    Database& db_;
};

class SqliteTrunks final : public TrunkRepository {
public:
    explicit SqliteTrunks(Database& db) : db_(db) {}
    TrunkId insert(const TrunkRecord& trunk) override;
    std::optional<TrunkRecord> find(TrunkId id) override;
    std::optional<TrunkRecord> find_by_name(AccountId account, const std::string& name) override;
    std::vector<TrunkRecord> list(AccountId account) override;
    std::vector<TrunkRecord> list_all() override;
    void update(const TrunkRecord& trunk) override;
    void remove(TrunkId id) override;
    void add_number(const TrunkNumber& number) override;
    std::optional<TrunkNumber> find_number(const std::string& number) override;
    std::vector<TrunkNumber> numbers(TrunkId trunk) override;
    std::vector<TrunkNumber> numbers_of_project(ProjectId project) override;
    void remove_number(const std::string& number) override;

private:
    Database& db_;
};

// Reads a text column into an enum through its parser; a value the schema's CHECK should have
// refused means a corrupt database.
template <class E, class Parse> E column_enum(const Statement& stmt, int column, Parse parse) {
    const auto text = stmt.text(column);
    if (auto value = parse(text)) return *value;
    core::fail(core::ErrorCode::storage, "corrupt value '" + text + "' in database");
}

template <class T, class Read> std::optional<T> first_row(Statement& stmt, Read read) {
    if (stmt.step()) return read(stmt);
    return std::nullopt;
}

template <class T, class Read> std::vector<T> all_rows(Statement& stmt, Read read) {
    std::vector<T> out;
    while (stmt.step())
        out.push_back(read(stmt));
    return out;
}

// For updates by id: no row changed means there is no such object.
inline void expect_one_change(Database& db, std::string_view what) {
    if (db.changes() != 1) core::fail(core::ErrorCode::not_found, std::string(what) + " not found");
}

} // namespace suflyor::store::sqlite
