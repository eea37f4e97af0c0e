// A trunk with `register = true` registers at its provider and answers the provider's digest
// challenge with the trunk's credentials (checked by sipp's verifyauth).
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

TEST(SipTrunkRegister, TrunkRegistersWithDigestAtTheProvider) {
    const int provider_port = free_port(SOCK_DGRAM);
    Process registrar(
        sipp_command("provider_registrar.xml", 0, {"-s", "trunkuser"}, "127.0.0.2", provider_port));
    ASSERT_TRUE(wait_udp_bound(provider_port, 5s, "127.0.0.2"));
    Server server{SUFLYOR_BINARY, "[[trunks]]\nname = \"provider\"\npeer = \"127.0.0.2:" +
                                      std::to_string(provider_port) +
                                      "\"\nsources = [\"127.0.0.2\"]\nregister = true\n"
                                      "username = \"trunkuser\"\npassword = \"trunk-secret\"\n"};
    server.start();
    EXPECT_EQ(registrar.wait(30s), 0) << registrar.out() << registrar.err();
    EXPECT_TRUE(server.process().wait_for_stderr("trunk provider registration ok", 10s))
        << server.process().err();
}

} // namespace
} // namespace suflyor::e2e
