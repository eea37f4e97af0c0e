#pragma once
// SIP trunks: which source addresses count as which provider, and which dialled number (DID)
// reaches which project. Requests from a trunk's sources are not challenged (providers do not
// answer challenges); every other source must authenticate, and nothing but a trunk may reach an
// external number (no toll fraud).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sip {

// An IPv4/IPv6 address range ("192.0.2.0/24", "2001:db8::/32", or a single address).
class AddressRange {
public:
    static std::optional<AddressRange> parse(std::string_view text);
    [[nodiscard]] bool contains(std::string_view ip) const;

private:
    int family_{0};
    std::array<std::uint8_t, 16> bytes_{};
    int prefix_{0};
};

struct Trunk {
    std::string name;
    std::int64_t account_id{0};
    std::string peer;      // host:port of the provider (where outbound calls go)
    std::string transport; // udp | tcp | tls
    std::vector<AddressRange> sources;
    std::string caller_id;
    std::map<std::string, std::string> dids; // dialled number -> project name (configuration)
    std::map<std::string, std::int64_t> did_projects; // dialled number -> project id (database)
    bool register_outbound{false}; // keep registered at the provider (with these:)
    std::string username;
    std::string password;
    std::int64_t id{0}; // the database trunk's id; 0 for a trunk of the configuration file

    // Names the trunk across table rebuilds: "db:<id>" or "config:<name>".
    [[nodiscard]] std::string key() const {
        return id != 0 ? "db:" + std::to_string(id) : "config:" + name;
    }
};

// The trunks in force. The control loop owns it and swaps its content when trunks change
// (replace): the pointers it hands out are valid until then, so nobody keeps one beyond the
// request at hand (a call copies what it needs into its CallPlan).
class TrunkTable {
public:
    explicit TrunkTable(std::vector<Trunk> trunks) : trunks_(std::move(trunks)) {}
    void replace(std::vector<Trunk> trunks) { trunks_ = std::move(trunks); }
    // The trunk whose sources include `ip`, if any (the first configured wins).
    [[nodiscard]] const Trunk* by_source(std::string_view ip) const;
    [[nodiscard]] const Trunk* by_name(std::string_view name) const;
    [[nodiscard]] const std::vector<Trunk>& all() const { return trunks_; }

private:
    std::vector<Trunk> trunks_;
};

// The dialled number of a request URI user part: digits only, a leading '+' dropped
// ("+7 (495) 000-00-01" → "74950000001"); empty when it is not a phone number.
std::string normalize_number(std::string_view user);

} // namespace suflyor::sip
