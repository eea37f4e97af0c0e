// The browsers' WebSocket gateway (see ws_gateway.hpp). Everything runs on the control loop.
#include "sip/ws_gateway.hpp"

#include "sip/libre_text.hpp"
#include "sip/sanity.hpp"
#include "sip/websocket.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

namespace suflyor::sip {
namespace {

// A ping every so often keeps reverse proxies (nginx closes a WebSocket idle for 60 s by
// default) and NATs open, and a CRLF on the bridge keeps libre's 900 s idle timer from closing it.
constexpr std::uint64_t kKeepaliveMs = 30'000;
// SIP messages a browser may send before its bridge connection is up.
constexpr std::size_t kMaxPending = 16;

void send_bytes(tcp_conn* tc, std::string_view bytes) {
    if (tc == nullptr) return;
    mbuf* mb = mbuf_of(bytes);
    (void)tcp_send(tc, mb);
    mem_deref(mb);
}

sa listen_address(const std::string& text) {
    sa addr{};
    if (sa_decode(&addr, text.c_str(), text.size()) != 0)
        throw std::runtime_error("sip: bad WebSocket listen address '" + text + "'");
    return addr;
}

std::string_view header_text(const http_hdr* hdr) {
    return hdr == nullptr ? std::string_view{} : view(hdr->val);
}

} // namespace

struct WsGateway::Connection {
    WsGateway* owner{nullptr};
    tcp_conn* client{nullptr};
    tls_conn* tls{nullptr};
    tcp_conn* bridge{nullptr};
    bool bridge_up{false};
    bool closed{false};
    WsPeer peer;
    sa bridge_local{};
    ws::MessageReader reader{kMaxMessageSize};
    ws::StreamSplitter splitter{kMaxMessageSize};
    std::vector<std::string> pending;
    tmr keepalive{};

    void to_browser(ws::Opcode opcode, std::string_view payload) const {
        send_bytes(client, ws::encode_frame(opcode, payload));
    }

    void close(std::uint16_t code, std::string_view why) {
        if (closed) return;
        std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
        to_browser(ws::Opcode::close, payload);
        spdlog::debug("sip: WebSocket {} closed: {}", endpoint_of(peer.address), why);
        owner->release(*this);
    }

    static void on_client_data(mbuf* mb, void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        if (c.closed) return;
        const std::string_view bytes(reinterpret_cast<const char*>(mbuf_buf(mb)),
                                     mbuf_get_left(mb));
        for (auto& event : c.reader.feed(bytes)) {
            using Kind = ws::MessageReader::Event::Kind;
            switch (event.kind) {
            case Kind::message: c.from_browser(event.data); break;
            case Kind::ping: c.to_browser(ws::Opcode::pong, event.data); break;
            case Kind::pong: break;
            case Kind::close: c.close(1000, "closed by the browser"); return;
            case Kind::error: c.close(1002, event.data); return;
            }
            if (c.closed) return;
        }
    }

    void from_browser(std::string_view message) {
        const auto framed = ws::stream_message(message);
        if (!framed) {
            spdlog::debug("sip: WebSocket {} sent a message without a header end; dropped",
                          endpoint_of(peer.address));
            return;
        }
        spdlog::trace("sip: WebSocket {} sent:\n{}", endpoint_of(peer.address), *framed);
        if (bridge_up) {
            send_bytes(bridge, ws::reachable_contact(*framed, bridge_hostport()));
        } else if (pending.size() < kMaxPending) {
            pending.push_back(*framed);
        } else {
            close(1008, "too many messages before the bridge was up");
        }
    }

    // The bridge connection's local address as "ip:port": where the SIP stack reaches this tab.
    [[nodiscard]] std::string bridge_hostport() const {
        char ip[64] = {};
        (void)sa_ntop(&bridge_local, ip, sizeof ip);
        return std::string(ip) + ":" + std::to_string(sa_port(&bridge_local));
    }

    static void on_client_close(int err, void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        if (c.closed) return;
        spdlog::debug("sip: WebSocket {} disconnected ({})", endpoint_of(c.peer.address),
                      err != 0 ? std::strerror(err) : "closed");
        c.owner->release(c);
    }

