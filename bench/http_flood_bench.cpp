// Connection capacity of a running `suflyor serve` (docs/performance.md, "HTTP"): opens the
// planned event WebSockets, idle and slowloris connections on loopback (tests/support/
// http_flood), then for --seconds measures /healthz, sign-in and a monitor request, one after
// the other on fresh connections, and prints their p50/p99 and the server's RSS and threads.
// Loopback only, bounded by its arguments; it stops by itself.
//
//   bench_http_flood --port 8080 --login admin --password ... --pid $(pidof suflyor)
//       [--websockets 2000] [--idle 200] [--slow 0] [--sources 8] [--seconds 30]
#include "support/http_flood.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <sys/resource.h>
#include <thread>

namespace {

using namespace std::chrono_literals;
using namespace suflyor::test;

std::map<std::string, std::string> parse_args(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string name = argv[i];
        if (name.rfind("--", 0) != 0) break;
        args[name.substr(2)] = argv[i + 1];
    }
    return args;
}

int number(const std::map<std::string, std::string>& args, const std::string& name, int fallback) {
    const auto it = args.find(name);
    return it == args.end() ? fallback : std::stoi(it->second);
}

// "VmRSS" and "Threads" of /proc/<pid>/status.
std::string process_figures(const std::string& pid) {
    if (pid.empty()) return "(no --pid)";
    std::ifstream status("/proc/" + pid + "/status");
    std::string line, out;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0 || line.rfind("Threads:", 0) == 0) out += line + "  ";
    return out;
}

std::string token_of(const std::string& body) {
    const std::string key = "\"token\":\"";
    const auto at = body.find(key);
    if (at == std::string::npos) return {};
    const auto start = at + key.size();
    return body.substr(start, body.find('"', start) - start);
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each line as it comes, even when stopped early
    const auto args = parse_args(argc, argv);
    if (!args.contains("port") || !args.contains("login") || !args.contains("password")) {
        std::cerr << "usage: bench_http_flood --port P --login L --password W [--pid PID]\n"
                     "  [--websockets 2000] [--idle 200] [--slow 0] [--sources 8] [--seconds 30]\n";
        return 2;
    }
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);

    FloodPlan plan;
    plan.port = static_cast<std::uint16_t>(number(args, "port", 0));
    plan.websockets = std::min(number(args, "websockets", 2000), 20000);
    plan.idle = std::min(number(args, "idle", 200), 5000);
    plan.slow = std::min(number(args, "slow", 0), 5000);
    plan.source_addresses = std::clamp(number(args, "sources", 8), 1, 250);
    const int seconds = std::clamp(number(args, "seconds", 30), 1, 600);
    const std::string pid = args.contains("pid") ? args.at("pid") : "";
    const auto login = raw_json_request("POST", "/api/v1/auth/login",
                                        "{\"login\":\"" + args.at("login") + "\",\"password\":\"" +
                                            args.at("password") + "\"}");
    plan.token = token_of(timed_request(plan.port, login, 10s).body);
    if (plan.token.empty()) {
        std::cerr << "sign-in failed\n";
        return 1;
    }
    std::printf("before:   %s\n", process_figures(pid).c_str());

    const auto started = std::chrono::steady_clock::now();
    HttpFlood flood(plan);
    const bool established = flood.wait_established(std::chrono::seconds(120));
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    auto counts = flood.counts();
    std::printf("flood:    %d/%d websockets (%d refused), %d/%d idle, %d/%d slow in %.1f s%s\n",
                counts.websockets_open, plan.websockets, counts.websockets_refused,
                counts.idle_open, plan.idle, counts.slow_open, plan.slow, took.count(),
                established ? "" : " (not all established)");
    std::printf("loaded:   %s\n", process_figures(pid).c_str());

    const auto probes = probe_for(plan.port, args.at("login"), args.at("password"), plan.token,
                                  std::chrono::seconds(seconds), 50ms, 5s);
    std::printf("%s\n%s\n%s\n", describe("/healthz", probes.healthz).c_str(),
                describe("login", probes.login).c_str(),
                describe("monitor", probes.monitor).c_str());
    counts = flood.counts();
    std::printf("after:    %d websockets open, %d closed by the server; idle/slow reopened %d "
                "times\n",
                counts.websockets_open - counts.websockets_closed, counts.websockets_closed,
                counts.reopened);
    std::printf("server:   %s\n", process_figures(pid).c_str());
    return probes.first_failure.empty() && established ? 0 : 1;
}
