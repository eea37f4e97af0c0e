// Does reading the API hold up SIP? (issue 19, docs/performance.md "API reads and SIP"). Against a
// running `suflyor serve`: seeds --calls ended calls into its database (the admin CLI's way: a
// second SQLite connection), then probes the SIP port with OPTIONS every 10 ms and times each
// answer, first alone and then while --pollers keep-alive clients list the calls 500 a page
// without pause. Prints the SIP answer latency of both phases and the list's latency. Loopback
// only, bounded by --seconds per phase; it stops by itself.
//
//   bench_api_read_stall --db var/suflyor.db --http-port 8080 --sip-port 5060 --login admin \
//       --password ... [--calls 1000] [--pollers 2] [--seconds 10]
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <curl/curl.h>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace center = suflyor::center;

std::map<std::string, std::string> parse_args(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int i = 1; i + 1 < argc; i += 2)
        args[std::string(argv[i]).substr(2)] = argv[i + 1];
    return args;
}

std::string arg(const std::map<std::string, std::string>& args, const std::string& name,
                const std::string& fallback = "") {
    const auto it = args.find(name);
    return it == args.end() ? fallback : it->second;
}

// Ended calls of the first account's first project and operator, like a day's history.
void seed_calls(const std::string& db, int count) {
    suflyor::store::SqliteOptions options{db, 5000, std::nullopt};
    auto store = suflyor::store::open_sqlite(options);
    const auto accounts = store->accounts().list();
    if (accounts.empty()) throw std::runtime_error("no account in " + db);
    const auto account = accounts.front().id;
    const auto projects = store->projects().list(account);
    const auto users = store->users().list(account);
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    store->transaction([&] {
        for (int i = 0; i < count; ++i) {
            center::Call call;
            call.account_id = account;
            if (!projects.empty()) call.project_id = projects.front().id;
            if (!users.empty()) call.operator_id = users.back().id;
            call.client_number = "+7495" + std::to_string(1000000 + i);
            call.state = center::CallState::ended;
            call.created_at = now - std::chrono::minutes(count - i);
            call.answered_at = call.created_at + 5s;
            call.ended_at = call.created_at + 65s;
            call.end_reason = "hangup";
            store->calls().insert(call);
        }
    });
}

struct Percentiles {
    double p50{0}, p99{0}, max{0};
    std::size_t n{0};
};

Percentiles percentiles(std::vector<double> ms) {
    if (ms.empty()) return {};
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, std::size_t(q * ms.size()))];
    };
    return {at(0.5), at(0.99), ms.back(), ms.size()};
}

// OPTIONS every 10 ms for `seconds`; the time to any answer (a challenge counts: it comes from
// the control loop like every SIP answer). Unanswered within 2 s: counted as 2,000 ms.
Percentiles probe_sip(int port, std::chrono::seconds seconds, int& lost) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<std::uint16_t>(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    const int local_port = ntohs(local.sin_port);
    std::vector<double> latencies;
    const auto end = Clock::now() + seconds;
    for (int seq = 1; Clock::now() < end; ++seq) {
        const std::string branch = "z9hG4bK-stall-" + std::to_string(seq);
        const std::string request =
            "OPTIONS sip:127.0.0.1:" + std::to_string(port) + " SIP/2.0\r\nVia: SIP/2.0/UDP " +
            "127.0.0.1:" + std::to_string(local_port) + ";branch=" + branch +
            ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p" +
            std::to_string(seq) + "\r\nTo: <sip:127.0.0.1>\r\nCall-ID: stall-" +
            std::to_string(seq) + "\r\nCSeq: " + std::to_string(seq) +
            " OPTIONS\r\nContent-Length: 0\r\n\r\n";
        const auto sent = Clock::now();
        ::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&server),
                 sizeof server);
        bool answered = false;
        char buffer[4096];
        while (!answered && Clock::now() - sent < 2s) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            answered = n > 0 && std::string(buffer, static_cast<std::size_t>(n)).find(branch) !=
                                    std::string::npos;
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        if (!answered) ++lost;
        latencies.push_back(answered ? ms : 2000.0);
        std::this_thread::sleep_until(sent + 10ms);
    }
    ::close(fd);
    return percentiles(latencies);
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

std::string sign_in(int http_port, const std::string& login, const std::string& password) {
    CURL* curl = curl_easy_init();
    std::string body;
    const std::string url = "http://127.0.0.1:" + std::to_string(http_port) + "/api/v1/auth/login";
    const std::string request = nlohmann::json{{"login", login}, {"password", password}}.dump();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return nlohmann::json::parse(body).at("token").get<std::string>();
}

} // namespace

int main(int argc, char** argv) {
    const auto args = parse_args(argc, argv);
    if (args.count("db") == 0 || args.count("http-port") == 0 || args.count("sip-port") == 0) {
        std::fprintf(stderr,
                     "usage: bench_api_read_stall --db PATH --http-port N --sip-port N "
                     "--login L --password P [--calls 1000] [--pollers 2] [--seconds 10]\n");
        return 2;
    }
    const int http_port = std::stoi(arg(args, "http-port"));
    const int sip_port = std::stoi(arg(args, "sip-port"));
    const int pollers = std::stoi(arg(args, "pollers", "2"));
    const std::chrono::seconds seconds{std::stoi(arg(args, "seconds", "10"))};
    curl_global_init(CURL_GLOBAL_DEFAULT);
    seed_calls(arg(args, "db"), std::stoi(arg(args, "calls", "1000")));
    const auto token = sign_in(http_port, arg(args, "login", "admin"), arg(args, "password"));

    int lost_alone = 0;
    const auto alone = probe_sip(sip_port, seconds, lost_alone);

    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<double> list_ms;
    std::size_t listed_rows = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < pollers; ++i)
        threads.emplace_back([&] {
            CURL* curl = curl_easy_init(); // one handle: a keep-alive connection
            const std::string auth = "Authorization: Bearer " + token;
            curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
            const std::string url =
                "http://127.0.0.1:" + std::to_string(http_port) + "/api/v1/calls?limit=500";
            curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
            curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
            while (!stop) {
                std::string body;
                curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
                const auto started = Clock::now();
                curl_easy_perform(curl);
                const double ms =
                    std::chrono::duration<double, std::milli>(Clock::now() - started).count();
                std::size_t rows = 0;
                try {
                    rows = nlohmann::json::parse(body).at("calls").size();
                } catch (const std::exception&) {
                }
                const std::lock_guard lock(mutex);
                list_ms.push_back(ms);
                listed_rows += rows;
            }
            curl_slist_free_all(headers);
            curl_easy_cleanup(curl);
        });
    int lost_listing = 0;
    const auto listing = probe_sip(sip_port, seconds, lost_listing);
    stop = true;
    for (auto& t : threads)
        t.join();
    const auto lists = percentiles(list_ms);

    std::printf("SIP OPTIONS answer, alone:        p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu "
                "probes, %d unanswered)\n",
                alone.p50, alone.p99, alone.max, alone.n, lost_alone);
    std::printf("SIP OPTIONS answer, while listing: p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu "
                "probes, %d unanswered)\n",
                listing.p50, listing.p99, listing.max, listing.n, lost_listing);
    std::printf("GET /api/v1/calls?limit=500 (%d keep-alive pollers): p50 %.1f ms  p99 %.1f ms  "
                "(%zu pages, %.0f rows per page)\n",
                pollers, lists.p50, lists.p99, lists.n,
                lists.n ? double(listed_rows) / double(lists.n) : 0.0);
    curl_global_cleanup();
    return 0;
}
