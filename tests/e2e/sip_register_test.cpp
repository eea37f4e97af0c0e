// Registration through the real server with sipp as the phone: digest authentication, wrong
// password, stale nonce, un-registration, and presence following registration.
#include "support/server.hpp"

#include <gtest/gtest.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

class SipRegisterTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start(); // creates the account on first start
        server.add_user("olga", "olga-sip-secret");
    }
    int sipp(const std::string& scenario, const std::string& user, const std::string& password) {
        return run_sipp(scenario, server.sip_udp_port(), {"-s", user, "-au", user, "-ap", password},
                        log);
    }
    std::string status_of(const std::string& login) {
        const auto table = server.admin({"user", "list", "--account", "1"});
        const auto line = table.substr(table.find(login));
        return line.substr(0, line.find('\n'));
    }
    Server server{SUFLYOR_BINARY, "nonce_ttl_seconds = 2\n"};
    std::string log;
};

TEST_F(SipRegisterTest, RegisterWithDigestThenUnregister) {
    EXPECT_EQ(sipp("register_ok.xml", "olga", "olga-sip-secret"), 0) << log;
    EXPECT_TRUE(server.process().wait_for_stderr("REGISTER olga@suflyor.local from 127.0.0.1", 5s))
        << server.process().err();
}

TEST_F(SipRegisterTest, PresenceFollowsRegistration) {
    EXPECT_NE(status_of("olga").find("offline"), std::string::npos);
    ASSERT_EQ(sipp("register_stay.xml", "olga", "olga-sip-secret"), 0) << log;
    EXPECT_NE(status_of("olga").find("available"), std::string::npos) << status_of("olga");
}

TEST_F(SipRegisterTest, WrongPasswordIsRefusedAndLoggedForFail2ban) {
    EXPECT_EQ(sipp("register_wrong_password.xml", "olga", "not-the-password"), 0) << log;
    ASSERT_TRUE(server.process().wait_for_stderr("sip-auth-failure", 5s));
    EXPECT_NE(
        server.process().err().find("sip-auth-failure src=127.0.0.1 method=REGISTER user=olga "
                                    "realm=suflyor.local reason=bad_password"),
        std::string::npos)
        << server.process().err();
}

TEST_F(SipRegisterTest, UnknownUserIsRefusedLikeAWrongPassword) {
    EXPECT_EQ(sipp("register_wrong_password.xml", "mallory", "whatever-password"), 0) << log;
}

TEST_F(SipRegisterTest, RegisterOverTcp) {
    ASSERT_NE(server.sip_tcp_port(), 0);
    EXPECT_EQ(run_sipp("register_ok.xml", server.sip_tcp_port(),
                       {"-t", "t1", "-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, log),
              0)
        << log;
    EXPECT_TRUE(server.process().wait_for_stderr("REGISTER olga@suflyor.local from 127.0.0.1", 5s))
        << server.process().err();
}

TEST_F(SipRegisterTest, StaleNonceIsChallengedWithStaleTrueAndTheRetrySucceeds) {
    EXPECT_EQ(sipp("register_stale_nonce.xml", "olga", "olga-sip-secret"), 0) << log;
}

// A phone behind a trunk's address cannot register there (the trunk's sources are trusted for
// INVITEs only): it gets 405, and the log says why in one line instead of nothing.
TEST(SipRegisterFromTrunk, IsAnswered405AndTheLogSaysWhy) {
    Server server{SUFLYOR_BINARY, "[[trunks]]\nname = \"provider\"\npeer = \"127.0.0.2:5099\"\n"
                                  "sources = [\"127.0.0.2\"]\n"};
    server.start();
    std::string log;
    EXPECT_EQ(run_sipp("register_from_trunk.xml", server.sip_udp_port(), {"-s", "olga"}, log,
                       "127.0.0.2"),
              0)
        << log;
    ASSERT_TRUE(server.process().wait_for_stderr("answered 405", 5s)) << server.process().err();
    const auto& err = server.process().err();
    EXPECT_NE(err.find("sip: REGISTER from 127.0.0.2:"), std::string::npos) << err;
    EXPECT_NE(err.find("is a source of trunk 'provider'"), std::string::npos) << err;
}

} // namespace
} // namespace suflyor::e2e
