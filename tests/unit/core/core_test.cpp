#include "core/core.hpp"

#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

namespace suflyor::core {
namespace {

struct WidgetTag;
struct GadgetTag;
using WidgetId = Id<WidgetTag>;
using GadgetId = Id<GadgetTag>;

TEST(Id, ComparesAndHashesByValueAndKeepsTypesApart) {
    EXPECT_EQ(WidgetId{7}, WidgetId{7});
    EXPECT_LT(WidgetId{3}, WidgetId{7});
    EXPECT_EQ(WidgetId{42}.str(), "42");
    std::unordered_set<WidgetId> set{WidgetId{1}, WidgetId{1}, WidgetId{2}};
    EXPECT_EQ(set.size(), 2u);
    static_assert(!std::is_convertible_v<WidgetId, GadgetId>);
    static_assert(!std::is_convertible_v<std::int64_t, WidgetId>);
}

TEST(ManualClock, MovesOnlyWhenAdvancedAndKeepsWallAndMonoTogether) {
    ManualClock clock(from_unix_ms(1'000));
    const auto mono = clock.mono_now();
    EXPECT_EQ(to_unix_ms(clock.wall_now()), 1'000);
    clock.advance(std::chrono::milliseconds{250});
    EXPECT_EQ(to_unix_ms(clock.wall_now()), 1'250);
    EXPECT_EQ(clock.mono_now() - mono, std::chrono::milliseconds{250});
}

TEST(SystemClock, WallTimeIsNearTheSystemClock) {
    SystemClock clock;
    const auto diff = std::chrono::system_clock::now() - clock.wall_now();
    EXPECT_LT(std::chrono::abs(diff), std::chrono::seconds{2});
}

TEST(ErrorCode, TextsAreTheApiCodes) {
    EXPECT_EQ(to_string(ErrorCode::already_monitored), "already_monitored");
    EXPECT_EQ(to_string(ErrorCode::no_supervisor_device), "no_supervisor_device");
    EXPECT_EQ(to_string(ErrorCode::browser_not_registered), "browser_not_registered");
    EXPECT_EQ(to_string(ErrorCode::feature_not_connected), "feature_not_connected");
    EXPECT_EQ(to_string(ErrorCode::call_ended), "call_ended");
    EXPECT_EQ(to_string(ErrorCode::busy), "busy");
    EXPECT_EQ(to_string(ErrorCode::no_trunk), "no_trunk");
    EXPECT_EQ(to_string(ErrorCode::employee_offline), "employee_offline");
    EXPECT_EQ(to_string(ErrorCode::no_client_number), "no_client_number");
    try {
        fail(ErrorCode::not_found, "call 3 not found");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::not_found);
        EXPECT_STREQ(e.what(), "call 3 not found");
    }
}

TEST(Random, PasswordsUseTheUnambiguousAlphabetAndDiffer) {
    const auto a = random_password(24);
    const auto b = random_password(24);
    EXPECT_EQ(a.size(), 24u);
    EXPECT_NE(a, b);
    for (char c : a)
        EXPECT_EQ(std::string("0O1lI").find(c), std::string::npos) << c;
}

TEST(Random, TokensAreUrlSafeAndLongEnough) {
    const auto token = random_token(32);
    EXPECT_EQ(token.size(), 43u); // 32 bytes in unpadded base64
    for (char c : token)
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    EXPECT_NE(token, random_token(32));
}

TEST(Logging, AcceptsKnownLevelsOnly) {
    EXPECT_TRUE(configure_logging("warn"));
    EXPECT_TRUE(configure_logging("off"));
    EXPECT_FALSE(configure_logging("loud"));
    EXPECT_TRUE(configure_logging("info"));
}

} // namespace
} // namespace suflyor::core
