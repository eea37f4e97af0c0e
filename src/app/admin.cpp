// `suflyor admin`: accounts, users, projects, features and the audit log from the shell.
// Each command is one transaction; errors are one line on stderr and a non-zero exit.
#include "app/commands.hpp"
#include "app/text_table.hpp"
#include "app/wiring.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "notify/notify.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>

namespace suflyor::app {
namespace {

using namespace suflyor::center;

std::string format_time(core::WallTime t) {
    const auto secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::ostringstream out;
    out << std::put_time(&tm, "%Y-%m-%d %H:%M:%SZ");
    return out.str();
}

// Options shared by many commands; CLI11 writes into these.
struct Args {
    std::string account, name, email, sip_domain, login, role{"operator"}, password, sip_user,
        sip_password, project, feature{"whisper_listen"}, creator_login, creator_name{"Owner"},
        creator_password, creator_sip_password;
    std::vector<std::string> results;
    std::int64_t limit{50};
    std::string barge;
    std::string device;
};

Account resolve_account(Services& s, const std::string& ref) {
    if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos)
        return s.directory.account(AccountId{std::stoll(ref)});
    for (auto& a : s.directory.accounts())
        if (a.name == ref) return a;
    core::fail(core::ErrorCode::not_found, "no account '" + ref + "' (give its name or id)");
}

Project resolve_project(Services& s, const Account& account, const std::string& ref) {
    for (auto& p : s.directory.projects(account.id))
        if (p.name == ref || p.id.str() == ref) return p;
    core::fail(core::ErrorCode::not_found,
               "no project '" + ref + "' in account '" + account.name + "'");
}

Feature resolve_feature(const std::string& name) {
    if (auto f = parse_feature(name)) return *f;
    core::fail(core::ErrorCode::invalid_argument, "unknown feature '" + name + "'");
}

// A password given on the command line, or a generated one that is printed once.
std::string given_or_generated(const std::string& given, const std::string& what,
                               std::ostream& out) {
    if (!given.empty()) return given;
    auto generated = core::random_password();
    out << what << ": " << generated << "\n";
    return generated;
}

const Actor cli_actor = system_actor("cli");

using Body = std::function<void(Services&, Args&, std::ostream&)>;

// Adds `admin <group> <name>`; the action opens the store and runs `body` in one transaction.
void add(CLI::App* group, const std::string& name, const std::string& description,
         const std::function<void(CLI::App*, Args&)>& options, Body body, Action& chosen,
         const std::shared_ptr<Args>& args) {
    auto* cmd = group->add_subcommand(name, description);
    options(cmd, *args);
    cmd->callback([&chosen, args, body] {
        chosen = [args, body](const Config& config, std::ostream& out, std::ostream& err) {
            try {
                Services services(config);
                std::ostringstream buffered; // printed only when the transaction commits
                services.store->transaction([&] { body(services, *args, buffered); });
                out << buffered.str();
                return 0;
            } catch (const core::Error& e) {
                err << "error: " << e.what() << "\n";
                return 1;
            }
        };
    });
}

} // namespace

