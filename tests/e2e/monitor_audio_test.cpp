// The product's audio table (SPEC §2), heard by real phones: client, operator and supervisor are
// baresip parties, each sending its own tone and recording what it hears. The server runs
// in-process (the same Runtime `serve` uses) on its own control-loop thread; the test joins the
// supervisor through the monitor service on that loop, switches listen → whisper → barge →
// listen, lets the supervisor hang up, and judges every party's recording phase by phase
// (present > −30 dBFS, absent < −50 dBFS in every 0.25 s block, 0.5 s guards at phase edges).
#include "../unit/common/temp_dir.hpp"
#include "app/runtime.hpp"
#include "support/baresip.hpp"
#include "support/heard.hpp"
#include "support/in_process.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <thread>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;
using center::MonitorMode;

constexpr double client_hz = test::tone_a_hz;     // 443
constexpr double operator_hz = test::tone_b_hz;   // 1061
constexpr double supervisor_hz = test::tone_c_hz; // 1777
constexpr double phase_s = 3.0;

// Where each party's recording stood when a phase began (recording positions, not wall time).
struct Marks {
    double client{0}, op{0}, supervisor{0};
};

class MonitorAudioTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.call([this] {
            auto& s = runtime().services();
            const auto account = s.store->accounts().list().front();
            const auto olga =
                s.directory.create_user(center::system_actor("test"), account.id,
                                        center::NewUser{"Olga", "olga", center::Role::operator_,
                                                        "olga-password", "", "olga-sip-secret"});
            const auto sales =
                s.directory.create_project(center::system_actor("test"), account.id, "Sales", {});
            s.directory.add_operator(center::system_actor("test"), sales.id, olga.id);
            s.features.connect(center::system_actor("test"), account.id,
                               center::Feature::whisper_listen);
            s.directory.create_user(center::system_actor("test"), account.id,
                                    center::NewUser{"Anna", "anna", center::Role::administrator,
                                                    "anna-password", "", "anna-sip-secret"});
        });
        sip_host = "127.0.0.1:" + std::to_string(server.sip_port());
    }

    app::Runtime& runtime() { return server.runtime(); }

    // The operator's and the supervisor's phones (auto-answering), registered.
    void register_phones() {
        op = std::make_unique<BaresipParty>(party("operator", "127.0.0.1", operator_hz,
                                                  {.aor = "sip:olga@" + sip_host,
                                                   .auth_pass = "olga-sip-secret",
                                                   .regint = 600,
                                                   .auto_answer = true}));
        sup = std::make_unique<BaresipParty>(party("supervisor", "127.0.0.1", supervisor_hz,
                                                   {.aor = "sip:admin@" + sip_host,
                                                    .auth_pass = "admin-sip-secret",
                                                    .regint = 600,
                                                    .auto_answer = true}));
        ASSERT_TRUE(op->wait_registered(30s)) << op->log();
        ASSERT_TRUE(sup->wait_registered(30s)) << sup->log();
    }
    std::unique_ptr<BaresipParty> client_phone() {
        return std::make_unique<BaresipParty>(party(
            "client", "127.0.0.2", client_hz, {.aor = "sip:+74951112233@127.0.0.2", .regint = 0}));
    }

    BaresipOptions party(const std::string& name, const std::string& ip, double tone,
                         BaresipAccount account) {
        return BaresipOptions{
            .name = name, .ip = ip, .tone_hz = tone, .account = std::move(account)};
    }

    static double position(BaresipParty& p) { return p.heard().seconds(); }

    // Lets every party record `phase_s` more seconds from now.
    void play_phase(BaresipParty& c, BaresipParty& o, BaresipParty* s) {
        const Marks start{position(c), position(o), s ? position(*s) : 0};
        ASSERT_TRUE(c.wait_heard_seconds(start.client + phase_s, 30s)) << c.log();
        ASSERT_TRUE(o.wait_heard_seconds(start.op + phase_s, 30s)) << o.log();
        if (s) {
            ASSERT_TRUE(s->wait_heard_seconds(start.supervisor + phase_s, 30s)) << s->log();
        }
    }

    center::MonitorSession call_on_loop(const std::function<center::MonitorSession()>& f) {
        return server.call(f);
    }

    test::TempDir dir;
    InProcessServer server{in_process_config(dir.path(), 5060)};
    std::string sip_host;
    std::unique_ptr<BaresipParty> op, sup;
};

