#pragma once
// What a server run leaves for the next one, and how it stops (internal to the app module).
//  - A heartbeat in the store, written every few seconds while the server runs.
//  - At start-up, before SIP listens: calls a crash (or kill -9) left ringing or talking end with
//    reason "server_restart" at their last sign of life — the later of the heartbeat and the
//    recording file's last write — their monitor sessions close (audited), and every user is
//    offline until their phone registers again.
//  - On SIGTERM/SIGINT: calls in progress end with reason "server_shutdown" (BYE to answered legs,
//    CANCEL to ringing ones), and the loop runs on until libre has finished those transactions or
//    a grace period passed. See docs/operations.md "Restarts and shutdown".
#include "app/loop_timer.hpp"
#include "app/wiring.hpp"
#include "sip/b2bua.hpp"

#include <chrono>
#include <memory>

namespace suflyor::app {

inline constexpr const char* reason_server_restart = "server_restart";
inline constexpr const char* reason_server_shutdown = "server_shutdown";

// How often the running server records that it is alive: a call a crash interrupts is dated at
// most this much too early when it has no recording to date it better.
inline constexpr std::chrono::seconds heartbeat_period{5};

struct RestartReport {
    std::size_t calls_ended{0};
    std::size_t users_offline{0};
};

// Ends what the previous run left open (see above). Run it before the recordings are repaired:
// the repair rewrites headers and so the files' modification times.
RestartReport recover_after_restart(Services& services);

// Beats now and then every heartbeat_period, on the loop.
class Heartbeat {
public:
    explicit Heartbeat(Services& services);

private:
    void beat();
    Services& services_;
    LoopTimer timer_;
};

// The graceful stop: hangs every call up, then cancels the loop once libre's sessions are gone or
// `grace` passed. A second request (a second signal) cancels the loop at once.
class Shutdown {
public:
    Shutdown(sip::B2bua& b2bua, std::chrono::milliseconds grace) : b2bua_(b2bua), grace_(grace) {}
    void request();

private:
    void check();
    sip::B2bua& b2bua_;
    std::chrono::milliseconds grace_;
    std::chrono::steady_clock::time_point deadline_{};
    std::unique_ptr<LoopTimer> poll_;
};

} // namespace suflyor::app
