#include "fixture.hpp"

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

TEST_F(CenterTest, AccountIsCreatedWithItsOnlyCreator) {
    auto [account, creator] = make_account("acme");
    EXPECT_EQ(account.sip_domain, "acme.test");
    EXPECT_EQ(creator.role, Role::creator);
    EXPECT_EQ(creator.account_id, account.id);
    EXPECT_EQ(code_of([&] { make_user(account, "second-boss", Role::creator); }),
              ErrorCode::conflict);
    EXPECT_EQ(store->users().count_with_role(account.id, Role::creator), 1);
    EXPECT_EQ(audit_actions(), (std::vector<std::string>{"account.create", "user.create"}));
}

TEST_F(CenterTest, AccountCreationIsAtomic) {
    // The creator's login is invalid: neither the account nor the creator may remain.
    NewAccount spec{"acme", "owner@acme.test", "acme.test", person("bad login!")};
    EXPECT_EQ(code_of([&] { directory.create_account(cli, spec); }), ErrorCode::invalid_argument);
    EXPECT_EQ(store->accounts().count(), 0);
    EXPECT_TRUE(audit_actions().empty());
}

TEST_F(CenterTest, AccountNamesAndSipDomainsAreUnique) {
    make_account("acme");
    EXPECT_EQ(code_of([&] {
                  directory.create_account(
                      cli, NewAccount{"acme", "x@y.test", "other.test", person("b2")});
              }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] {
                  directory.create_account(
                      cli, NewAccount{"other", "x@y.test", "ACME.test", person("b3")});
              }),
              ErrorCode::conflict);
}

struct BadInput {
    const char* what;
    std::function<void(NewAccount&)> spoil;
};

TEST_F(CenterTest, InvalidAccountAndUserInputIsRefusedWithTheFieldNamed) {
    const std::vector<BadInput> table{
        {"account name", [](NewAccount& a) { a.name = "   "; }},
        {"contact email", [](NewAccount& a) { a.contact_email = "not-an-email"; }},
        {"contact email", [](NewAccount& a) { a.contact_email = "a@b@c.test"; }},
        {"SIP domain", [](NewAccount& a) { a.sip_domain = "bad_domain.test"; }},
        {"SIP domain", [](NewAccount& a) { a.sip_domain = "-lead.test"; }},
        {"login", [](NewAccount& a) { a.creator.login = "has space"; }},
        {"login", [](NewAccount& a) { a.creator.login = ""; }},
        {"login", [](NewAccount& a) { a.creator.login = std::string(65, 'a'); }},
        {"password", [](NewAccount& a) { a.creator.password = "short"; }},
        {"SIP password", [](NewAccount& a) { a.creator.sip_password = "short"; }},
        {"SIP user", [](NewAccount& a) { a.creator.sip_user = "bad:user"; }},
        {"name", [](NewAccount& a) { a.creator.name = std::string("tab\there"); }},
    };
    for (const auto& row : table) {
        NewAccount spec{"acme", "owner@acme.test", "acme.test", person("boss")};
        row.spoil(spec);
        try {
            directory.create_account(cli, spec);
            ADD_FAILURE() << "accepted bad " << row.what;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << row.what;
            EXPECT_EQ(std::string(e.what()).rfind(row.what, 0), 0u) << e.what();
        }
    }
    EXPECT_EQ(store->accounts().count(), 0);
}

TEST_F(CenterTest, LoginsAreNormalisedAndUnique) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto u = directory.create_user(cli, acme.id, person("Olga.Petrova"));
    EXPECT_EQ(u.login, "olga.petrova");
    EXPECT_EQ(u.sip.user, "olga.petrova");
    EXPECT_EQ(code_of([&] { make_user(globex, "OLGA.petrova"); }), ErrorCode::conflict);
    auto spec = person("ivan");
    spec.sip_user = "olga.petrova";
    EXPECT_EQ(code_of([&] { directory.create_user(cli, acme.id, spec); }), ErrorCode::conflict);
    EXPECT_NO_THROW(directory.create_user(cli, globex.id, spec)); // SIP users are per account
    EXPECT_EQ(code_of([&] { directory.create_user(cli, AccountId{999}, person("x1")); }),
              ErrorCode::not_found);
}

