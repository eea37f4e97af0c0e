#pragma once
// SIP over WebSocket (RFC 7118) for browsers, in front of libre's SIP stack (internal to the sip
// module). libre 1.1's own WebSocket server (sip_transp_add_websock) cannot serve a browser: its
// 101 answer names no Sec-WebSocket-Protocol (Chrome and Firefox then fail the handshake), it
// closes every accepted connection 32 s after the upgrade (its accept timer is never restarted
// on WebSocket traffic), and it hides the upgrade request, so Origin cannot be checked. So the
// gateway accepts the upgrade itself with libre's HTTP server (checks included), speaks RFC 6455
// frames, and hands each WebSocket connection's SIP messages to the stack over its own loopback
// TCP connection to a loopback-only SIP/TCP transport (the "bridge"): one browser, one bridge
// connection, so requests to the browser go back the way it registered (the registrar's flow).
// SipServer asks peer_of() which browser a bridged message belongs to.
#include <re.h>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace suflyor::sip {

struct WsGatewaySettings {
    std::string ws_listen;                    // "host:port"; empty: no plain WebSocket listener
    std::string wss_listen;                   // "host:port"; empty: no TLS WebSocket listener
    std::string tls_certificate;              // PEM with certificate and key (wss)
    std::vector<std::string> allowed_origins; // see ws::origin_allowed
    std::size_t max_connections{4096};
};

struct WsPeer {
    sa address{};       // the browser's (or its proxy's) address
    bool secure{false}; // came over wss
};

class WsGateway {
public:
    // `bridge` is the loopback SIP/TCP transport's address; `blocked(ip)` is the auth limiter's
    // verdict (a banned address gets no upgrade); `closed(bridge_source)` is told when a
    // WebSocket whose bridge was up goes away. Throws on a bind failure.
    WsGateway(const WsGatewaySettings& settings, const sa& bridge,
              std::function<bool(const std::string& ip)> blocked,
              std::function<void(const sa& bridge_source)> closed);
    ~WsGateway();
    WsGateway(const WsGateway&) = delete;
    WsGateway& operator=(const WsGateway&) = delete;

    // The browser behind a bridge connection's local address (what libre reports as a bridged
    // message's source); nullopt when it is none of ours.
    [[nodiscard]] std::optional<WsPeer> peer_of(const sa& bridge_source) const;
    // The bound port of the plain (false) or TLS (true) listener, 0 when off.
    [[nodiscard]] std::uint16_t port(bool secure) const;
    [[nodiscard]] std::size_t connections() const { return connections_.size(); }

    struct Connection;

private:
    static void on_request(http_conn* hc, const http_msg* msg, void* arg);
    void accept(http_conn* hc, const http_msg* msg, bool secure);
    void release(Connection& c);
    static void on_reap(void* arg);

    WsGatewaySettings settings_;
    sa bridge_{};
    std::function<bool(const std::string&)> blocked_;
    std::function<void(const sa&)> closed_;
    http_sock* plain_{nullptr};
    http_sock* tls_{nullptr};
    struct Listener {
        WsGateway* self;
        bool secure;
    };
    Listener plain_listener_{this, false};
    Listener tls_listener_{this, true};
    std::list<std::unique_ptr<Connection>> connections_;
    std::unordered_map<std::uint16_t, Connection*> by_bridge_port_; // bridge's local port

    tmr reaper_{};
};

} // namespace suflyor::sip
