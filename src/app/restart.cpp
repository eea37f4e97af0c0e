#include "app/restart.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace suflyor::app {
namespace {

// The last write to the call's recording, if it has one: the recorder writes as the call goes.
std::optional<core::WallTime> recording_written_at(const center::Call& call) {
    if (call.recording_path.empty()) return std::nullopt;
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(call.recording_path, ec);
    if (ec) return std::nullopt;
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::file_clock::to_sys(written));
}

} // namespace

RestartReport recover_after_restart(Services& services) {
    const auto heartbeat = services.store->heartbeat().last();
    const auto ended =
        services.calls.end_left_open(reason_server_restart, [&](const center::Call& c) {
            auto last_alive = heartbeat.value_or(c.answered_at.value_or(c.created_at));
            if (const auto written = recording_written_at(c))
                last_alive = std::max(last_alive, *written);
            return last_alive;
        });
    for (const auto& c : ended)
        spdlog::warn("serve: call {} was left {} by the previous run: ended ({}) at {} ms",
                     c.id.value(), c.answered_at ? "talking" : "ringing", reason_server_restart,
                     core::to_unix_ms(*c.ended_at));
    RestartReport report;
    report.calls_ended = ended.size();
    report.users_offline = services.directory.everyone_offline();
    return report;
}

Heartbeat::Heartbeat(Services& services)
    : services_(services), timer_(heartbeat_period, [this] { beat(); }) {
    beat();
}

void Heartbeat::beat() {
    try {
        services_.store->heartbeat().beat(services_.clock.wall_now());
    } catch (const std::exception& e) {
        spdlog::warn("serve: heartbeat not stored: {}", e.what());
    }
}

void Shutdown::request() {
    if (poll_) {
        spdlog::warn("serve: second stop request: stopping now");
        re_cancel();
        return;
    }
    const auto calls = b2bua_.hang_up_all(reason_server_shutdown);
    spdlog::info("serve: stopping: {} call(s) hung up ({})", calls, reason_server_shutdown);
    deadline_ = std::chrono::steady_clock::now() + grace_;
    poll_ = std::make_unique<LoopTimer>(std::chrono::milliseconds{20}, [this] { check(); });
    check();
}

void Shutdown::check() {
    const bool settled = b2bua_.settled();
    if (!settled && std::chrono::steady_clock::now() < deadline_) return;
    if (!settled)
        spdlog::warn("serve: stopping with SIP transactions still open after {} ms",
                     grace_.count());
    re_cancel();
}

} // namespace suflyor::app
