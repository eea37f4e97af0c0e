#include "core/error.hpp"
#include "fixtures.hpp"

namespace suflyor::store::test {
namespace {

using core::ErrorCode;

template <class F> ErrorCode code_of(F&& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "expected a core::Error";
    return ErrorCode::internal;
}

TEST_F(StoreTest, AccountsRoundTripAndStayUnique) {
    const auto id = account("acme");
    const auto found = store->accounts().find(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "acme");
    EXPECT_EQ(found->contact_email, "acme@example.com");
    EXPECT_EQ(found->sip_domain, "acme.example.com");
    EXPECT_EQ(core::to_unix_ms(found->created_at), 1000);
    EXPECT_EQ(store->accounts().find_by_name("acme")->id, id);
    EXPECT_EQ(store->accounts().find_by_sip_domain("ACME.example.com")->id, id); // case-insensitive
    EXPECT_FALSE(store->accounts().find(AccountId{999}));
    EXPECT_EQ(code_of([&] { account("acme"); }), ErrorCode::conflict);
    account("globex");
    EXPECT_EQ(store->accounts().count(), 2);
    EXPECT_EQ(store->accounts().list().size(), 2u);
}

TEST_F(StoreTest, UsersRoundTripWithCredentialsAndPresence) {
    const auto acc = account("acme");
    const auto id = user(acc, "olga", Role::administrator);
    auto u = store->users().find(id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->login, "olga");
    EXPECT_EQ(u->role, Role::administrator);
    EXPECT_EQ(u->sip.user, "olga");
    EXPECT_EQ(u->presence, Presence::offline);
    EXPECT_EQ(u->ring_device, RingDevice::sip_phone);
    EXPECT_EQ(store->users().find_by_login("OLGA")->id, id); // logins are case-insensitive
    EXPECT_EQ(store->users().find_by_sip_user(acc, "olga")->id, id);
    EXPECT_FALSE(store->users().find_by_sip_user(account("globex"), "olga"));

    store->users().update_password(id, "new-hash");
    store->users().update_sip(id, SipCredentials{"olga2", "m2", "s2"});
    store->users().update_presence(id, Presence::talking, at(5000));
    u = store->users().find(id);
    EXPECT_EQ(u->password_hash, "new-hash");
    EXPECT_EQ(u->sip.user, "olga2");
    EXPECT_EQ(u->sip.ha1_md5, "m2");
    EXPECT_EQ(u->presence, Presence::talking);
    EXPECT_EQ(core::to_unix_ms(u->presence_since), 5000);
    EXPECT_EQ(code_of([&] { store->users().update_password(UserId{999}, "x"); }),
              ErrorCode::not_found);
}

TEST_F(StoreTest, RingDeviceRoundTripsThroughInsertUpdateAndEveryRead) {
    const auto acc = account("acme");
    User browser_user;
    browser_user.account_id = acc;
    browser_user.name = "Boris";
    browser_user.login = "boris";
    browser_user.password_hash = "h";
    browser_user.sip = SipCredentials{"boris", "m", "s"};
    browser_user.ring_device = RingDevice::browser;
    const auto boris = store->users().insert(browser_user);
    EXPECT_EQ(store->users().find(boris)->ring_device, RingDevice::browser);
    EXPECT_EQ(store->users().find_by_login("boris")->ring_device, RingDevice::browser);
    EXPECT_EQ(store->users().find_by_sip_user(acc, "boris")->ring_device, RingDevice::browser);

    const auto olga = user(acc, "olga", Role::operator_);
    store->users().update_ring_device(olga, RingDevice::browser);
    store->users().update_ring_device(boris, RingDevice::sip_phone);
    for (const auto& u : store->users().list(acc))
        EXPECT_EQ(u.ring_device, u.id == olga ? RingDevice::browser : RingDevice::sip_phone)
            << u.login;
    EXPECT_EQ(code_of([&] { store->users().update_ring_device(UserId{999}, RingDevice::browser); }),
              ErrorCode::not_found);
}

TEST_F(StoreTest, LoginsAreGloballyUniqueAndSipUsersPerAccount) {
    const auto acme = account("acme");
    const auto globex = account("globex");
    user(acme, "olga");
    EXPECT_EQ(code_of([&] { user(globex, "olga"); }), ErrorCode::conflict);
    EXPECT_EQ(store->users().list(acme).size(), 1u);
    EXPECT_EQ(store->users().list(globex).size(), 0u);
}

TEST_F(StoreTest, DatabaseAllowsOneCreatorPerAccount) {
    const auto acme = account("acme");
    user(acme, "boss", Role::creator);
    EXPECT_EQ(code_of([&] { user(acme, "boss2", Role::creator); }), ErrorCode::conflict);
    user(account("globex"), "other-boss", Role::creator); // another account has its own
    EXPECT_EQ(store->users().count_with_role(acme, Role::creator), 1);
}

TEST_F(StoreTest, ProjectsWithOperatorsAndResults) {
    const auto acme = account("acme");
    const auto olga = user(acme, "olga");
    const auto ivan = user(acme, "ivan");
    const auto sales = project(acme, "Sales", {"Sold", "Call back", "Not interested"});
    store->projects().add_operator(sales, olga);
    store->projects().add_operator(sales, ivan);
    store->projects().add_operator(sales, ivan); // idempotent
    auto p = store->projects().find(sales);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->operators, (std::vector<UserId>{olga, ivan}));
    ASSERT_EQ(p->results.size(), 3u);
    EXPECT_EQ(p->results[1].label, "Call back");
    EXPECT_EQ(store->projects().projects_of_operator(olga).front().id, sales);
    EXPECT_EQ(store->projects().find_by_name(acme, "Sales")->id, sales);

