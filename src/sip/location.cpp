#include "sip/location.hpp"

#include <algorithm>

namespace suflyor::sip {
namespace {

void drop_expired(std::vector<Binding>& list, core::WallTime now) {
    std::erase_if(list, [&](const Binding& b) { return b.expires_at <= now; });
}

} // namespace

RegisterChange LocationService::update(const Aor& aor, const std::vector<ContactUpdate>& contacts,
                                       const Flow& flow, const std::string& call_id,
                                       std::uint32_t cseq, const std::string& user_agent,
                                       core::WallTime now, DeviceKind kind) {
    auto& list = table_[aor];
    drop_expired(list, now);
    const bool had = !list.empty();
    for (const auto& c : contacts) {
        auto it = std::find_if(list.begin(), list.end(),
                               [&](const Binding& b) { return b.contact_uri == c.contact_uri; });
        if (it != list.end() && it->call_id == call_id && cseq <= it->cseq)
            return {RegisterStatus::out_of_order, false, false};
    }
    for (const auto& c : contacts) {
        auto it = std::find_if(list.begin(), list.end(),
                               [&](const Binding& b) { return b.contact_uri == c.contact_uri; });
        if (c.expires_s == 0) {
            if (it != list.end()) list.erase(it);
            continue;
        }
        Binding b{c.contact_uri, flow, now + std::chrono::seconds{c.expires_s},
                  call_id,       cseq, user_agent,
                  kind,          now};
        if (it != list.end()) {
            b.registered_at = it->registered_at;
            *it = std::move(b);
        } else {
            if (list.size() >= max_bindings_per_aor) {
                list.erase(std::min_element(list.begin(), list.end(),
                                            [](const Binding& x, const Binding& y) {
                                                return x.expires_at < y.expires_at;
                                            }));
            }
            list.push_back(std::move(b));
        }
    }
    const bool has = !list.empty();
    if (!has) table_.erase(aor);
    return {RegisterStatus::ok, !had && has, had && !has};
}

RegisterChange LocationService::remove_all(const Aor& aor, const std::string& call_id,
                                           std::uint32_t cseq, core::WallTime now) {
    auto it = table_.find(aor);
    if (it == table_.end()) return {};
    drop_expired(it->second, now);
    for (const auto& b : it->second)
        if (b.call_id == call_id && cseq <= b.cseq)
            return {RegisterStatus::out_of_order, false, false};
    const bool had = !it->second.empty();
    table_.erase(it);
    return {RegisterStatus::ok, false, had};
}

bool LocationService::remove_aor(const Aor& aor) { return table_.erase(aor) > 0; }

std::vector<Binding> LocationService::bindings(const Aor& aor, core::WallTime now) const {
    std::vector<Binding> out;
    if (auto it = table_.find(aor); it != table_.end())
        for (const auto& b : it->second)
            if (b.expires_at > now) out.push_back(b);
    return out;
}

std::vector<Binding> LocationService::bindings(const Aor& aor, DeviceKind kind,
                                               core::WallTime now) const {
    auto out = bindings(aor, now);
    std::erase_if(out, [&](const Binding& b) { return b.kind != kind; });
    return out;
}

bool LocationService::has_flow_from(const std::string& ip, core::WallTime now) const {
    const std::string v4 = ip + ":";
    const std::string v6 = "[" + ip + "]:";
    for (const auto& [aor, list] : table_)
        for (const auto& b : list)
            if (const auto& from = b.flow.peer.empty() ? b.flow.source : b.flow.peer;
                b.expires_at > now && (from.rfind(v4, 0) == 0 || from.rfind(v6, 0) == 0))
                return true;
    return false;
}

std::vector<Aor> LocationService::remove_flow(const std::string& source) {
    std::vector<Aor> gone;
    for (auto it = table_.begin(); it != table_.end();) {
        const auto removed =
            std::erase_if(it->second, [&](const Binding& b) { return b.flow.source == source; });
        if (removed != 0 && it->second.empty()) {
            gone.push_back(it->first);
            it = table_.erase(it);
        } else {
            ++it;
        }
    }
    return gone;
}

std::vector<Aor> LocationService::expire(core::WallTime now) {
    std::vector<Aor> gone;
    for (auto it = table_.begin(); it != table_.end();) {
        drop_expired(it->second, now);
        if (it->second.empty()) {
            gone.push_back(it->first);
            it = table_.erase(it);
        } else {
            ++it;
        }
    }
    return gone;
}

} // namespace suflyor::sip
