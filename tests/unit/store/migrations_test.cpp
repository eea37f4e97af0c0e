#include "../common/temp_dir.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace suflyor::store {
namespace {

// Opens the file with raw sqlite to look underneath the store.
struct RawDb {
    explicit RawDb(const std::filesystem::path& path) { sqlite3_open(path.c_str(), &db); }
    ~RawDb() { sqlite3_close(db); }
    std::string scalar(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
        std::string out;
        if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        return out;
    }
    int exec(const std::string& sql) {
        return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
    sqlite3* db = nullptr;
};

// Makes a database at schema `version` holding account Acme and operator olga as a build of that
// version wrote them: only the version-1 columns (today's repositories know later ones), the
// later ones are left to their migrations' defaults.
void make_old_database(const std::filesystem::path& path, int version) {
    {
        auto old = open_sqlite(SqliteOptions{path, 5000, version});
        EXPECT_EQ(old->schema_version(), version);
    }
    RawDb raw(path);
    EXPECT_EQ(raw.exec("INSERT INTO accounts (name, contact_email, sip_domain, created_at) "
                       "VALUES ('Acme', 'a@acme.test', 'acme.test', 1)"),
              SQLITE_OK);
    EXPECT_EQ(raw.exec("INSERT INTO users (account_id, name, login, role, password_hash, "
                       "sip_user, sip_ha1_md5, sip_ha1_sha256, presence_since, created_at) "
                       "VALUES (1, 'Olga', 'olga', 'operator', 'h', 'olga', 'm', 's', 1, 1)"),
              SQLITE_OK);
}

TEST(Migrations, FreshDatabaseGetsTheLatestSchemaWithWalAndForeignKeys) {
    test::TempDir dir;
    const auto path = dir / "var" / "suflyor.db"; // the parent folder is created
    {
        auto store = open_sqlite(SqliteOptions{path});
        EXPECT_EQ(store->schema_version(), latest_schema_version());
        EXPECT_EQ(latest_schema_version(), 12);
    }
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "12");
    for (const char* table :
         {"accounts", "users", "projects", "project_operators", "processing_results", "calls",
          "monitor_sessions", "monitor_modes", "comments", "saved_calls", "account_features",
          "audit_log", "mail_outbox", "server_heartbeat", "trunks", "trunk_numbers"})
        EXPECT_EQ(raw.scalar(std::string("SELECT count(*) FROM sqlite_master WHERE name='") +
                             table + "'"),
                  "1")
            << table;
}

TEST(Migrations, ReopeningIsANoOp) {
    test::TempDir dir;
    open_sqlite(SqliteOptions{dir / "a.db"})
        ->accounts()
        .insert(Account{AccountId{0}, "Acme", "a@acme.test", "acme.test", core::from_unix_ms(1)});
    auto again = open_sqlite(SqliteOptions{dir / "a.db"});
    EXPECT_EQ(again->schema_version(), latest_schema_version());
    EXPECT_EQ(again->accounts().count(), 1);
}

TEST(Migrations, UpgradeFromVersionOneKeepsDataAndAddsTheRest) {
    test::TempDir dir;
    const auto path = dir / "old.db";
    make_old_database(path, 1);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_master WHERE name='calls'"), "0");
    }
    auto latest = open_sqlite(SqliteOptions{path});
    EXPECT_EQ(latest->schema_version(), latest_schema_version());
    ASSERT_TRUE(latest->users().find_by_login("olga"));
    EXPECT_EQ(latest->accounts().list().front().name, "Acme");
    EXPECT_TRUE(latest->accounts().list().front().barge_enabled); // migration 5's default
    EXPECT_EQ(latest->users().find_by_login("olga")->ring_device,
              RingDevice::sip_phone); // migration 7's default
    // The new tables work with the old rows.
    Call c;
    c.account_id = latest->accounts().list().front().id;
    c.client_number = "100";
    EXPECT_NO_THROW(latest->calls().insert(c));
}

