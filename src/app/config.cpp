#include "app/config.hpp"

#include "sip/sip.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace suflyor::app {
namespace {

std::string where(const std::string& origin, const toml::source_region& src) {
    std::ostringstream out;
    out << origin;
    if (src.begin.line > 0) out << ":" << src.begin.line << ":" << src.begin.column;
    return out.str();
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Parses "host:port" / "[v6]:port"; returns an error text or empty.
std::string parse_address(const std::string& text, SocketAddress& out) {
    std::string host;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return "expected \"[ipv6]:port\", got \"" + text + "\"";
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return "expected \"host:port\", got \"" + text + "\"";
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (!is_ip_literal(host)) return "\"" + host + "\" is not an IP address";
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos)
        return "port \"" + port + "\" is not a number";
    const long value = std::stol(port);
    if (value > 65535) return "port " + port + " is out of range 0..65535";
    out = SocketAddress{host, static_cast<std::uint16_t>(value)};
    return {};
}

// Reads one TOML table, remembering which keys were consumed so that leftovers (typos) are
// reported instead of silently ignored.
class Section {
public:
    Section(const toml::table& table, std::string prefix, const std::string& origin)
        : table_(table), prefix_(std::move(prefix)), origin_(origin) {}

    [[noreturn]] void fail(const toml::node& node, std::string_view key,
                           const std::string& why) const {
        throw ConfigError(where(origin_, node.source()) + ": key '" + path(key) + "': " + why);
    }

    const toml::node* node(std::string_view key) {
        known_.insert(std::string(key));
        return table_.get(key);
    }

    void string(std::string_view key, std::string& out) {
        if (const auto* n = node(key)) {
            if (!n->is_string()) fail(*n, key, "expected a string");
            out = n->as_string()->get();
        }
    }

    void one_of(std::string_view key, std::string& out, const std::set<std::string>& allowed) {
        string(key, out);
        if (!allowed.contains(out))
            fail(*table_.get(key), key, "\"" + out + "\" is not one of " + join(allowed));
    }

    void integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
        if (const auto* n = node(key)) {
            if (!n->is_integer()) fail(*n, key, "expected an integer");
            const auto v = n->as_integer()->get();
            if (v < min || v > max)
                fail(*n, key,
                     std::to_string(v) + " is out of range " + std::to_string(min) + ".." +
                         std::to_string(max));
            out = v;
        }
    }

    void boolean(std::string_view key, bool& out) {
        if (const auto* n = node(key)) {
            if (!n->is_boolean()) fail(*n, key, "expected true or false");
            out = n->as_boolean()->get();
        }
    }

    void strings(std::string_view key, std::vector<std::string>& out) {
        if (const auto* n = node(key)) {
            const auto* arr = n->as_array();
            if (!arr) fail(*n, key, "expected an array of strings");
            out.clear();
            for (const auto& item : *arr) {
                if (!item.is_string()) fail(item, key, "expected an array of strings");
                out.push_back(item.as_string()->get());
            }
        }
    }

    void address(std::string_view key, SocketAddress& out) {
        if (const auto* n = node(key)) {
            if (!n->is_string()) fail(*n, key, "expected a string \"host:port\"");
            if (auto err = parse_address(n->as_string()->get(), out); !err.empty())
                fail(*n, key, err);
        }
    }

    void ip(std::string_view key, std::string& out) {
        string(key, out);
        if (table_.get(key) && !is_ip_literal(out))
            fail(*table_.get(key), key, "\"" + out + "\" is not an IP address");
    }

    const toml::table* table(std::string_view key) {
        if (const auto* n = node(key)) {
            if (!n->is_table()) fail(*n, key, "expected a table [" + path(key) + "]");
            return n->as_table();
        }
        return nullptr;
    }

    const toml::array* array_of_tables(std::string_view key) {
        if (const auto* n = node(key)) {
            if (!n->is_array_of_tables()) fail(*n, key, "expected tables [[" + path(key) + "]]");
            return n->as_array();
        }
        return nullptr;
    }

