// `suflyor serve` as a newcomer runs it: first start on an empty database creates the account and
// prints the credentials once; they work; a second start does not print them again; signals stop
// it cleanly; a bad config stops it before anything is created.
#include "../unit/common/temp_dir.hpp"
#include "store/store.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <regex>

#include <fstream>
#include <signal.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

class ServeTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::ofstream(dir / "suflyor.toml") << "[storage]\npath = \"" << db().string() << "\"\n"
                                            << "[security]\npassword_cost = \"minimal\"\n"
                                            << "[sip]\nlisten = \"127.0.0.1:0\"\n"
                                            << "[http]\nlisten = \"127.0.0.1:0\"\n";
    }
    std::filesystem::path db() const { return dir / "data" / "suflyor.db"; }
    std::vector<std::string> cmd(std::vector<std::string> args) const {
        args.insert(args.begin(), {SUFLYOR_BINARY, "--config", (dir / "suflyor.toml").string()});
        return args;
    }
    test::TempDir dir;
};

std::string field(const std::string& text, const std::string& label) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex(label + R"(:\s+(\S+))"))) return m[1];
    return {};
}

TEST_F(ServeTest, FirstStartCreatesTheAccountAndPrintsCredentialsOnce) {
    Process first(cmd({"serve"}));
    ASSERT_TRUE(first.wait_for_stderr("control loop running", 30s)) << first.out() << first.err();
    EXPECT_EQ(field(first.out(), "Log in as"), "admin");
    const auto password = field(first.out(), "Password");
    EXPECT_EQ(password.size(), 16u);
    EXPECT_EQ(field(first.out(), "SIP account"), "admin@suflyor.local");
    first.signal(SIGTERM);
    EXPECT_EQ(first.wait(10s), 0) << first.err();

    {
        auto store = store::open_sqlite(store::SqliteOptions{db()});
        ASSERT_EQ(store->accounts().count(), 1);
        const auto creator = store->users().find_by_login("admin");
        ASSERT_TRUE(creator);
        EXPECT_EQ(creator->role, center::Role::creator);
        EXPECT_EQ(creator->password_hash.rfind("$argon2id$", 0), 0u);
        EXPECT_EQ(creator->password_hash.find(password), std::string::npos);
    }

    Process second(cmd({"serve"}));
    ASSERT_TRUE(second.wait_for_stderr("control loop running", 30s)) << second.err();
    second.signal(SIGINT);
    EXPECT_EQ(second.wait(10s), 0);
    EXPECT_EQ(second.out().find("Password"), std::string::npos) << second.out();
    EXPECT_NE(second.err().find("1 account(s)"), std::string::npos) << second.err();
}

// Issue 15: the first start also says where phones register (the bound SIP address and its
// transports) and the web address, and warns that loopback keeps other machines out.
TEST_F(ServeTest, FirstStartPrintsTheSipServerAddressAndTheLoopbackWarning) {
    Process p(cmd({"serve"}));
    ASSERT_TRUE(p.wait_for_stderr("control loop running", 30s)) << p.out() << p.err();
    std::smatch udp, http;
    const auto err = p.err();
    ASSERT_TRUE(std::regex_search(err, udp, std::regex(R"(sip: listening on udp (\S+))"))) << err;
    ASSERT_TRUE(std::regex_search(err, http, std::regex(R"(http: listening on (\S+))"))) << err;
    const auto out = p.out();
    EXPECT_NE(out.find("SIP server:    " + udp[1].str() + " (udp"), std::string::npos) << out;
    EXPECT_NE(out.find("(tcp)"), std::string::npos) << out;
    EXPECT_NE(out.find("Web:           http://" + http[1].str() + "/"), std::string::npos) << out;
    EXPECT_NE(out.find("Browser phone: off"), std::string::npos) << out;
    EXPECT_NE(out.find("Note: loopback only: [sip] listen"), std::string::npos) << out;
    EXPECT_NE(out.find("Phones and browsers on other machines cannot reach this server."),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("\"Listening on the LAN\""), std::string::npos) << out;
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait(10s), 0) << p.err();

    Process second(cmd({"serve"})); // not the first start: nothing printed
    ASSERT_TRUE(second.wait_for_stderr("control loop running", 30s)) << second.err();
    EXPECT_EQ(second.out().find("SIP server:"), std::string::npos) << second.out();
    second.signal(SIGTERM);
    EXPECT_EQ(second.wait(10s), 0);
}

TEST_F(ServeTest, CredentialsFromTheEnvironmentAreUsedAndNotPrinted) {
    Process p(cmd({"serve"}), {"SUFLYOR_ADMIN_PASSWORD=chosen-by-env-1"});
    ASSERT_TRUE(p.wait_for_stderr("control loop running", 30s)) << p.err();
    EXPECT_EQ(field(p.out(), "Password"), "(as");
    EXPECT_EQ(p.out().find("chosen-by-env-1"), std::string::npos) << p.out();
    EXPECT_EQ(field(p.out(), "SIP password").size(), 16u); // that one was generated
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait(10s), 0);
}

TEST_F(ServeTest, ABadConfigStopsStartUpWithOneLineAndCreatesNothing) {
    std::ofstream(dir / "suflyor.toml", std::ios::trunc)
        << "[storage]\npath = \"" << db().string() << "\"\n"
        << "[sip]\nlisten = \"127.0.0.1:99999\"\n";
    const auto r = run_to_end(cmd({"serve"}), 30s);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("key 'sip.listen': port 99999 is out of range 0..65535"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(ServeTest, AdminCommandsWorkWhileTheServerRuns) {
    Process server(cmd({"serve"}));
    ASSERT_TRUE(server.wait_for_stderr("control loop running", 30s)) << server.err();
    const auto created = run_to_end(
        cmd({"admin", "user", "create", "--account", "1", "--name", "Olga", "--login", "olga",
             "--password", "olga-password", "--sip-password", "olga-sip-password"}),
        30s);
    EXPECT_EQ(created.code, 0) << created.err;
    const auto listed =
        run_to_end(cmd({"admin", "user", "list", "--account", "My call center"}), 30s);
    EXPECT_NE(listed.out.find("olga"), std::string::npos) << listed.out << listed.err;
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(10s), 0);
}

} // namespace
} // namespace suflyor::e2e
