#pragma once
// Result<T, E>: a value or the reason there is none. No exceptions (std::expected is C++23).
// Unlike rtp::ParseResult this one holds owning, non-trivial values (strings, vectors).
#include <cassert>
#include <utility>
#include <variant>

namespace suflyor::sdp {

template <class T, class E> class Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : state_(std::in_place_index<1>, error) {}

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // Preconditions: ok() for value(), !ok() for error().
    [[nodiscard]] const T& value() const& noexcept {
        assert(ok());
        return *std::get_if<0>(&state_);
    }
    [[nodiscard]] T& value() & noexcept {
        assert(ok());
        return *std::get_if<0>(&state_);
    }
    [[nodiscard]] T&& value() && noexcept {
        assert(ok());
        return std::move(*std::get_if<0>(&state_));
    }
    const T* operator->() const noexcept { return &value(); }
    const T& operator*() const& noexcept { return value(); }
    [[nodiscard]] E error() const noexcept {
        assert(!ok());
        return *std::get_if<1>(&state_);
    }

private:
    std::variant<T, E> state_;
};

// The name the parsers of other modules use for the same idea.
template <class T, class E> using ParseResult = Result<T, E>;

} // namespace suflyor::sdp
