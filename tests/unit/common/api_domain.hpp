#pragma once
// The domain the API runs on, for unit tests of the real router: an in-memory SQLite store, a
// manual clock, fast password hashing, the monitor service, no phones (NoTelephony) and
// `Events` as the sink the monitor and API publish to. Tests use it as a member or a base of
// their fixture and build the Api from api_domain().
#include "api/api.hpp"
#include "unit/common/no_telephony.hpp"

#include <memory>

namespace suflyor::test {

template <class Events> struct ApiDomainParts {
    core::ManualClock clock;
    std::unique_ptr<store::Store> store = store::open_sqlite(store::SqliteOptions{":memory:"});
    center::PasswordHasher hasher{center::PasswordHasher::minimal()};
    center::Directory directory{*store, clock, hasher};
    center::CallLog calls{*store, clock};
    center::Features features{*store, clock};
    center::MonitorLedger ledger{*store, clock};
    center::TrunkService trunks{*store, clock, center::SecretBox::ephemeral()};
    NoTelephony telephony;
    Events events;
    monitor::MonitorService monitor{*store, clock, features, ledger, telephony, events};
    api::Metrics metrics;

    // Connecting a feature goes straight to center::Features.
    api::ApiDomain api_domain() {
        return api::ApiDomain{
            *store,
            clock,
            directory,
            calls,
            features,
            monitor,
            telephony,
            events,
            hasher,
            [this](const center::Actor& by, center::AccountId a, center::Feature f) {
                return features.connect(by, a, f);
            },
            trunks,
            [](const std::string&) { return std::optional<center::RegistrationStatus>{}; },
            {},
            {}};
    }
};

// The Api's control-loop executor in these tests: the work runs at once, on the caller's thread.
inline void run_at_once(const std::function<void()>& work) { work(); }

} // namespace suflyor::test
