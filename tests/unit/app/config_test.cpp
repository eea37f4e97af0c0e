#include "app/config.hpp"
#include "app/sip_wiring.hpp"

#include <gtest/gtest.h>
#include <regex>

#include <fstream>
#include <sstream>

namespace suflyor::app {
namespace {

std::string example_text() {
    std::ifstream in(std::string(SUFLYOR_SOURCE_DIR) + "/config/suflyor.example.toml");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The example with its commented trunk block switched on.
std::string example_with_trunk() {
    std::istringstream in(example_text());
    std::string line, out;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.find("--- trunk example begin") != std::string::npos)
            inside = true;
        else if (line.find("--- trunk example end") != std::string::npos)
            inside = false;
        else if (inside && line.rfind("# ", 0) == 0)
            line = line.substr(2);
        out += line + "\n";
    }
    return out;
}

TEST(Config, NoFileMeansDefaults) {
    const auto c = load_config(std::nullopt);
    EXPECT_EQ(c.http.listen.str(), "127.0.0.1:8080");
    EXPECT_EQ(c.sip.listen.port, 5060);
    EXPECT_EQ(c.storage.path, "var/suflyor.db");
    EXPECT_EQ(c.media.recording_dir, "var/recordings");
    EXPECT_TRUE(c.trunks.empty());
}

TEST(Config, TheCommentedExampleDocumentsTheDefaults) {
    const auto example = parse_config(example_text(), "suflyor.example.toml");
    const Config defaults;
    EXPECT_EQ(example.http.listen.str(), defaults.http.listen.str());
    EXPECT_EQ(example.http.max_body_bytes, defaults.http.max_body_bytes);
    EXPECT_EQ(example.http.token_ttl_hours, defaults.http.token_ttl_hours);
    EXPECT_EQ(example.http.static_dir, defaults.http.static_dir);
    EXPECT_EQ(example.sip.listen.str(), defaults.sip.listen.str());
    EXPECT_EQ(example.sip.transports, defaults.sip.transports);
    EXPECT_EQ(example.sip.nonce_ttl_seconds, defaults.sip.nonce_ttl_seconds);
    EXPECT_EQ(example.sip.max_auth_failures_per_minute, defaults.sip.max_auth_failures_per_minute);
    EXPECT_EQ(example.sip.udp_receive_buffer_kib, defaults.sip.udp_receive_buffer_kib);
    EXPECT_EQ(example.sip.overload_lag_ms, defaults.sip.overload_lag_ms);
    EXPECT_EQ(example.sip.ws_listen.has_value(), defaults.sip.ws_listen.has_value());
    EXPECT_EQ(example.sip.wss_listen.has_value(), defaults.sip.wss_listen.has_value());
    EXPECT_EQ(example.sip.ws_public_url, defaults.sip.ws_public_url);
    EXPECT_EQ(example.media.rtp_port_min, defaults.media.rtp_port_min);
    EXPECT_EQ(example.media.rtp_port_max, defaults.media.rtp_port_max);
    EXPECT_EQ(example.media.workers, defaults.media.workers);
    EXPECT_EQ(example.media.jitter_max_ms, defaults.media.jitter_max_ms);
    EXPECT_EQ(example.media.rtp_timeout_seconds, defaults.media.rtp_timeout_seconds);
    EXPECT_EQ(example.media.advertised_address, defaults.media.advertised_address);
    EXPECT_EQ(example.media.io, defaults.media.io);
    EXPECT_EQ(example.storage.path, defaults.storage.path);
    EXPECT_EQ(example.smtp.retry_seconds, defaults.smtp.retry_seconds);
    EXPECT_EQ(example.smtp.from, defaults.smtp.from);
    EXPECT_EQ(example.stt.engine, defaults.stt.engine);
    EXPECT_EQ(example.features.auto_connect, defaults.features.auto_connect);
    EXPECT_EQ(example.bootstrap.account_name, defaults.bootstrap.account_name);
    EXPECT_EQ(example.bootstrap.creator_login, defaults.bootstrap.creator_login);
    EXPECT_EQ(example.security.password_cost, defaults.security.password_cost);
    EXPECT_EQ(example.log.level, defaults.log.level);
    EXPECT_TRUE(example.trunks.empty());
}

TEST(Config, TheExampleTrunkParses) {
    const auto c = parse_config(example_with_trunk(), "example");
    ASSERT_EQ(c.trunks.size(), 1u);
    const auto& t = c.trunks.front();
    EXPECT_EQ(t.name, "provider");
    EXPECT_EQ(t.account, "My call center");
    EXPECT_EQ(t.peer, "127.0.0.1:5080");
    EXPECT_EQ(t.sources, (std::vector<std::string>{"127.0.0.1", "10.20.0.0/16"}));
    EXPECT_EQ(t.dids.at("74950000002"), "Support");
    EXPECT_FALSE(t.register_outbound);
}

TEST(Config, IPv6AddressesAreAccepted) {
    const auto c = parse_config("[http]\nlisten = \"[::1]:8443\"\n", "t");
    EXPECT_EQ(c.http.listen.host, "::1");
    EXPECT_EQ(c.http.listen.port, 8443);
    EXPECT_EQ(c.http.listen.str(), "[::1]:8443");
}

struct BadConfig {
    const char* text;
    const char* expected; // a regex the one-line message must match
};

TEST(Config, SipOverWebSocketIsOffUnlessListenedForAndItsUrlDefaultsToTheListener) {
    const auto off = parse_config("", "t");
    EXPECT_FALSE(off.sip.ws_listen);
    EXPECT_FALSE(off.sip.wss_listen);
    EXPECT_EQ(off.sip.ws_public_url, "");
    EXPECT_FALSE(parse_config("[sip]\nws_listen = \"\"\n", "t").sip.ws_listen); // "" is off
    const auto ws = parse_config("[sip]\nws_listen = \"127.0.0.1:5066\"\n", "t");
    ASSERT_TRUE(ws.sip.ws_listen);
    EXPECT_EQ(ws.sip.ws_listen->str(), "127.0.0.1:5066");
    EXPECT_EQ(ws.sip.ws_public_url, "ws://127.0.0.1:5066");
    const auto wss = parse_config("[sip]\nwss_listen = \"[::1]:5067\"\ntls_certificate = "
                                  "\"/etc/suflyor/sip.pem\"\n",
                                  "t");
    ASSERT_TRUE(wss.sip.wss_listen);
    EXPECT_EQ(wss.sip.ws_public_url, "wss://[::1]:5067");
    const auto proxied = parse_config("[sip]\nws_listen = \"127.0.0.1:5066\"\n"
                                      "ws_public_url = \"wss://pbx.example.com/sip\"\n",
                                      "t");
    EXPECT_EQ(proxied.sip.ws_public_url, "wss://pbx.example.com/sip");
    // The SIP edge gets the listeners and [http]'s Origin allow-list.
    auto both = parse_config("[http]\nallowed_origins = [\"https://app.example.com\"]\n"
                             "[sip]\nws_listen = \"127.0.0.1:5066\"\n",
                             "t");
    const auto settings = sip_settings(both.sip, both.http);
    EXPECT_EQ(settings.ws_listen, "127.0.0.1:5066");
    EXPECT_EQ(settings.wss_listen, "");
    EXPECT_EQ(settings.ws_allowed_origins, std::vector<std::string>{"https://app.example.com"});
}

TEST(Config, EveryMistakeIsOneMessageNamingFileLineAndKey) {
    const std::vector<BadConfig> table{
        {"[http]\nlisen = \"127.0.0.1:80\"\n", R"(^bad\.toml:2:1: unknown key 'http\.lisen'$)"},
        {"typo = 1\n", R"(^bad\.toml:1:1: unknown key 'typo'$)"},
        {"[http]\nlisten = 8080\n", R"(^bad\.toml:2:\d+: key 'http\.listen': expected a string)"},
        {"[http]\nlisten = \"localhost:8080\"\n",
         R"(^bad\.toml:2:\d+: key 'http\.listen': "localhost" is not an IP address$)"},
        {"[http]\nlisten = \"127.0.0.1\"\n",
         R"(^bad\.toml:2:\d+: key 'http\.listen': expected "host:port")"},
        {"[sip]\nlisten = \"127.0.0.1:70000\"\n",
         R"(^bad\.toml:2:\d+: key 'sip\.listen': port 70000 is out of range 0\.\.65535$)"},
        {"[sip]\nlisten = \"127.0.0.1:x\"\n", R"(key 'sip\.listen': port "x" is not a number$)"},
        {"[sip]\ntransports = [\"udp\", \"sctp\"]\n",
         R"(^bad\.toml:2:\d+: key 'sip\.transports': "sctp" is not one of)"},
        {"[sip]\ntransports = [\"tls\"]\n",
         R"(key 'sip\.transports': tls needs sip\.tls_certificate$)"},
        {"[sip]\nws_public_url = \"https://cc.example.com/sip\"\n",
         R"(^bad\.toml:2:\d+: key 'sip\.ws_public_url': must start with ws:// or wss://$)"},
        {"[sip]\noverload_lag_ms = -1\n",
         R"(^bad\.toml:2:\d+: key 'sip\.overload_lag_ms': -1 is out of range 0\.\.60000$)"},
        {"[sip]\nudp_receive_buffer_kib = 2000000\n",
         R"(key 'sip\.udp_receive_buffer_kib': 2000000 is out of range 0\.\.1048576$)"},
        {"[media]\nrtp_port_min = 20001\n",
         R"(^bad\.toml:2:\d+: key 'media\.rtp_port_min': must be even)"},
        {"[media]\nrtp_port_min = 100\n",
         R"(key 'media\.rtp_port_min': 100 is out of range 1024\.\.65534$)"},
        {"[media]\nrtp_port_min = 30000\nrtp_port_max = 30001\n",
         R"(^bad\.toml:3:\d+: key 'media\.rtp_port_max': the RTP port range)"},
        {"[media]\nworkers = \"two\"\n", R"(key 'media\.workers': expected an integer$)"},
        {"[media]\nbind_address = \"0.0.0.300\"\n",
         R"(key 'media\.bind_address': "0\.0\.0\.300" is not an IP address$)"},
        {"[storage]\ndriver = \"mysql\"\n",
         R"(key 'storage\.driver': "mysql" is not one of sqlite$)"},
        {"[log]\nlevel = \"loud\"\n", R"(key 'log\.level': "loud" is not one of)"},
        {"[media]\nio = \"poll\"\n", R"(^bad\.toml:2:\d+: key 'media\.io': "poll" is not one of)"},
        {"[sip]\nauthenticate_options = \"yes\"\n",
         R"(key 'sip\.authenticate_options': expected true or false$)"},
        {"[smtp]\nurl = \"http://mail\"\n", R"(key 'smtp\.url': must start with smtp://)"},
        {"[stt]\nengine = \"openai\"\n", R"(key 'stt\.engine': openai needs stt\.url$)"},
        {"http = 1\n", R"(^bad\.toml:1:\d+: key 'http': expected a table \[http\]$)"},
        {"[[trunks]]\nname = \"t\"\npeer = \"p:5060\"\nsources = [\"1.2.3\"]\n",
         R"(key 'trunks\[0\]\.sources': "1\.2\.3" is not an IP address or CIDR range$)"},
        {"[[trunks]]\nname = \"t\"\npeer = \"p:5060\"\nport = 5\n",
         R"(^bad\.toml:4:1: unknown key 'trunks\[0\]\.port'$)"},
        {"[[trunks]]\npeer = \"p:5060\"\n", R"(trunks\[0\]\.name is required)"},
        {"[[trunks]]\nname = \"t\"\npeer = \"a:1\"\n[[trunks]]\nname = \"t\"\npeer = \"b:1\"\n",
         R"(trunk name 't' is used twice$)"},
        {"[http]\ntrusted_proxies = [\"10.0.0.0/33\"]\n",
         R"(key 'http\.trusted_proxies': "10\.0\.0\.0/33" is not an IP address or CIDR range$)"},
        {"[http]\nmetrics_token = \"short\"\n",
         R"(key 'http\.metrics_token': must be at least 16 characters$)"},
        {"[http]\nthreads = 20001\n", R"(key 'http\.threads': 20001 is out of range 4\.\.20000$)"},
        {"[sip]\nws_listen = \"localhost:5066\"\n",
         R"(^bad\.toml:2:\d+: key 'sip\.ws_listen': "localhost" is not an IP address$)"},
        {"[sip]\nwss_listen = \"127.0.0.1:5067\"\n",
         R"(^bad\.toml:2:\d+: key 'sip\.wss_listen': wss needs sip\.tls_certificate$)"},
        {"[sip]\nws_public_url = \"https://pbx/sip\"\n",
         R"(key 'sip\.ws_public_url': must start with ws:// or wss://$)"},
        {"[http\nlisten = 1\n", R"(^bad\.toml:1:\d+: )"}, // TOML syntax error
    };
    for (const auto& row : table) {
        try {
            parse_config(row.text, "bad.toml");
            ADD_FAILURE() << "accepted:\n" << row.text;
        } catch (const ConfigError& e) {
            const std::string message = e.what();
            EXPECT_TRUE(std::regex_search(message, std::regex(row.expected)))
                << "message: " << message << "\nexpected: " << row.expected;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    }
}

TEST(Config, MissingFileIsAClearError) {
    try {
        load_config(std::filesystem::path("/nonexistent/suflyor.toml"));
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/suflyor.toml: cannot read the configuration file");
    }
}

TEST(Config, EnvironmentOverridesBootstrapSecretsAndDatabase) {
    Config c;
    setenv("SUFLYOR_ADMIN_PASSWORD", "from-the-environment", 1);
    setenv("SUFLYOR_DB", "/tmp/x.db", 1);
    apply_environment(c);
    unsetenv("SUFLYOR_ADMIN_PASSWORD");
    unsetenv("SUFLYOR_DB");
    EXPECT_EQ(c.bootstrap.creator_password, "from-the-environment");
    EXPECT_EQ(c.storage.path, "/tmp/x.db");
}

} // namespace
} // namespace suflyor::app
