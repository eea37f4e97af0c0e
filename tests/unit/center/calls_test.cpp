#include "fixture.hpp"

namespace suflyor::center::test {
namespace {

using core::ErrorCode;
using std::chrono::seconds;

TEST_F(CenterTest, CallLifecycleDrivesTheOperatorsPresence) {
    auto [acme, boss] = make_account("acme");
    const auto op = make_user(acme, "olga");
    auto c =
        calls.open(NewCall{acme.id, std::nullopt, op.id, "+74951234567", CallDirection::inbound});
    EXPECT_EQ(c.state, CallState::ringing);
    EXPECT_EQ(directory.user(op.id).presence, Presence::ringing);
    clock.advance(seconds{3});
    c = calls.answer(c.id);
    EXPECT_EQ(c.state, CallState::talking);
    EXPECT_EQ(c.answered_at, clock.wall_now());
    EXPECT_EQ(directory.user(op.id).presence, Presence::talking);
    EXPECT_EQ(directory.user(op.id).presence_since, clock.wall_now());
    EXPECT_EQ(code_of([&] { calls.answer(c.id); }), ErrorCode::conflict);
    clock.advance(seconds{60});
    c = calls.end(c.id, "client_hangup");
    EXPECT_EQ(c.state, CallState::ended);
    EXPECT_EQ(c.end_reason, "client_hangup");
    EXPECT_EQ(directory.user(op.id).presence, Presence::available);
    EXPECT_NO_THROW(calls.end(c.id, "timeout")); // a second end is harmless
    EXPECT_EQ(store->calls().find(c.id)->end_reason, "client_hangup");
}

TEST_F(CenterTest, CallsLeftOpenByACrashEndAtTheirLastSignOfLifeAndPresenceResets) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    const auto ivan = make_user(acme, "ivan");
    auto talking = talking_call(acme, olga); // answered at T
    const auto answered = *talking.answered_at;
    auto ringing =
        calls.open(NewCall{acme.id, std::nullopt, ivan.id, "+74957654321", CallDirection::inbound});
    const auto monitor = ledger.open(boss, talking.id, MonitorMode::listen);
    auto done =
        calls.open(NewCall{acme.id, std::nullopt, std::nullopt, "1", CallDirection::inbound});
    calls.end(done.id, "no_operator");
    clock.advance(seconds{100});

    // The last sign of life: 30 s after the answer for the talking call; for the ringing one a
    // time before it even started (clamped to its start).
    const auto ended = calls.end_left_open("server_restart", [&](const Call& c) {
        return c.id == talking.id ? answered + seconds{30} : answered - seconds{60};
    });
    ASSERT_EQ(ended.size(), 2u);
    const auto t = store->calls().find(talking.id);
    EXPECT_EQ(t->state, CallState::ended);
    EXPECT_EQ(t->end_reason, "server_restart");
    EXPECT_EQ(t->ended_at, answered + seconds{30});
    const auto r = store->calls().find(ringing.id);
    EXPECT_EQ(r->state, CallState::ended);
    EXPECT_EQ(r->end_reason, "server_restart");
    EXPECT_EQ(r->ended_at, r->created_at);
    EXPECT_EQ(store->calls().find(done.id)->end_reason, "no_operator"); // untouched
    const auto session = store->monitor_sessions().find(monitor.id);
    EXPECT_FALSE(session->open());
    EXPECT_EQ(session->end_reason, "server_restart");
    EXPECT_EQ(session->ended_at, answered + seconds{30});
    EXPECT_EQ(audit_actions().back(), "monitor.stop");

    // Nobody is registered after a restart: the stuck "talking"/"ringing" operators go offline.
    EXPECT_EQ(directory.user(olga.id).presence, Presence::talking);
    EXPECT_EQ(directory.everyone_offline(), 2u);
    EXPECT_EQ(directory.user(olga.id).presence, Presence::offline);
    EXPECT_EQ(directory.user(ivan.id).presence, Presence::offline);
    EXPECT_EQ(directory.everyone_offline(), 0u);
    EXPECT_TRUE(
        calls.end_left_open("server_restart", [](const Call& c) { return c.created_at; }).empty());
}

TEST_F(CenterTest, HuntingMovesTheRingingFromOneOperatorToTheNext) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    const auto ivan = make_user(acme, "ivan");
    directory.set_presence(olga.id, Presence::available);
    directory.set_presence(ivan.id, Presence::available);
    auto c = calls.open(
        NewCall{acme.id, std::nullopt, std::nullopt, "+74951234567", CallDirection::inbound});
    c = calls.offer_to(c.id, olga.id);
    EXPECT_EQ(directory.user(olga.id).presence, Presence::ringing);
    c = calls.offer_to(c.id, ivan.id);
    EXPECT_EQ(c.operator_id, ivan.id);
    EXPECT_EQ(directory.user(olga.id).presence, Presence::available);
    EXPECT_EQ(directory.user(ivan.id).presence, Presence::ringing);
    c = calls.offer_to(c.id, ivan.id); // ringing the same operator again changes nothing
    EXPECT_EQ(c.operator_id, ivan.id);
    EXPECT_EQ(directory.user(ivan.id).presence, Presence::ringing);
    EXPECT_EQ(directory.user(olga.id).presence, Presence::available);
    c = calls.answer(c.id, "var/recordings/call-1.wav"); // stored with the answer, one write
    EXPECT_EQ(store->calls().find(c.id)->recording_path, "var/recordings/call-1.wav");
    EXPECT_EQ(directory.user(ivan.id).presence, Presence::talking);
    EXPECT_EQ(code_of([&] { calls.offer_to(c.id, olga.id); }), core::ErrorCode::conflict);
}

