#include "notify/message.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace suflyor::notify {
namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::size_t body_line_length = 76; // RFC 2045 6.8
constexpr std::size_t header_line_limit = 76;
// "=?UTF-8?B?" + base64 + "?=": 39 bytes of text make a 64-column word.
constexpr std::size_t encoded_word_bytes = 39;
constexpr std::string_view word_prefix = "=?UTF-8?B?";

bool printable_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

// The length of the longest prefix of at most `max` bytes that ends on a UTF-8 character
// boundary (never splits a multi-byte sequence; at least one character).
std::size_t utf8_prefix(std::string_view text, std::size_t max) {
    if (text.size() <= max) return text.size();
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xc0) == 0x80)
        --n;
    if (n > 0) return n;
    n = 1; // a sequence longer than `max`: keep it whole
    while (n < text.size() && (static_cast<unsigned char>(text[n]) & 0xc0) == 0x80)
        ++n;
    return n;
}

std::string crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (text[i] == '\n' || text[i] == '\r') {
            out += "\r\n";
            continue;
        }
        out += text[i];
    }
    return out;
}

} // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0})
            out += base64_alphabet[(v >> shift) & 0x3f];
    }
    if (const auto rest = bytes.size() - i; rest > 0) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += base64_alphabet[(v >> 18) & 0x3f];
        out += base64_alphabet[(v >> 12) & 0x3f];
        out += rest == 2 ? base64_alphabet[(v >> 6) & 0x3f] : '=';
        out += '=';
    }
    return out;
}

std::string format_date(core::WallTime time) {
    using namespace std::chrono;
    static constexpr std::array<const char*, 7> weekdays{"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(time);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(time - day)};
    char out[64];
    std::snprintf(out, sizeof out, "%s, %02u %s %d %02d:%02d:%02d +0000",
                  weekdays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                  months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return out;
}

std::string encode_header_text(std::string_view text, std::size_t name_length) {
    if (printable_ascii(text) && text.find("=?") == std::string_view::npos &&
        name_length + text.size() <= header_line_limit)
        return std::string(text);
    std::string out;
    while (!text.empty()) {
        const auto n = utf8_prefix(text, encoded_word_bytes);
        if (!out.empty()) out += "\r\n "; // folding: the white space between words is ignored
        out += word_prefix;
        out += base64_encode(text.substr(0, n));
        out += "?=";
        text.remove_prefix(n);
    }
    return out;
}

std::string_view address_of(std::string_view mailbox) {
    const auto open = mailbox.rfind('<');
    const auto close = mailbox.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return mailbox;
    return mailbox.substr(open + 1, close - open - 1);
}

std::string format_mailbox(std::string_view mailbox) {
    const auto open = mailbox.rfind('<');
    if (open == std::string_view::npos) return std::string(mailbox);
    auto name = mailbox.substr(0, open);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.remove_suffix(1);
    if (name.empty()) return "<" + std::string(address_of(mailbox)) + ">";
    std::string shown;
    const bool atoms =
        printable_ascii(name) && name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos;
    if (atoms)
        shown = name;
    else
        for (auto rest = name; !rest.empty();) {
            const auto n = utf8_prefix(rest, encoded_word_bytes);
            if (!shown.empty()) shown += ' ';
            shown += std::string(word_prefix) + base64_encode(rest.substr(0, n)) + "?=";
            rest.remove_prefix(n);
        }
    return shown + " <" + std::string(address_of(mailbox)) + ">";
}

bool plausible_address(std::string_view address) {
    const auto at = address.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
        address.find('@', at + 1) != std::string_view::npos)
        return false;
    for (unsigned char c : address)
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '"') return false;
    return true;
}

std::string format_message(const Message& m, std::string_view from) {
    const auto sender = address_of(from);
    const auto at = sender.find('@');
    const auto domain =
        at == std::string_view::npos ? std::string_view("localhost") : sender.substr(at + 1);
    std::string out;
    out += "Date: " + format_date(m.date) + "\r\n";
    out += "From: " + format_mailbox(from) + "\r\n";
    out += "To: <" + m.to + ">\r\n";
    out += "Subject: " + encode_header_text(m.subject, 9) + "\r\n";
    out += "Message-ID: <" + m.unique_key + "@" + std::string(domain) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Auto-Submitted: auto-generated\r\n"; // RFC 3834: no vacation replies to this
    out += "\r\n";
    const auto body = base64_encode(crlf_lines(m.body));
    for (std::size_t i = 0; i < body.size(); i += body_line_length) {
        out.append(body, i, body_line_length);
        out += "\r\n";
    }
    return out;
}

} // namespace suflyor::notify
