#include "app/first_start.hpp"

namespace suflyor::app {
namespace {

bool is_wildcard(const std::string& host) { return host == "0.0.0.0" || host == "::"; }

std::string host_port(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// "127.0.0.1:5060 (udp, tcp), 127.0.0.1:5061 (tls)": transports grouped by port.
std::string sip_addresses(const Endpoints& e) {
    std::vector<std::pair<std::uint16_t, std::string>> by_port;
    for (const auto& [transport, port] : e.sip_ports) {
        if (port == 0) continue;
        auto it = by_port.begin();
        while (it != by_port.end() && it->first != port)
            ++it;
        if (it == by_port.end())
            by_port.emplace_back(port, transport);
        else
            it->second += ", " + transport;
    }
    std::string out;
    for (const auto& [port, transports] : by_port) {
        if (!out.empty()) out += ", ";
        out += host_port(e.sip_host, port) + " (" + transports + ")";
    }
    return out;
}

} // namespace

bool is_loopback_host(const std::string& host) {
    return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

std::string endpoints_message(const Endpoints& e) {
    std::string out;
    out += "  Web:           http://" + host_port(e.http_host, e.http_port) + "/\n";
    out += "  SIP server:    " + sip_addresses(e) + "\n";
    if (is_wildcard(e.sip_host))
        out += "                 (every address of this machine: phones use its LAN address)\n";
    out +=
        "  Browser phone: " +
        (e.browser_phone_url.empty() ? std::string("off ([sip] ws_listen)") : e.browser_phone_url) +
        "\n";
    std::vector<std::string> local_only;
    if (is_loopback_host(e.sip_host)) local_only.push_back("[sip] listen");
    if (is_loopback_host(e.media_address)) local_only.push_back("[media] advertised_address");
    if (is_loopback_host(e.http_host)) local_only.push_back("[http] listen");
    if (!local_only.empty()) {
        std::string keys;
        for (const auto& key : local_only)
            keys += (keys.empty() ? "" : ", ") + key;
        out += "  Note: loopback only: " + keys +
               ".\n"
               "  Phones and browsers on other machines cannot reach this server. For the LAN,\n"
               "  set [sip] listen, [media] bind_address and advertised_address, and [http]\n"
               "  listen to this machine's LAN address\n"
               "  (docs/operations.md, \"Listening on the LAN\").\n";
    }
    return out + "\n";
}

} // namespace suflyor::app
