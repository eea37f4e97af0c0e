// `suflyor serve`: the server process — the Runtime on the main thread until SIGINT or SIGTERM.
#include "app/commands.hpp"
#include "app/file_limit.hpp"
#include "app/runtime.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <ostream>

namespace suflyor::app {
namespace {

// The Runtime stops gracefully on SIGINT/SIGTERM (a second one stops at once).
void on_signal(int sig) { spdlog::info("serve: signal {} received", sig); }

// Runs once the loop is up, i.e. after re_main has installed its signal handlers.
void announce_running(void*) { spdlog::info("serve: control loop running; press Ctrl+C to stop"); }

// Before anything opens sockets (media workers size their io_uring file tables by it).
void log_file_limit(const MediaConfig& media) {
    const FileLimit files = raise_file_limit(media.rtp_port_min, media.rtp_port_max);
    if (files.enough()) {
        spdlog::info("serve: open-file limit {}{}", files.limit, files.raised ? " (raised)" : "");
        return;
    }
    spdlog::warn("serve: open-file limit {} is below the {} the RTP port range {}-{} can use "
                 "(3 sockets per call leg); calls beyond it fail. Raise the hard limit "
                 "(LimitNOFILE= in the systemd unit, or ulimit -Hn) or narrow the range",
                 files.limit, files.wanted, media.rtp_port_min, media.rtp_port_max);
}

} // namespace

int serve(const Config& config, std::ostream& out, std::ostream& err) {
    try {
        log_file_limit(config.media);
        Runtime runtime(config, out);
        tmr announce{};
        tmr_init(&announce);
        tmr_start(&announce, 0, announce_running, nullptr);
        const int rc = runtime.run(on_signal);
        tmr_cancel(&announce);
        spdlog::info("serve: stopped");
        return rc == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        err << "suflyor: " << e.what() << "\n";
        return 1;
    }
}

} // namespace suflyor::app
