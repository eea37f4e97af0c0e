#pragma once
// The running server: every part `serve` starts, assembled in dependency order, on the thread that
// runs libre's loop (the control loop). Other threads reach it only through `call` / `post`,
// which run work on the loop (libre's thread-safe mqueue) — the HTTP threads will, and tests do.
#include "app/call_wiring.hpp"
#include "app/config.hpp"
#include "app/monitor_wiring.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "monitor/monitor.hpp"
#include "sip/b2bua.hpp"
#include "sip/sip.hpp"
#include "sip/trunk_registration.hpp"

#include <functional>
#include <future>
#include <iosfwd>
#include <memory>

struct mqueue;

namespace suflyor::app {

// Runs closures on the control loop, from any thread.
class CommandQueue {
public:
    CommandQueue(); // on the loop's thread
    ~CommandQueue();
    CommandQueue(const CommandQueue&) = delete;
    CommandQueue& operator=(const CommandQueue&) = delete;

    void post(std::function<void()> work);
    // Runs `work` on the loop and returns its result (or rethrows its exception) to the caller.
    template <class F> auto call(F&& work) -> decltype(work()) {
        std::packaged_task<decltype(work())()> task(std::forward<F>(work));
        auto result = task.get_future();
        post([&task] { task(); });
        return result.get();
    }

private:
    static void on_message(int id, void* data, void* arg);
    ::mqueue* queue_{nullptr};
};

// libre's library state (libre_init … libre_close).
class LibreRuntime {
public:
    LibreRuntime();
    ~LibreRuntime();
    LibreRuntime(const LibreRuntime&) = delete;
    LibreRuntime& operator=(const LibreRuntime&) = delete;
};

class Runtime {
public:
    // Opens the store (creating the first account on an empty database; its credentials are
    // printed to `out`), repairs recordings, starts media workers and the SIP edge.
    Runtime(const Config& config, std::ostream& out);
    ~Runtime();

    // Runs the control loop until stop() or a signal (`on_signal` may be null).
    int run(void (*on_signal)(int));
    void stop(); // any thread

    CommandQueue& commands() { return *commands_; }
    Services& services() { return services_; }
    monitor::MonitorService& monitor() { return *monitor_; }
    sip::SipServer& sip() { return *sip_server_; }

private:
    class EngineEvents;
    Services services_;
    sip::TrunkTable trunks_;
    std::unique_ptr<media::Recorder> recorder_;
    std::unique_ptr<media::MediaEngine> engine_;
    std::unique_ptr<EngineAnchor> anchor_;
    std::unique_ptr<StoreSipDirectory> sip_directory_;
    std::unique_ptr<StoreCallRouter> router_;
    std::unique_ptr<LibreRuntime> libre_;
    std::unique_ptr<sip::SipServer> sip_server_;
    std::unique_ptr<sip::B2bua> b2bua_;
    std::unique_ptr<sip::TrunkRegistrations> trunk_registrations_;
    LogEvents events_;
    std::unique_ptr<MonitorTelephony> telephony_;
    std::unique_ptr<monitor::MonitorService> monitor_;
    std::unique_ptr<EngineEvents> engine_events_;
    std::unique_ptr<CommandQueue> commands_;
};

} // namespace suflyor::app
