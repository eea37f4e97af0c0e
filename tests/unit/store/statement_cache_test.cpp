// The Database's statement cache: the same SQL text reuses one compiled statement, handed back
// reset and with its bindings cleared; the same SQL used while it is borrowed (nested) gets a
// fresh statement; a borrowed statement's unfinished read never leaks into the next use.
#include "store/sqlite/database.hpp"

#include <gtest/gtest.h>

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view select_by_id = "SELECT name FROM t WHERE id = ?";

class StatementCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        for (int i = 1; i <= 3; ++i)
            db.prepare("INSERT INTO t (id, name) VALUES (?, ?)")
                .bind(1, i)
                .bind(2, "n" + std::to_string(i))
                .run();
    }
    // Compiled statements alive on the connection.
    int statements() const {
        int n = 0;
        for (auto* s = sqlite3_next_stmt(db.handle(), nullptr); s != nullptr;
             s = sqlite3_next_stmt(db.handle(), s))
            ++n;
        return n;
    }
    Database db{":memory:", 1000};
};

TEST_F(StatementCacheTest, TheSameSqlReusesOneCompiledStatementResetAndUnbound) {
    {
        auto s = db.prepare(select_by_id);
        s.bind(1, 2);
        ASSERT_TRUE(s.step());
        EXPECT_EQ(s.text(0), "n2");
    }
    const int compiled = statements();
    auto again = db.prepare(select_by_id);
    EXPECT_EQ(statements(), compiled); // reused, not compiled again
    // Bindings were cleared: an unbound parameter is NULL, which matches no row.
    EXPECT_FALSE(again.step());
}

TEST_F(StatementCacheTest, NestedUseOfTheSameSqlGetsItsOwnStatement) {
    auto outer = db.prepare(select_by_id);
    outer.bind(1, 1);
    ASSERT_TRUE(outer.step());
    const int compiled = statements();
    {
        auto inner = db.prepare(select_by_id); // the cached one is borrowed by `outer`
        EXPECT_EQ(statements(), compiled + 1);
        inner.bind(1, 3);
        ASSERT_TRUE(inner.step());
        EXPECT_EQ(inner.text(0), "n3");
    }
    EXPECT_EQ(statements(), compiled); // the nested one was finalized
    EXPECT_EQ(outer.text(0), "n1");    // the outer read is untouched
    EXPECT_FALSE(outer.step());
}

TEST_F(StatementCacheTest, AnUnfinishedReadIsEndedWhenTheStatementIsGivenBack) {
    {
        auto s = db.prepare("SELECT id FROM t ORDER BY id");
        ASSERT_TRUE(s.step()); // one row read of three, then dropped
    }
    // A write transaction can commit: no read is left open on the connection.
    db.exec("BEGIN IMMEDIATE");
    db.prepare("UPDATE t SET name = 'x' WHERE id = 1").run();
    db.exec("COMMIT");
    auto s = db.prepare("SELECT id FROM t ORDER BY id");
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.int64(0), 1); // starts from the first row again
}

} // namespace
} // namespace suflyor::store::sqlite
