#include "monitor/monitor.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

namespace suflyor::monitor {
namespace {

using center::MonitorMode;
using core::ErrorCode;

constexpr std::uint8_t C = 1 << 0, O = 1 << 1, S = 1 << 2;

TEST(Plan, TheAudioTableOfTheProduct) {
    RoomLegs legs{0, 1, 2};
    struct Row {
        std::optional<MonitorMode> mode;
        std::uint8_t client_hears, operator_hears, supervisor_hears;
    };
    const std::vector<Row> table{
        {std::nullopt, O, C, 0},
        {MonitorMode::listen, O, C, C | O},
        {MonitorMode::whisper, O, C | S, C | O},
        {MonitorMode::barge, O | S, C | S, C | O},
    };
    for (const auto& row : table) {
        const auto plan = plan_for(legs, row.mode);
        EXPECT_EQ(plan.hears[0], row.client_hears);
        EXPECT_EQ(plan.hears[1], row.operator_hears);
        EXPECT_EQ(plan.hears[2], row.supervisor_hears);
    }
    // Before the supervisor's leg exists, only the two parties are bridged.
    EXPECT_EQ(plan_for(RoomLegs{0, 1, std::nullopt}, MonitorMode::whisper),
              plan_for(legs, std::nullopt));
}

// Records what the service asks of the telephony.
struct FakeTelephony final : Telephony {
    std::optional<CallRoom> room_of(center::CallId call) override {
        if (rooms.contains(call.value())) return rooms.at(call.value());
        return std::nullopt;
    }
    bool has_device(const User& u) override { return !no_device.contains(u.id.value()); }
    std::optional<std::int64_t> ring_supervisor(const User& u, std::int64_t room) override {
        rung.push_back({u.id.value(), room});
        if (unreachable.contains(u.id.value())) return std::nullopt;
        return next_handle++;
    }
    void hang_up_supervisor(std::int64_t handle) override { hung_up.push_back(handle); }
    void apply(std::int64_t room, const Plan& plan) override { plans.emplace_back(room, plan); }

    std::map<std::int64_t, CallRoom> rooms;
    std::set<std::int64_t> no_device;
    std::set<std::int64_t> unreachable; // registered, but ringing fails
    std::vector<std::pair<std::int64_t, std::int64_t>> rung;
    std::vector<std::int64_t> hung_up;
    std::vector<std::pair<std::int64_t, Plan>> plans;
    std::int64_t next_handle{100};
};

struct Events final : EventSink {
    void publish(const std::string& name, center::AccountId,
                 const nlohmann::json& payload) override {
        log.emplace_back(name, payload);
    }
    std::vector<std::pair<std::string, nlohmann::json>> log;
};

class MonitorTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::tie(acme, boss) =
            directory.create_account(cli, {"acme", "o@acme.test", "acme.test", person("boss")});
        anna = directory.create_user(cli, acme.id, person("anna", center::Role::administrator));
        olga = directory.create_user(cli, acme.id, person("olga"));
        auto [globex, gb] = directory.create_account(
            cli, {"globex", "o@globex.test", "globex.test", person("gboss")});
        gboss = gb;
        features.connect(cli, acme.id, center::Feature::whisper_listen);
        features.connect(cli, globex.id, center::Feature::whisper_listen);
        call = talk(olga);
    }
    static center::NewUser person(const std::string& login,
                                  center::Role role = center::Role::operator_) {
        return {login, login, role, "password-" + login, "", "sip-secret-" + login};
    }
    center::Call talk(const User& op) {
        auto c = calls.open(
            {acme.id, std::nullopt, op.id, "+74950000001", center::CallDirection::inbound});
        c = calls.answer(c.id);
        telephony.rooms[c.id.value()] = CallRoom{c.id.value() * 10, RoomLegs{0, 1, std::nullopt}};
        return c;
    }
    template <class F> ErrorCode code_of(F&& f) {
        try {
            f();
        } catch (const core::Error& e) {
            return e.code();
        }
        ADD_FAILURE() << "expected a refusal";
        return ErrorCode::internal;
    }

    core::ManualClock clock;
    center::PasswordHasher hasher{center::PasswordHasher::minimal()};
    std::unique_ptr<store::Store> store = store::open_sqlite(store::SqliteOptions{":memory:"});
    center::Directory directory{*store, clock, hasher};
    center::Features features{*store, clock};
    center::CallLog calls{*store, clock};
    center::MonitorLedger ledger{*store, clock};
    FakeTelephony telephony;
    Events events;
    MonitorService service{*store, clock, features, ledger, telephony, events};
    const center::Actor cli = center::system_actor("cli");
    center::Account acme;
    User boss, anna, olga, gboss;
    center::Call call;
};

