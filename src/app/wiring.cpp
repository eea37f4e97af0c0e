#include "app/wiring.hpp"

namespace suflyor::app {

center::PasswordHasher::Cost password_cost(const SecurityConfig& security) {
    if (security.password_cost == "moderate") return center::PasswordHasher::moderate();
    if (security.password_cost == "minimal") return center::PasswordHasher::minimal();
    return center::PasswordHasher::interactive();
}

Services::Services(const Config& config)
    : hasher(password_cost(config.security)),
      store(store::open_sqlite(store::SqliteOptions{config.storage.path, 5000, std::nullopt})),
      directory(*store, clock, hasher), features(*store, clock), calls(*store, clock),
      monitor_ledger(*store, clock) {}

} // namespace suflyor::app
