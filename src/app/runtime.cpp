#include "app/runtime.hpp"

#include "app/file_limit.hpp"
#include "app/first_start.hpp"
#include "core/error.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <array>
#include <csignal>
#include <ostream>

namespace suflyor::app {
namespace {

// Generated secrets are shown once; given ones (config or environment) are never echoed.
void print_first_account(std::ostream& out, const center::FirstAccount& first) {
    const auto secret = [](bool generated, const std::string& value) {
        return generated ? value : std::string("(as configured)");
    };
    out << "\n"
        << "  First start: created account '" << first.account.name << "'.\n"
        << "  Log in as:     " << first.creator.login << "\n"
        << "  Password:      " << secret(first.password_generated, first.password) << "\n"
        << "  SIP account:   " << first.creator.sip.user << "@" << first.account.sip_domain << "\n"
        << "  SIP password:  " << secret(first.sip_password_generated, first.sip_password) << "\n"
        << "  Generated passwords are shown only now; `suflyor admin user reset-password` sets "
           "new ones.\n\n";
    out.flush();
}

// Read-only connections for the API's reads off the loop; none for an in-memory database.
std::function<std::unique_ptr<store::Store>()> reader_opener(const StorageConfig& storage) {
    if (storage.path == ":memory:") return {};
    return [path = storage.path] {
        store::SqliteOptions options{path, 5000, std::nullopt};
        options.read_only = true;
        return store::open_sqlite(options);
    };
}

sip::TrunkTable bootstrap_and_trunks(const Config& config, Services& services, std::ostream& out,
                                     bool& first_start) {
    const auto& b = config.bootstrap;
    center::NewAccount first{b.account_name, b.contact_email, b.sip_domain,
                             center::NewUser{b.creator_name, b.creator_login, center::Role::creator,
                                             b.creator_password, "", b.creator_sip_password}};
    if (auto created =
            center::bootstrap_first_account(services.directory, *services.store, first)) {
        print_first_account(out, *created); // now: a start that fails later must not lose them
        first_start = true;
    }
    spdlog::info("serve: database {} (schema v{}), {} account(s)", config.storage.path,
                 services.store->schema_version(), services.store->accounts().count());
    return trunk_table(config.trunks, *services.store);
}

// The addresses as bound (a port 0 of the configuration replaced by the kernel's choice).
Endpoints endpoints_of(const Config& config, const sip::SipServer& sip, std::uint16_t http_port) {
    Endpoints e;
    e.sip_host = config.sip.listen.host;
    for (const char* transport : {"udp", "tcp", "tls"})
        e.sip_ports.emplace_back(transport, sip.port(transport));
    e.browser_phone_url = softphone_offer(config.sip).ws_url;
    if (const auto& ws = config.sip.ws_listen; ws && e.browser_phone_url == "ws://" + ws->str())
        e.browser_phone_url = "ws://" + SocketAddress{ws->host, sip.port("ws")}.str();
    e.http_host = config.http.listen.host;
    e.http_port = http_port;
    e.media_address = config.media.advertised_address;
    return e;
}

} // namespace

CommandQueue::CommandQueue() {
    if (const int err = mqueue_alloc(&queue_, &CommandQueue::on_message, this))
        core::fail(core::ErrorCode::internal,
                   "cannot create the control loop's queue: " + std::to_string(err));
}

CommandQueue::~CommandQueue() { mem_deref(queue_); }

void CommandQueue::post(std::function<void()> work) {
    submit(std::move(work), [] {});
}

std::exception_ptr CommandQueue::shutting_down() {
    return std::make_exception_ptr(
        core::Error(core::ErrorCode::unavailable, "the server is shutting down"));
}

void CommandQueue::submit(std::function<void()> run, std::function<void()> abandon) {
    {
        const std::lock_guard lock(mutex_);
        if (!closed_) {
            items_.push_back(Item{std::move(run), std::move(abandon)});
            // One wake-up per item; the item itself stays in items_ so close() can abandon it.
            if (mqueue_push(queue_, 0, nullptr) == 0) return;
            items_.pop_back();
        }
    }
    abandon();
}

void CommandQueue::close() {
    std::deque<Item> abandoned;
    {
        const std::lock_guard lock(mutex_);
        closed_ = true;
        abandoned.swap(items_);
    }
    for (auto& item : abandoned)
        item.abandon();
}

void CommandQueue::on_message(int, void*, void* arg) {
    auto* self = static_cast<CommandQueue*>(arg);
    Item item;
    {
        const std::lock_guard lock(self->mutex_);
        if (self->items_.empty()) return; // abandoned by close()
        item = std::move(self->items_.front());
        self->items_.pop_front();
    }
    item.run();
}

LibreRuntime::LibreRuntime() {
    if (const int err = libre_init(); err != 0)
        core::fail(core::ErrorCode::internal, "libre_init failed: " + std::to_string(err));
    // Only the first call sizes the table (libre 1.1 takes no -1 for "the limit").
    if (const int err = fd_setsize(open_file_limit()); err != 0) {
        libre_close();
        core::fail(core::ErrorCode::internal, "libre fd_setsize failed: " + std::to_string(err));
    }
}

LibreRuntime::~LibreRuntime() { libre_close(); }

// Drains the media engine's events on the control loop (readable eventfd -> poll_events).
class Runtime::EngineEvents {
public:
    EngineEvents(media::MediaEngine& engine, MonitorTelephony& monitor, MediaMetrics& metrics,
                 sip::B2bua& b2bua)
        : engine_(engine), monitor_(monitor), metrics_(metrics), b2bua_(b2bua) {
        fd_listen(engine_.event_fd(), FD_READ, &EngineEvents::on_readable, this);
    }
    ~EngineEvents() { fd_close(engine_.event_fd()); }
    EngineEvents(const EngineEvents&) = delete;
    EngineEvents& operator=(const EngineEvents&) = delete;

private:
    static void on_readable(int, void* arg) {
        auto& self = *static_cast<EngineEvents*>(arg);
        std::array<media::Event, 64> events{};
        std::size_t n = 0;
        do {
            n = self.engine_.poll_events(events);
            for (std::size_t i = 0; i < n; ++i) {
                self.monitor_.on_media_event(events[i]);
                self.metrics_.on_event(events[i]);
                if (events[i].kind == media::EventKind::rtp_timeout)
                    self.b2bua_.media_timed_out(events[i].room.value(), events[i].slot);
            }
        } while (n == events.size());
    }
    media::MediaEngine& engine_;
    MonitorTelephony& monitor_;
    MediaMetrics& metrics_;
    sip::B2bua& b2bua_;
};

Runtime::Runtime(const Config& config, std::ostream& out)
    : services_(config), trunks_(bootstrap_and_trunks(config, services_, out, first_start_)) {
    // Calls a crash left open end first (dated by their recordings' last writes, which the repair
    // below would change); nobody is registered yet.
    const auto restart = recover_after_restart(services_);
    spdlog::info("serve: calls left open by the previous run: {} ended ({}); users set offline: {}",
                 restart.calls_ended, reason_server_restart, restart.users_offline);
    // Recordings a crash left behind get their headers repaired before anything new is written.
    const auto repaired = media::repair_directory(config.media.recording_dir);
    spdlog::info("serve: recordings checked: {}, repaired: {}, unrepairable: {}",
                 repaired.files_checked, repaired.files_repaired, repaired.files_unrepairable);
    // The configuration's trunks, then the database's: the table in force until the next edit.
    services_.trunks.set_config_trunks(trunks_.all());
    trunks_.replace(services_.trunks.live_trunks());
    const auto engine_settings = engine_config(config.media);
    media::RecorderOptions recorder_options;
    recorder_options.workers = engine_settings.workers;
    recording_marks_ = std::make_unique<RecordingMarks>(metrics_);
    recorder_ = std::make_unique<media::Recorder>(recorder_options, recording_marks_.get());
    engine_ =
        std::make_unique<media::MediaEngine>(engine_settings, services_.clock, recorder_.get());
    anchor_ = std::make_unique<EngineAnchor>(*engine_, config.media.advertised_address,
                                             config.media.recording_dir);
    sip_directory_ = std::make_unique<StoreSipDirectory>(*services_.store, services_.directory);
    router_ = std::make_unique<StoreCallRouter>(*services_.store, services_.calls, trunks_,
                                                *sip_directory_);

    libre_ = std::make_unique<LibreRuntime>();
    timer_parking_ = std::make_unique<sip::TimerParking>(); // this thread runs the control loop
    sip_server_ =
        std::make_unique<sip::SipServer>(sip_settings(config.sip, config.http), services_.clock,
                                         *sip_directory_, *sip_directory_, trunks_);
    sip::B2buaSettings b2bua_settings;
    b2bua_settings.domain = config.bootstrap.sip_domain;
    b2bua_settings.overload.max_lag = std::chrono::milliseconds{config.sip.overload_lag_ms};
    b2bua_ =
        std::make_unique<sip::B2bua>(sip_server_->stack(), b2bua_settings, trunks_,
                                     sip_server_->locations(), services_.clock, *anchor_, *router_);
    shutdown_ = std::make_unique<Shutdown>(*b2bua_, shutdown_grace);
    heartbeat_ = std::make_unique<Heartbeat>(services_);
    trunk_registrations_ = std::make_unique<sip::TrunkRegistrations>(sip_server_->stack(), trunks_,
                                                                     config.bootstrap.sip_domain);
    live_trunks_ = std::make_unique<LiveTrunks>(services_.trunks, trunks_, events_);
    live_trunks_->attach(trunk_registrations_.get());
    services_.trunks.set_listener(live_trunks_.get());
    telephony_ = std::make_unique<MonitorTelephony>(*b2bua_, sip_server_->locations(), *engine_,
                                                    services_.clock);
    monitor_ = std::make_unique<monitor::MonitorService>(
        *services_.store, services_.clock, services_.features, services_.monitor_ledger,
        *telephony_, events_,
        monitor::MonitorSettings{.follow_ttl =
                                     std::chrono::minutes{config.monitor.follow_timeout_minutes}});
    telephony_->attach(*monitor_);
    recording_timer_ = std::make_unique<LoopTimer>(std::chrono::seconds{1}, [this] {
        recording_marks_->apply(services_.calls, *services_.store, hub_, recorder_->stats());
    });
    follow_expiry_ = std::make_unique<LoopTimer>(std::chrono::seconds{5},
                                                 [this] { monitor_->expire_follows(); });
    router_->set_observer(telephony_.get());
    engine_events_ = std::make_unique<EngineEvents>(*engine_, *telephony_, media_metrics_, *b2bua_);
    commands_ = std::make_unique<CommandQueue>();
    domain_events_ = std::make_unique<DomainEvents>(
        *services_.store, hub_, metrics_, registration_lookup(), [this](const center::User& u) {
            // A deactivated employee's phone and browser bindings go now, not at expiry.
            sip_server_->drop_bindings(sip::Aor{u.account_id.value(), u.sip.user});
        });
    services_.calls.set_listener(domain_events_.get());
    services_.directory.set_listener(domain_events_.get());
    start_mail(config.smtp);
    start_http(config);
    if (first_start_) { // after the credentials: where phones and browsers reach the server
        out << endpoints_message(endpoints_of(config, *sip_server_, http_->port()));
        out.flush();
    }
}

void Runtime::start_mail(const SmtpConfig& smtp) {
    if (smtp.url.empty()) {
        spdlog::info("mail: no [smtp] url: notifications wait in the outbox until one is set");
        return;
    }
    mail_sender_ = std::make_unique<notify::MailSender>(
        notify::make_smtp_transport(
            notify::SmtpSettings{smtp.url, smtp.from, smtp.username, smtp.password}),
        [this](notify::SendReport report) {
            // On the sender's thread: the outbox's bookkeeping belongs to the loop.
            commands_->post([this, report] { outbox_->on_report(report); });
        });
    notify::OutboxOptions options;
    options.retry.first = std::chrono::seconds{smtp.retry_seconds};
    outbox_ = std::make_unique<notify::MailOutbox>(*services_.store, services_.clock, *mail_sender_,
                                                   options);
    outbox_->dispatch();
    mail_timer_ =
        std::make_unique<LoopTimer>(std::chrono::seconds{1}, [this] { outbox_->dispatch(); });
}

void Runtime::start_http(const Config& config) {
    auto& active_calls = metrics_.gauge("suflyor_calls_active", "Calls the B2BUA carries now");
    auto& sessions =
        metrics_.gauge("suflyor_monitor_sessions_active", "Supervisors joined to a call now");
    auto& tokens = metrics_.gauge("suflyor_api_tokens", "Valid sign-in tokens");
    auto& parked = metrics_.gauge("suflyor_sip_timers_parked",
                                  "libre timers of 2 s or more waiting outside its timer list");
    auto& lag = metrics_.gauge("suflyor_control_loop_lag_seconds",
                               "How late the control loop's latest 50 ms probe ran");
    auto& refused = metrics_.counter("suflyor_sip_calls_refused_overload_total",
                                     "New calls answered 503 because the control loop ran behind");
    housekeeping_ = std::make_unique<LoopTimer>(std::chrono::seconds{5}, [&, this] {
        active_calls.set(static_cast<double>(b2bua_->active_calls()));
        sessions.set(
            static_cast<double>(services_.store->monitor_sessions().open_sessions().size()));
        tokens.set(static_cast<double>(api_->sweep_tokens()));
        parked.set(static_cast<double>(timer_parking_->parked()));
        lag.set(std::chrono::duration<double>(b2bua_->loop_lag()).count());
        refused.inc(static_cast<double>(b2bua_->refused_overloaded()) - refused.value());
        anchor_->request_stats(); // answered as stats events -> MediaMetrics
    });
    card_calls_ = std::make_unique<CardCalls>(*services_.store, *router_, *b2bua_,
                                              sip_server_->locations(), services_.clock);
    api::ApiSettings settings;
    settings.token_ttl = std::chrono::hours{config.http.token_ttl_hours};
    settings.auto_connect = config.features.auto_connect;
    settings.platform_token = config.http.platform_token;
    settings.mail_configured = !config.smtp.url.empty();
    const auto softphone = softphone_offer(config.sip);
    settings.softphone_ws_url = softphone.ws_url;
    settings.softphone_off_reason = softphone.off_reason;
    settings.sip_connection = sip_connection(config, *sip_server_);
    api_ = std::make_unique<api::Api>(
        [this](const std::function<void()>& work) { commands_->call(work); },
        api::ApiDomain{
            *services_.store, services_.clock, services_.directory, services_.calls,
            services_.features, *monitor_, *card_calls_, events_, services_.hasher,
            [this](const center::Actor& by, center::AccountId account, center::Feature feature) {
                const auto status = notify::connect_feature_and_notify(
                    services_.features, *services_.store, services_.clock, by, account, feature);
                if (outbox_) outbox_->dispatch(); // the mail goes out now
                return status;
            },
            services_.trunks,
            [this](const std::string& key) { return live_trunks_->registration(key); },
            reader_opener(config.storage), registration_lookup()},
        settings, metrics_);
    // Browsers register with their session's secret: the SIP edge asks the API's live tokens.
    sip_directory_->set_browser_secrets(
        [this](center::UserId user) { return api_->browser_secrets(user); });
    api::HttpSettings http;
    http.host = config.http.listen.host;
    http.port = config.http.listen.port;
    http.threads = static_cast<int>(config.http.threads);
    http.max_body_bytes = static_cast<std::size_t>(config.http.max_body_bytes);
    http.allowed_origins = config.http.allowed_origins;
    http.static_dir = config.http.static_dir;
    http.metrics_token = config.http.metrics_token;
    http.trusted_proxies = config.http.trusted_proxies;
    http.request_timeout = std::chrono::seconds{config.http.request_timeout_seconds};
    http.keep_alive = std::chrono::seconds{config.http.keep_alive_seconds};
    http.max_connections_per_address =
        static_cast<std::size_t>(config.http.max_connections_per_address);
    http_ = std::make_unique<api::HttpServer>(
        http, api_->router(), hub_, metrics_,
        [this](const std::string& token) { return api_->authenticate_ws(token); });
    spdlog::info("http: listening on {}:{}", http.host, http_->port());
    if (softphone.ws_url.empty()) spdlog::info("softphone: off: {}", softphone.off_reason);
}

Runtime::~Runtime() {
    http_.reset();        // no request reaches the domain any more
    mail_timer_.reset();  // then no new sends,
    mail_sender_.reset(); // and the sender thread is joined before the outbox goes
    // The API (its tokens) goes before the SIP edge, which asks it for browser secrets.
    sip_directory_->set_browser_secrets({});
    router_->set_observer(nullptr);
    // Recordings still open are finalized now, so that the calls whose recordings lost audio
    // are marked while the store is here.
    try {
        recorder_->stop();
        recording_marks_->apply(services_.calls, *services_.store, hub_, recorder_->stats());
    } catch (const std::exception& e) {
        spdlog::error("serve: recordings at shutdown: {}", e.what());
    }
    services_.trunks.set_listener(nullptr);
    // Members go in reverse order: the loop's users before libre itself, the engine after.
}

namespace {

// libre calls the signal handler from its loop (it only notes the signal in the handler proper),
// without an argument: the running Runtime is found here.
Runtime* signalled_runtime = nullptr;
void (*signal_listener)(int) = nullptr;

} // namespace

void Runtime::on_loop_signal(int sig) {
    if (signal_listener != nullptr) signal_listener(sig);
    if ((sig == SIGINT || sig == SIGTERM) && signalled_runtime != nullptr)
        signalled_runtime->shutdown_->request();
}

int Runtime::run(void (*on_signal)(int)) {
    signal_listener = on_signal;
    signalled_runtime = on_signal != nullptr ? this : nullptr;
    const int rc = re_main(on_signal != nullptr ? &Runtime::on_loop_signal : nullptr);
    signalled_runtime = nullptr;
    commands_->close(); // HTTP threads still waiting for the loop get "shutting down" now
    return rc;
}

void Runtime::stop() {
    commands_->post([this] { shutdown_->request(); });
}

} // namespace suflyor::app
