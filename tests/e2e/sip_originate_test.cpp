// Click-to-call through the B2BUA (B2bua::originate): the server rings the employee's own phone,
// and once it is answered calls the client through the provider trunk (or a colleague's phone),
// then bridges the two. The server runs in-process (the Runtime `serve` uses) on its own
// control-loop thread, reached through its command queue (tests/e2e/api_test.cpp drives the same
// calls through the HTTP API). sipp
// plays the employees' phones (registered with register_stay.xml) and the provider at 127.0.0.2;
// baresip parties with tones show that the bridged call carries audio both ways.
#include "../unit/common/temp_dir.hpp"
#include "app/runtime.hpp"
#include "support/baresip.hpp"
#include "support/in_process.hpp"
#include "support/server.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <sys/socket.h>
#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* client_number = "74951112233";
constexpr const char* presented_number = "74950000000";

class SipOriginateTest : public ::testing::Test {
protected:
    void SetUp() override {
        on_loop([this] {
            auto& s = server.runtime().services();
            account = s.store->accounts().list().front().id.value();
            const auto olga =
                s.directory.create_user(center::system_actor("test"), center::AccountId{account},
                                        center::NewUser{"Olga", "olga", center::Role::operator_,
                                                        "olga-password", "", "olga-sip-secret"});
            sales = s.directory
                        .create_project(center::system_actor("test"), center::AccountId{account},
                                        "Sales", {})
                        .id.value();
            s.directory.add_operator(center::system_actor("test"), center::ProjectId{sales},
                                     olga.id);
            admin_id = s.store->users().find_by_login("admin")->id.value();
        });
        sip_port = server.sip_port();
    }

    template <class F> auto on_loop(F&& work) -> decltype(work()) {
        return server.call(std::forward<F>(work));
    }

    // Registers `user`'s phone, then leaves a sipp running `scenario` on its port.
    std::unique_ptr<Process> phone(const std::string& user, const std::string& scenario) {
        const int port = free_port(SOCK_DGRAM);
        std::string out;
        EXPECT_EQ(run_sipp("register_stay.xml", sip_port,
                           {"-s", user, "-au", user, "-ap", user + "-sip-secret"}, out, "127.0.0.1",
                           port),
                  0)
            << out;
        auto p =
            std::make_unique<Process>(sipp_command(scenario, 0, {"-s", user}, "127.0.0.1", port));
        EXPECT_TRUE(wait_udp_bound(port, 5s));
        return p;
    }

    std::unique_ptr<Process> provider(const std::string& scenario) {
        auto p = std::make_unique<Process>(
            sipp_command(scenario, 0, {"-s", "provider"}, "127.0.0.2", provider_port));
        EXPECT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"));
        return p;
    }

    // What the app builds for "contact the client yourself" / "call the employee".
    [[nodiscard]] sip::CallPlan client_plan() const {
        sip::CallPlan plan;
        plan.kind = sip::CallKind::outbound;
        plan.account_id = account;
        plan.project_id = sales;
        plan.client_number = client_number;
        plan.caller = admin();
        plan.trunk_uri =
            std::string("sip:") + client_number + "@127.0.0.2:" + std::to_string(provider_port);
        plan.presented_number = presented_number;
        return plan;
    }
    [[nodiscard]] sip::CallPlan employee_plan(const std::string& callee) const {
        sip::CallPlan plan;
        plan.kind = sip::CallKind::internal;
        plan.account_id = account;
        plan.client_number = callee;
        plan.caller = admin();
        plan.employees = {sip::Aor{account, callee}};
        plan.presented_number = "admin";
        return plan;
    }
    [[nodiscard]] sip::Aor admin() const { return sip::Aor{account, "admin"}; }

    std::optional<std::int64_t> originate(const sip::CallPlan& plan, const std::string& display) {
        return on_loop([&] { return server.runtime().b2bua().originate(admin(), plan, display); });
    }

    center::Call call_record(std::int64_t id) {
        return on_loop(
            [&] { return *server.runtime().services().store->calls().find(center::CallId{id}); });
    }