    void finish() const {
        for (const auto& [key, value] : table_)
            if (!known_.contains(std::string(key.str())))
                throw ConfigError(where(origin_, key.source()) + ": unknown key '" +
                                  path(key.str()) + "'");
    }

    [[nodiscard]] std::string path(std::string_view key) const {
        return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
    }

private:
    static std::string join(const std::set<std::string>& items) {
        std::string out;
        for (const auto& i : items)
            out += (out.empty() ? "" : ", ") + i;
        return out;
    }

    const toml::table& table_;
    std::string prefix_;
    const std::string& origin_;
    std::set<std::string> known_;
};

void read_http(Section s, HttpConfig& c) {
    s.address("listen", c.listen);
    s.strings("allowed_origins", c.allowed_origins);
    s.integer("max_body_bytes", c.max_body_bytes, 1024, 1LL << 30);
    s.integer("token_ttl_hours", c.token_ttl_hours, 1, 24 * 365);
    s.string("static_dir", c.static_dir);
    s.integer("threads", c.threads, 4, 20000);
    s.integer("request_timeout_seconds", c.request_timeout_seconds, 1, 300);
    s.integer("keep_alive_seconds", c.keep_alive_seconds, 1, 300);
    s.integer("max_connections_per_address", c.max_connections_per_address, 0, 1000000);
    s.string("platform_token", c.platform_token);
    if (!c.platform_token.empty() && c.platform_token.size() < 32)
        s.fail(*s.node("platform_token"), "platform_token", "must be at least 32 characters");
    s.strings("trusted_proxies", c.trusted_proxies);
    for (const auto& proxy : c.trusted_proxies)
        if (!sip::AddressRange::parse(proxy))
            s.fail(*s.node("trusted_proxies"), "trusted_proxies",
                   "\"" + proxy + "\" is not an IP address or CIDR range");
    s.string("metrics_token", c.metrics_token);
    if (!c.metrics_token.empty() && c.metrics_token.size() < 16)
        s.fail(*s.node("metrics_token"), "metrics_token", "must be at least 16 characters");
    s.finish();
}

void read_sip(Section s, SipConfig& c) {
    s.address("listen", c.listen);
    s.strings("transports", c.transports);
    s.string("tls_certificate", c.tls_certificate);
    s.boolean("authenticate_options", c.authenticate_options);
    s.integer("nonce_ttl_seconds", c.nonce_ttl_seconds, 1, 3600);
    s.integer("max_auth_failures_per_minute", c.max_auth_failures_per_minute, 1, 100000);
    s.integer("udp_receive_buffer_kib", c.udp_receive_buffer_kib, 0, 1 << 20);
    s.integer("overload_lag_ms", c.overload_lag_ms, 0, 60000);
    for (auto [key, out] : {std::pair{"ws_listen", &c.ws_listen}, {"wss_listen", &c.wss_listen}}) {
        std::string text;
        s.string(key, text);
        if (text.empty()) continue;
        SocketAddress addr;
        if (auto err = parse_address(text, addr); !err.empty()) s.fail(*s.node(key), key, err);
        *out = addr;
    }
    if (c.wss_listen && c.tls_certificate.empty())
        s.fail(*s.node("wss_listen"), "wss_listen", "wss needs sip.tls_certificate");
    s.string("advertised", c.advertised);
    s.string("ws_public_url", c.ws_public_url);
    if (!c.ws_public_url.empty() && c.ws_public_url.rfind("ws://", 0) != 0 &&
        c.ws_public_url.rfind("wss://", 0) != 0)
        s.fail(*s.node("ws_public_url"), "ws_public_url", "must start with ws:// or wss://");
    if (c.ws_public_url.empty() && c.ws_listen) c.ws_public_url = "ws://" + c.ws_listen->str();
    if (c.ws_public_url.empty() && c.wss_listen) c.ws_public_url = "wss://" + c.wss_listen->str();
    if (const auto* n = s.node("transports")) {
        for (const auto& t : c.transports)
            if (t != "udp" && t != "tcp" && t != "tls")
                s.fail(*n, "transports", "\"" + t + "\" is not one of udp, tcp, tls");
        const bool tls =
            std::find(c.transports.begin(), c.transports.end(), "tls") != c.transports.end();
        if (tls && c.tls_certificate.empty())
            s.fail(*n, "transports", "tls needs sip.tls_certificate");
        if (c.transports.empty()) s.fail(*n, "transports", "at least one transport is needed");
    }
    s.finish();
}

