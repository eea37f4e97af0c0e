#include "sipp_phones.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sys/socket.h>
#include <thread>

namespace suflyor::e2e {

using namespace std::chrono_literals;

std::unique_ptr<Process> sipp_phone(Server& server, const std::string& user,
                                    const std::string& secret, const std::string& scenario,
                                    const std::vector<std::string>& extra) {
    const int port = free_port(SOCK_DGRAM);
    std::string out;
    EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                       {"-s", user, "-au", user, "-ap", secret}, out, "127.0.0.1", port),
              0)
        << out;
    std::vector<std::string> args{"-s", user};
    args.insert(args.end(), extra.begin(), extra.end());
    auto phone = std::make_unique<Process>(sipp_command(scenario, 0, args, "127.0.0.1", port));
    EXPECT_TRUE(wait_udp_bound(port, 5s));
    return phone;
}

std::unique_ptr<Process> trunk_client_call(Server& server) {
    return std::make_unique<Process>(sipp_command("trunk_call_wait_bye.xml", server.sip_udp_port(),
                                                  {"-s", "74950000001"}, "127.0.0.2", 0));
}

std::int64_t wait_api_call(const HttpClient& http, const std::string& token,
                           const std::string& state) {
    // 30 s: under a loaded CI machine a sipp phone may take long to answer.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto calls = http.get("/api/v1/calls?state=" + state, token).json()["calls"];
        if (!calls.empty()) return calls[0]["id"];
        std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "no " << state
                  << " call; the calls: " << http.get("/api/v1/calls", token).body;
    return 0;
}

} // namespace suflyor::e2e
