// The API's readers: a read-only connection beside the writer sees what the writer committed,
// writes nothing, and refuses a database of another schema version.
#include "../common/temp_dir.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

namespace suflyor::store {
namespace {

SqliteOptions reader_of(const std::filesystem::path& path) {
    SqliteOptions options{path, 1000, std::nullopt};
    options.read_only = true;
    return options;
}

Account acme() {
    Account a;
    a.name = "Acme";
    a.contact_email = "a@acme.test";
    a.sip_domain = "acme.test";
    a.created_at = core::from_unix_ms(1);
    return a;
}

TEST(ReadOnlyStore, SeesWhatTheWriterCommittedWhileTheWriterStaysOpen) {
    test::TempDir dir;
    auto writer = open_sqlite(SqliteOptions{dir / "s.db", 1000, std::nullopt});
    auto reader = open_sqlite(reader_of(dir / "s.db"));
    EXPECT_TRUE(reader->accounts().list().empty());
    const auto id = writer->accounts().insert(acme());
    const auto seen = reader->accounts().find(id);
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->name, "Acme");
}

TEST(ReadOnlyStore, AReadTransactionIsOneSnapshotAndTakesNoWriteLock) {
    test::TempDir dir;
    auto writer = open_sqlite(SqliteOptions{dir / "s.db", 1000, std::nullopt});
    writer->accounts().insert(acme());
    auto reader = open_sqlite(reader_of(dir / "s.db"));
    reader->transaction([&] {
        EXPECT_EQ(reader->accounts().count(), 1);
        auto other = acme();
        other.name = "Globex";
        other.sip_domain = "globex.test";
        writer->accounts().insert(other); // the writer is not blocked by the reader
        EXPECT_EQ(reader->accounts().count(), 1);
    });
    EXPECT_EQ(reader->accounts().count(), 2);
}

TEST(ReadOnlyStore, RefusesToWrite) {
    test::TempDir dir;
    open_sqlite(SqliteOptions{dir / "s.db", 1000, std::nullopt});
    auto reader = open_sqlite(reader_of(dir / "s.db"));
    try {
        reader->accounts().insert(acme());
        FAIL() << "a reader wrote";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::storage);
    }
}

TEST(ReadOnlyStore, RefusesAMissingFileAndAnotherSchemaVersion) {
    test::TempDir dir;
    EXPECT_THROW(open_sqlite(reader_of(dir / "none.db")), core::Error);
    open_sqlite(SqliteOptions{dir / "old.db", 1000, 1});
    try {
        open_sqlite(reader_of(dir / "old.db"));
        FAIL() << "a reader opened a version-1 database";
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 1"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace suflyor::store
