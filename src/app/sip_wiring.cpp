#include "app/sip_wiring.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace suflyor::app {

sip::SipSettings sip_settings(const SipConfig& config, const HttpConfig& http) {
    sip::SipSettings s;
    s.listen_host = config.listen.host;
    s.listen_port = config.listen.port;
    s.transports = config.transports;
    s.tls_certificate = config.tls_certificate;
    s.authenticate_options = config.authenticate_options;
    s.nonce_ttl = std::chrono::seconds{config.nonce_ttl_seconds};
    s.max_auth_failures_per_minute = config.max_auth_failures_per_minute;
    s.udp_receive_buffer_bytes = static_cast<int>(config.udp_receive_buffer_kib * 1024);
    if (config.ws_listen) s.ws_listen = config.ws_listen->str();
    if (config.wss_listen) s.wss_listen = config.wss_listen->str();
    s.ws_allowed_origins = http.allowed_origins;
    return s;
}

std::optional<sip::SipAccount> StoreSipDirectory::account_for_domain(std::string_view domain) {
    std::string lower(domain);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (auto a = store_.accounts().find_by_sip_domain(lower))
        return sip::SipAccount{a->id.value(), a->sip_domain};
    // A single-account install also accepts its server address (or any name) as the domain.
    const auto all = store_.accounts().list();
    if (all.size() == 1) return sip::SipAccount{all.front().id.value(), all.front().sip_domain};
    return std::nullopt;
}

std::optional<sip::SipUserRecord> StoreSipDirectory::user(std::int64_t account_id,
                                                          std::string_view sip_user) {
    const auto u =
        store_.users().find_by_sip_user(center::AccountId{account_id}, std::string(sip_user));
    if (!u || !u->active) return std::nullopt; // a deactivated employee's phone is a stranger
    const auto ha1 = sip::ha1_from_hex(u->sip.ha1_md5);
    if (!ha1) return std::nullopt;
    sip::SipUserRecord record{u->id.value(), *ha1, {}};
    if (browser_secrets_) record.browser_secrets = browser_secrets_(u->id);
    return record;
}

std::optional<api::DeviceRegistration> registration_of(const sip::LocationService& locations,
                                                       const core::Clock& clock,
                                                       const center::User& user) {
    const sip::Aor aor{user.account_id.value(), user.sip.user};
    const auto now = clock.wall_now();
    const auto kind = user.ring_device == center::RingDevice::browser ? sip::DeviceKind::browser
                                                                      : sip::DeviceKind::sip_phone;
    auto bindings = locations.bindings(aor, kind, now);
    if (bindings.empty()) bindings = locations.bindings(aor, now);
    if (bindings.empty()) return std::nullopt;
    const auto& b = bindings.front();
    return api::DeviceRegistration{b.kind == sip::DeviceKind::browser ? "browser" : "sip_phone",
                                   b.flow.peer.empty() ? b.flow.source : b.flow.peer,
                                   b.registered_at};
}

api::SipConnection sip_connection(const Config& config, const sip::SipServer& server) {
    api::SipConnection c;
    const auto& listen = config.sip.listen.host;
    const bool wildcard = listen == "0.0.0.0" || listen == "::" || listen.empty();
    c.host = !config.sip.advertised.empty() ? config.sip.advertised
             : wildcard                     ? config.media.advertised_address
                                            : listen;
    c.loopback_only = listen.rfind("127.", 0) == 0 || listen == "::1" || listen == "localhost";
    for (const auto& t : config.sip.transports)
        if (const auto port = server.port(t); port != 0) c.transports.push_back({t, port});
    if (!c.transports.empty()) c.port = c.transports.front().port;
    return c;
}

SoftphoneOffer softphone_offer(const SipConfig& config) {
    if (!config.ws_listen && !config.wss_listen)
        return {{}, "the server has no SIP WebSocket transport ([sip] ws_listen or wss_listen)"};
    if (config.ws_public_url.empty())
        return {{}, "the server's SIP WebSocket URL is not set ([sip] ws_public_url)"};
    return {config.ws_public_url, {}};
}

void StoreSipDirectory::set_presence(const sip::Aor& aor, center::Presence presence) {
    const auto u = store_.users().find_by_sip_user(center::AccountId{aor.account_id}, aor.user);
    if (!u) return;
    if (u->presence == center::Presence::talking || u->presence == center::Presence::ringing)
        return;
    try {
        directory_.set_presence(u->id, presence);
    } catch (const std::exception& e) {
        spdlog::error("presence update of {} failed: {}", u->login, e.what());
    }
}

void StoreSipDirectory::on_online(const sip::Aor& aor) {
    set_presence(aor, center::Presence::available);
}
void StoreSipDirectory::on_offline(const sip::Aor& aor) {
    set_presence(aor, center::Presence::offline);
}

} // namespace suflyor::app
