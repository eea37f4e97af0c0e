#pragma once
// The domain services over one store, as `serve` and `admin` use them.
#include "app/config.hpp"
#include "center/center.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

#include <memory>

namespace suflyor::app {

center::PasswordHasher::Cost password_cost(const SecurityConfig& security);

struct Services {
    explicit Services(const Config& config);

    core::SystemClock clock;
    center::PasswordHasher hasher;
    std::unique_ptr<store::Store> store;
    center::Directory directory;
    center::Features features;
    center::CallLog calls;
    center::MonitorLedger monitor_ledger;
    center::TrunkService trunks;
};

// The key that seals stored secrets (trunk passwords): a file beside the database.
center::SecretBox secret_box(const StorageConfig& storage);

} // namespace suflyor::app
