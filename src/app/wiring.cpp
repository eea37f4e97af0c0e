#include "app/wiring.hpp"

#include <filesystem>

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
      monitor_ledger(*store, clock), trunks(*store, clock, secret_box(config.storage)) {}

center::SecretBox secret_box(const StorageConfig& storage) {
    if (storage.path == ":memory:") return center::SecretBox::ephemeral();
    return center::SecretBox::from_key_file(std::filesystem::path(storage.path).parent_path() /
                                            "secret.key");
}

} // namespace suflyor::app
