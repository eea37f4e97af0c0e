#include "app/app.hpp"
#include "app/commands.hpp"
#include "core/log.hpp"

#include <ostream>

#ifndef SUFLYOR_VERSION
#define SUFLYOR_VERSION "dev"
#endif

namespace suflyor::app {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App cli{"Suflyor: a call-center server where supervisors listen to and whisper into live "
                 "calls.",
                 "suflyor"};
    cli.require_subcommand(1);
    cli.fallthrough(); // --config may come after the subcommand too
    std::string config_path;
    cli.add_option("-c,--config", config_path,
                   "TOML configuration file (see config/suflyor.example.toml); without it the "
                   "defaults apply and data lives under ./var/");
    std::string db_path;
    cli.add_option("--db", db_path, "SQLite database file (overrides storage.path)");

    Action chosen;
    cli.add_subcommand("serve", "Run the server (SIP, media, HTTP) until SIGINT/SIGTERM")
        ->callback([&] { chosen = serve; });
    cli.add_subcommand("version", "Print the version and exit")->callback([&] {
        chosen = [](const Config&, std::ostream& o, std::ostream&) {
            o << "suflyor " << SUFLYOR_VERSION << "\n";
            return 0;
        };
    });
    add_admin_commands(cli, chosen);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e, out, err);
    }

    Config config;
    try {
        config = load_config(
            config_path.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_path));
        apply_environment(config);
        if (!db_path.empty()) config.storage.path = db_path;
    } catch (const ConfigError& e) {
        err << "suflyor: configuration error: " << e.what() << "\n";
        return 2;
    }
    core::configure_logging(config.log.level);
    return chosen(config, out, err);
}

} // namespace suflyor::app
