#pragma once
// Numbered schema migrations. The database's PRAGMA user_version is its schema version.
#include "store/sqlite/database.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace suflyor::store::sqlite {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;
};

std::span<const Migration> migrations();

// Applies every migration above the database's version (up to `target`, default: all), in one
// transaction. Refuses a database whose version is newer than this build knows.
void migrate(Database& db, std::optional<int> target = std::nullopt);

int schema_version(Database& db);

} // namespace suflyor::store::sqlite
