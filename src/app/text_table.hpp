#pragma once
// Aligned text columns for the shell (`suflyor admin ... list`). Names are UTF-8 (Cyrillic in
// practice), so columns are padded by the width a terminal shows, not by bytes.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::app {

// Terminal columns `text` (UTF-8) takes: one per character, none for combining marks and
// zero-width characters, two for East Asian wide ones. Bytes that are not UTF-8 count one each.
std::size_t display_width(std::string_view text);

// `text` followed by spaces up to `width` columns (nothing added when it is already as wide).
std::string pad_to_width(const std::string& text, std::size_t width);

// Rows as columns two spaces apart, each as wide as its widest cell; the last is not padded.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

} // namespace suflyor::app