void read_media(Section s, MediaConfig& c) {
    s.integer("workers", c.workers, 0, 256);
    s.ip("bind_address", c.bind_address);
    s.ip("advertised_address", c.advertised_address);
    s.integer("rtp_port_min", c.rtp_port_min, 1024, 65534);
    s.integer("rtp_port_max", c.rtp_port_max, 1025, 65535);
    s.integer("rtp_timeout_seconds", c.rtp_timeout_seconds, 5, 3600);
    s.integer("jitter_max_ms", c.jitter_max_ms, 20, 1000);
    s.string("recording_dir", c.recording_dir);
    s.one_of("io", c.io, {"io_uring", "epoll"});
    if (c.rtp_port_min % 2 != 0)
        s.fail(*s.node("rtp_port_min"), "rtp_port_min",
               "must be even (RTP on even, RTCP on odd ports)");
    if (c.rtp_port_max - c.rtp_port_min < 3) {
        const std::string_view key = s.node("rtp_port_max") ? "rtp_port_max" : "rtp_port_min";
        s.fail(*s.node(key), key, "the RTP port range must hold at least two port pairs");
    }
    s.finish();
}

void read_storage(Section s, StorageConfig& c) {
    s.one_of("driver", c.driver, {"sqlite"});
    s.string("path", c.path);
    if (c.path.empty()) s.fail(*s.node("path"), "path", "must not be empty");
    s.finish();
}

void read_trunk(Section s, TrunkConfig& t) {
    s.string("name", t.name);
    s.string("account", t.account);
    s.string("peer", t.peer);
    s.one_of("transport", t.transport, {"udp", "tcp", "tls"});
    s.strings("sources", t.sources);
    s.string("caller_id", t.caller_id);
    s.boolean("register", t.register_outbound);
    s.string("username", t.username);
    s.string("password", t.password);
    if (const auto* dids = s.table("dids")) {
        for (const auto& [did, project] : *dids) {
            if (!project.is_string())
                s.fail(project, "dids." + std::string(did.str()), "expected a project name");
            t.dids.emplace(std::string(did.str()), project.as_string()->get());
        }
    }
    for (const auto* key : {"name", "peer"}) {
        const std::string& value = std::string_view(key) == "name" ? t.name : t.peer;
        if (value.empty())
            throw ConfigError(s.path(key) + " is required for every [[trunks]] entry");
    }
    for (const auto& src : t.sources) {
        const auto slash = src.find('/');
        if (!is_ip_literal(src.substr(0, slash)))
            s.fail(*s.node("sources"), "sources",
                   "\"" + src + "\" is not an IP address or CIDR range");
    }
    if (t.register_outbound && t.username.empty())
        s.fail(*s.node("register"), "register",
               "outbound registration needs username and password");
    s.finish();
}

void read_smtp(Section s, SmtpConfig& c) {
    s.string("url", c.url);
    s.string("from", c.from);
    s.string("username", c.username);
    s.string("password", c.password);
    s.integer("retry_seconds", c.retry_seconds, 1, 86400);
    if (!c.url.empty() && c.url.rfind("smtp://", 0) != 0 && c.url.rfind("smtps://", 0) != 0)
        s.fail(*s.node("url"), "url", "must start with smtp:// or smtps://");
    s.finish();
}

