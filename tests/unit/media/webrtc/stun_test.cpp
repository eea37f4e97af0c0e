// STUN encode/decode against the RFC 5769 test vectors (short-term credentials): each sample is
// decoded, its MESSAGE-INTEGRITY and FINGERPRINT verified, and rebuilt byte for byte; then the
// decoder's bounds on truncated, corrupted and hostile messages.
#include "media/webrtc/stun.hpp"
#include "webrtc_test_support.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace suflyor::media::webrtc::test {
namespace {

using namespace stun;

constexpr std::string_view password = "VOkJxbRl1RmTxUk/WvJxBt";
constexpr TransactionId rfc_id{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                               0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// RFC 5769 §2.1: sample request.
const std::vector<std::uint8_t> sample_request =
    from_hex("000100582112a442b7e7a701bc34d686fa87dfae"
             "802200105354554e207465737420636c69656e74"
             "002400046e0001ff"
             "80290008932ff9b151263b36"
             "000600096576746a3a68367659202020"
             "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
             "80280004e57a3bcf");

// RFC 5769 §2.2: sample IPv4 response.
const std::vector<std::uint8_t> ipv4_response =
    from_hex("0101003c2112a442b7e7a701bc34d686fa87dfae"
             "8022000b7465737420766563746f7220"
             "0020000800 01a147e112a643"
             "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
             "80280004c07d4c96");

// RFC 5769 §2.3: sample IPv6 response.
const std::vector<std::uint8_t> ipv6_response =
    from_hex("010100482112a442b7e7a701bc34d686fa87dfae"
             "8022000b7465737420766563746f7220"
             "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
             "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
             "80280004c8fb0b4c");

Address ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
    Address addr;
    addr.ip = {a, b, c, d};
    addr.port = port;
    return addr;
}

const Address rfc_ipv6 = [] {
    Address a;
    a.ipv6 = true;
    const auto bytes = from_hex("20010db8123456780011223344556677");
    std::copy(bytes.begin(), bytes.end(), a.ip.begin());
    a.port = 32853;
    return a;
}();

TEST(Stun, Rfc5769SampleRequestDecodesAndVerifies) {
    const Decoded d = decode(sample_request);
    ASSERT_TRUE(d.message);
    const Message& m = *d.message;
    EXPECT_EQ(m.method, binding);
    EXPECT_EQ(m.cls, Class::request);
    EXPECT_EQ(m.transaction, rfc_id);
    EXPECT_EQ(m.software, "STUN test client");
    EXPECT_EQ(m.priority, 0x6e0001ffu);
    EXPECT_EQ(m.ice_controlled, 0x932ff9b151263b36ull);
    EXPECT_FALSE(m.ice_controlling);
    EXPECT_FALSE(m.use_candidate);
    EXPECT_EQ(m.username, "evtj:h6vY");
    ASSERT_TRUE(m.integrity_at && m.fingerprint_at);
    EXPECT_TRUE(check_integrity(m, password));
    EXPECT_FALSE(check_integrity(m, "VOkJxbRl1RmTxUk/WvJxBu"));
    EXPECT_FALSE(check_integrity(m, ""));
}

TEST(Stun, Rfc5769SampleRequestEncodesByteExact) {
    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::request), rfc_id, 0x20);
    b.add_string(attr::software, "STUN test client");
    b.add_u32(attr::priority, 0x6e0001ff);
    b.add_u64(attr::ice_controlled, 0x932ff9b151263b36ull);
    b.add_string(attr::username, "evtj:h6vY");
    b.add_integrity(password);
    b.add_fingerprint();
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(std::vector<std::uint8_t>(b.bytes().begin(), b.bytes().end()), sample_request);
}

TEST(Stun, Rfc5769Ipv4ResponseDecodesAndEncodes) {
    const Decoded d = decode(ipv4_response);
    ASSERT_TRUE(d.message);
    const Message& m = *d.message;
    EXPECT_EQ(m.cls, Class::success);
    EXPECT_EQ(m.method, binding);
    EXPECT_EQ(m.software, "test vector");
    ASSERT_TRUE(m.xor_mapped);
    EXPECT_EQ(*m.xor_mapped, ipv4(192, 0, 2, 1, 32853));
    EXPECT_TRUE(check_integrity(m, password));

    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::success), rfc_id, 0x20);
    b.add_string(attr::software, "test vector");
    b.add_xor_address(attr::xor_mapped_address, ipv4(192, 0, 2, 1, 32853));
    b.add_integrity(password);
    b.add_fingerprint();
    EXPECT_EQ(std::vector<std::uint8_t>(b.bytes().begin(), b.bytes().end()), ipv4_response);
}

TEST(Stun, Rfc5769Ipv6ResponseDecodesAndEncodes) {
    const Decoded d = decode(ipv6_response);
    ASSERT_TRUE(d.message);
    const Message& m = *d.message;
    EXPECT_EQ(m.cls, Class::success);
    ASSERT_TRUE(m.xor_mapped);
    EXPECT_EQ(*m.xor_mapped, rfc_ipv6);
    EXPECT_TRUE(check_integrity(m, password));

    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::success), rfc_id, 0x20);
    b.add_string(attr::software, "test vector");
    b.add_xor_address(attr::xor_mapped_address, rfc_ipv6);
    b.add_integrity(password);
    b.add_fingerprint();
    EXPECT_EQ(std::vector<std::uint8_t>(b.bytes().begin(), b.bytes().end()), ipv6_response);
}

