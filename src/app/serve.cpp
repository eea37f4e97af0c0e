// `suflyor serve`: the server process. Opens the store, creates the first account on an empty
// database, then runs the control loop (libre's re_main) until SIGINT or SIGTERM.
#include "app/call_wiring.hpp"
#include "app/commands.hpp"
#include "app/monitor_wiring.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "core/error.hpp"
#include "sip/trunk_registration.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <array>
#include <ostream>

namespace suflyor::app {
namespace {

void on_signal(int sig) {
    spdlog::info("serve: signal {} received, stopping", sig);
    re_cancel();
}

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

// Drains the media engine's events on the control loop (readable eventfd -> poll_events).
class EngineEvents {
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

// Runs once the loop is up, i.e. after re_main has installed its signal handlers.
void announce_running(void*) { spdlog::info("serve: control loop running; press Ctrl+C to stop"); }

// libre's library state, released on every exit path.
class LibreRuntime {
public:
    LibreRuntime() {
        if (const int err = libre_init(); err != 0)
            core::fail(core::ErrorCode::internal, "libre_init failed: " + std::to_string(err));
    }
    LibreRuntime(const LibreRuntime&) = delete;
    LibreRuntime& operator=(const LibreRuntime&) = delete;
    ~LibreRuntime() { libre_close(); }
};

} // namespace

int serve(const Config& config, std::ostream& out, std::ostream& err) {
    try {
        Services services(config);
        const auto& b = config.bootstrap;
        center::NewAccount first{b.account_name, b.contact_email, b.sip_domain,
                                 center::NewUser{b.creator_name, b.creator_login,
                                                 center::Role::creator, b.creator_password, "",
                                                 b.creator_sip_password}};
        if (auto created =
                center::bootstrap_first_account(services.directory, *services.store, first))
            print_first_account(out, *created);
        spdlog::info("serve: database {} (schema v{}), {} account(s)", config.storage.path,
                     services.store->schema_version(), services.store->accounts().count());

        const auto trunks = trunk_table(config.trunks, *services.store);
        // Recordings a crash left behind get their headers repaired before anything new is written.
        const auto repaired = media::repair_directory(config.media.recording_dir);
        spdlog::info("serve: recordings checked: {}, repaired: {}, unrepairable: {}",
                     repaired.files_checked, repaired.files_repaired, repaired.files_unrepairable);
        const auto engine_settings = engine_config(config.media);
        media::RecorderOptions recorder_options;
        recorder_options.workers = engine_settings.workers;
        media::Recorder recorder(recorder_options);
        media::MediaEngine engine(engine_settings, services.clock, &recorder);
        EngineAnchor anchor(engine, config.media.advertised_address, config.media.recording_dir);
        StoreSipDirectory sip_directory(*services.store, services.directory);
        StoreCallRouter router(*services.store, services.calls, trunks, sip_directory);

        LibreRuntime libre;
        sip::SipServer sip_server(sip_settings(config.sip), services.clock, sip_directory,
                                  sip_directory, trunks);
        sip::B2buaSettings b2bua_settings;
        b2bua_settings.domain = config.bootstrap.sip_domain;
        sip::B2bua b2bua(sip_server.stack(), b2bua_settings, trunks, sip_server.locations(),
                         services.clock, anchor, router);
        sip::TrunkRegistrations trunk_registrations(sip_server.stack(), trunks,
                                                    config.bootstrap.sip_domain);
        LogEvents events;
        MonitorTelephony telephony(b2bua, sip_server.locations(), engine, services.clock);
        monitor::MonitorService monitor(*services.store, services.clock, services.features,
                                        services.monitor_ledger, telephony, events);
        telephony.attach(monitor);
        router.set_observer(&telephony);
        EngineEvents engine_events(engine, telephony);
        tmr announce{};
        tmr_init(&announce);
        tmr_start(&announce, 0, announce_running, nullptr);
        const int rc = re_main(on_signal);
        tmr_cancel(&announce);
        spdlog::info("serve: stopped");
        return rc == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        err << "suflyor: " << e.what() << "\n";
        return 1;
    }
}

} // namespace suflyor::app
