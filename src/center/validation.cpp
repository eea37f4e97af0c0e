#include "center/validation.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>

namespace suflyor::center::validate {
namespace {

[[noreturn]] void bad(std::string_view field, const std::string& why) {
    core::fail(core::ErrorCode::invalid_argument, std::string(field) + ": " + why);
}

std::string lower(std::string_view v) {
    std::string out(v);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

} // namespace

std::string label(std::string_view field, std::string_view value, std::size_t max_length) {
    auto text = trim(value);
    if (text.empty()) bad(field, "must not be empty");
    if (text.size() > max_length)
        bad(field, "longer than " + std::to_string(max_length) + " bytes");
    if (has_control(text)) bad(field, "contains control characters");
    return text;
}

std::string display_name(std::string_view field, std::string_view value) {
    return label(field, value, 200);
}

std::string login(std::string_view value) {
    const auto v = lower(value);
    if (v.empty() || v.size() > 64) bad("login", "must be 1 to 64 characters");
    if (!is_alnum(v.front())) bad("login", "must start with a letter or digit");
    for (char c : v)
        if (!is_alnum(c) && c != '.' && c != '_' && c != '-' && c != '@')
            bad("login", "may contain only letters, digits and . _ - @");
    return v;
}

void password(std::string_view field, std::string_view value) {
    if (value.size() < 8) bad(field, "must be at least 8 characters");
    if (value.size() > 1024) bad(field, "must be at most 1024 characters");
}

std::string email(std::string_view value) {
    auto v = trim(value);
    const auto at = v.find('@');
    if (v.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= v.size() ||
        v.find('@', at + 1) != std::string::npos || v.find(' ') != std::string::npos ||
        has_control(v) || v.find('.', at) == std::string::npos)
        bad("contact email", "'" + v + "' is not an email address");
    return v;
}

std::string domain(std::string_view field, std::string_view value) {
    const auto v = lower(trim(value));
    if (v.empty() || v.size() > 253) bad(field, "must be 1 to 253 characters");
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= v.size(); ++i) {
        if (i == v.size() || v[i] == '.') {
            const auto len = i - label_start;
            if (len == 0 || len > 63 || v[label_start] == '-' || v[i - 1] == '-')
                bad(field, "'" + v + "' is not a valid host name");
            label_start = i + 1;
        } else if (!is_alnum(v[i]) && v[i] != '-') {
            bad(field, "'" + v + "' is not a valid host name");
        }
    }
    return v;
}

void sip_user(std::string_view value) {
    if (value.empty() || value.size() > 64) bad("SIP user", "must be 1 to 64 characters");
    for (char c : value)
        if (!is_alnum(c) && c != '.' && c != '_' && c != '-' && c != '~')
            bad("SIP user", "may contain only letters, digits and . _ - ~");
}

std::string trim(std::string_view v) {
    const auto first = v.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = v.find_last_not_of(" \t\r\n");
    return std::string(v.substr(first, last - first + 1));
}

bool has_control(std::string_view v) {
    return std::any_of(v.begin(), v.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

} // namespace suflyor::center::validate
