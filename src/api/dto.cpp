#include "api/dto.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace suflyor::api {

using nlohmann::json;

json time_json(core::WallTime at) {
    const auto ms = at.time_since_epoch().count();
    const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[96]; // 24 characters for any real date; room for what the compiler cannot rule out
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms - static_cast<std::int64_t>(seconds) * 1000));
    return std::string(text);
}

json time_json(const std::optional<core::WallTime>& at) {
    return at ? time_json(*at) : json(nullptr);
}

std::optional<core::WallTime> parse_time(const std::string& text) {
    // "YYYY-MM-DDTHH:MM:SS[.mmm]Z"
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, milli = 0, used = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) !=
        6)
        return std::nullopt;
    std::string_view rest(text);
    rest.remove_prefix(static_cast<std::size_t>(used));
    if (rest.size() == 5 && rest[0] == '.') {
        for (int i = 1; i <= 3; ++i) {
            if (rest[i] < '0' || rest[i] > '9') return std::nullopt;
            milli = milli * 10 + (rest[i] - '0');
        }
        rest.remove_prefix(4);
    }
    if (rest != "Z") return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month(mo),
                                           std::chrono::day(d)};
    if (!date.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
    return core::WallTime{std::chrono::sys_days{date}.time_since_epoch() + std::chrono::hours{h} +
                          std::chrono::minutes{mi} + std::chrono::seconds{sec} +
                          std::chrono::milliseconds{milli}};
}

json account_json(const center::Account& a) {
    return {{"id", a.id.value()},
            {"name", a.name},
            {"contact_email", a.contact_email},
            {"sip_domain", a.sip_domain},
            {"barge_enabled", a.barge_enabled}};
}

json me_json(const center::User& u, const center::Account& a, bool monitoring_connected) {
    return {{"id", u.id.value()},
            {"name", u.name},
            {"login", u.login},
            {"role", center::to_string(u.role)},
            {"sip_user", u.sip.user},
            {"ring_device", center::to_string(u.ring_device)},
            {"status", center::to_string(u.presence)},
            {"status_since", time_json(u.presence_since)},
            {"account", account_json(a)},
            {"may_monitor", center::may_supervise(u.role) && monitoring_connected}};
}

json person_json(const center::User& u) { return {{"id", u.id.value()}, {"name", u.name}}; }

namespace {

json person_or_null(store::Store& store, const std::optional<center::UserId>& id) {
    if (!id) return nullptr;
    const auto user = store.users().find(*id);
    return user ? person_json(*user) : json(nullptr);
}

} // namespace

json session_json(store::Store& store, const center::MonitorSession& s) {
    json modes = json::array();
    for (const auto& m : s.modes)
        modes.push_back({{"mode", center::to_string(m.mode)}, {"at", time_json(m.at)}});
    return {{"session_id", s.id.value()},
            {"call_id", s.call_id.value()},
            {"supervisor", person_or_null(store, s.supervisor_id)},
            {"mode", center::to_string(s.mode)},
            {"modes", modes},
            {"started_at", time_json(s.started_at)},
            {"ended_at", time_json(s.ended_at)},
            {"end_reason", s.end_reason.empty() ? json(nullptr) : json(s.end_reason)}};
}

json call_json(store::Store& store, const center::Call& c) {
    json project = nullptr;
    if (c.project_id)
        if (const auto p = store.projects().find(*c.project_id))
            project = {{"id", p->id.value()}, {"name", p->name}};
    json monitored_by = nullptr;
    if (c.state == center::CallState::talking)
        if (const auto open = store.monitor_sessions().open_for_call(c.id))
            monitored_by = {{"session_id", open->id.value()},
                            {"supervisor", person_or_null(store, open->supervisor_id)},
                            {"mode", center::to_string(open->mode)}};
    return {{"id", c.id.value()},
            {"client_number", c.client_number},
            {"direction", center::to_string(c.direction)},
            {"state", center::to_string(c.state)},
            {"operator", person_or_null(store, c.operator_id)},
            {"project", project},
            {"created_at", time_json(c.created_at)},
            {"answered_at", time_json(c.answered_at)},
            {"ended_at", time_json(c.ended_at)},
            {"end_reason", c.end_reason.empty() ? json(nullptr) : json(c.end_reason)},
            {"monitored_by", monitored_by},
            {"has_recording", !c.recording_path.empty()},
            {"recording_incomplete", c.recording_lost_ms > 0},
            {"recording_lost_ms", c.recording_lost_ms}};
}

json result_json(store::Store& store, const center::Call& call) {
    if (!call.result_id || !call.project_id) return nullptr;
    const auto chosen = store.projects().find_result(*call.project_id, *call.result_id);
    return {{"id", *call.result_id},
            {"label", chosen ? chosen->label : std::string()},
            {"note", call.result_note},
            {"by", person_or_null(store, call.result_by)},
            {"at", time_json(call.result_at)}};
}

json employee_json(store::Store& store, const center::User& u,
                   const RegistrationLookup& registration) {
    json current = nullptr;
    if (const auto call = store.calls().active_call_of_operator(u.id))
        current = call_json(store, *call);
    json device = nullptr;
    if (registration)
        if (const auto r = registration(u))
            device = {
                {"device", r->device}, {"address", r->address}, {"since", time_json(r->since)}};
    return {{"id", u.id.value()},
            {"name", u.name},
            {"login", u.login},
            {"role", center::to_string(u.role)},
            {"ring_device", center::to_string(u.ring_device)},
            {"status", center::to_string(u.presence)},
            {"status_since", time_json(u.presence_since)},
            {"current_call", current},
            {"active", u.active},
            {"deactivated_at", time_json(u.deactivated_at)},
            {"registration", device}};
}

json project_json(const center::Project& p, const std::vector<std::string>& numbers) {
    json operators = json::array();
    for (const auto id : p.operators)
        operators.push_back(id.value());
    const auto labels = [](const std::vector<center::ProcessingResult>& list) {
        json out = json::array();
        for (const auto& r : list)
            out.push_back({{"id", r.id}, {"label", r.label}});
        return out;
    };
    // `results` are the choosable ones (the card offers them); retired ones are listed apart.
    return {{"id", p.id.value()},
            {"name", p.name},
            {"operators", operators},
            {"results", labels(p.results)},
            {"retired_results", labels(p.retired_results)},
            {"archived", p.archived()},
            {"archived_at", time_json(p.archived_at)},
            {"numbers", numbers}};
}

json comment_json(store::Store& store, const center::Comment& c) {
    return {{"id", c.id.value()},
            {"call_id", c.call_id.value()},
            {"author", person_or_null(store, c.author_id)},
            {"text", c.text},
            {"offset_ms", c.offset_ms},
            {"dictated", c.dictated},
            {"created_at", time_json(c.created_at)}};
}

json feature_json(const center::FeatureStatus& s) {
    return {{"key", center::to_string(s.feature)},
            {"state", center::to_string(s.state)},
            {"requested_at", time_json(s.requested_at)},
            {"connected_at", time_json(s.connected_at)},
            {"disabled_at", time_json(s.disabled_at)},
            {"contact_email", s.contact_email.empty() ? json(nullptr) : json(s.contact_email)}};
}

} // namespace suflyor::api
