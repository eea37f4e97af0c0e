#pragma once
// Logging: spdlog behind one set-up call. Lines are "time level [module] message".
#include <spdlog/spdlog.h>

#include <string_view>

namespace suflyor::core {

// Sets the default logger's level and pattern; `level` is trace|debug|info|warn|error|off.
// Returns false (and leaves the level alone) for an unknown level name.
bool configure_logging(std::string_view level);

} // namespace suflyor::core
