#pragma once
// Walk<Step>: a forward range over variable-length records in a byte span, decoded lazily.
// Step::next(rest, out) decodes one record from the front of `rest`, advances it, and returns
// false at the end. Used over spans a parser already validated, so a step never sees bad bytes.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

namespace suflyor::rtp::detail {

template <class Step> class Walk {
public:
    using value_type = typename Step::value_type;

    class iterator {
    public:
        using value_type = typename Step::value_type;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        constexpr explicit iterator(std::span<const std::uint8_t> bytes) noexcept : rest_(bytes) {
            advance();
        }
        // By value: `const auto& x = *range.begin();` must not dangle into a temporary iterator.
        constexpr value_type operator*() const noexcept { return current_; }
        constexpr const value_type* operator->() const noexcept { return &current_; }
        constexpr iterator& operator++() noexcept {
            advance();
            return *this;
        }
        constexpr iterator operator++(int) noexcept {
            iterator before = *this;
            advance();
            return before;
        }
        friend constexpr bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return it.done_;
        }

    private:
        constexpr void advance() noexcept { done_ = !Step::next(rest_, current_); }

        std::span<const std::uint8_t> rest_;
        value_type current_{};
        bool done_ = true;
    };

    constexpr Walk() = default;
    constexpr explicit Walk(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

    [[nodiscard]] constexpr iterator begin() const noexcept { return iterator{bytes_}; }
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    [[nodiscard]] constexpr bool empty() const noexcept { return begin() == end(); }
    [[nodiscard]] constexpr std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }

private:
    std::span<const std::uint8_t> bytes_;
};

} // namespace suflyor::rtp::detail
