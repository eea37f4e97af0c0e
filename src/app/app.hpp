#pragma once
// Public header of the app module: the command line (serve, admin, version) and configuration.
#include "app/config.hpp"

#include <iosfwd>

namespace suflyor::app {

// Runs the `suflyor` command line. Output goes to `out`, errors to `err`; returns the exit code.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace suflyor::app
