#include "api/server_internal.hpp"

#include <gtest/gtest.h>

namespace suflyor::api::detail {
namespace {

std::vector<sip::AddressRange> ranges(std::initializer_list<const char*> texts) {
    std::vector<sip::AddressRange> out;
    for (const char* text : texts)
        out.push_back(*sip::AddressRange::parse(text));
    return out;
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItsHeaderSays) {
    EXPECT_EQ(client_address("198.51.100.7", "203.0.113.9", {}), "198.51.100.7");
    EXPECT_EQ(client_address("198.51.100.7", "203.0.113.9", ranges({"10.0.0.0/8"})),
              "198.51.100.7");
    EXPECT_EQ(client_address("10.0.0.2", "", ranges({"10.0.0.0/8"})), "10.0.0.2");
}

TEST(ClientAddress, BehindTrustedProxiesTheRightMostUntrustedHopIsTheClient) {
    const auto trusted = ranges({"10.0.0.0/8", "::1"});
    EXPECT_EQ(client_address("10.0.0.2", "203.0.113.9", trusted), "203.0.113.9");
    // The client wrote "1.2.3.4" itself: only the hop the proxy appended counts.
    EXPECT_EQ(client_address("10.0.0.2", "1.2.3.4, 203.0.113.9", trusted), "203.0.113.9");
    // Two proxies in a row: the inner one's hop is skipped.
    EXPECT_EQ(client_address("::1", " 203.0.113.9 ,10.1.1.1", trusted), "203.0.113.9");
    EXPECT_EQ(client_address("::1", "2001:db8::5, 10.1.1.1", trusted), "2001:db8::5");
    // Only trusted hops: the left-most of them.
    EXPECT_EQ(client_address("10.0.0.2", "10.9.9.9, 10.1.1.1", trusted), "10.9.9.9");
}

TEST(ClientAddress, AMalformedHopStopsTheWalkAtTheLastGoodAddress) {
    const auto trusted = ranges({"10.0.0.0/8"});
    EXPECT_EQ(client_address("10.0.0.2", "203.0.113.9, garbage", trusted), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", "garbage, 10.1.1.1", trusted), "10.1.1.1");
    EXPECT_EQ(client_address("10.0.0.2", "203.0.113.0/24", trusted), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", ",", trusted), "10.0.0.2");
}

} // namespace
} // namespace suflyor::api::detail
