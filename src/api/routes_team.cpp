// Team (employees with live status and current call), projects, and a project's state.
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

center::Project project_of(Api::State& s, const center::User& viewer, std::int64_t id) {
    const auto project = s.domain.store.projects().find(center::ProjectId{id});
    if (!project || project->account_id != viewer.account_id)
        refuse(404, "not_found", "project " + std::to_string(id) + " not found");
    return *project;
}

} // namespace

void add_team_routes(Router& router, Api::State& s) {
    // The account's settings a supervisor may change (barge on or off).
    router.add("PATCH", "/api/v1/account", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, {"barge_enabled"});
        const auto barge = body.optional_boolean("barge_enabled");
        return s.as_user(r, [&](const center::User& me) {
            require_supervisor(me);
            auto account = *s.domain.store.accounts().find(me.account_id);
            if (barge)
                account = s.domain.directory.set_barge_enabled(center::actor_of(me), me.account_id,
                                                               *barge);
            return Response::ok(account_json(account));
        });
    });
    router.add("GET", "/api/v1/team", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            nlohmann::json employees = nlohmann::json::array();
            for (const auto& u : s.domain.store.users().list(me.account_id))
                employees.push_back(employee_json(s.domain.store, u, s.domain.registration_of));
            return Response::ok({{"employees", employees}});
        });
    });
    router.add("GET", "/api/v1/projects", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            nlohmann::json projects = nlohmann::json::array();
            for (const auto& p : s.domain.store.projects().list(me.account_id))
                projects.push_back(project_json(p, s.domain.trunks.numbers_of_project(p)));
            return Response::ok({{"projects", projects}});
        });
    });
    router.add("GET", "/api/v1/projects/{id}/state", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            const auto project = project_of(s, me, id);
            nlohmann::json operators = nlohmann::json::array();
            int talking = 0;
            int available = 0;
            for (const auto op : project.operators) {
                const auto user = s.domain.store.users().find(op);
                if (!user) continue;
                talking += user->presence == center::Presence::talking ? 1 : 0;
                available += user->presence == center::Presence::available ? 1 : 0;
                operators.push_back(employee_json(s.domain.store, *user, s.domain.registration_of));
            }
            store::CallQuery waiting{me.account_id};
            waiting.project_id = project.id;
            waiting.state = center::CallState::ringing;
            return Response::ok(
                {{"project", project_json(project, s.domain.trunks.numbers_of_project(project))},
                 {"operators", operators},
                 {"talking", talking},
                 {"available", available},
                 {"ringing_calls", s.domain.store.calls().count(waiting)}});
        });
    });
}

} // namespace suflyor::api
