// Calls: the active and past list (filters, paging), the call card, and the recording download.
#include "api/context.hpp"
#include "api/dto.hpp"

#include <charconv>

namespace suflyor::api {
namespace {

std::int64_t query_integer(const Request& r, const std::string& name, std::int64_t fallback,
                           std::int64_t min, std::int64_t max) {
    const auto it = r.query.find(name);
    if (it == r.query.end()) return fallback;
    std::int64_t value = 0;
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        throw ApiError(400, "invalid_value",
                       name + " must be an integer from " + std::to_string(min) + " to " +
                           std::to_string(max),
                       {{"field", name}});
    return value;
}

std::optional<core::WallTime> query_time(const Request& r, const std::string& name) {
    const auto it = r.query.find(name);
    if (it == r.query.end()) return std::nullopt;
    const auto at = parse_time(it->second);
    if (!at)
        throw ApiError(400, "invalid_value", name + " must be a time like 2026-11-25T10:00:00.000Z",
                       {{"field", name}});
    return at;
}

store::CallQuery call_query(const Request& r, const center::User& me) {
    static constexpr std::string_view known[] = {"state", "operator_id", "project_id", "since",
                                                 "until", "limit",       "offset"};
    for (const auto& [key, value] : r.query)
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            throw ApiError(400, "unknown_field", "unknown query parameter " + key,
                           {{"field", key}});
    store::CallQuery q{me.account_id};
    if (const auto it = r.query.find("state"); it != r.query.end()) {
        if (it->second == "active") {
            q.active_only = true;
        } else if (const auto state = center::parse_call_state(it->second)) {
            q.state = state;
        } else {
            throw ApiError(400, "invalid_value", "state must be active, ringing, talking or ended",
                           {{"field", "state"}});
        }
    }
    if (r.query.contains("operator_id"))
        q.operator_id = center::UserId{query_integer(r, "operator_id", 0, 1, INT64_MAX)};
    if (r.query.contains("project_id"))
        q.project_id = center::ProjectId{query_integer(r, "project_id", 0, 1, INT64_MAX)};
    q.since = query_time(r, "since");
    q.until = query_time(r, "until");
    q.limit = query_integer(r, "limit", 50, 1, 500);
    q.offset = query_integer(r, "offset", 0, 0, INT64_MAX / 2);
    // An operator sees their own calls only.
    if (me.role == center::Role::operator_) q.operator_id = me.id;
    return q;
}

nlohmann::json card_json(Api::State& s, store::Store& store, const center::User& me,
                         const center::Call& call) {
    auto card = call_json(store, call);
    nlohmann::json results = nlohmann::json::array();
    if (call.project_id)
        if (const auto project = store.projects().find(*call.project_id)) {
            for (const auto& r : project->results)
                results.push_back({{"id", r.id}, {"label", r.label}});
        }
    nlohmann::json sessions = nlohmann::json::array();
    if (center::may_supervise(me.role))
        for (const auto& session : store.monitor_sessions().list_for_call(call.id))
            sessions.push_back(session_json(store, session));
    card["result"] = result_json(store, call);
    card["results"] = results; // what the operator may choose
    card["monitor_sessions"] = sessions;
    card["saved"] = store.saved_calls().is_saved(me.id, call.id);
    card["comments"] = store.comments().list(call.id).size();
    const auto end = call.ended_at ? *call.ended_at : s.domain.clock.wall_now();
    card["duration_ms"] =
        call.answered_at
            ? std::chrono::duration_cast<std::chrono::milliseconds>(end - *call.answered_at).count()
            : 0;
    return card;
}

} // namespace

center::Call visible_call(store::Store& store, const center::User& viewer, std::int64_t id) {
    const auto call = store.calls().find(center::CallId{id});
    if (!call || call->account_id != viewer.account_id ||
        (viewer.role == center::Role::operator_ && call->operator_id != viewer.id))
        refuse(404, "not_found", "call " + std::to_string(id) + " not found");
    return *call;
}

center::User visible_employee(Api::State& s, const center::User& viewer, std::int64_t id) {
    const auto user = s.domain.store.users().find(center::UserId{id});
    if (!user || user->account_id != viewer.account_id)
        refuse(404, "not_found", "employee " + std::to_string(id) + " not found");
    return *user;
}

void add_call_routes(Router& router, Api::State& s) {
    // Reads on the HTTP thread (Api::State::read_as_user): a page of the list never holds SIP.
    router.add("GET", "/api/v1/calls", [&s](const Request& r) {
        return s.read_as_user(r, [&](store::Store& store, const center::User& me) {
            const auto q = call_query(r, me);
            nlohmann::json calls = nlohmann::json::array();
            std::int64_t total = 0;
            store.transaction([&] { // the page and its total from one snapshot
                for (const auto& c : store.calls().query(q))
                    calls.push_back(call_json(store, c));
                total = store.calls().count(q);
            });
            return Response::ok(
                {{"calls", calls}, {"total", total}, {"limit", q.limit}, {"offset", q.offset}});
        });
    });
    router.add("GET", "/api/v1/calls/{id}", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.read_as_user(r, [&](store::Store& store, const center::User& me) {
            Response response;
            store.transaction([&] {
                response = Response::ok(card_json(s, store, me, visible_call(store, me, id)));
            });
            return response;
        });
    });
    router.add("GET", "/api/v1/calls/{id}/recording", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto track = r.query.contains("track") ? r.query.at("track") : "stereo";
        if (track != "stereo" && track != "supervisor")
            throw ApiError(400, "invalid_value", "track must be stereo or supervisor",
                           {{"field", "track"}});
        return s.read_as_user(r, [&](store::Store& store, const center::User& me) {
            const auto call = visible_call(store, me, id);
            if (track == "supervisor") require_supervisor(me);
            if (call.recording_path.empty())
                refuse(404, "not_found", "call " + std::to_string(id) + " has no recording");
            const auto path = track == "stereo"
                                  ? std::filesystem::path(call.recording_path)
                                  : center::supervisor_track_path(call.recording_path);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(path, ec))
                refuse(404, "not_found",
                       track == "stereo" ? "the recording is not available"
                                         : "no supervisor spoke on this call");
            Response response;
            response.file = FileBody{path, "audio/wav",
                                     "call-" + std::to_string(id) +
                                         (track == "stereo" ? "" : "-supervisor") + ".wav"};
            return response;
        });
    });
}

} // namespace suflyor::api
