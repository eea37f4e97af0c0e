#include "server.hpp"

#include <gtest/gtest.h>
#include <regex>

#include <arpa/inet.h>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::e2e {

using namespace std::chrono_literals;

int free_port(int type) {
    const int fd = ::socket(AF_INET, type, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

Server::Server(const std::string& binary, const std::string& extra_sip_config,
               const std::string& extra_bootstrap, const std::string& extra_media)
    : binary_(binary) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("suflyor-e2e-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "suflyor.toml")
        << "[storage]\npath = \"" << (dir_ / "suflyor.db").string() << "\"\n"
        << "[security]\npassword_cost = \"minimal\"\n"
        << "[bootstrap]\ncreator_password = \"creator-password\"\n"
        << "creator_sip_password = \"creator-sip-password\"\n"
        << extra_bootstrap << "\n"
        << "[media]\nrecording_dir = \"" << (dir_ / "recordings").string() << "\"\n"
        << extra_media << "\n"
        << "[http]\nlisten = \"127.0.0.1:0\"\nplatform_token = \"" << platform_token << "\"\n"
        << "[sip]\nlisten = \"127.0.0.1:0\"\n"
        // A test may choose the transports itself (in its extra [sip] lines).
        << (extra_sip_config.find("transports =") == std::string::npos
                ? "transports = [\"udp\", \"tcp\"]\n"
                : "")
        << extra_sip_config << "\n";
}

Server::~Server() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string Server::admin(const std::vector<std::string>& args) {
    std::vector<std::string> argv{binary_, "--config", config_path(), "admin"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_to_end(argv, 60s);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
}

void Server::add_user(const std::string& login, const std::string& sip_password,
                      const std::string& role) {
    admin({"user", "create", "--account", "1", "--name", "User " + login, "--login", login,
           "--role", role, "--password", "password-" + login, "--sip-password", sip_password});
}

void Server::add_project_operator(const std::string& login, const std::string& project) {
    admin({"project", "create", "--account", "1", "--name", project});
    admin({"project", "add-operator", "--account", "1", "--project", project, "--login", login});
}

void Server::start() {
    const std::vector<std::string> argv{binary_, "--config", config_path(), "serve"};
    process_ = std::make_unique<Process>(argv);
    ASSERT_TRUE(process_->wait_for_stderr("control loop running", 60s)) << process_->err();
    std::smatch m;
    const std::string& log = process_->err();
    ASSERT_TRUE(
        std::regex_search(log, m, std::regex(R"(sip: listening on udp 127\.0\.0\.1:(\d+))")))
        << log;
    sip_udp_port_ = std::stoi(m[1]);
    ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(http: listening on 127\.0\.0\.1:(\d+))")))
        << log;
    http_port_ = std::stoi(m[1]);
    if (std::regex_search(log, m, std::regex(R"(sip: listening on tcp 127\.0\.0\.1:(\d+))")))
        sip_tcp_port_ = std::stoi(m[1]);
    if (std::regex_search(log, m, std::regex(R"(sip: listening on tls 127\.0\.0\.1:(\d+))")))
        sip_tls_port_ = std::stoi(m[1]);
}

void Server::stop() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->wait(10s);
}

std::vector<std::string> sipp_command(const std::string& scenario, int port,
                                      const std::vector<std::string>& extra_args,
                                      const std::string& local_ip, int local_port) {
    const auto scenario_path = std::string(SUFLYOR_SOURCE_DIR) + "/tests/e2e/sipp/" + scenario;
    const int bind_port = local_port != 0 ? local_port : free_port(SOCK_DGRAM);
    std::vector<std::string> argv{"/usr/bin/sipp",
                                  "-sf",
                                  scenario_path,
                                  "-m",
                                  "1",
                                  "-i",
                                  local_ip,
                                  "-p",
                                  std::to_string(bind_port),
                                  "-timeout",
                                  "30s",
                                  "-timeout_error",
                                  "-nostdin",
                                  "-trace_err",
                                  "-trace_msg"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    if (port != 0) argv.push_back("127.0.0.1:" + std::to_string(port));
    return argv;
}

bool wait_udp_bound(int port, std::chrono::milliseconds timeout, const std::string& ip) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
        const int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::close(fd);
        if (rc != 0) return true; // taken: the peer is listening
        ::usleep(10'000);
    }
    return false;
}

int run_sipp(const std::string& scenario, int port, const std::vector<std::string>& extra_args,
             std::string& log, const std::string& local_ip, int local_port) {
    const auto argv = sipp_command(scenario, port, extra_args, local_ip, local_port);
    const auto work = std::filesystem::temp_directory_path() /
                      ("sipp-" + std::to_string(::getpid()) + "-" + std::to_string(port));
    std::filesystem::create_directories(work);
    Process sipp(argv, {}, work.string());
    const int code = sipp.wait(60s);
    log = sipp.out() + sipp.err();
    for (const auto& entry : std::filesystem::directory_iterator(work)) {
        std::ifstream in(entry.path());
        log += "\n--- " + entry.path().filename().string() + "\n";
        log += std::string(std::istreambuf_iterator<char>(in), {});
    }
    std::filesystem::remove_all(work);
    return code;
}

} // namespace suflyor::e2e
