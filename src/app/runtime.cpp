#include "app/runtime.hpp"

#include "core/error.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <array>
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

sip::TrunkTable bootstrap_and_trunks(const Config& config, Services& services, std::ostream& out) {
    const auto& b = config.bootstrap;
    center::NewAccount first{b.account_name, b.contact_email, b.sip_domain,
                             center::NewUser{b.creator_name, b.creator_login, center::Role::creator,
                                             b.creator_password, "", b.creator_sip_password}};
    if (auto created = center::bootstrap_first_account(services.directory, *services.store, first))
        print_first_account(out, *created);
    spdlog::info("serve: database {} (schema v{}), {} account(s)", config.storage.path,
                 services.store->schema_version(), services.store->accounts().count());
    return trunk_table(config.trunks, *services.store);
}

} // namespace

CommandQueue::CommandQueue() {
    if (const int err = mqueue_alloc(&queue_, &CommandQueue::on_message, this))
        core::fail(core::ErrorCode::internal,
                   "cannot create the control loop's queue: " + std::to_string(err));
}

CommandQueue::~CommandQueue() { mem_deref(queue_); }

void CommandQueue::post(std::function<void()> work) {
    auto* item = new std::function<void()>(std::move(work));
    if (mqueue_push(queue_, 0, item) != 0) {
        delete item;
        core::fail(core::ErrorCode::internal, "the control loop's queue is full");
    }
}

void CommandQueue::on_message(int, void* data, void*) {
    std::unique_ptr<std::function<void()>> work(static_cast<std::function<void()>*>(data));
    (*work)();
}

LibreRuntime::LibreRuntime() {
    if (const int err = libre_init(); err != 0)
        core::fail(core::ErrorCode::internal, "libre_init failed: " + std::to_string(err));
}

LibreRuntime::~LibreRuntime() { libre_close(); }

// Drains the media engine's events on the control loop (readable eventfd -> poll_events).
class Runtime::EngineEvents {
public:
    EngineEvents(media::MediaEngine& engine, MonitorTelephony& monitor)
        : engine_(engine), monitor_(monitor) {
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
            for (std::size_t i = 0; i < n; ++i)
                self.monitor_.on_media_event(events[i]);
        } while (n == events.size());
    }
    media::MediaEngine& engine_;
    MonitorTelephony& monitor_;
};

Runtime::Runtime(const Config& config, std::ostream& out)
    : services_(config), trunks_(bootstrap_and_trunks(config, services_, out)) {
    // Recordings a crash left behind get their headers repaired before anything new is written.
    const auto repaired = media::repair_directory(config.media.recording_dir);
    spdlog::info("serve: recordings checked: {}, repaired: {}, unrepairable: {}",
                 repaired.files_checked, repaired.files_repaired, repaired.files_unrepairable);
    const auto engine_settings = engine_config(config.media);
    media::RecorderOptions recorder_options;
    recorder_options.workers = engine_settings.workers;
    recorder_ = std::make_unique<media::Recorder>(recorder_options);
    engine_ =
        std::make_unique<media::MediaEngine>(engine_settings, services_.clock, recorder_.get());
    anchor_ = std::make_unique<EngineAnchor>(*engine_, config.media.advertised_address,
                                             config.media.recording_dir);
    sip_directory_ = std::make_unique<StoreSipDirectory>(*services_.store, services_.directory);
    router_ = std::make_unique<StoreCallRouter>(*services_.store, services_.calls, trunks_,
                                                *sip_directory_);

    libre_ = std::make_unique<LibreRuntime>();
    sip_server_ = std::make_unique<sip::SipServer>(sip_settings(config.sip), services_.clock,
                                                   *sip_directory_, *sip_directory_, trunks_);
    sip::B2buaSettings b2bua_settings;
    b2bua_settings.domain = config.bootstrap.sip_domain;
    b2bua_ =
        std::make_unique<sip::B2bua>(sip_server_->stack(), b2bua_settings, trunks_,
                                     sip_server_->locations(), services_.clock, *anchor_, *router_);
    trunk_registrations_ = std::make_unique<sip::TrunkRegistrations>(sip_server_->stack(), trunks_,
                                                                     config.bootstrap.sip_domain);
    telephony_ = std::make_unique<MonitorTelephony>(*b2bua_, sip_server_->locations(), *engine_,
                                                    services_.clock);
    monitor_ = std::make_unique<monitor::MonitorService>(
        *services_.store, services_.clock, services_.features, services_.monitor_ledger,
        *telephony_, events_);
    telephony_->attach(*monitor_);
    router_->set_observer(telephony_.get());
    engine_events_ = std::make_unique<EngineEvents>(*engine_, *telephony_);
    commands_ = std::make_unique<CommandQueue>();
}

Runtime::~Runtime() {
    router_->set_observer(nullptr);
    // Members go in reverse order: the loop's users before libre itself, the engine after.
}

int Runtime::run(void (*on_signal)(int)) { return re_main(on_signal); }

void Runtime::stop() {
    commands_->post([] { re_cancel(); });
}

} // namespace suflyor::app