    store->projects().remove_operator(sales, olga);
    EXPECT_EQ(store->projects().find(sales)->operators, (std::vector<UserId>{ivan}));
    EXPECT_EQ(code_of([&] { project(acme, "Sales"); }), ErrorCode::conflict);
}

TEST_F(StoreTest, AvailableOperatorsLongestIdleFirstInOneQuery) {
    const auto acme = account("acme");
    const auto sales = project(acme, "Sales");
    const auto other = project(acme, "Other");
    const auto olga = user(acme, "olga");
    const auto ivan = user(acme, "ivan");
    const auto petr = user(acme, "petr");
    const auto anna = user(acme, "anna");
    for (auto id : {olga, ivan, petr})
        store->projects().add_operator(sales, id);
    store->projects().add_operator(other, anna);
    store->users().update_presence(olga, Presence::available, at(3000));
    store->users().update_presence(ivan, Presence::available, at(1000)); // idle the longest
    store->users().update_presence(petr, Presence::talking, at(500));
    store->users().update_presence(anna, Presence::available, at(10)); // another project
    const auto list = store->users().available_operators(sales, 10);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, ivan);
    EXPECT_EQ(list[1].id, olga);
    EXPECT_EQ(list[0].login, "ivan");
    EXPECT_EQ(store->users().available_operators(sales, 1).size(), 1u);
}

TEST_F(StoreTest, ReplacedResultsAreRetiredNotDeleted) {
    const auto acme = account("acme");
    const auto sales = project(acme, "Sales", {"Sold", "Call back"});
    const auto old_id = store->projects().find(sales)->results[1].id;
    store->projects().set_results(sales, {"Sold", "Refused"});
    const auto p = store->projects().find(sales);
    ASSERT_EQ(p->results.size(), 2u);
    EXPECT_EQ(p->results[1].label, "Refused");
    // A call that carries the retired result still finds its label.
    const auto retired = store->projects().find_result(sales, old_id);
    ASSERT_TRUE(retired);
    EXPECT_EQ(retired->label, "Call back");
    // Reviving a label keeps its id.
    store->projects().set_results(sales, {"Call back"});
    EXPECT_EQ(store->projects().find(sales)->results.front().id, old_id);
}

TEST_F(StoreTest, DatabaseRefusesOperatorsFromAnotherAccount) {
    const auto acme = account("acme");
    const auto stranger = user(account("globex"), "stranger");
    const auto sales = project(acme, "Sales");
    EXPECT_EQ(code_of([&] { store->projects().add_operator(sales, stranger); }),
              ErrorCode::conflict);
}

