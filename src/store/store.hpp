#pragma once
// Public header of the store module: repository interfaces over the domain's entities, and the
// factory of the SQLite implementation. The store belongs to the control loop's thread.
#include "center/model.hpp"
#include "center/trunk_model.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::store {

using namespace suflyor::center; // the entities are the store's vocabulary

class AccountRepository {
public:
    virtual ~AccountRepository() = default;
    virtual AccountId insert(const Account& account) = 0;
    virtual std::optional<Account> find(AccountId id) = 0;
    virtual std::optional<Account> find_by_name(const std::string& name) = 0;
    virtual std::optional<Account> find_by_sip_domain(const std::string& domain) = 0;
    virtual std::vector<Account> list() = 0;
    virtual std::int64_t count() = 0;
    virtual void set_barge_enabled(AccountId id, bool enabled) = 0;
};

class UserRepository {
public:
    virtual ~UserRepository() = default;
    virtual UserId insert(const User& user) = 0;
    virtual std::optional<User> find(UserId id) = 0;
    virtual std::optional<User> find_by_login(const std::string& login) = 0;
    virtual std::optional<User> find_by_sip_user(AccountId account,
                                                 const std::string& sip_user) = 0;
    virtual std::vector<User> list(AccountId account) = 0;
    virtual std::int64_t count_with_role(AccountId account, Role role) = 0;
    virtual void update_password(UserId id, const std::string& password_hash) = 0;
    virtual void update_sip(UserId id, const SipCredentials& sip) = 0;
    virtual void update_presence(UserId id, Presence presence, WallTime since) = 0;
    virtual void update_ring_device(UserId id, RingDevice device) = 0;
    // Name, login and role as given in `user` (the other fields are not touched).
    virtual void update_profile(const User& user) = 0;
    // Active again (deactivated_at cleared), or deactivated since `at`.
    virtual void set_active(UserId id, bool active, WallTime at) = 0;
    // The project's operators who are `available`, the longest idle first (one query: this is on
    // the path of every inbound call).
    virtual std::vector<User> available_operators(ProjectId project, std::int64_t limit) = 0;
};

class ProjectRepository {
public:
    virtual ~ProjectRepository() = default;
    virtual ProjectId insert(const Project& project) = 0; // with its results; operators ignored
    virtual std::optional<Project> find(ProjectId id) = 0;
    virtual std::optional<Project> find_by_name(AccountId account, const std::string& name) = 0;
    virtual std::vector<Project> list(AccountId account) = 0;
    virtual std::vector<Project> projects_of_operator(UserId user) = 0;
    virtual void add_operator(ProjectId project, UserId user) = 0;
    virtual void remove_operator(ProjectId project, UserId user) = 0; // false-free: no-op if absent
    // Replaces the choosable results; results that calls already carry are retired, not deleted.
    virtual void set_results(ProjectId project, const std::vector<std::string>& labels) = 0;
    // Any result of the project, retired or not (calls keep the label they were given).
    virtual std::optional<ProcessingResult> find_result(ProjectId project, std::int64_t id) = 0;
    virtual void rename(ProjectId project, const std::string& name) = 0;
    // Archives (a time) or unarchives (nullopt) the project.
    virtual void set_archived(ProjectId project, std::optional<WallTime> at) = 0;
    // Any result of the project with that label, retired or not.
    virtual std::optional<ProcessingResult> find_result_by_label(ProjectId project,
                                                                 const std::string& label) = 0;
    // Appends an active result (after the others), or revives a retired one of that label.
    virtual std::int64_t add_result(ProjectId project, const std::string& label) = 0;
    virtual void rename_result(ProjectId project, std::int64_t id, const std::string& label) = 0;
    virtual void retire_result(ProjectId project, std::int64_t id) = 0;
};

struct CallQuery {
    AccountId account_id{0};
    std::optional<CallState> state; // exact state
    bool active_only{false};        // ringing or talking
    std::optional<UserId> operator_id;
    std::optional<ProjectId> project_id;
    std::optional<WallTime> since; // created at or after
    std::optional<WallTime> until; // created before
    std::int64_t limit{50};
    std::int64_t offset{0};
};

class CallRepository {
public:
    virtual ~CallRepository() = default;
    virtual CallId insert(const Call& call) = 0;
    virtual std::optional<Call> find(CallId id) = 0;
    virtual void update(const Call& call) = 0;                   // every mutable field, by id
    virtual std::vector<Call> query(const CallQuery& query) = 0; // newest first
    virtual std::int64_t count(const CallQuery& query) = 0;      // ignores limit/offset
    virtual std::optional<Call> active_call_of_operator(UserId user) = 0;
};

class MonitorSessionRepository {
public:
    virtual ~MonitorSessionRepository() = default;
    // Throws core::Error(conflict) when the call already has an open session.
    virtual MonitorSessionId insert(const MonitorSession& session) = 0;
    virtual std::optional<MonitorSession> find(MonitorSessionId id) = 0;
    virtual std::optional<MonitorSession> open_for_call(CallId call) = 0;
    virtual std::vector<MonitorSession> list_for_call(CallId call) = 0;
    virtual std::vector<MonitorSession> open_sessions() = 0;
    virtual void switch_mode(MonitorSessionId id, const ModeChange& change) = 0;
    virtual void close(MonitorSessionId id, WallTime at, const std::string& reason) = 0;
};

class CommentRepository {
public:
    virtual ~CommentRepository() = default;
    virtual CommentId insert(const Comment& comment) = 0;
    virtual std::vector<Comment> list(CallId call) = 0; // by offset, then creation
};

