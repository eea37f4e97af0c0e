#pragma once
// Writes audit rows: who did what to which object, when. Every service mutation records one, in
// the same transaction as the change, so an action and its audit row land together or not at all.
#include "center/model.hpp"
#include "core/clock.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace suflyor::store {
class Store;
}

namespace suflyor::center {

inline Actor actor_of(const User& user) { return Actor{user.id, user.login}; }
inline Actor system_actor(std::string label) { return Actor{std::nullopt, std::move(label)}; }

class AuditTrail {
public:
    AuditTrail(store::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}
    void record(std::optional<AccountId> account, const Actor& actor, std::string action,
                std::string object_type, std::string object_id,
                const nlohmann::json& details = nlohmann::json::object());

private:
    store::Store& store_;
    const core::Clock& clock_;
};

} // namespace suflyor::center
