#pragma once
// The domain's vocabulary: entities of a call center and their states.
// Plain values; the rules that keep them consistent live in the services (center.hpp).
#include "core/clock.hpp"
#include "core/id.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::center {

using core::WallTime;

struct AccountTag;
struct UserTag;
struct ProjectTag;
struct CallTag;
struct MonitorSessionTag;
struct CommentTag;
struct AuditTag;
using AccountId = core::Id<AccountTag>;
using UserId = core::Id<UserTag>;
using ProjectId = core::Id<ProjectTag>;
using CallId = core::Id<CallTag>;
using MonitorSessionId = core::Id<MonitorSessionTag>;
using CommentId = core::Id<CommentTag>;
using AuditId = core::Id<AuditTag>;

enum class Role { creator, administrator, operator_ };
enum class Presence { offline, available, ringing, talking };
enum class CallDirection { inbound, outbound, internal };
enum class CallState { ringing, talking, ended };
enum class MonitorMode { listen, whisper, barge };
enum class FeatureState { none, requested, connected, disabled };
enum class Feature { whisper_listen };
// Which device rings for the user's calls and monitor joins: their SIP phone, or the web app's
// softphone (SIP over WebSocket from a signed-in browser tab).
enum class RingDevice { sip_phone, browser };

// Text forms are the API's and the database's. Parsing returns nullopt for unknown text.
std::string_view to_string(Role);
std::string_view to_string(Presence);
std::string_view to_string(CallDirection);
std::string_view to_string(CallState);
std::string_view to_string(MonitorMode);
std::string_view to_string(FeatureState);
std::string_view to_string(Feature);
std::string_view to_string(RingDevice);
std::optional<Role> parse_role(std::string_view);
std::optional<Presence> parse_presence(std::string_view);
std::optional<CallDirection> parse_call_direction(std::string_view);
std::optional<CallState> parse_call_state(std::string_view);
std::optional<MonitorMode> parse_monitor_mode(std::string_view);
std::optional<FeatureState> parse_feature_state(std::string_view);
std::optional<Feature> parse_feature(std::string_view);
std::optional<RingDevice> parse_ring_device(std::string_view);
const std::vector<Feature>& all_features();

// Creators and administrators supervise; operators talk to clients.
inline bool may_supervise(Role r) { return r == Role::creator || r == Role::administrator; }

struct Account {
    AccountId id{0};
    std::string name;
    std::string contact_email;
    std::string sip_domain; // also the SIP digest realm of its users
    WallTime created_at{};
    bool barge_enabled{true}; // supervisors may barge in (listen and whisper are not affected)
};

// Digest-authentication secrets for a SIP user: HA1 = H(user:realm:password), never the password.
struct SipCredentials {
    std::string user;
    std::string ha1_md5;
    std::string ha1_sha256;
};

struct User {
    UserId id{0};
    AccountId account_id{0};
    std::string name;
    std::string login;
    Role role{Role::operator_};
    std::string password_hash; // argon2id, libsodium's encoded form
    SipCredentials sip;
    Presence presence{Presence::offline};
    WallTime presence_since{};
    WallTime created_at{};
    RingDevice ring_device{RingDevice::sip_phone};
    // A deactivated employee keeps their history but cannot sign in, register or take calls.
    bool active{true};
    std::optional<WallTime> deactivated_at;
};

struct ProcessingResult {
    std::int64_t id{0};
    std::string label;
    // Retired results are no longer offered; calls that carry one keep it (and its label).
    bool retired{false};
};

struct Project {
    ProjectId id{0};
    AccountId account_id{0};
    std::string name;
    std::vector<UserId> operators;
    std::vector<ProcessingResult> results;         // the dispositions an operator may choose
    std::vector<ProcessingResult> retired_results; // no longer offered; past calls keep them
    WallTime created_at{};
    // An archived project takes no new calls (its numbers are not routed); its history stays.
    std::optional<WallTime> archived_at;
    [[nodiscard]] bool archived() const { return archived_at.has_value(); }
};

struct Call {
    CallId id{0};
    AccountId account_id{0};
    std::optional<ProjectId> project_id;
    std::optional<UserId> operator_id;
    std::string client_number;
    CallDirection direction{CallDirection::inbound};
    CallState state{CallState::ringing};
    WallTime created_at{};
    std::optional<WallTime> answered_at;
    std::optional<WallTime> ended_at;
    std::string end_reason;
    std::string recording_path;
    // Audio the recorder lost (it could not keep up, or a file failed): the recording is
    // incomplete when this is above zero. Set after the recording is finalized.
    std::int64_t recording_lost_ms{0};
    std::optional<std::int64_t> result_id; // a ProcessingResult of the project
    std::string result_note;
    std::optional<UserId> result_by;
    std::optional<WallTime> result_at;
};

struct ModeChange {
    MonitorMode mode{MonitorMode::listen};
    WallTime at{};
};

struct MonitorSession {
    MonitorSessionId id{0};
    AccountId account_id{0};
    CallId call_id{0};
    UserId supervisor_id{0};
    MonitorMode mode{MonitorMode::listen}; // the current (or last) mode
    std::vector<ModeChange> modes;         // every mode in order, the first at start
    WallTime started_at{};
    std::optional<WallTime> ended_at;
    std::string end_reason;
    [[nodiscard]] bool open() const { return !ended_at.has_value(); }
};

struct Comment {
    CommentId id{0};
    CallId call_id{0};
    UserId author_id{0};
    std::string text;
    std::int64_t offset_ms{0}; // position in the call (from answer) the comment refers to
    bool dictated{false};
    WallTime created_at{};
};

struct SavedCall {
    UserId user_id{0};
    CallId call_id{0};
    WallTime saved_at{};
};

struct FeatureStatus {
    AccountId account_id{0};
    Feature feature{Feature::whisper_listen};
    FeatureState state{FeatureState::none};
    std::optional<WallTime> requested_at;
    std::optional<WallTime> connected_at;
    std::optional<WallTime> disabled_at;
    // Where the connection mail goes: the address given with the latest request (SPEC §7
    // «указанный при подключении»); empty when none was given (then the account's contact email).
    std::string contact_email;
};

// Who did something: a user of the account, or the system/CLI/platform admin by name.
struct Actor {
    std::optional<UserId> user_id;
    std::string label; // login, "cli", "system", "platform-admin:<name>"
};

struct AuditEntry {
    AuditId id{0};
    std::optional<AccountId> account_id;
    Actor actor;
    std::string action;      // e.g. "user.create", "monitor.start"
    std::string object_type; // e.g. "user", "call"
    std::string object_id;
    std::string details; // JSON object text
    WallTime at{};
};

} // namespace suflyor::center
