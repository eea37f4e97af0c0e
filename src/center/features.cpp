#include "center/features.hpp"

#include "center/validation.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace suflyor::center {

using core::ErrorCode;
using core::fail;

namespace {

void require_supervisor(const User& by) {
    if (!may_supervise(by.role))
        fail(ErrorCode::forbidden, "only the account's creator or administrators manage features");
}

// Which transitions exist. Repeating the current state is a no-op, not an error.
bool allowed(FeatureState from, FeatureState to) {
    switch (to) {
    case FeatureState::requested:
        return from == FeatureState::none || from == FeatureState::disabled;
    case FeatureState::connected: return true;
    case FeatureState::disabled:
        return from == FeatureState::connected || from == FeatureState::requested;
    case FeatureState::none: return false;
    }
    return false;
}

} // namespace

FeatureStatus Features::change(const Actor& by, AccountId account, Feature feature, FeatureState to,
                               const std::string& contact_email) {
    FeatureStatus status;
    store_.transaction([&] {
        if (!store_.accounts().find(account))
            fail(ErrorCode::not_found, "account " + account.str() + " not found");
        status = store_.features().get(account, feature);
        if (status.state == to) {
            // A pending request asked again with another address: the mail goes there instead.
            if (to != FeatureState::requested || status.contact_email == contact_email) return;
            status.contact_email = contact_email;
            store_.features().put(status);
            audit_.record(account, by, "feature.requested", "feature",
                          std::string(to_string(feature)), {{"contact_email", contact_email}});
            return;
        }
        if (!allowed(status.state, to))
            fail(ErrorCode::conflict, "feature " + std::string(to_string(feature)) + " is " +
                                          std::string(to_string(status.state)) +
                                          ", cannot become " + std::string(to_string(to)));
        const auto from = status.state;
        const auto now = clock_.wall_now();
        status.state = to;
        if (to == FeatureState::requested) {
            status.requested_at = now;
            status.contact_email = contact_email;
        }
        if (to == FeatureState::connected) status.connected_at = now;
        if (to == FeatureState::disabled) status.disabled_at = now;
        store_.features().put(status);
        nlohmann::json details = {{"from", to_string(from)}, {"to", to_string(to)}};
        if (to == FeatureState::requested) details["contact_email"] = contact_email;
        audit_.record(account, by, "feature." + std::string(to_string(to)), "feature",
                      std::string(to_string(feature)), details);
    });
    return status;
}

FeatureStatus Features::request(const User& by, Feature feature,
                                const std::optional<std::string>& contact_email) {
    require_supervisor(by);
    std::string email;
    if (contact_email) {
        email = validate::email(*contact_email);
    } else if (const auto account = store_.accounts().find(by.account_id)) {
        email = account->contact_email;
    }
    const auto current = status(by.account_id, feature);
    if (current.state == FeatureState::connected) return current; // nothing to request
    return change(actor_of(by), by.account_id, feature, FeatureState::requested, email);
}

FeatureStatus Features::disable(const User& by, Feature feature) {
    require_supervisor(by);
    return change(actor_of(by), by.account_id, feature, FeatureState::disabled);
}

FeatureStatus Features::connect(const Actor& platform, AccountId account, Feature feature) {
    return change(platform, account, feature, FeatureState::connected);
}

FeatureStatus Features::disable_by_platform(const Actor& platform, AccountId account,
                                            Feature feature) {
    return change(platform, account, feature, FeatureState::disabled);
}

FeatureStatus Features::status(AccountId account, Feature feature) {
    return store_.features().get(account, feature);
}

std::vector<FeatureStatus> Features::list(AccountId account) {
    std::vector<FeatureStatus> out;
    for (auto f : all_features())
        out.push_back(status(account, f));
    return out;
}

} // namespace suflyor::center
