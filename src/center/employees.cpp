// Employee management by the account's supervisors (the Team page and its API): who may manage
// whom, the one-creator rule, deactivation instead of deletion, generated secrets.
#include "center/directory.hpp"
#include "center/validation.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "store/store.hpp"

#include <algorithm>

namespace suflyor::center {

using core::ErrorCode;
using core::fail;

namespace {

// Runs a validation and names `field` in its refusal (the API's error.field).
template <class F> auto in_field(const char* field, F&& check) {
    try {
        return check();
    } catch (const core::Error& e) {
        if (!e.field().empty()) throw;
        throw core::Error(e.code(), e.what(), field);
    }
}

void require_manager(const User& by) {
    if (!may_supervise(by.role))
        fail(ErrorCode::forbidden, "only creators and administrators manage employees");
}

// The role a supervisor may give: never creator (the account has exactly one, its founder).
void check_role_given(const User& by, Role role) {
    if (role != Role::creator) return;
    if (by.role != Role::creator)
        fail(ErrorCode::forbidden, "an administrator cannot make anyone a creator", "role");
    fail(ErrorCode::conflict, "the account has exactly one creator", "role");
}

} // namespace

User Directory::managed_employee(const User& by, UserId id) {
    require_manager(by);
    auto u = store_.users().find(id);
    // Another account's employee is as good as absent.
    if (!u || u->account_id != by.account_id)
        fail(ErrorCode::not_found, "employee " + id.str() + " not found");
    if (u->role == Role::creator && by.role != Role::creator)
        fail(ErrorCode::forbidden, "an administrator cannot manage the account's creator");
    return *u;
}

void Directory::set_projects(const User& by, const User& employee,
                             const std::vector<ProjectId>& ids) {
    const auto projects = store_.projects().list(employee.account_id);
    for (const auto id : ids)
        if (std::none_of(projects.begin(), projects.end(),
                         [&](const Project& p) { return p.id == id; }))
            fail(ErrorCode::invalid_argument, "project " + id.str() + " not found", "project_ids");
    for (const auto& p : projects) {
        const bool wanted = std::find(ids.begin(), ids.end(), p.id) != ids.end();
        const bool member =
            std::find(p.operators.begin(), p.operators.end(), employee.id) != p.operators.end();
        if (wanted && !member) add_operator(actor_of(by), p.id, employee.id);
        if (!wanted && member) remove_operator(actor_of(by), p.id, employee.id);
    }
}

void Directory::announce(UserId id, const std::string& event) {
    if (listener_ != nullptr) listener_->employee_changed(id, event);
}

IssuedEmployee Directory::add_employee(const User& by, NewEmployee spec) {
    require_manager(by);
    check_role_given(by, spec.role);
    IssuedEmployee issued;
    issued.password = core::random_password();
    issued.sip_password = core::random_password();
    NewUser user{in_field("name", [&] { return validate::display_name("name", spec.name); }),
                 in_field("login", [&] { return validate::login(spec.login); }),
                 spec.role,
                 issued.password,
                 {},
                 issued.sip_password};
    store_.transaction([&] {
        const auto acc = account(by.account_id);
        if (store_.users().find_by_login(user.login))
            fail(ErrorCode::conflict, "login '" + user.login + "' is taken", "login");
        const auto sip_user = user.login.substr(0, user.login.find('@'));
        if (store_.users().find_by_sip_user(acc.id, sip_user))
            fail(ErrorCode::conflict, "SIP user '" + sip_user + "' is taken in this account",
                 "login");
        issued.user = insert_user(actor_of(by), acc, std::move(user));
        set_projects(by, issued.user, spec.project_ids);
    });
    announce(issued.user.id, "employee.created");
    return issued;
}

User Directory::update_employee(const User& by, UserId id, const EmployeeChange& change) {
    User updated;
    store_.transaction([&] {
        const auto before = managed_employee(by, id);
        updated = before;
        nlohmann::json details = nlohmann::json::object();
        if (change.name) {
            updated.name =
                in_field("name", [&] { return validate::display_name("name", *change.name); });
            if (updated.name != before.name) details["name"] = updated.name;
        }
        if (change.login) {
            updated.login = in_field("login", [&] { return validate::login(*change.login); });
            if (updated.login != before.login) {
                if (store_.users().find_by_login(updated.login))
                    fail(ErrorCode::conflict, "login '" + updated.login + "' is taken", "login");
                details["login"] = updated.login;
            }
        }
        if (change.role && *change.role != before.role) {
            if (before.role == Role::creator)
                fail(ErrorCode::conflict, "the account's only creator cannot be demoted", "role");
            check_role_given(by, *change.role);
            updated.role = *change.role;
            details["role"] = to_string(updated.role);
        }
        if (!details.empty()) {
            store_.users().update_profile(updated);
            audit_.record(before.account_id, actor_of(by), "user.update", "user", id.str(),
                          details);
        }
        if (change.project_ids) set_projects(by, updated, *change.project_ids);
    });
    announce(id, "employee.updated");
    return updated;
}

User Directory::deactivate_employee(const User& by, UserId id) {
    User updated;
    bool changed = false;
    store_.transaction([&] {
        updated = managed_employee(by, id);
        if (updated.role == Role::creator)
            fail(ErrorCode::conflict, "the account's creator cannot be deactivated", "role");
        if (updated.id == by.id) fail(ErrorCode::conflict, "you cannot deactivate yourself");
        if (!updated.active) return;
        const auto now = clock_.wall_now();
        store_.users().set_active(id, false, now);
        updated.active = false;
        updated.deactivated_at = now;
        changed = true;
        audit_.record(updated.account_id, actor_of(by), "user.deactivate", "user", id.str(),
                      {{"login", updated.login}});
    });
    if (changed) announce(id, "employee.deactivated");
    return updated;
}

User Directory::activate_employee(const User& by, UserId id) {
    User updated;
    bool changed = false;
    store_.transaction([&] {
        updated = managed_employee(by, id);
        if (updated.active) return;
        store_.users().set_active(id, true, clock_.wall_now());
        updated.active = true;
        updated.deactivated_at.reset();
        changed = true;
        audit_.record(updated.account_id, actor_of(by), "user.activate", "user", id.str(),
                      {{"login", updated.login}});
    });
    if (changed) announce(id, "employee.activated");
    return updated;
}

std::string Directory::issue_password(const User& by, UserId id) {
    managed_employee(by, id);
    auto password = core::random_password();
    reset_password(actor_of(by), id, password);
    announce(id, "employee.updated");
    return password;
}

std::string Directory::issue_sip_password(const User& by, UserId id) {
    managed_employee(by, id);
    auto password = core::random_password();
    set_sip_password(actor_of(by), id, password);
    announce(id, "employee.updated");
    return password;
}

std::vector<ProjectId> Directory::projects_of(UserId id) {
    std::vector<ProjectId> ids;
    for (const auto& p : store_.projects().projects_of_operator(id))
        ids.push_back(p.id);
    return ids;
}

} // namespace suflyor::center
