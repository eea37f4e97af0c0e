// The SIP edge on libre: transports, a request listener that authenticates every request and runs
// the registrar. Everything here runs on the control loop.
#include "sip/libre_text.hpp"
#include "sip/raw_reply.hpp"
#include "sip/sanity.hpp"
#include "sip/sip.hpp"
#include "sip/via_normalize.hpp"
#include "sip/ws_gateway.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::sip {
namespace {

std::string header_value(const sip_msg* msg, sip_hdrid id) {
    const sip_hdr* hdr = sip_msg_hdr(msg, id);
    return hdr ? std::string(view(hdr->val)) : std::string();
}

sip_transp transport_from(std::string_view name) {
    if (name == "udp") return SIP_TRANSP_UDP;
    if (name == "tcp") return SIP_TRANSP_TCP;
    return SIP_TRANSP_TLS;
}

// A free TCP port on 127.0.0.1, as the kernel picks it (for the WebSocket bridge's transport).
std::uint16_t free_loopback_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    std::uint16_t port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

} // namespace

// Who sent a message: libre's view, or the browser behind a WebSocket bridge connection.
struct Sender {
    std::string ip;       // for the ban, the logs and the toll-fraud check
    std::string endpoint; // "ip:port", for the logs
    bool websocket{false};
    bool secure_websocket{false};
};

struct SipServer::Impl {
    Impl(const SipSettings& s, const core::Clock& c, SipDirectory& d, RegistrationListener& l,
         const TrunkTable& t)
        : settings(s), clock(c), directory(d), listener(l), trunks(t), auth(c, s.nonce_ttl),
          limiter(c, s.max_auth_failures_per_minute) {}

    ~Impl() {
        tmr_cancel(&expiry_timer);
        gateway.reset();
        mem_deref(sanity_helper);
        mem_deref(probe_socket);
        mem_deref(request_listener);
        mem_deref(response_listener);
        if (stack != nullptr) sip_close(stack, true);
        mem_deref(stack);
        mem_deref(tls);
    }

    void start() {
        if (const int err = sip_alloc(&stack, nullptr, 1024, 4096, 1024, settings.software.c_str(),
                                      nullptr, nullptr))
            throw std::runtime_error("sip: cannot create the SIP stack (" + std::to_string(err) +
                                     ")");
        for (const auto& name : settings.transports) {
            const bool tls_transport = name == "tls";
            const std::uint16_t port = tls_transport && settings.listen_port != 0
                                           ? settings.listen_port + 1
                                           : settings.listen_port;
            sa local{};
            if (sa_set_str(&local, settings.listen_host.c_str(), port) != 0)
                throw std::runtime_error("sip: bad listen address " + settings.listen_host);
            if (tls_transport && tls == nullptr) {
                if (const int err = tls_alloc(&tls, TLS_METHOD_SSLV23,
                                              settings.tls_certificate.c_str(), nullptr))
                    throw std::runtime_error("sip: cannot load the TLS certificate '" +
                                             settings.tls_certificate + "': " + std::strerror(err));
            }
            if (const int err = tls_transport ? sip_transp_add(stack, SIP_TRANSP_TLS, &local, tls)
                                              : sip_transp_add(stack, transport_from(name), &local))
                throw std::runtime_error("sip: cannot listen on " + name + " " +
                                         endpoint_of(local) + ": " + std::strerror(err));
            spdlog::info("sip: listening on {} {}", name, endpoint_of(local_address(name)));
        }
        if (!settings.ws_listen.empty() || !settings.wss_listen.empty()) start_websocket();
        if (const int err = sip_listen(&request_listener, stack, true, &Impl::on_request, this))
            throw std::runtime_error("sip: cannot listen for requests (" + std::to_string(err) +
                                     ")");
        if (std::find(settings.transports.begin(), settings.transports.end(), "udp") !=
            settings.transports.end())
            send_probe();
        tmr_init(&expiry_timer);
        tmr_start(&expiry_timer, 1000, &Impl::on_expiry_tick, this);
    }