TEST_F(StoreTest, CallsRoundTripAndQueryWithFiltersAndPaging) {
    const auto acme = account("acme");
    const auto olga = user(acme, "olga");
    const auto ivan = user(acme, "ivan");
    const auto sales = project(acme, "Sales", {"Sold"});
    const auto c1 = call(acme, olga, CallState::ended, 1000, sales);
    const auto c2 = call(acme, ivan, CallState::talking, 2000, sales);
    const auto c3 = call(acme, olga, CallState::ringing, 3000);
    call(account("globex"), std::nullopt, CallState::talking, 4000);

    auto c = store->calls().find(c1);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->state, CallState::ended);
    EXPECT_EQ(c->operator_id, olga);
    EXPECT_EQ(c->project_id, sales);
    EXPECT_EQ(core::to_unix_ms(*c->ended_at), 1500);

    CallQuery q{acme};
    EXPECT_EQ(store->calls().count(q), 3);
    auto all = store->calls().query(q);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, c3); // newest first
    q.active_only = true;
    EXPECT_EQ(store->calls().count(q), 2);
    q.active_only = false;
    q.state = CallState::talking;
    EXPECT_EQ(store->calls().query(q).front().id, c2);
    q = CallQuery{acme};
    q.operator_id = olga;
    EXPECT_EQ(store->calls().count(q), 2);
    q = CallQuery{acme};
    q.project_id = sales;
    q.since = at(1500);
    EXPECT_EQ(store->calls().query(q).front().id, c2);
    q = CallQuery{acme};
    q.until = at(1500);
    EXPECT_EQ(store->calls().query(q).front().id, c1);
    q = CallQuery{acme};
    q.limit = 1;
    q.offset = 1;
    EXPECT_EQ(store->calls().query(q).front().id, c2);
    EXPECT_EQ(store->calls().count(q), 3); // count ignores paging

    EXPECT_EQ(store->calls().active_call_of_operator(olga)->id, c3);
    EXPECT_FALSE(store->calls().active_call_of_operator(user(acme, "idle")));

    c = store->calls().find(c2);
    const auto result = store->projects().find(sales)->results.front().id;
    c->result_id = result;
    c->result_note = "wants a discount";
    c->result_by = ivan;
    c->result_at = at(9000);
    c->recording_path = "/rec/2.wav";
    store->calls().update(*c);
    c = store->calls().find(c2);
    EXPECT_EQ(c->result_id, result);
    EXPECT_EQ(c->result_note, "wants a discount");
    EXPECT_EQ(c->recording_path, "/rec/2.wav");
}

TEST_F(StoreTest, MonitorSessionsAllowOneOpenSessionPerCall) {
    const auto acme = account("acme");
    const auto sup = user(acme, "sup", Role::administrator);
    const auto sup2 = user(acme, "sup2", Role::administrator);
    const auto c = call(acme, user(acme, "olga"));
    MonitorSession m;
    m.account_id = acme;
    m.call_id = c;
    m.supervisor_id = sup;
    m.mode = MonitorMode::listen;
    m.started_at = at(3000);
    const auto id = store->monitor_sessions().insert(m);
    m.supervisor_id = sup2;
    EXPECT_EQ(code_of([&] { store->monitor_sessions().insert(m); }), ErrorCode::already_monitored);

    store->monitor_sessions().switch_mode(id, ModeChange{MonitorMode::whisper, at(4000)});
    auto open = store->monitor_sessions().open_for_call(c);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->mode, MonitorMode::whisper);
    ASSERT_EQ(open->modes.size(), 2u);
    EXPECT_EQ(open->modes[0].mode, MonitorMode::listen);
    EXPECT_EQ(core::to_unix_ms(open->modes[1].at), 4000);
    EXPECT_EQ(store->monitor_sessions().open_sessions().size(), 1u);

    store->monitor_sessions().close(id, at(5000), "supervisor_left");
    EXPECT_EQ(code_of([&] { store->monitor_sessions().close(id, at(6000), "again"); }),
              ErrorCode::not_found);
    EXPECT_FALSE(store->monitor_sessions().open_for_call(c));
    // After the first ended, the second supervisor may join.
    EXPECT_NO_THROW(store->monitor_sessions().insert(m));
    const auto history = store->monitor_sessions().list_for_call(c);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].end_reason, "supervisor_left");
    EXPECT_TRUE(history[1].open());
}

TEST_F(StoreTest, CommentsListInTimelineOrder) {
    const auto acme = account("acme");
    const auto sup = user(acme, "sup", Role::administrator);
    const auto c = call(acme, user(acme, "olga"));
    store->comments().insert(Comment{CommentId{0}, c, sup, "second", 9000, false, at(1)});
    store->comments().insert(Comment{CommentId{0}, c, sup, "first", 1000, true, at(2)});
    const auto list = store->comments().list(c);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].text, "first");
    EXPECT_TRUE(list[0].dictated);
    EXPECT_EQ(list[1].offset_ms, 9000);
    EXPECT_EQ(code_of([&] {
                  store->comments().insert(Comment{CommentId{0}, c, sup, "", 0, false, at(3)});
              }),
              ErrorCode::conflict); // the schema refuses empty text too
}