TEST(Stun, MessageTypeInterleavesClassBits) {
    EXPECT_EQ(message_type(binding, Class::request), 0x0001);
    EXPECT_EQ(message_type(binding, Class::indication), 0x0011);
    EXPECT_EQ(message_type(binding, Class::success), 0x0101);
    EXPECT_EQ(message_type(binding, Class::error), 0x0111);
    EXPECT_EQ(message_type(0x0FFF, Class::request), 0x3EEF);
}

TEST(Stun, AnyFlippedBitBreaksFingerprintOrIntegrity) {
    // Every single-bit change after the header is caught: by the decoder, by FINGERPRINT, by
    // MESSAGE-INTEGRITY, or (a changed FINGERPRINT type) by the FINGERPRINT no longer being there,
    // which ICE requires.
    for (std::size_t i = 20; i < sample_request.size(); ++i) {
        auto copy = sample_request;
        copy[i] ^= 0x01;
        const Decoded d = decode(copy);
        EXPECT_TRUE(!d.message || !d.message->fingerprint_at ||
                    !check_integrity(*d.message, password))
            << "byte " << i;
    }
}

TEST(Stun, IntegrityWithoutFingerprintStillChecks) {
    // Strip FINGERPRINT and fix the length: MESSAGE-INTEGRITY alone still verifies.
    auto copy = sample_request;
    copy.resize(copy.size() - 8);
    copy[3] = static_cast<std::uint8_t>(copy.size() - 20);
    const Decoded d = decode(copy);
    ASSERT_TRUE(d.message);
    EXPECT_FALSE(d.message->fingerprint_at);
    EXPECT_TRUE(check_integrity(*d.message, password));
}

TEST(Stun, TruncationsAreRejectedWithoutReadingPastTheEnd) {
    for (std::size_t n = 0; n < sample_request.size(); ++n) {
        // A copy of exactly n bytes, so that ASan would see any read past it.
        const std::vector<std::uint8_t> prefix(sample_request.begin(),
                                               sample_request.begin() + static_cast<long>(n));
        EXPECT_FALSE(decode(prefix).message) << n;
        EXPECT_FALSE(looks_like_stun(prefix)) << n;
    }
    EXPECT_TRUE(looks_like_stun(sample_request));
}

TEST(Stun, HostileHeadersAndAttributesAreRejected) {
    auto bad_cookie = sample_request;
    bad_cookie[4] ^= 0xFF;
    EXPECT_EQ(decode(bad_cookie).error, DecodeError::not_stun);

    auto top_bits = sample_request;
    top_bits[0] |= 0x80;
    EXPECT_EQ(decode(top_bits).error, DecodeError::not_stun);

    auto long_length = sample_request;
    long_length[3] = static_cast<std::uint8_t>(long_length[3] + 4);
    EXPECT_EQ(decode(long_length).error, DecodeError::too_short);

    // An attribute whose length runs past the message.
    auto runaway = sample_request;
    runaway[22] = 0xFF;
    runaway[23] = 0xF0;
    EXPECT_EQ(decode(runaway).error, DecodeError::bad_attribute);

    // An attribute after FINGERPRINT.
    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::request), rfc_id);
    b.add_fingerprint();
    b.add_u32(attr::priority, 1);
    EXPECT_FALSE(decode(b.bytes()).message);

    // A PRIORITY of the wrong size.
    Builder p(out, message_type(binding, Class::request), rfc_id);
    const std::uint8_t three[3]{1, 2, 3};
    p.add_bytes(attr::priority, three);
    EXPECT_EQ(decode(p.bytes()).error, DecodeError::bad_attribute);
}

TEST(Stun, UnknownAttributesAreSortedByComprehension) {
    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::request), rfc_id);
    b.add_u32(0xC057, 7); // comprehension-optional (GOOG-NETWORK-INFO): skipped
    b.add_u32(0x0030, 7); // comprehension-required and unknown: listed
    b.add_flag(attr::use_candidate);
    b.add_error(420, "Unknown Attribute");
    b.add_fingerprint();
    const Decoded d = decode(b.bytes());
    ASSERT_TRUE(d.message);
    EXPECT_EQ(d.message->unknown_required_count, 1u);
    EXPECT_EQ(d.message->unknown_required[0], 0x0030);
    EXPECT_TRUE(d.message->use_candidate);
    ASSERT_TRUE(d.message->error);
    EXPECT_EQ(d.message->error->code, 420);
    EXPECT_EQ(d.message->error->reason, "Unknown Attribute");
}

TEST(Stun, AttributesAfterIntegrityAreIgnored) {
    std::vector<std::uint8_t> out(200);
    Builder b(out, message_type(binding, Class::request), rfc_id);
    b.add_string(attr::username, "a:b");
    b.add_integrity("key");
    b.add_u32(attr::priority, 5); // not covered by the integrity: must not be believed
    b.add_fingerprint();
    const Decoded d = decode(b.bytes());
    ASSERT_TRUE(d.message);
    EXPECT_FALSE(d.message->priority);
    EXPECT_TRUE(check_integrity(*d.message, "key"));
}

TEST(Stun, BuilderRefusesToOverflowItsBuffer) {
    std::vector<std::uint8_t> out(30);
    Builder b(out, message_type(binding, Class::request), rfc_id);
    EXPECT_TRUE(b.add_u32(attr::priority, 1));
    EXPECT_FALSE(b.add_integrity("key"));
    EXPECT_FALSE(b.ok());
    EXPECT_EQ(b.size(), 0u);
    std::vector<std::uint8_t> tiny(10);
    EXPECT_FALSE(Builder(tiny, 1, rfc_id).ok());
}

TEST(Stun, Crc32MatchesTheStandardCheckValue) {
    const std::string_view text = "123456789";
    EXPECT_EQ(crc32({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}),
              0xCBF43926u);
}

} // namespace
} // namespace suflyor::media::webrtc::test
