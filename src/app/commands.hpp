#pragma once
// The subcommands of the `suflyor` binary (internal to the app module).
#include "app/config.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <memory>

namespace suflyor::app {

// What a parsed command line asks for: run with the loaded configuration, return an exit code.
using Action = std::function<int(const Config&, std::ostream& out, std::ostream& err)>;

// Registers `admin` and its subcommands; the chosen one's action is written to `chosen`.
void add_admin_commands(CLI::App& app, Action& chosen);

// `serve`: open the store, create the first account on an empty database, run until a signal.
int serve(const Config& config, std::ostream& out, std::ostream& err);

} // namespace suflyor::app