    // The browsers' gateway and the loopback SIP/TCP transport it bridges to (see ws_gateway.hpp).
    void start_websocket() {
        int err = EADDRINUSE;
        for (int attempt = 0; attempt < 5 && err == EADDRINUSE; ++attempt) {
            sa_set_str(&bridge_address, "127.0.0.1", free_loopback_port());
            err = sip_transp_add(stack, SIP_TRANSP_TCP, &bridge_address);
        }
        if (err != 0)
            throw std::runtime_error(std::string("sip: no loopback transport for WebSocket: ") +
                                     std::strerror(err));
        WsGatewaySettings ws;
        ws.ws_listen = settings.ws_listen;
        ws.wss_listen = settings.wss_listen;
        ws.tls_certificate = settings.tls_certificate;
        ws.allowed_origins = settings.ws_allowed_origins;
        gateway = std::make_unique<WsGateway>(
            ws, bridge_address, [this](const std::string& ip) { return limiter.blocked(ip); },
            [this](const sa& bridge_source) { on_websocket_closed(bridge_source); });
    }

    // A browser's WebSocket is gone: nothing can reach that tab any more, so its bindings go now
    // (not at their expiry), and a user whose only device it was is offline at once.
    void on_websocket_closed(const sa& bridge_source) {
        const auto source = endpoint_of(bridge_source);
        for (const auto& aor : locations.remove_flow(source)) {
            spdlog::info("sip: WebSocket flow {} closed: {} has no binding left", source, aor.user);
            listener.on_offline(aor);
        }
    }

    // Messages on the bridge transport come from the gateway's connections; anything else that
    // reached that loopback port (a local process) is nobody's and is dropped.
    [[nodiscard]] bool bridged(const sip_msg* msg) const {
        return gateway != nullptr && msg->tp == SIP_TRANSP_TCP &&
               sa_port(&msg->dst) == sa_port(&bridge_address) &&
               sa_cmp(&msg->dst, &bridge_address, SA_ADDR);
    }

    [[nodiscard]] std::optional<Sender> sender_of(const sip_msg* msg) const {
        if (!bridged(msg)) return Sender{ip_of(msg->src), endpoint_of(msg->src), false, false};
        const auto peer = gateway->peer_of(msg->src);
        if (!peer) return std::nullopt;
        return Sender{ip_of(peer->address), endpoint_of(peer->address), true, peer->secure};
    }

    sa local_address(std::string_view transport) const {
        sa laddr{};
        sa dst{};
        sa_set_str(&dst, settings.listen_host.c_str(), 5060);
        sip_transp_laddr(stack, &laddr, transport_from(transport), &dst);
        return laddr;
    }

    static void on_expiry_tick(void* arg) {
        auto* self = static_cast<Impl*>(arg);
        for (const auto& aor : self->locations.expire(self->clock.wall_now()))
            self->listener.on_offline(aor);
        tmr_start(&self->expiry_timer, 1000, &Impl::on_expiry_tick, self);
    }

    static bool on_request(const sip_msg* msg, void* arg) {
        auto* self = static_cast<Impl*>(arg);
        if (self->is_probe(msg)) return true;
        const auto sender = self->sender_of(msg);
        if (!sender) {
            spdlog::warn("sip: dropped {} from {} on the WebSocket bridge port: not a WebSocket "
                         "connection of ours",
                         view(msg->met), endpoint_of(msg->src));
            return true;
        }
        return self->sane(msg) ? self->handle(msg, *sender) : true;
    }

