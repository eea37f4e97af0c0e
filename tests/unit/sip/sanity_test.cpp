// The sanity check rule by rule, on small hand-written messages derived from RFC 3261 examples.
#include "sip/sanity.hpp"
#include "sip/sanity_grammar.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sip {
namespace {

constexpr std::string_view kSdp =
    "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.1\r\n"
    "s=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n";

// The RFC 3261 section 24.2 F1 INVITE, with header lines replaceable by name.
struct Message {
    std::string start = "INVITE sip:bob@biloxi.example.com SIP/2.0";
    std::vector<std::string> headers = {
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK74bf9",
        "Max-Forwards: 70",
        "To: Bob <sip:bob@biloxi.example.com>",
        "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
        "Call-ID: 3848276298220188511@atlanta.example.com",
        "CSeq: 1 INVITE",
        "Contact: <sip:alice@client.atlanta.example.com;transport=udp>",
        "Content-Type: application/sdp",
    };
    std::string body = std::string(kSdp);
    bool content_length = true;

    // Replaces the header whose line starts with `name` + ':' (or removes it when line is empty).
    Message& set(std::string_view name, std::string line) {
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            if (it->starts_with(std::string(name) + ":")) {
                if (line.empty())
                    headers.erase(it);
                else
                    *it = std::move(line);
                return *this;
            }
        }
        if (!line.empty()) headers.push_back(std::move(line));
        return *this;
    }
    Message& add(std::string line) {
        headers.push_back(std::move(line));
        return *this;
    }
    Message& with_start(std::string line) {
        start = std::move(line);
        return *this;
    }
    Message& with_body(std::string text) {
        body = std::move(text);
        return *this;
    }
    [[nodiscard]] std::string text() const {
        std::string out = start + "\r\n";
        for (const std::string& h : headers)
            out += h + "\r\n";
        if (content_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        return out + "\r\n" + body;
    }
};

Message invite() { return {}; }

Message options() {
    Message m;
    m.start = "OPTIONS sip:bob@biloxi.example.com SIP/2.0";
    m.set("CSeq", "CSeq: 2 OPTIONS").set("Content-Type", "").with_body("");
    return m;
}

Message response(std::string status_line) {
    Message m;
    m.start = std::move(status_line);
    m.set("Max-Forwards", "").set("Contact", "").set("Content-Type", "").with_body("");
    return m;
}

Message method(std::string name) {
    Message m = options();
    m.start = name + " sip:bob@biloxi.example.com SIP/2.0";
    m.set("CSeq", "CSeq: 1 " + name);
    return m;
}

constexpr std::array<std::string_view, 2> kTimerAnd100rel = {"timer", "100rel"};

struct Rule {
    std::string name;
    std::string message;
    Action action;
    std::uint16_t status;
    Defect defect;
    std::string extra_headers = {};
};

void run(const std::vector<Rule>& rules, const SanityPolicy& policy = {}) {
    for (const Rule& rule : rules) {
        const SanityVerdict v = check_sip_message(rule.message, policy);
        EXPECT_EQ(v.action, rule.action) << rule.name << ": " << describe(v.defect);
        EXPECT_EQ(v.defect, rule.defect)
            << rule.name << ": got " << describe(v.defect) << ", want " << describe(rule.defect);
        EXPECT_EQ(v.status, rule.status) << rule.name;
        EXPECT_EQ(v.extra_headers.view(), rule.extra_headers) << rule.name;
        if (rule.action == Action::reject) {
            EXPECT_FALSE(v.reason.empty()) << rule.name;
        }
    }
}

constexpr auto P = Action::pass;
constexpr auto R = Action::reject;
constexpr auto D = Action::drop;

TEST(SanityRules, StartLine) {
    run({
        {"rfc3261 F1 invite", invite().text(), P, 0, Defect::none},
        {"sips", invite().with_start("INVITE sips:bob@biloxi.example.com SIP/2.0").text(), P, 0,
         Defect::none},
        {"tel",
         invite().with_start("INVITE tel:+15551234567;phone-context=example.com SIP/2.0").text(), P,
         0, Defect::none},
        {"uri params",
         invite().with_start("INVITE sip:bob@192.0.2.4:5061;transport=tcp SIP/2.0").text(), P, 0,
         Defect::none},
        {"trailing SP", invite().with_start("INVITE sip:bob@biloxi.example.com SIP/2.0 ").text(), R,
         400, Defect::bad_request_line},
        {"double SP", invite().with_start("INVITE sip:bob@biloxi.example.com  SIP/2.0").text(), R,
         400, Defect::bad_request_line},
        {"SP in URI", invite().with_start("INVITE sip:bob@biloxi .example.com SIP/2.0").text(), R,
         400, Defect::bad_request_line},
        // Without "token SP" at the start nothing identifies a request to answer.
        {"method not a token",
         invite().with_start("INV@TE sip:bob@biloxi.example.com SIP/2.0").text(), D, 0,
         Defect::not_sip},
        {"version 2.1", invite().with_start("INVITE sip:bob@biloxi.example.com SIP/2.1").text(), R,
         505, Defect::unsupported_version},
        {"version lowercase",
         invite().with_start("INVITE sip:bob@biloxi.example.com sip/2.0").text(), P, 0,
         Defect::none},
        {"version garbage", invite().with_start("INVITE sip:bob@biloxi.example.com SIP/2").text(),
         R, 400, Defect::bad_version},
        {"port too big", invite().with_start("INVITE sip:bob@192.0.2.4:65536 SIP/2.0").text(), R,
         400, Defect::bad_request_uri},
        {"bad IPv4", invite().with_start("INVITE sip:bob@192.0.2.256 SIP/2.0").text(), R, 400,
         Defect::bad_request_uri},
        {"bad hostname", invite().with_start("INVITE sip:bob@-biloxi.example.com SIP/2.0").text(),
         R, 400, Defect::bad_request_uri},
        {"unclosed IPv6", invite().with_start("INVITE sip:bob@[2001:db8::1 SIP/2.0").text(), R, 400,
         Defect::bad_request_uri},
        {"bad escape", invite().with_start("INVITE sip:b%2Gb@biloxi.example.com SIP/2.0").text(), R,
         400, Defect::bad_request_uri},
        {"empty uri param",
         invite().with_start("INVITE sip:bob@biloxi.example.com;;lr SIP/2.0").text(), R, 400,
         Defect::bad_request_uri},
        {"unknown scheme",
         invite().with_start("INVITE mailto:bob@biloxi.example.com SIP/2.0").text(), R, 416,
         Defect::unsupported_uri_scheme},
        {"no scheme", invite().with_start("INVITE bob@biloxi.example.com SIP/2.0").text(), R, 400,
         Defect::bad_request_uri},
    });
}

TEST(SanityRules, StatusLine) {
    run({
        {"200", response("SIP/2.0 200 OK").text(), P, 0, Defect::none},
        {"no reason", response("SIP/2.0 180").text(), P, 0, Defect::none},
        {"UTF-8 reason", response("SIP/2.0 486 Occup\xc3\xa9").text(), P, 0, Defect::none},
        {"control in reason", response("SIP/2.0 486 Bu\x01sy").text(), D, 0,
         Defect::bad_status_line},
        {"099", response("SIP/2.0 099 Low").text(), D, 0, Defect::bad_status_line},
        {"700", response("SIP/2.0 700 High").text(), D, 0, Defect::bad_status_line},
        {"two digits", response("SIP/2.0 20 Short").text(), D, 0, Defect::bad_status_line},
        {"four digits", response("SIP/2.0 2000 Long").text(), D, 0, Defect::bad_status_line},
        {"SIP/3.0", response("SIP/3.0 200 OK").text(), D, 0, Defect::bad_version},
        {"no Call-ID", response("SIP/2.0 200 OK").set("Call-ID", "").text(), D, 0,
         Defect::missing_header},
        {"response CSeq method free", response("SIP/2.0 200 OK").set("CSeq", "CSeq: 7 BYE").text(),
         P, 0, Defect::none},
    });
}

TEST(SanityRules, HeaderLines) {
    Message many = options();
    for (int i = 0; i < 100; ++i)
        many.add("X-Filler: " + std::to_string(i));
    Message long_line = options();
    long_line.add("Subject: " + std::string(kMaxLineSize, 'a'));
    Message long_fold = options();
    long_fold.add("Subject: " + std::string(5000, 'a') + "\r\n " + std::string(5000, 'b'));
    std::string unterminated = options().text();
    unterminated.resize(unterminated.find("\r\n\r\n") + 2);
    run({
        {"leading WSP on first field", options().set("Via", " Via: SIP/2.0/UDP 192.0.2.1").text(),
         R, 400, Defect::bad_header_line},
        {"no colon", options().add("Subject hello").text(), R, 400, Defect::bad_header_line},
        {"space in name", options().add("Max Forwards: 70").text(), R, 400,
         Defect::bad_header_line},
        {"empty name", options().add(": value").text(), R, 400, Defect::bad_header_line},
        {"WSP before colon", options().set("Max-Forwards", "Max-Forwards \t: 70").text(), P, 0,
         Defect::none},
        {"folded value", options().add("Subject: hello\r\n\tworld").text(), P, 0, Defect::none},
        {"bare LF line ends",
         "OPTIONS sip:bob@biloxi.example.com SIP/2.0\nVia: SIP/2.0/UDP "
         "192.0.2.1\nTo: <sip:bob@biloxi.example.com>\nFrom: <sip:a@b.example>;"
         "tag=1\nCall-ID: x\nCSeq: 1 OPTIONS\n\n",
         P, 0, Defect::none},
        {"bare CR", options().add("Subject: a\rb").text(), R, 400, Defect::bad_header_line},
        {"compact and case",
         options()
             .set("Via", "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx")
             .set("To", "t: <sip:bob@biloxi.example.com>")
             .set("Call-ID", "I: abc")
             .set("CSeq", "cSeQ: 2 OPTIONS")
             .text(),
         P, 0, Defect::none},
        {"unknown field anything", options().add("X-Odd: ;;,,<<\"").text(), P, 0, Defect::none},
        {"101 fields", many.text(), R, 400, Defect::too_many_headers},
        {"line over cap", long_line.text(), R, 400, Defect::line_too_long},
        {"folded field over cap", long_fold.text(), R, 400, Defect::line_too_long},
        {"no empty line", unterminated, R, 400, Defect::unterminated_headers},
        {"duplicate To", options().add("To: <sip:carol@example.com>").text(), R, 400,
         Defect::duplicate_header},
        {"duplicate Expires", options().add("Expires: 10").add("Expires: 10").text(), R, 400,
         Defect::duplicate_header},
        {"duplicate Replaces",
         options().add("Replaces: a;to-tag=1;from-tag=2").add("Replaces: b").text(), R, 400,
         Defect::duplicate_header},
        {"two Contacts", options().add("Contact: <sip:a@192.0.2.9>").text(), P, 0, Defect::none},
        {"two Vias", options().add("Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKy").text(), P,
         0, Defect::none},
        {"missing Via", options().set("Via", "").text(), R, 400, Defect::missing_header},
        {"missing CSeq", options().set("CSeq", "").text(), R, 400, Defect::missing_header},
        {"missing From", options().set("From", "").text(), R, 400, Defect::missing_header},
        {"missing Max-Forwards is fine", options().set("Max-Forwards", "").text(), P, 0,
         Defect::none},
    });
}

TEST(SanityRules, Via) {
    const auto via = [](std::string value) { return options().set("Via", "Via: " + value).text(); };
    run({
        {"lws everywhere", via("SIP / 2.0 / UDP  192.0.2.1 : 5060 ; branch = z9hG4bKa ; rport"), P,
         0, Defect::none},
        {"list", via("SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP 192.0.2.2"), P, 0,
         Defect::none},
        {"received IPv4", via("SIP/2.0/UDP a.example.com;received=192.0.2.7"), P, 0, Defect::none},
        {"received [IPv6]", via("SIP/2.0/UDP a.example.com;received=[2001:db8::7]"), P, 0,
         Defect::none},
        {"ttl", via("SIP/2.0/UDP a.example.com;ttl=16"), P, 0, Defect::none},
        {"no transport", via("SIP/2.0 192.0.2.1"), R, 400, Defect::bad_via},
        {"version 1.0", via("SIP/1.0/UDP 192.0.2.1"), R, 400, Defect::bad_via},
        {"no sent-by", via("SIP/2.0/UDP"), R, 400, Defect::bad_via},
        {"bad port", via("SIP/2.0/UDP 192.0.2.1:99999"), R, 400, Defect::bad_via},
        {"branch without value", via("SIP/2.0/UDP 192.0.2.1;branch"), R, 400, Defect::bad_via},
        {"received hostname", via("SIP/2.0/UDP 192.0.2.1;received=a.example.com"), R, 400,
         Defect::bad_via},
        {"received bad IPv4", via("SIP/2.0/UDP 192.0.2.1;received=192.0.2.300"), R, 400,
         Defect::bad_via},
        {"ttl 256", via("SIP/2.0/UDP 192.0.2.1;ttl=256"), R, 400, Defect::bad_via},
        {"empty list element", via("SIP/2.0/UDP 192.0.2.1,"), R, 400, Defect::bad_via},
        {"broadcast sent-by", via("SIP/2.0/UDP 255.255.255.255"), D, 0, Defect::broadcast_via},
        {"multicast sent-by", via("SIP/2.0/UDP 224.0.1.75:5060"), D, 0, Defect::broadcast_via},
        {"IPv6 multicast", via("SIP/2.0/UDP [ff02::1]"), D, 0, Defect::broadcast_via},
        {"broadcast maddr", via("SIP/2.0/UDP 192.0.2.1;maddr=255.255.255.255"), D, 0,
         Defect::broadcast_via},
        {"broadcast received", via("SIP/2.0/UDP 192.0.2.1;received=239.1.1.1"), D, 0,
         Defect::broadcast_via},
        {"not multicast", via("SIP/2.0/UDP 223.255.255.255;received=[2001:db8::ff]"), P, 0,
         Defect::none},
    });
}

TEST(SanityRules, ScalarFields) {
    run({
        {"CSeq 2^31-1", options().set("CSeq", "CSeq: 2147483647 OPTIONS").text(), P, 0,
         Defect::none},
        {"CSeq 2^31", options().set("CSeq", "CSeq: 2147483648 OPTIONS").text(), R, 400,
         Defect::cseq_out_of_range},
        {"CSeq no number", options().set("CSeq", "CSeq: OPTIONS").text(), R, 400, Defect::bad_cseq},
        {"CSeq no method", options().set("CSeq", "CSeq: 2").text(), R, 400, Defect::bad_cseq},
        {"CSeq glued", options().set("CSeq", "CSeq: 2OPTIONS").text(), R, 400, Defect::bad_cseq},
        {"CSeq case differs", options().set("CSeq", "CSeq: 2 options").text(), R, 400,
         Defect::cseq_method_mismatch},
        {"Max-Forwards 255", options().set("Max-Forwards", "Max-Forwards: 255").text(), P, 0,
         Defect::none},
        {"Max-Forwards 256", options().set("Max-Forwards", "Max-Forwards: 256").text(), R, 400,
         Defect::bad_max_forwards},
        {"Max-Forwards -1", options().set("Max-Forwards", "Max-Forwards: -1").text(), R, 400,
         Defect::bad_max_forwards},
        {"Expires 2^32-1", options().add("Expires: 4294967295").text(), P, 0, Defect::none},
        {"Expires 2^32", options().add("Expires: 4294967296").text(), R, 400, Defect::bad_expires},
        {"Expires date form", options().add("Expires: Thu, 01 Dec 1994 16:00:00 GMT").text(), R,
         400, Defect::bad_expires},
        {"Call-ID word@word", options().set("Call-ID", "Call-ID: f81d4fae-7dec@[::1]").text(), P, 0,
         Defect::none},
        {"Call-ID with SP", options().set("Call-ID", "Call-ID: a b").text(), R, 400,
         Defect::bad_call_id},
        {"Call-ID two @", options().set("Call-ID", "Call-ID: a@b@c").text(), R, 400,
         Defect::bad_call_id},
        {"Call-ID empty", options().set("Call-ID", "Call-ID: ").text(), R, 400,
         Defect::bad_call_id},
        {"Date GMT", options().add("Date: Sat, 13 Nov 2010 23:29:00 GMT").text(), P, 0,
         Defect::none},
        {"Date UTC", options().add("Date: Sat, 13 Nov 2010 23:29:00 UTC").text(), R, 400,
         Defect::bad_date},
        {"Date bad hour", options().add("Date: Sat, 13 Nov 2010 24:29:00 GMT").text(), R, 400,
         Defect::bad_date},
        {"Content-Type params",
         invite().set("Content-Type", "c: application/sdp ; charset=\"utf-8\"").text(), P, 0,
         Defect::none},
        {"Content-Type no subtype",
         invite().set("Content-Type", "Content-Type: application").text(), R, 400,
         Defect::bad_content_type},
    });
}

TEST(SanityRules, Addresses) {
    const auto to = [](std::string value) { return options().set("To", "To: " + value).text(); };
    run({
        {"addr-spec with params", to("sip:bob@biloxi.example.com;tag=a6c85cf"), P, 0, Defect::none},
        {"quoted display", to("\"Bob \\\"B\\\"\" <sip:bob@biloxi.example.com>"), P, 0,
         Defect::none},
        {"token display, no LWS", to("Bob<sip:bob@biloxi.example.com>"), P, 0, Defect::none},
        {"URI headers in brackets", to("<sip:bob@biloxi.example.com?subject=hi>"), P, 0,
         Defect::none},
        {"unterminated <", to("<sip:bob@biloxi.example.com"), R, 400, Defect::bad_address},
        {"quoted display without <>", to("\"Bob\" sip:bob@biloxi.example.com"), R, 400,
         Defect::bad_address},
        {"unterminated quote", to("\"Bob <sip:bob@biloxi.example.com>"), R, 400,
         Defect::bad_address},
        {"raw control in quotes", to("\"B\x07ob\" <sip:bob@biloxi.example.com>"), R, 400,
         Defect::bad_address},
        {"LWS inside <>", to("<sip:bob@biloxi.example.com >"), R, 400, Defect::bad_address},
        {"bare URI with headers", to("sip:bob@biloxi.example.com?subject=hi"), R, 400,
         Defect::bad_address},
        {"two addresses in To", to("<sip:a@example.com>, <sip:b@example.com>"), R, 400,
         Defect::bad_address},
        {"empty param", to("<sip:bob@biloxi.example.com>;"), R, 400, Defect::bad_address},
        {"Contact star", options().set("Contact", "Contact: *").text(), P, 0, Defect::none},
        {"Contact star plus", options().set("Contact", "Contact: *, <sip:a@192.0.2.1>").text(), R,
         400, Defect::bad_address},
        {"Contact list",
         options().set("Contact", "m: <sip:a@192.0.2.1>;q=0.7, sip:b@192.0.2.2;expires=60").text(),
         P, 0, Defect::none},
        {"Contact empty element", options().set("Contact", "Contact: <sip:a@192.0.2.1>,,").text(),
         R, 400, Defect::bad_address},
        {"Route bracketed",
         options().add("Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>").text(), P, 0,
         Defect::none},
        {"Route bare", options().add("Route: sip:p1.example.com;lr").text(), R, 400,
         Defect::bad_address},
        {"Record-Route IPv6", options().add("Record-Route: <sip:[2001:db8::5];lr>").text(), P, 0,
         Defect::none},
    });
}

TEST(SanityRules, BodyLength) {
    Message short_cl = invite();
    short_cl.content_length = false;
    short_cl.add("Content-Length: 10");
    const std::string short_text = short_cl.text();
    Message long_cl = invite();
    long_cl.content_length = false;
    long_cl.add("Content-Length: " + std::to_string(kSdp.size() + 1));
    Message no_cl = invite();
    no_cl.content_length = false;
    run({
        {"CL shorter than body", short_text, P, 0, Defect::none},
        {"CL longer than body", long_cl.text(), R, 400, Defect::body_too_short},
        {"no CL on a datagram", no_cl.text(), P, 0, Defect::none},
        {"CL signed", options().add("l: +0").text(), R, 400, Defect::bad_content_length},
        {"CL huge", options().add("l: 99999999999999999999").text(), R, 400,
         Defect::bad_content_length},
        {"two CL", options().add("l: 0").text(), R, 400, Defect::duplicate_header},
    });
    const SanityVerdict v = check_sip_message(short_text);
    EXPECT_EQ(v.message_size, short_text.find("\r\n\r\n") + 4 + 10);

    SanityPolicy stream;
    stream.transport = Transport::stream;
    run({{"no CL on a stream", no_cl.text(), R, 400, Defect::missing_content_length}}, stream);
    // On a stream the bytes after the body are the next message.
    const std::string two = invite().text() + options().text();
    const SanityVerdict first = check_sip_message(two, stream);
    EXPECT_EQ(first.action, Action::pass);
    EXPECT_EQ(first.message_size, invite().text().size());
    // CRLF keep-alives before a message are skipped and counted.
    const std::string keepalive_then_invite = "\r\n\r\n" + invite().text();
    const SanityVerdict after_ping = check_sip_message(keepalive_then_invite, stream);
    EXPECT_EQ(after_ping.action, Action::pass);
    EXPECT_EQ(after_ping.message_size, keepalive_then_invite.size());
}

TEST(SanityRules, SizeCaps) {
    Message big = method("MESSAGE");
    big.set("Content-Type", "Content-Type: text/plain")
        .with_body(std::string(kMaxMessageSize, 'x'));
    Message big_response = response("SIP/2.0 200 OK");
    big_response.with_body(std::string(kMaxMessageSize, 'x'));
    run({
        {"request over 64 KiB", big.text(), R, 513, Defect::message_too_large},
        {"response over 64 KiB", big_response.text(), D, 0, Defect::message_too_large},
    });
    // A stream buffer may hold more than the cap; only the first message must fit in it.
    SanityPolicy stream;
    stream.transport = Transport::stream;
    Message half = method("MESSAGE");
    half.set("Content-Type", "Content-Type: text/plain")
        .with_body(std::string(kMaxMessageSize / 2, 'x'));
    const std::string two_halves = half.text() + half.text();
    Message padded = options(); // a header section that does not end within the cap
    for (int i = 0; i < 20; ++i)
        padded.add("X-Pad: " + std::string(4000, 'p'));
    ASSERT_GT(two_halves.size(), kMaxMessageSize);
    run(
        {
            {"stream: big message", big.text(), R, 513, Defect::message_too_large},
            {"stream: huge header", padded.text(), R, 513, Defect::message_too_large},
            {"stream: two messages over the cap", two_halves, P, 0, Defect::none},
        },
        stream);
    EXPECT_EQ(check_sip_message(two_halves, stream).message_size, half.text().size());
}

TEST(SanityRules, NotSip) {
    run({
        {"empty", "", D, 0, Defect::not_sip},
        {"keep-alive", "\r\n\r\n", D, 0, Defect::not_sip},
        {"TLS hello", std::string("\x16\x03\x01\x02\x00\x01\x00", 7), D, 0, Defect::not_sip},
        {"STUN", std::string("\x00\x01\x00\x00\x21\x12\xa4\x42", 8), D, 0, Defect::not_sip},
        {"tab after method", "INVITE\tsip:bob@example.com SIP/2.0\r\n\r\n", D, 0, Defect::not_sip},
        {"start line only", "OPTIONS sip:bob@example.com SIP/2.0", R, 400,
         Defect::unterminated_headers},
    });
}

TEST(SanityRules, Extensions) {
    SanityPolicy policy;
    policy.supported_options = kTimerAnd100rel;
    run(
        {
            {"supported", invite().add("Require: timer, 100REL").text(), P, 0, Defect::none},
            {"one unsupported", invite().add("Require: foo").text(), R, 420,
             Defect::unsupported_extension, "Unsupported: foo\r\n"},
            {"several fields",
             invite().add("Require: 100rel, Foo").add("Require: timer,bar").text(), R, 420,
             Defect::unsupported_extension, "Unsupported: Foo, bar\r\n"},
            {"Proxy-Require ignored at a UAS", invite().add("Proxy-Require: foo").text(), P, 0,
             Defect::none},
            {"ACK ignores Require", method("ACK").add("Require: foo").text(), P, 0, Defect::none},
            {"CANCEL ignores Require", method("CANCEL").add("Require: foo").text(), P, 0,
             Defect::none},
            {"empty Require", invite().add("Require: ").text(), R, 400, Defect::bad_option_tags},
            {"tag too long",
             invite().add("Require: " + std::string(kMaxOptionTagSize + 1, 'x')).text(), R, 400,
             Defect::bad_option_tags},
            {"syntax before 420",
             invite().add("Require: foo").set("Max-Forwards", "Max-Forwards: x").text(), R, 400,
             Defect::bad_max_forwards},
        },
        policy);
    // Default policy: no extension at all.
    run({{"default policy", invite().add("Require: timer").text(), R, 420,
          Defect::unsupported_extension, "Unsupported: timer\r\n"}});
}

TEST(SanityRules, ExtensionListOverflowKeepsWholeTags) {
    Message m = invite();
    std::string require = "Require: ";
    for (int i = 0; i < 40; ++i)
        require += (i ? ", tag" : "tag") + std::string(40, 'a' + i % 26);
    m.add(require);
    const SanityVerdict v = check_sip_message(m.text());
    ASSERT_EQ(v.status, 420);
    const std::string_view extra = v.extra_headers.view();
    EXPECT_TRUE(extra.starts_with("Unsupported: tag"));
    EXPECT_TRUE(extra.ends_with("\r\n"));
    // Whole 43-byte tags only: "Unsupported: " (13) + tag (43) + 21 x (", " + tag) + CRLF is the
    // most that fits in 1024 bytes.
    EXPECT_EQ(extra.size(), 13u + 43u + 21u * 45u + 2u) << extra;
}

TEST(SanityRules, SessionBodies) {
    static constexpr std::array<std::string_view, 2> kTypes = {"application/sdp",
                                                               "multipart/mixed"};
    SanityPolicy two_types;
    two_types.session_body_types = kTypes;
    run({
        {"sdp", invite().set("Content-Type", "Content-Type: Application/SDP").text(), P, 0,
         Defect::none},
        {"text in INVITE", invite().set("Content-Type", "Content-Type: text/plain").text(), R, 415,
         Defect::unsupported_media_type, "Accept: application/sdp\r\n"},
        {"text in UPDATE",
         method("UPDATE").set("Content-Type", "c: text/plain").with_body("hi").text(), R, 415,
         Defect::unsupported_media_type, "Accept: application/sdp\r\n"},
        {"text in MESSAGE",
         method("MESSAGE").set("Content-Type", "c: text/plain").with_body("hi").text(), P, 0,
         Defect::none},
        {"body without type", invite().set("Content-Type", "").text(), R, 400,
         Defect::missing_header},
        {"empty body any type", invite().set("Content-Type", "c: text/plain").with_body("").text(),
         P, 0, Defect::none},
    });
    run({{"accept list", invite().set("Content-Type", "c: text/plain").text(), R, 415,
          Defect::unsupported_media_type, "Accept: application/sdp, multipart/mixed\r\n"},
         {"multipart allowed", invite().set("Content-Type", "c: multipart/mixed;boundary=x").text(),
          P, 0, Defect::none}},
        two_types);
}

TEST(SanityRules, AckIsNeverAnswered) {
    run({
        {"ACK with bad CSeq", method("ACK").set("CSeq", "CSeq: 1 INVITE").text(), D, 0,
         Defect::cseq_method_mismatch},
        {"ACK unknown scheme",
         method("ACK").with_start("ACK mailto:bob@example.com SIP/2.0").text(), D, 0,
         Defect::unsupported_uri_scheme},
        {"CANCEL answered", method("CANCEL").set("CSeq", "CSeq: 1 INVITE").text(), R, 400,
         Defect::cseq_method_mismatch},
    });
}

TEST(SanityRules, RegisterAddressOfRecord) {
    Message reg = method("REGISTER");
    reg.start = "REGISTER sip:biloxi.example.com SIP/2.0";
    Message tel_aor = reg;
    tel_aor.set("To", "To: <tel:+15551234567>");
    Message sips_aor = reg;
    sips_aor.set("To", "To: <sips:bob@biloxi.example.com>");
    run({
        {"sip AOR", reg.text(), P, 0, Defect::none},
        {"sips AOR", sips_aor.text(), P, 0, Defect::none},
        {"tel AOR", tel_aor.text(), R, 416, Defect::unsupported_uri_scheme},
    });
}

struct HostCase {
    std::string_view text;
    bool valid;
};

TEST(SanityGrammar, Ipv6PerRfc5954) {
    const std::vector<HostCase> cases = {
        {"::", true},
        {"::1", true},
        {"1::", true},
        {"2001:db8::10", true},
        {"2001:db8::10:5070", true},
        {"1:2:3:4:5:6:7:8", true},
        {"1:2:3:4:5:6:7::", true},
        {"::ffff:192.0.2.10", true},
        {"2001:db8::192.0.2.1", true},
        {"1:2:3:4:5:6:192.0.2.1", true},
        {"FFFF::abcd", true},
        {"", false},
        {":", false},
        {":::", false},
        {"2001:db8:::192.0.2.1", false},
        {"1:2:3:4:5:6:7:8:9", false},
        {"1:2:3:4:5:6:7", false},
        {"1::2::3", false},
        {"12345::", false},
        {":1::", false},
        {"1:", false},
        {"1::2:", false},
        {"::ffff:192.0.2", false},
        {"::ffff:192.0.2.256", false},
        {"1:2:3:4:5:6:7:192.0.2.1", false},
        {"g::1", false},
    };
    for (const HostCase& c : cases)
        EXPECT_EQ(detail::is_valid_ipv6(c.text), c.valid) << c.text;
}

TEST(SanityGrammar, Hosts) {
    const std::vector<HostCase> cases = {
        {"example.com", true},     {"example.com.", true},
        {"a-b.example.com", true}, {"_sip.example.com", true},
        {"192.0.2.1", true},       {"[2001:db8::1]", true},
        {"localhost", true},       {"", false},
        {"example..com", false},   {".example.com", false},
        {"-a.example.com", false}, {"a-.example.com", false},
        {"example.123", false},    {"192.0.2", false},
        {"192.0.2.1.5", false},    {"1234.0.2.1", false},
        {"[192.0.2.1]", false},    {"[]", false},
        {"2001:db8::1", false},
    };
    for (const HostCase& c : cases)
        EXPECT_EQ(detail::is_valid_host(c.text), c.valid) << c.text;

    std::string longest; // 4 x 63-byte labels + dots = 255 bytes: over the 253-byte DNS limit
    for (int i = 0; i < 4; ++i)
        longest += (i ? "." : "") + std::string(63, 'a');
    EXPECT_FALSE(detail::is_valid_host(longest));
    EXPECT_TRUE(detail::is_valid_host(longest.substr(2)));
    EXPECT_FALSE(detail::is_valid_host("a" + std::string(64, 'b') + ".example.com")); // label > 63
}

} // namespace
} // namespace suflyor::sip
