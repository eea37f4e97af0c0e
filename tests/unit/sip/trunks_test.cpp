#include "sip/trunks.hpp"

#include <gtest/gtest.h>

namespace suflyor::sip {
namespace {

TEST(AddressRange, MatchesAddressesAndPrefixes) {
    struct Row {
        const char* range;
        const char* ip;
        bool inside;
    };
    const std::vector<Row> table{
        {"192.0.2.10", "192.0.2.10", true},      {"192.0.2.10", "192.0.2.11", false},
        {"10.20.0.0/16", "10.20.255.1", true},   {"10.20.0.0/16", "10.21.0.1", false},
        {"10.0.0.0/9", "10.127.0.1", true},      {"10.0.0.0/9", "10.128.0.1", false},
        {"0.0.0.0/0", "203.0.113.9", true},      {"2001:db8::/32", "2001:db8:1::5", true},
        {"2001:db8::/32", "2001:db9::5", false}, {"192.0.2.0/24", "2001:db8::1", false},
        {"127.0.0.1", "not-an-ip", false},
    };
    for (const auto& row : table) {
        const auto r = AddressRange::parse(row.range);
        ASSERT_TRUE(r) << row.range;
        EXPECT_EQ(r->contains(row.ip), row.inside) << row.range << " ? " << row.ip;
    }
    for (const char* bad :
         {"", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "::1/129", "host.example.com", "1.2.3.4/x"})
        EXPECT_FALSE(AddressRange::parse(bad)) << bad;
}

TEST(TrunkTable, FindsTheTrunkBySourceAndName) {
    Trunk a{"alpha",
            1,
            "192.0.2.1:5060",
            "udp",
            {*AddressRange::parse("192.0.2.0/24")},
            "+100",
            {{"100", "Sales"}}};
    Trunk b{"beta", 2, "198.51.100.1:5060", "udp", {*AddressRange::parse("198.51.100.7")},
            "+200", {}};
    TrunkTable table({a, b});
    EXPECT_EQ(table.by_source("192.0.2.77")->name, "alpha");
    EXPECT_EQ(table.by_source("198.51.100.7")->name, "beta");
    EXPECT_EQ(table.by_source("198.51.100.8"), nullptr);
    EXPECT_EQ(table.by_name("beta")->account_id, 2);
    EXPECT_EQ(table.by_name("gamma"), nullptr);
}

TEST(NormalizeNumber, KeepsDigitsOfPhoneNumbersOnly) {
    EXPECT_EQ(normalize_number("+7 (495) 000-00-01"), "74950000001");
    EXPECT_EQ(normalize_number("74950000001"), "74950000001");
    EXPECT_EQ(normalize_number("olga"), "");
    EXPECT_EQ(normalize_number("12+3"), "");
    EXPECT_EQ(normalize_number(""), "");
}

TEST(TrunkTable, ReplaceSwapsTheTrunksNewCallsSee) {
    Trunk file;
    file.name = "file";
    file.sources.push_back(*AddressRange::parse("127.0.0.2"));
    Trunk stored;
    stored.id = 7;
    stored.name = "stored";
    stored.sources.push_back(*AddressRange::parse("127.0.0.3"));
    TrunkTable table({file});
    EXPECT_EQ(table.by_source("127.0.0.3"), nullptr); // an unknown peer: it must authenticate
    table.replace({file, stored});
    ASSERT_NE(table.by_source("127.0.0.3"), nullptr);
    EXPECT_EQ(table.by_source("127.0.0.3")->name, "stored");
    EXPECT_EQ(table.by_source("127.0.0.3")->key(), "db:7");
    EXPECT_EQ(table.by_source("127.0.0.2")->key(), "config:file");
    table.replace({file});
    EXPECT_EQ(table.by_source("127.0.0.3"), nullptr);
    EXPECT_EQ(table.by_name("stored"), nullptr);
    EXPECT_NE(table.by_name("file"), nullptr);
}

} // namespace
} // namespace suflyor::sip
