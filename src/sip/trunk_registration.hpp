#pragma once
// Outbound registration of trunks that ask for it (`register = true`): libre's sipreg keeps each
// such trunk registered at its provider, answering the provider's digest challenges with the
// trunk's credentials — the only peers we ever answer a challenge from are our trunks.
// Trunks change while the server runs (the web UI edits them): sync() starts, stops or restarts
// registrations to match the table. Each registration keeps its own copy of its trunk.
#include "sip/trunks.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sip;

namespace suflyor::sip {

struct TrunkRegistrationState {
    bool registered{false};
    bool answered{false}; // the provider (or the transport) answered at least once
    std::string reason;   // of the latest failure ("401 Unauthorized", "Connection refused")
};

class TrunkRegistrations {
public:
    TrunkRegistrations(::sip* stack, const TrunkTable& trunks, std::string_view domain);
    ~TrunkRegistrations();
    TrunkRegistrations(const TrunkRegistrations&) = delete;
    TrunkRegistrations& operator=(const TrunkRegistrations&) = delete;

    // Matches the registrations to `trunks`: a trunk that no longer registers (or is gone) is
    // unregistered, a new one registers, a changed one (peer, transport, credentials) starts over.
    void sync(const TrunkTable& trunks);

    // Whether the named trunk's last registration succeeded (false for trunks that don't register).
    [[nodiscard]] bool registered(std::string_view trunk) const;
    // The registration of the trunk with this key (Trunk::key()); nullopt when it does not
    // register.
    [[nodiscard]] std::optional<TrunkRegistrationState> state(const std::string& key) const;

    struct Registration;

private:
    void start(const Trunk& trunk);
    ::sip* stack_;
    std::map<std::string, std::unique_ptr<Registration>> registrations_; // by Trunk::key()
};

} // namespace suflyor::sip