void add_admin_commands(CLI::App& app, Action& chosen) {
    auto* admin = app.add_subcommand("admin", "Manage accounts, users, projects and features");
    admin->require_subcommand(1);
    auto args = std::make_shared<Args>();
    const auto account_opt = [](CLI::App* c, Args& a) {
        c->add_option("--account", a.account, "Account name or id")->required();
    };

    auto* accounts = admin->add_subcommand("account", "Accounts (tenants)")->require_subcommand(1);
    add(
        accounts, "create", "Create an account with its creator",
        [](CLI::App* c, Args& a) {
            c->add_option("--name", a.name, "Account name")->required();
            c->add_option("--email", a.email, "Contact email (feature notifications go here)")
                ->required();
            c->add_option("--sip-domain", a.sip_domain, "SIP domain (digest realm) of its users")
                ->required();
            c->add_option("--creator-login", a.creator_login, "Login of the account's creator")
                ->required();
            c->add_option("--creator-name", a.creator_name, "Creator's display name");
            c->add_option("--creator-password", a.creator_password, "Generated when omitted");
            c->add_option("--creator-sip-password", a.creator_sip_password,
                          "Generated when omitted");
        },
        [](Services& s, Args& a, std::ostream& out) {
            NewUser creator{
                a.creator_name,
                a.creator_login,
                Role::creator,
                given_or_generated(a.creator_password, "creator password", out),
                "",
                given_or_generated(a.creator_sip_password, "creator SIP password", out)};
            auto [account, user] = s.directory.create_account(
                cli_actor, NewAccount{a.name, a.email, a.sip_domain, creator});
            out << "account " << account.id.str() << " '" << account.name << "' created; creator '"
                << user.login << "' (SIP user " << user.sip.user << "@" << account.sip_domain
                << ")\n";
        },
        chosen, args);
    add(
        accounts, "set-barge", "Turn barge (supervisor speaks to both parties) on or off",
        [](CLI::App* c, Args& a) {
            c->add_option("--account", a.account, "Account name or id")->required();
            c->add_option("--barge", a.barge, "on or off")
                ->required()
                ->check(CLI::IsMember({"on", "off"}));
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto account = s.directory.set_barge_enabled(
                cli_actor, resolve_account(s, a.account).id, a.barge == "on");
            out << "account '" << account.name << "': barge "
                << (account.barge_enabled ? "on" : "off") << "\n";
        },
        chosen, args);
    add(
        accounts, "list", "List accounts", [](CLI::App*, Args&) {},
        [](Services& s, Args&, std::ostream& out) {
            std::vector<std::vector<std::string>> rows{
                {"ID", "NAME", "EMAIL", "SIP DOMAIN", "BARGE", "CREATED"}};
            for (const auto& a : s.directory.accounts())
                rows.push_back({a.id.str(), a.name, a.contact_email, a.sip_domain,
                                a.barge_enabled ? "on" : "off", format_time(a.created_at)});
            print_table(out, rows);
        },
        chosen, args);

    auto* users = admin->add_subcommand("user", "Employees")->require_subcommand(1);
    add(
        users, "create", "Create an administrator or operator",
        [&](CLI::App* c, Args& a) {
            account_opt(c, a);
            c->add_option("--name", a.name, "Display name")->required();
            c->add_option("--login", a.login, "Login (web and API)")->required();
            c->add_option("--role", a.role, "administrator or operator")
                ->check(CLI::IsMember({"administrator", "operator"}));
            c->add_option("--password", a.password, "Generated when omitted");
            c->add_option("--sip-user", a.sip_user, "SIP user name (default: from the login)");
            c->add_option("--sip-password", a.sip_password, "Generated when omitted");
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto account = resolve_account(s, a.account);
            NewUser spec{a.name,
                         a.login,
                         *parse_role(a.role),
                         given_or_generated(a.password, "password", out),
                         a.sip_user,
                         given_or_generated(a.sip_password, "SIP password", out)};
            const auto u = s.directory.create_user(cli_actor, account.id, spec);
            out << "user " << u.id.str() << " '" << u.login << "' (" << to_string(u.role)
                << ") created; SIP user " << u.sip.user << "@" << account.sip_domain << "\n";
        },
        chosen, args);
    add(
        users, "list", "List an account's employees", account_opt,
        [](Services& s, Args& a, std::ostream& out) {
            const auto account = resolve_account(s, a.account);
            std::vector<std::vector<std::string>> rows{
                {"ID", "LOGIN", "NAME", "ROLE", "SIP USER", "RINGS", "STATUS", "SINCE"}};
            for (const auto& u : s.directory.users(account.id))
                rows.push_back({u.id.str(), u.login, u.name, std::string(to_string(u.role)),
                                u.sip.user, std::string(to_string(u.ring_device)),
                                std::string(to_string(u.presence)), format_time(u.presence_since)});
            print_table(out, rows);
        },
        chosen, args);
    add(
        users, "reset-password", "Set a new login password",
        [](CLI::App* c, Args& a) {
            c->add_option("--login", a.login, "The user's login")->required();
            c->add_option("--password", a.password, "Generated when omitted");
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto u = s.directory.user_by_login(a.login);
            s.directory.reset_password(cli_actor, u.id,
                                       given_or_generated(a.password, "password", out));
            out << "password of '" << u.login << "' reset\n";
        },
        chosen, args);
    add(
        users, "set-sip-password", "Set a new SIP password (re-provision the phone afterwards)",
        [](CLI::App* c, Args& a) {
            c->add_option("--login", a.login, "The user's login")->required();
            c->add_option("--sip-password", a.sip_password, "Generated when omitted");
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto u = s.directory.user_by_login(a.login);
            s.directory.set_sip_password(cli_actor, u.id,
                                         given_or_generated(a.sip_password, "SIP password", out));
            out << "SIP password of '" << u.login << "' set\n";
        },
        chosen, args);
    add(
        users, "set-device", "Choose which device rings: the SIP phone or the web app (browser)",
        [](CLI::App* c, Args& a) {
            c->add_option("--login", a.login, "The user's login")->required();
            c->add_option("--device", a.device, "sip_phone or browser")
                ->required()
                ->check(CLI::IsMember({"sip_phone", "browser"}));
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto u = s.directory.set_ring_device(
                cli_actor, s.directory.user_by_login(a.login).id, *parse_ring_device(a.device));
            out << "'" << u.login << "' rings on: " << to_string(u.ring_device) << "\n";
        },
        chosen, args);

    auto* projects =
        admin->add_subcommand("project", "Projects and their operators")->require_subcommand(1);
    const auto project_opts = [&](CLI::App* c, Args& a) {
        account_opt(c, a);
        c->add_option("--project", a.project, "Project name or id")->required();
    };
    add(
        projects, "create", "Create a project",
        [&](CLI::App* c, Args& a) {
            account_opt(c, a);
            c->add_option("--name", a.name, "Project name")->required();
            c->add_option("--result", a.results,
                          "A processing result operators can choose (repeat)");
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto p = s.directory.create_project(cli_actor, resolve_account(s, a.account).id,
                                                      a.name, a.results);
            out << "project " << p.id.str() << " '" << p.name << "' created\n";
        },
        chosen, args);
    add(
        projects, "list", "List an account's projects", account_opt,
        [](Services& s, Args& a, std::ostream& out) {
            const auto account = resolve_account(s, a.account);
            std::vector<std::vector<std::string>> rows{{"ID", "NAME", "OPERATORS", "RESULTS"}};
            for (const auto& p : s.directory.projects(account.id)) {
                std::string ops, results;
                for (auto id : p.operators)
                    ops += (ops.empty() ? "" : ",") + s.directory.user(id).login;
                for (const auto& r : p.results)
                    results += (results.empty() ? "" : "; ") + r.label;
                rows.push_back(
                    {p.id.str(), p.name, ops.empty() ? "-" : ops, results.empty() ? "-" : results});
            }
            print_table(out, rows);
        },
        chosen, args);
    for (const bool adding : {true, false}) {
        add(
            projects, adding ? "add-operator" : "remove-operator",
            adding ? "Let an employee take the project's calls"
                   : "Take an employee off the project",
            [&](CLI::App* c, Args& a) {
                project_opts(c, a);
                c->add_option("--login", a.login, "The employee's login")->required();
            },
            [adding](Services& s, Args& a, std::ostream& out) {
                const auto account = resolve_account(s, a.account);
                const auto p = resolve_project(s, account, a.project);
                const auto u = s.directory.user_by_login(a.login);
                if (u.account_id != account.id)
                    core::fail(core::ErrorCode::not_found,
                               "no user '" + a.login + "' in account '" + account.name + "'");
                if (adding)
                    s.directory.add_operator(cli_actor, p.id, u.id);
                else
                    s.directory.remove_operator(cli_actor, p.id, u.id);
                out << "'" << u.login << "' " << (adding ? "added to" : "removed from")
                    << " project '" << p.name << "'\n";
            },
            chosen, args);
    }
    add(
        projects, "set-results", "Replace the processing results operators choose from",
        [&](CLI::App* c, Args& a) {
            project_opts(c, a);
            c->add_option("--result", a.results, "A processing result (repeat; order kept)");
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto p = resolve_project(s, resolve_account(s, a.account), a.project);
            s.directory.set_results(cli_actor, p.id, a.results);
            out << "project '" << p.name << "' has " << a.results.size() << " results\n";
        },
        chosen, args);

    add(
        projects, "rename", "Rename a project (update [trunks.dids] that name it)",
        [&](CLI::App* c, Args& a) {
            project_opts(c, a);
            c->add_option("--name", a.name, "The new name")->required();
        },
        [](Services& s, Args& a, std::ostream& out) {
            const auto p = resolve_project(s, resolve_account(s, a.account), a.project);
            center::Projects projects{*s.store, s.clock};
            const auto renamed = projects.rename(platform_editor(cli_actor), p.id, a.name);
            out << "project '" << p.name << "' is now '" << renamed.project.name << "'\n";
        },
        chosen, args);
    for (const bool archiving : {true, false}) {
        add(
            projects, archiving ? "archive" : "unarchive",
            archiving ? "Archive a project: its numbers take no calls, its history stays"
                      : "Let an archived project take calls again",
            project_opts,
            [archiving](Services& s, Args& a, std::ostream& out) {
                const auto p = resolve_project(s, resolve_account(s, a.account), a.project);
                center::Projects projects{*s.store, s.clock};
                const auto editor = platform_editor(cli_actor);
                if (archiving)
                    projects.archive(editor, p.id);
                else
                    projects.unarchive(editor, p.id);
                out << "project '" << p.name << "' " << (archiving ? "archived" : "unarchived")
                    << "\n";
            },
            chosen, args);
    }

    auto* features =
        admin->add_subcommand("feature", "Tariff features per account")->require_subcommand(1);
    const auto feature_opts = [&](CLI::App* c, Args& a) {
        account_opt(c, a);
        c->add_option("--feature", a.feature, "Feature key")
            ->check(CLI::IsMember({"whisper_listen"}));
    };
    add(
        features, "list", "Show an account's features", account_opt,
        [](Services& s, Args& a, std::ostream& out) {
            std::vector<std::vector<std::string>> rows{{"FEATURE", "STATE", "SINCE"}};
            for (const auto& f : s.features.list(resolve_account(s, a.account).id)) {
                auto since = f.state == FeatureState::connected   ? f.connected_at
                             : f.state == FeatureState::requested ? f.requested_at
                                                                  : f.disabled_at;
                rows.push_back({std::string(to_string(f.feature)), std::string(to_string(f.state)),
                                since ? format_time(*since) : "-"});
            }
            print_table(out, rows);
        },
        chosen, args);
    add(
        features, "connect", "Connect a feature (fulfil a request)", feature_opts,
        [](Services& s, Args& a, std::ostream& out) {
            // The mail to the account is queued with the change; the running server sends it.
            const auto st = notify::connect_feature_and_notify(
                s.features, *s.store, s.clock, cli_actor, resolve_account(s, a.account).id,
                resolve_feature(a.feature));
            out << a.feature << ": " << to_string(st.state) << "\n";
        },
        chosen, args);
    add(
        features, "disable", "Disable a feature", feature_opts,
        [](Services& s, Args& a, std::ostream& out) {
            const auto st = s.features.disable_by_platform(
                cli_actor, resolve_account(s, a.account).id, resolve_feature(a.feature));
            out << a.feature << ": " << to_string(st.state) << "\n";
        },
        chosen, args);

    auto* audit = admin->add_subcommand("audit", "The audit log")->require_subcommand(1);
    add(
        audit, "list", "Show the newest audit entries",
        [](CLI::App* c, Args& a) {
            c->add_option("--account", a.account, "Only this account (name or id)");
            c->add_option("--limit", a.limit, "How many entries")->check(CLI::Range(1, 10000));
        },
        [](Services& s, Args& a, std::ostream& out) {
            std::optional<AccountId> account;
            if (!a.account.empty()) account = resolve_account(s, a.account).id;
            std::vector<std::vector<std::string>> rows{
                {"AT", "ACCOUNT", "ACTOR", "ACTION", "OBJECT", "DETAILS"}};
            for (const auto& e : s.store->audit().list(account, a.limit))
                rows.push_back({format_time(e.at), e.account_id ? e.account_id->str() : "-",
                                e.actor.label, e.action, e.object_type + " " + e.object_id,
                                e.details});
            print_table(out, rows);
        },
        chosen, args);
}

} // namespace suflyor::app