void read_stt(Section s, SttConfig& c) {
    s.one_of("engine", c.engine, {"pocketsphinx", "openai", "none"});
    s.string("url", c.url);
    s.string("model", c.model);
    if (c.engine == "openai" && c.url.empty())
        s.fail(*s.node("engine"), "engine", "openai needs stt.url");
    s.finish();
}

void read_features(Section s, FeaturesConfig& c) {
    s.one_of("auto_connect", c.auto_connect, {"single-account", "always", "never"});
    s.finish();
}

void read_monitor(Section s, MonitorConfig& c) {
    s.integer("follow_timeout_minutes", c.follow_timeout_minutes, 1, 7 * 24 * 60);
    s.finish();
}

void read_bootstrap(Section s, BootstrapConfig& c) {
    s.string("account_name", c.account_name);
    s.string("contact_email", c.contact_email);
    s.string("sip_domain", c.sip_domain);
    s.string("creator_name", c.creator_name);
    s.string("creator_login", c.creator_login);
    s.string("creator_password", c.creator_password);
    s.string("creator_sip_password", c.creator_sip_password);
    s.finish();
}

void read_security(Section s, SecurityConfig& c) {
    s.one_of("password_cost", c.password_cost, {"interactive", "moderate", "minimal"});
    s.finish();
}

void read_log(Section s, LogConfig& c) {
    s.one_of("level", c.level, {"trace", "debug", "info", "warn", "error", "off"});
    s.finish();
}

} // namespace

std::string SocketAddress::str() const {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + std::to_string(port)
                                               : host + ":" + std::to_string(port);
}

Config parse_config(const std::string& text, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        throw ConfigError(where(origin, e.source()) + ": " + std::string(e.description()));
    }
    Config c;
    Section top(root, "", origin);
    const auto section = [&](std::string_view key, auto reader, auto& out) {
        if (const auto* t = top.table(key)) reader(Section(*t, std::string(key), origin), out);
    };
    section("http", read_http, c.http);
    section("sip", read_sip, c.sip);
    section("media", read_media, c.media);
    section("storage", read_storage, c.storage);
    section("smtp", read_smtp, c.smtp);
    section("stt", read_stt, c.stt);
    section("features", read_features, c.features);
    section("monitor", read_monitor, c.monitor);
    section("bootstrap", read_bootstrap, c.bootstrap);
    section("security", read_security, c.security);
    section("log", read_log, c.log);
    if (const auto* trunks = top.array_of_tables("trunks")) {
        std::size_t index = 0;
        for (const auto& node : *trunks) {
            TrunkConfig t;
            read_trunk(Section(*node.as_table(), "trunks[" + std::to_string(index++) + "]", origin),
                       t);
            for (const auto& other : c.trunks)
                if (other.name == t.name)
                    throw ConfigError(where(origin, node.source()) + ": trunk name '" + t.name +
                                      "' is used twice");
            c.trunks.push_back(std::move(t));
        }
    }
    top.finish();
    return c;
}

Config load_config(const std::optional<std::filesystem::path>& path) {
    if (!path) return Config{};
    std::ifstream in(*path, std::ios::binary);
    if (!in) throw ConfigError(path->string() + ": cannot read the configuration file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path->string());
}

void apply_environment(Config& config) {
    if (const char* v = std::getenv("SUFLYOR_ADMIN_PASSWORD"); v && *v)
        config.bootstrap.creator_password = v;
    if (const char* v = std::getenv("SUFLYOR_ADMIN_SIP_PASSWORD"); v && *v)
        config.bootstrap.creator_sip_password = v;
    if (const char* v = std::getenv("SUFLYOR_DB"); v && *v) config.storage.path = v;
    if (const char* v = std::getenv("SUFLYOR_PLATFORM_TOKEN"); v && *v)
        config.http.platform_token = v;
    if (const char* v = std::getenv("SUFLYOR_METRICS_TOKEN"); v && *v)
        config.http.metrics_token = v;
}

} // namespace suflyor::app
