#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <memory>

namespace suflyor::core {

bool configure_logging(std::string_view level) {
    const auto parsed = spdlog::level::from_str(std::string(level));
    // from_str maps unknown names to "off"; only accept "off" when it was asked for.
    if (parsed == spdlog::level::off && level != "off") return false;
    // Logs go to stderr so that command output on stdout stays clean for scripts.
    auto logger = std::make_shared<spdlog::logger>(
        "suflyor", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    spdlog::set_default_logger(std::move(logger));
    spdlog::set_level(parsed);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    return true;
}

} // namespace suflyor::core
