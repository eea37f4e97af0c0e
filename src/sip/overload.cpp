#include "sip/overload.hpp"

namespace suflyor::sip {

void OverloadGuard::on_probe(core::MonoTime due) {
    const auto now = clock_.mono_now();
    last_lag_ = now > due ? std::chrono::duration_cast<std::chrono::milliseconds>(now - due)
                          : std::chrono::milliseconds{0};
    if (settings_.max_lag.count() > 0 && last_lag_ > settings_.max_lag)
        overloaded_until_ = now + settings_.hold;
}

bool OverloadGuard::refuse_new_call() {
    if (clock_.mono_now() >= overloaded_until_) return false;
    ++refused_;
    return true;
}

} // namespace suflyor::sip
