#pragma once
// SIP trunks kept in the database (the web UI's "Trunks and numbers"): a provider's address, the
// source addresses its calls come from, and the dialled numbers (DIDs) that reach a project.
#include "center/model.hpp"

#include <string>
#include <vector>

namespace suflyor::center {

struct TrunkTag;
using TrunkId = core::Id<TrunkTag>;

struct TrunkRecord {
    TrunkId id{0};
    AccountId account_id{0};
    std::string name; // unique within the account
    std::string peer; // host:port of the provider
    std::string transport{"udp"};
    std::vector<std::string> sources; // IP addresses or CIDR ranges
    std::string caller_id;
    bool register_outbound{false};
    std::string username;
    // The registration password sealed with the server's secret key (center::SecretBox); never
    // the plain text, which only the live trunk table holds in memory.
    std::string sealed_password;
    WallTime created_at{};
};

// A dialled number (normalized, digits only) and the project it reaches; unique on the server.
struct TrunkNumber {
    std::string number;
    TrunkId trunk_id{0};
    ProjectId project_id{0};
};

} // namespace suflyor::center
