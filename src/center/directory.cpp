#include "center/directory.hpp"

#include "center/validation.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "store/store.hpp"

namespace suflyor::center {

using core::ErrorCode;
using core::fail;

Directory::Directory(store::Store& store, const core::Clock& clock, const PasswordHasher& hasher)
    : store_(store), clock_(clock), hasher_(hasher), audit_(store, clock), projects_(store, clock) {
}

std::pair<Account, User> Directory::create_account(const Actor& by, NewAccount spec) {
    Account account;
    account.name = validate::display_name("account name", spec.name);
    account.contact_email = validate::email(spec.contact_email);
    account.sip_domain = validate::domain("SIP domain", spec.sip_domain);
    account.created_at = clock_.wall_now();
    spec.creator.role = Role::creator;
    User creator;
    store_.transaction([&] {
        if (store_.accounts().find_by_name(account.name))
            fail(ErrorCode::conflict, "an account named '" + account.name + "' exists already");
        if (store_.accounts().find_by_sip_domain(account.sip_domain))
            fail(ErrorCode::conflict,
                 "SIP domain '" + account.sip_domain + "' belongs to another account");
        account.id = store_.accounts().insert(account);
        audit_.record(account.id, by, "account.create", "account", account.id.str(),
                      {{"name", account.name}, {"sip_domain", account.sip_domain}});
        creator = insert_user(by, account, std::move(spec.creator));
    });
    return {account, creator};
}

User Directory::create_user(const Actor& by, AccountId account_id, NewUser spec) {
    User user;
    store_.transaction([&] { user = insert_user(by, account(account_id), std::move(spec)); });
    return user;
}

User Directory::insert_user(const Actor& by, const Account& account, NewUser spec) {
    User u;
    u.account_id = account.id;
    u.name = validate::display_name("name", spec.name);
    u.login = validate::login(spec.login);
    u.role = spec.role;
    validate::password("password", spec.password);
    validate::password("SIP password", spec.sip_password);
    if (spec.sip_user.empty()) spec.sip_user = u.login.substr(0, u.login.find('@'));
    validate::sip_user(spec.sip_user);

    if (u.role == Role::creator && store_.users().count_with_role(account.id, Role::creator) > 0)
        fail(ErrorCode::conflict, "account '" + account.name + "' already has its creator");
    if (store_.users().find_by_login(u.login))
        fail(ErrorCode::conflict, "login '" + u.login + "' is taken");
    if (store_.users().find_by_sip_user(account.id, spec.sip_user))
        fail(ErrorCode::conflict, "SIP user '" + spec.sip_user + "' is taken in this account");

    u.password_hash = hasher_.hash(spec.password);
    u.sip = make_sip_credentials(spec.sip_user, account.sip_domain, spec.sip_password);
    u.presence = Presence::offline;
    u.created_at = u.presence_since = clock_.wall_now();
    u.id = store_.users().insert(u);
    audit_.record(account.id, by, "user.create", "user", u.id.str(),
                  {{"login", u.login}, {"role", to_string(u.role)}, {"sip_user", u.sip.user}});
    return u;
}

void Directory::reset_password(const Actor& by, UserId id, const std::string& password) {
    validate::password("password", password);
    store_.transaction([&] {
        const auto u = user(id);
        store_.users().update_password(id, hasher_.hash(password));
        audit_.record(u.account_id, by, "user.reset_password", "user", id.str());
    });
}

Account Directory::set_barge_enabled(const Actor& by, AccountId id, bool enabled) {
    Account updated;
    store_.transaction([&] {
        updated = account(id);
        if (updated.barge_enabled == enabled) return;
        store_.accounts().set_barge_enabled(id, enabled);
        updated.barge_enabled = enabled;
        audit_.record(id, by, enabled ? "account.barge_on" : "account.barge_off", "account",
                      id.str());
    });
    return updated;
}

User Directory::set_ring_device(const Actor& by, UserId id, RingDevice device) {
    User updated;
    store_.transaction([&] {
        updated = user(id);
        if (updated.ring_device == device) return;
        const auto before = updated.ring_device;
        store_.users().update_ring_device(id, device);
        updated.ring_device = device;
        audit_.record(updated.account_id, by, "user.set_ring_device", "user", id.str(),
                      {{"from", to_string(before)}, {"to", to_string(device)}});
    });
    return updated;
}

void Directory::set_sip_password(const Actor& by, UserId id, const std::string& sip_password) {
    validate::password("SIP password", sip_password);
    store_.transaction([&] {
        const auto u = user(id);
        const auto acc = account(u.account_id);
        store_.users().update_sip(id,
                                  make_sip_credentials(u.sip.user, acc.sip_domain, sip_password));
        audit_.record(u.account_id, by, "user.set_sip_password", "user", id.str());
    });
}

std::optional<User> Directory::authenticate(const std::string& login, const std::string& password) {
    std::string normalized;
    try {
        normalized = validate::login(login);
    } catch (const core::Error&) {
        return std::nullopt;
    }
    auto u = store_.users().find_by_login(normalized);
    if (!u || !hasher_.verify(u->password_hash, password)) return std::nullopt;
    if (!u->active) return std::nullopt; // after the hash check: no timing hint either way
    return u;
}

void Directory::set_presence(UserId id, Presence presence) {
    const auto u = user(id);
    if (u.presence == presence) return;
    store_.users().update_presence(id, presence, clock_.wall_now());
    if (listener_ != nullptr) listener_->presence_changed(id);
}

std::size_t Directory::everyone_offline() {
    std::vector<UserId> changed;
    store_.transaction([&] {
        const auto now = clock_.wall_now();
        for (const auto& account : store_.accounts().list())
            for (const auto& u : store_.users().list(account.id))
                if (u.presence != Presence::offline) {
                    store_.users().update_presence(u.id, Presence::offline, now);
                    changed.push_back(u.id);
                }
    });
    if (listener_ != nullptr)
        for (const auto id : changed)
            listener_->presence_changed(id);
    return changed.size();
}

Project Directory::create_project(const Actor& by, AccountId account_id, const std::string& name,
                                  const std::vector<std::string>& results) {
    return projects_.create(platform_editor(by), account_id, name, results);
}

void Directory::add_operator(const Actor& by, ProjectId project_id, UserId user_id) {
    projects_.add_operator(platform_editor(by), project_id, user_id);
}

void Directory::remove_operator(const Actor& by, ProjectId project_id, UserId user_id) {
    projects_.remove_operator(platform_editor(by), project_id, user_id);
}

void Directory::set_results(const Actor& by, ProjectId project_id,
                            const std::vector<std::string>& results) {
    projects_.set_results(platform_editor(by), project_id, results);
}

Account Directory::account(AccountId id) {
    auto a = store_.accounts().find(id);
    if (!a) fail(ErrorCode::not_found, "account " + id.str() + " not found");
    return *a;
}

User Directory::user(UserId id) {
    auto u = store_.users().find(id);
    if (!u) fail(ErrorCode::not_found, "user " + id.str() + " not found");
    return *u;
}

User Directory::user_by_login(const std::string& login) {
    auto u = store_.users().find_by_login(validate::login(login));
    if (!u) fail(ErrorCode::not_found, "no user with login '" + login + "'");
    return *u;
}

Project Directory::project(ProjectId id) {
    auto p = store_.projects().find(id);
    if (!p) fail(ErrorCode::not_found, "project " + id.str() + " not found");
    return *p;
}

std::vector<Account> Directory::accounts() { return store_.accounts().list(); }
std::vector<User> Directory::users(AccountId account) { return store_.users().list(account); }
std::vector<Project> Directory::projects(AccountId account) {
    return store_.projects().list(account);
}

std::optional<FirstAccount> bootstrap_first_account(Directory& directory, store::Store& store,
                                                    NewAccount spec) {
    std::optional<FirstAccount> created;
    store.transaction([&] {
        if (store.accounts().count() > 0) return;
        const bool generate_password = spec.creator.password.empty();
        const bool generate_sip_password = spec.creator.sip_password.empty();
        if (generate_password) spec.creator.password = core::random_password();
        if (generate_sip_password) spec.creator.sip_password = core::random_password();
        const auto password = spec.creator.password;
        const auto sip_password = spec.creator.sip_password;
        auto [account, creator] = directory.create_account(system_actor("bootstrap"), spec);
        created = FirstAccount{account,      creator,           password,
                               sip_password, generate_password, generate_sip_password};
    });
    return created;
}

} // namespace suflyor::center
