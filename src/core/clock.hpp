#pragma once
// Injectable time. Domain code asks a Clock; tests drive a ManualClock and never sleep.
#include <chrono>
#include <cstdint>

namespace suflyor::core {

// Wall time at millisecond precision: what is stored and shown.
using WallTime = std::chrono::sys_time<std::chrono::milliseconds>;
// Monotonic time: what timers and durations are measured with.
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual WallTime wall_now() const = 0;
    [[nodiscard]] virtual MonoTime mono_now() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] WallTime wall_now() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now());
    }
    [[nodiscard]] MonoTime mono_now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when told to. Wall and monotonic time advance together.
class ManualClock final : public Clock {
public:
    explicit ManualClock(WallTime start = WallTime{std::chrono::milliseconds{1'700'000'000'000}})
        : wall_(start) {}
    [[nodiscard]] WallTime wall_now() const override { return wall_; }
    [[nodiscard]] MonoTime mono_now() const override { return mono_; }
    void advance(std::chrono::milliseconds by) {
        wall_ += by;
        mono_ += by;
    }

private:
    WallTime wall_;
    MonoTime mono_{};
};

inline std::int64_t to_unix_ms(WallTime t) { return t.time_since_epoch().count(); }
inline WallTime from_unix_ms(std::int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }

} // namespace suflyor::core