TEST_F(MonitorTest, RefusalsComeInTheContractOrderEachWithItsCode) {
    const auto ended =
        calls.end(talk(directory.create_user(cli, acme.id, person("ivan"))).id, "done");
    EXPECT_EQ(code_of([&] { service.start(olga, call.id, MonitorMode::listen); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { service.start(gboss, call.id, MonitorMode::listen); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { service.start(boss, ended.id, MonitorMode::listen); }),
              ErrorCode::call_ended);
    telephony.no_device.insert(anna.id.value());
    EXPECT_EQ(code_of([&] { service.start(anna, call.id, MonitorMode::listen); }),
              ErrorCode::no_supervisor_device);
    features.disable_by_platform(cli, acme.id, center::Feature::whisper_listen);
    EXPECT_EQ(code_of([&] { service.start(boss, call.id, MonitorMode::listen); }),
              ErrorCode::feature_not_connected);
    // Role before account before feature: an operator of another account still gets `forbidden`.
    EXPECT_EQ(code_of([&] { service.start(olga, ended.id, MonitorMode::listen); }),
              ErrorCode::forbidden);
    ASSERT_EQ(events.log.size(), 6u);
    EXPECT_EQ(events.log[0].first, "monitor.refused");
    EXPECT_EQ(events.log[0].second["code"], "forbidden");
    EXPECT_EQ(events.log[4].second["code"], "feature_not_connected");
    EXPECT_TRUE(telephony.rung.empty());
    EXPECT_TRUE(store->monitor_sessions().open_sessions().empty());
}

TEST_F(MonitorTest, ABrowserSupervisorWithNoTabRegisteredIsToldSoInTheDevicesPlace) {
    anna = directory.set_ring_device(cli, anna.id, center::RingDevice::browser);
    telephony.no_device.insert(anna.id.value());
    telephony.no_device.insert(boss.id.value());
    // The device check keeps its place in the order: the rules before it still win.
    const auto ended =
        calls.end(talk(directory.create_user(cli, acme.id, person("ivan"))).id, "done");
    EXPECT_EQ(code_of([&] { service.start(anna, ended.id, MonitorMode::listen); }),
              ErrorCode::call_ended);
    EXPECT_EQ(code_of([&] { service.start(anna, call.id, MonitorMode::listen); }),
              ErrorCode::browser_not_registered);
    EXPECT_EQ(events.log.back().first, "monitor.refused");
    EXPECT_EQ(events.log.back().second["code"], "browser_not_registered");
    // A SIP-phone supervisor keeps the old refusal.
    EXPECT_EQ(code_of([&] { service.start(boss, call.id, MonitorMode::listen); }),
              ErrorCode::no_supervisor_device);
    // Re-joining the same employee (now) goes through the same check.
    EXPECT_EQ(code_of([&] { service.follow_next(anna, olga.id, MonitorMode::whisper); }),
              ErrorCode::browser_not_registered);
    telephony.no_device.erase(boss.id.value());
    service.start(boss, call.id, MonitorMode::listen);
    EXPECT_EQ(code_of([&] { service.start(anna, call.id, MonitorMode::listen); }),
              ErrorCode::already_monitored);
    EXPECT_EQ(telephony.rung.size(), 1u);
}

TEST_F(MonitorTest, ABrowserThatCannotBeRungClosesTheSessionWithTheBrowsersCode) {
    anna = directory.set_ring_device(cli, anna.id, center::RingDevice::browser);
    telephony.unreachable.insert(anna.id.value());
    EXPECT_EQ(code_of([&] { service.start(anna, call.id, MonitorMode::listen); }),
              ErrorCode::browser_not_registered);
    const auto sessions = store->monitor_sessions().list_for_call(call.id);
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_FALSE(sessions.front().open());
    EXPECT_EQ(sessions.front().end_reason, "browser_not_registered");
    EXPECT_EQ(events.log.back().second["code"], "browser_not_registered");
}

TEST_F(MonitorTest, OnlyOneSupervisorAtATimeTheSecondIsToldWho) {
    service.start(boss, call.id, MonitorMode::listen);
    try {
        service.start(anna, call.id, MonitorMode::whisper);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::already_monitored);
        EXPECT_NE(std::string(e.what()).find(boss.name), std::string::npos) << e.what();
    }
    EXPECT_EQ(telephony.rung.size(), 1u);
    EXPECT_EQ(events.log.back().second["code"], "already_monitored");
    // The event names who is joined as data, so the UI can say it in its own language.
    EXPECT_EQ(events.log.back().second["by"]["id"], boss.id.value());
    EXPECT_EQ(events.log.back().second["by"]["name"], boss.name);
}

TEST_F(MonitorTest, JoinSwitchByApiAndDtmfThenLeave) {
    const auto s = service.start(boss, call.id, MonitorMode::listen);
    ASSERT_EQ(telephony.rung.size(), 1u);
    EXPECT_EQ(telephony.rung[0].second, call.id.value() * 10);
    EXPECT_TRUE(telephony.plans.empty()); // nothing changes until the supervisor's phone answers
    service.on_supervisor_answered(100, 2);
    ASSERT_EQ(telephony.plans.size(), 1u);
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, MonitorMode::listen));

    service.switch_mode(boss, s.id, MonitorMode::whisper);
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, MonitorMode::whisper));
    service.on_dtmf(call.id.value() * 10, 2, '6');
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, MonitorMode::barge));
    service.on_dtmf(call.id.value() * 10, 2, '4');
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, MonitorMode::listen));
    service.on_dtmf(call.id.value() * 10, 1, '5'); // the operator's keys change nothing
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, MonitorMode::listen));

    EXPECT_EQ(code_of([&] { service.switch_mode(anna, s.id, MonitorMode::whisper); }),
              ErrorCode::forbidden);
    service.stop(boss, s.id);
    EXPECT_EQ(telephony.hung_up, std::vector<std::int64_t>{100});
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, std::nullopt));
    const auto stored = store->monitor_sessions().find(s.id);
    EXPECT_FALSE(stored->open());
    EXPECT_EQ(stored->end_reason, "supervisor_left");
    ASSERT_EQ(stored->modes.size(), 4u); // listen (the start), whisper, barge, listen
    std::vector<std::string> names;
    for (const auto& [name, payload] : events.log)
        names.push_back(name);
    EXPECT_EQ(names.front(), "monitor.started");
    EXPECT_EQ(names.back(), "monitor.stopped");
    // Audited: start, three switches, stop.
    std::size_t audited = 0;
    for (const auto& e : store->audit().list(acme.id, 100))
        audited += e.action.rfind("monitor.", 0) == 0;
    EXPECT_EQ(audited, 5u);
}

