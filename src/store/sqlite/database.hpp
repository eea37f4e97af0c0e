#pragma once
// A thin RAII layer over sqlite3: a connection and prepared statements with typed binds.
// Every failure becomes core::Error: `conflict` for constraint violations, `storage` otherwise.
// The Database keeps each SQL text's compiled statement and lends it out again (reset, bindings
// cleared) instead of parsing the SQL on every call; a Database is used by one thread only and
// its Statements must not outlive it.
#include "core/clock.hpp"
#include "core/id.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace suflyor::store::sqlite {

// A compiled statement kept by a Database; `in_use` while a Statement has borrowed it.
struct CachedStatement {
    sqlite3_stmt* stmt{nullptr};
    bool in_use{false};
};

class Statement {
public:
    // Compiles `sql`; the Statement owns it.
    Statement(sqlite3* db, std::string_view sql);
    // Borrows a cached statement (marked in use); gives it back reset and unbound.
    Statement(sqlite3* db, CachedStatement& cached);
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&&) noexcept;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, core::WallTime time) { return bind(index, core::to_unix_ms(time)); }
    template <class Tag> Statement& bind(int index, core::Id<Tag> id) {
        return bind(index, id.value());
    }
    Statement& bind_null(int index);
    template <class T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // Steps once: true when a row is ready, false when done.
    bool step();
    // Steps to completion (for statements that return no rows).
    void run();

    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] core::WallTime time(int column) const {
        return core::from_unix_ms(int64(column));
    }
    [[nodiscard]] std::optional<core::WallTime> opt_time(int column) const;
    [[nodiscard]] std::optional<std::int64_t> opt_int64(int column) const;
    template <class IdT> [[nodiscard]] IdT id(int column) const { return IdT{int64(column)}; }
    template <class IdT> [[nodiscard]] std::optional<IdT> opt_id(int column) const {
        if (is_null(column)) return std::nullopt;
        return IdT{int64(column)};
    }

private:
    void check_bind(int rc, int index);
    sqlite3* db_;
    sqlite3_stmt* stmt_{nullptr};
    CachedStatement* cached_{nullptr};
};

class Database {
public:
    // `read_only`: the file must exist; nothing can be written through this connection.
    Database(const std::string& path, int busy_timeout_ms, bool read_only = false);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    void exec(std::string_view sql);
    // The cached statement for `sql`, compiled on first use; a fresh one when the cached one is
    // borrowed already (the same SQL nested) or the cache is full.
    Statement prepare(std::string_view sql);
    [[nodiscard]] std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
    [[nodiscard]] int changes() const { return sqlite3_changes(db_); }
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    // Heterogeneous lookup: a string_view finds its entry without building a std::string.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept {
            return std::hash<std::string_view>{}(sql);
        }
    };
    // Bounds the cache if SQL texts were ever built with values in them (none are today).
    static constexpr std::size_t max_cached_statements = 512;

    sqlite3* db_{nullptr};
    // Node-based: entries stay put while borrowed Statements point at them.
    std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> statements_;
};

// Throws the core::Error that fits an sqlite result code.
[[noreturn]] void raise(sqlite3* db, int rc, std::string_view what);

} // namespace suflyor::store::sqlite
