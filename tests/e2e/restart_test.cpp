// The server stopped during a call — killed (kill -9) or told to stop (SIGTERM) — and started again
// on the same data directory: the interrupted call is ended with the right reason and an end time,
// its recording is a complete WAV, the operator is offline until her phone registers again and is
// then routable: the next call to the DID is answered. A SIGTERM also hangs both sides up (BYE).
#include "store/store.hpp"
#include "support/baresip.hpp"
#include "support/server.hpp"
#include "support/sipp_phones.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

std::uint32_t le32(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
}

// A complete WAV: the RIFF size and the data chunk's size agree with the file's length (a file
// cut off by a crash has the sizes of its header still unwritten).
::testing::AssertionResult complete_wav(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (bytes.size() < 44 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0)
        return ::testing::AssertionFailure()
               << path << ": not a WAV (" << bytes.size() << " bytes)";
    if (le32(bytes, 4) != bytes.size() - 8)
        return ::testing::AssertionFailure()
               << path << ": RIFF size " << le32(bytes, 4) << ", file " << bytes.size();
    for (std::size_t at = 12; at + 8 <= bytes.size();) {
        const auto size = le32(bytes, at + 4);
        if (bytes.compare(at, 4, "data") == 0) {
            if (size != bytes.size() - at - 8)
                return ::testing::AssertionFailure() << path << ": data size " << size << ", "
                                                     << bytes.size() - at - 8 << " bytes follow";
            if (size == 0) return ::testing::AssertionFailure() << path << ": no audio";
            return ::testing::AssertionSuccess();
        }
        at += 8 + size + (size & 1);
    }
    return ::testing::AssertionFailure() << path << ": no data chunk";
}

class RestartTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
        server.add_project_operator("olga");
    }

    std::unique_ptr<store::Store> open_store() {
        return store::open_sqlite(store::SqliteOptions{server.dir() / "suflyor.db"});
    }
    std::vector<center::Call> calls() {
        return open_store()->calls().query(store::CallQuery{center::AccountId{1}});
    }
    center::Presence olga_presence() {
        return open_store()->users().find_by_login("olga")->presence;
    }

    // Registers olga's phone from a fresh port and leaves a sipp answering calls there.
    std::unique_ptr<Process> olga_phone(const std::string& scenario) {
        const int port = free_port(SOCK_DGRAM);
        std::string out;
        EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                           {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, out,
                           "127.0.0.1", port),
                  0)
            << out;
        auto phone =
            std::make_unique<Process>(sipp_command(scenario, 0, {"-s", "olga"}, "127.0.0.1", port));
        EXPECT_TRUE(wait_udp_bound(port, 5s));
        return phone;
    }

    // Polls the store (written by the server's loop) until `done` holds for its calls.
    template <class Done> std::vector<center::Call> wait_calls(Done done) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        for (;;) {
            auto all = calls();
            if (done(all) || std::chrono::steady_clock::now() >= deadline) return all;
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 50ms);
        }
    }

    // A DID call answered by olga's baresip (it says a tone, so the recording fills) and talking,
    // its recording under way; the client is a sipp that waits for the BYE.
    std::unique_ptr<Process> call_in_progress(std::unique_ptr<BaresipParty>& olga) {
        olga = std::make_unique<BaresipParty>(
            auto_answer_phone("olga", server.sip_udp_port(), "olga", "olga-sip-secret", 1061));
        EXPECT_TRUE(olga->wait_registered(30s)) << olga->log();
        auto client = trunk_client_call(server);
        EXPECT_TRUE(olga->wait_call_established(30s)) << olga->log();
        const auto all = wait_calls([](const auto& all) {
            return all.size() == 1 && all.front().state == center::CallState::talking &&
                   !all.front().recording_path.empty() &&
                   std::filesystem::exists(all.front().recording_path) &&
                   std::filesystem::file_size(all.front().recording_path) > 16000;
        });
        EXPECT_EQ(all.size(), 1u) << server.process().err();
        if (!all.empty()) {
            EXPECT_EQ(all.front().state, center::CallState::talking);
        }
        return client;
    }

    // After the restart: olga is offline until she registers, then available, and the next DID
    // call is answered by her (not refused with no_operator).
    void next_call_is_answered() {
        EXPECT_EQ(olga_presence(), center::Presence::offline);
        auto phone = olga_phone("operator_answer.xml");
        const auto deadline = std::chrono::steady_clock::now() + 5s; // written after the 200
        while (olga_presence() != center::Presence::available &&
               std::chrono::steady_clock::now() < deadline)
            server.process().wait_for_output(
                [](const std::string&, const std::string&) { return false; }, 20ms);
        EXPECT_EQ(olga_presence(), center::Presence::available);
        std::string log;
        EXPECT_EQ(run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log,
                           "127.0.0.2"),
                  0)
            << log << server.process().err();
        EXPECT_EQ(phone->wait(30s), 0) << phone->out() << phone->err();
        const auto all = calls();
        ASSERT_EQ(all.size(), 2u);
        EXPECT_TRUE(all.front().answered_at.has_value()); // newest first
        EXPECT_EQ(all.front().end_reason, "client_hangup");
    }

    Server server{SUFLYOR_BINARY, provider_trunk_config()};
};

