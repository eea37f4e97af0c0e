#include "sip/digest.hpp"
#include "sip/sip.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace suflyor::sip {
namespace {

std::string md5_hex(const std::string& s) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(s.data(), s.size(), out, &n, EVP_md5(), nullptr);
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < n; ++i) {
        hex += digits[out[i] >> 4];
        hex += digits[out[i] & 15];
    }
    return hex;
}

// What a phone sends: RFC 2617 response with qop=auth.
std::string authorization(const std::string& user, const std::string& realm,
                          const std::string& password, const std::string& nonce,
                          const std::string& method, const std::string& uri) {
    const auto ha1 = md5_hex(user + ":" + realm + ":" + password);
    const auto ha2 = md5_hex(method + ":" + uri);
    const auto response = md5_hex(ha1 + ":" + nonce + ":00000001:0a4f113b:auth:" + ha2);
    return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce +
           "\", uri=\"" + uri + "\", response=\"" + response +
           "\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001";
}

class DigestTest : public ::testing::Test {
protected:
    core::ManualClock clock;
    DigestAuthenticator auth{clock, std::chrono::seconds{300}};
    const std::string realm = "acme.test";
    std::optional<Ha1> lookup(std::string_view user) const {
        if (user != "olga") return std::nullopt;
        return ha1_from_hex(md5_hex("olga:acme.test:s3cret-pass"));
    }
    AuthResult check(const std::string& header, const std::string& method = "REGISTER") {
        return auth.verify(header, method, realm, [this](std::string_view u) { return lookup(u); });
    }
    std::string fresh_nonce() const { return auth.nonce_at(clock.wall_now(), realm); }
};

TEST_F(DigestTest, ChallengeCarriesRealmNonceAndQop) {
    const auto c = auth.challenge(realm, false);
    EXPECT_EQ(c.rfind("Digest realm=\"acme.test\", nonce=\"", 0), 0u) << c;
    EXPECT_NE(c.find("qop=\"auth\""), std::string::npos);
    EXPECT_EQ(c.find("stale"), std::string::npos);
    EXPECT_NE(auth.challenge(realm, true).find("stale=true"), std::string::npos);
}

TEST_F(DigestTest, OutcomeTable) {
    const auto nonce = fresh_nonce();
    const auto uri = std::string("sip:acme.test");
    struct Row {
        std::string header;
        std::string method;
        AuthOutcome expected;
    };
    const std::vector<Row> table{
        {authorization("olga", realm, "s3cret-pass", nonce, "REGISTER", uri), "REGISTER",
         AuthOutcome::ok},
        {"", "REGISTER", AuthOutcome::missing},
        {"Basic b2xnYTpwYXNz", "REGISTER", AuthOutcome::malformed},
        {authorization("olga", realm, "wrong-pass", nonce, "REGISTER", uri), "REGISTER",
         AuthOutcome::bad_response},
        {authorization("olga", realm, "s3cret-pass", nonce, "INVITE", uri), "REGISTER",
         AuthOutcome::bad_response},
        {authorization("ivan", realm, "s3cret-pass", nonce, "REGISTER", uri), "REGISTER",
         AuthOutcome::unknown_user},
        {authorization("olga", "other.test", "s3cret-pass", nonce, "REGISTER", uri), "REGISTER",
         AuthOutcome::wrong_realm},
        {authorization("olga", realm, "s3cret-pass",
                       "1700000000000.0123456789abcdef0123456789abcdef", "REGISTER", uri),
         "REGISTER", AuthOutcome::forged_nonce},
        {authorization("olga", realm, "s3cret-pass", "not-a-nonce", "REGISTER", uri), "REGISTER",
         AuthOutcome::forged_nonce},
    };
    for (const auto& row : table) {
        const auto r = check(row.header, row.method);
        EXPECT_EQ(r.outcome, row.expected) << row.header << " -> " << to_string(r.outcome);
    }
    EXPECT_EQ(check(table[0].header).user, "olga");
}