TEST_F(CenterTest, CallsRefuseAnotherAccountsOperatorOrProject) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto stranger = make_user(globex, "stranger");
    const auto gproject = directory.create_project(cli, globex.id, "G", {});
    EXPECT_EQ(code_of([&] {
                  calls.open(NewCall{acme.id, std::nullopt, stranger.id, "1"});
              }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] {
                  calls.open(NewCall{acme.id, gproject.id, std::nullopt, "1"});
              }),
              ErrorCode::not_found);
}

TEST_F(CenterTest, CardsOfAnotherAccountAreNotFound) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto c = talking_call(acme, make_user(acme, "olga"));
    EXPECT_EQ(calls.find_for(boss, c.id).id, c.id);
    EXPECT_EQ(code_of([&] { calls.find_for(gboss, c.id); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { calls.add_comment(gboss, c.id, "hi", std::nullopt, false); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { calls.comments(gboss, c.id); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { calls.save(gboss, c.id); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { calls.find_for(boss, CallId{999}); }), ErrorCode::not_found);
}

TEST_F(CenterTest, OnlyTheCallsOperatorRecordsAResultFromTheProjectsList) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    const auto ivan = make_user(acme, "ivan");
    const auto sales = directory.create_project(cli, acme.id, "Sales", {"Sold", "Call back"});
    const auto other = directory.create_project(cli, acme.id, "Other", {"Elsewhere"});
    const auto c = talking_call(acme, olga, sales.id);
    const auto call_back = sales.results[1].id;
    EXPECT_EQ(code_of([&] { calls.set_result(ivan, c.id, call_back, ""); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { calls.set_result(boss, c.id, call_back, ""); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { calls.set_result(olga, c.id, other.results[0].id, ""); }),
              ErrorCode::invalid_argument);
    const auto done = calls.set_result(olga, c.id, call_back, "after 18:00");
    EXPECT_EQ(done.result_id, call_back);
    EXPECT_EQ(done.result_note, "after 18:00");
    EXPECT_EQ(done.result_by, olga.id);
    EXPECT_EQ(calls.find_for(boss, c.id).result_note, "after 18:00"); // supervisors read it

    const auto ringing = calls.open(NewCall{acme.id, sales.id, olga.id, "2"});
    EXPECT_EQ(code_of([&] { calls.set_result(olga, ringing.id, call_back, ""); }),
              ErrorCode::conflict);
}

TEST_F(CenterTest, CommentsCarryTheirOffsetIntoTheCall) {
    auto [acme, boss] = make_account("acme");
    const auto c = talking_call(acme, make_user(acme, "olga"));
    clock.advance(seconds{42});
    const auto now_comment =
        calls.add_comment(boss, c.id, "asks about delivery", std::nullopt, false);
    EXPECT_EQ(now_comment.offset_ms, 42'000);
    const auto pinned = calls.add_comment(boss, c.id, "greeting was good", 5'000, true);
    EXPECT_TRUE(pinned.dictated);
    const auto list = calls.comments(boss, c.id);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].text, "greeting was good"); // timeline order
    EXPECT_EQ(list[1].author_id, boss.id);
    EXPECT_EQ(code_of([&] { calls.add_comment(boss, c.id, "  ", std::nullopt, false); }),
              ErrorCode::invalid_argument);
    EXPECT_EQ(code_of([&] {
                  calls.add_comment(boss, c.id, std::string(4001, 'x'), std::nullopt, false);
              }),
              ErrorCode::invalid_argument);
    EXPECT_EQ(code_of([&] { calls.add_comment(boss, c.id, "x", -1, false); }),
              ErrorCode::invalid_argument);

    calls.end(c.id, "done");
    clock.advance(seconds{600});
    // After the call, "now" means its end.
    EXPECT_EQ(calls.add_comment(boss, c.id, "review", std::nullopt, false).offset_ms, 42'000);
}

TEST_F(CenterTest, SavedCallsArePersonal) {
    auto [acme, boss] = make_account("acme");
    const auto admin = make_user(acme, "anna", Role::administrator);
    const auto c = talking_call(acme, make_user(acme, "olga"));
    calls.save(boss, c.id);
    calls.save(boss, c.id);
    EXPECT_EQ(calls.saved(boss).size(), 1u);
    EXPECT_TRUE(calls.saved(admin).empty());
    calls.unsave(boss, c.id);
    EXPECT_TRUE(calls.saved(boss).empty());
}

} // namespace
} // namespace suflyor::center::test

namespace suflyor::center::test {
namespace {

// The recorder lost audio of an ended call: the mark is stored on the call (adding up if it
// comes twice), audited, and survives a fresh read from the store.
TEST_F(CenterTest, ARecordingThatLostAudioMarksItsCallIncomplete) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    auto c = talking_call(acme, olga);
    calls.set_recording(c.id, "/var/recordings/call.wav");
    c = calls.end(c.id, "client_hangup");
    EXPECT_EQ(c.recording_lost_ms, 0);
    EXPECT_EQ(calls.mark_recording_incomplete(c.id, 340).recording_lost_ms, 340);
    EXPECT_EQ(audit_actions().back(), "call.recording_incomplete");
    EXPECT_EQ(calls.mark_recording_incomplete(c.id, 0).recording_lost_ms, 341); // a failed file
    const auto stored = store->calls().find(c.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->recording_lost_ms, 341);
    EXPECT_EQ(stored->state, CallState::ended);
    EXPECT_EQ(stored->recording_path, "/var/recordings/call.wav");
    EXPECT_EQ(code_of([&] { calls.mark_recording_incomplete(CallId{9999}, 20); }),
              ErrorCode::not_found);
}

} // namespace
} // namespace suflyor::center::test
