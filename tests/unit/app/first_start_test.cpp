// The first start tells where phones and browsers reach the server, and warns when only this
// machine can (the keys to set for the LAN).
#include "app/first_start.hpp"

#include <gtest/gtest.h>

namespace suflyor::app {
namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(FirstStart, LoopbackHosts) {
    for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost"})
        EXPECT_TRUE(is_loopback_host(host)) << host;
    for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.5", "fe80::1"})
        EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(FirstStart, TheDefaultsNameTheSipServerAndWarnThatItIsLoopbackOnly) {
    const auto text = endpoints_message(Endpoints{"127.0.0.1",
                                                  {{"udp", 5060}, {"tcp", 5060}, {"tls", 0}},
                                                  "",
                                                  "127.0.0.1",
                                                  8080,
                                                  "127.0.0.1"});
    EXPECT_TRUE(has(text, "Web:           http://127.0.0.1:8080/")) << text;
    EXPECT_TRUE(has(text, "SIP server:    127.0.0.1:5060 (udp, tcp)\n")) << text;
    EXPECT_TRUE(has(text, "Browser phone: off ([sip] ws_listen)")) << text;
    EXPECT_TRUE(has(text, "Note: loopback only: [sip] listen, [media] advertised_address, [http] "
                          "listen.\n"))
        << text;
    EXPECT_TRUE(has(text, "Phones and browsers on other machines cannot reach this server."))
        << text;
    EXPECT_TRUE(has(text, "[media] bind_address and advertised_address")) << text;
    EXPECT_TRUE(has(text, "\"Listening on the LAN\"")) << text;
}

TEST(FirstStart, ALanSetUpListsEveryTransportAndNoWarning) {
    const auto text = endpoints_message(Endpoints{"192.168.1.10",
                                                  {{"udp", 5060}, {"tcp", 5060}, {"tls", 5061}},
                                                  "ws://192.168.1.10:5066",
                                                  "0.0.0.0",
                                                  8080,
                                                  "192.168.1.10"});
    EXPECT_TRUE(has(text, "SIP server:    192.168.1.10:5060 (udp, tcp), 192.168.1.10:5061 (tls)\n"))
        << text;
    EXPECT_TRUE(has(text, "Browser phone: ws://192.168.1.10:5066")) << text;
    EXPECT_FALSE(has(text, "loopback")) << text;
}

TEST(FirstStart, OnlyTheMediaAddressLeftOnLoopbackIsNamed) {
    const auto text =
        endpoints_message(Endpoints{"::", {{"udp", 5060}}, "", "192.168.1.10", 80, "127.0.0.1"});
    EXPECT_TRUE(has(text, "SIP server:    [::]:5060 (udp)")) << text;
    EXPECT_TRUE(has(text, "every address of this machine")) << text;
    EXPECT_TRUE(has(text, "Note: loopback only: [media] advertised_address.\n")) << text;
}

} // namespace
} // namespace suflyor::app
