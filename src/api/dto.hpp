#pragma once
// The JSON shapes of the API (SPEC §10): times as ISO 8601 UTC with milliseconds, ids as numbers,
// enums as their snake_case text. Shapes may grow, never break.
#include "center/model.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace suflyor::api {

nlohmann::json time_json(core::WallTime at);
nlohmann::json time_json(const std::optional<core::WallTime>& at); // null when absent
std::optional<core::WallTime> parse_time(const std::string& text); // the same format, or nullopt

nlohmann::json account_json(const center::Account& account);
nlohmann::json me_json(const center::User& user, const center::Account& account,
                       bool monitoring_connected);
nlohmann::json person_json(const center::User& user); // {id, name}
nlohmann::json session_json(store::Store& store, const center::MonitorSession& session);
// The list entry of a call: parties, project, state and times.
nlohmann::json call_json(store::Store& store, const center::Call& call);
// A call's processing result as the card shows it ({id, label, note, by, at}), or null.
nlohmann::json result_json(store::Store& store, const center::Call& call);
// Where an employee's device is registered now: "sip_phone" or "browser", the client's
// "ip:port", and since when (the binding's first REGISTER).
struct DeviceRegistration {
    std::string device;
    std::string address;
    core::WallTime since{};
};
// The current registration of an employee, from the SIP registrar (the app wires it).
using RegistrationLookup = std::function<std::optional<DeviceRegistration>(const center::User&)>;

// An employee with live status, current call, whether active, and the device's registration
// (null without a lookup or a registered device) (Team, Project state, presence events).
nlohmann::json employee_json(store::Store& store, const center::User& user,
                             const RegistrationLookup& registration = {});
// `numbers`: the dialled numbers (DIDs) that reach the project.
nlohmann::json project_json(const center::Project& project,
                            const std::vector<std::string>& numbers = {});
nlohmann::json comment_json(store::Store& store, const center::Comment& comment);
nlohmann::json feature_json(const center::FeatureStatus& status);

} // namespace suflyor::api
