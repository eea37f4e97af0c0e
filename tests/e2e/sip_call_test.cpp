// Calls through the B2BUA with sipp as the provider (trunk) and as the operator's phone:
// routing by DID to the project's available operator, ringing, answer, media anchored in the
// engine (the SDP each side sees is the server's), hang-up from either side, nobody available.
#include "store/store.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

std::string trunk_config(int provider_port) {
    return "[[trunks]]\nname = \"provider\"\npeer = \"127.0.0.2:" + std::to_string(provider_port) +
           "\"\nsources = [\"127.0.0.2\"]\ncaller_id = \"+74950000000\"\n[trunks.dids]\n"
           "\"74950000001\" = \"Sales\"\n";
}

class SipCallTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
    }

    // Registers an employee's "phone" from `port`.
    void register_phone(const std::string& user, int port) {
        std::string out;
        EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                           {"-s", user, "-au", user, "-ap", user + "-sip-secret"}, out, "127.0.0.1",
                           port),
                  0)
            << out;
    }

    // Registers the employee's phone, then leaves a sipp running `scenario` on that port.
    std::unique_ptr<Process> phone(const std::string& user, const std::string& scenario) {
        const int port = free_port(SOCK_DGRAM);
        register_phone(user, port);
        auto p =
            std::make_unique<Process>(sipp_command(scenario, 0, {"-s", user}, "127.0.0.1", port));
        EXPECT_TRUE(wait_udp_bound(port, 5s));
        return p;
    }
    std::unique_ptr<Process> operator_phone(const std::string& scenario) {
        return phone("olga", scenario);
    }

    std::vector<center::Call> calls() {
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        return store->calls().query(store::CallQuery{center::AccountId{1}});
    }

    const int provider_port = free_port(SOCK_DGRAM);
    Server server{SUFLYOR_BINARY, trunk_config(provider_port)};
    std::string log;
};

TEST_F(SipCallTest, ClientCallsTheDidOperatorAnswersClientHangsUp) {
    auto phone = operator_phone("operator_answer.xml");
    EXPECT_EQ(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log, "127.0.0.2"),
        0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    const auto& call = all.front();
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_TRUE(call.answered_at.has_value());
    EXPECT_EQ(call.end_reason, "client_hangup");
    EXPECT_EQ(call.client_number, "74951112233");
    EXPECT_EQ(call.direction, center::CallDirection::inbound);
    // Every answered call is recorded (a valid WAV, here silent: sipp sends no RTP).
    ASSERT_FALSE(call.recording_path.empty());
    EXPECT_TRUE(std::filesystem::exists(call.recording_path)) << call.recording_path;
    EXPECT_NE(call.recording_path.find("call-" + std::to_string(call.id.value()) + ".wav"),
              std::string::npos);
    ASSERT_TRUE(call.operator_id.has_value());
    EXPECT_TRUE(call.project_id.has_value());
}

