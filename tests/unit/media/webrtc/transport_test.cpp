// The per-leg facade end to end against a "browser" (STUN checks built here, a plain OpenSSL DTLS
// endpoint, libsrtp2 sessions keyed from the browser's own export), and the security rules: bad
// MESSAGE-INTEGRITY selects nothing, DTLS from elsewhere is dropped and cannot disturb the
// session, forged or replayed SRTP is dropped and counted, RTP before the keys is dropped.
#include "media/webrtc/demux.hpp"
#include "media/webrtc/transport.hpp"
#include "webrtc_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <numeric>

namespace suflyor::media::webrtc::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view our_ufrag = "Sufl";
constexpr std::string_view our_pwd = "serverpassword123456789";
constexpr std::string_view browser_ufrag = "Brow";
const std::string username = std::string{our_ufrag} + ":" + std::string{browser_ufrag};

const Identity& server_identity() {
    static const Identity identity = Identity::generate();
    return identity;
}

std::vector<std::uint8_t> rtp_packet(std::uint16_t seq, std::uint8_t pt = 111) {
    std::vector<std::uint8_t> p(12 + 80);
    p[0] = 0x80;
    p[1] = pt;
    p[2] = static_cast<std::uint8_t>(seq >> 8);
    p[3] = static_cast<std::uint8_t>(seq);
    p[8] = 0xCA, p[9] = 0xFE, p[10] = 0xBA, p[11] = 0xBE;
    std::iota(p.begin() + 12, p.end(), static_cast<std::uint8_t>(seq));
    return p;
}

class Leg {
public:
    explicit Leg(DtlsRole our_role, std::string fingerprint_override = {})
        : browser(/*client=*/our_role == DtlsRole::server),
          transport(server_identity(),
                    TransportParams{std::string{our_ufrag}, std::string{our_pwd},
                                    std::string{browser_ufrag}, "browserpassword12345678", our_role,
                                    fingerprint_override.empty() ? browser.fingerprint()
                                                                 : fingerprint_override}) {}

    Received feed(const std::vector<std::uint8_t>& bytes, const sockaddr_in& source) {
        last.assign(2048, 0);
        std::copy(bytes.begin(), bytes.end(), last.begin());
        last_len = bytes.size();
        return transport.on_datagram(last, last_len, source, now, sink);
    }

    Received check(bool use_candidate, std::string_view pwd = our_pwd) {
        return feed(binding_request(username, pwd, use_candidate), from);
    }

    // Delivers everything we sent to the browser's address to the browser and its answers back,
    // until quiet. Returns how many datagrams we sent elsewhere.
    std::size_t exchange() {
        std::size_t elsewhere = 0;
        std::vector<std::uint8_t> reply = browser.step();
        for (int round = 0; round < 20; ++round) {
            if (!reply.empty()) feed(reply, from);
            reply.clear();
            auto sent = sink.take();
            if (sent.empty() && reply.empty()) break;
            for (const auto& s : sent) {
                if (!same_address(s.to, from)) {
                    ++elsewhere;
                    continue;
                }
                if (classify(s.bytes) != PacketKind::dtls) continue;
                const auto r = browser.step(s.bytes);
                reply.insert(reply.end(), r.begin(), r.end());
            }
            if (reply.empty()) break;
        }
        return elsewhere;
    }

    void connect() {
        ASSERT_EQ(check(true), Received::handled);
        exchange();
        ASSERT_TRUE(transport.media_ready()) << transport.dtls().failure();
        ASSERT_TRUE(browser.connected());
        const SrtpKeys keys = browser.keys();
        browser_out.emplace(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);
        browser_in.emplace(keys.profile, keys.remote_key(), SrtpSession::Direction::inbound);
    }

    // A packet the browser protected, as it arrives.
    std::vector<std::uint8_t> from_browser(std::vector<std::uint8_t> plain, bool rtcp = false) {
        std::size_t len = plain.size();
        plain.resize(len + max_srtp_overhead);
        const auto r =
            rtcp ? browser_out->protect_rtcp(plain, len) : browser_out->protect_rtp(plain, len);
        EXPECT_EQ(r, SrtpResult::ok);
        plain.resize(len);
        return plain;
    }

