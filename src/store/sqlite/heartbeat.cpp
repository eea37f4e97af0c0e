// The server's heartbeat: one row, overwritten every few seconds while the server runs.
#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {

void SqliteHeartbeat::beat(WallTime at) {
    db_.prepare("INSERT INTO server_heartbeat (id, at) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET at = excluded.at")
        .bind(1, at)
        .run();
}

std::optional<WallTime> SqliteHeartbeat::last() {
    auto s = db_.prepare("SELECT at FROM server_heartbeat WHERE id = 1");
    return first_row<WallTime>(s, [](const Statement& r) { return r.time(0); });
}

} // namespace suflyor::store::sqlite
