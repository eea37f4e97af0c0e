// The failed-authentication ban cannot be aimed at a phone in a call. Requests "from" the phone's
// address (UDP is trivially spoofed; here: the same loopback IP, another port) either do not count
// towards the ban (an unknown domain: no password was tried), or, when they do (wrong passwords),
// the ban still never drops in-dialog requests: the phone's BYE is honoured at once.
#include "store/store.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"
#include "support/udp_peer.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

// The phone talks this long before its BYE.
constexpr auto talk = 8s;

class SipBanTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        // A second account: now a domain is "unknown" unless one of the two owns it.
        server.admin({"account", "create", "--name", "Other", "--email", "boss@other.test",
                      "--sip-domain", "other.test", "--creator-login", "other-boss"});
    }

    std::vector<center::Call> calls() {
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        return store->calls().query(store::CallQuery{center::AccountId{1}});
    }

    // olga's phone (sipp on 127.0.0.1) answers the client's DID call, talks for `talk`, then
    // sends BYE; returns once the call is talking.
    void start_call() {
        const int port = free_port(SOCK_DGRAM);
        std::string log;
        ASSERT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                           {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, log,
                           "127.0.0.1", port),
                  0)
            << log;
        phone = std::make_unique<Process>(
            sipp_command("operator_answer_talk.xml", 0,
                         {"-s", "olga", "-d", std::to_string(talk / 1ms)}, "127.0.0.1", port));
        ASSERT_TRUE(wait_udp_bound(port, 5s));
        client = trunk_client_call(server);
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto all = calls();
            if (all.size() == 1 && all.front().state == center::CallState::talking) {
                answered_at = std::chrono::steady_clock::now();
                return;
            }
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 50ms);
        }
        FAIL() << "the call was not answered\n" << server.process().err();
    }

    // The phone's BYE ends the call as soon as it is sent: both sipp parties finish (the phone got
    // its 200, the client its BYE) and the call lasted the phone's talk, not a ban's minute.
    void the_phones_bye_ends_the_call() {
        EXPECT_EQ(phone->wait(talk + 10s), 0) << phone->out() << phone->err();
        EXPECT_EQ(client->wait(5s), 0) << client->out() << client->err();
        EXPECT_LT(std::chrono::steady_clock::now() - answered_at, talk + 4s);
        const auto all = calls();
        ASSERT_EQ(all.size(), 1u);
        EXPECT_EQ(all.front().state, center::CallState::ended);
        EXPECT_EQ(all.front().end_reason, "operator_hangup");
        ASSERT_TRUE(all.front().ended_at && all.front().answered_at);
        EXPECT_LT(*all.front().ended_at - *all.front().answered_at, talk + 3s);
    }

    // An out-of-dialog OPTIONS from 127.0.0.1 (the phone's IP) for `domain`; the statuses the
    // server answered within a second.
    std::vector<int> options_from_the_phones_ip(const std::string& domain, int n) {
        const std::string tag = "spoof-" + std::to_string(n);
        peer.send_to(server.sip_udp_port(),
                     "OPTIONS sip:127.0.0.1:" + std::to_string(server.sip_udp_port()) +
                         " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + std::to_string(peer.port()) +
                         ";branch=z9hG4bK-" + tag + "\r\nFrom: <sip:probe@" + domain +
                         ">;tag=" + tag + "\r\nTo: <sip:probe@" + domain + ">\r\nCall-ID: " + tag +
                         "@ban.test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                         "Content-Length: 0\r\n\r\n");
        return peer.statuses(1s);
    }

    Server server{SUFLYOR_BINARY, provider_trunk_config(), "sip_domain = \"127.0.0.1\"\n"};
    UdpPeer peer; // bound to 127.0.0.1, like the phone
    std::unique_ptr<Process> phone;
    std::unique_ptr<Process> client;
    std::chrono::steady_clock::time_point answered_at;
};

TEST_F(SipBanTest, SpoofedOptionsForAnUnknownDomainDoNotSilenceThePhone) {
    start_call();
    // Fifteen, past the limit of ten failures a minute: each is refused, none is counted.
    for (int i = 0; i < 15; ++i)
        EXPECT_EQ(options_from_the_phones_ip("nowhere.invalid", i), std::vector<int>{403})
            << "OPTIONS " << i << "\n"
            << server.process().err();
    EXPECT_TRUE(server.process().wait_for_stderr("reason=unknown_domain", 1s));
    the_phones_bye_ends_the_call();
}

TEST_F(SipBanTest, ABannedAddressStillEndsItsCallsWithBye) {
    start_call();
    // Ten wrong passwords from the phone's IP (a genuine nonce, a wrong answer): banned.
    for (int i = 0; i < 10; ++i) {
        std::string log;
        EXPECT_EQ(run_sipp("register_wrong_password.xml", server.sip_udp_port(),
                           {"-s", "olga", "-au", "olga", "-ap", "not-her-password"}, log,
                           "127.0.0.1"),
                  0)
            << log;
    }
    // The ban is in force: an out-of-dialog request from that IP is ignored...
    EXPECT_TRUE(options_from_the_phones_ip("127.0.0.1", 99).empty());
    // ...but the established call's BYE is not.
    the_phones_bye_ends_the_call();
}

} // namespace
} // namespace suflyor::e2e
