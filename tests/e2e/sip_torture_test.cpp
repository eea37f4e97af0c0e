// RFC 4475 / RFC 5118 torture messages and the PROTOS c07 INVITE cases, sent over UDP to the real
// server: each is answered as the RFC expects (or dropped), nothing crashes, and the server still
// registers a phone afterwards. See docs/sip-torture.md for the policy choices.
#include "support/server.hpp"
#include "support/udp_peer.hpp"

#include <gtest/gtest.h>
#include <regex>

#include <fstream>
#include <map>
#include <set>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

const std::string torture_dir = std::string(SUFLYOR_SOURCE_DIR) + "/../shared/sip-torture/";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

enum class Expect { final, drop };
struct Expectation {
    Expect kind;
    std::set<int> statuses; // for `final`: the acceptable final statuses; empty = any final
};

Expectation reject(std::set<int> s) { return {Expect::final, std::move(s)}; }
const Expectation any_final{Expect::final, {}};
const Expectation dropped{Expect::drop, {}};

// RFC 4475 §3 and the corpus README. "Handled normally" requests get some final response: this
// server authenticates every request from a non-trunk source, so for valid requests that is
// usually a 401 challenge (REGISTER/INVITE) — the normal answer of an authenticating server.
const std::map<std::string, Expectation> rfc4475{
    {"wsinv", any_final},
    {"intmeth", any_final},
    {"esc01", any_final},
    {"escnull", any_final},
    {"esc02", any_final},
    {"lwsdisp", any_final},
    {"longreq", any_final},
    {"dblreq", any_final},
    {"semiuri", any_final},
    {"transports", any_final},
    {"mpart01", any_final},
    {"unreason", dropped},
    {"noreason", dropped}, // responses without a transaction
    {"badinv01", reject({400})},
    {"clerr", reject({400})},
    {"ncl", reject({400})},
    {"scalar02", reject({400})},
    {"scalarlg", dropped}, // in this corpus a response (503): dropped
    {"quotbal", reject({400})},
    {"ltgtruri", reject({400})},
    {"lwsruri", reject({400})},
    {"lwsstart", reject({400})},
    {"trws", reject({400})},
    {"escruri", reject({400})},
    {"baddate", reject({400})},
    {"regbadct", reject({400})},
    {"badaspec", reject({400})},
    {"baddn", reject({400})},
    {"mismatch01", reject({400})},
    {"bigcode", dropped},
    {"badvers", reject({505})},
    {"mismatch02", reject({400, 501})},
    {"badbranch", any_final},
    {"insuf", reject({400})},
    {"unkscm", reject({416})},
    {"novelsc", reject({416})},
    {"bext01", reject({420})},
    {"invut", reject({415})},
    {"regaut01", reject({401, 407})},
    {"multi01", reject({400})},
    {"mcl01", reject({400})},
    {"bcast", dropped},
    {"zeromf", any_final},
    {"cparam01", reject({401})},
    {"cparam02", reject({401})},
    {"regescrt", reject({401})},
    {"sdp01", reject({401, 406, 415, 488})},
    {"unksm2", reject({416})},
    {"inv2543", any_final},
};

const std::map<std::string, Expectation> rfc5118{
    {"ipv6-good", any_final},
    {"port-unambiguous", any_final},
    {"via-received-param-with-delim", any_final},
    {"via-received-param-no-delim", any_final},
    {"ipv6-in-sdp", any_final},
    {"mult-ip-in-header", any_final},
    {"mult-ip-in-sdp", any_final},
    {"ipv4-mapped-ipv6", any_final},
    {"ipv6-correct-abnf-2-colons", any_final},
    {"port-ambiguous", any_final},
    {"ipv6-bad", reject({400})},
    {"ipv6-bug-abnf-3-colons", reject({400})},
};

class SipTortureTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        server.add_user("olga", "olga-sip-secret");
    }

    // Sends each message and checks its answer; returns how many matched.
    int run_table(const std::map<std::string, Expectation>& table, const std::string& dir,
                  const std::string& ext) {
        int matched = 0;
        for (const auto& [name, expect] : table) {
            const auto path = torture_dir + dir + "/" + name + ext;
            const auto text = read_file(path);
            EXPECT_FALSE(text.empty()) << "missing " << path;
            UdpPeer peer;
            peer.send_to(server.sip_udp_port(), peer.aim_via_here(text));
            const auto got = peer.statuses(expect.kind == Expect::drop ? 300ms : 3s);
            const int final_status = got.empty() || got.back() < 200 ? 0 : got.back();
            bool ok = false;
            if (expect.kind == Expect::drop)
                ok = got.empty();
            else
                ok = final_status != 0 &&
                     (expect.statuses.empty() || expect.statuses.contains(final_status));
            EXPECT_TRUE(ok) << dir << "/" << name << ": got "
                            << (got.empty() ? std::string("nothing")
                                            : std::to_string(final_status));
            matched += ok ? 1 : 0;
        }
        return matched;
    }

    void expect_still_serving() {
        std::string log;
        EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                           {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, log),
                  0)
            << log;
    }

    Server server{SUFLYOR_BINARY};
};

TEST_F(SipTortureTest, Rfc4475MessagesAreAnsweredAsTheRfcExpects) {
    const int matched = run_table(rfc4475, "rfc4475", ".dat");
    std::cout << "rfc4475: " << matched << " of " << rfc4475.size() << " answered as expected\n";
    EXPECT_EQ(rfc4475.size(), 49u);
    expect_still_serving();
}

TEST_F(SipTortureTest, Rfc5118MessagesAreAnsweredAsTheRfcExpects) {
    const int matched = run_table(rfc5118, "rfc5118", "");
    std::cout << "rfc5118: " << matched << " of " << rfc5118.size() << " answered as expected\n";
    expect_still_serving();
}

} // namespace
} // namespace suflyor::e2e
