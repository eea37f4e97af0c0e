#pragma once
// A periodic job on the control loop (libre's tmr): follow expiry, the mail outbox's cycle, token
// clean-up. Runs `work` every `period` until destroyed; destroy it on the loop's thread.
#include <re.h>

#include <chrono>
#include <functional>
#include <utility>

namespace suflyor::app {

class LoopTimer {
public:
    LoopTimer(std::chrono::milliseconds period, std::function<void()> work)
        : period_(period), work_(std::move(work)) {
        tmr_init(&timer_);
        tmr_start(&timer_, static_cast<std::uint64_t>(period_.count()), &LoopTimer::on_tick, this);
    }
    ~LoopTimer() { tmr_cancel(&timer_); }
    LoopTimer(const LoopTimer&) = delete;
    LoopTimer& operator=(const LoopTimer&) = delete;

private:
    static void on_tick(void* arg) {
        auto* self = static_cast<LoopTimer*>(arg);
        tmr_start(&self->timer_, static_cast<std::uint64_t>(self->period_.count()),
                  &LoopTimer::on_tick, self);
        self->work_();
    }
    std::chrono::milliseconds period_;
    std::function<void()> work_;
    ::tmr timer_{};
};

} // namespace suflyor::app
