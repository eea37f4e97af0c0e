#include "core/error.hpp"
#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view account_columns =
    "id, name, contact_email, sip_domain, created_at, barge_enabled";

Account read_account(const Statement& s) {
    return Account{s.id<AccountId>(0), s.text(1), s.text(2), s.text(3), s.time(4), s.int64(5) != 0};
}

constexpr std::string_view user_columns =
    "id, account_id, name, login, role, password_hash, sip_user, sip_ha1_md5, sip_ha1_sha256, "
    "presence, presence_since, created_at, ring_device, active, deactivated_at";

User read_user(const Statement& s) {
    User u;
    u.id = s.id<UserId>(0);
    u.account_id = s.id<AccountId>(1);
    u.name = s.text(2);
    u.login = s.text(3);
    u.role = column_enum<Role>(s, 4, parse_role);
    u.password_hash = s.text(5);
    u.sip = SipCredentials{s.text(6), s.text(7), s.text(8)};
    u.presence = column_enum<Presence>(s, 9, parse_presence);
    u.presence_since = s.time(10);
    u.created_at = s.time(11);
    u.ring_device = column_enum<RingDevice>(s, 12, parse_ring_device);
    u.active = s.int64(13) != 0;
    u.deactivated_at = s.opt_time(14);
    return u;
}

} // namespace

AccountId SqliteAccounts::insert(const Account& a) {
    db_.prepare("INSERT INTO accounts (name, contact_email, sip_domain, created_at, "
                "barge_enabled) VALUES (?, ?, ?, ?, ?)")
        .bind(1, a.name)
        .bind(2, a.contact_email)
        .bind(3, a.sip_domain)
        .bind(4, a.created_at)
        .bind(5, std::int64_t{a.barge_enabled ? 1 : 0})
        .run();
    return AccountId{db_.last_insert_id()};
}

void SqliteAccounts::set_barge_enabled(AccountId id, bool enabled) {
    db_.prepare("UPDATE accounts SET barge_enabled = ? WHERE id = ?")
        .bind(1, std::int64_t{enabled ? 1 : 0})
        .bind(2, id)
        .run();
}

std::optional<Account> SqliteAccounts::find(AccountId id) {
    auto s = db_.prepare("SELECT " + std::string(account_columns) + " FROM accounts WHERE id = ?");
    s.bind(1, id);
    return first_row<Account>(s, read_account);
}

std::optional<Account> SqliteAccounts::find_by_name(const std::string& name) {
    auto s =
        db_.prepare("SELECT " + std::string(account_columns) + " FROM accounts WHERE name = ?");
    s.bind(1, name);
    return first_row<Account>(s, read_account);
}

std::optional<Account> SqliteAccounts::find_by_sip_domain(const std::string& domain) {
    auto s = db_.prepare("SELECT " + std::string(account_columns) +
                         " FROM accounts WHERE sip_domain = ?");
    s.bind(1, domain);
    return first_row<Account>(s, read_account);
}

std::vector<Account> SqliteAccounts::list() {
    auto s = db_.prepare("SELECT " + std::string(account_columns) + " FROM accounts ORDER BY id");
    return all_rows<Account>(s, read_account);
}

std::int64_t SqliteAccounts::count() {
    auto s = db_.prepare("SELECT count(*) FROM accounts");
    s.step();
    return s.int64(0);
}