    static void on_bridge_up(void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        if (c.closed) return;
        if (tcp_conn_local_get(c.bridge, &c.bridge_local) != 0) {
            c.close(1011, "no bridge address");
            return;
        }
        c.bridge_up = true;
        c.owner->by_bridge_port_[sa_port(&c.bridge_local)] = &c;
        for (const auto& message : c.pending)
            send_bytes(c.bridge, ws::reachable_contact(message, c.bridge_hostport()));
        c.pending.clear();
    }

    static void on_bridge_data(mbuf* mb, void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        if (c.closed) return;
        c.splitter.append({reinterpret_cast<const char*>(mbuf_buf(mb)), mbuf_get_left(mb)});
        while (auto message = c.splitter.next())
            c.to_browser(ws::Opcode::text, *message);
        if (c.splitter.failed()) c.close(1011, "the SIP stack sent an oversized message");
    }

    static void on_bridge_close(int err, void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        c.close(1001, std::string("the SIP stack closed the flow: ") +
                          (err != 0 ? std::strerror(err) : "closed"));
    }

    static void on_keepalive(void* arg) {
        auto& c = *static_cast<Connection*>(arg);
        if (c.closed) return;
        c.to_browser(ws::Opcode::ping, {});
        if (c.bridge_up) send_bytes(c.bridge, "\r\n");
        tmr_start(&c.keepalive, kKeepaliveMs, &Connection::on_keepalive, &c);
    }
};

WsGateway::WsGateway(const WsGatewaySettings& settings, const sa& bridge,
                     std::function<bool(const std::string& ip)> blocked,
                     std::function<void(const sa& bridge_source)> closed)
    : settings_(settings), bridge_(bridge), blocked_(std::move(blocked)),
      closed_(std::move(closed)) {
    tmr_init(&reaper_);
    if (!settings_.ws_listen.empty()) {
        const sa addr = listen_address(settings_.ws_listen);
        if (const int err = http_listen(&plain_, &addr, &WsGateway::on_request, &plain_listener_))
            throw std::runtime_error("sip: cannot listen for WebSocket on " + settings_.ws_listen +
                                     ": " + std::strerror(err));
        spdlog::info("sip: listening on ws {}:{}", ip_of(addr), port(false));
    }
    if (!settings_.wss_listen.empty()) {
        const sa addr = listen_address(settings_.wss_listen);
        if (const int err = https_listen(&tls_, &addr, settings_.tls_certificate.c_str(),
                                         &WsGateway::on_request, &tls_listener_)) {
            mem_deref(plain_);
            throw std::runtime_error("sip: cannot listen for WebSocket over TLS on " +
                                     settings_.wss_listen + " with certificate '" +
                                     settings_.tls_certificate + "': " + std::strerror(err));
        }
        spdlog::info("sip: listening on wss {}:{}", ip_of(addr), port(true));
    }
}

WsGateway::~WsGateway() {
    tmr_cancel(&reaper_);
    mem_deref(plain_);
    mem_deref(tls_);
    for (auto& c : connections_) {
        tmr_cancel(&c->keepalive);
        mem_deref(c->bridge);
        mem_deref(c->tls);
        mem_deref(c->client);
    }
}

std::optional<WsPeer> WsGateway::peer_of(const sa& bridge_source) const {
    const auto it = by_bridge_port_.find(sa_port(&bridge_source));
    if (it == by_bridge_port_.end() || it->second->closed ||
        !sa_cmp(&it->second->bridge_local, &bridge_source, SA_ALL))
        return std::nullopt;
    return it->second->peer;
}

std::uint16_t WsGateway::port(bool secure) const {
    http_sock* sock = secure ? tls_ : plain_;
    if (sock == nullptr) return 0;
    sa local{};
    if (tcp_sock_local_get(http_sock_tcp(sock), &local) != 0) return 0;
    return sa_port(&local);
}

void WsGateway::on_request(http_conn* hc, const http_msg* msg, void* arg) {
    const auto* listener = static_cast<const Listener*>(arg);
    listener->self->accept(hc, msg, listener->secure);
}

void WsGateway::accept(http_conn* hc, const http_msg* msg, bool secure) {
    const sa peer = *http_conn_peer(hc);
    const auto who = endpoint_of(peer);
    if (blocked_(ip_of(peer))) {
        (void)http_ereply(hc, 403, "Forbidden");
        return;
    }
    const auto key = header_text(http_msg_hdr(msg, HTTP_HDR_SEC_WEBSOCKET_KEY));
    if (view(msg->met) != "GET" || !http_msg_hdr_has_value(msg, HTTP_HDR_UPGRADE, "websocket") ||
        !http_msg_hdr_has_value(msg, HTTP_HDR_CONNECTION, "Upgrade") ||
        !http_msg_hdr_has_value(msg, HTTP_HDR_SEC_WEBSOCKET_VERSION, "13") || key.empty()) {
        (void)http_reply(hc, 426, "Upgrade Required",
                         "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                         "Content-Length: 0\r\n\r\n");
        return;
    }
    if (!ws::has_token(header_text(http_msg_hdr(msg, HTTP_HDR_SEC_WEBSOCKET_PROTOCOL)), "sip")) {
        spdlog::debug("sip: WebSocket upgrade from {} without the sip sub-protocol refused", who);
        (void)http_ereply(hc, 400, "Sec-WebSocket-Protocol Must Include sip");
        return;
    }
    const http_hdr* origin = http_msg_xhdr(msg, "Origin");
    const auto host = header_text(http_msg_hdr(msg, HTTP_HDR_HOST));
    if (!ws::origin_allowed(origin ? std::optional(view(origin->val)) : std::nullopt, host,
                            settings_.allowed_origins)) {
        spdlog::warn("sip: WebSocket upgrade from {} refused: Origin '{}' is not allowed (Host "
                     "'{}'; see [http] allowed_origins)",
                     who, header_text(origin), host);
        (void)http_ereply(hc, 403, "Origin Not Allowed");
        return;
    }
    if (connections_.size() >= settings_.max_connections) {
        spdlog::warn("sip: WebSocket upgrade from {} refused: {} connections open", who,
                     connections_.size());
        (void)http_ereply(hc, 503, "Too Many Connections");
        return;
    }
    auto c = std::make_unique<Connection>();
    c->owner = this;
    c->peer = WsPeer{peer, secure};
    tmr_init(&c->keepalive);
    if (const int err =
            tcp_connect(&c->bridge, &bridge_, &Connection::on_bridge_up,
                        &Connection::on_bridge_data, &Connection::on_bridge_close, c.get())) {
        spdlog::error("sip: WebSocket {}: cannot reach the SIP stack: {}", who, std::strerror(err));
        (void)http_ereply(hc, 503, "Service Unavailable");
        return;
    }
    const std::string accept = ws::accept_key(key);
    if (const int err = http_reply(hc, 101, "Switching Protocols",
                                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: sip\r\n"
                                   "\r\n",
                                   accept.c_str())) {
        mem_deref(c->bridge);
        spdlog::debug("sip: WebSocket {}: upgrade answer failed: {}", who, std::strerror(err));
        return;
    }
    // Take the connection over from the HTTP server (as libre's websock_accept does): the TLS
    // session stays a helper on the TCP connection as long as we hold it.
    c->client = static_cast<tcp_conn*>(mem_ref(http_conn_tcp(hc)));
    c->tls = static_cast<tls_conn*>(mem_ref(http_conn_tls(hc)));
    tcp_set_handlers(c->client, nullptr, &Connection::on_client_data, &Connection::on_client_close,
                     c.get());
    http_conn_close(hc);
    tmr_start(&c->keepalive, kKeepaliveMs, &Connection::on_keepalive, c.get());
    spdlog::debug("sip: WebSocket{} connection from {} (Origin '{}')", secure ? " TLS" : "", who,
                  header_text(origin));
    connections_.push_back(std::move(c));
}

void WsGateway::release(Connection& c) {
    c.closed = true;
    tmr_cancel(&c.keepalive);
    if (c.bridge_up) {
        by_bridge_port_.erase(sa_port(&c.bridge_local));
        if (closed_) closed_(c.bridge_local);
    }
    // Freed from the loop, not inside the libre callback that is still running.
    tmr_start(&reaper_, 0, &WsGateway::on_reap, this);
}

void WsGateway::on_reap(void* arg) {
    auto* self = static_cast<WsGateway*>(arg);
    for (auto it = self->connections_.begin(); it != self->connections_.end();) {
        if (!(*it)->closed) {
            ++it;
            continue;
        }
        auto& c = **it;
        mem_deref(c.bridge);
        mem_deref(c.tls);
        mem_deref(c.client);
        it = self->connections_.erase(it);
    }
}

} // namespace suflyor::sip
