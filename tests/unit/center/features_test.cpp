#include "fixture.hpp"

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

TEST_F(CenterTest, FeatureGoesFromRequestToConnectedToDisabledAndBack) {
    auto [acme, boss] = make_account("acme");
    EXPECT_EQ(features.status(acme.id, Feature::whisper_listen).state, FeatureState::none);
    EXPECT_FALSE(features.connected(acme.id, Feature::whisper_listen));

    clock.advance(std::chrono::seconds{1});
    auto s = features.request(boss, Feature::whisper_listen);
    EXPECT_EQ(s.state, FeatureState::requested);
    EXPECT_EQ(s.requested_at, clock.wall_now());
    EXPECT_EQ(features.request(boss, Feature::whisper_listen).requested_at,
              s.requested_at); // idempotent

    clock.advance(std::chrono::seconds{1});
    s = features.connect(system_actor("platform-admin:root"), acme.id, Feature::whisper_listen);
    EXPECT_EQ(s.state, FeatureState::connected);
    EXPECT_EQ(s.connected_at, clock.wall_now());
    EXPECT_TRUE(features.connected(acme.id, Feature::whisper_listen));
    EXPECT_EQ(features.request(boss, Feature::whisper_listen).state, FeatureState::connected);

    s = features.disable(boss, Feature::whisper_listen);
    EXPECT_EQ(s.state, FeatureState::disabled);
    EXPECT_FALSE(features.connected(acme.id, Feature::whisper_listen));
    EXPECT_EQ(features.request(boss, Feature::whisper_listen).state, FeatureState::requested);

    EXPECT_EQ(audit_actions(), (std::vector<std::string>{"account.create", "user.create",
                                                         "feature.requested", "feature.connected",
                                                         "feature.disabled", "feature.requested"}));
}

TEST_F(CenterTest, OperatorsCannotManageFeaturesAndAccountsAreSeparate) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto op = make_user(acme, "olga");
    const auto admin = make_user(acme, "anna", Role::administrator);
    EXPECT_EQ(code_of([&] { features.request(op, Feature::whisper_listen); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { features.disable(op, Feature::whisper_listen); }),
              ErrorCode::forbidden);
    EXPECT_EQ(features.request(admin, Feature::whisper_listen).state, FeatureState::requested);
    EXPECT_EQ(features.status(globex.id, Feature::whisper_listen).state, FeatureState::none);
    EXPECT_EQ(features.list(globex.id).size(), all_features().size());
}

TEST_F(CenterTest, DisablingAFeatureNeverTurnedOnIsAConflict) {
    auto [acme, boss] = make_account("acme");
    EXPECT_EQ(code_of([&] { features.disable(boss, Feature::whisper_listen); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] { features.connect(cli, AccountId{999}, Feature::whisper_listen); }),
              ErrorCode::not_found);
}

// SPEC §7: the request form's contact email (pre-filled from the account, editable) is where the
// connection mail goes; it is kept with the request.
TEST_F(CenterTest, ARequestKeepsTheContactEmailGivenOrTheAccountsOwn) {
    auto [acme, boss] = make_account("acme");
    EXPECT_EQ(features.status(acme.id, Feature::whisper_listen).contact_email, "");
    auto s = features.request(boss, Feature::whisper_listen);
    EXPECT_EQ(s.contact_email, "owner@acme.test"); // the account's, when none is given
    EXPECT_EQ(features.status(acme.id, Feature::whisper_listen).contact_email, "owner@acme.test");

    // Asked again while pending with another address: the new one counts (typo fixed).
    s = features.request(boss, Feature::whisper_listen, std::string(" head@acme.test "));
    EXPECT_EQ(s.state, FeatureState::requested);
    EXPECT_EQ(s.contact_email, "head@acme.test"); // trimmed
    EXPECT_EQ(features.status(acme.id, Feature::whisper_listen).contact_email, "head@acme.test");

    // Connecting keeps it (the mail goes there); a new request after disabling sets a new one.
    s = features.connect(cli, acme.id, Feature::whisper_listen);
    EXPECT_EQ(s.contact_email, "head@acme.test");
    features.disable(boss, Feature::whisper_listen);
    s = features.request(boss, Feature::whisper_listen, std::string("ops@acme.test"));
    EXPECT_EQ(s.contact_email, "ops@acme.test");
    EXPECT_EQ(audit_actions(),
              (std::vector<std::string>{"account.create", "user.create", "feature.requested",
                                        "feature.requested", "feature.connected",
                                        "feature.disabled", "feature.requested"}));
}

TEST_F(CenterTest, ABadContactEmailIsRefusedAndTheRoleIsCheckedFirst) {
    auto [acme, boss] = make_account("acme");
    const auto op = make_user(acme, "olga");
    for (const char* bad : {"", "no-at-sign", "a@b", "two@@acme.test", "sp ace@acme.test"})
        EXPECT_EQ(
            code_of([&] { features.request(boss, Feature::whisper_listen, std::string(bad)); }),
            ErrorCode::invalid_argument)
            << bad;
    EXPECT_EQ(features.status(acme.id, Feature::whisper_listen).state, FeatureState::none);
    EXPECT_EQ(code_of([&] { features.request(op, Feature::whisper_listen, std::string("bad")); }),
              ErrorCode::forbidden);
}

} // namespace
} // namespace suflyor::center::test