TEST_F(MonitorAudioTest, ListenWhisperBargeAsTheTableSaysAndTheCallSurvivesTheSupervisor) {
    ASSERT_NO_FATAL_FAILURE(register_phones());
    auto& op = *this->op;
    auto& sup = *this->sup;
    auto client_owner = client_phone();
    auto& client = *client_owner;

    ASSERT_TRUE(client.dial("sip:74950000001@" + sip_host)) << client.log();
    ASSERT_TRUE(op.wait_call_established(30s)) << op.log();
    ASSERT_TRUE(client.wait_call_established(30s)) << client.log();
    ASSERT_TRUE(client.wait_heard_seconds(phase_s, 30s));
    ASSERT_TRUE(op.wait_heard_seconds(phase_s, 30s));

    const auto [admin, call_id] = server.call([this] {
        auto& s = runtime().services();
        store::CallQuery q{s.store->accounts().list().front().id};
        q.active_only = true;
        return std::pair{*s.store->users().find_by_login("admin"),
                         s.store->calls().query(q).front().id};
    });

    // Listen: the supervisor joins; nobody hears them.
    const Marks listen{position(client), position(op), 0};
    const auto session = call_on_loop(
        [&] { return runtime().monitor().start(admin, call_id, MonitorMode::listen); });
    ASSERT_TRUE(sup.wait_call_established(30s)) << sup.log();
    ASSERT_TRUE(sup.wait_heard_seconds(0.2, 30s)) << sup.log();
    // A second supervisor is refused while the first is joined, and told who it is.
    const auto second = server.call([this, call = call_id] {
        auto& s = runtime().services();
        try {
            runtime().monitor().start(*s.store->users().find_by_login("anna"), call,
                                      MonitorMode::whisper);
            return std::string("accepted");
        } catch (const core::Error& e) {
            return std::string(core::to_string(e.code())) + ": " + e.what();
        }
    });
    EXPECT_EQ(second.rfind("already_monitored: Owner", 0), 0u) << second;
    const Marks listen_s{position(client), position(op), position(sup)};
    play_phase(client, op, &sup);

    const auto switch_to = [&](MonitorMode mode) {
        const Marks m{position(client), position(op), position(sup)};
        call_on_loop([&] { return runtime().monitor().switch_mode(admin, session.id, mode); });
        play_phase(client, op, &sup);
        return m;
    };
    const Marks whisper = switch_to(MonitorMode::whisper);
    const Marks barge = switch_to(MonitorMode::barge);
    const Marks back_to_listen = switch_to(MonitorMode::listen);

    // The supervisor hangs up: the call goes on, as before the join.
    const Marks left{position(client), position(op), position(sup)};
    ASSERT_TRUE(sup.hangup());
    ASSERT_TRUE(sup.wait_call_closed(20s)) << sup.log();
    play_phase(client, op, nullptr);
    const Marks end{position(client), position(op), 0};
    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(op.wait_call_closed(20s)) << op.log();

    const auto c = client.heard();
    const auto o = op.heard();
    const auto s = sup.heard();
    // Before the join: the two parties only.
    expect_heard("client before the join", c, 0.3, listen.client,
                 {{operator_hz, true}, {client_hz, false}, {supervisor_hz, false}});
    // listen
    expect_heard("client in listen", c, listen_s.client, whisper.client,
                 {{operator_hz, true}, {supervisor_hz, false}, {client_hz, false}});
    expect_heard("operator in listen", o, listen_s.op, whisper.op,
                 {{client_hz, true}, {supervisor_hz, false}, {operator_hz, false}});
    expect_heard("supervisor in listen", s, 0.0, whisper.supervisor,
                 {{client_hz, true}, {operator_hz, true}, {supervisor_hz, false}});
    // whisper
    expect_heard("client in whisper", c, whisper.client, barge.client,
                 {{operator_hz, true}, {supervisor_hz, false}, {client_hz, false}});
    expect_heard("operator in whisper", o, whisper.op, barge.op,
                 {{client_hz, true}, {supervisor_hz, true}, {operator_hz, false}});
    expect_heard("supervisor in whisper", s, whisper.supervisor, barge.supervisor,
                 {{client_hz, true}, {operator_hz, true}, {supervisor_hz, false}});
    // barge
    expect_heard("client in barge", c, barge.client, back_to_listen.client,
                 {{operator_hz, true}, {supervisor_hz, true}, {client_hz, false}});
    expect_heard("operator in barge", o, barge.op, back_to_listen.op,
                 {{client_hz, true}, {supervisor_hz, true}, {operator_hz, false}});
    expect_heard("supervisor in barge", s, barge.supervisor, back_to_listen.supervisor,
                 {{client_hz, true}, {operator_hz, true}, {supervisor_hz, false}});
    // back to listen
    expect_heard("client back in listen", c, back_to_listen.client, left.client,
                 {{operator_hz, true}, {supervisor_hz, false}});
    expect_heard("operator back in listen", o, back_to_listen.op, left.op,
                 {{client_hz, true}, {supervisor_hz, false}});
    // after the supervisor left
    expect_heard("client after the supervisor left", c, left.client, end.client,
                 {{operator_hz, true}, {supervisor_hz, false}});
    expect_heard("operator after the supervisor left", o, left.op, end.op,
                 {{client_hz, true}, {supervisor_hz, false}});

    const auto stored = server.call(
        [&] { return *runtime().services().store->monitor_sessions().find(session.id); });
    EXPECT_FALSE(stored.open());
    EXPECT_EQ(stored.end_reason, "supervisor_hangup");
    EXPECT_EQ(stored.modes.size(), 4u);

    // /metrics counted the parties' RTP (the engine's leg statistics, polled every 5 s).
    const auto text = runtime().metrics().render();
    const std::string name = "suflyor_rtp_packets_received_total ";
    const auto at = text.find("\n" + name);
    ASSERT_NE(at, std::string::npos) << text;
    EXPECT_GT(std::stod(text.substr(at + 1 + name.size())), 500.0) << text;
}

