#pragma once
// Paid features per account: none → requested → connected → disabled (→ requested again).
// The account's creator or administrators request and disable; the platform (a server-wide
// admin, the CLI, or auto-connect) connects.
#include "center/audit.hpp"
#include "center/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace suflyor::center {

class Features {
public:
    Features(store::Store& store, const core::Clock& clock)
        : store_(store), clock_(clock), audit_(store, clock) {}

    // A connection request. `contact_email` is where the connection mail goes (validated; none:
    // the account's contact email); repeating a pending request updates it. Refusals: forbidden
    // (operators), invalid_argument (not an email address).
    FeatureStatus request(const User& by, Feature feature,
                          const std::optional<std::string>& contact_email = std::nullopt);
    FeatureStatus disable(const User& by, Feature feature);
    // Platform-side fulfilment of a request (or a direct connect).
    FeatureStatus connect(const Actor& platform, AccountId account, Feature feature);
    FeatureStatus disable_by_platform(const Actor& platform, AccountId account, Feature feature);

    FeatureStatus status(AccountId account, Feature feature);
    std::vector<FeatureStatus> list(AccountId account);
    bool connected(AccountId account, Feature feature) {
        return status(account, feature).state == FeatureState::connected;
    }

private:
    FeatureStatus change(const Actor& by, AccountId account, Feature feature, FeatureState to,
                         const std::string& contact_email = {});
    store::Store& store_;
    const core::Clock& clock_;
    AuditTrail audit_;
};

} // namespace suflyor::center
