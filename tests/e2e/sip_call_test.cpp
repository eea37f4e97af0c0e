// Calls through the B2BUA with sipp as the provider (trunk) and as the operator's phone:
// routing by DID to the project's available operator, ringing, answer, media anchored in the
// engine (the SDP each side sees is the server's), hang-up from either side, nobody available.
#include "store/store.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

const std::string trunk_config = R"(
[[trunks]]
name = "provider"
peer = "127.0.0.2:5060"
sources = ["127.0.0.2"]
[trunks.dids]
"74950000001" = "Sales"
)";

class SipCallTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.admin({"project", "create", "--account", "1", "--name", "Sales"});
        server.admin(
            {"project", "add-operator", "--account", "1", "--project", "Sales", "--login", "olga"});
    }

    // Registers olga's "phone" from `port`, then leaves a sipp answering on that port.
    std::unique_ptr<Process> operator_phone(const std::string& scenario) {
        const int port = free_port(SOCK_DGRAM);
        std::string log;
        EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                           {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, log,
                           "127.0.0.1", port),
                  0)
            << log;
        auto phone =
            std::make_unique<Process>(sipp_command(scenario, 0, {"-s", "olga"}, "127.0.0.1", port));
        EXPECT_TRUE(wait_udp_bound(port, 5s));
        return phone;
    }

    std::vector<center::Call> calls() {
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        return store->calls().query(store::CallQuery{center::AccountId{1}});
    }

    Server server{SUFLYOR_BINARY,
                  "[media]\nrtp_port_min = 30000\nrtp_port_max = 30999\n" + trunk_config};
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
    ASSERT_TRUE(call.operator_id.has_value());
    EXPECT_TRUE(call.project_id.has_value());
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

TEST_F(SipCallTest, UnknownNumberIsNotFound) {
    std::string out;
    EXPECT_NE(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "70000000000"}, out, "127.0.0.2"),
        0);
    EXPECT_NE(out.find("404"), std::string::npos) << out;
    EXPECT_TRUE(calls().empty());
}

} // namespace
} // namespace suflyor::e2e
