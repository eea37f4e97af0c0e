// The ICE-lite agent: credentials, the answers to valid and invalid binding requests, which
// address gets selected, and consent freshness on an injected clock.
#include "media/webrtc/ice_lite.hpp"
#include "media/webrtc/stun.hpp"
#include "webrtc_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace suflyor::media::webrtc::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view local_ufrag = "Lufr";
constexpr std::string_view local_pwd = "localpasswordlocalpassw";
constexpr std::string_view remote_ufrag = "Rufr";
const std::string username = std::string{local_ufrag} + ":" + std::string{remote_ufrag};

struct Answer {
    IceResult result;
    std::optional<stun::Message> message;
    std::vector<std::uint8_t> bytes;
};

class IceLiteTest : public ::testing::Test {
protected:
    Answer ask(const std::vector<std::uint8_t>& request, const sockaddr_in& from,
               core::MonoTime now) {
        Answer a;
        a.bytes.resize(ice_reply_capacity);
        a.result = agent.on_stun(request, from, now, a.bytes);
        a.bytes.resize(a.result.reply_size);
        if (!a.bytes.empty()) {
            const auto d = stun::decode(a.bytes);
            if (d.message) a.message = *d.message;
        }
        return a;
    }

    IceLite agent{std::string{local_ufrag}, std::string{local_pwd}, std::string{remote_ufrag}};
    core::MonoTime t0{};
    sockaddr_in browser = address("192.0.2.10", 50000);
    sockaddr_in other = address("192.0.2.11", 50001);
};

TEST(IceCredentials, LengthsAlphabetAndRandomness) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto c = IceCredentials::generate();
        EXPECT_EQ(c.ufrag.size(), 8u); // RFC 8839: 4..256 ice-chars
        EXPECT_EQ(c.pwd.size(), 24u);  // RFC 8839: 22..256 ice-chars
        for (const char ch : c.ufrag + c.pwd)
            EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/');
        seen.insert(c.ufrag);
        seen.insert(c.pwd);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST_F(IceLiteTest, ValidCheckGetsAnAuthenticatedSuccessWithTheSourceAddress) {
    const auto request = binding_request(username, local_pwd, false, 7);
    const Answer a = ask(request, browser, t0);
    EXPECT_EQ(a.result.verdict, IceVerdict::success);
    ASSERT_TRUE(a.message);
    EXPECT_EQ(a.message->cls, stun::Class::success);
    EXPECT_EQ(a.message->transaction, stun::decode(request).message->transaction);
    ASSERT_TRUE(a.message->xor_mapped);
    EXPECT_EQ(a.message->xor_mapped->port, 50000);
    EXPECT_EQ(a.message->xor_mapped->ip[0], 192);
    EXPECT_EQ(a.message->xor_mapped->ip[3], 10);
    EXPECT_TRUE(a.message->fingerprint_at);
    EXPECT_TRUE(stun::check_integrity(*a.message, local_pwd));
    // Validated but not nominated: nothing selected yet.
    EXPECT_EQ(agent.selected(), nullptr);
    EXPECT_FALSE(agent.consent_expired(t0 + 1h));
}

TEST_F(IceLiteTest, UseCandidateSelectsTheLatestNominatedAddress) {
    auto r = ask(binding_request(username, local_pwd, true), browser, t0);
    EXPECT_TRUE(r.result.selected_changed);
    ASSERT_NE(agent.selected(), nullptr);
    EXPECT_TRUE(same_address(*agent.selected(), browser));
    r = ask(binding_request(username, local_pwd, true), browser, t0 + 1s);
    EXPECT_FALSE(r.result.selected_changed);
    r = ask(binding_request(username, local_pwd, true), other, t0 + 2s);
    EXPECT_TRUE(r.result.selected_changed);
    EXPECT_TRUE(same_address(*agent.selected(), other));
}

TEST_F(IceLiteTest, WrongIntegrityIsRefusedWith401AndSelectsNothing) {
    const Answer a = ask(binding_request(username, "not-the-password-at-all", true), browser, t0);
    EXPECT_EQ(a.result.verdict, IceVerdict::refused);
    EXPECT_EQ(a.result.error_code, 401);
    ASSERT_TRUE(a.message);
    EXPECT_EQ(a.message->cls, stun::Class::error);
    ASSERT_TRUE(a.message->error);
    EXPECT_EQ(a.message->error->code, 401);
    EXPECT_FALSE(a.message->integrity_at); // unauthenticated: no MESSAGE-INTEGRITY
    EXPECT_TRUE(a.message->fingerprint_at);
    EXPECT_FALSE(a.message->xor_mapped);
    EXPECT_EQ(agent.selected(), nullptr);
}

