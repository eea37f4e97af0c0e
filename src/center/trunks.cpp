#include "center/trunks.hpp"

#include "center/validation.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace suflyor::center {
namespace {

using core::ErrorCode;
using core::fail;

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    fail(ErrorCode::invalid_argument, field + ": " + why, field);
}

using validate::has_control;
using validate::trim;

std::string checked_text(const std::string& field, std::string_view value, std::size_t max,
                         bool required) {
    auto text = trim(value);
    if (required && text.empty()) bad(field, "must not be empty");
    if (text.size() > max) bad(field, "longer than " + std::to_string(max) + " bytes");
    if (has_control(text)) bad(field, "contains control characters");
    return text;
}

// host:port, the host a DNS name, an IPv4 address or a bracketed IPv6 address.
std::string checked_peer(std::string_view value) {
    const auto peer = trim(value);
    const auto colon = peer.rfind(':');
    if (peer.empty() || colon == std::string::npos || colon == 0)
        bad("peer", "must be host:port (e.g. sip.provider.example:5060)");
    const auto host = peer.substr(0, colon);
    const auto port = peer.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(c) != 0; }) ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
        bad("peer", "the port must be a number from 1 to 65535");
    if (host.front() == '[') {
        if (host.back() != ']' || !sip::AddressRange::parse(host.substr(1, host.size() - 2)))
            bad("peer", "'" + host + "' is not an IPv6 address in brackets");
        return peer;
    }
    if (host.size() > 253) bad("peer", "the host name is too long");
    for (char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
            bad("peer", "'" + host + "' is not a host name or an IP address");
    return peer;
}

std::string checked_transport(std::string_view value) {
    if (value != "udp" && value != "tcp" && value != "tls")
        bad("transport", "must be one of udp, tcp, tls");
    return std::string(value);
}

std::vector<std::string> checked_sources(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    if (values.size() > 64) bad("sources", "at most 64 addresses or ranges");
    for (const auto& v : values) {
        auto text = trim(v);
        if (text.empty()) continue;
        if (!sip::AddressRange::parse(text))
            bad("sources", "'" + text + "' is not an IP address or CIDR range");
        if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
    }
    return out;
}

std::string checked_caller_id(std::string_view value) {
    auto text = trim(value);
    if (!text.empty() && (sip::normalize_number(text).empty() || text.size() > 32))
        bad("caller_id", "must be a phone number (digits, an optional leading +)");
    return text;
}

nlohmann::json trunk_details(const TrunkRecord& t) {
    return {{"name", t.name},           {"peer", t.peer},
            {"transport", t.transport}, {"sources", t.sources},
            {"caller_id", t.caller_id}, {"register_outbound", t.register_outbound},
            {"username", t.username}};
}

} // namespace

TrunkService::TrunkService(store::Store& store, const core::Clock& clock, SecretBox secrets)
    : store_(store), clock_(clock), secrets_(secrets), audit_(store, clock) {}

TrunkRecord TrunkService::owned(const User& by, TrunkId id) {
    if (!may_supervise(by.role))
        fail(ErrorCode::forbidden, "only the account's creator or administrators manage trunks");
    auto t = store_.trunks().find(id);
    // Another account's trunk is as good as absent.
    if (!t || t->account_id != by.account_id)
        fail(ErrorCode::not_found, "trunk " + id.str() + " not found");
    return *t;
}

void TrunkService::check_name_free(AccountId account, const std::string& name, TrunkId self) {
    for (const auto& c : config_)
        if (c.account_id == account.value() && c.name == name)
            fail(ErrorCode::conflict, "the configuration file has a trunk named '" + name + "'",
                 "name");
    if (const auto other = store_.trunks().find_by_name(account, name); other && other->id != self)
        fail(ErrorCode::conflict, "a trunk named '" + name + "' exists already", "name");
}

void TrunkService::check_number_free(const std::string& number) {
    for (const auto& c : config_)
        if (c.dids.contains(number))
            fail(ErrorCode::conflict, "number " + number + " is routed by the configuration file",
                 "number");
    if (store_.trunks().find_number(number))
        fail(ErrorCode::conflict, "number " + number + " already reaches a project", "number");
}

void TrunkService::announce(AccountId account, const std::string& event,
                            const nlohmann::json& payload) {
    if (listener_ != nullptr) listener_->trunks_changed(account, event, payload);
}

TrunkRecord TrunkService::create(const User& by, const TrunkInput& in) {
    if (!may_supervise(by.role))
        fail(ErrorCode::forbidden, "only the account's creator or administrators manage trunks");
    TrunkRecord t;
    t.account_id = by.account_id;
    t.name = checked_text("name", in.name.value_or(""), 100, true);
    t.peer = checked_peer(in.peer.value_or(""));
    t.transport = checked_transport(in.transport.value_or("udp"));
    t.sources = checked_sources(in.sources.value_or(std::vector<std::string>{}));
    t.caller_id = checked_caller_id(in.caller_id.value_or(""));
    t.register_outbound = in.register_outbound.value_or(false);
    t.username = checked_text("username", in.username.value_or(""), 128, false);
    const auto password = in.password.value_or("");
    if (password.size() > 256 || has_control(password)) bad("password", "at most 256 characters");
    if (t.register_outbound && t.username.empty())
        bad("username", "is required to register at the provider");
    if (t.register_outbound && password.empty())
        bad("password", "is required to register at the provider");
    t.sealed_password = secrets_.seal(password);
    t.created_at = clock_.wall_now();
    store_.transaction([&] {
        check_name_free(by.account_id, t.name, TrunkId{0});
        t.id = store_.trunks().insert(t);
        audit_.record(by.account_id, actor_of(by), "trunk.create", "trunk", t.id.str(),
                      trunk_details(t));
    });
    announce(by.account_id, "trunk.created", {{"id", t.id.value()}, {"name", t.name}});
    return t;
}

