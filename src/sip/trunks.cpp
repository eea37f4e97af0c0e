#include "sip/trunks.hpp"

#include <arpa/inet.h>
#include <cctype>
#include <cstring>

namespace suflyor::sip {

std::optional<AddressRange> AddressRange::parse(std::string_view text) {
    AddressRange r;
    const auto slash = text.find('/');
    const std::string address(text.substr(0, slash));
    if (inet_pton(AF_INET, address.c_str(), r.bytes_.data()) == 1) {
        r.family_ = AF_INET;
        r.prefix_ = 32;
    } else if (inet_pton(AF_INET6, address.c_str(), r.bytes_.data()) == 1) {
        r.family_ = AF_INET6;
        r.prefix_ = 128;
    } else {
        return std::nullopt;
    }
    if (slash != std::string_view::npos) {
        const auto bits = text.substr(slash + 1);
        if (bits.empty() || bits.size() > 3) return std::nullopt;
        int value = 0;
        for (char c : bits) {
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
            value = value * 10 + (c - '0');
        }
        if (value > r.prefix_) return std::nullopt;
        r.prefix_ = value;
    }
    return r;
}

bool AddressRange::contains(std::string_view ip) const {
    std::array<std::uint8_t, 16> other{};
    const std::string text(ip);
    const int family = text.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (family != family_ || inet_pton(family, text.c_str(), other.data()) != 1) return false;
    const int full = prefix_ / 8;
    if (std::memcmp(other.data(), bytes_.data(), static_cast<std::size_t>(full)) != 0) return false;
    const int rest = prefix_ % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (other[static_cast<std::size_t>(full)] & mask) ==
           (bytes_[static_cast<std::size_t>(full)] & mask);
}

const Trunk* TrunkTable::by_source(std::string_view ip) const {
    for (const auto& t : trunks_)
        for (const auto& range : t.sources)
            if (range.contains(ip)) return &t;
    return nullptr;
}

const Trunk* TrunkTable::by_name(std::string_view name) const {
    for (const auto& t : trunks_)
        if (t.name == name) return &t;
    return nullptr;
}

std::string normalize_number(std::string_view user) {
    std::string digits;
    for (std::size_t i = 0; i < user.size(); ++i) {
        const char c = user[i];
        if (std::isdigit(static_cast<unsigned char>(c)))
            digits.push_back(c);
        else if (c == '+' && digits.empty())
            continue;
        else if (c == '-' || c == ' ' || c == '(' || c == ')' || c == '.')
            continue;
        else
            return {};
    }
    return digits;
}

} // namespace suflyor::sip