TEST_F(IceLiteTest, UnknownOrSwappedUsernameIsRefusedWith401) {
    for (const std::string name : {"Xufr:Rufr", "Rufr:Lufr", "Lufr:", "Lufr", "Lufr:Rufrx"}) {
        const Answer a = ask(binding_request(name, local_pwd, true), browser, t0);
        EXPECT_EQ(a.result.error_code, 401) << name;
        EXPECT_EQ(agent.selected(), nullptr) << name;
    }
}

TEST_F(IceLiteTest, MissingCredentialsGet400) {
    std::vector<std::uint8_t> out(200);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::request), {});
    b.add_u32(stun::attr::priority, 1);
    b.add_flag(stun::attr::use_candidate);
    b.add_fingerprint();
    out.resize(b.size());
    const Answer a = ask(out, browser, t0);
    EXPECT_EQ(a.result.error_code, 400);
    EXPECT_EQ(agent.selected(), nullptr);
}

TEST_F(IceLiteTest, NoFingerprintOrBadFingerprintIsDroppedSilently) {
    std::vector<std::uint8_t> out(200);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::request), {});
    b.add_string(stun::attr::username, username);
    b.add_u32(stun::attr::priority, 1);
    b.add_integrity(local_pwd);
    out.resize(b.size());
    EXPECT_EQ(ask(out, browser, t0).result.verdict, IceVerdict::dropped);
    EXPECT_EQ(ask(out, browser, t0).result.reply_size, 0u);

    auto request = binding_request(username, local_pwd, true);
    request.back() ^= 1;
    EXPECT_EQ(ask(request, browser, t0).result.verdict, IceVerdict::dropped);
    EXPECT_EQ(agent.selected(), nullptr);
}

TEST_F(IceLiteTest, RoleConflictAndUnknownRequiredAttributes) {
    std::vector<std::uint8_t> out(200);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::request), {});
    b.add_string(stun::attr::username, username);
    b.add_u32(stun::attr::priority, 1);
    b.add_u64(stun::attr::ice_controlled, 5);
    b.add_flag(stun::attr::use_candidate);
    b.add_integrity(local_pwd);
    b.add_fingerprint();
    out.resize(b.size());
    Answer a = ask(out, browser, t0);
    EXPECT_EQ(a.result.error_code, 487);
    ASSERT_TRUE(a.message);
    EXPECT_TRUE(stun::check_integrity(*a.message, local_pwd)); // authenticated: signed
    EXPECT_EQ(agent.selected(), nullptr);

    std::vector<std::uint8_t> out2(200);
    stun::Builder c(out2, stun::message_type(stun::binding, stun::Class::request), {});
    c.add_string(stun::attr::username, username);
    c.add_u32(stun::attr::priority, 1);
    c.add_u32(0x0031, 5);
    c.add_integrity(local_pwd);
    c.add_fingerprint();
    out2.resize(c.size());
    a = ask(out2, browser, t0);
    EXPECT_EQ(a.result.error_code, 420);
}

TEST_F(IceLiteTest, IndicationsAndResponsesAreNotAnswered) {
    std::vector<std::uint8_t> out(200);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::indication), {});
    b.add_fingerprint();
    out.resize(b.size());
    const Answer a = ask(out, browser, t0);
    EXPECT_EQ(a.result.verdict, IceVerdict::ignored);
    EXPECT_EQ(a.result.reply_size, 0u);
}

TEST_F(IceLiteTest, ConsentExpires30SecondsAfterTheLastValidCheckFromTheSelectedAddress) {
    ask(binding_request(username, local_pwd, true), browser, t0);
    EXPECT_FALSE(agent.consent_expired(t0 + 29s));
    EXPECT_TRUE(agent.consent_expired(t0 + 30s));
    // A valid check refreshes it; checks from elsewhere (not nominated) and invalid ones do not.
    ask(binding_request(username, local_pwd, false), browser, t0 + 20s);
    ask(binding_request(username, local_pwd, false), other, t0 + 40s);
    ask(binding_request(username, "wrong", false), browser, t0 + 45s);
    EXPECT_FALSE(agent.consent_expired(t0 + 49s));
    EXPECT_TRUE(agent.consent_expired(t0 + 50s));
}

} // namespace
} // namespace suflyor::media::webrtc::test