TEST_F(MonitorTest, SupervisorHangingUpLeavesTheCallGoingOn) {
    const auto s = service.start(boss, call.id, MonitorMode::whisper);
    service.on_supervisor_answered(100, 2);
    service.on_supervisor_ended(100);
    EXPECT_EQ(telephony.plans.back().second, plan_for({0, 1, 2}, std::nullopt));
    EXPECT_EQ(store->monitor_sessions().find(s.id)->end_reason, "supervisor_hangup");
    EXPECT_EQ(store->calls().find(call.id)->state, center::CallState::talking);
    EXPECT_NO_THROW(service.start(anna, call.id, MonitorMode::listen)); // free again
}

TEST_F(MonitorTest, CallEndReleasesTheSupervisor) {
    const auto s = service.start(boss, call.id, MonitorMode::listen);
    service.on_supervisor_answered(100, 2);
    calls.end(call.id, "client_hangup");
    service.on_call_ended(call.id);
    EXPECT_EQ(telephony.hung_up, std::vector<std::int64_t>{100});
    EXPECT_EQ(store->monitor_sessions().find(s.id)->end_reason, "call_ended");
    EXPECT_EQ(events.log.back().first, "monitor.stopped");
    EXPECT_EQ(events.log.back().second["reason"], "call_ended");
}

