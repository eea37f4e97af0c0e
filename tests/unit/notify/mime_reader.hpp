#pragma once
// Reads back what the notify module writes: header fields (unfolded), RFC 2047 encoded-words and
// base64 bodies. Written independently of the module's encoder so the tests check it.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace suflyor::notify::test {

inline std::string base64_decode(std::string_view text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        if (c == '\r' || c == '\n') continue;
        if (c == '=') break;
        const int v = value(c);
        if (v < 0) throw std::invalid_argument("not base64: " + std::string(1, c));
        bits = (bits << 6) | static_cast<unsigned>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    return out;
}

// "=?UTF-8?B?...?=" words separated by folding white space → their text; other text kept.
inline std::string decode_words(std::string_view value) {
    std::string out;
    bool last_was_word = false;
    while (!value.empty()) {
        if (value.starts_with("=?UTF-8?B?")) {
            const auto end = value.find("?=", 10);
            if (end == std::string_view::npos) throw std::invalid_argument("open encoded-word");
            out += base64_decode(value.substr(10, end - 10));
            value.remove_prefix(end + 2);
            last_was_word = true;
            continue;
        }
        const auto ws = value.find_first_not_of(" \t\r\n");
        if (ws != 0 && last_was_word &&
            value.substr(ws == std::string_view::npos ? value.size() : ws).starts_with("=?")) {
            value.remove_prefix(ws); // white space between two encoded-words is dropped
            continue;
        }
        out += value.front();
        value.remove_prefix(1);
        last_was_word = false;
    }
    return out;
}

struct ParsedMessage {
    std::map<std::string, std::string> headers; // unfolded values
    std::string body;                           // as sent, after the blank line
};

inline ParsedMessage parse_message(const std::string& data) {
    ParsedMessage m;
    const auto split = data.find("\r\n\r\n");
    if (split == std::string::npos) throw std::invalid_argument("no blank line");
    const std::string head = data.substr(0, split + 2);
    m.body = data.substr(split + 4);
    std::string name;
    for (std::size_t pos = 0; pos < head.size();) {
        const auto eol = head.find("\r\n", pos);
        const std::string line = head.substr(pos, eol - pos);
        pos = eol + 2;
        if (line.starts_with(" ") || line.starts_with("\t")) {
            m.headers[name] += "\r\n" + line; // keep the folding; decode_words drops it
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) throw std::invalid_argument("bad header: " + line);
        name = line.substr(0, colon);
        m.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    return m;
}

} // namespace suflyor::notify::test
