#include "fixture.hpp"

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

class LedgerTest : public CenterTest {
protected:
    void SetUp() override {
        std::tie(acme, boss) = make_account("acme");
        std::tie(globex, gboss) = make_account("globex");
        olga = make_user(acme, "olga");
        anna = make_user(acme, "anna", Role::administrator);
        call = talking_call(acme, olga);
    }
    Account acme, globex;
    User boss, gboss, olga, anna;
    Call call;
};

TEST_F(LedgerTest, RefusalTable) {
    const auto ringing = calls.open(NewCall{acme.id, std::nullopt, anna.id, "1"});
    const auto ended = calls.end(talking_call(acme, make_user(acme, "ivan")).id, "done");
    const auto own_call = talking_call(acme, boss);
    struct Row {
        const char* why;
        User who;
        CallId call;
        ErrorCode expected;
    };
    const std::vector<Row> table{
        {"operator role", olga, call.id, ErrorCode::forbidden},
        {"another account", gboss, call.id, ErrorCode::not_found},
        {"no such call", boss, CallId{999}, ErrorCode::not_found},
        {"call ended", boss, ended.id, ErrorCode::call_ended},
        {"not answered", boss, ringing.id, ErrorCode::conflict},
        {"party of the call", boss, own_call.id, ErrorCode::conflict},
    };
    for (const auto& row : table)
        EXPECT_EQ(code_of([&] { ledger.open(row.who, row.call, MonitorMode::listen); }),
                  row.expected)
            << row.why;
    EXPECT_TRUE(store->monitor_sessions().open_sessions().empty());
}

TEST_F(LedgerTest, OnlyOneSupervisorAtATimeAndTheRefusalNamesWhoIsJoined) {
    const auto session = ledger.open(boss, call.id, MonitorMode::whisper);
    EXPECT_TRUE(session.open());
    try {
        ledger.open(anna, call.id, MonitorMode::listen);
        FAIL() << "a second supervisor must be refused";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::already_monitored);
        EXPECT_NE(std::string(e.what()).find(boss.name), std::string::npos) << e.what();
    }
    ledger.close(actor_of(boss), session.id, "supervisor_left");
    EXPECT_NO_THROW(ledger.open(anna, call.id, MonitorMode::listen));
}

TEST_F(LedgerTest, ModeSwitchesAreRecordedInOrderByTheJoinedSupervisorOnly) {
    const auto session = ledger.open(boss, call.id, MonitorMode::listen);
    clock.advance(std::chrono::seconds{10});
    ledger.switch_mode(boss, session.id, MonitorMode::whisper);
    ledger.switch_mode(boss, session.id, MonitorMode::whisper); // same mode: no new entry
    clock.advance(std::chrono::seconds{10});
    const auto s = ledger.switch_mode(boss, session.id, MonitorMode::listen);
    ASSERT_EQ(s.modes.size(), 3u);
    EXPECT_EQ(s.modes[1].mode, MonitorMode::whisper);
    EXPECT_EQ(s.modes[2].at, clock.wall_now());
    EXPECT_EQ(store->monitor_sessions().find(session.id)->modes.size(), 3u);
    EXPECT_EQ(code_of([&] { ledger.switch_mode(anna, session.id, MonitorMode::barge); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { ledger.switch_mode(gboss, session.id, MonitorMode::barge); }),
              ErrorCode::not_found);
    ledger.close(actor_of(boss), session.id, "supervisor_left");
    EXPECT_EQ(code_of([&] { ledger.switch_mode(boss, session.id, MonitorMode::barge); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] { ledger.close(actor_of(boss), session.id, "again"); }),
              ErrorCode::conflict);
}

TEST_F(LedgerTest, EndingTheCallEndsTheSessionWithReasonCallEnded) {
    const auto session = ledger.open(boss, call.id, MonitorMode::listen);
    calls.end(call.id, "client_hangup");
    const auto closed = store->monitor_sessions().find(session.id);
    EXPECT_FALSE(closed->open());
    EXPECT_EQ(closed->end_reason, "call_ended");
    EXPECT_FALSE(ledger.open_for_call(call.id));
}

TEST_F(LedgerTest, EveryStartSwitchAndStopIsAudited) {
    const auto session = ledger.open(boss, call.id, MonitorMode::listen);
    ledger.switch_mode(boss, session.id, MonitorMode::whisper);
    ledger.close(actor_of(boss), session.id, "supervisor_left");
    const auto entries = store->audit().list(acme.id, 3);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[2].action, "monitor.start");
    EXPECT_EQ(entries[2].actor.user_id, boss.id);
    EXPECT_NE(entries[2].details.find("\"mode\":\"listen\""), std::string::npos);
    EXPECT_EQ(entries[1].action, "monitor.switch");
    EXPECT_EQ(entries[0].action, "monitor.stop");
    EXPECT_NE(entries[0].details.find("supervisor_left"), std::string::npos);
}

} // namespace
} // namespace suflyor::center::test
