// Bearer tokens (issue, resolve, expiry, revocation) and the failed-login limit, on a ManualClock.
#include "api/auth.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace suflyor::api {
namespace {

using namespace std::chrono_literals;

TEST(TokenStore, BrowserSecretsArePerTokenKeyedAndDieWithTheToken) {
    core::ManualClock clock;
    TokenStore tokens(clock, 12h);
    TokenStore other_server(clock, 12h); // another key: the same token would give another secret
    const auto a = tokens.issue(center::UserId{1});
    const auto a2 = tokens.issue(center::UserId{1});
    const auto b = tokens.issue(center::UserId{2});
    const auto sa = tokens.browser_secret(a.token);
    const auto sa2 = tokens.browser_secret(a2.token);
    ASSERT_TRUE(sa && sa2);
    EXPECT_EQ(sa->size(), 32u); // 24 bytes, base64url without padding
    EXPECT_NE(*sa, *sa2);
    EXPECT_NE(*sa, a.token);
    EXPECT_EQ(tokens.browser_secret(a.token), sa); // stable for the token's life
    EXPECT_FALSE(tokens.browser_secret("not-a-token"));
    EXPECT_FALSE(other_server.browser_secret(a.token)); // unknown there
    other_server.issue(center::UserId{1});
    EXPECT_EQ(other_server.browser_secrets(center::UserId{1}).size(), 1u);
    EXPECT_NE(other_server.browser_secrets(center::UserId{1}).front(), *sa);

    auto of_one = tokens.browser_secrets(center::UserId{1});
    std::sort(of_one.begin(), of_one.end());
    auto expected = std::vector<std::string>{*sa, *sa2};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(of_one, expected);
    EXPECT_EQ(tokens.browser_secrets(center::UserId{2}),
              std::vector<std::string>{*tokens.browser_secret(b.token)});
    EXPECT_TRUE(tokens.browser_secrets(center::UserId{3}).empty());

    tokens.revoke(a.token);
    EXPECT_EQ(tokens.browser_secrets(center::UserId{1}), std::vector<std::string>{*sa2});
    clock.advance(12h); // expired, even before a sweep forgets it
    EXPECT_TRUE(tokens.browser_secrets(center::UserId{1}).empty());
    EXPECT_FALSE(tokens.browser_secret(a2.token));
}

TEST(TokenStore, TokensAreRandomResolveToTheirUserExpireAndAreRevocable) {
    core::ManualClock clock;
    TokenStore tokens(clock, 12h);
    const auto a = tokens.issue(center::UserId{1});
    const auto b = tokens.issue(center::UserId{2});
    const auto a2 = tokens.issue(center::UserId{1});
    EXPECT_EQ(a.token.size(), 43u); // 32 bytes, base64url without padding
    EXPECT_EQ(a.token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ((std::set<std::string>{a.token, b.token, a2.token}).size(), 3u);
    EXPECT_EQ(a.expires_at, clock.wall_now() + 12h);
    EXPECT_EQ(tokens.resolve(a.token), center::UserId{1});
    EXPECT_EQ(tokens.resolve(b.token), center::UserId{2});
    EXPECT_FALSE(tokens.resolve("not-a-token"));
    EXPECT_FALSE(tokens.resolve(a.token.substr(1)));

    tokens.revoke(a.token);
    EXPECT_FALSE(tokens.resolve(a.token));
    EXPECT_EQ(tokens.resolve(a2.token), center::UserId{1}); // only that one

    tokens.revoke_user(center::UserId{1});
    EXPECT_FALSE(tokens.resolve(a2.token));
    EXPECT_EQ(tokens.size(), 1u);

    clock.advance(12h - 1ms);
    EXPECT_EQ(tokens.resolve(b.token), center::UserId{2});
    clock.advance(1ms);
    EXPECT_FALSE(tokens.resolve(b.token));
    EXPECT_EQ(tokens.size(), 0u); // forgotten when found expired

    const auto c = tokens.issue(center::UserId{3});
    clock.advance(13h);
    tokens.sweep();
    EXPECT_EQ(tokens.size(), 0u);
    EXPECT_FALSE(tokens.resolve(c.token));
}

TEST(LoginLimiter, PerLoginAndPerSourceWindows) {
    core::ManualClock clock;
    LoginLimiter limiter(clock, 3, 5, 15min);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(limiter.refused("olga", "10.0.0.1"));
        limiter.failed("olga", "10.0.0.1");
    }
    const auto wait = limiter.refused("olga", "10.0.0.2"); // the login, from anywhere
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 15 * 60);
    EXPECT_FALSE(limiter.refused("anna", "10.0.0.2"));
    // Two more failures of other logins from the same address reach its limit of 5.
    limiter.failed("anna", "10.0.0.1");
    EXPECT_FALSE(limiter.refused("anna", "10.0.0.1"));
    limiter.failed("ivan", "10.0.0.1");
    EXPECT_TRUE(limiter.refused("anna", "10.0.0.1"));
    EXPECT_FALSE(limiter.refused("anna", "10.0.0.3"));
    // A login without failures still gets through the busy address (its right password signs
    // in); its first failure there locks it out of that address too.
    EXPECT_FALSE(limiter.refused("boris", "10.0.0.1"));
    limiter.failed("boris", "10.0.0.1");
    EXPECT_TRUE(limiter.refused("boris", "10.0.0.1"));
    EXPECT_FALSE(limiter.refused("boris", "10.0.0.3"));

    clock.advance(10min);
    EXPECT_EQ(limiter.refused("olga", "10.0.0.9"), 5 * 60);
    clock.advance(5min); // the window is over
    EXPECT_FALSE(limiter.refused("olga", "10.0.0.1"));

    // A success clears the login's count.
    limiter.failed("petr", "10.0.0.4");
    limiter.failed("petr", "10.0.0.4");
    limiter.succeeded("petr");
    limiter.failed("petr", "10.0.0.4");
    EXPECT_FALSE(limiter.refused("petr", "10.0.0.5"));
}

} // namespace
} // namespace suflyor::api