class SavedCallRepository {
public:
    virtual ~SavedCallRepository() = default;
    virtual void save(const SavedCall& saved) = 0; // idempotent: keeps the first saved_at
    virtual void unsave(UserId user, CallId call) = 0;
    virtual bool is_saved(UserId user, CallId call) = 0;
    virtual std::vector<SavedCall> list(UserId user) = 0; // newest first
};

class FeatureRepository {
public:
    virtual ~FeatureRepository() = default;
    // The stored status, or state `none` when the account never touched the feature.
    virtual FeatureStatus get(AccountId account, Feature feature) = 0;
    virtual void put(const FeatureStatus& status) = 0;
};

class AuditRepository {
public:
    virtual ~AuditRepository() = default;
    virtual AuditId append(const AuditEntry& entry) = 0; // the log is append-only
    virtual std::vector<AuditEntry> list(std::optional<AccountId> account, std::int64_t limit) = 0;
};

// A mail waiting in (or delivered from) the outbox: the notification module writes it inside the
// transaction of the state change it reports, and a sender delivers it later, retrying until sent.
struct OutboxMailTag;
using OutboxMailId = core::Id<OutboxMailTag>;

struct OutboxMail {
    OutboxMailId id{0};
    AccountId account_id{0};
    std::string recipient;
    std::string subject;
    std::string body;
    WallTime created_at{};
    std::int64_t attempts{0}; // delivery attempts made, successful or not
    WallTime next_attempt_at{};
    std::string last_error; // of the latest failed attempt; empty when none failed
    std::optional<WallTime> sent_at;
};

class MailOutboxRepository {
public:
    virtual ~MailOutboxRepository() = default;
    // Stores the mail as given (attempts, next_attempt_at, ...); its id is assigned.
    virtual OutboxMailId insert(const OutboxMail& mail) = 0;
    virtual std::optional<OutboxMail> find(OutboxMailId id) = 0;
    // Unsent mails whose next attempt is at or before `now`, the oldest mail first.
    virtual std::vector<OutboxMail> due(WallTime now, std::int64_t limit) = 0;
    // Both count one attempt. Throw core::Error(not_found) for an unknown or already sent mail.
    virtual void mark_sent(OutboxMailId id, WallTime at) = 0;
    virtual void mark_failed(OutboxMailId id, const std::string& error,
                             WallTime next_attempt_at) = 0;
    virtual std::int64_t pending_count() = 0; // unsent mails
};

// When the running server was last known alive: a periodic beat, read once at start-up to date
// the end of the calls a crash left open.
class HeartbeatRepository {
public:
    virtual ~HeartbeatRepository() = default;
    virtual void beat(WallTime at) = 0;
    virtual std::optional<WallTime> last() = 0; // nullopt: no server ever beat on this database
};

class TrunkRepository {
public:
    virtual ~TrunkRepository() = default;
    virtual TrunkId insert(const TrunkRecord& trunk) = 0; // a taken name: conflict
    virtual std::optional<TrunkRecord> find(TrunkId id) = 0;
    virtual std::optional<TrunkRecord> find_by_name(AccountId account, const std::string& name) = 0;
    virtual std::vector<TrunkRecord> list(AccountId account) = 0; // by id
    virtual std::vector<TrunkRecord> list_all() = 0;              // every account's, by id
    virtual void update(const TrunkRecord& trunk) = 0;            // every field but the account
    virtual void remove(TrunkId id) = 0;                          // with its numbers
    virtual void add_number(const TrunkNumber& number) = 0;       // a taken number: conflict
    virtual std::optional<TrunkNumber> find_number(const std::string& number) = 0;
    virtual std::vector<TrunkNumber> numbers(TrunkId trunk) = 0;                // by number
    virtual std::vector<TrunkNumber> numbers_of_project(ProjectId project) = 0; // by number
    virtual void remove_number(const std::string& number) = 0;
};

class Store {
public:
    virtual ~Store() = default;
    virtual AccountRepository& accounts() = 0;
    virtual UserRepository& users() = 0;
    virtual ProjectRepository& projects() = 0;
    virtual CallRepository& calls() = 0;
    virtual MonitorSessionRepository& monitor_sessions() = 0;
    virtual CommentRepository& comments() = 0;
    virtual SavedCallRepository& saved_calls() = 0;
    virtual FeatureRepository& features() = 0;
    virtual AuditRepository& audit() = 0;
    virtual MailOutboxRepository& mail_outbox() = 0;
    virtual HeartbeatRepository& heartbeat() = 0;
    virtual TrunkRepository& trunks() = 0;
    // Runs `work` atomically: all of its writes land, or none (on exception, rethrown). Nests.
    virtual void transaction(const std::function<void()>& work) = 0;
    [[nodiscard]] virtual int schema_version() = 0;
};

struct SqliteOptions {
    std::filesystem::path path;        // ":memory:" for a private in-memory database
    int busy_timeout_ms{5000};         // another process (the admin CLI) may hold the write lock
    std::optional<int> target_version; // migrate only up to this version (tests of upgrades)
    // A reader beside the server's own connection (WAL lets it read while the loop writes): it
    // never migrates, refuses a schema other than this build's, and writes nothing.
    bool read_only{false};
};

// Opens (creating if needed) and migrates the database. Throws core::Error(storage) with a clear
// message when it cannot, including when the file's schema is newer than this build knows.
std::unique_ptr<Store> open_sqlite(const SqliteOptions& options);

// The schema version this build migrates to.
int latest_schema_version();

} // namespace suflyor::store
