#pragma once
// The server's configuration: a TOML file (config/suflyor.example.toml documents every key).
// Defaults let `serve` run with no file at all. Any mistake stops start-up with one message that
// names the file, line, column and key.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace suflyor::app {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "host:port" with an IP literal host ("[::1]:5060" for IPv6).
struct SocketAddress {
    std::string host;
    std::uint16_t port{0};
    [[nodiscard]] std::string str() const;
};

struct HttpConfig {
    SocketAddress listen{"127.0.0.1", 8080};
    std::vector<std::string> allowed_origins; // WebSocket Origin allow-list; empty: same host only
    std::int64_t max_body_bytes{1 << 20};
    std::int64_t token_ttl_hours{12};
    std::string static_dir{"web/dist"};
    // civetweb workers: each open connection (WebSocket, idle or slow one) holds one.
    std::int64_t threads{2500};
    std::int64_t request_timeout_seconds{10};      // a request's head and body, from its first byte
    std::int64_t keep_alive_seconds{5};            // idle time between requests on one connection
    std::int64_t max_connections_per_address{512}; // 0: unlimited; trusted proxies are exempt
    // The platform operator's bearer token (server-wide admin: connects features for any
    // account); empty: those routes are refused. Environment: SUFLYOR_PLATFORM_TOKEN.
    std::string platform_token;
    // Bearer token a Prometheus scrape of /metrics must present; empty: /metrics is open (bind
    // `listen` to a private address then). Environment: SUFLYOR_METRICS_TOKEN.
    std::string metrics_token;
    // Reverse proxies (IP addresses or CIDR ranges) whose X-Forwarded-For names the client.
    std::vector<std::string> trusted_proxies;
};

struct SipConfig {
    SocketAddress listen{"127.0.0.1", 5060};
    std::vector<std::string> transports{"udp", "tcp"}; // "tls" needs tls_certificate
    std::string tls_certificate;                       // PEM with certificate and key
    bool authenticate_options{true};
    std::int64_t nonce_ttl_seconds{300};
    std::int64_t max_auth_failures_per_minute{10};
    std::int64_t udp_receive_buffer_kib{4096};
    std::int64_t overload_lag_ms{300};
    // SIP over WebSocket for the web app's softphone (RFC 7118). Absent or "": off. wss uses
    // tls_certificate. The upgrade's Origin is checked against [http] allowed_origins.
    std::optional<SocketAddress> ws_listen;
    std::optional<SocketAddress> wss_listen;
    // What browsers connect to (e.g. "wss://pbx.example.com/sip" behind a reverse proxy). When
    // not set: "ws://<ws_listen>", else "wss://<wss_listen>", else "" (no WebSocket).
    std::string ws_public_url;
    // The host (name or address) phones are told to reach this server at (the Team page's
    // "Connect a phone"). "": the listen host, or [media] advertised_address when listening on
    // every address.
    std::string advertised;
};

struct MediaConfig {
    std::int64_t workers{0}; // 0: one per core
    std::string bind_address{"127.0.0.1"};
    std::string advertised_address{"127.0.0.1"}; // the address written into SDP
    std::int64_t rtp_port_min{20000};
    std::int64_t rtp_port_max{29999};
    std::int64_t rtp_timeout_seconds{60};
    std::int64_t jitter_max_ms{200};
    std::string recording_dir{"var/recordings"};
    std::string io{"io_uring"}; // "io_uring" or "epoll": how media workers do their socket I/O
};

struct StorageConfig {
    std::string driver{"sqlite"};
    std::string path{"var/suflyor.db"};
};

struct TrunkConfig {
    std::string name;
    std::string account; // the account (by name) whose calls this trunk carries
    std::string peer;    // host:port of the provider
    std::string transport{"udp"};
    std::vector<std::string> sources; // IP addresses or CIDR ranges that count as this trunk
    std::string caller_id;
    bool register_outbound{false};
    std::string username;
    std::string password;
    std::map<std::string, std::string> dids; // dialled number -> project name
};

struct SmtpConfig {
    std::string url; // smtp://host:port or smtps://...; empty: no email
    std::string from{"suflyor@localhost"};
    std::string username;
    std::string password;
    std::int64_t retry_seconds{60};
};

struct SttConfig {
    std::string engine{"pocketsphinx"}; // pocketsphinx | openai | none
    std::string url;                    // for openai: base URL of a /v1/audio/transcriptions server
    std::string model;
};

struct FeaturesConfig {
    std::string auto_connect{"single-account"}; // single-account | always | never
};

struct BootstrapConfig {
    std::string account_name{"My call center"};
    std::string contact_email{"owner@example.com"};
    std::string sip_domain{"suflyor.local"};
    std::string creator_name{"Owner"};
    std::string creator_login{"admin"};
    std::string creator_password; // empty: generated and printed once (env SUFLYOR_ADMIN_PASSWORD)
    std::string creator_sip_password; // empty: generated and printed once
};

struct SecurityConfig {
    // argon2id cost of login passwords: interactive (default) | moderate (slower, stronger) |
    // minimal (only for tests: fast and weak).
    std::string password_cost{"interactive"};
};

struct MonitorConfig {
    // How long a "re-join the same employee" waits for their next answered call.
    std::int64_t follow_timeout_minutes{30};
};

struct LogConfig {
    std::string level{"info"};
};

struct Config {
    HttpConfig http;
    SipConfig sip;
    MediaConfig media;
    StorageConfig storage;
    std::vector<TrunkConfig> trunks;
    SmtpConfig smtp;
    SttConfig stt;
    FeaturesConfig features;
    MonitorConfig monitor;
    BootstrapConfig bootstrap;
    SecurityConfig security;
    LogConfig log;
};

// Parses TOML text; `origin` names it in messages. Throws ConfigError.
Config parse_config(const std::string& text, const std::string& origin);
// Reads the file, or returns the defaults when `path` is empty. Throws ConfigError.
Config load_config(const std::optional<std::filesystem::path>& path);
// Applies SUFLYOR_* environment overrides (documented in the example file).
void apply_environment(Config& config);

} // namespace suflyor::app
