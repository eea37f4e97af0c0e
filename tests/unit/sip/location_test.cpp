#include "sip/auth_limiter.hpp"
#include "sip/location.hpp"

#include <gtest/gtest.h>

namespace suflyor::sip {
namespace {

using std::chrono::seconds;

class LocationTest : public ::testing::Test {
protected:
    core::ManualClock clock;
    LocationService locations;
    const Aor olga{1, "olga"};
    const Flow udp{"udp", "127.0.0.1:5070"};
};

TEST_F(LocationTest, BindingsExpireAndPresenceEdgesAreReported) {
    auto c = locations.update(olga, {{"sip:olga@10.0.0.5:5060", 60}}, udp, "call-1", 1, "phone",
                              clock.wall_now());
    EXPECT_TRUE(c.came_online);
    const auto b = locations.bindings(olga, clock.wall_now());
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].flow.source, "127.0.0.1:5070"); // reached back through the flow it came on
    EXPECT_EQ(b[0].user_agent, "phone");
    clock.advance(seconds{59});
    EXPECT_TRUE(locations.expire(clock.wall_now()).empty());
    clock.advance(seconds{1});
    EXPECT_EQ(locations.expire(clock.wall_now()), std::vector<Aor>{olga});
    EXPECT_FALSE(locations.registered(olga, clock.wall_now()));
}

TEST_F(LocationTest, SeveralContactsRefreshAndRemoval) {
    locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 1, "", clock.wall_now());
    auto c = locations.update(olga, {{"sip:b@2.2.2.2", 300}}, udp, "c2", 1, "", clock.wall_now());
    EXPECT_FALSE(c.came_online); // already online through the first
    EXPECT_EQ(locations.bindings(olga, clock.wall_now()).size(), 2u);
    c = locations.update(olga, {{"sip:a@1.1.1.1", 0}}, udp, "c1", 2, "", clock.wall_now());
    EXPECT_FALSE(c.went_offline);
    c = locations.update(olga, {{"sip:b@2.2.2.2", 0}}, udp, "c2", 2, "", clock.wall_now());
    EXPECT_TRUE(c.went_offline);
}

TEST_F(LocationTest, OutOfOrderCSeqOnTheSameCallIdIsRefused) {
    locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 5, "", clock.wall_now());
    EXPECT_EQ(
        locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 5, "", clock.wall_now()).status,
        RegisterStatus::out_of_order);
    EXPECT_EQ(
        locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 6, "", clock.wall_now()).status,
        RegisterStatus::ok);
    EXPECT_EQ(locations.remove_all(olga, "c1", 6, clock.wall_now()).status,
              RegisterStatus::out_of_order);
    const auto gone = locations.remove_all(olga, "c1", 7, clock.wall_now());
    EXPECT_TRUE(gone.went_offline);
}

TEST_F(LocationTest, BindingsPerAorAreBounded) {
    for (int i = 0; i < 25; ++i)
        locations.update(
            olga, {{"sip:p" + std::to_string(i) + "@1.1.1.1", static_cast<std::uint32_t>(100 + i)}},
            udp, "c" + std::to_string(i), 1, "", clock.wall_now());
    const auto b = locations.bindings(olga, clock.wall_now());
    EXPECT_EQ(b.size(), LocationService::max_bindings_per_aor);
    EXPECT_EQ(b.back().contact_uri, "sip:p24@1.1.1.1"); // the newest stay
}