TEST_F(MonitorTest, FollowNextJoinsTheEmployeesNextCallOnceAndExpires) {
    calls.end(call.id, "done");
    EXPECT_FALSE(service.follow_next(boss, olga.id, MonitorMode::whisper)); // armed
    EXPECT_TRUE(service.following(olga.id));
    const auto next = talk(olga);
    service.on_call_answered(next.id);
    EXPECT_FALSE(service.following(olga.id));
    const auto open = store->monitor_sessions().open_for_call(next.id);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->mode, MonitorMode::whisper);
    EXPECT_EQ(open->supervisor_id, boss.id);

    // Joining at once when the employee is talking already.
    const auto ivan = directory.create_user(cli, acme.id, person("ivan"));
    const auto ivans = talk(ivan);
    const auto joined = service.follow_next(anna, ivan.id, MonitorMode::listen);
    ASSERT_TRUE(joined);
    EXPECT_EQ(joined->call_id, ivans.id);

    // An armed follow expires.
    const auto petr = directory.create_user(cli, acme.id, person("petr"));
    service.follow_next(boss, petr.id, MonitorMode::listen);
    clock.advance(std::chrono::minutes{31});
    const auto late = talk(petr);
    service.on_call_answered(late.id);
    EXPECT_FALSE(store->monitor_sessions().open_for_call(late.id));

    // Cancelled follows do nothing; only their owner cancels them.
    calls.end(late.id, "done");
    EXPECT_FALSE(service.follow_next(boss, petr.id, MonitorMode::listen));
    EXPECT_EQ(code_of([&] { service.cancel_follow(anna, petr.id); }), ErrorCode::not_found);
    service.cancel_follow(boss, petr.id);
    EXPECT_FALSE(service.following(petr.id));
    EXPECT_EQ(code_of([&] { service.follow_next(olga, petr.id, MonitorMode::listen); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { service.follow_next(gboss, petr.id, MonitorMode::listen); }),
              ErrorCode::not_found);
}

TEST_F(MonitorTest, TheExpiryTimerDropsOverdueFollowsAndAnnouncesThem) {
    calls.end(call.id, "done");
    const auto petr = directory.create_user(cli, acme.id, person("petr"));
    EXPECT_FALSE(service.expire_follows()); // nothing armed: no timer needed
    service.follow_next(boss, olga.id, MonitorMode::listen);
    clock.advance(std::chrono::minutes{10});
    service.follow_next(anna, petr.id, MonitorMode::whisper);
    const auto olgas_end = clock.wall_now() + std::chrono::minutes{20};
    EXPECT_EQ(service.expire_follows(), olgas_end); // both live; olga's ends first

    clock.advance(std::chrono::minutes{20}); // olga's is due exactly now
    const auto next = service.expire_follows();
    EXPECT_FALSE(service.following(olga.id));
    EXPECT_TRUE(service.following(petr.id));
    EXPECT_EQ(next, olgas_end + std::chrono::minutes{10});
    EXPECT_EQ(events.log.back().first, "monitor.follow_expired");
    EXPECT_EQ(events.log.back().second["employee_id"], olga.id.value());
    EXPECT_EQ(events.log.back().second["supervisor_id"], boss.id.value());

    service.cancel_follow(anna, petr.id);
    EXPECT_EQ(events.log.back().first, "monitor.follow_cancelled");
    EXPECT_FALSE(service.expire_follows());
}

TEST_F(MonitorTest, FollowFiringStillRespectsExclusivity) {
    calls.end(call.id, "done");
    service.follow_next(boss, olga.id, MonitorMode::listen);
    const auto next = talk(olga);
    service.start(anna, next.id, MonitorMode::listen); // anna got there first
    service.on_call_answered(next.id);
    EXPECT_EQ(store->monitor_sessions().open_for_call(next.id)->supervisor_id, anna.id);
    EXPECT_EQ(events.log.back().second["code"], "already_monitored");
    // The follow's refusal ("joining is impossible") names who got there first.
    EXPECT_EQ(events.log.back().second["by"]["name"], anna.name);
}

TEST_F(MonitorTest, BargeCanBeTurnedOffPerAccount) {
    EXPECT_TRUE(directory.set_barge_enabled(cli, acme.id, false).barge_enabled == false);
    EXPECT_EQ(code_of([&] { service.start(boss, call.id, MonitorMode::barge); }),
              ErrorCode::forbidden);
    const auto s = service.start(boss, call.id, MonitorMode::listen);
    EXPECT_EQ(code_of([&] { service.switch_mode(boss, s.id, MonitorMode::barge); }),
              ErrorCode::forbidden);
    service.switch_mode(boss, s.id, MonitorMode::whisper); // only barge is off
    // Another account keeps its own setting; turning it back on lets barge through.
    EXPECT_TRUE(store->accounts().find(gboss.account_id)->barge_enabled);
    directory.set_barge_enabled(cli, acme.id, true);
    EXPECT_EQ(service.switch_mode(boss, s.id, MonitorMode::barge).mode, MonitorMode::barge);
    const auto audit = store->audit().list(acme.id, 10);
    EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                            [](const auto& e) { return e.action.rfind("account.barge", 0) == 0; }),
              2);
}

} // namespace
} // namespace suflyor::monitor