TEST_F(DigestTest, ANonceIsValidForItsTtlThenStale) {
    const auto nonce = fresh_nonce();
    const auto header =
        authorization("olga", realm, "s3cret-pass", nonce, "REGISTER", "sip:acme.test");
    clock.advance(std::chrono::seconds{299});
    EXPECT_EQ(check(header).outcome, AuthOutcome::ok);
    clock.advance(std::chrono::seconds{2});
    EXPECT_EQ(check(header).outcome, AuthOutcome::stale_nonce);
    // A wrong password with an old nonce is a wrong password, not "stale" (no free retry).
    EXPECT_EQ(
        check(authorization("olga", realm, "guess", nonce, "REGISTER", "sip:acme.test")).outcome,
        AuthOutcome::bad_response);
}

TEST_F(DigestTest, NoncesOfAnotherServerInstanceAreForged) {
    DigestAuthenticator other{clock, std::chrono::seconds{300}};
    const auto header =
        authorization("olga", realm, "s3cret-pass", other.nonce_at(clock.wall_now(), realm),
                      "REGISTER", "sip:acme.test");
    EXPECT_EQ(check(header).outcome, AuthOutcome::forged_nonce);
}

TEST_F(DigestTest, AnyOfSeveralPasswordsAnswers) {
    const auto nonce = fresh_nonce();
    const auto uri = std::string("sip:acme.test");
    const auto ha1s = [&](std::string_view user) {
        std::vector<Ha1> out;
        if (user == "olga")
            out = {DigestAuthenticator::ha1_of("olga", realm, "s3cret-pass"),
                   DigestAuthenticator::ha1_of("olga", realm, "tab-secret-1")};
        return out;
    };
    const auto verify = [&](const std::string& user, const std::string& password) {
        return auth
            .verify_any(authorization(user, realm, password, nonce, "REGISTER", uri), "REGISTER",
                        realm, ha1s)
            .outcome;
    };
    EXPECT_EQ(verify("olga", "s3cret-pass"), AuthOutcome::ok);
    EXPECT_EQ(verify("olga", "tab-secret-1"), AuthOutcome::ok);
    EXPECT_EQ(verify("olga", "tab-secret-2"), AuthOutcome::bad_response);
    EXPECT_EQ(verify("ivan", "s3cret-pass"), AuthOutcome::unknown_user);
    // ha1_of is the HA1 a phone computes.
    EXPECT_EQ(DigestAuthenticator::ha1_of("olga", "acme.test", "s3cret-pass"),
              *ha1_from_hex(md5_hex("olga:acme.test:s3cret-pass")));
}

TEST(AcceptedPasswords, BrowserSecretsCountOnlyOverWebSocket) {
    SipUserRecord rec{
        7, DigestAuthenticator::ha1_of("olga", "acme.test", "long-lived"), {"tab-1", "tab-2"}};
    const auto ws = accepted_ha1s(rec, "olga", "acme.test", true);
    ASSERT_EQ(ws.size(), 3u);
    EXPECT_EQ(ws[0], rec.ha1);
    EXPECT_EQ(ws[1], DigestAuthenticator::ha1_of("olga", "acme.test", "tab-1"));
    EXPECT_EQ(ws[2], DigestAuthenticator::ha1_of("olga", "acme.test", "tab-2"));
    const auto udp = accepted_ha1s(rec, "olga", "acme.test", false);
    ASSERT_EQ(udp.size(), 1u);
    EXPECT_EQ(udp[0], rec.ha1);
    // An empty secret is never a password.
    rec.browser_secrets = {""};
    EXPECT_EQ(accepted_ha1s(rec, "olga", "acme.test", true).size(), 1u);
}

TEST(Ha1FromHex, AcceptsOnly32HexDigits) {
    EXPECT_TRUE(ha1_from_hex("609311f25776e7167f2f1664275edb60"));
    EXPECT_EQ((*ha1_from_hex("609311f25776e7167f2f1664275edb60"))[0], 0x60);
    EXPECT_FALSE(ha1_from_hex("609311f25776e7167f2f1664275edb6"));
    EXPECT_FALSE(ha1_from_hex("609311f25776e7167f2f1664275edbzz"));
}

} // namespace
} // namespace suflyor::sip
