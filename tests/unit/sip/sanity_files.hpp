#pragma once
// Reading the shared SIP torture corpora (../shared/sip-torture beside the checkout).
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace suflyor::sip::test {

inline std::string torture_dir() {
    return std::string(SUFLYOR_SOURCE_DIR) + "/../shared/sip-torture";
}

inline std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace suflyor::sip::test