TEST_F(LocationTest, BindingsAreFilteredByDeviceKind) {
    const Flow bridge{"tcp", "127.0.0.1:40001", "203.0.113.7:51000"};
    locations.update(olga, {{"sip:desk@10.0.0.5", 300}}, udp, "phone", 1, "Yealink",
                     clock.wall_now());
    EXPECT_TRUE(locations.has_binding(olga, DeviceKind::sip_phone, clock.wall_now()));
    EXPECT_FALSE(locations.has_binding(olga, DeviceKind::browser, clock.wall_now()));
    locations.update(olga, {{"sip:abc@xyz.invalid;transport=ws", 60}}, bridge, "tab", 1, "JsSIP",
                     clock.wall_now(), DeviceKind::browser);
    const auto browsers = locations.bindings(olga, DeviceKind::browser, clock.wall_now());
    ASSERT_EQ(browsers.size(), 1u);
    EXPECT_EQ(browsers[0].contact_uri, "sip:abc@xyz.invalid;transport=ws");
    EXPECT_EQ(browsers[0].flow.source, "127.0.0.1:40001"); // libre routes on the bridge
    const auto phones = locations.bindings(olga, DeviceKind::sip_phone, clock.wall_now());
    ASSERT_EQ(phones.size(), 1u);
    EXPECT_EQ(phones[0].contact_uri, "sip:desk@10.0.0.5");
    EXPECT_EQ(locations.bindings(olga, clock.wall_now()).size(), 2u);
    // The browser's real address counts as a registered flow, the bridge's loopback does not.
    EXPECT_TRUE(locations.has_flow_from("203.0.113.7", clock.wall_now()));
    // The tab's binding lapses; the desk phone stays.
    clock.advance(seconds{60});
    EXPECT_FALSE(locations.has_binding(olga, DeviceKind::browser, clock.wall_now()));
    EXPECT_TRUE(locations.has_binding(olga, DeviceKind::sip_phone, clock.wall_now()));
    EXPECT_FALSE(locations.has_flow_from("203.0.113.7", clock.wall_now()));
}

TEST_F(LocationTest, AClosedFlowTakesItsBindingsAlong) {
    const Flow tab{"tcp", "127.0.0.1:40001", "203.0.113.7:51000"};
    const Aor ivan{1, "ivan"};
    locations.update(olga, {{"sip:a@x.invalid;transport=ws", 600}}, tab, "t1", 1, "",
                     clock.wall_now(), DeviceKind::browser);
    locations.update(olga, {{"sip:desk@10.0.0.5", 600}}, udp, "p1", 1, "", clock.wall_now());
    locations.update(ivan, {{"sip:b@x.invalid;transport=ws", 600}}, tab, "t2", 1, "",
                     clock.wall_now(), DeviceKind::browser);
    // ivan had only the tab: offline; olga keeps her desk phone.
    EXPECT_EQ(locations.remove_flow("127.0.0.1:40001"), std::vector<Aor>{ivan});
    EXPECT_FALSE(locations.registered(ivan, clock.wall_now()));
    EXPECT_FALSE(locations.has_binding(olga, DeviceKind::browser, clock.wall_now()));
    EXPECT_TRUE(locations.has_binding(olga, DeviceKind::sip_phone, clock.wall_now()));
    EXPECT_TRUE(locations.remove_flow("127.0.0.1:40001").empty());
}

TEST(AuthLimiter, BlocksASourceAfterTheLimitForAMinute) {
    core::ManualClock clock;
    AuthLimiter limiter(clock, 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(limiter.blocked("10.0.0.1"));
        limiter.failed("10.0.0.1");
    }
    EXPECT_TRUE(limiter.blocked("10.0.0.1"));
    EXPECT_FALSE(limiter.blocked("10.0.0.2"));
    clock.advance(std::chrono::seconds{60});
    EXPECT_FALSE(limiter.blocked("10.0.0.1"));
    limiter.failed("10.0.0.2");
    limiter.succeeded("10.0.0.2");
    EXPECT_FALSE(limiter.blocked("10.0.0.2"));
}

} // namespace
} // namespace suflyor::sip

namespace suflyor::sip {
namespace {

// The Team page shows since when a phone is registered: refreshes keep the first REGISTER's time.
TEST_F(LocationTest, RefreshesKeepTheTimeOfTheFirstRegistration) {
    const auto first = clock.wall_now();
    locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 1, "", first);
    clock.advance(std::chrono::seconds{60});
    locations.update(olga, {{"sip:a@1.1.1.1", 300}}, udp, "c1", 2, "", clock.wall_now());
    EXPECT_EQ(locations.bindings(olga, clock.wall_now()).front().registered_at, first);
}

// A deactivated employee's bindings go at once, whatever their expiry.
TEST_F(LocationTest, RemovingAnAorDropsAllItsBindings) {
    locations.update(olga, {{"sip:a@1.1.1.1", 300}, {"sip:b@2.2.2.2", 300}}, udp, "c1", 1, "",
                     clock.wall_now());
    EXPECT_TRUE(locations.remove_aor(olga));
    EXPECT_FALSE(locations.registered(olga, clock.wall_now()));
    EXPECT_FALSE(locations.remove_aor(olga));
}

} // namespace
} // namespace suflyor::sip
