// Trunks and numbers as supervisors edit them: roles, accounts, validation with the field named,
// conflicts, audit, the listener told after each change, the sealed password, the live table.
#include "fixture.hpp"
#include "unit/common/temp_dir.hpp"

#include <fstream>

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

struct Told {
    AccountId account;
    std::string event;
    nlohmann::json payload;
};

class Recorder final : public TrunkListener {
public:
    void trunks_changed(AccountId account, const std::string& event,
                        const nlohmann::json& payload) override {
        told.push_back({account, event, payload});
    }
    std::vector<Told> told;
};

class TrunksTest : public CenterTest {
protected:
    void SetUp() override {
        std::tie(acme, boss) = make_account("acme");
        std::tie(other, other_boss) = make_account("other");
        admin = make_user(acme, "admin", Role::administrator);
        op = make_user(acme, "op");
        sales = directory.create_project(cli, acme.id, "Sales", {});
        foreign_project = directory.create_project(cli, other.id, "Theirs", {});
        trunks.set_listener(&recorder);
    }
    static TrunkInput provider() {
        TrunkInput in;
        in.name = "Provider";
        in.peer = "127.0.0.2:5060";
        in.sources = std::vector<std::string>{"127.0.0.2", " 10.0.0.0/8 "};
        in.caller_id = "+7 495 000-00-00";
        return in;
    }
    // The field an invalid_argument or conflict names.
    template <class F> std::string field_of(F&& f) {
        try {
            f();
        } catch (const core::Error& e) {
            return e.field();
        }
        ADD_FAILURE() << "expected a core::Error";
        return {};
    }

    TrunkService trunks{*store, clock, SecretBox::ephemeral()};
    Recorder recorder;
    Account acme, other;
    User boss, other_boss, admin, op;
    Project sales, foreign_project;
};

