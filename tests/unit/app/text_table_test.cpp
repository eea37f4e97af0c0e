// `suflyor admin ... list` aligns columns by what a terminal shows: Cyrillic names take two bytes
// a letter but one column, and must line up with Latin ones.
#include "app/text_table.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace suflyor::app {
namespace {

TEST(TextTable, DisplayWidthCountsCharactersNotBytes) {
    EXPECT_EQ(display_width(""), 0u);
    EXPECT_EQ(display_width("Olga"), 4u);
    EXPECT_EQ(display_width("Ольга"), 5u); // 10 bytes
    EXPECT_EQ(std::string("Ольга").size(), 10u);
    EXPECT_EQ(display_width("Пётр Иванов"), 11u);
    EXPECT_EQ(display_width("и\xCC\x86"), 1u);    // и + combining breve: one column
    EXPECT_EQ(display_width("\xE4\xB8\xAD"), 2u); // 中: a wide character
    EXPECT_EQ(display_width("a\xFF"
                            "b"),
              3u);                        // a stray byte counts as one
    EXPECT_EQ(display_width("\xD0"), 1u); // a truncated sequence too
}

TEST(TextTable, PadsToTheWidthShown) {
    EXPECT_EQ(pad_to_width("Ольга", 8), "Ольга   ");
    EXPECT_EQ(pad_to_width("Olga", 8), "Olga    ");
    EXPECT_EQ(pad_to_width("Администратор", 5), "Администратор");
}

TEST(TextTable, ColumnsLineUpForCyrillicAndLatinNames) {
    std::ostringstream out;
    print_table(out, {{"ID", "NAME", "ROLE"},
                      {"1", "Owner", "creator"},
                      {"2", "Ольга Петрова", "operator"},
                      {"3", "Anna", "administrator"}});
    std::istringstream lines(out.str());
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);)
        rows.push_back(line);
    ASSERT_EQ(rows.size(), 4u);
    // The third column starts at the same terminal column on every line.
    for (const auto& row : rows) {
        const auto role = row.find_last_of(' ') + 1;
        EXPECT_EQ(display_width(row.substr(0, role)), (2u + 2) + (13 + 2)) << row;
    }
    EXPECT_EQ(rows[2], "2   Ольга Петрова  operator");
}

} // namespace
} // namespace suflyor::app
