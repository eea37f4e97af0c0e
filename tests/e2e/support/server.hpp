#pragma once
// The real `suflyor serve` for end-to-end tests: its own temp directory and database, SIP on a
// free loopback port, employees created through the admin CLI first.
#include "process.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace suflyor::e2e {

// A free port on 127.0.0.1 for `type` (SOCK_DGRAM or SOCK_STREAM), as the kernel picks it.
int free_port(int type);

// The provider trunk of the call tests: a client on 127.0.0.2 dials DID 74950000001, which
// reaches project "Sales"; calls out go to the provider at 127.0.0.2:`peer_port`.
[[nodiscard]] inline std::string provider_trunk_config(int peer_port = 5060) {
    return "[[trunks]]\nname = \"provider\"\npeer = \"127.0.0.2:" + std::to_string(peer_port) +
           "\"\nsources = [\"127.0.0.2\"]\n[trunks.dids]\n\"74950000001\" = \"Sales\"\n";
}

// SUFLYOR_E2E_DEBUG=1: the server logs at debug level and parties trace SIP, for failure messages.
[[nodiscard]] inline bool debugging() { return std::getenv("SUFLYOR_E2E_DEBUG") != nullptr; }
[[nodiscard]] inline std::string log_config() {
    return debugging() ? "[log]\nlevel = \"debug\"\n" : "";
}

class Server {
public:
    // The platform operator's token in the generated configuration.
    static constexpr const char* platform_token = "platform-operator-token-for-e2e-tests-0123";

    // `extra_config` is TOML appended to the generated file (sections not generated here).
    // `extra_bootstrap` adds keys to the generated [bootstrap] section (e.g. sip_domain),
    // `extra_media` to the generated [media] section (e.g. rtp_timeout_seconds, rtp_port_min),
    // `extra_http` to the [http] section (e.g. trusted_proxies).
    explicit Server(const std::string& binary, const std::string& extra_sip_config = "",
                    const std::string& extra_bootstrap = "", const std::string& extra_media = "",
                    const std::string& extra_http = "");
    ~Server();

    // Runs `suflyor admin ...` on the server's database; asserts success.
    std::string admin(const std::vector<std::string>& args);
    // Creates an operator with the given login, password and SIP password.
    void add_user(const std::string& login, const std::string& sip_password,
                  const std::string& role = "operator");
    // The usual call-center set-up of call tests: project "Sales" with `login` as its operator.
    void add_project_operator(const std::string& login, const std::string& project = "Sales");
    void start();
    void stop();

    [[nodiscard]] int sip_udp_port() const { return sip_udp_port_; }
    [[nodiscard]] int http_port() const { return http_port_; }
    [[nodiscard]] int sip_tcp_port() const { return sip_tcp_port_; }
    [[nodiscard]] int sip_tls_port() const { return sip_tls_port_; }
    [[nodiscard]] Process& process() { return *process_; }
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
    [[nodiscard]] std::string config_path() const { return (dir_ / "suflyor.toml").string(); }

private:
    std::string binary_;
    std::filesystem::path dir_;
    std::unique_ptr<Process> process_;
    int sip_udp_port_{0};
    int http_port_{0};
    int sip_tcp_port_{0};
    int sip_tls_port_{0};
};

// Runs sipp with a scenario file from tests/e2e/sipp against 127.0.0.1:port; returns its exit
// code (0: every call succeeded) and leaves its output in `log`.
int run_sipp(const std::string& scenario, int port, const std::vector<std::string>& extra_args,
             std::string& log, const std::string& local_ip = "127.0.0.1", int local_port = 0);

// The command line of a sipp run (for starting one in the background with Process).
std::vector<std::string> sipp_command(const std::string& scenario, int port,
                                      const std::vector<std::string>& extra_args,
                                      const std::string& local_ip, int local_port);

// Waits until something is bound to the UDP port on 127.0.0.1 (a peer started and listens).
bool wait_udp_bound(int port, std::chrono::milliseconds timeout,
                    const std::string& ip = "127.0.0.1");

} // namespace suflyor::e2e
