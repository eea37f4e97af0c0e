#pragma once
// Accounts, employees and projects, and the rules that keep them consistent:
// exactly one creator per account, unique logins, operators only in their own account's projects.
#include "center/audit.hpp"
#include "center/credentials.hpp"
#include "center/events.hpp"
#include "center/model.hpp"
#include "center/projects.hpp"

#include <optional>
#include <string>
#include <vector>

namespace suflyor::center {

struct NewUser {
    std::string name;
    std::string login;
    Role role{Role::operator_};
    std::string password;
    std::string sip_user;     // defaults to the login's part before any '@'
    std::string sip_password; // required: phones authenticate with it
};

// An employee a supervisor adds from the Team page: the passwords are generated.
struct NewEmployee {
    std::string name;
    std::string login;
    Role role{Role::operator_};
    std::vector<ProjectId> project_ids; // projects of the account they operate in
};

// What a supervisor changes about an employee; absent fields stay as they are.
struct EmployeeChange {
    std::optional<std::string> name;
    std::optional<std::string> login;
    std::optional<Role> role;
    std::optional<std::vector<ProjectId>> project_ids;
};

// A created employee with the secrets generated for them (shown once, never stored in clear).
struct IssuedEmployee {
    User user;
    std::string password;
    std::string sip_password;
};

struct NewAccount {
    std::string name;
    std::string contact_email;
    std::string sip_domain;
    NewUser creator; // role is forced to creator
};

class Directory {
public:
    Directory(store::Store& store, const core::Clock& clock, const PasswordHasher& hasher);

    // Creates the account with its creator (the account's only creator) in one transaction.
    std::pair<Account, User> create_account(const Actor& by, NewAccount spec);
    // Creates an administrator or operator; a second creator is refused (conflict).
    User create_user(const Actor& by, AccountId account, NewUser spec);
    void reset_password(const Actor& by, UserId user, const std::string& password);
    void set_sip_password(const Actor& by, UserId user, const std::string& sip_password);
    // Which device rings for the user (audited when it changes). Returns the user as stored.
    User set_ring_device(const Actor& by, UserId user, RingDevice device);
    // Turns barge (the supervisor speaking to both parties) on or off for the account.
    Account set_barge_enabled(const Actor& by, AccountId account, bool enabled);
    // Login check; nullopt for an unknown login or a wrong password (indistinguishable).
    std::optional<User> authenticate(const std::string& login, const std::string& password);
    // Presence changes restart "since" only when the status really changes.
    void set_presence(UserId user, Presence presence);
    // At start-up nobody is registered yet: every user is offline until their phone registers
    // again (a crash could have left them available, ringing or talking). Returns how many changed.
    std::size_t everyone_offline();
    void set_listener(DomainListener* listener) { listener_ = listener; }

    // Employee management by a supervisor of the same account (employees.cpp). Rules: only
    // creators and administrators manage (forbidden); an employee of another account is
    // not_found; an administrator may not touch a creator nor make anyone one (forbidden); the
    // account keeps exactly one creator, who cannot be demoted or deactivated (conflict, field
    // "role"); logins are unique per server (conflict, field "login"). Each change is audited and
    // announced to the listener after it committed.
    IssuedEmployee add_employee(const User& by, NewEmployee spec);
    User update_employee(const User& by, UserId id, const EmployeeChange& change);
    // Deactivated employees keep their history; they cannot sign in, register or take calls.
    User deactivate_employee(const User& by, UserId id);
    User activate_employee(const User& by, UserId id);
    // Generates a new login password (or SIP password) and returns it, once.
    std::string issue_password(const User& by, UserId id);
    std::string issue_sip_password(const User& by, UserId id);
    // The projects of the user's account the user operates in.
    std::vector<ProjectId> projects_of(UserId id);

    // The platform side's (CLI's) project changes, by the rules of center::Projects.
    Project create_project(const Actor& by, AccountId account, const std::string& name,
                           const std::vector<std::string>& results);
    void add_operator(const Actor& by, ProjectId project, UserId user);
    void remove_operator(const Actor& by, ProjectId project, UserId user);
    void set_results(const Actor& by, ProjectId project, const std::vector<std::string>& results);

    Account account(AccountId id); // throws not_found
    User user(UserId id);          // throws not_found
    User user_by_login(const std::string& login);
    Project project(ProjectId id);
    std::vector<Account> accounts();
    std::vector<User> users(AccountId account);
    std::vector<Project> projects(AccountId account);

private:
    DomainListener* listener_{nullptr};
    User insert_user(const Actor& by, const Account& account, NewUser spec);
    User managed_employee(const User& by, UserId id);
    void set_projects(const User& by, const User& employee, const std::vector<ProjectId>& ids);
    void announce(UserId id, const std::string& event);

    store::Store& store_;
    const core::Clock& clock_;
    const PasswordHasher& hasher_;
    AuditTrail audit_;
    Projects projects_;
};

struct FirstAccount {
    Account account;
    User creator;
    std::string password;     // generated when the spec had none, else the given one
    std::string sip_password; // likewise
    bool password_generated{false};
    bool sip_password_generated{false};
};

// On an empty database, creates the first account and its creator. Empty passwords in the spec
// are generated. Returns nullopt when any account exists already.
std::optional<FirstAccount> bootstrap_first_account(Directory& directory, store::Store& store,
                                                    NewAccount spec);

} // namespace suflyor::center