    // Protects through the facade and checks the browser can read it back.
    void expect_we_reach_browser(const std::vector<std::uint8_t>& plain, bool rtcp = false) {
        std::vector<std::uint8_t> buffer(plain.size() + max_srtp_overhead);
        std::copy(plain.begin(), plain.end(), buffer.begin());
        std::size_t len = plain.size();
        ASSERT_TRUE(rtcp ? transport.protect_rtcp(buffer, len)
                         : transport.protect_rtp(buffer, len));
        EXPECT_GT(len, plain.size());
        const auto r =
            rtcp ? browser_in->unprotect_rtcp(buffer, len) : browser_in->unprotect_rtp(buffer, len);
        ASSERT_EQ(r, SrtpResult::ok);
        EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + len), plain);
    }

    void expect_browser_reaches_us(std::uint16_t seq) {
        const auto plain = rtp_packet(seq);
        ASSERT_EQ(feed(from_browser(plain), from), Received::rtp);
        ASSERT_EQ(last_len, plain.size());
        EXPECT_TRUE(std::equal(plain.begin(), plain.end(), last.begin()));
    }

    BrowserPeer browser;
    Transport transport;
    RecordingSink sink;
    sockaddr_in from = address("192.0.2.10", 50000);
    sockaddr_in attacker = address("198.51.100.66", 50000);
    core::MonoTime now{};
    std::vector<std::uint8_t> last;
    std::size_t last_len = 0;
    std::optional<SrtpSession> browser_out, browser_in;
};

TEST(Transport, ServerRoleCallEndToEnd) {
    Leg leg(DtlsRole::server);
    EXPECT_EQ(leg.transport.selected(), nullptr);
    EXPECT_EQ(leg.check(true), Received::handled);
    ASSERT_EQ(leg.sink.sent.size(), 1u);
    const auto response = stun::decode(leg.sink.sent[0].bytes);
    ASSERT_TRUE(response.message);
    EXPECT_EQ(response.message->cls, stun::Class::success);
    EXPECT_TRUE(stun::check_integrity(*response.message, our_pwd));
    ASSERT_NE(leg.transport.selected(), nullptr);
    EXPECT_TRUE(same_address(*leg.transport.selected(), leg.from));
    EXPECT_EQ(leg.exchange(), 0u);
    ASSERT_TRUE(leg.transport.media_ready()) << leg.transport.dtls().failure();
    leg.connect(); // keys for the browser side

    for (std::uint16_t seq = 1; seq <= 5; ++seq) {
        leg.expect_browser_reaches_us(seq);
        leg.expect_we_reach_browser(rtp_packet(static_cast<std::uint16_t>(seq + 1000), 0));
    }
    const std::vector<std::uint8_t> rr{0x81, 201, 0, 7, 1, 2, 3, 4, 0xCA, 0xFE, 0xBA,
                                       0xBE, 0,   0, 0, 0, 0, 0, 0, 0,    0,    0,
                                       0,    0,   0, 0, 0, 0, 0, 0, 0,    0};
    ASSERT_EQ(leg.feed(leg.from_browser(rr, true), leg.from), Received::rtcp);
    EXPECT_EQ(leg.last_len, rr.size());
    leg.expect_we_reach_browser(rr, true);
    EXPECT_EQ(leg.transport.stats().stun_ok, 2u);
    EXPECT_FALSE(leg.transport.failed());
}

TEST(Transport, ClientRoleStartsTheHandshakeOnceNominated) {
    Leg leg(DtlsRole::client);
    EXPECT_EQ(leg.check(false), Received::handled); // validated, not nominated: no DTLS yet
    EXPECT_EQ(leg.sink.take().size(), 1u);
    EXPECT_EQ(leg.check(true), Received::handled);
    const auto sent = leg.sink.sent;
    ASSERT_EQ(sent.size(), 2u); // the success response, then our ClientHello
    EXPECT_EQ(classify(sent[1].bytes), PacketKind::dtls);
    EXPECT_TRUE(same_address(sent[1].to, leg.from));
    leg.sink.sent.erase(leg.sink.sent.begin());
    leg.exchange();
    ASSERT_TRUE(leg.transport.media_ready()) << leg.transport.dtls().failure();
    leg.connect();
    leg.expect_browser_reaches_us(7);
    leg.expect_we_reach_browser(rtp_packet(9));
}

