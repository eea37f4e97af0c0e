#include "app/text_table.hpp"

#include <algorithm>
#include <ostream>

namespace suflyor::app {
namespace {

// Decodes the code point at `text[i]`, advancing `i`; a malformed byte decodes as itself.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length == 0 || i + length > text.size()) {
        ++i;
        return lead;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto byte = static_cast<unsigned char>(text[i + k]);
        if ((byte & 0xC0) != 0x80) {
            ++i;
            return lead;
        }
        cp = (cp << 6) | (byte & 0x3F);
    }
    i += length;
    return cp;
}

bool zero_width(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || // combining diacritics (й written as и + ̆)
           (cp >= 0x0483 && cp <= 0x0489) || // Cyrillic combining marks
           (cp >= 0x200B && cp <= 0x200F) || // zero-width space, joiners, direction marks
           (cp >= 0xFE00 && cp <= 0xFE0F) || // variation selectors
           cp == 0xFEFF;
}

bool wide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
           (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

} // namespace

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = next_code_point(text, i);
        width += zero_width(cp) ? 0 : wide(cp) ? 2 : 1;
    }
    return width;
}

std::string pad_to_width(const std::string& text, std::size_t width) {
    const auto shown = display_width(text);
    return shown >= width ? text : text + std::string(width - shown, ' ');
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return;
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], display_width(row[i]));
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            out << (i + 1 < row.size() && i < width.size() ? pad_to_width(row[i], width[i] + 2)
                                                           : row[i]);
        out << "\n";
    }
}

} // namespace suflyor::app