TEST_F(CenterTest, PasswordsAreArgon2idAndAuthenticate) {
    auto [acme, boss] = make_account("acme");
    EXPECT_EQ(boss.password_hash.rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(directory.authenticate("ACME-BOSS", "password-acme-boss")->id, boss.id);
    EXPECT_FALSE(directory.authenticate("acme-boss", "wrong-password"));
    EXPECT_FALSE(directory.authenticate("nobody", "password-acme-boss"));
    EXPECT_FALSE(directory.authenticate("bad login!", "x"));
    directory.reset_password(cli, boss.id, "a-new-password");
    EXPECT_FALSE(directory.authenticate("acme-boss", "password-acme-boss"));
    EXPECT_TRUE(directory.authenticate("acme-boss", "a-new-password"));
    EXPECT_EQ(code_of([&] { directory.reset_password(cli, boss.id, "short"); }),
              ErrorCode::invalid_argument);
}

TEST_F(CenterTest, SipSecretsAreDigestHa1NeverThePassword) {
    const auto creds = make_sip_credentials("alice", "atlanta.com", "secret12");
    EXPECT_EQ(creds.ha1_md5, "609311f25776e7167f2f1664275edb60");
    EXPECT_EQ(creds.ha1_sha256, "b957941d70c81ebcdbc480b1cfba9ad08be8b12ddbf882633079888cadcadcaa");

    auto [acme, boss] = make_account("acme");
    const auto expected = make_sip_credentials(boss.sip.user, "acme.test", "sip-secret-acme-boss");
    EXPECT_EQ(boss.sip.ha1_md5, expected.ha1_md5);
    directory.set_sip_password(cli, boss.id, "another-sip-secret");
    EXPECT_EQ(directory.user(boss.id).sip.ha1_md5,
              make_sip_credentials(boss.sip.user, "acme.test", "another-sip-secret").ha1_md5);
}

TEST_F(CenterTest, PresenceSinceMovesOnlyOnARealChange) {
    auto [acme, boss] = make_account("acme");
    const auto op = make_user(acme, "olga");
    clock.advance(std::chrono::seconds{5});
    directory.set_presence(op.id, Presence::available);
    const auto since = directory.user(op.id).presence_since;
    EXPECT_EQ(since, clock.wall_now());
    clock.advance(std::chrono::seconds{5});
    directory.set_presence(op.id, Presence::available);
    EXPECT_EQ(directory.user(op.id).presence_since, since);
    directory.set_presence(op.id, Presence::talking);
    EXPECT_EQ(directory.user(op.id).presence, Presence::talking);
    EXPECT_EQ(directory.user(op.id).presence_since, clock.wall_now());
}

TEST_F(CenterTest, RingDeviceDefaultsToTheSipPhoneAndIsAuditedOnlyWhenItChanges) {
    auto [acme, boss] = make_account("acme");
    const auto op = make_user(acme, "olga");
    EXPECT_EQ(op.ring_device, RingDevice::sip_phone);
    EXPECT_EQ(to_string(RingDevice::browser), "browser");
    EXPECT_EQ(parse_ring_device("sip_phone"), RingDevice::sip_phone);
    EXPECT_FALSE(parse_ring_device("Browser"));

    const auto updated = directory.set_ring_device(actor_of(boss), op.id, RingDevice::browser);
    EXPECT_EQ(updated.ring_device, RingDevice::browser);
    EXPECT_EQ(directory.user(op.id).ring_device, RingDevice::browser);
    directory.set_ring_device(actor_of(boss), op.id, RingDevice::browser); // no change: no row
    const auto entries = store->audit().list(acme.id, 10);
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.front().action, "user.set_ring_device");
    EXPECT_EQ(entries.front().actor.user_id, boss.id);
    EXPECT_EQ(entries.front().object_id, op.id.str());
    EXPECT_EQ(nlohmann::json::parse(entries.front().details),
              (nlohmann::json{{"from", "sip_phone"}, {"to", "browser"}}));
    const auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "user.set_ring_device"), 1);
    EXPECT_EQ(code_of([&] { directory.set_ring_device(cli, UserId{999}, RingDevice::browser); }),
              ErrorCode::not_found);
}

TEST_F(CenterTest, ProjectsTakeOnlyTheirOwnAccountsEmployees) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto olga = make_user(acme, "olga");
    const auto stranger = make_user(globex, "stranger");
    const auto sales = directory.create_project(cli, acme.id, "Sales", {"Sold", "Call back"});
    EXPECT_EQ(sales.results.size(), 2u);
    directory.add_operator(cli, sales.id, olga.id);
    EXPECT_EQ(code_of([&] { directory.add_operator(cli, sales.id, stranger.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(directory.project(sales.id).operators, (std::vector<UserId>{olga.id}));
    directory.remove_operator(cli, sales.id, olga.id);
    EXPECT_TRUE(directory.project(sales.id).operators.empty());
    EXPECT_EQ(code_of([&] { directory.create_project(cli, acme.id, "Sales", {}); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] {
                  directory.create_project(cli, acme.id, "Dup", {"A", "A"});
              }),
              ErrorCode::invalid_argument);
    directory.set_results(cli, sales.id, {"Refused"});
    EXPECT_EQ(directory.project(sales.id).results.front().label, "Refused");
}

TEST_F(CenterTest, BootstrapCreatesTheFirstAccountOnceWithGeneratedPasswords) {
    NewAccount spec{"My call center", "owner@example.com", "suflyor.local",
                    NewUser{"Owner", "admin", Role::operator_, "", "", ""}};
    const auto first = bootstrap_first_account(directory, *store, spec);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->creator.role, Role::creator);
    EXPECT_EQ(first->password.size(), 16u);
    EXPECT_EQ(first->sip_password.size(), 16u);
    EXPECT_TRUE(first->password_generated);
    EXPECT_TRUE(directory.authenticate("admin", first->password));
    EXPECT_FALSE(bootstrap_first_account(directory, *store, spec)); // not twice
    EXPECT_EQ(store->accounts().count(), 1);
}

TEST_F(CenterTest, BootstrapUsesAGivenPassword) {
    NewAccount spec{
        "Center", "owner@example.com", "suflyor.local",
        NewUser{"Owner", "admin", Role::creator, "given-password", "", "given-sip-password"}};
    const auto first = bootstrap_first_account(directory, *store, spec);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->password, "given-password");
    EXPECT_FALSE(first->password_generated);
    EXPECT_FALSE(first->sip_password_generated);
    EXPECT_TRUE(directory.authenticate("admin", "given-password"));
}

} // namespace
} // namespace suflyor::center::test
