// Managing projects (creators and administrators; the rules are center::Projects'): create,
// rename, archive and unarchive, operators in and out, processing results added, renamed and
// retired. Each change is announced to the account as a project.* event (docs/events.md).
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

// Bounds in characters of what people type (the domain bounds bytes, more generously).
constexpr std::size_t max_name_chars = 100;
constexpr std::size_t max_label_chars = 100;

// Runs a change for a supervisor of the account. A refusal about one input names it as `field`
// (400 invalid_value, or 409 conflict for a name or label that is taken).
template <class F> Response as_editor(Api::State& s, const Request& r, F&& change) {
    return s.as_user(r, [&](const center::User& me) {
        try {
            center::Projects projects{s.domain.store, s.domain.clock};
            return change(projects, center::project_editor(me));
        } catch (const center::FieldError& e) {
            const bool taken = e.code() == core::ErrorCode::conflict;
            throw ApiError(status_of(e.code()), taken ? "conflict" : "invalid_value", e.what(),
                           {{"field", e.field()}});
        }
    });
}

void announce(Api::State& s, const std::string& type, const center::Project& p) {
    s.domain.events.publish(type, p.account_id, project_json(p));
}

// Announces a change that happened (a repeated request changes nothing and says nothing).
Response changed(Api::State& s, const std::string& type, const center::ProjectChange& change) {
    if (change.changed) announce(s, type, change.project);
    return Response::ok(project_json(change.project));
}

std::vector<std::string> results_of(const JsonBody& body) {
    std::vector<std::string> labels;
    const auto it = body.raw().find("results");
    if (it == body.raw().end() || it->is_null()) return labels;
    if (!it->is_array())
        throw ApiError(400, "invalid_type", "results: expected an array of strings",
                       {{"field", "results"}});
    if (it->size() > 100)
        throw ApiError(400, "invalid_value", "results: at most 100", {{"field", "results"}});
    for (const auto& label : *it) {
        if (!label.is_string())
            throw ApiError(400, "invalid_type", "results: expected an array of strings",
                           {{"field", "results"}});
        labels.push_back(label.get<std::string>());
    }
    return labels;
}

center::ProjectId project_param(const Request& r) { return center::ProjectId{id_param(r)}; }

} // namespace

void add_project_routes(Router& router, Api::State& s) {
    router.add("POST", "/api/v1/projects", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, {"name", "results"});
        const auto name = body.string("name", max_name_chars);
        const auto results = results_of(body);
        return as_editor(s, r, [&](center::Projects& projects, const center::ProjectEditor& by) {
            const auto p = projects.create(by, *by.account, name, results);
            announce(s, "project.created", p);
            return Response::created(project_json(p));
        });
    });
    router.add("PATCH", "/api/v1/projects/{id}", [&s](const Request& r) {
        const auto id = project_param(r);
        const auto body = JsonBody::parse(r, {"name"});
        const auto name = body.string("name", max_name_chars);
        return as_editor(s, r, [&](center::Projects& projects, const center::ProjectEditor& by) {
            return changed(s, "project.updated", projects.rename(by, id, name));
        });
    });
    for (const bool archiving : {true, false}) {
        const std::string path = archiving ? "/archive" : "/unarchive";
        router.add("POST", "/api/v1/projects/{id}" + path, [&s, archiving](const Request& r) {
            const auto id = project_param(r);
            JsonBody::parse(r, {});
            return as_editor(s, r, [&](center::Projects& projects, const auto& by) {
                return archiving ? changed(s, "project.archived", projects.archive(by, id))
                                 : changed(s, "project.unarchived", projects.unarchive(by, id));
            });
        });
    }
    for (const bool adding : {true, false}) {
        router.add(adding ? "PUT" : "DELETE", "/api/v1/projects/{id}/operators/{user_id}",
                   [&s, adding](const Request& r) {
                       const auto id = project_param(r);
                       const center::UserId user{id_param(r, "user_id")};
                       return as_editor(s, r, [&](center::Projects& projects, const auto& by) {
                           return changed(s, "project.updated",
                                          adding ? projects.add_operator(by, id, user)
                                                 : projects.remove_operator(by, id, user));
                       });
                   });
    }
    router.add("POST", "/api/v1/projects/{id}/results", [&s](const Request& r) {
        const auto id = project_param(r);
        const auto body = JsonBody::parse(r, {"label"});
        const auto label = body.string("label", max_label_chars);
        return as_editor(s, r, [&](center::Projects& projects, const center::ProjectEditor& by) {
            const auto [p, result] = projects.add_result(by, id, label);
            announce(s, "project.updated", p);
            const auto added = s.domain.store.projects().find_result(p.id, result);
            return Response::created({{"id", result},
                                      {"label", added ? added->label : label},
                                      {"project", project_json(p)}});
        });
    });
    router.add("PATCH", "/api/v1/projects/{id}/results/{result_id}", [&s](const Request& r) {
        const auto id = project_param(r);
        const auto result = id_param(r, "result_id");
        const auto body = JsonBody::parse(r, {"label"});
        const auto label = body.string("label", max_label_chars);
        return as_editor(s, r, [&](center::Projects& projects, const center::ProjectEditor& by) {
            return changed(s, "project.updated", projects.rename_result(by, id, result, label));
        });
    });
    router.add("POST", "/api/v1/projects/{id}/results/{result_id}/retire", [&s](const Request& r) {
        const auto id = project_param(r);
        const auto result = id_param(r, "result_id");
        JsonBody::parse(r, {});
        return as_editor(s, r, [&](center::Projects& projects, const center::ProjectEditor& by) {
            return changed(s, "project.updated", projects.retire_result(by, id, result));
        });
    });
}

} // namespace suflyor::api
