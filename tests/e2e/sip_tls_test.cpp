// SIP over TLS when a certificate is configured: a REGISTER sent through a real TLS client
// (openssl s_client) is answered with the digest challenge.
#include "../unit/common/temp_dir.hpp"
#include "support/certificate.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

TEST(SipTls, RegisterOverTlsIsChallenged) {
    test::TempDir certs;
    const auto pem = self_signed_pem(certs.path());
    Server server{SUFLYOR_BINARY,
                  "transports = [\"udp\", \"tls\"]\ntls_certificate = \"" + pem + "\"\n"};
    server.start();
    ASSERT_NE(server.sip_tls_port(), 0) << server.process().err();

    const std::string reg = "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                            "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKtls1;rport\r\n"
                            "From: <sip:olga@127.0.0.1>;tag=t1\r\nTo: <sip:olga@127.0.0.1>\r\n"
                            "Call-ID: tls-test-1\r\nCSeq: 1 REGISTER\r\nContact: "
                            "<sip:olga@127.0.0.1:5999;transport=tls>\r\n"
                            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    std::ofstream(certs / "register.txt") << reg;
    // s_client sends the request, then waits a little for the answer before closing.
    const std::string script = "(cat '" + (certs / "register.txt").string() +
                               "'; sleep 2) | /usr/bin/openssl s_client -connect 127.0.0.1:" +
                               std::to_string(server.sip_tls_port()) +
                               " -quiet -ign_eof 2>/dev/null";
    const auto answer = run_to_end({"/bin/sh", "-c", script}, 30s);
    EXPECT_NE(answer.out.find("SIP/2.0 401 Unauthorized"), std::string::npos)
        << answer.out << answer.err;
    EXPECT_NE(answer.out.find("WWW-Authenticate: Digest realm=\"suflyor.local\""),
              std::string::npos)
        << answer.out;
}

} // namespace
} // namespace suflyor::e2e