TEST_F(TrunksTest, SupervisorsCreateTrunksOperatorsMayNot) {
    const auto t = trunks.create(admin, provider());
    EXPECT_EQ(t.name, "Provider");
    EXPECT_EQ(t.account_id, acme.id);
    EXPECT_EQ(t.sources, (std::vector<std::string>{"127.0.0.2", "10.0.0.0/8"}));
    EXPECT_EQ(t.transport, "udp");
    EXPECT_EQ(code_of([&] { trunks.create(op, provider()); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { trunks.list(op); }), ErrorCode::forbidden);
    EXPECT_EQ(trunks.list(boss).size(), 1u);
    EXPECT_TRUE(trunks.list(other_boss).empty());
    ASSERT_EQ(recorder.told.size(), 1u);
    EXPECT_EQ(recorder.told[0].event, "trunk.created");
    EXPECT_EQ(recorder.told[0].account, acme.id);
    EXPECT_EQ(audit_actions().back(), "trunk.create");
}

TEST_F(TrunksTest, BadInputIsRefusedWithTheFieldNamed) {
    struct Row {
        const char* field;
        std::function<void(TrunkInput&)> spoil;
    };
    const std::vector<Row> table{
        {"name", [](TrunkInput& i) { i.name = "  "; }},
        {"peer", [](TrunkInput& i) { i.peer = "no-port"; }},
        {"peer", [](TrunkInput& i) { i.peer = "host:99999"; }},
        {"peer", [](TrunkInput& i) { i.peer = "bad host:5060"; }},
        {"transport", [](TrunkInput& i) { i.transport = "sctp"; }},
        {"sources", [](TrunkInput& i) { i.sources = std::vector<std::string>{"1.2.3.4/33"}; }},
        {"sources",
         [](TrunkInput& i) { i.sources = std::vector<std::string>{"provider.example"}; }},
        {"caller_id", [](TrunkInput& i) { i.caller_id = "call me"; }},
        {"username", [](TrunkInput& i) { i.register_outbound = true; }},
        {"password",
         [](TrunkInput& i) {
             i.register_outbound = true;
             i.username = "u";
         }},
    };
    for (const auto& row : table) {
        auto in = provider();
        row.spoil(in);
        EXPECT_EQ(code_of([&] { trunks.create(boss, in); }), ErrorCode::invalid_argument)
            << row.field;
        EXPECT_EQ(field_of([&] { trunks.create(boss, in); }), row.field);
    }
    EXPECT_TRUE(trunks.list(boss).empty());
    EXPECT_TRUE(recorder.told.empty());
}

TEST_F(TrunksTest, NamesAreUniquePerAccountAndConfigNamesAreTaken) {
    trunks.create(boss, provider());
    EXPECT_EQ(code_of([&] { trunks.create(admin, provider()); }), ErrorCode::conflict);
    EXPECT_EQ(field_of([&] { trunks.create(admin, provider()); }), "name");
    EXPECT_NO_THROW(trunks.create(other_boss, provider())); // another account's name space
    sip::Trunk config;
    config.name = "FromFile";
    config.account_id = acme.id.value();
    config.dids = {{"74950000009", "Sales"}};
    trunks.set_config_trunks({config});
    auto in = provider();
    in.name = "FromFile";
    EXPECT_EQ(code_of([&] { trunks.create(boss, in); }), ErrorCode::conflict);
}

TEST_F(TrunksTest, UpdateChangesOnlyWhatIsGivenAndKeepsThePasswordSealed) {
    auto in = provider();
    in.register_outbound = true;
    in.username = "acme";
    in.password = "provider-secret";
    const auto t = trunks.create(boss, in);
    EXPECT_TRUE(trunks.has_password(t));
    EXPECT_EQ(t.sealed_password.find("provider-secret"), std::string::npos);
    TrunkInput change;
    change.peer = "127.0.0.3:5070";
    const auto changed = trunks.update(admin, t.id, change);
    EXPECT_EQ(changed.peer, "127.0.0.3:5070");
    EXPECT_EQ(changed.name, "Provider");
    EXPECT_TRUE(changed.register_outbound);
    const auto live = trunks.live_trunks();
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(live[0].password, "provider-secret");
    EXPECT_EQ(live[0].peer, "127.0.0.3:5070");
    // Nothing in the audit log carries the password.
    for (const auto& e : store->audit().list(std::nullopt, 100))
        EXPECT_EQ(e.details.find("provider-secret"), std::string::npos) << e.details;
    EXPECT_EQ(code_of([&] { trunks.update(other_boss, t.id, change); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { trunks.update(op, t.id, change); }), ErrorCode::forbidden);
    EXPECT_EQ(recorder.told.back().event, "trunk.updated");
}

TEST_F(TrunksTest, NumbersAreNormalizedUniqueOnTheServerAndOfTheSameAccount) {
    const auto t = trunks.create(boss, provider());
    const auto n = trunks.add_number(admin, t.id, "+7 (495) 000-00-01", sales.id);
    EXPECT_EQ(n.number, "74950000001");
    EXPECT_EQ(recorder.told.back().event, "number.added");
    EXPECT_EQ(code_of([&] { trunks.add_number(boss, t.id, "74950000001", sales.id); }),
              ErrorCode::conflict);
    // Another account cannot take it either: an inbound DID routes to one project.
    const auto theirs = trunks.create(other_boss, provider());
    EXPECT_EQ(code_of([&] {
                  trunks.add_number(other_boss, theirs.id, "74950000001", foreign_project.id);
              }),
              ErrorCode::conflict);
    EXPECT_EQ(field_of([&] { trunks.add_number(boss, t.id, "call-me", sales.id); }), "number");
    EXPECT_EQ(field_of([&] { trunks.add_number(boss, t.id, "74950000002", foreign_project.id); }),
              "project_id");
    EXPECT_EQ(
        code_of([&] { trunks.add_number(other_boss, t.id, "74950000002", foreign_project.id); }),
        ErrorCode::not_found);
    sip::Trunk config;
    config.name = "FromFile";
    config.account_id = acme.id.value();
    config.dids = {{"74950000009", "Sales"}};
    trunks.set_config_trunks({config});
    EXPECT_EQ(code_of([&] { trunks.add_number(boss, t.id, "74950000009", sales.id); }),
              ErrorCode::conflict);
    EXPECT_EQ(trunks.numbers_of_project(sales),
              (std::vector<std::string>{"74950000001", "74950000009"}));
    trunks.remove_number(boss, t.id, "+74950000001");
    EXPECT_EQ(recorder.told.back().event, "number.removed");
    EXPECT_EQ(code_of([&] { trunks.remove_number(boss, t.id, "74950000001"); }),
              ErrorCode::not_found);
    EXPECT_EQ(trunks.numbers_of_project(sales), (std::vector<std::string>{"74950000009"}));
}

TEST_F(TrunksTest, LiveTrunksPutTheConfigurationFirstAndCarryNumbersByProjectId) {
    sip::Trunk config;
    config.name = "FromFile";
    config.account_id = acme.id.value();
    config.sources.push_back(*sip::AddressRange::parse("127.0.0.2"));
    trunks.set_config_trunks({config});
    const auto t = trunks.create(boss, provider());
    trunks.add_number(boss, t.id, "74950000001", sales.id);
    const sip::TrunkTable table(trunks.live_trunks());
    ASSERT_EQ(table.all().size(), 2u);
    EXPECT_EQ(table.by_source("127.0.0.2")->name, "FromFile"); // the file's trunk wins
    EXPECT_EQ(table.by_source("10.1.2.3")->name, "Provider");
    EXPECT_EQ(table.all()[1].key(), "db:" + t.id.str());
    EXPECT_EQ(table.all()[1].did_projects.at("74950000001"), sales.id.value());
    trunks.remove(boss, t.id);
    EXPECT_EQ(recorder.told.back().event, "trunk.deleted");
    EXPECT_EQ(trunks.live_trunks().size(), 1u);
    EXPECT_TRUE(store->trunks().numbers(t.id).empty()); // its numbers went with it
    EXPECT_EQ(audit_actions().back(), "trunk.delete");
}

TEST(SecretBox, SealsWithAKeyFileCreatedOnFirstUse) {
    suflyor::test::TempDir dir;
    const auto path = dir / "data" / "secret.key";
    const auto box = SecretBox::from_key_file(path);
    ASSERT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(std::filesystem::file_size(path), 32u);
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::group_all,
              std::filesystem::perms::none);
    const auto sealed = box.seal("provider-secret");
    EXPECT_EQ(sealed.find("provider-secret"), std::string::npos);
    EXPECT_NE(sealed, box.seal("provider-secret")); // a fresh nonce each time
    EXPECT_EQ(SecretBox::from_key_file(path).open(sealed), "provider-secret"); // the same key
    EXPECT_EQ(box.seal(""), "");
    EXPECT_THROW((void)SecretBox::ephemeral().open(sealed), core::Error); // another key
    std::ofstream(dir / "short.key") << "short";
    EXPECT_THROW(SecretBox::from_key_file(dir / "short.key"), core::Error);
}

} // namespace
} // namespace suflyor::center::test

namespace suflyor::center::test {
namespace {

TEST_F(TrunksTest, ANumberCannotLeadToAnArchivedProject) {
    const auto t = trunks.create(boss, provider());
    Projects projects{*store, clock};
    projects.archive(project_editor(boss), sales.id);
    EXPECT_EQ(field_of([&] { trunks.add_number(boss, t.id, "74950000003", sales.id); }),
              "project_id");
    projects.unarchive(project_editor(boss), sales.id);
    EXPECT_EQ(trunks.add_number(boss, t.id, "74950000003", sales.id).number, "74950000003");
}

} // namespace
} // namespace suflyor::center::test
