#include "../common/temp_dir.hpp"
#include "app/app.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace suflyor::app {
namespace {

struct Result {
    int code;
    std::string out;
    std::string err;
};

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::ofstream(dir / "suflyor.toml")
            << "[storage]\npath = \"" << (dir / "db.sqlite").string()
            << "\"\n[security]\npassword_cost = \"minimal\"\n"
            << "[log]\nlevel = \"warn\"\n";
    }

    Result run_cli(std::vector<std::string> args) {
        args.insert(args.begin(), {"suflyor", "--config", (dir / "suflyor.toml").string()});
        std::vector<const char*> argv;
        for (auto& a : args)
            argv.push_back(a.c_str());
        std::ostringstream out, err;
        const int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
        return {code, out.str(), err.str()};
    }

    Result ok(std::vector<std::string> args) {
        auto r = run_cli(std::move(args));
        EXPECT_EQ(r.code, 0) << r.err;
        return r;
    }

    void create_acme() {
        ok({"admin", "account", "create", "--name", "Acme", "--email", "boss@acme.test",
            "--sip-domain", "acme.test", "--creator-login", "boss", "--creator-password",
            "boss-password"});
    }

    std::int64_t audit_rows() {
        auto store = store::open_sqlite(store::SqliteOptions{dir / "db.sqlite"});
        return static_cast<std::int64_t>(store->audit().list(std::nullopt, 100000).size());
    }

    test::TempDir dir;
};

