#pragma once
// Test vectors written as hex text ("80 c8 00 06 ..."): whitespace is ignored.
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace suflyor::rtp::test {

inline std::vector<std::uint8_t> hex(std::string_view text) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '|') continue;
        const int value = nibble(c);
        if (value < 0) throw std::invalid_argument("bad hex digit in test vector");
        if (high < 0) {
            high = value;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | value));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd number of hex digits in test vector");
    return out;
}

// `prefix` followed by `count` copies of `fill`.
inline std::vector<std::uint8_t> with_payload(std::vector<std::uint8_t> prefix, std::size_t count,
                                              std::uint8_t fill) {
    prefix.insert(prefix.end(), count, fill);
    return prefix;
}

// The elements of a lazily decoded range (its end is a sentinel, so no iterator-pair ctor).
template <class Range> std::vector<typename Range::value_type> collect(const Range& range) {
    std::vector<typename Range::value_type> out;
    for (const auto& element : range)
        out.push_back(element);
    return out;
}

} // namespace suflyor::rtp::test
