// The SRTP data path of a Transport adds no allocation of its own per packet: malloc is
// interposed in this test binary (glibc's __libc_* entry points) and counts while armed, and the
// count for 100 packets each way through the Transport must equal that of bare libsrtp2 sessions.
// (Debian's libsrtp2 is built on NSS, which itself allocates a context per packet: 5 per
// protect or unprotect with AES-GCM, 14 with AES-CM + HMAC-SHA1.) Skipped under AddressSanitizer,
// which owns malloc itself.
#include "media/webrtc/transport.hpp"
#include "webrtc_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#define SUFLYOR_NO_MALLOC_INTERPOSE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SUFLYOR_NO_MALLOC_INTERPOSE 1
#endif
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
} // namespace

#ifndef SUFLYOR_NO_MALLOC_INTERPOSE
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);

void* malloc(std::size_t size) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
    return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t size) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
    return __libc_realloc(p, size);
}
}
#endif

namespace suflyor::media::webrtc::test {
namespace {

TEST(TransportSrtpPath, AddsNoAllocationToLibsrtp) {
#ifdef SUFLYOR_NO_MALLOC_INTERPOSE
    GTEST_SKIP() << "malloc belongs to the sanitizer";
#endif
    static const Identity ours = Identity::generate();
    BrowserPeer browser(true);
    Transport transport(ours, TransportParams{"Sufl", "serverpassword123456789", "Brow", "x",
                                              DtlsRole::server, browser.fingerprint()});
    RecordingSink sink;
    const sockaddr_in from = address("192.0.2.10", 50000);
    std::vector<std::uint8_t> buffer(1500);
    auto feed = [&](const std::vector<std::uint8_t>& bytes) {
        std::copy(bytes.begin(), bytes.end(), buffer.begin());
        std::size_t len = bytes.size();
        return transport.on_datagram(buffer, len, from, core::MonoTime{}, sink);
    };
    feed(binding_request("Sufl:Brow", "serverpassword123456789", true));
    auto reply = browser.step();
    for (int i = 0; i < 10 && !reply.empty(); ++i) {
        feed(reply);
        reply.clear();
        for (const auto& s : sink.take()) {
            const auto r = browser.step(s.bytes);
            reply.insert(reply.end(), r.begin(), r.end());
        }
    }
    ASSERT_TRUE(transport.media_ready());
    const SrtpKeys keys = browser.keys();
    SrtpSession browser_out(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);

    // Pre-protect the browser's packets (its allocations are not ours to count).
    std::vector<std::vector<std::uint8_t>> wire;
    for (std::uint16_t seq = 0; seq < 101; ++seq) {
        std::vector<std::uint8_t> p(172 + max_srtp_overhead, 0x33);
        p[0] = 0x80, p[1] = 111, p[2] = static_cast<std::uint8_t>(seq >> 8);
        p[3] = static_cast<std::uint8_t>(seq), p[11] = 7;
        std::size_t len = 172;
        ASSERT_EQ(browser_out.protect_rtp(p, len), SrtpResult::ok);
        p.resize(len);
        wire.push_back(std::move(p));
    }
    std::vector<std::uint8_t> out(172 + max_srtp_overhead, 0x44);
    out[0] = 0x80, out[1] = 0, out[2] = 0, out[3] = 0, out[11] = 9; // sequence 0
    // The first packet of each SSRC creates libsrtp2's stream: not per packet.
    ASSERT_EQ(feed(wire[0]), Received::rtp);
    std::size_t out_len = 172;
    ASSERT_TRUE(transport.protect_rtp(out, out_len));

    allocations = 0;
    counting = true;
    bool all_ok = true;
    for (std::uint16_t i = 1; i < 101; ++i) {
        std::copy(wire[i].begin(), wire[i].end(), buffer.begin());
        std::size_t len = wire[i].size();
        const bool in_ok =
            transport.on_datagram(buffer, len, from, core::MonoTime{}, sink) == Received::rtp;
        out[3] = static_cast<std::uint8_t>(i);
        out_len = 172;
        const bool out_ok = transport.protect_rtp(out, out_len);
        all_ok &= in_ok && out_ok;
    }
    counting = false;
    const long transport_allocations = allocations.load();
    EXPECT_TRUE(all_ok);

    // The same 100 protect + 100 unprotect on bare libsrtp2 sessions of the same profile.
    std::vector<std::uint8_t> key(srtp_key_salt_size(keys.profile), 5);
    SrtpSession bare_out(keys.profile, key, SrtpSession::Direction::outbound);
    SrtpSession bare_in(keys.profile, key, SrtpSession::Direction::inbound);
    std::vector<std::uint8_t> p(172 + max_srtp_overhead, 0x55);
    p[0] = 0x80, p[2] = 0, p[11] = 3;
    allocations = 0;
    for (std::uint16_t i = 0; i < 101; ++i) {
        if (i == 1) counting = true; // after the stream exists
        p[3] = static_cast<std::uint8_t>(i);
        std::size_t len = 172;
        ASSERT_EQ(bare_out.protect_rtp(p, len), SrtpResult::ok);
        ASSERT_EQ(bare_in.unprotect_rtp(p, len), SrtpResult::ok);
    }
    counting = false;
    const long library_allocations = allocations.load();
    std::printf("[ allocs   ] per 100 packets each way: Transport %ld, bare libsrtp2 %ld\n",
                transport_allocations, library_allocations);
    // Our code adds nothing; what remains is inside libsrtp2 (Debian builds it on NSS, which
    // creates a cipher/HMAC context per packet).
    EXPECT_EQ(transport_allocations, library_allocations);
}

} // namespace
} // namespace suflyor::media::webrtc::test