UserId SqliteUsers::insert(const User& u) {
    db_.prepare("INSERT INTO users (account_id, name, login, role, password_hash, sip_user, "
                "sip_ha1_md5, sip_ha1_sha256, presence, presence_since, created_at, ring_device) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, u.account_id)
        .bind(2, u.name)
        .bind(3, u.login)
        .bind(4, to_string(u.role))
        .bind(5, u.password_hash)
        .bind(6, u.sip.user)
        .bind(7, u.sip.ha1_md5)
        .bind(8, u.sip.ha1_sha256)
        .bind(9, to_string(u.presence))
        .bind(10, u.presence_since)
        .bind(11, u.created_at)
        .bind(12, to_string(u.ring_device))
        .run();
    return UserId{db_.last_insert_id()};
}

std::optional<User> SqliteUsers::find(UserId id) {
    auto s = db_.prepare("SELECT " + std::string(user_columns) + " FROM users WHERE id = ?");
    s.bind(1, id);
    return first_row<User>(s, read_user);
}

std::optional<User> SqliteUsers::find_by_login(const std::string& login) {
    auto s = db_.prepare("SELECT " + std::string(user_columns) + " FROM users WHERE login = ?");
    s.bind(1, login);
    return first_row<User>(s, read_user);
}

std::optional<User> SqliteUsers::find_by_sip_user(AccountId account, const std::string& sip_user) {
    auto s = db_.prepare("SELECT " + std::string(user_columns) +
                         " FROM users WHERE account_id = ? AND sip_user = ?");
    s.bind(1, account).bind(2, sip_user);
    return first_row<User>(s, read_user);
}

std::vector<User> SqliteUsers::list(AccountId account) {
    auto s = db_.prepare("SELECT " + std::string(user_columns) +
                         " FROM users WHERE account_id = ? ORDER BY name, id");
    s.bind(1, account);
    return all_rows<User>(s, read_user);
}

std::int64_t SqliteUsers::count_with_role(AccountId account, Role role) {
    auto s = db_.prepare("SELECT count(*) FROM users WHERE account_id = ? AND role = ?");
    s.bind(1, account).bind(2, to_string(role));
    s.step();
    return s.int64(0);
}

void SqliteUsers::update_password(UserId id, const std::string& password_hash) {
    db_.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(1, password_hash)
        .bind(2, id)
        .run();
    expect_one_change(db_, "user");
}

void SqliteUsers::update_sip(UserId id, const SipCredentials& sip) {
    db_.prepare("UPDATE users SET sip_user = ?, sip_ha1_md5 = ?, sip_ha1_sha256 = ? WHERE id = ?")
        .bind(1, sip.user)
        .bind(2, sip.ha1_md5)
        .bind(3, sip.ha1_sha256)
        .bind(4, id)
        .run();
    expect_one_change(db_, "user");
}

void SqliteUsers::update_ring_device(UserId id, RingDevice device) {
    db_.prepare("UPDATE users SET ring_device = ? WHERE id = ?")
        .bind(1, to_string(device))
        .bind(2, id)
        .run();
    expect_one_change(db_, "user");
}

std::vector<User> SqliteUsers::available_operators(ProjectId project, std::int64_t limit) {
    std::string columns;
    for (std::string_view rest = user_columns; !rest.empty();) {
        const auto comma = rest.find(", ");
        columns += (columns.empty() ? "u." : ", u.") + std::string(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
    }
    auto s = db_.prepare("SELECT " + columns +
                         " FROM project_operators o JOIN users u ON u.id = o.user_id "
                         "WHERE o.project_id = ? AND u.presence = 'available' AND u.active = 1 "
                         "ORDER BY u.presence_since, u.id LIMIT ?");
    s.bind(1, project).bind(2, limit);
    return all_rows<User>(s, read_user);
}

void SqliteUsers::update_profile(const User& u) {
    db_.prepare("UPDATE users SET name = ?, login = ?, role = ? WHERE id = ?")
        .bind(1, u.name)
        .bind(2, u.login)
        .bind(3, to_string(u.role))
        .bind(4, u.id)
        .run();
    expect_one_change(db_, "user");
}

void SqliteUsers::set_active(UserId id, bool active, WallTime at) {
    db_.prepare("UPDATE users SET active = ?, deactivated_at = ? WHERE id = ?")
        .bind(1, std::int64_t{active ? 1 : 0})
        .bind(2, active ? std::optional<WallTime>{} : std::optional<WallTime>{at})
        .bind(3, id)
        .run();
    expect_one_change(db_, "user");
}

void SqliteUsers::update_presence(UserId id, Presence presence, WallTime since) {
    db_.prepare("UPDATE users SET presence = ?, presence_since = ? WHERE id = ?")
        .bind(1, to_string(presence))
        .bind(2, since)
        .bind(3, id)
        .run();
    expect_one_change(db_, "user");
}

} // namespace suflyor::store::sqlite
