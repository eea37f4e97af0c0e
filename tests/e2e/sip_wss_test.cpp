// SIP over secure WebSocket when a certificate is configured: a real TLS client (openssl
// s_client) upgrades to WebSocket with the sip sub-protocol, sends a REGISTER in a masked frame
// without Content-Length (RFC 7118 lets the frame delimit the message), and reads the digest
// challenge back in a server frame.
#include "../unit/common/temp_dir.hpp"
#include "support/certificate.hpp"
#include "support/server.hpp"
#include "support/ws_frame.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

TEST(SipWss, RegisterOverSecureWebSocketIsChallenged) {
    test::TempDir certs;
    const auto pem = self_signed_pem(certs.path());
    const int wss_port = free_port(SOCK_STREAM);
    Server server{SUFLYOR_BINARY, "wss_listen = \"127.0.0.1:" + std::to_string(wss_port) +
                                      "\"\ntls_certificate = \"" + pem + "\"\n" + log_config()};
    server.start();
    ASSERT_TRUE(server.process().wait_for_stderr("listening on wss 127.0.0.1:", 5s))
        << server.process().err();

    std::ofstream(certs / "upgrade.txt")
        << "GET /sip HTTP/1.1\r\nHost: localhost:" << wss_port
        << "\r\nOrigin: https://localhost:" << wss_port
        << "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Protocol: sip\r\n\r\n";
    const std::string reg = "REGISTER sip:localhost SIP/2.0\r\n"
                            "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKwss1;rport\r\n"
                            "From: <sip:olga@localhost>;tag=w1\r\nTo: <sip:olga@localhost>\r\n"
                            "Call-ID: wss-test-1\r\nCSeq: 1 REGISTER\r\nContact: "
                            "<sip:k3l9@df7jal23ls0d.invalid;transport=ws>\r\n"
                            "Max-Forwards: 70\r\n\r\n";
    std::ofstream(certs / "frame.bin", std::ios::binary) << test::masked_client_frame(0x81, reg);
    // The frame only after the upgrade's answer (as a browser does), then a moment for the reply
    // (the server keeps the connection open: s_client is stopped by timeout).
    const std::string script =
        "(cat '" + (certs / "upgrade.txt").string() + "'; sleep 1; cat '" +
        (certs / "frame.bin").string() +
        "'; sleep 2) | timeout 6 /usr/bin/openssl s_client -connect 127.0.0.1:" +
        std::to_string(wss_port) + " -quiet -ign_eof 2>/dev/null";
    const auto answer = run_to_end({"/bin/sh", "-c", script}, 30s);
    EXPECT_NE(answer.out.find("HTTP/1.1 101 Switching Protocols"), std::string::npos)
        << answer.out << answer.err;
    EXPECT_NE(answer.out.find("Sec-WebSocket-Protocol: sip"), std::string::npos) << answer.out;
    const auto challenge = answer.out.find("SIP/2.0 401 Unauthorized");
    ASSERT_NE(challenge, std::string::npos) << answer.out << server.process().err();
    // An unmasked text frame carries it.
    ASSERT_GE(challenge, 4u);
    EXPECT_EQ(static_cast<unsigned char>(answer.out[challenge - 4]), 0x81) << answer.out;
    EXPECT_NE(answer.out.find("WWW-Authenticate: Digest realm=\"suflyor.local\""),
              std::string::npos)
        << answer.out;
    EXPECT_NE(answer.out.find("Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKwss1"),
              std::string::npos)
        << answer.out;
}

} // namespace
} // namespace suflyor::e2e