TEST(TransportSecurity, WrongMessageIntegrityIsRefusedAndSelectsNothing) {
    Leg leg(DtlsRole::server);
    EXPECT_EQ(leg.check(true, "someone-elses-password!"), Received::dropped);
    EXPECT_EQ(leg.transport.selected(), nullptr);
    EXPECT_EQ(leg.transport.stats().stun_refused, 1u);
    EXPECT_EQ(leg.transport.stats().stun_ok, 0u);
    ASSERT_EQ(leg.sink.sent.size(), 1u); // a 401, unsigned
    const auto reply = stun::decode(leg.sink.sent[0].bytes);
    ASSERT_TRUE(reply.message && reply.message->error);
    EXPECT_EQ(reply.message->error->code, 401);
    // ...so DTLS from that address is still foreign.
    EXPECT_EQ(leg.feed(leg.browser.step(), leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().dtls_foreign, 1u);
}

TEST(TransportSecurity, ForeignClientHelloIsDroppedAndDoesNotDisturbTheCall) {
    Leg leg(DtlsRole::server);
    leg.connect();
    leg.sink.take();
    // Someone else starts a handshake of their own from another address.
    BrowserPeer intruder(true);
    EXPECT_EQ(leg.feed(intruder.step(), leg.attacker), Received::dropped);
    EXPECT_EQ(leg.transport.stats().dtls_foreign, 1u);
    EXPECT_TRUE(leg.sink.sent.empty()); // not even an alert goes to them
    // And a ClientHello spoofed from the selected address is ignored by the established session.
    BrowserPeer spoofer(true);
    leg.feed(spoofer.step(), leg.from);
    EXPECT_TRUE(leg.transport.media_ready());
    EXPECT_FALSE(leg.transport.failed());
    EXPECT_FALSE(leg.transport.closed());
    leg.expect_browser_reaches_us(42);
    leg.expect_we_reach_browser(rtp_packet(43));
}

TEST(TransportSecurity, ForgedAndReplayedSrtpAreDroppedAndCounted) {
    Leg leg(DtlsRole::server);
    leg.connect();
    auto packet = leg.from_browser(rtp_packet(100));
    auto forged = packet;
    forged.back() ^= 0x01;
    EXPECT_EQ(leg.feed(forged, leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().srtp_auth_failed, 1u);
    EXPECT_EQ(leg.feed(packet, leg.from), Received::rtp);
    EXPECT_EQ(leg.feed(packet, leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().srtp_replayed, 1u);
    // A forged SRTCP too.
    std::vector<std::uint8_t> rr{0x80, 201, 0, 1, 1, 2, 3, 4};
    auto rtcp = leg.from_browser(rr, true);
    rtcp[rtcp.size() - 1] ^= 0x10;
    EXPECT_EQ(leg.feed(rtcp, leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().srtp_auth_failed, 2u);
}

TEST(TransportSecurity, RtpBeforeMediaReadyIsDropped) {
    Leg leg(DtlsRole::server);
    EXPECT_EQ(leg.feed(rtp_packet(1), leg.from), Received::dropped);
    leg.check(true);
    EXPECT_EQ(leg.feed(rtp_packet(2), leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().media_not_ready, 2u);
    std::vector<std::uint8_t> buffer(200);
    std::size_t len = 20;
    EXPECT_FALSE(leg.transport.protect_rtp(buffer, len));
    EXPECT_FALSE(leg.transport.protect_rtcp(buffer, len));
}

TEST(Transport, WrongFingerprintFailsTheTransport) {
    const Identity impostor = Identity::generate();
    Leg leg(DtlsRole::server, impostor.fingerprint());
    leg.check(true);
    leg.exchange();
    EXPECT_TRUE(leg.transport.failed());
    EXPECT_FALSE(leg.transport.media_ready());
    EXPECT_EQ(leg.transport.stats().dtls_failed, 1u);
}

TEST(Transport, ConsentFollowsValidChecksFromTheSelectedAddress) {
    Leg leg(DtlsRole::server);
    EXPECT_FALSE(leg.transport.consent_expired(leg.now + 1h));
    leg.check(true);
    leg.now += 25s;
    leg.check(false);
    EXPECT_FALSE(leg.transport.consent_expired(leg.now + 29s));
    EXPECT_TRUE(leg.transport.consent_expired(leg.now + 30s));
}

TEST(Transport, CloseNotifyEitherWay) {
    Leg leg(DtlsRole::server);
    leg.connect();
    leg.feed(leg.browser.close_notify(), leg.from);
    EXPECT_TRUE(leg.transport.closed());
    EXPECT_FALSE(leg.transport.media_ready());

    Leg other(DtlsRole::server);
    other.connect();
    other.sink.take();
    other.transport.close(other.sink);
    ASSERT_EQ(other.sink.sent.size(), 1u);
    EXPECT_TRUE(same_address(other.sink.sent[0].to, other.from));
    EXPECT_FALSE(other.transport.media_ready());
}

TEST(Transport, TickIsQuietWhenIdleOrConnectedAndUnknownIsCounted) {
    Leg leg(DtlsRole::server);
    leg.transport.on_tick(leg.now + 1h, leg.sink);
    EXPECT_TRUE(leg.sink.sent.empty());
    leg.connect();
    leg.sink.take();
    leg.transport.on_tick(leg.now + 1h, leg.sink);
    EXPECT_TRUE(leg.sink.sent.empty());
    EXPECT_EQ(leg.feed({0x42, 1, 2, 3}, leg.from), Received::dropped);
    EXPECT_EQ(leg.transport.stats().unknown, 1u);
}

} // namespace
} // namespace suflyor::media::webrtc::test
