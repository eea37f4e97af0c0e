// Employees managed from the Team page: create (secrets generated and shown once), change,
// deactivate and activate, new passwords, and what a softphone needs to connect. The rules (who
// may manage whom, one creator per account, unique logins) are the directory's.
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

constexpr std::size_t max_name = 200;
constexpr std::size_t max_login = 64;
constexpr std::size_t max_projects = 1000;

center::Role role_of(const JsonBody& body) {
    return *center::parse_role(body.choice("role", {"creator", "administrator", "operator"}));
}

std::optional<std::vector<center::ProjectId>> project_ids_of(const JsonBody& body) {
    const auto it = body.raw().find("project_ids");
    if (it == body.raw().end()) return std::nullopt;
    const auto bad = [](const std::string& message) {
        throw ApiError(400, "invalid_type", message, {{"field", "project_ids"}});
    };
    if (!it->is_array()) bad("project_ids must be an array of project ids");
    if (it->size() > max_projects) bad("too many project ids");
    std::vector<center::ProjectId> ids;
    for (const auto& id : *it) {
        if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
            bad("project_ids must hold positive integers");
        ids.emplace_back(id.get<std::int64_t>());
    }
    return ids;
}

nlohmann::json employee_view(Api::State& s, const center::User& u) {
    auto json = employee_json(s.domain.store, u, s.domain.registration_of);
    nlohmann::json projects = nlohmann::json::array();
    for (const auto id : s.domain.directory.projects_of(u.id))
        projects.push_back(id.value());
    json["project_ids"] = projects;
    json["sip_user"] = u.sip.user;
    return json;
}

nlohmann::json connection_json(const Api::State& s, const center::User& u,
                               const center::Account& account) {
    const auto& c = s.settings.sip_connection;
    nlohmann::json transports = nlohmann::json::array();
    for (const auto& t : c.transports)
        transports.push_back({{"transport", t.name}, {"port", t.port}});
    return {{"host", c.host},
            {"port", c.port},
            {"transport", c.transports.empty() ? "" : c.transports.front().name},
            {"transports", transports},
            {"user", u.sip.user},
            {"domain", account.sip_domain},
            {"realm", account.sip_domain},
            {"loopback_only", c.loopback_only},
            {"ws_url", s.settings.softphone_ws_url.empty()
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(s.settings.softphone_ws_url)}};
}

} // namespace

void add_employee_routes(Router& router, Api::State& s) {
    router.add("POST", "/api/v1/employees", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, {"name", "login", "role", "project_ids"});
        center::NewEmployee spec{body.string("name", max_name), body.string("login", max_login),
                                 role_of(body),
                                 project_ids_of(body).value_or(std::vector<center::ProjectId>{})};
        return s.as_user(r, [&](const center::User& me) {
            const auto issued = s.domain.directory.add_employee(me, spec);
            return Response::created({{"employee", employee_view(s, issued.user)},
                                      {"password", issued.password},
                                      {"sip_password", issued.sip_password}});
        });
    });
    router.add("PATCH", "/api/v1/employees/{id}", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        const auto body = JsonBody::parse(r, {"name", "login", "role", "project_ids"});
        center::EmployeeChange change;
        change.name = body.optional_string("name", max_name);
        change.login = body.optional_string("login", max_login);
        if (body.raw().contains("role")) change.role = role_of(body);
        change.project_ids = project_ids_of(body);
        return s.as_user(r, [&](const center::User& me) {
            return Response::ok(
                employee_view(s, s.domain.directory.update_employee(me, id, change)));
        });
    });
    router.add("POST", "/api/v1/employees/{id}/deactivate", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            const auto employee = s.domain.directory.deactivate_employee(me, id);
            s.tokens.revoke_user(id); // their open sessions end now
            return Response::ok(employee_view(s, employee));
        });
    });
    router.add("POST", "/api/v1/employees/{id}/activate", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            return Response::ok(employee_view(s, s.domain.directory.activate_employee(me, id)));
        });
    });
    router.add("POST", "/api/v1/employees/{id}/password", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            const auto password = s.domain.directory.issue_password(me, id);
            // Sessions opened with the old password end, except the caller's own.
            if (id != me.id) s.tokens.revoke_user(id);
            return Response::ok({{"password", password}});
        });
    });
    router.add("POST", "/api/v1/employees/{id}/sip-password", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            return Response::ok({{"sip_password", s.domain.directory.issue_sip_password(me, id)}});
        });
    });
    router.add("GET", "/api/v1/employees/{id}/connection", [&s](const Request& r) {
        const auto id = center::UserId{id_param(r)};
        return s.as_user(r, [&](const center::User& me) {
            // Supervisors see anyone of their account; an employee sees their own.
            const auto u = me.id == id ? me : visible_employee(s, me, id.value());
            if (me.id != id) require_supervisor(me);
            const auto account = s.domain.directory.account(me.account_id);
            return Response::ok(connection_json(s, u, account));
        });
    });
}

} // namespace suflyor::api
