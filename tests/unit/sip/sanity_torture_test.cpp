// Every RFC 4475 and RFC 5118 torture message against the verdict the RFCs (and
// shared/sip-torture/README.md) expect, with the exact rule that fires.
#include "sanity_files.hpp"
#include "sip/sanity.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sip {
namespace {

struct TortureCase {
    std::string_view file;
    Action action;
    std::uint16_t status; // reject only
    Defect defect;
    std::string_view extra_headers = {};
    // Body bytes after Content-Length, ignored (RFC 3261 18.3). RFC 5118 computed its
    // Content-Length values on LF line ends: its CRLF files carry extra body bytes.
    std::size_t ignored_tail = 0;
};

constexpr std::array<std::string_view, 3> kSupported = {"100rel", "replaces", "timer"};

SanityPolicy server_policy() {
    SanityPolicy policy;
    policy.supported_options = kSupported;
    return policy;
}

constexpr auto P = Action::pass;
constexpr auto R = Action::reject;
constexpr auto D = Action::drop;

// RFC 4475: 49 messages.
const std::vector<TortureCase> kRfc4475 = {
    // 3.1.1 valid messages
    {"wsinv", P, 0, Defect::none},
    {"intmeth", P, 0, Defect::none},
    {"esc01", P, 0, Defect::none},
    {"escnull", P, 0, Defect::none},
    {"esc02", P, 0, Defect::none},
    {"lwsdisp", P, 0, Defect::none},
    {"longreq", P, 0, Defect::none},
    {"dblreq", P, 0, Defect::none},
    {"semiuri", P, 0, Defect::none},
    {"transports", P, 0, Defect::none},
    {"mpart01", P, 0, Defect::none},
    {"unreason", P, 0, Defect::none},
    {"noreason", P, 0, Defect::none},
    // 3.1.2 invalid messages: 400 for requests (505 for badvers), responses dropped
    {"badinv01", R, 400, Defect::bad_via},
    {"clerr", R, 400, Defect::body_too_short},
    {"ncl", R, 400, Defect::bad_content_length},
    {"scalar02", R, 400, Defect::cseq_out_of_range},
    {"scalarlg", D, 0, Defect::cseq_out_of_range},
    {"quotbal", R, 400, Defect::bad_address},
    {"ltgtruri", R, 400, Defect::bad_request_uri},
    {"lwsruri", R, 400, Defect::bad_request_line},
    {"lwsstart", R, 400, Defect::bad_request_line},
    {"trws", R, 400, Defect::bad_request_line},
    {"escruri", R, 400, Defect::bad_request_uri},
    {"baddate", R, 400, Defect::bad_date},
    {"regbadct", R, 400, Defect::bad_address},
    {"badaspec", R, 400, Defect::bad_address},
    {"baddn", R, 400, Defect::bad_address},
    {"badvers", R, 505, Defect::unsupported_version},
    {"mismatch01", R, 400, Defect::cseq_method_mismatch},
    {"mismatch02", R, 400, Defect::cseq_method_mismatch},
    {"bigcode", D, 0, Defect::bad_status_line},
    // 3.2 transaction layer
    {"badbranch", P, 0, Defect::none},
    // 3.3 application layer
    {"insuf", R, 400, Defect::missing_header},
    {"unkscm", R, 416, Defect::unsupported_uri_scheme},
    {"novelsc", R, 416, Defect::unsupported_uri_scheme},
    {"unksm2", R, 416, Defect::unsupported_uri_scheme},
    {"bext01", R, 420, Defect::unsupported_extension,
     "Unsupported: nothingSupportsThis, nothingSupportsThisEither\r\n"},
    {"invut", R, 415, Defect::unsupported_media_type, "Accept: application/sdp\r\n"},
    {"regaut01", P, 0, Defect::none}, // the registrar challenges it (401)
    {"multi01", R, 400, Defect::duplicate_header},
    {"mcl01", R, 400, Defect::duplicate_header},
    {"bcast", D, 0, Defect::broadcast_via},
    {"zeromf", P, 0, Defect::none},
    {"cparam01", P, 0, Defect::none},
    {"cparam02", P, 0, Defect::none},
    {"regescrt", P, 0, Defect::none},
    {"sdp01", P, 0, Defect::none}, // the session layer answers 488/406 from Accept
    // 3.4 backward compatibility
    {"inv2543", P, 0, Defect::none},
};

// RFC 5118: 12 messages.
const std::vector<TortureCase> kRfc5118 = {
    {"ipv6-good", P, 0, Defect::none},
    {"port-ambiguous", P, 0, Defect::none}, // [2001:db8::10:5070] is an address, no port
    {"port-unambiguous", P, 0, Defect::none},
    {"ipv6-bad", R, 400, Defect::bad_request_uri}, // sip:2001:db8::10 without brackets
    {"via-received-param-with-delim", P, 0, Defect::none},
    {"via-received-param-no-delim", P, 0, Defect::none},
    {"ipv6-in-sdp", P, 0, Defect::none, {}, 10},
    {"mult-ip-in-header", P, 0, Defect::none},
    {"mult-ip-in-sdp", P, 0, Defect::none, {}, 8},
    {"ipv4-mapped-ipv6", P, 0, Defect::none, {}, 9},
    {"ipv6-correct-abnf-2-colons", P, 0, Defect::none},
    {"ipv6-bug-abnf-3-colons", R, 400, Defect::bad_request_uri}, // strict, RFC 5954 grammar
};

void expect_verdict(const std::string& path, const TortureCase& expected) {
    const auto message = test::read_file(path);
    ASSERT_TRUE(message.has_value()) << "missing torture file " << path;
    const SanityVerdict verdict = check_sip_message(*message, server_policy());
    EXPECT_EQ(verdict.action, expected.action) << expected.file << ": " << describe(verdict.defect);
    EXPECT_EQ(verdict.defect, expected.defect)
        << expected.file << ": got " << describe(verdict.defect) << ", want "
        << describe(expected.defect);
    EXPECT_EQ(verdict.status, expected.status) << expected.file;
    EXPECT_EQ(verdict.extra_headers.view(), expected.extra_headers) << expected.file;
    if (expected.action == Action::pass) {
        EXPECT_EQ(verdict.message_size, message->size() - expected.ignored_tail) << expected.file;
    }
}

TEST(SanityTorture, Rfc4475AllMessages) {
    ASSERT_EQ(kRfc4475.size(), 49u);
    for (const TortureCase& c : kRfc4475) {
        if (c.file == "dblreq") continue; // its own test: only the first request counts
        SCOPED_TRACE(std::string(c.file));
        expect_verdict(test::torture_dir() + "/rfc4475/" + std::string(c.file) + ".dat", c);
    }
}

TEST(SanityTorture, Rfc5118AllMessages) {
    ASSERT_EQ(kRfc5118.size(), 12u);
    for (const TortureCase& c : kRfc5118) {
        SCOPED_TRACE(std::string(c.file));
        expect_verdict(test::torture_dir() + "/rfc5118/" + std::string(c.file), c);
    }
}

// dblreq: a REGISTER with Content-Length 0 followed by an INVITE in the same datagram. Only the
// REGISTER counts; message_size stops at its (empty) body.
TEST(SanityTorture, DblreqFirstRequestOnly) {
    const auto message = test::read_file(test::torture_dir() + "/rfc4475/dblreq.dat");
    ASSERT_TRUE(message.has_value());
    const SanityVerdict verdict = check_sip_message(*message, server_policy());
    EXPECT_EQ(verdict.action, Action::pass);
    const std::size_t register_end = message->find("\r\n\r\n") + 4;
    EXPECT_EQ(verdict.message_size, register_end);
    EXPECT_EQ(message->substr(register_end, 8), "\r\nINVITE");
}

// The tables and the corpus on disk match both ways: a missing file fails, and a new file must
// get an expected verdict.
TEST(SanityTorture, TablesCoverTheCorpus) {
    const auto names_on_disk = [](const std::string& dir, std::string_view suffix) {
        std::set<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::string name = entry.path().filename().string();
            if (!name.ends_with(suffix)) continue;
            name.resize(name.size() - suffix.size());
            names.insert(name);
        }
        return names;
    };
    const auto names_in_table = [](const std::vector<TortureCase>& table) {
        std::set<std::string> names;
        for (const TortureCase& c : table)
            names.emplace(c.file);
        return names;
    };
    EXPECT_EQ(names_on_disk(test::torture_dir() + "/rfc4475", ".dat"), names_in_table(kRfc4475));
    EXPECT_EQ(names_on_disk(test::torture_dir() + "/rfc5118", ""), names_in_table(kRfc5118));
    EXPECT_EQ(names_in_table(kRfc4475).size(), 49u);
    EXPECT_EQ(names_in_table(kRfc5118).size(), 12u);
}

// Over a stream the same messages keep their verdicts except those without Content-Length.
TEST(SanityTorture, StreamTransportNeedsContentLength) {
    SanityPolicy policy = server_policy();
    policy.transport = Transport::stream;
    const auto inv2543 = test::read_file(test::torture_dir() + "/rfc4475/inv2543.dat");
    ASSERT_TRUE(inv2543.has_value());
    const SanityVerdict verdict = check_sip_message(*inv2543, policy);
    EXPECT_EQ(verdict.action, Action::reject);
    EXPECT_EQ(verdict.status, 400);
    EXPECT_EQ(verdict.defect, Defect::missing_content_length);

    const auto wsinv = test::read_file(test::torture_dir() + "/rfc4475/wsinv.dat");
    ASSERT_TRUE(wsinv.has_value());
    EXPECT_EQ(check_sip_message(*wsinv, policy).action, Action::pass);
}

} // namespace
} // namespace suflyor::sip
