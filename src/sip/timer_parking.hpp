// Keeps libre's long timers out of its sorted timer list.
//
// libre 1.1.0 keeps every timer of a thread in one sorted linked list, and tmr_start() finds the
// insertion point by walking from the tail past every timer that expires later. Over UDP each call
// leaves several 32 s timers behind (RFC 3261 Timer J of the BYE, RFC 6026 Timer L of the INVITE,
// sipsess's ACK kept for 200 retransmissions), so at 200 calls/s the list holds ~20,000 timers and
// every short timer (T1 retransmissions, 2xx retransmissions) walks all of them: a third of the
// control loop's CPU, quadratic in the call rate (docs/performance.md, "SIP").
//
// While a TimerParking is active on a thread, tmr_start() calls on that thread with a delay of at
// least `park_from` do not enter libre's list: the timer is appended to a slot of a timing wheel
// (O(1)) and moved into libre's list by a sweep shortly before it is due, where it then fires
// through libre's own tmr_poll() at its exact expiry. libre's other timer functions keep working
// unchanged on a parked timer: tmr_cancel() unlinks it from whichever list holds it, and
// tmr_get_expire() / tmr_isrunning() read the fields a parked timer keeps current.
//
// The hook is a definition of tmr_start() in this program: libre calls tmr_start (and tmr_cancel
// calls it too) through its PLT, so the executable's definition is the one bound at run time; it
// forwards to libre's own for everything it does not park. Not thread-safe by design: libre's
// timers belong to one thread, and so does a TimerParking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

struct list;
struct tmr;

namespace suflyor::sip {

struct TimerParkingSettings {
    std::uint64_t park_from_ms = 2'000; // timers this long or longer are parked
    std::uint64_t slot_ms = 250;        // wheel resolution = sweep period (< park_from_ms)
    std::size_t slots = 512;            // horizon slots × slot_ms; longer ones are re-parked
};

class TimerParking {
public:
    using Settings = TimerParkingSettings;

    // Activates parking on the calling thread; only one may be active per thread.
    explicit TimerParking(Settings settings = {});
    // Hands every still-parked timer back to libre's list with its remaining time.
    ~TimerParking();
    TimerParking(const TimerParking&) = delete;
    TimerParking& operator=(const TimerParking&) = delete;

    std::size_t parked() const;
    std::uint64_t parked_total() const { return parked_total_; }

    // Called by the tmr_start() hook: parks the timer and returns true, or returns false and
    // leaves the timer to libre.
    bool park(tmr* timer, std::uint64_t delay_ms, void (*handler)(void*), void* arg);

private:
    static void on_sweep(void* arg);
    void sweep();
    void place(tmr* timer);
    void promote(tmr* timer, std::uint64_t now_ms);

    Settings settings_;
    std::unique_ptr<list[]> slots_;
    std::uint64_t cursor_ms_; // start time of the next slot to sweep
    std::uint64_t parked_total_ = 0;
    std::unique_ptr<tmr> sweep_timer_;
};

} // namespace suflyor::sip