TEST(Migrations, RingDeviceColumnDefaultsToTheSipPhoneAndRefusesUnknownDevices) {
    test::TempDir dir;
    const auto path = dir / "v6.db";
    make_old_database(path, 6);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.scalar("SELECT count(*) FROM pragma_table_info('users') "
                             "WHERE name = 'ring_device'"),
                  "0");
    }
    auto latest = open_sqlite(SqliteOptions{path});
    const auto olga = latest->users().find_by_login("olga");
    ASSERT_TRUE(olga);
    EXPECT_EQ(olga->ring_device, RingDevice::sip_phone);
    latest->users().update_ring_device(olga->id, RingDevice::browser);
    EXPECT_EQ(latest->users().find(olga->id)->ring_device, RingDevice::browser);
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT ring_device FROM users WHERE login = 'olga'"), "browser");
    EXPECT_NE(raw.exec("UPDATE users SET ring_device = 'pager' WHERE login = 'olga'"), SQLITE_OK);
    EXPECT_EQ(raw.scalar("SELECT ring_device FROM users WHERE login = 'olga'"), "browser");
}

TEST(Migrations, ProjectsOfAnOlderDatabaseComeOutActive) {
    test::TempDir dir;
    const auto path = dir / "v7.db";
    make_old_database(path, 7);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.exec("INSERT INTO projects (account_id, name, created_at) "
                           "VALUES (1, 'Sales', 1)"),
                  SQLITE_OK);
    }
    auto latest = open_sqlite(SqliteOptions{path});
    const auto sales = latest->projects().find_by_name(AccountId{1}, "Sales");
    ASSERT_TRUE(sales);
    EXPECT_FALSE(sales->archived());
    latest->projects().set_archived(sales->id, core::from_unix_ms(5000));
    EXPECT_EQ(latest->projects().find(sales->id)->archived_at, core::from_unix_ms(5000));
    EXPECT_EQ(RawDb(path).scalar("SELECT archived_at FROM projects"), "5000");
    latest->projects().set_archived(sales->id, std::nullopt);
    EXPECT_FALSE(latest->projects().find(sales->id)->archived());
}

TEST(Migrations, RefusesADatabaseFromANewerBuild) {
    test::TempDir dir;
    const auto path = dir / "future.db";
    open_sqlite(SqliteOptions{path});
    RawDb(path).exec("PRAGMA user_version = 99");
    try {
        open_sqlite(SqliteOptions{path});
        FAIL() << "a newer schema must be refused";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::storage);
        EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(RawDb(path).scalar("PRAGMA user_version"), "99"); // left untouched
}

TEST(Migrations, AFailingMigrationLeavesTheDatabaseAsItWas) {
    test::TempDir dir;
    const auto path = dir / "clash.db";
    open_sqlite(SqliteOptions{path, 5000, 1});
    // A table in the way of migration 2 makes it fail half-way.
    RawDb(path).exec("CREATE TABLE comments (x)");
    EXPECT_THROW(open_sqlite(SqliteOptions{path}), core::Error);
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "1");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_master WHERE name='calls'"), "0");
}

TEST(Migrations, UnopenablePathIsAClearStorageError) {
    try {
        open_sqlite(SqliteOptions{"/proc/no-such-dir/x.db"});
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::storage);
        EXPECT_NE(std::string(e.what()).find("/proc/no-such-dir"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace suflyor::store

namespace suflyor::store {
namespace {

TEST(Schema, AuditRowsCannotBeChangedOrDeletedEvenWithRawSql) {
    test::TempDir dir;
    const auto path = dir / "audit.db";
    open_sqlite(SqliteOptions{path})
        ->audit()
        .append(AuditEntry{AuditId{0}, std::nullopt, Actor{std::nullopt, "cli"}, "x", "y", "1",
                           "{}", core::from_unix_ms(1)});
    RawDb raw(path);
    EXPECT_EQ(raw.exec("UPDATE audit_log SET action = 'forged'") & 0xff, SQLITE_CONSTRAINT);
    EXPECT_EQ(raw.exec("DELETE FROM audit_log") & 0xff, SQLITE_CONSTRAINT);
    EXPECT_EQ(raw.scalar("SELECT action FROM audit_log"), "x");
}

} // namespace
} // namespace suflyor::store
