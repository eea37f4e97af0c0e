// DTLS-SRTP handshakes in process against a plain OpenSSL DTLS endpoint (the "browser"), in both
// roles: SRTP keys equal on both sides, a wrong fingerprint refused, close_notify, and the
// retransmission timer driven by the caller.
#include "media/webrtc/dtls.hpp"
#include "webrtc_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace suflyor::media::webrtc::test {
namespace {

using namespace std::chrono_literals;
using State = DtlsSession::State;

const Identity& server_identity() {
    static const Identity identity = Identity::generate();
    return identity;
}

// Runs the exchange until neither side has anything left to say (bounded).
void pump(DtlsSession& session, BrowserPeer& browser, core::MonoTime now) {
    std::vector<std::uint8_t> from_browser = browser.step();
    for (int round = 0; round < 20; ++round) {
        if (!from_browser.empty()) session.on_datagram(from_browser, now);
        auto out = std::exchange(session.outgoing(), {});
        if (out.empty() && from_browser.empty()) return;
        from_browser.clear();
        for (const auto& datagram : out) {
            EXPECT_LE(datagram.size(), 1200u);
            auto reply = browser.step(datagram);
            from_browser.insert(from_browser.end(), reply.begin(), reply.end());
        }
    }
}

void expect_keys_match(const DtlsSession& session, const BrowserPeer& browser) {
    ASSERT_TRUE(session.srtp_keys());
    const SrtpKeys ours = *session.srtp_keys();
    const SrtpKeys theirs = browser.keys();
    EXPECT_EQ(ours.profile, theirs.profile);
    EXPECT_EQ(ours.local, theirs.remote);
    EXPECT_EQ(ours.remote, theirs.local);
    EXPECT_NE(ours.local, ours.remote);
    EXPECT_NE(ours.local, SrtpKeys{}.local);
}

TEST(DtlsIdentity, SelfSignedP256WithSha256Fingerprint) {
    const Identity& id = server_identity();
    const std::string& fp = id.fingerprint();
    ASSERT_EQ(fp.size(), 8u + 32 * 3 - 1);
    EXPECT_EQ(fp.substr(0, 8), "sha-256 ");
    for (std::size_t i = 8; i < fp.size(); ++i)
        EXPECT_TRUE((i - 8) % 3 == 2 ? fp[i] == ':' : std::isxdigit(fp[i]) && !std::islower(fp[i]));
    EXPECT_EQ(EVP_PKEY_get_base_id(id.private_key()), EVP_PKEY_EC);
    EXPECT_EQ(X509_check_private_key(id.certificate(), id.private_key()), 1);
    EXPECT_NE(Identity::generate().fingerprint(), fp);
}

TEST(DtlsIdentity, FingerprintMatchingIsStrictButCaseBlind) {
    const Identity& id = server_identity();
    std::string fp = id.fingerprint();
    EXPECT_TRUE(fingerprint_matches(id.certificate(), fp));
    std::string lower = fp;
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(fingerprint_matches(id.certificate(), lower));
    EXPECT_TRUE(fingerprint_matches(id.certificate(), "SHA-256 " + fp.substr(8)));
    EXPECT_TRUE(fingerprint_matches(id.certificate(), "  " + fp + "\r\n"));
    std::string flipped = fp;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    EXPECT_FALSE(fingerprint_matches(id.certificate(), flipped));
    EXPECT_FALSE(fingerprint_matches(id.certificate(), fp.substr(0, fp.size() - 3)));
    EXPECT_FALSE(fingerprint_matches(id.certificate(), fp + ":"));
    EXPECT_FALSE(fingerprint_matches(id.certificate(), "sha-1 " + fp.substr(8)));
    EXPECT_FALSE(fingerprint_matches(id.certificate(), fp.substr(8)));
    EXPECT_FALSE(fingerprint_matches(id.certificate(), ""));
    EXPECT_FALSE(fingerprint_matches(nullptr, fp));
}

TEST(Dtls, ServerRoleHandshakeAgainstOpenSslClient) {
    BrowserPeer browser(/*client=*/true);
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    session.start(core::MonoTime{});
    EXPECT_TRUE(session.outgoing().empty()); // a server waits for the ClientHello
    pump(session, browser, core::MonoTime{});
    ASSERT_EQ(session.state(), State::connected) << session.failure();
    ASSERT_TRUE(browser.connected());
    EXPECT_EQ(browser.peer_fingerprint(), server_identity().fingerprint());
    EXPECT_EQ(session.srtp_keys()->profile, SrtpProfile::aead_aes128_gcm);
    expect_keys_match(session, browser);
    EXPECT_FALSE(session.next_timeout()); // nothing to retransmit once connected
}

TEST(Dtls, ClientRoleHandshakeAgainstOpenSslServer) {
    BrowserPeer browser(/*client=*/false);
    DtlsSession session(server_identity(), DtlsRole::client, browser.fingerprint());
    session.start(core::MonoTime{});
    ASSERT_FALSE(session.outgoing().empty()); // the ClientHello
    EXPECT_TRUE(session.next_timeout());
    pump(session, browser, core::MonoTime{});
    ASSERT_EQ(session.state(), State::connected) << session.failure();
    ASSERT_TRUE(browser.connected());
    expect_keys_match(session, browser);
}

TEST(Dtls, FallsBackToAesCmWhenThePeerOffersOnlyThat) {
    BrowserPeer browser(true, "SRTP_AES128_CM_SHA1_80");
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    pump(session, browser, core::MonoTime{});
    ASSERT_EQ(session.state(), State::connected) << session.failure();
    EXPECT_EQ(session.srtp_keys()->profile, SrtpProfile::aes128_cm_sha1_80);
    expect_keys_match(session, browser);
}

TEST(Dtls, PeerWithoutUseSrtpFails) {
    BrowserPeer browser(true, "SRTP_AES128_CM_SHA1_32"); // a profile we do not offer
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    pump(session, browser, core::MonoTime{});
    EXPECT_NE(session.state(), State::connected);
    EXPECT_FALSE(session.srtp_keys());
}

TEST(Dtls, WrongFingerprintIsRefusedInBothRoles) {
    const Identity impostor = Identity::generate();
    for (const DtlsRole role : {DtlsRole::server, DtlsRole::client}) {
        BrowserPeer browser(role == DtlsRole::server);
        // The SDP said someone else's fingerprint.
        DtlsSession session(server_identity(), role, impostor.fingerprint());
        session.start(core::MonoTime{});
        pump(session, browser, core::MonoTime{});
        EXPECT_EQ(session.state(), State::failed);
        EXPECT_FALSE(session.srtp_keys());
        EXPECT_FALSE(session.failure().empty());
        EXPECT_FALSE(browser.connected() && role == DtlsRole::client);
    }
}

TEST(Dtls, CloseNotifyFromThePeerClosesTheSession) {
    BrowserPeer browser(true);
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    pump(session, browser, core::MonoTime{});
    ASSERT_EQ(session.state(), State::connected);
    const auto alert = browser.close_notify();
    ASSERT_FALSE(alert.empty());
    session.on_datagram(alert, core::MonoTime{});
    EXPECT_EQ(session.state(), State::closed);
    EXPECT_FALSE(session.srtp_keys());
    // ...answered with our own close_notify.
    ASSERT_EQ(session.outgoing().size(), 1u);
    browser.step(session.outgoing().front());
    EXPECT_TRUE(browser.received_close_notify());
}

TEST(Dtls, OurCloseSendsCloseNotify) {
    BrowserPeer browser(true);
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    pump(session, browser, core::MonoTime{});
    ASSERT_EQ(session.state(), State::connected);
    session.close();
    EXPECT_EQ(session.state(), State::closed);
    ASSERT_EQ(session.outgoing().size(), 1u);
    EXPECT_FALSE(browser.received_close_notify());
    browser.step(session.outgoing().front());
    EXPECT_TRUE(browser.received_close_notify());
}

TEST(Dtls, GarbageDuringTheHandshakeIsIgnored) {
    BrowserPeer browser(true);
    DtlsSession session(server_identity(), DtlsRole::server, browser.fingerprint());
    const std::vector<std::uint8_t> junk{22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3};
    session.on_datagram(junk, core::MonoTime{});
    EXPECT_EQ(session.state(), State::handshaking);
    pump(session, browser, core::MonoTime{});
    EXPECT_EQ(session.state(), State::connected) << session.failure();
}

TEST(Dtls, LostFlightIsRetransmittedWhenTheCallerTicks) {
    // OpenSSL 3.0 reads the real clock for its retransmission timer; the injected time decides
    // when we ask. A 20 ms first timeout keeps the real wait short (OpenSSL treats anything
    // under 15 ms as already expired).
    BrowserPeer browser(false);
    DtlsSession session(server_identity(), DtlsRole::client, browser.fingerprint(),
                        {.initial_timeout = 20ms});
    core::MonoTime now{};
    session.start(now);
    ASSERT_EQ(session.outgoing().size(), 1u);
    const auto hello = std::exchange(session.outgoing(), {}); // lost on the way
    ASSERT_TRUE(session.next_timeout());
    session.on_tick(now); // not due yet on the injected clock: nothing happens
    EXPECT_TRUE(session.outgoing().empty());
    for (int i = 0; i < 200 && session.outgoing().empty(); ++i) {
        std::this_thread::sleep_for(1ms);
        now += 1s;
        session.on_tick(now);
    }
    ASSERT_EQ(session.outgoing().size(), 1u);
    const auto& again = session.outgoing().front();
    // The same ClientHello in a new record: handshake content type, client_hello message.
    ASSERT_GT(again.size(), 13u);
    EXPECT_EQ(again[0], 22);
    EXPECT_EQ(again[13], 1);
    EXPECT_EQ(again.size(), hello.front().size());
    pump(session, browser, now);
    EXPECT_EQ(session.state(), State::connected) << session.failure();
}

} // namespace
} // namespace suflyor::media::webrtc::test
