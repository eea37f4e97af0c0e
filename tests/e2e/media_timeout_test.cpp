// [media] rtp_timeout_seconds ends a call whose phone stopped sending (frozen: SIGSTOP on the
// operator's baresip) with reason media_timeout and a BYE to both sides — but not a call on hold,
// where a silent phone is expected. The timeout is the configuration's minimum, 5 s.
#include "store/store.hpp"
#include "support/baresip.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

constexpr auto rtp_timeout = 5s;

class MediaTimeoutTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
        olga = std::make_unique<BaresipParty>(
            auto_answer_phone("olga", server.sip_udp_port(), "olga", "olga-sip-secret", 1061));
        olga->drain_while_waiting(server.process());
        ASSERT_TRUE(olga->wait_registered(30s)) << olga->log();
    }

    void TearDown() override {
        if (olga) ::kill(olga->pid(), SIGCONT); // a failed test may have left it frozen
    }

    std::vector<center::Call> calls() {
        auto store = store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
        return store->calls().query(store::CallQuery{center::AccountId{1}});
    }

    std::optional<center::Call> the_call() {
        const auto all = calls();
        if (all.size() != 1) return std::nullopt;
        return all.front();
    }

    // Polls the store until the call is ended or `timeout` passed.
    std::optional<center::Call> wait_ended(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto call = the_call();
            if ((call && call->state == center::CallState::ended) ||
                std::chrono::steady_clock::now() >= deadline)
                return call;
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 100ms);
        }
    }

    // The call's recording (fed by the legs' received audio) holds more than `bytes`.
    bool wait_recorded(std::uintmax_t bytes) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto call = the_call();
            std::error_code ec;
            if (call && !call->recording_path.empty() &&
                std::filesystem::file_size(call->recording_path, ec) > bytes && !ec)
                return true;
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 50ms);
        }
        return false;
    }

    Server server{SUFLYOR_BINARY, provider_trunk_config(), "", "rtp_timeout_seconds = 5"};
    std::unique_ptr<BaresipParty> olga;
};

TEST_F(MediaTimeoutTest, AFrozenPhoneEndsTheCallWithAByeToBothSides) {
    auto caller = trunk_client_call(server);
    Process& client = *caller;
    ASSERT_TRUE(olga->wait_call_established(30s)) << olga->log();
    // olga's phone talks (its RTP reaches the server: the call's recording grows), then freezes:
    // no RTP, no SIP.
    ASSERT_TRUE(wait_recorded(32000)) << server.process().err();
    const auto frozen_at = std::chrono::steady_clock::now();
    ::kill(olga->pid(), SIGSTOP);
    // The client's side is hung up with a BYE (its scenario ends by answering it).
    EXPECT_EQ(client.wait(rtp_timeout + 15s), 0) << client.out() << client.err();
    const auto hung_up_after = std::chrono::steady_clock::now() - frozen_at;
    ::kill(olga->pid(), SIGCONT);

    const auto call = wait_ended(5s);
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->state, center::CallState::ended) << server.process().err();
    EXPECT_EQ(call->end_reason, "media_timeout");
    EXPECT_GE(hung_up_after, rtp_timeout - 1s);
    EXPECT_LE(hung_up_after, rtp_timeout + 4s);
    // The frozen phone gets its BYE too, from the retransmissions once it runs again.
    EXPECT_TRUE(olga->wait_call_closed(20s)) << olga->log();
}

TEST_F(MediaTimeoutTest, ACallOnHoldIsNotEndedByTheMediaTimeout) {
    // The client talks, holds for 10 s, resumes and hangs up (trunk_call_hold_long.xml).
    Process client(sipp_command("trunk_call_hold_long.xml", server.sip_udp_port(),
                                {"-s", "74950000001"}, "127.0.0.2", 0));
    ASSERT_TRUE(olga->wait_call_established(30s)) << olga->log();
    // olga's phone talks first (the leg has had media: its timeout is armed)...
    ASSERT_TRUE(wait_recorded(32000)) << server.process().err();
    // ...then the client holds (re-INVITE sendonly, carried on to olga) and olga's phone is
    // frozen: on hold it is silent whatever it would otherwise do.
    ASSERT_TRUE(server.process().wait_for_stderr("the calling side holds the call", 10s))
        << server.process().err();
    ::kill(olga->pid(), SIGSTOP);
    // Longer than the timeout (checked once a second): the held call stays up.
    const auto window_end = std::chrono::steady_clock::now() + rtp_timeout + 2500ms;
    while (std::chrono::steady_clock::now() < window_end) {
        const auto call = the_call();
        ASSERT_TRUE(call.has_value());
        ASSERT_EQ(call->state, center::CallState::talking) << call->end_reason;
        server.process().wait_for_output(
            [](const std::string&, const std::string&) { return false; }, 200ms);
    }
    // The timeout did fire for the silent leg, and was set aside because of the hold.
    EXPECT_NE(server.process().err().find("silent while the call is on hold: kept"),
              std::string::npos)
        << server.process().err();
    ::kill(olga->pid(), SIGCONT);
    // The client resumes (olga answers the re-INVITE) and hangs up.
    EXPECT_EQ(client.wait(30s), 0) << client.out() << client.err();
    const auto call = wait_ended(5s);
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->end_reason, "client_hangup");
    EXPECT_TRUE(olga->wait_call_closed(10s)) << olga->log();
}

} // namespace
} // namespace suflyor::e2e
