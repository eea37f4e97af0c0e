#pragma once
// ParseResult<T, E>: a parsed view or the reason the input was rejected. No exceptions, no heap
// (std::expected is C++23; this is the small subset the parsers need).
#include <cassert>

namespace suflyor::rtp {

template <class T, class E> class ParseResult {
public:
    constexpr ParseResult(T value) noexcept : value_(value), ok_(true) {}
    constexpr ParseResult(E error) noexcept : error_(error), ok_(false) {}

    [[nodiscard]] constexpr bool ok() const noexcept { return ok_; }
    constexpr explicit operator bool() const noexcept { return ok_; }

    // Preconditions: ok() for value(), !ok() for error().
    [[nodiscard]] constexpr const T& value() const noexcept {
        assert(ok_);
        return value_;
    }
    constexpr const T* operator->() const noexcept { return &value(); }
    constexpr const T& operator*() const noexcept { return value(); }
    [[nodiscard]] constexpr E error() const noexcept {
        assert(!ok_);
        return error_;
    }

private:
    T value_{};
    E error_{};
    bool ok_;
};

} // namespace suflyor::rtp
