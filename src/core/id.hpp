#pragma once
// Opaque strong ids: an AccountId can never be passed where a UserId is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace suflyor::core {

template <class Tag> class Id {
public:
    constexpr explicit Id(std::int64_t value) : value_(value) {}
    [[nodiscard]] constexpr std::int64_t value() const { return value_; }
    [[nodiscard]] std::string str() const { return std::to_string(value_); }
    constexpr auto operator<=>(const Id&) const = default;

private:
    std::int64_t value_;
};

} // namespace suflyor::core

template <class Tag> struct std::hash<suflyor::core::Id<Tag>> {
    std::size_t operator()(const suflyor::core::Id<Tag>& id) const noexcept {
        return std::hash<std::int64_t>{}(id.value());
    }
};