TEST_F(StoreTest, SavedCallsArePerUserAndIdempotent) {
    const auto acme = account("acme");
    const auto sup = user(acme, "sup", Role::administrator);
    const auto other = user(acme, "other", Role::administrator);
    const auto c1 = call(acme, std::nullopt);
    const auto c2 = call(acme, std::nullopt);
    store->saved_calls().save(SavedCall{sup, c1, at(100)});
    store->saved_calls().save(SavedCall{sup, c1, at(500)}); // keeps the first time
    store->saved_calls().save(SavedCall{sup, c2, at(200)});
    auto list = store->saved_calls().list(sup);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].call_id, c2);
    EXPECT_EQ(core::to_unix_ms(list[1].saved_at), 100);
    EXPECT_TRUE(store->saved_calls().is_saved(sup, c1));
    EXPECT_FALSE(store->saved_calls().is_saved(other, c1));
    store->saved_calls().unsave(sup, c1);
    EXPECT_FALSE(store->saved_calls().is_saved(sup, c1));
    EXPECT_EQ(store->saved_calls().list(sup).size(), 1u);
}

TEST_F(StoreTest, FeatureStateDefaultsToNoneAndIsStoredPerAccount) {
    const auto acme = account("acme");
    const auto globex = account("globex");
    EXPECT_EQ(store->features().get(acme, Feature::whisper_listen).state, FeatureState::none);
    store->features().put(FeatureStatus{acme, Feature::whisper_listen, FeatureState::connected,
                                        at(1), at(2), std::nullopt, "ops@acme.test"});
    const auto s = store->features().get(acme, Feature::whisper_listen);
    EXPECT_EQ(s.state, FeatureState::connected);
    EXPECT_EQ(s.contact_email, "ops@acme.test");
    EXPECT_EQ(core::to_unix_ms(*s.connected_at), 2);
    EXPECT_FALSE(s.disabled_at);
    EXPECT_EQ(store->features().get(globex, Feature::whisper_listen).state, FeatureState::none);
}

TEST_F(StoreTest, AuditLogIsAppendOnly) {
    const auto acme = account("acme");
    const auto sup = user(acme, "sup", Role::administrator);
    store->audit().append(AuditEntry{AuditId{0}, acme, Actor{sup, "sup"}, "monitor.start",
                                     "monitor_session", "1", R"({"mode":"listen"})", at(10)});
    store->audit().append(AuditEntry{AuditId{0}, std::nullopt, Actor{std::nullopt, "cli"},
                                     "account.create", "account", "2", "{}", at(20)});
    auto all = store->audit().list(std::nullopt, 10);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].action, "account.create"); // newest first
    EXPECT_EQ(all[1].actor.user_id, sup);
    EXPECT_EQ(all[1].details, R"({"mode":"listen"})");
    EXPECT_EQ(store->audit().list(acme, 10).size(), 1u);
    EXPECT_EQ(store->audit().list(std::nullopt, 1).size(), 1u);
}

TEST_F(StoreTest, TransactionsCommitOrRollBackWholeAndNest) {
    store->transaction([&] { account("kept"); });
    EXPECT_THROW(store->transaction([&] {
        account("lost");
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_TRUE(store->accounts().find_by_name("kept"));
    EXPECT_FALSE(store->accounts().find_by_name("lost"));

    // An inner failure caught by the outer level undoes only the inner part.
    store->transaction([&] {
        account("outer");
        try {
            store->transaction([&] {
                account("inner");
                throw std::runtime_error("inner boom");
            });
        } catch (const std::runtime_error&) {
        }
    });
    EXPECT_TRUE(store->accounts().find_by_name("outer"));
    EXPECT_FALSE(store->accounts().find_by_name("inner"));
}

TEST_F(StoreTest, ForeignKeysAreEnforced) {
    Call c;
    c.account_id = AccountId{12345};
    c.client_number = "1";
    EXPECT_EQ(code_of([&] { store->calls().insert(c); }), ErrorCode::conflict);
}

} // namespace
} // namespace suflyor::store::test

namespace suflyor::store::test {
namespace {

TEST_F(StoreTest, HeartbeatKeepsOnlyTheLatestBeat) {
    EXPECT_FALSE(store->heartbeat().last().has_value());
    store->heartbeat().beat(at(5000));
    store->heartbeat().beat(at(7000));
    ASSERT_TRUE(store->heartbeat().last().has_value());
    EXPECT_EQ(*store->heartbeat().last(), at(7000));
}

} // namespace
} // namespace suflyor::store::test