TEST_F(RestartTest, ACallCutByKillMinus9IsEndedAtRestartAndTheOperatorTakesCallsAgain) {
    std::unique_ptr<BaresipParty> olga;
    auto client = call_in_progress(olga);
    server.process().signal(SIGKILL);
    ASSERT_EQ(server.process().wait(10s), 128 + SIGKILL);
    const auto killed_at = std::chrono::system_clock::now();

    server.start(); // the same configuration, database and recordings
    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    const auto& call = all.front();
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "server_restart");
    ASSERT_TRUE(call.ended_at.has_value());
    ASSERT_TRUE(call.answered_at.has_value());
    EXPECT_GE(*call.ended_at, *call.answered_at);
    // Dated by the last sign of life (the recording's last write, or the heartbeat): before the
    // kill, and not long before it.
    EXPECT_LE(*call.ended_at, killed_at);
    EXPECT_GE(*call.ended_at, killed_at - 6s)
        << "ended " << core::to_unix_ms(*call.ended_at) << ", killed "
        << std::chrono::duration_cast<std::chrono::milliseconds>(killed_at.time_since_epoch())
               .count();
    EXPECT_TRUE(server.process().wait_for_stderr("ended (server_restart)", 1s));
    EXPECT_TRUE(complete_wav(call.recording_path)); // repaired at start-up
    next_call_is_answered();
}

TEST_F(RestartTest, SigtermHangsUpBothSidesRecordsTheShutdownAndTheOperatorTakesCallsAgain) {
    std::unique_ptr<BaresipParty> olga;
    auto client = call_in_progress(olga);
    const auto stopped_at = std::chrono::system_clock::now();
    server.process().signal(SIGTERM);
    EXPECT_EQ(server.process().wait(15s), 0) << server.process().err();
    // Both sides received a BYE: the client's sipp answered it (its scenario ends with it), and
    // olga's baresip closed the call.
    EXPECT_EQ(client->wait(10s), 0) << client->out() << client->err();
    EXPECT_TRUE(olga->wait_call_closed(10s)) << olga->log();
    EXPECT_NE(server.process().err().find("1 call(s) hung up (server_shutdown)"), std::string::npos)
        << server.process().err();

    const auto all = calls();
    ASSERT_EQ(all.size(), 1u);
    const auto& call = all.front();
    EXPECT_EQ(call.state, center::CallState::ended);
    EXPECT_EQ(call.end_reason, "server_shutdown");
    ASSERT_TRUE(call.ended_at.has_value());
    EXPECT_GE(*call.ended_at, stopped_at - 1s);
    EXPECT_TRUE(complete_wav(call.recording_path));

    server.start();
    EXPECT_EQ(calls().front().end_reason, "server_shutdown"); // not touched by the restart
    next_call_is_answered();
}

} // namespace
} // namespace suflyor::e2e
