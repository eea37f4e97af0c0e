#pragma once
// Outbound registration of trunks that ask for it (`register = true`): libre's sipreg keeps each
// such trunk registered at its provider, answering the provider's digest challenges with the
// trunk's credentials — the only peers we ever answer a challenge from are configured trunks.
#include "sip/trunks.hpp"

#include <memory>
#include <string_view>
#include <vector>

struct sip;

namespace suflyor::sip {

class TrunkRegistrations {
public:
    TrunkRegistrations(::sip* stack, const TrunkTable& trunks, std::string_view domain);
    ~TrunkRegistrations();
    TrunkRegistrations(const TrunkRegistrations&) = delete;
    TrunkRegistrations& operator=(const TrunkRegistrations&) = delete;

    // Whether the named trunk's last registration succeeded (false for trunks that don't register).
    [[nodiscard]] bool registered(std::string_view trunk) const;

    struct Registration;

private:
    std::vector<std::unique_ptr<Registration>> registrations_;
};

} // namespace suflyor::sip
