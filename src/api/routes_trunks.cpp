// SIP trunks and their numbers (DIDs): the account's supervisors list, add, change and remove
// them, and the server applies each change at once. Trunks of the configuration file are listed
// read-only (`source: "config"`); edits to them are refused with 409 read_only. The registration
// password is write-only: responses say `has_password`, never the password.
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {
namespace {

constexpr std::string_view config_prefix = "config:";

// A config trunk's API id: "config:<name>".
std::string config_id(const sip::Trunk& t) { return std::string(config_prefix) + t.name; }

const sip::Trunk* config_trunk(Api::State& s, const center::User& me, const std::string& id) {
    if (id.rfind(config_prefix, 0) != 0) return nullptr;
    const auto name = id.substr(config_prefix.size());
    for (const auto& t : s.domain.trunks.config_trunks())
        if (t.account_id == me.account_id.value() && t.name == name) return &t;
    refuse(404, "not_found", "trunk " + id + " not found");
}

// Refuses edits of a config trunk (409 read_only) and foreign or malformed ids (404); else the
// database trunk's id.
center::TrunkId editable_trunk(Api::State& s, const center::User& me, const Request& r) {
    const auto& raw = r.params.at("id");
    if (raw.rfind(config_prefix, 0) == 0) {
        require_supervisor(me);
        config_trunk(s, me, raw);
        refuse(409, "read_only",
               "this trunk is defined in the configuration file: change it there (and restart)");
    }
    return center::TrunkId{id_param(r)};
}

nlohmann::json registration_json(Api::State& s, const std::string& key, bool registers) {
    if (!registers) return nullptr;
    const auto state = s.domain.trunk_registration(key);
    if (!state) return nullptr;
    return {{"state", state->state}, {"reason", state->reason}};
}

nlohmann::json number_json(store::Store& store, const std::string& number,
                           std::optional<center::ProjectId> project_id) {
    nlohmann::json project = nullptr;
    if (project_id)
        if (const auto p = store.projects().find(*project_id))
            project = {{"id", p->id.value()}, {"name", p->name}};
    return {{"number", number},
            {"project_id", project_id ? nlohmann::json(project_id->value()) : nlohmann::json()},
            {"project", project}};
}

nlohmann::json trunk_json(Api::State& s, const center::TrunkRecord& t) {
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto& n : s.domain.trunks.numbers(t.id))
        numbers.push_back(number_json(s.domain.store, n.number, n.project_id));
    sip::Trunk key_of;
    key_of.id = t.id.value();
    return {{"id", t.id.value()},
            {"name", t.name},
            {"peer", t.peer},
            {"transport", t.transport},
            {"sources", t.sources},
            {"caller_id", t.caller_id},
            {"register_outbound", t.register_outbound},
            {"username", t.username},
            {"has_password", s.domain.trunks.has_password(t)},
            {"source", "database"},
            {"read_only", false},
            {"numbers", numbers},
            {"registration", registration_json(s, key_of.key(), t.register_outbound)},
            {"created_at", time_json(t.created_at)}};
}

nlohmann::json config_trunk_json(Api::State& s, const sip::Trunk& t) {
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto& [number, project_name] : t.dids) {
        const auto p =
            s.domain.store.projects().find_by_name(center::AccountId{t.account_id}, project_name);
        auto n = number_json(s.domain.store, number,
                             p ? std::optional<center::ProjectId>(p->id) : std::nullopt);
        if (!p) n["project"] = {{"id", nullptr}, {"name", project_name}};
        numbers.push_back(std::move(n));
    }
    nlohmann::json sources = nlohmann::json::array(); // parsed ranges: their text is not kept
    return {{"id", config_id(t)},
            {"name", t.name},
            {"peer", t.peer},
            {"transport", t.transport},
            {"sources", sources},
            {"caller_id", t.caller_id},
            {"register_outbound", t.register_outbound},
            {"username", t.username},
            {"has_password", !t.password.empty()},
            {"source", "config"},
            {"read_only", true},
            {"numbers", numbers},
            {"registration", registration_json(s, t.key(), t.register_outbound)},
            {"created_at", nullptr}};
}

// The trunk fields of a POST or PATCH body.
center::TrunkInput trunk_input(const JsonBody& body) {
    center::TrunkInput in;
    in.name = body.optional_string("name", 100);
    in.peer = body.optional_string("peer", 300);
    in.transport = body.optional_string("transport", 10);
    in.caller_id = body.optional_string("caller_id", 64);
    in.register_outbound = body.optional_boolean("register_outbound");
    in.username = body.optional_string("username", 128);
    in.password = body.optional_string("password", 256);
    if (const auto it = body.raw().find("sources"); it != body.raw().end()) {
        if (!it->is_array())
            throw ApiError(400, "invalid_type", "sources: expected an array of strings",
                           {{"field", "sources"}});
        std::vector<std::string> sources;
        for (const auto& v : *it) {
            if (!v.is_string())
                throw ApiError(400, "invalid_type", "sources: expected an array of strings",
                               {{"field", "sources"}});
            sources.push_back(v.get<std::string>());
        }
        in.sources = std::move(sources);
    }
    return in;
}

const std::initializer_list<std::string_view> trunk_fields = {
    "name",     "peer",    "transport", "sources", "caller_id", "register_outbound",
    "username", "password"};

} // namespace

void add_trunk_routes(Router& router, Api::State& s) {
    router.add("GET", "/api/v1/trunks", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            const auto stored = s.domain.trunks.list(me); // forbidden for operators
            nlohmann::json trunks = nlohmann::json::array();
            for (const auto& t : s.domain.trunks.config_trunks())
                if (t.account_id == me.account_id.value())
                    trunks.push_back(config_trunk_json(s, t));
            for (const auto& t : stored)
                trunks.push_back(trunk_json(s, t));
            return Response::ok({{"trunks", trunks}});
        });
    });
    router.add("POST", "/api/v1/trunks", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, trunk_fields);
        body.string("name", 100);
        body.string("peer", 300);
        const auto input = trunk_input(body);
        return s.as_user(r, [&](const center::User& me) {
            return Response::created(trunk_json(s, s.domain.trunks.create(me, input)));
        });
    });
    router.add("PATCH", "/api/v1/trunks/{id}", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, trunk_fields);
        const auto input = trunk_input(body);
        return s.as_user(r, [&](const center::User& me) {
            const auto id = editable_trunk(s, me, r);
            return Response::ok(trunk_json(s, s.domain.trunks.update(me, id, input)));
        });
    });
    router.add("DELETE", "/api/v1/trunks/{id}", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            s.domain.trunks.remove(me, editable_trunk(s, me, r));
            return Response::no_content();
        });
    });
    router.add("POST", "/api/v1/trunks/{id}/numbers", [&s](const Request& r) {
        const auto body = JsonBody::parse(r, {"number", "project_id"});
        const auto number = body.string("number", 40);
        const auto project = body.integer("project_id", 1, INT64_MAX);
        return s.as_user(r, [&](const center::User& me) {
            const auto id = editable_trunk(s, me, r);
            const auto added =
                s.domain.trunks.add_number(me, id, number, center::ProjectId{project});
            return Response::created(number_json(s.domain.store, added.number, added.project_id));
        });
    });
    router.add("DELETE", "/api/v1/trunks/{id}/numbers/{number}", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            s.domain.trunks.remove_number(me, editable_trunk(s, me, r), r.params.at("number"));
            return Response::no_content();
        });
    });
}

} // namespace suflyor::api
