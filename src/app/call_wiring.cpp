#include "app/call_wiring.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <thread>

namespace suflyor::app {
namespace {

std::uint32_t ipv4_of(const std::string& text) {
    in_addr addr{};
    if (inet_pton(AF_INET, text.c_str(), &addr) != 1) return 0;
    return ntohl(addr.s_addr);
}

media::CodecId codec_of(sdp::Codec codec) {
    switch (codec) {
    case sdp::Codec::pcmu: return media::CodecId::pcmu;
    case sdp::Codec::pcma: return media::CodecId::pcma;
    case sdp::Codec::g722: return media::CodecId::g722;
    case sdp::Codec::opus: return media::CodecId::opus;
    }
    return media::CodecId::pcmu;
}

media::LegMedia leg_media(const sdp::Negotiated& n, const std::string& signalling_ip) {
    media::LegMedia m;
    m.signalling_ipv4 = ipv4_of(signalling_ip);
    m.remote = media::Endpoint{ipv4_of(n.remote_address), n.remote_port};
    m.rtcp_mux = n.rtcp_mux;
    m.codec = codec_of(n.codec);
    m.payload_type = n.payload_type;
    m.telephone_event_pt = n.telephone_event_pt.value_or(media::no_payload_type);
    return m;
}

// A browser's ICE credentials, certificate fingerprint and the DTLS role SDP gave us.
std::optional<media::WebRtcRemote> browser_side(const sdp::Negotiated& n) {
    if (!n.webrtc) return std::nullopt;
    const sdp::WebRtcRemote& r = n.webrtc->remote;
    return media::WebRtcRemote{.ice_ufrag = r.ice_ufrag,
                               .ice_pwd = r.ice_pwd,
                               .fingerprint = r.fingerprint.hash + " " + r.fingerprint.value,
                               .our_role = n.webrtc->local_role == sdp::DtlsRole::client
                                               ? media::webrtc::DtlsRole::client
                                               : media::webrtc::DtlsRole::server};
}

media::LegId leg_id(const sip::AnchoredLeg& leg) {
    return media::LegId{media::RoomId{leg.room}, leg.slot};
}

template <class T> void log_failure(const char* what, T&& action) {
    try {
        action();
    } catch (const std::exception& e) {
        spdlog::warn("media: {} failed: {}", what, e.what());
    }
}

} // namespace

media::EngineConfig engine_config(const MediaConfig& config) {
    media::EngineConfig e;
    e.workers = config.workers > 0 ? static_cast<std::size_t>(config.workers)
                                   : std::max(1u, std::thread::hardware_concurrency());
    e.bind_ipv4 = ipv4_of(config.bind_address);
    e.port_min = static_cast<std::uint16_t>(config.rtp_port_min);
    e.port_max = static_cast<std::uint16_t>(config.rtp_port_max);
    e.rtp_timeout = std::chrono::seconds{config.rtp_timeout_seconds};
    e.jitter_max = std::chrono::milliseconds{config.jitter_max_ms};
    e.io = config.io == "epoll" ? media::IoBackend::epoll : media::IoBackend::io_uring;
    return e;
}

sip::TrunkTable trunk_table(const std::vector<TrunkConfig>& trunks, store::Store& store) {
    std::vector<sip::Trunk> out;
    for (const auto& t : trunks) {
        std::optional<center::Account> account;
        if (!t.account.empty())
            account = store.accounts().find_by_name(t.account);
        else if (const auto all = store.accounts().list(); all.size() == 1)
            account = all.front();
        if (!account)
            throw ConfigError("trunk '" + t.name + "': no account '" + t.account +
                              "' (name it with trunks.account)");
        sip::Trunk trunk;
        trunk.name = t.name;
        trunk.account_id = account->id.value();
        trunk.peer = t.peer;
        trunk.transport = t.transport;
        trunk.caller_id = t.caller_id;
        trunk.dids = t.dids;
        trunk.register_outbound = t.register_outbound;
        trunk.username = t.username;
        trunk.password = t.password;
        for (const auto& source : t.sources) {
            auto range = sip::AddressRange::parse(source);
            if (!range) throw ConfigError("trunk '" + t.name + "': bad source '" + source + "'");
            trunk.sources.push_back(*range);
        }
        out.push_back(std::move(trunk));
    }
    return sip::TrunkTable(std::move(out));
}

std::int64_t EngineAnchor::create_room() {
    const auto room = engine_.create_room().value();
    rooms_.insert(room);
    return room;
}

void EngineAnchor::request_stats() {
    for (const auto room : rooms_)
        log_failure("request_stats", [&] { engine_.request_stats(media::RoomId{room}); });
}

sip::AnchoredLeg EngineAnchor::add_leg(std::int64_t room,
                                       const std::optional<sdp::Negotiated>& remote,
                                       sip::LegRole role, const std::string& signalling_ip,
                                       bool browser) {
    media::LegSpec spec;
    switch (role) {
    case sip::LegRole::client: spec.record = media::RecordTrack::client; break;
    case sip::LegRole::operator_: spec.record = media::RecordTrack::operator_; break;
    case sip::LegRole::supervisor:
        // Never in the client/operator stereo file: its own track, while someone hears it.
        spec.record = media::RecordTrack::supervisor;
        spec.reports_dtmf = true; // 4/5/6 switch the mode and reach nobody
        break;
    }
    if (remote)
        spec.media = leg_media(*remote, signalling_ip);
    else
        spec.media.signalling_ipv4 = ipv4_of(signalling_ip); // our offer: no SDP address yet
    // Phones and providers behind NAT: latch after probation, from the SDP's or signalling's IP.
    // A browser's media address is the one ICE selects.
    spec.webrtc = browser || (remote && remote->webrtc);
    spec.nat = !spec.webrtc;
    const auto handle =
        engine_.add_leg(media::RoomId{room}, spec, remote ? browser_side(*remote) : std::nullopt);
    sip::AnchoredLeg leg{room, handle.id.slot, handle.rtp_port, std::nullopt};
    if (spec.webrtc)
        leg.webrtc = sdp::WebRtcLocal{handle.ice.ufrag, handle.ice.pwd, engine_.dtls_fingerprint()};
    return leg;
}

void EngineAnchor::update_leg(const sip::AnchoredLeg& leg, const sdp::Negotiated& remote,
                              const std::string& signalling_ip) {
    engine_.update_leg(leg_id(leg), leg_media(remote, signalling_ip), browser_side(remote));
}

void EngineAnchor::remove_leg(const sip::AnchoredLeg& leg) {
    log_failure("remove_leg", [&] { engine_.remove_leg(leg_id(leg)); });
}

void EngineAnchor::bridge(std::int64_t room, const sip::AnchoredLeg& client,
                          const sip::AnchoredLeg& op) {
    media::MixPlan plan{};
    plan.hears[client.slot] = media::leg_bit(op.slot);
    plan.hears[op.slot] = media::leg_bit(client.slot);
    engine_.set_plan(media::RoomId{room}, plan);
}

void EngineAnchor::destroy_room(std::int64_t room) {
    rooms_.erase(room);
    log_failure("destroy_room", [&] { engine_.destroy_room(media::RoomId{room}); });
}

std::string EngineAnchor::start_recording(std::int64_t room, std::int64_t call) {
    // One folder per day keeps directories small; the call id makes names unique.
    const auto now = std::chrono::system_clock::now();
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::year_month_day ymd{day};
    char folder[16];
    std::snprintf(folder, sizeof folder, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const auto dir = recording_dir_ / folder;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    media::RecordingSpec spec;
    spec.stereo_path = dir / ("call-" + std::to_string(call) + ".wav");
    spec.supervisor_path = center::supervisor_track_path(spec.stereo_path);
    try {
        engine_.start_recording(media::RoomId{room}, media::RecordingId{call}, spec);
    } catch (const std::exception& e) {
        spdlog::error("media: call {} is not recorded: {}", call, e.what());
        return {};
    }
    return spec.stereo_path.string();
}

std::optional<sip::CallPlan> StoreCallRouter::route_from_trunk(const sip::Trunk& trunk,
                                                               const std::string& did) {
    std::optional<center::Project> project;
    if (const auto by_id = trunk.did_projects.find(did); by_id != trunk.did_projects.end()) {
        project = store_.projects().find(center::ProjectId{by_id->second});
    } else if (const auto it = trunk.dids.find(did); it != trunk.dids.end()) {
        project = store_.projects().find_by_name(center::AccountId{trunk.account_id}, it->second);
        if (!project)
            spdlog::warn("trunk {}: DID {} names project '{}', which does not exist", trunk.name,
                         did, it->second);
    }
    if (!project || project->account_id.value() != trunk.account_id) return std::nullopt;
    if (project->archived()) {
        // History stays; new calls are answered as for a number nobody routes (404).
        spdlog::info("trunk {}: DID {} belongs to archived project '{}': not routed", trunk.name,
                     did, project->name);
        return std::nullopt;
    }
    // Longest idle first: the one available for the longest time gets the call. The hunt tries
    // at most this many before giving up (480).
    constexpr std::int64_t hunt_limit = 20;
    const auto available = store_.users().available_operators(project->id, hunt_limit);
    sip::CallPlan plan;
    plan.kind = sip::CallKind::inbound;
    plan.account_id = trunk.account_id;
    plan.project_id = project->id.value();
    for (const auto& u : available)
        plan.employees.push_back(sip::Aor{trunk.account_id, u.sip.user});
    return plan;
}

std::optional<sip::CallPlan> StoreCallRouter::route_from_employee(const std::string& domain,
                                                                  const std::string& user,
                                                                  const std::string& dialled) {
    const auto account = directory_.account_for_domain(domain);
    if (!account) return std::nullopt;
    const center::AccountId account_id{account->account_id};
    const auto caller = store_.users().find_by_sip_user(account_id, user);
    if (!caller) return std::nullopt;
    sip::CallPlan plan;
    plan.account_id = account->account_id;
    plan.caller = sip::Aor{account->account_id, caller->sip.user};
    if (const auto callee = store_.users().find_by_sip_user(account_id, dialled);
        callee && callee->id != caller->id) {
        plan.kind = sip::CallKind::internal;
        plan.client_number = caller->sip.user;
        plan.presented_number = caller->sip.user;
        plan.employees.push_back(sip::Aor{account->account_id, callee->sip.user});
        return plan;
    }
    const auto number = sip::normalize_number(dialled);
    if (number.empty()) return std::nullopt;
    std::optional<center::Project> project;
    // An outbound call counts for the caller's first project that still takes calls.
    for (auto& p : store_.projects().projects_of_operator(caller->id))
        if (!p.archived()) {
            project = std::move(p);
            break;
        }
    const auto* trunk = trunk_for(account->account_id, project);
    if (trunk == nullptr) return std::nullopt;
    plan.kind = sip::CallKind::outbound;
    if (project) plan.project_id = project->id.value();
    plan.client_number = number;
    plan.trunk_uri = "sip:" + number + "@" + trunk->peer;
    plan.presented_number =
        trunk->caller_id.empty() ? caller->sip.user : sip::normalize_number(trunk->caller_id);
    return plan;
}

const sip::Trunk* StoreCallRouter::trunk_for(std::int64_t account_id,
                                             const std::optional<center::Project>& project) const {
    const sip::Trunk* fallback = nullptr;
    for (const auto& t : trunks_.all()) {
        if (t.account_id != account_id) continue;
        if (fallback == nullptr) fallback = &t;
        if (project) {
            for (const auto& [did, name] : t.dids)
                if (name == project->name) return &t;
            for (const auto& [did, id] : t.did_projects)
                if (id == project->id.value()) return &t;
        }
    }
    return fallback;
}

std::int64_t StoreCallRouter::call_started(const sip::CallPlan& plan) {
    std::optional<center::ProjectId> project;
    if (plan.project_id) project = center::ProjectId{*plan.project_id};
    std::optional<center::UserId> operator_id;
    center::CallDirection direction = center::CallDirection::inbound;
    if (plan.kind == sip::CallKind::outbound) {
        direction = center::CallDirection::outbound;
        if (const auto u = store_.users().find_by_sip_user(center::AccountId{plan.account_id},
                                                           plan.caller->user))
            operator_id = u->id;
    } else if (plan.kind == sip::CallKind::internal) {
        direction = center::CallDirection::internal;
    }
    return calls_
        .open(center::NewCall{center::AccountId{plan.account_id}, project, operator_id,
                              plan.client_number, direction})
        .id.value();
}

void StoreCallRouter::call_ringing(std::int64_t call, const sip::Aor& op) {
    if (const auto u = store_.users().find_by_sip_user(center::AccountId{op.account_id}, op.user))
        log_failure("call ringing", [&] { calls_.offer_to(center::CallId{call}, u->id); });
}

void StoreCallRouter::call_answered(std::int64_t call, std::int64_t,
                                    const std::string& recording_path) {
    log_failure("call answered", [&] { calls_.answer(center::CallId{call}, recording_path); });
    if (observer_) observer_->on_call_answered(center::CallId{call});
}

void StoreCallRouter::call_ended(std::int64_t call, const std::string& reason) {
    log_failure("call ended", [&] { calls_.end(center::CallId{call}, reason); });
    if (observer_) observer_->on_call_ended(center::CallId{call});
}

} // namespace suflyor::app