    // Polls the call record (on the loop) until it is in `state` or `timeout` passes.
    bool wait_state(std::int64_t id, center::CallState state, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (call_record(id).state == state) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    static void expect_exit(Process& p, int code, const std::string& who) {
        EXPECT_EQ(p.wait(30s), code) << who << "\n" << p.out() << p.err();
    }

    test::TempDir dir;
    const int provider_port = free_port(SOCK_DGRAM);
    InProcessServer server{in_process_config(dir.path(), provider_port)};
    int sip_port{0};
    std::int64_t account{0};
    std::int64_t sales{0};
    std::int64_t admin_id{0};
};

TEST_F(SipOriginateTest, CallClientBridgesTheEmployeeAndTheClientAndTheClientHangsUp) {
    auto admin_phone = phone("admin", "originate_answer.xml");
    auto trunk = provider("operator_answer_hangup.xml"); // answers, hangs up after 1 s

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    expect_exit(*trunk, 0, "provider");
    expect_exit(*admin_phone, 0, "admin's phone (must get a BYE)");

    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "client_hangup");
    EXPECT_EQ(call.direction, center::CallDirection::outbound);
    EXPECT_EQ(call.client_number, client_number);
    ASSERT_TRUE(call.operator_id.has_value());
    EXPECT_EQ(call.operator_id->value(), admin_id);
    ASSERT_TRUE(call.project_id.has_value());
    EXPECT_EQ(call.project_id->value(), sales);
    EXPECT_TRUE(call.answered_at.has_value());
    EXPECT_FALSE(call.recording_path.empty());
    EXPECT_EQ(on_loop([&] { return server.runtime().b2bua().active_calls(); }), 0u);
}

