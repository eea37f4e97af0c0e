#pragma once
// Character classes and a cursor over one SIP header value (RFC 3261 section 25.1). Internal to
// the sanity check.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace suflyor::sip::detail {

constexpr bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
constexpr bool is_token_char(char c) noexcept {
    return is_alnum(c) || std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

// unreserved = alphanum / mark (RFC 3261 25.1)
constexpr bool is_unreserved(char c) noexcept {
    return is_alnum(c) || std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
}

// word (Call-ID) = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
//                     "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" /
//                     "}")
constexpr bool is_word_char(char c) noexcept {
    return is_token_char(c) ||
           std::string_view("()<>:\\\"/[]?{}").find(c) != std::string_view::npos;
}

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

constexpr bool all_of(std::string_view s, bool (*pred)(char) noexcept) noexcept {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

constexpr bool is_token(std::string_view s) noexcept {
    return !s.empty() && all_of(s, is_token_char);
}

// Parses 1*DIGIT into a value no larger than `limit`; false on empty, non-digit or overflow.
// Leading zeros are allowed (RFC 4475 wsinv "0068").
constexpr bool parse_decimal(std::string_view s, std::uint64_t limit, std::uint64_t& out) noexcept {
    if (s.empty()) return false;
    std::uint64_t value = 0;
    for (char c : s) {
        if (!is_digit(c)) return false;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        if (value > limit) return false;
    }
    out = value;
    return true;
}

// A cursor over a header value. The value may contain folded lines ("CRLF 1*WSP"); the line
// splitter guarantees that any CR or LF inside it belongs to such a fold, so CR and LF count as
// linear white space here.
class Cursor {
public:
    constexpr explicit Cursor(std::string_view text) noexcept : text_(text) {}

    [[nodiscard]] constexpr bool at_end() const noexcept { return pos_ >= text_.size(); }
    [[nodiscard]] constexpr char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
    [[nodiscard]] constexpr std::size_t position() const noexcept { return pos_; }
    constexpr void advance() noexcept { ++pos_; }
    [[nodiscard]] constexpr std::string_view rest() const noexcept { return text_.substr(pos_); }

    // SWS: skips optional linear white space; returns whether any was skipped.
    constexpr bool skip_lws() noexcept {
        const std::size_t start = pos_;
        while (!at_end() && (is_wsp(text_[pos_]) || text_[pos_] == '\r' || text_[pos_] == '\n'))
            ++pos_;
        return pos_ != start;
    }

    constexpr bool eat(char c) noexcept {
        if (peek() != c || at_end()) return false;
        ++pos_;
        return true;
    }

    // SWS c SWS (HCOLON-like separators: SEMI, COMMA, EQUAL, SLASH, COLON).
    constexpr bool eat_separator(char c) noexcept {
        const std::size_t start = pos_;
        skip_lws();
        if (eat(c)) {
            skip_lws();
            return true;
        }
        pos_ = start;
        return false;
    }

    template <class Pred> constexpr std::string_view take_while(Pred pred) noexcept {
        const std::size_t start = pos_;
        while (!at_end() && pred(text_[pos_]))
            ++pos_;
        return text_.substr(start, pos_ - start);
    }

    constexpr std::string_view take_token() noexcept { return take_while(is_token_char); }

    // quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE; cursor on the opening quote.
    // qdtext is LWS (folds included), printable ASCII but '"' and '\\', or UTF-8; raw control
    // bytes need a quoted-pair, which escapes anything but CR and LF.
    constexpr bool skip_quoted_string() noexcept {
        if (!eat('"')) return false;
        while (!at_end()) {
            const char c = text_[pos_++];
            if (c == '"') return true;
            const auto byte = static_cast<unsigned char>(c);
            if ((byte < 0x20 && !is_wsp(c) && c != '\r' && c != '\n') || byte == 0x7f) return false;
            if (c == '\\') {
                if (at_end() || text_[pos_] == '\r' || text_[pos_] == '\n') return false;
                ++pos_;
            }
        }
        return false;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace suflyor::sip::detail