TrunkRecord TrunkService::update(const User& by, TrunkId id, const TrunkInput& in) {
    auto t = owned(by, id);
    if (in.name) t.name = checked_text("name", *in.name, 100, true);
    if (in.peer) t.peer = checked_peer(*in.peer);
    if (in.transport) t.transport = checked_transport(*in.transport);
    if (in.sources) t.sources = checked_sources(*in.sources);
    if (in.caller_id) t.caller_id = checked_caller_id(*in.caller_id);
    if (in.register_outbound) t.register_outbound = *in.register_outbound;
    if (in.username) t.username = checked_text("username", *in.username, 128, false);
    if (in.password) {
        if (in.password->size() > 256 || has_control(*in.password))
            bad("password", "at most 256 characters");
        t.sealed_password = secrets_.seal(*in.password);
    }
    if (t.register_outbound && t.username.empty())
        bad("username", "is required to register at the provider");
    if (t.register_outbound && t.sealed_password.empty())
        bad("password", "is required to register at the provider");
    store_.transaction([&] {
        check_name_free(by.account_id, t.name, t.id);
        store_.trunks().update(t);
        auto details = trunk_details(t);
        details["password_changed"] = in.password.has_value(); // never the password itself
        audit_.record(by.account_id, actor_of(by), "trunk.update", "trunk", t.id.str(), details);
    });
    announce(by.account_id, "trunk.updated", {{"id", t.id.value()}, {"name", t.name}});
    return t;
}

void TrunkService::remove(const User& by, TrunkId id) {
    const auto t = owned(by, id);
    store_.transaction([&] {
        store_.trunks().remove(id);
        audit_.record(by.account_id, actor_of(by), "trunk.delete", "trunk", id.str(),
                      {{"name", t.name}});
    });
    announce(by.account_id, "trunk.deleted", {{"id", id.value()}, {"name", t.name}});
}

TrunkNumber TrunkService::add_number(const User& by, TrunkId id, const std::string& number,
                                     ProjectId project_id) {
    owned(by, id);
    const auto normalized = sip::normalize_number(trim(number));
    if (normalized.empty() || normalized.size() > 20)
        bad("number", "must be a phone number (digits, an optional leading +)");
    const auto project = store_.projects().find(project_id);
    if (!project || project->account_id != by.account_id)
        bad("project_id", "project " + project_id.str() + " not found in this account");
    if (project->archived())
        fail(ErrorCode::conflict, "project '" + project->name + "' is archived: it takes no calls",
             "project_id");
    const TrunkNumber n{normalized, id, project_id};
    store_.transaction([&] {
        check_number_free(normalized);
        store_.trunks().add_number(n);
        audit_.record(by.account_id, actor_of(by), "trunk.add_number", "trunk", id.str(),
                      {{"number", normalized}, {"project_id", project_id.value()}});
    });
    announce(
        by.account_id, "number.added",
        {{"trunk_id", id.value()}, {"number", normalized}, {"project_id", project_id.value()}});
    return n;
}

void TrunkService::remove_number(const User& by, TrunkId id, const std::string& number) {
    owned(by, id);
    const auto normalized = sip::normalize_number(number);
    const auto n = store_.trunks().find_number(normalized);
    if (normalized.empty() || !n || n->trunk_id != id)
        fail(ErrorCode::not_found, "trunk " + id.str() + " has no number " + number);
    store_.transaction([&] {
        store_.trunks().remove_number(normalized);
        audit_.record(by.account_id, actor_of(by), "trunk.remove_number", "trunk", id.str(),
                      {{"number", normalized}, {"project_id", n->project_id.value()}});
    });
    announce(
        by.account_id, "number.removed",
        {{"trunk_id", id.value()}, {"number", normalized}, {"project_id", n->project_id.value()}});
}

std::vector<TrunkRecord> TrunkService::list(const User& by) {
    if (!may_supervise(by.role))
        fail(ErrorCode::forbidden, "only the account's creator or administrators manage trunks");
    return store_.trunks().list(by.account_id);
}

std::vector<TrunkNumber> TrunkService::numbers(TrunkId id) { return store_.trunks().numbers(id); }

std::vector<std::string> TrunkService::numbers_of_project(const Project& project) {
    std::vector<std::string> out;
    for (const auto& c : config_)
        if (c.account_id == project.account_id.value())
            for (const auto& [did, name] : c.dids)
                if (name == project.name) out.push_back(did);
    for (const auto& n : store_.trunks().numbers_of_project(project.id))
        out.push_back(n.number);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<sip::Trunk> TrunkService::live_trunks() {
    auto out = config_;
    for (const auto& r : store_.trunks().list_all()) {
        sip::Trunk t;
        t.id = r.id.value();
        t.name = r.name;
        t.account_id = r.account_id.value();
        t.peer = r.peer;
        t.transport = r.transport;
        for (const auto& s : r.sources)
            if (auto range = sip::AddressRange::parse(s)) t.sources.push_back(*range);
        t.caller_id = r.caller_id;
        t.register_outbound = r.register_outbound;
        t.username = r.username;
        try {
            t.password = secrets_.open(r.sealed_password);
        } catch (const core::Error& e) {
            // Routing goes on; only the registration at the provider will fail (and say so).
            spdlog::warn("trunk {}: {}", r.name, e.what());
        }
        for (const auto& n : store_.trunks().numbers(r.id))
            t.did_projects.emplace(n.number, n.project_id.value());
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace suflyor::center