TEST_F(SipCallTest, EarlyMediaReachesTheClientBeforeTheAnswer) {
    auto phone = operator_phone("operator_early_media.xml");
    EXPECT_EQ(run_sipp("trunk_call_early_media.xml", server.sip_udp_port(), {"-s", "74950000001"},
                       log, "127.0.0.2"),
              0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(calls().front().end_reason, "client_hangup");
}

TEST_F(SipCallTest, ClientGivesUpWhileTheOperatorRings) {
    auto phone = operator_phone("operator_ring_cancelled.xml");
    EXPECT_EQ(run_sipp("trunk_call_cancel.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().state, center::CallState::ended);
    EXPECT_EQ(all.front().end_reason, "cancelled");
    EXPECT_FALSE(all.front().answered_at.has_value());
}

TEST_F(SipCallTest, OperatorHangsUpFirst) {
    auto phone = operator_phone("operator_answer_hangup.xml");
    EXPECT_EQ(run_sipp("trunk_call_wait_bye.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().end_reason, "operator_hangup");
    EXPECT_TRUE(all.front().answered_at.has_value());
}

TEST_F(SipCallTest, HoldAndResumeAreCarriedToTheOtherSide) {
    auto phone = operator_phone("operator_hold.xml");
    EXPECT_EQ(run_sipp("trunk_call_hold.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().end_reason, "client_hangup");
}

TEST_F(SipCallTest, OperatorDialsOutThroughTheTrunk) {
    const int olga_port = free_port(SOCK_DGRAM);
    register_phone("olga", olga_port);
    Process provider(
        sipp_command("operator_answer.xml", 0, {"-s", "provider"}, "127.0.0.2", provider_port));
    ASSERT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"));
    EXPECT_EQ(run_sipp("employee_dial.xml", server.sip_udp_port(),
                       {"-s", "+74951112233", "-au", "olga", "-ap", "olga-sip-secret"}, log,
                       "127.0.0.1", olga_port),
              0)
        << log;
    EXPECT_EQ(provider.wait(30s), 0) << provider.out() << provider.err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().direction, center::CallDirection::outbound);
    EXPECT_EQ(all.front().client_number, "74951112233");
    EXPECT_TRUE(all.front().answered_at.has_value());
    EXPECT_EQ(all.front().end_reason, "operator_hangup");
    EXPECT_TRUE(all.front().project_id.has_value());
}

TEST_F(SipCallTest, InternalCallRingsTheColleague) {
    server.add_user("ivan", "ivan-sip-secret");
    auto ivan = phone("ivan", "operator_answer.xml");
    const int olga_port = free_port(SOCK_DGRAM);
    register_phone("olga", olga_port);
    EXPECT_EQ(run_sipp("employee_dial.xml", server.sip_udp_port(),
                       {"-s", "ivan", "-au", "olga", "-ap", "olga-sip-secret"}, log, "127.0.0.1",
                       olga_port),
              0)
        << log;
    EXPECT_EQ(ivan->wait(30s), 0) << ivan->out() << ivan->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().direction, center::CallDirection::internal);
    EXPECT_EQ(all.front().client_number, "olga");
    EXPECT_TRUE(all.front().answered_at.has_value());
}

TEST_F(SipCallTest, AStrangerDiallingOutIsForbiddenAndLogged) {
    EXPECT_EQ(run_sipp("stranger_dial.xml", server.sip_udp_port(), {"-s", "74951112233"}, log,
                       "127.0.0.3"),
              0)
        << log;
    EXPECT_TRUE(server.process().wait_for_stderr("reason=unknown_source_external_number", 5s));
    EXPECT_TRUE(calls().empty());
}

TEST_F(SipCallTest, NobodyAvailableMeansACleanFailure) {
    // olga never registered: the call is refused at once, and recorded as such.
    std::string out;
    const auto r =
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, out, "127.0.0.2");
    EXPECT_NE(r, 0);
    EXPECT_NE(out.find("480"), std::string::npos) << out;
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all.front().state, center::CallState::ended);
    EXPECT_EQ(all.front().end_reason, "no_operator");
}

TEST_F(SipCallTest, GarbageOrUnusableSdpIsRefusedCleanly) {
    auto phone = operator_phone("operator_answer.xml"); // an operator is there, but never rung
    EXPECT_EQ(run_sipp("trunk_call_bad_sdp.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_EQ(run_sipp("trunk_call_no_codec.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                       "127.0.0.2"),
              0)
        << log;
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(phone->wait(1ms), -1) << "the operator's phone must not have been rung";
}

TEST_F(SipCallTest, UnknownNumberIsNotFound) {
    std::string out;
    EXPECT_NE(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "70000000000"}, out, "127.0.0.2"),
        0);
    EXPECT_NE(out.find("404"), std::string::npos) << out;
    EXPECT_TRUE(calls().empty());
}

// A control loop that ran far behind (here: the server stopped for a second, as a long stall
// would) refuses new calls with 503 + Retry-After for a while instead of queueing them, then
// takes calls again.
TEST_F(SipCallTest, AStalledLoopRefusesNewCallsWith503ThenRecovers) {
    auto phone = operator_phone("operator_answer.xml");
    server.process().signal(SIGSTOP);
    std::this_thread::sleep_for(1s); // the stall itself, not a wait for something to happen
    server.process().signal(SIGCONT);
    EXPECT_EQ(run_sipp("trunk_call_overloaded.xml", server.sip_udp_port(), {"-s", "74950000001"},
                       log, "127.0.0.2"),
              0)
        << log;
    EXPECT_TRUE(calls().empty()) << "a refused call is not opened";
    EXPECT_TRUE(server.process().wait_for_stderr("new calls refused with 503", 5s));

    // The refusals stop 2 s after the stall; the trunk's next attempt then goes through.
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    int rc = -1;
    while (rc != 0 && std::chrono::steady_clock::now() < deadline)
        rc = run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                      "127.0.0.2");
    EXPECT_EQ(rc, 0) << log;
    EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_TRUE(all.front().answered_at.has_value());
}

// The SIP UDP socket gets its configured 4 MiB receive buffer (as root, past net.core.rmem_max
// with SO_RCVBUFFORCE); without the privilege the server says what it got instead.
TEST_F(SipCallTest, TheSipSocketGetsItsReceiveBufferOrSaysWhy) {
    const std::string expected =
        geteuid() == 0 ? "sip: UDP receive buffer 4096 KiB" : "not the configured 4096 KiB";
    EXPECT_TRUE(server.process().wait_for_stderr(expected, 5s)) << server.process().err();
}

} // namespace
} // namespace suflyor::e2e