    // libre owns its UDP socket and drops what it cannot decode without telling anyone. To put the
    // sanity check in front of it, we send ourselves one OPTIONS at start-up; when it arrives, its
    // sip_msg names the transport's socket, and a receive helper is installed on it that sees every
    // datagram before libre's parser does.
    void send_probe() {
        sa target = local_address("udp");
        if (sa_is_any(&target)) sa_set_str(&target, "127.0.0.1", sa_port(&target));
        sa from{};
        sa_set_str(&from, "127.0.0.1", 0);
        if (udp_listen(&probe_socket, &from, nullptr, nullptr) != 0) return;
        sa probe_local{};
        udp_local_get(probe_socket, &probe_local);
        probe_call_id = "suflyor-probe-" + std::to_string(rand_u64());
        char text[512];
        const int n =
            re_snprintf(text, sizeof text,
                        "OPTIONS sip:probe@%J SIP/2.0\r\nVia: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n"
                        "From: <sip:probe@%J>;tag=p\r\nTo: <sip:probe@%J>\r\nCall-ID: %s\r\n"
                        "CSeq: 1 OPTIONS\r\nMax-Forwards: 1\r\nContent-Length: 0\r\n\r\n",
                        &target, &probe_local, probe_call_id.c_str(), &probe_local, &target,
                        probe_call_id.c_str());
        mbuf* mb = mbuf_alloc(static_cast<std::size_t>(n));
        mbuf_write_mem(mb, reinterpret_cast<const std::uint8_t*>(text),
                       static_cast<std::size_t>(n));
        mb->pos = 0;
        udp_send(probe_socket, &target, mb);
        mem_deref(mb);
    }