TEST_F(SipOriginateTest, CallClientEndsWhenTheEmployeeHangsUp) {
    auto admin_phone = phone("admin", "originate_answer_hangup.xml"); // BYE 2 s after answering
    auto trunk = provider("operator_answer.xml");                     // waits for BYE

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    ASSERT_TRUE(wait_state(*id, center::CallState::talking, 20s));
    // Anchored like any call (monitorable): client and operator on their own slots of one room.
    const auto media = on_loop([&] { return server.runtime().b2bua().media_of(*id); });
    ASSERT_TRUE(media.has_value());
    EXPECT_NE(media->client_slot, media->operator_slot);
    expect_exit(*admin_phone, 0, "admin's phone");
    expect_exit(*trunk, 0, "provider (must get a BYE)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "operator_hangup");
    EXPECT_TRUE(call.answered_at.has_value());
    EXPECT_EQ(call.operator_id->value(), admin_id);
}

TEST_F(SipOriginateTest, ProviderBusyHangsUpTheEmployeeAndEndsCalleeBusy) {
    auto admin_phone = phone("admin", "originate_answer.xml"); // answers, then must get BYE
    auto trunk = provider("provider_busy.xml");

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    expect_exit(*trunk, 0, "provider");
    expect_exit(*admin_phone, 0, "admin's phone (must get a BYE)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "callee_busy");
    EXPECT_FALSE(call.answered_at.has_value());
    EXPECT_TRUE(call.recording_path.empty());
}

TEST_F(SipOriginateTest, EmployeeDeclinesAndTheProviderIsNeverCalled) {
    auto admin_phone = phone("admin", "originate_decline.xml");
    auto trunk = provider("operator_answer.xml");

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    expect_exit(*admin_phone, 0, "admin's phone");
    ASSERT_TRUE(wait_state(*id, center::CallState::ended, 10s));
    const auto call = call_record(*id);
    EXPECT_EQ(call.end_reason, "declined");
    EXPECT_FALSE(call.answered_at.has_value());
    EXPECT_EQ(trunk->wait(1ms), -1) << "no INVITE may reach the provider\n" << trunk->out();
}

TEST_F(SipOriginateTest, EmployeeHangsUpWhileTheClientRingsAndTheProviderGetsCancel) {
    auto admin_phone = phone("admin", "originate_answer_hangup.xml");
    auto trunk = provider("operator_ring_cancelled.xml"); // rings until CANCEL

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    expect_exit(*admin_phone, 0, "admin's phone");
    expect_exit(*trunk, 0, "provider (must get CANCEL)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "cancelled");
    EXPECT_FALSE(call.answered_at.has_value());
}

TEST_F(SipOriginateTest, HangingUpWhileTheEmployeesPhoneRingsCancelsIt) {
    auto admin_phone = phone("admin", "operator_ring_cancelled.xml"); // rings until CANCEL
    auto trunk = provider("operator_answer.xml");

    const auto id = originate(client_plan(), "→ +74951112233");
    ASSERT_TRUE(id);
    // libre sends the CANCEL once the phone's 180 is in.
    EXPECT_TRUE(on_loop([&] { return server.runtime().b2bua().hang_up(*id, "not_answered"); }));
    EXPECT_FALSE(on_loop([&] { return server.runtime().b2bua().hang_up(*id, "again"); }));
    expect_exit(*admin_phone, 0, "admin's phone (must get CANCEL)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "not_answered");
    EXPECT_EQ(trunk->wait(1ms), -1) << "no INVITE may reach the provider\n" << trunk->out();
}

TEST_F(SipOriginateTest, CallEmployeeRingsTheColleagueAndBridgesThem) {
    auto olga_phone = phone("olga", "originate_answer.xml");          // waits for BYE
    auto admin_phone = phone("admin", "originate_answer_hangup.xml"); // hangs up
    const auto id = originate(employee_plan("olga"), "→ Olga");
    ASSERT_TRUE(id);
    ASSERT_TRUE(wait_state(*id, center::CallState::talking, 20s));
    expect_exit(*admin_phone, 0, "admin's phone");
    expect_exit(*olga_phone, 0, "olga's phone (must get a BYE)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.direction, center::CallDirection::internal);
    EXPECT_EQ(call.client_number, "olga");
    EXPECT_EQ(call.end_reason, "operator_hangup");
    ASSERT_TRUE(call.operator_id.has_value());
    EXPECT_EQ(call.operator_id->value(), admin_id); // the one who clicked
    EXPECT_TRUE(call.answered_at.has_value());
}

TEST_F(SipOriginateTest, CallingAnUnregisteredColleagueHangsUpTheEmployee) {
    auto admin_phone = phone("admin", "originate_answer.xml");  // answers, then must get BYE
    const auto id = originate(employee_plan("olga"), "→ Olga"); // olga has no phone
    ASSERT_TRUE(id);
    expect_exit(*admin_phone, 0, "admin's phone (must get a BYE)");
    const auto call = call_record(*id);
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "callee_unavailable");
}

// The employee and the client hear each other once bridged (and neither hears itself): the
// supervisor's phone sends tone C, the client tone A, each records what it receives.
TEST_F(SipOriginateTest, AudioFlowsBothWaysBetweenTheEmployeeAndTheClient) {
    BaresipParty employee(
        BaresipOptions{.name = "employee",
                       .ip = "127.0.0.1",
                       .tone_hz = test::tone_c_hz,
                       .account = {.aor = "sip:admin@127.0.0.1:" + std::to_string(sip_port),
                                   .auth_pass = "admin-sip-secret",
                                   .regint = 600,
                                   .auto_answer = true}});
    ASSERT_TRUE(employee.wait_registered(30s)) << employee.log();
    BaresipParty client(
        BaresipOptions{.name = "client",
                       .ip = "127.0.0.2",
                       .tone_hz = test::tone_a_hz,
                       .account = {.aor = std::string("sip:") + client_number + "@127.0.0.2",
                                   .regint = 0,
                                   .auto_answer = true}});
    auto plan = client_plan();
    plan.trunk_uri = client.uri(client_number); // the "provider" is the client's phone itself

    const auto id = originate(plan, "→ +74951112233");
    ASSERT_TRUE(id);
    ASSERT_TRUE(employee.wait_call_established(30s)) << employee.log();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log();
    ASSERT_TRUE(employee.wait_heard_seconds(3.0, 30s)) << employee.log();
    ASSERT_TRUE(client.wait_heard_seconds(3.0, 30s)) << client.log();
    const auto check = [](const std::string& who, const WavAudio& heard,
                          std::initializer_list<test::ToneExpectation> tones) {
        const std::vector<test::ToneExpectation> list(tones);
        const auto report = test::check_tones(heard.samples, heard.sample_rate, 0.5, 3.0, list);
        EXPECT_TRUE(report) << who << ": " << report.failures;
        EXPECT_GE(report.blocks, 4u) << who;
    };
    check("the employee", employee.heard(), {{test::tone_a_hz, true}, {test::tone_c_hz, false}});
    check("the client", client.heard(), {{test::tone_c_hz, true}, {test::tone_a_hz, false}});

    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(employee.wait_call_closed(20s)) << employee.log();
    ASSERT_TRUE(wait_state(*id, center::CallState::ended, 10s));
    EXPECT_EQ(call_record(*id).end_reason, "client_hangup");
}

TEST_F(SipOriginateTest, NoDeviceMeansNoCall) {
    EXPECT_FALSE(originate(client_plan(), "→ +74951112233")); // admin never registered
    const auto calls = on_loop([this] {
        return server.runtime().services().store->calls().query(
            store::CallQuery{center::AccountId{account}});
    });
    EXPECT_TRUE(calls.empty());
}

} // namespace
} // namespace suflyor::e2e