// "Re-join the same employee" armed while she is idle joins her next call by itself; when that
// call ends, the supervisor's phone is released and the session closes with reason call_ended.
TEST_F(MonitorAudioTest, AFollowJoinsTheNextCallAndTheCallsEndReleasesTheSupervisor) {
    ASSERT_NO_FATAL_FAILURE(register_phones());
    auto& op = *this->op;
    auto& sup = *this->sup;

    const auto armed = server.call([this] {
        auto& s = runtime().services();
        const auto admin = *s.store->users().find_by_login("admin");
        const auto olga = *s.store->users().find_by_login("olga");
        return !runtime().monitor().follow_next(admin, olga.id, MonitorMode::listen) &&
               runtime().monitor().following(olga.id);
    });
    ASSERT_TRUE(armed) << "olga is idle: the follow must be armed, not joined";

    auto client_owner = client_phone();
    auto& client = *client_owner;
    ASSERT_TRUE(client.dial("sip:74950000001@" + sip_host)) << client.log();
    ASSERT_TRUE(op.wait_call_established(30s)) << op.log();
    ASSERT_TRUE(sup.wait_call_established(30s)) << "the follow did not fire\n" << sup.log();
    play_phase(client, op, &sup);
    const auto s = sup.heard();
    expect_heard("supervisor joined by the follow", s, 0.5, s.seconds(),
                 {{client_hz, true}, {operator_hz, true}, {supervisor_hz, false}});

    ASSERT_TRUE(client.hangup());
    ASSERT_TRUE(op.wait_call_closed(20s)) << op.log();
    ASSERT_TRUE(sup.wait_call_closed(20s)) << "the supervisor was not released\n" << sup.log();
    const auto sessions = server.call([this] {
        auto& store = *runtime().services().store;
        store::CallQuery q{store.accounts().list().front().id};
        const auto call = store.calls().query(q).front();
        return std::pair{call, store.monitor_sessions().list_for_call(call.id)};
    });
    EXPECT_EQ(sessions.first.state, center::CallState::ended);
    ASSERT_EQ(sessions.second.size(), 1u);
    EXPECT_FALSE(sessions.second.front().open());
    EXPECT_EQ(sessions.second.front().end_reason, "call_ended");
}

} // namespace
} // namespace suflyor::e2e