    // Bursts (a trunk's INVITEs meeting a wave of BYEs) must queue, not be dropped: a lost 200 or
    // ACK costs a retransmission cycle and often the call. Past net.core.rmem_max the kernel caps
    // SO_RCVBUF silently; SO_RCVBUFFORCE passes the cap when we hold CAP_NET_ADMIN.
    void size_receive_buffer(int fd) const {
        const int wanted = settings.udp_receive_buffer_bytes;
        if (fd < 0 || wanted <= 0) return;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &wanted, sizeof wanted);
        int granted = 0;
        socklen_t size = sizeof granted;
        getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &size);
        if (granted / 2 < wanted &&
            setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &wanted, sizeof wanted) == 0)
            getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &size);
        // Linux reports twice the requested size (it counts its bookkeeping).
        if (granted / 2 < wanted)
            spdlog::warn("sip: UDP receive buffer is {} KiB, not the configured {} KiB; raise "
                         "net.core.rmem_max or run with CAP_NET_ADMIN",
                         granted / 2 / 1024, wanted / 1024);
        else
            spdlog::info("sip: UDP receive buffer {} KiB", granted / 2 / 1024);
    }

    bool is_probe(const sip_msg* msg) {
        if (sanity_helper != nullptr || msg->tp != SIP_TRANSP_UDP || probe_call_id.empty() ||
            view(msg->callid) != probe_call_id)
            return false;
        auto* socket = static_cast<udp_sock*>(msg->sock);
        udp_rxsz_set(socket, kMaxMessageSize + 1); // libre's 8 KiB default truncates long requests
        size_receive_buffer(udp_sock_fd(socket, AF_UNSPEC));
        if (udp_register_helper(&sanity_helper, socket, 0, nullptr, &Impl::on_datagram, this) ==
            0) {
            udp_transport = socket;
            spdlog::debug("sip: sanity check installed in front of the UDP transport");
        }
        probe_socket = static_cast<udp_sock*>(mem_deref(probe_socket));
        return true;
    }

    static bool on_datagram(sa* src, mbuf* mb, void* arg) {
        auto* self = static_cast<Impl*>(arg);
        const auto* bytes = reinterpret_cast<const char*>(mbuf_buf(mb));
        const std::size_t size = mbuf_get_left(mb);
        // STUN, keep-alive CRLFs and the like are libre's business.
        if (size == 0 || !std::isalpha(static_cast<unsigned char>(bytes[0]))) return false;
        const auto verdict = check_sip_message({bytes, size}, SanityPolicy{});
        // A banned source still reaches libre with well-formed messages: responses and in-dialog
        // requests (a phone's BYE) must never be dropped by the ban, and handle() drops its
        // out-of-dialog requests. Its malformed datagrams go unanswered.
        if (verdict.action != Action::pass && self->limiter.blocked(ip_of(*src))) return true;
        if (verdict.action == Action::pass) {
            if (const auto normalized = normalize_top_via({bytes, size});
                normalized && std::string_view(bytes, size).rfind("SIP/", 0) != 0) {
                // Replace the datagram libre is about to parse (requests only, not "SIP/2.0"
                // responses).
                const std::size_t start = mb->pos;
                mb->end = start;
                mbuf_write_mem(mb, reinterpret_cast<const std::uint8_t*>(normalized->data()),
                               normalized->size());
                mb->pos = start;
            }
            return false;
        }
        const std::string_view text(bytes, size);
        if (verdict.action == Action::reject) {
            const auto response =
                build_raw_reply(text, verdict.status, verdict.reason, verdict.extra_headers.view(),
                                std::to_string(rand_u64()));
            if (response) {
                sa dst = *src;
                sa_set_port(&dst, raw_reply_port(text, sa_port(src)));
                mbuf* out = mbuf_of(*response);
                udp_send(self->udp_transport, &dst, out);
                mem_deref(out);
            }
        }
        spdlog::debug("sip: {} datagram from {}: {}",
                      verdict.action == Action::reject ? "rejected" : "dropped", endpoint_of(*src),
                      describe(verdict.defect));
        return true;
    }

    static bool on_response(const sip_msg* msg, void* arg) {
        auto* self = static_cast<Impl*>(arg);
        // A real response that no transaction wanted is dropped either way; a mis-read request
        // gets the answer the sanity check gives it.
        (void)self->sane(msg);
        return true;
    }

    // The strict gate in front of libre's lenient parser (see docs/sip-torture.md). Returns true
    // when the message may be processed; otherwise it has been answered or dropped.
    bool sane(const sip_msg* msg) {
        const char* start = msg->req ? msg->met.p : msg->ver.p;
        const char* end = reinterpret_cast<const char*>(msg->mb->buf + msg->mb->end);
        if (start == nullptr || start < reinterpret_cast<const char*>(msg->mb->buf) || start > end)
            return true; // nothing to check against: trust libre's decode
        // libre answers to a Via maddr: never let a request turn us into a reflector.
        pl maddr{};
        if (msg_param_decode(&msg->via.params, "maddr", &maddr) == 0) {
            spdlog::warn("sip: dropped {} from {}: Via maddr is not honoured", view(msg->met),
                         endpoint_of(msg->src));
            return false;
        }
        SanityPolicy policy;
        policy.transport = msg->tp == SIP_TRANSP_UDP ? Transport::datagram : Transport::stream;
        const auto verdict =
            check_sip_message({start, static_cast<std::size_t>(end - start)}, policy);
        if (verdict.action == Action::pass) return msg->req;
        if (verdict.action == Action::reject) {
            const std::string reason(verdict.reason);
            const std::string extra(verdict.extra_headers.view());
            (void)sip_replyf(stack, msg, verdict.status, reason.c_str(),
                             "%sContent-Length: 0\r\n\r\n", extra.c_str());
        }
        spdlog::debug("sip: {} message from {}: {}",
                      verdict.action == Action::reject ? "rejected" : "dropped",
                      endpoint_of(msg->src), describe(verdict.defect));
        return false;
    }

    void reply(const sip_msg* msg, std::uint16_t code, const char* reason,
               const std::string& headers = {}) {
        if (const int err = sip_treplyf(nullptr, nullptr, stack, msg, false, code, reason,
                                        "%sContent-Length: 0\r\n\r\n", headers.c_str()))
            spdlog::warn("sip: could not send {} to {}: {}", code, endpoint_of(msg->src),
                         std::strerror(err));
    }

    // One line per failure, stable keys, for fail2ban and friends.
    void log_failure(const sip_msg* msg, const Sender& from, const std::string& user,
                     std::string_view realm, std::string_view why) {
        spdlog::warn("sip-auth-failure src={} method={} user={} realm={} reason={}{}", from.ip,
                     view(msg->met), user.empty() ? "-" : user, realm.empty() ? "-" : realm, why,
                     from.websocket ? " transport=ws" : "");
    }

    bool handle(const sip_msg* msg, const Sender& from) {
        const std::string& source = from.ip;
        spdlog::debug("sip: {} {} from {}{}", view(msg->met), view(msg->ruri), from.endpoint,
                      from.websocket ? " (WebSocket)" : "");
        const auto method = view(msg->met);
        // In-dialog requests belong to a session authenticated when it was set up; libre's
        // dialog layer matches them (or answers 481). CANCEL and ACK match transactions. The
        // failed-auth ban never applies to them: it could be aimed at a phone by spoofing its
        // address, and then its BYE would be ignored.
        if (method == "ACK" || method == "CANCEL" || pl_isset(&msg->to.tag)) return false;
        if (limiter.blocked(source)) return true; // ignored: no answer to a brute-forcing source
        if (const auto* trunk = from.websocket ? nullptr : trunks.by_source(source);
            trunk != nullptr) {
            if (method == "INVITE") return false; // to the B2BUA
            if (method == "OPTIONS") {
                reply(msg, 200, "OK", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n");
                return true;
            }
            // A phone behind the provider's address cannot register: say so, or 405 is a riddle.
            spdlog::warn("sip: {} from {} answered 405: that address is a source of trunk '{}', "
                         "which may send only INVITE and OPTIONS (phones must register from "
                         "another address)",
                         method, endpoint_of(msg->src), trunk->name);
            reply(msg, 405, "Method Not Allowed", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n");
            return true;
        }
        if (method == "REGISTER") {
            handle_register(msg, from);
            return true;
        }
        if (method == "OPTIONS" && (!settings.authenticate_options || from_registered_flow(msg))) {
            reply(msg, 200, "OK", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER\r\n");
            return true;
        }
        // A stranger (no trunk, no phone registered from there) dialling an external number without
        // credentials is the classic toll-fraud probe: refuse it outright instead of challenging.
        if (method == "INVITE" && header_value(msg, SIP_HDR_AUTHORIZATION).empty() &&
            !normalize_number(view(msg->uri.user)).empty() &&
            !locations.has_flow_from(source, clock.wall_now())) {
            log_failure(msg, from, std::string(view(msg->from.uri.user)), "",
                        "unknown_source_external_number");
            limiter.failed(source);
            reply(msg, 403, "Forbidden");
            return true;
        }
        // Every other request must authenticate; what it may then do is the B2BUA's business.
        std::optional<SipAccount> account;
        if (!authenticate(msg, from, account)) return true;
        if (method == "OPTIONS") {
            reply(msg, 200, "OK", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER\r\n");
            return true;
        }
        if (method == "INVITE") return false; // to the B2BUA
        reply(msg, 501, "Not Implemented");
        return true;
    }

    bool from_registered_flow(const sip_msg* msg) const {
        const auto account = directory.account_for_domain(view(msg->from.uri.host));
        if (!account) return false;
        const Aor aor{account->account_id, std::string(view(msg->from.uri.user))};
        const auto source = endpoint_of(msg->src);
        for (const auto& b : locations.bindings(aor, clock.wall_now()))
            if (b.flow.source == source) return true;
        return false;
    }

    // Challenges or refuses unless the request carries valid credentials of the From user.
    // Returns true when authenticated.
    bool authenticate(const sip_msg* msg, const Sender& from, std::optional<SipAccount>& account) {
        const bool is_register = view(msg->met) == "REGISTER";
        const auto& who = is_register ? msg->to.uri : msg->from.uri;
        account = directory.account_for_domain(view(who.host));
        if (!account) {
            // Logged, refused, but not counted towards the ban: no password was tried, and a
            // spoofed source could otherwise get a phone's address banned.
            log_failure(msg, from, std::string(view(who.user)), view(who.host), "unknown_domain");
            reply(msg, 403, "Forbidden");
            return false;
        }
        const auto authorization = header_value(msg, SIP_HDR_AUTHORIZATION);
        const auto result = auth.verify_any(
            authorization, view(msg->met), account->realm, [&](std::string_view user) {
                std::vector<Ha1> ha1s;
                if (auto rec = directory.user(account->account_id, user))
                    ha1s = accepted_ha1s(*rec, user, account->realm, from.websocket);
                return ha1s;
            });
        switch (result.outcome) {
        case AuthOutcome::ok:
            if (result.user != view(who.user)) {
                log_failure(msg, from, result.user, account->realm, "identity_mismatch");
                limiter.failed(from.ip);
                reply(msg, 403, "Forbidden");
                return false;
            }
            limiter.succeeded(from.ip);
            return true;
        case AuthOutcome::missing:
        case AuthOutcome::stale_nonce:
        case AuthOutcome::forged_nonce:
        case AuthOutcome::wrong_realm:
        case AuthOutcome::malformed: // e.g. an unknown scheme: RFC 4475 regaut01 wants a challenge
            // A fresh challenge; only an expired genuine nonce is marked stale. Challenged
            // requests do not count towards the ban (no password was tried against ours).
            if (result.outcome == AuthOutcome::forged_nonce ||
                result.outcome == AuthOutcome::wrong_realm)
                log_failure(msg, from, result.user, account->realm, to_string(result.outcome));
            reply(msg, 401, "Unauthorized",
                  "WWW-Authenticate: " +
                      auth.challenge(account->realm, result.outcome == AuthOutcome::stale_nonce) +
                      "\r\n");
            return false;
        case AuthOutcome::unknown_user:
        case AuthOutcome::bad_response:
            log_failure(msg, from, result.user, account->realm, to_string(result.outcome));
            limiter.failed(from.ip);
            reply(msg, 403, "Forbidden");
            return false;
        }
        return false;
    }

    struct ContactScan {
        std::vector<ContactUpdate> updates;
        bool star{false};
        bool bad{false};
        std::uint32_t too_brief{0};
        std::uint32_t default_expires{3600};
        const SipSettings* settings{nullptr};
    };

    static bool on_contact(const sip_hdr* hdr, const sip_msg*, void* arg) {
        auto* scan = static_cast<ContactScan*>(arg);
        if (view(hdr->val) == "*") {
            scan->star = true;
            return false;
        }
        sip_addr addr{};
        if (sip_addr_decode(&addr, &hdr->val) != 0) {
            scan->bad = true;
            return true;
        }
        std::uint32_t expires = scan->default_expires;
        pl value{};
        if (msg_param_decode(&addr.params, "expires", &value) == 0) expires = pl_u32(&value);
        if (expires != 0 && expires < scan->settings->min_expires_s) scan->too_brief = expires;
        expires = std::min(expires, scan->settings->max_expires_s);
        scan->updates.push_back(ContactUpdate{std::string(view(addr.auri)), expires});
        return false;
    }

    void handle_register(const sip_msg* msg, const Sender& from) {
        std::optional<SipAccount> account;
        if (!authenticate(msg, from, account)) return;
        const Aor aor{account->account_id, std::string(view(msg->to.uri.user))};
        ContactScan scan;
        scan.settings = &settings;
        if (pl_isset(&msg->expires)) scan.default_expires = pl_u32(&msg->expires);
        sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, &Impl::on_contact, &scan);
        if (scan.bad) {
            reply(msg, 400, "Bad Contact");
            return;
        }
        if (scan.too_brief != 0) {
            reply(msg, 423, "Interval Too Brief",
                  "Min-Expires: " + std::to_string(settings.min_expires_s) + "\r\n");
            return;
        }
        const auto now = clock.wall_now();
        const std::string call_id(view(msg->callid));
        RegisterChange change;
        if (scan.star) {
            if (!scan.updates.empty() || scan.default_expires != 0) {
                reply(msg, 400, "Bad Wildcard Contact");
                return;
            }
            change = locations.remove_all(aor, call_id, msg->cseq.num, now);
        } else if (!scan.updates.empty()) {
            const Flow flow{sip_transp_name(msg->tp), endpoint_of(msg->src), from.endpoint};
            change = locations.update(aor, scan.updates, flow, call_id, msg->cseq.num,
                                      header_value(msg, SIP_HDR_USER_AGENT), now,
                                      from.websocket ? DeviceKind::browser : DeviceKind::sip_phone);
        }
        if (change.status == RegisterStatus::out_of_order) {
            reply(msg, 500, "Out Of Order");
            return;
        }
        std::string contacts;
        for (const auto& b : locations.bindings(aor, now)) {
            const auto left =
                std::chrono::duration_cast<std::chrono::seconds>(b.expires_at - now).count();
            contacts += "Contact: <" + b.contact_uri + ">;expires=" + std::to_string(left) + "\r\n";
        }
        reply(msg, 200, "OK", contacts);
        if (change.came_online) listener.on_online(aor);
        if (change.went_offline) listener.on_offline(aor);
        spdlog::info("sip: REGISTER {}@{} from {}{} -> {} binding(s)", aor.user, account->realm,
                     from.endpoint,
                     from.websocket ? (from.secure_websocket ? " over wss" : " over ws") : "",
                     locations.bindings(aor, now).size());
    }

    SipSettings settings;
    const core::Clock& clock;
    SipDirectory& directory;
    RegistrationListener& listener;
    const TrunkTable& trunks;
    DigestAuthenticator auth;
    AuthLimiter limiter;
    LocationService locations;
    ::sip* stack{nullptr};
    ::tls* tls{nullptr};
    sip_lsnr* request_listener{nullptr};
    sip_lsnr* response_listener{nullptr};
    udp_sock* probe_socket{nullptr};
    std::string probe_call_id;
    struct udp_helper* sanity_helper{nullptr};
    udp_sock* udp_transport{nullptr};
    tmr expiry_timer{};
    sa bridge_address{};
    std::unique_ptr<WsGateway> gateway;
};

std::vector<Ha1> accepted_ha1s(const SipUserRecord& record, std::string_view user,
                               std::string_view realm, bool over_websocket) {
    std::vector<Ha1> out{record.ha1};
    if (over_websocket)
        for (const auto& secret : record.browser_secrets)
            if (!secret.empty()) out.push_back(DigestAuthenticator::ha1_of(user, realm, secret));
    return out;
}

SipServer::SipServer(const SipSettings& settings, const core::Clock& clock, SipDirectory& directory,
                     RegistrationListener& listener, const TrunkTable& trunks)
    : impl_(std::make_unique<Impl>(settings, clock, directory, listener, trunks)) {
    impl_->start();
}

SipServer::~SipServer() = default;

std::uint16_t SipServer::port(std::string_view transport) const {
    if (transport == "ws" || transport == "wss")
        return impl_->gateway ? impl_->gateway->port(transport == "wss") : 0;
    for (const auto& t : impl_->settings.transports)
        if (t == transport) {
            const sa local = impl_->local_address(transport);
            return sa_port(&local);
        }
    return 0;
}

const LocationService& SipServer::locations() const { return impl_->locations; }

void SipServer::drop_bindings(const Aor& aor) {
    if (impl_->locations.remove_aor(aor)) impl_->listener.on_offline(aor);
}

::sip* SipServer::stack() const { return impl_->stack; }

} // namespace suflyor::sip
