#pragma once
// The running server: every part `serve` starts, assembled in dependency order, on the thread that
// runs libre's loop (the control loop). Other threads reach it only through `call` / `post`,
// which run work on the loop (libre's thread-safe mqueue) — the HTTP threads will, and tests do.
#include "app/call_wiring.hpp"
#include "app/card_calls.hpp"
#include "app/config.hpp"
#include "app/live_trunks.hpp"
#include "app/loop_timer.hpp"
#include "app/media_metrics.hpp"
#include "app/monitor_wiring.hpp"
#include "app/recording_marks.hpp"
#include "app/restart.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "monitor/monitor.hpp"
#include "notify/notify.hpp"
#include "sip/b2bua.hpp"
#include "sip/sip.hpp"
#include "sip/trunk_registration.hpp"

#include <deque>
#include <functional>
#include <future>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <type_traits>

struct mqueue;

namespace suflyor::app {

// Runs closures on the control loop, from any thread. Once the loop has stopped (close()), work
// still queued is abandoned and new work refused: a caller waiting in call() gets
// core::Error(unavailable) instead of waiting forever.
class CommandQueue {
public:
    CommandQueue(); // on the loop's thread
    ~CommandQueue();
    CommandQueue(const CommandQueue&) = delete;
    CommandQueue& operator=(const CommandQueue&) = delete;

    void post(std::function<void()> work);
    // Runs `work` on the loop and returns its result (or rethrows its exception) to the caller.
    // Never call it from the loop's own thread.
    template <class F> auto call(F&& work) -> decltype(work()) {
        using Result = decltype(work());
        auto promise = std::make_shared<std::promise<Result>>();
        auto result = promise->get_future();
        submit(
            [&work, promise] {
                try {
                    if constexpr (std::is_void_v<Result>) {
                        work();
                        promise->set_value();
                    } else {
                        promise->set_value(work());
                    }
                } catch (...) {
                    promise->set_exception(std::current_exception());
                }
            },
            [promise] { promise->set_exception(shutting_down()); });
        return result.get();
    }
    // The loop has stopped: abandons what is queued, refuses what comes.
    void close();

private:
    struct Item {
        std::function<void()> run;
        std::function<void()> abandon;
    };
    static std::exception_ptr shutting_down();
    void submit(std::function<void()> run, std::function<void()> abandon);
    static void on_message(int id, void* data, void* arg);
    ::mqueue* queue_{nullptr};
    std::mutex mutex_; // guards items_ and closed_ between the loop and other threads
    std::deque<Item> items_;
    bool closed_{false};
};

// libre's library state (libre_init … libre_close). libre keeps its fd handlers in a table
// indexed by fd number and refuses any fd at or above the table's size (1,024 unless told), while
// media legs take thousands of descriptors in this process: the table is sized to the open-file
// limit (see file_limit.hpp) before anything listens, so a SIP TCP connection or DNS socket opened
// under load still works.
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

    // Runs the control loop until stop() or SIGINT/SIGTERM (`on_signal`, when given, is told of
    // each signal; null: signals are left alone). Both stop gracefully: calls in progress end with
    // reason server_shutdown and their BYEs are sent before the loop returns (restart.hpp).
    int run(void (*on_signal)(int));
    void stop(); // any thread

    CommandQueue& commands() { return *commands_; }
    [[nodiscard]] std::uint16_t http_port() const { return http_->port(); }
    api::EventHub& hub() { return hub_; }
    api::Metrics& metrics() { return metrics_; }
    Services& services() { return services_; }
    monitor::MonitorService& monitor() { return *monitor_; }
    sip::SipServer& sip() { return *sip_server_; }
    sip::B2bua& b2bua() { return *b2bua_; }

private:
    // Calls in progress at a stop get this long for their BYE/CANCEL transactions to finish.
    static constexpr std::chrono::milliseconds shutdown_grace{3000};
    static void on_loop_signal(int sig);
    void start_http(const Config& config);
    void start_mail(const SmtpConfig& smtp);
    // Employees' live registrations, read from the SIP registrar (on the control loop).
    api::RegistrationLookup registration_lookup() {
        return [this](const center::User& u) {
            return registration_of(sip_server_->locations(), services_.clock, u);
        };
    }
    class EngineEvents;
    Services services_;
    bool first_start_{false}; // this start created the first account (before trunks_: set there)
    sip::TrunkTable trunks_;
    // Outlives the recorder, which reports to it until it stops (made first in the constructor).
    std::unique_ptr<RecordingMarks> recording_marks_;
    std::unique_ptr<media::Recorder> recorder_;
    std::unique_ptr<media::MediaEngine> engine_;
    std::unique_ptr<EngineAnchor> anchor_;
    std::unique_ptr<StoreSipDirectory> sip_directory_;
    std::unique_ptr<StoreCallRouter> router_;
    std::unique_ptr<LibreRuntime> libre_;
    std::unique_ptr<sip::TimerParking> timer_parking_; // libre's long timers off its list
    std::unique_ptr<sip::SipServer> sip_server_;
    std::unique_ptr<sip::B2bua> b2bua_;
    std::unique_ptr<Shutdown> shutdown_;
    std::unique_ptr<Heartbeat> heartbeat_;
    std::unique_ptr<sip::TrunkRegistrations> trunk_registrations_;
    std::unique_ptr<LiveTrunks> live_trunks_; // rebuilds trunks_ when the web UI edits trunks
    api::Metrics metrics_;
    api::EventHub hub_;
    HubEvents events_{hub_, metrics_};
    MediaMetrics media_metrics_{metrics_};
    std::unique_ptr<DomainEvents> domain_events_;
    std::unique_ptr<MonitorTelephony> telephony_;
    std::unique_ptr<monitor::MonitorService> monitor_;
    std::unique_ptr<LoopTimer> follow_expiry_; // follows lapse within 5 s of their time
    std::unique_ptr<EngineEvents> engine_events_;
    std::unique_ptr<CommandQueue> commands_;
    std::unique_ptr<LoopTimer> housekeeping_;    // gauges, expired tokens
    std::unique_ptr<LoopTimer> recording_timer_; // marks incomplete recordings, their metrics
    std::unique_ptr<CardCalls> card_calls_;
    std::unique_ptr<notify::MailOutbox> outbox_;
    std::unique_ptr<notify::MailSender> mail_sender_;
    std::unique_ptr<LoopTimer> mail_timer_;
    std::unique_ptr<api::Api> api_;
    std::unique_ptr<api::HttpServer> http_; // last: stopped first
};

} // namespace suflyor::app
