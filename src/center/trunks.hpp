#pragma once
// SIP trunks and their numbers (DIDs) as the account's supervisors edit them: validated, stored
// (the registration password sealed), audited, and announced to a listener that applies them to
// the running server at once. The configuration file's [[trunks]] are listed beside them,
// read-only.
#include "center/audit.hpp"
#include "center/model.hpp"
#include "center/secret_box.hpp"
#include "center/trunk_model.hpp"
#include "sip/trunks.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::center {

// A new trunk (all of it) or a change (only what is given).
struct TrunkInput {
    std::optional<std::string> name;
    std::optional<std::string> peer;
    std::optional<std::string> transport;
    std::optional<std::vector<std::string>> sources;
    std::optional<std::string> caller_id;
    std::optional<bool> register_outbound;
    std::optional<std::string> username;
    std::optional<std::string> password; // "" clears it
};

// The outbound registration of a trunk as the SIP edge knows it.
struct RegistrationStatus {
    std::string state; // "registered", "failing" or "pending"
    std::string reason;
};

// Told after a change committed: the app rebuilds the live trunk table and publishes `event`
// (trunk.created, trunk.updated, trunk.deleted, number.added, number.removed) to the account.
class TrunkListener {
public:
    virtual ~TrunkListener() = default;
    virtual void trunks_changed(AccountId account, const std::string& event,
                                const nlohmann::json& payload) = 0;
};

class TrunkService {
public:
    TrunkService(store::Store& store, const core::Clock& clock, SecretBox secrets);

    // The configuration file's trunks (accounts resolved): listed read-only, their names and DIDs
    // taken.
    void set_config_trunks(std::vector<sip::Trunk> trunks) { config_ = std::move(trunks); }
    [[nodiscard]] const std::vector<sip::Trunk>& config_trunks() const { return config_; }
    void set_listener(TrunkListener* listener) { listener_ = listener; }

    // Each refuses non-supervisors (forbidden), another account's trunk (not_found) and bad input
    // (invalid_argument naming the field; conflict for a taken name or number).
    TrunkRecord create(const User& by, const TrunkInput& input);
    TrunkRecord update(const User& by, TrunkId id, const TrunkInput& input);
    void remove(const User& by, TrunkId id);
    TrunkNumber add_number(const User& by, TrunkId id, const std::string& number,
                           ProjectId project);
    void remove_number(const User& by, TrunkId id, const std::string& number);

    std::vector<TrunkRecord> list(const User& by);
    std::vector<TrunkNumber> numbers(TrunkId id);
    // The numbers reaching the project: the database's and the configuration's.
    std::vector<std::string> numbers_of_project(const Project& project);
    [[nodiscard]] bool has_password(const TrunkRecord& trunk) const {
        return !trunk.sealed_password.empty();
    }

    // Every trunk in force, the configuration's first (they win a shared source), with their
    // passwords opened: what the SIP edge routes and registers with.
    std::vector<sip::Trunk> live_trunks();

private:
    TrunkRecord owned(const User& by, TrunkId id);
    void check_name_free(AccountId account, const std::string& name, TrunkId self);
    void check_number_free(const std::string& number);
    void announce(AccountId account, const std::string& event, const nlohmann::json& payload);

    store::Store& store_;
    const core::Clock& clock_;
    SecretBox secrets_;
    AuditTrail audit_;
    std::vector<sip::Trunk> config_;
    TrunkListener* listener_{nullptr};
};

} // namespace suflyor::center