TEST_F(CliTest, VersionAndHelp) {
    EXPECT_EQ(ok({"version"}).out, "suflyor 0.1.0\n");
    const auto help = run_cli({"--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("serve"), std::string::npos);
    EXPECT_NE(help.out.find("admin"), std::string::npos);
    const auto admin_help = run_cli({"admin", "user", "create", "--help"});
    EXPECT_EQ(admin_help.code, 0);
    EXPECT_NE(admin_help.out.find("--sip-password"), std::string::npos);
    EXPECT_NE(run_cli({}).code, 0); // a subcommand is required
}

TEST_F(CliTest, AccountsUsersProjectsAndFeaturesEndToEnd) {
    create_acme();
    auto r = ok({"admin", "account", "list"});
    EXPECT_NE(r.out.find("Acme"), std::string::npos);
    EXPECT_NE(r.out.find("acme.test"), std::string::npos);

    r = ok({"admin", "user", "create", "--account", "Acme", "--name", "Olga Petrova", "--login",
            "olga", "--role", "operator"});
    EXPECT_NE(r.out.find("password: "), std::string::npos); // generated, shown once
    EXPECT_NE(r.out.find("SIP password: "), std::string::npos);
    EXPECT_NE(r.out.find("SIP user olga@acme.test"), std::string::npos);
    ok({"admin", "user", "create", "--account", "1", "--name", "Anna", "--login", "anna", "--role",
        "administrator", "--password", "anna-password", "--sip-user", "201", "--sip-password",
        "anna-sip-password"});
    r = ok({"admin", "user", "list", "--account", "Acme"});
    EXPECT_NE(r.out.find("olga"), std::string::npos);
    EXPECT_NE(r.out.find("administrator"), std::string::npos);
    EXPECT_NE(r.out.find("201"), std::string::npos);

    ok({"admin", "project", "create", "--account", "Acme", "--name", "Sales", "--result", "Sold",
        "--result", "Call back"});
    ok({"admin", "project", "add-operator", "--account", "Acme", "--project", "Sales", "--login",
        "olga"});
    r = ok({"admin", "project", "list", "--account", "Acme"});
    EXPECT_NE(r.out.find("Sales"), std::string::npos);
    EXPECT_NE(r.out.find("olga"), std::string::npos);
    EXPECT_NE(r.out.find("Sold; Call back"), std::string::npos);
    ok({"admin", "project", "set-results", "--account", "Acme", "--project", "Sales", "--result",
        "Done"});
    ok({"admin", "project", "remove-operator", "--account", "Acme", "--project", "Sales", "--login",
        "olga"});
    r = ok({"admin", "project", "list", "--account", "Acme"});
    EXPECT_NE(r.out.find("Done"), std::string::npos);
    EXPECT_EQ(r.out.find("olga"), std::string::npos);

    EXPECT_NE(ok({"admin", "feature", "list", "--account", "Acme"}).out.find("none"),
              std::string::npos);
    EXPECT_EQ(ok({"admin", "feature", "connect", "--account", "Acme"}).out,
              "whisper_listen: connected\n");
    EXPECT_EQ(ok({"admin", "feature", "disable", "--account", "Acme"}).out,
              "whisper_listen: disabled\n");

    ok({"admin", "user", "reset-password", "--login", "olga", "--password", "olga-new-password"});
    ok({"admin", "user", "set-sip-password", "--login", "olga", "--sip-password", "olga-new-sip"});
    EXPECT_EQ(ok({"admin", "user", "set-device", "--login", "olga", "--device", "browser"}).out,
              "'olga' rings on: browser\n");
    EXPECT_NE(run_cli({"admin", "user", "set-device", "--login", "olga", "--device", "pager"}).code,
              0);
    r = ok({"admin", "user", "list", "--account", "Acme"});
    EXPECT_NE(r.out.find("RINGS"), std::string::npos);
    EXPECT_NE(r.out.find("browser"), std::string::npos);
    EXPECT_NE(r.out.find("sip_phone"), std::string::npos); // anna kept the default
    r = ok({"admin", "audit", "list", "--account", "Acme", "--limit", "100"});
    for (const char* action :
         {"account.create", "user.create", "project.create", "project.add_operator",
          "feature.connected", "feature.disabled", "user.reset_password", "user.set_sip_password",
          "user.set_ring_device"})
        EXPECT_NE(r.out.find(action), std::string::npos) << action;
    EXPECT_NE(r.out.find("cli"), std::string::npos);
}

TEST_F(CliTest, ErrorsAreOneLineWithANonZeroExitAndWriteNothing) {
    create_acme();
    const auto before = audit_rows();
    struct Row {
        std::vector<std::string> args;
        const char* message;
    };
    const std::vector<Row> table{
        {{"admin", "user", "create", "--account", "Nope", "--name", "X", "--login", "x"},
         "error: no account 'Nope' (give its name or id)\n"},
        {{"admin", "user", "create", "--account", "Acme", "--name", "X", "--login", "boss"},
         "error: login 'boss' is taken\n"},
        {{"admin", "user", "create", "--account", "Acme", "--name", "X", "--login", "bad login"},
         "error: login: may contain only letters, digits and . _ - @\n"},
        {{"admin", "user", "create", "--account", "Acme", "--name", "X", "--login", "x",
          "--password", "short"},
         "error: password: must be at least 8 characters\n"},
        {{"admin", "account", "create", "--name", "Acme", "--email", "a@b.test", "--sip-domain",
          "b.test", "--creator-login", "other"},
         "error: an account named 'Acme' exists already\n"},
        {{"admin", "project", "add-operator", "--account", "Acme", "--project", "Nope", "--login",
          "boss"},
         "error: no project 'Nope' in account 'Acme'\n"},
        {{"admin", "user", "reset-password", "--login", "ghost", "--password", "long-enough"},
         "error: no user with login 'ghost'\n"},
        {{"admin", "feature", "disable", "--account", "Acme"},
         "error: feature whisper_listen is none, cannot become disabled\n"},
    };
    for (const auto& row : table) {
        const auto r = run_cli(row.args);
        EXPECT_EQ(r.code, 1) << row.message;
        EXPECT_EQ(r.err, row.message);
        EXPECT_EQ(r.out, ""); // generated passwords of a failed command are not shown
    }
    EXPECT_EQ(audit_rows(), before);
    // Usage mistakes are CLI11's, also non-zero.
    EXPECT_NE(run_cli({"admin", "user", "create", "--account", "Acme", "--name", "X", "--login",
                       "y", "--role", "creator"})
                  .code,
              0);
    EXPECT_NE(run_cli({"admin", "user", "list"}).code, 0); // --account is required
}

TEST_F(CliTest, ProjectsAreRenamedArchivedAndUnarchived) {
    create_acme();
    ok({"admin", "project", "create", "--account", "Acme", "--name", "Sales"});
    EXPECT_EQ(ok({"admin", "project", "rename", "--account", "Acme", "--project", "Sales", "--name",
                  "Sales B2B"})
                  .out,
              "project 'Sales' is now 'Sales B2B'\n");
    EXPECT_EQ(
        ok({"admin", "project", "archive", "--account", "Acme", "--project", "Sales B2B"}).out,
        "project 'Sales B2B' archived\n");
    auto store = store::open_sqlite(store::SqliteOptions{dir / "db.sqlite"});
    const auto project = store->projects().find_by_name(center::AccountId{1}, "Sales B2B");
    ASSERT_TRUE(project);
    EXPECT_TRUE(project->archived());
    ok({"admin", "project", "unarchive", "--account", "Acme", "--project", "Sales B2B"});
    EXPECT_FALSE(store->projects().find(project->id)->archived());
    const auto r = ok({"admin", "audit", "list", "--account", "Acme"});
    for (const char* action : {"project.rename", "project.archive", "project.unarchive"})
        EXPECT_NE(r.out.find(action), std::string::npos) << action;
    // The same rules as the web UI's: a name is taken once per account.
    ok({"admin", "project", "create", "--account", "Acme", "--name", "Support"});
    EXPECT_EQ(run_cli({"admin", "project", "rename", "--account", "Acme", "--project", "Support",
                       "--name", "Sales B2B"})
                  .err,
              "error: project 'Sales B2B' exists already\n");
}

TEST_F(CliTest, ACrossAccountOperatorIsRefusedAndNothingIsHalfWritten) {
    create_acme();
    ok({"admin", "account", "create", "--name", "Globex", "--email", "g@globex.test",
        "--sip-domain", "globex.test", "--creator-login", "gboss", "--creator-password",
        "gboss-password"});
    ok({"admin", "project", "create", "--account", "Acme", "--name", "Sales"});
    const auto before = audit_rows();
    const auto r = run_cli({"admin", "project", "add-operator", "--account", "Acme", "--project",
                            "Sales", "--login", "gboss"});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err, "error: no user 'gboss' in account 'Acme'\n");
    EXPECT_EQ(audit_rows(), before);
}

TEST_F(CliTest, ABadConfigStopsBeforeAnythingStarts) {
    std::ofstream(dir / "bad.toml") << "[media]\nrtp_port_min = 3\n";
    std::vector<const char*> argv{"suflyor", "--config", nullptr, "admin", "account", "list"};
    const auto path = (dir / "bad.toml").string();
    argv[2] = path.c_str();
    std::ostringstream out, err;
    EXPECT_EQ(run(static_cast<int>(argv.size()), argv.data(), out, err), 2);
    EXPECT_EQ(err.str(), "suflyor: configuration error: " + path +
                             ":2:16: key 'media.rtp_port_min': 3 is out of range 1024..65534\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "db.sqlite"));
}

} // namespace
} // namespace suflyor::app
