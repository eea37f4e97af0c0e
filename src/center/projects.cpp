#include "center/projects.hpp"

#include "center/validation.hpp"
#include "store/store.hpp"

namespace suflyor::center {

using core::ErrorCode;
using core::fail;

namespace {

// The checked text of `value`, or a FieldError naming `field` ("what" names it in the message).
std::string checked(const std::string& field, std::string_view what, std::string_view value,
                    std::size_t max_length) {
    try {
        return validate::label(what, value, max_length);
    } catch (const core::Error& e) {
        throw FieldError(e.code(), field, e.what());
    }
}

std::vector<std::string> checked_results(const std::vector<std::string>& results) {
    std::vector<std::string> labels;
    for (const auto& r : results) {
        auto label = checked("results", "processing result", r, max_result_label);
        for (const auto& seen : labels)
            if (seen == label)
                throw FieldError(ErrorCode::invalid_argument, "results",
                                 "processing result '" + label + "' is listed twice");
        labels.push_back(std::move(label));
    }
    return labels;
}

} // namespace

ProjectEditor project_editor(const User& user) {
    if (!may_supervise(user.role))
        fail(ErrorCode::forbidden, "only the creator and administrators manage projects");
    return {actor_of(user), user.account_id};
}

Project Projects::reload(ProjectId id) {
    auto p = store_.projects().find(id);
    if (!p) fail(ErrorCode::not_found, "project " + id.str() + " not found");
    return *p;
}

Project Projects::find(const ProjectEditor& by, ProjectId id) {
    auto p = store_.projects().find(id);
    // Another account's project is as good as absent.
    if (!p || (by.account && p->account_id != *by.account))
        fail(ErrorCode::not_found, "project " + id.str() + " not found");
    return *p;
}

Project Projects::editable(const ProjectEditor& by, ProjectId id) {
    auto p = find(by, id);
    if (p.archived())
        fail(ErrorCode::conflict, "project '" + p.name + "' is archived: unarchive it first");
    return p;
}

void Projects::ensure_name_free(AccountId account, const std::string& name, ProjectId except) {
    const auto same = store_.projects().find_by_name(account, name);
    if (same && same->id != except)
        throw FieldError(ErrorCode::conflict, "name", "project '" + name + "' exists already");
}

ProcessingResult Projects::result_of(const Project& p, std::int64_t result) {
    auto r = store_.projects().find_result(p.id, result);
    if (!r)
        fail(ErrorCode::not_found, "processing result " + std::to_string(result) +
                                       " not found in project '" + p.name + "'");
    return *r;
}

Project Projects::create(const ProjectEditor& by, AccountId account, const std::string& name,
                         const std::vector<std::string>& results) {
    if (by.account && *by.account != account)
        fail(ErrorCode::forbidden, "projects are created in one's own account");
    Project p;
    p.account_id = account;
    p.name = checked("name", "project name", name, max_project_name);
    for (auto& label : checked_results(results))
        p.results.push_back({0, std::move(label)});
    p.created_at = clock_.wall_now();
    store_.transaction([&] {
        if (!store_.accounts().find(account))
            fail(ErrorCode::not_found, "account " + account.str() + " not found");
        ensure_name_free(account, p.name, ProjectId{0});
        p.id = store_.projects().insert(p);
        audit_.record(account, by.actor, "project.create", "project", p.id.str(),
                      {{"name", p.name}});
    });
    return reload(p.id);
}

ProjectChange Projects::rename(const ProjectEditor& by, ProjectId id, const std::string& name) {
    const auto wanted = checked("name", "project name", name, max_project_name);
    bool changed = false;
    store_.transaction([&] {
        // An archived project may be renamed: that frees its name for a new one.
        const auto p = find(by, id);
        if (p.name == wanted) return;
        ensure_name_free(p.account_id, wanted, p.id);
        store_.projects().rename(id, wanted);
        audit_.record(p.account_id, by.actor, "project.rename", "project", id.str(),
                      {{"from", p.name}, {"to", wanted}});
        changed = true;
    });
    return {reload(id), changed};
}

ProjectChange Projects::archive(const ProjectEditor& by, ProjectId id) {
    bool changed = false;
    store_.transaction([&] {
        const auto p = find(by, id);
        if (p.archived()) return;
        store_.projects().set_archived(id, clock_.wall_now());
        audit_.record(p.account_id, by.actor, "project.archive", "project", id.str(),
                      {{"name", p.name}});
        changed = true;
    });
    return {reload(id), changed};
}

ProjectChange Projects::unarchive(const ProjectEditor& by, ProjectId id) {
    bool changed = false;
    store_.transaction([&] {
        const auto p = find(by, id);
        if (!p.archived()) return;
        store_.projects().set_archived(id, std::nullopt);
        audit_.record(p.account_id, by.actor, "project.unarchive", "project", id.str(),
                      {{"name", p.name}});
        changed = true;
    });
    return {reload(id), changed};
}

ProjectChange Projects::add_operator(const ProjectEditor& by, ProjectId id, UserId user_id) {
    bool changed = false;
    store_.transaction([&] {
        const auto p = editable(by, id);
        const auto u = store_.users().find(user_id);
        // Another account's employee is as good as absent.
        if (!u || u->account_id != p.account_id)
            fail(ErrorCode::not_found, "user " + user_id.str() + " not found");
        // Projects hunt their operators for calls; creators and administrators supervise.
        if (u->role != Role::operator_)
            throw FieldError(ErrorCode::invalid_argument, "user_id",
                             "user_id: " + u->login + " is " + std::string(to_string(u->role)) +
                                 ", and only operators take a project's calls");
        for (const auto op : p.operators)
            if (op == user_id) return;
        store_.projects().add_operator(id, user_id);
        audit_.record(p.account_id, by.actor, "project.add_operator", "project", id.str(),
                      {{"user_id", user_id.value()}});
        changed = true;
    });
    return {reload(id), changed};
}

ProjectChange Projects::remove_operator(const ProjectEditor& by, ProjectId id, UserId user_id) {
    bool changed = false;
    store_.transaction([&] {
        // Taking someone off never hurts: allowed on an archived project too.
        const auto p = find(by, id);
        const auto u = store_.users().find(user_id);
        if (!u || u->account_id != p.account_id)
            fail(ErrorCode::not_found, "user " + user_id.str() + " not found");
        bool member = false;
        for (const auto op : p.operators)
            member = member || op == user_id;
        if (!member) return;
        store_.projects().remove_operator(id, user_id);
        audit_.record(p.account_id, by.actor, "project.remove_operator", "project", id.str(),
                      {{"user_id", user_id.value()}});
        changed = true;
    });
    return {reload(id), changed};
}

Project Projects::set_results(const ProjectEditor& by, ProjectId id,
                              const std::vector<std::string>& results) {
    const auto labels = checked_results(results);
    store_.transaction([&] {
        const auto p = editable(by, id);
        store_.projects().set_results(id, labels);
        audit_.record(p.account_id, by.actor, "project.set_results", "project", id.str(),
                      {{"results", labels}});
    });
    return reload(id);
}

std::pair<Project, std::int64_t> Projects::add_result(const ProjectEditor& by, ProjectId id,
                                                      const std::string& label) {
    const auto wanted = checked("label", "processing result", label, max_result_label);
    std::int64_t result = 0;
    store_.transaction([&] {
        const auto p = editable(by, id);
        const auto same = store_.projects().find_result_by_label(id, wanted);
        if (same && !same->retired)
            throw FieldError(ErrorCode::conflict, "label",
                             "processing result '" + wanted + "' exists already");
        result = store_.projects().add_result(id, wanted);
        audit_.record(p.account_id, by.actor, "project.add_result", "project", id.str(),
                      {{"result_id", result}, {"label", wanted}, {"revived", same.has_value()}});
    });
    return {reload(id), result};
}

ProjectChange Projects::rename_result(const ProjectEditor& by, ProjectId id, std::int64_t result,
                                      const std::string& label) {
    const auto wanted = checked("label", "processing result", label, max_result_label);
    bool changed = false;
    store_.transaction([&] {
        const auto p = editable(by, id);
        const auto r = result_of(p, result);
        if (r.label == wanted) return;
        if (const auto same = store_.projects().find_result_by_label(id, wanted))
            throw FieldError(ErrorCode::conflict, "label",
                             "processing result '" + wanted + "' exists already" +
                                 (same->retired ? " (retired: add it to bring it back)" : ""));
        store_.projects().rename_result(id, result, wanted);
        audit_.record(p.account_id, by.actor, "project.rename_result", "project", id.str(),
                      {{"result_id", result}, {"from", r.label}, {"to", wanted}});
        changed = true;
    });
    return {reload(id), changed};
}

ProjectChange Projects::retire_result(const ProjectEditor& by, ProjectId id, std::int64_t result) {
    bool changed = false;
    store_.transaction([&] {
        const auto p = editable(by, id);
        const auto r = result_of(p, result);
        if (r.retired) return;
        store_.projects().retire_result(id, result);
        audit_.record(p.account_id, by.actor, "project.retire_result", "project", id.str(),
                      {{"result_id", result}, {"label", r.label}});
        changed = true;
    });
    return {reload(id), changed};
}

} // namespace suflyor::center
