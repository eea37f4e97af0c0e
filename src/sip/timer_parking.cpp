#include "sip/timer_parking.hpp"

#include <re.h>

#include <dlfcn.h>
#include <stdexcept>

namespace suflyor::sip {
namespace {

using StartFunction = void (*)(tmr*, std::uint64_t, tmr_h*, void*);

// libre's own tmr_start, found past this program's definition below.
StartFunction libre_tmr_start() {
    static const auto real = reinterpret_cast<StartFunction>(dlsym(RTLD_NEXT, "tmr_start"));
    return real;
}

// The parking of the current thread. The one piece of thread state here: a hook called from
// inside libre has no other way to find it.
thread_local TimerParking* active_parking = nullptr;

} // namespace

TimerParking::TimerParking(Settings settings)
    : settings_(settings), slots_(std::make_unique<list[]>(settings.slots)), cursor_ms_(0),
      sweep_timer_(std::make_unique<tmr>()) {
    if (settings_.slot_ms == 0 || settings_.slot_ms >= settings_.park_from_ms ||
        settings_.slots < 2)
        throw std::invalid_argument(
            "timer parking: slot_ms must be in (0, park_from_ms), slots >= 2");
    if (libre_tmr_start() == nullptr)
        throw std::runtime_error("timer parking: libre's tmr_start not found");
    if (active_parking != nullptr)
        throw std::logic_error("timer parking: already active on this thread");
    for (std::size_t i = 0; i < settings_.slots; ++i)
        list_init(&slots_[i]);
    cursor_ms_ = tmr_jiffies() / settings_.slot_ms * settings_.slot_ms;
    active_parking = this;
    tmr_init(sweep_timer_.get());
    tmr_start(sweep_timer_.get(), settings_.slot_ms, &TimerParking::on_sweep, this);
}

TimerParking::~TimerParking() {
    tmr_cancel(sweep_timer_.get());
    active_parking = nullptr;
    const std::uint64_t now = tmr_jiffies();
    for (std::size_t i = 0; i < settings_.slots; ++i)
        while (slots_[i].head != nullptr)
            promote(static_cast<tmr*>(slots_[i].head->data), now);
}

std::size_t TimerParking::parked() const {
    std::size_t count = 0;
    for (std::size_t i = 0; i < settings_.slots; ++i)
        count += list_count(&slots_[i]);
    return count;
}

bool TimerParking::park(tmr* timer, std::uint64_t delay_ms, void (*handler)(void*), void* arg) {
    if (timer == nullptr || handler == nullptr || delay_ms < settings_.park_from_ms) return false;
    if (timer->th != nullptr) list_unlink(&timer->le); // restarted: out of whichever list holds it
    const std::uint64_t now = tmr_jiffies();
    timer->th = handler;
    timer->arg = arg;
    timer->jfs = now + delay_ms;
    place(timer);
    ++parked_total_;
    return true;
}

// Into the slot swept shortly before the timer's last `park_from_ms`, never one already swept,
// and at most one revolution ahead (a longer timer is placed again when its slot comes).
void TimerParking::place(tmr* timer) {
    const std::uint64_t promote_at = timer->jfs - settings_.park_from_ms;
    const std::uint64_t horizon = cursor_ms_ + (settings_.slots - 1) * settings_.slot_ms;
    std::uint64_t slot_start = promote_at / settings_.slot_ms * settings_.slot_ms;
    if (slot_start < cursor_ms_) slot_start = cursor_ms_;
    if (slot_start > horizon) slot_start = horizon;
    list_append(&slots_[(slot_start / settings_.slot_ms) % settings_.slots], &timer->le, timer);
}

// Hands the timer to libre with the time it has left (0 when the loop was late: due now).
void TimerParking::promote(tmr* timer, std::uint64_t now_ms) {
    list_unlink(&timer->le);
    tmr_h* handler = timer->th;
    void* arg = timer->arg;
    const std::uint64_t left = timer->jfs > now_ms ? timer->jfs - now_ms : 0;
    timer->th = nullptr; // already unlinked: libre must not unlink it again
    libre_tmr_start()(timer, left, handler, arg);
}

void TimerParking::on_sweep(void* arg) { static_cast<TimerParking*>(arg)->sweep(); }

void TimerParking::sweep() {
    const std::uint64_t now = tmr_jiffies();
    while (cursor_ms_ <= now) {
        list& slot = slots_[(cursor_ms_ / settings_.slot_ms) % settings_.slots];
        cursor_ms_ += settings_.slot_ms;
        // Detach the slot first: a timer placed again (beyond the horizon) may land in it.
        list due;
        list_init(&due);
        while (slot.head != nullptr) {
            le* entry = slot.head;
            list_unlink(entry);
            list_append(&due, entry, entry->data);
        }
        while (due.head != nullptr) {
            auto* timer = static_cast<tmr*>(due.head->data);
            if (timer->jfs > now + settings_.park_from_ms + settings_.slot_ms) {
                list_unlink(&timer->le);
                place(timer);
            } else {
                promote(timer, now);
            }
        }
    }
    libre_tmr_start()(sweep_timer_.get(), settings_.slot_ms, &TimerParking::on_sweep, this);
}

} // namespace suflyor::sip

// The hook (see timer_parking.hpp). Declared by <re_tmr.h>; this definition takes precedence over
// libre's for every caller in the process, libre included.
extern "C" void tmr_start(tmr* timer, std::uint64_t delay, tmr_h* handler, void* arg) {
    using suflyor::sip::active_parking;
    if (active_parking != nullptr && active_parking->park(timer, delay, handler, arg)) return;
    suflyor::sip::libre_tmr_start()(timer, delay, handler, arg);
}
