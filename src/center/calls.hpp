#pragma once
// Calls and their cards: lifecycle (ringing → talking → ended), processing results, comments,
// saved calls, and the monitor-session ledger. Every lookup is scoped to the caller's account:
// another account's call is reported as not found.
#include "center/audit.hpp"
#include "center/events.hpp"
#include "center/model.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::center {

// The supervisor's own track beside a call's stereo recording ("call-7.wav" ->
// "call-7-supervisor.wav"): whisper never enters the client-facing stereo file.
std::filesystem::path supervisor_track_path(const std::filesystem::path& stereo_path);

struct NewCall {
    AccountId account_id{0};
    std::optional<ProjectId> project_id;
    std::optional<UserId> operator_id;
    std::string client_number;
    CallDirection direction{CallDirection::inbound};
};

class CallLog {
public:
    CallLog(store::Store& store, const core::Clock& clock)
        : store_(store), clock_(clock), audit_(store, clock) {}

    // Lifecycle, driven by the SIP side. Presence of the operator follows the call.
    Call open(const NewCall& spec);
    // The call now rings `op` (hunting moves it from one operator to the next): the previous
    // ringing operator is available again, `op` is ringing.
    Call offer_to(CallId id, UserId op);
    // The recording's path (if any) is stored in the same transaction.
    Call answer(CallId id, const std::string& recording_path = {});
    // Ends the call; an open monitor session on it is closed with reason "call_ended".
    Call end(CallId id, const std::string& reason);
    void set_recording(CallId id, const std::string& path);
    // The recorder lost `lost_ms` of the call's audio (it could not keep up with the disk, or a
    // file failed): marks the recording incomplete, adding to what was marked before (audited).
    // Not announced as a call.* state event: the caller publishes call.recording_incomplete.
    Call mark_recording_incomplete(CallId id, std::int64_t lost_ms);
    // At start-up: ends every call a previous run left ringing or talking (it crashed, or was
    // killed) with `reason`, at `ended_at(call)` — clamped to the call's own times and to now —
    // and closes its open monitor session with the same reason (audited). Presence is left to
    // Directory::everyone_offline. Returns the calls as ended.
    std::vector<Call> end_left_open(const std::string& reason,
                                    const std::function<WallTime(const Call&)>& ended_at);

    // Card actions by a user of the call's account.
    Call find_for(const User& viewer, CallId id); // not_found for another account's call
    Call set_result(const User& by, CallId id, std::int64_t result_id, const std::string& note);
    Comment add_comment(const User& by, CallId id, const std::string& text,
                        std::optional<std::int64_t> offset_ms, bool dictated);
    std::vector<Comment> comments(const User& viewer, CallId id);
    void save(const User& by, CallId id);
    void unsave(const User& by, CallId id);
    std::vector<SavedCall> saved(const User& viewer);

    void set_listener(DomainListener* listener) { listener_ = listener; }

private:
    Call get(CallId id);
    // Sets the user's presence (inside the caller's transaction) and remembers to announce it.
    void set_presence_of(std::optional<UserId> user, Presence presence,
                         std::vector<UserId>& changed);
    // After the transaction: the call and the presences that changed.
    void announce(const Call& call, const std::vector<UserId>& changed);
    DomainListener* listener_{nullptr};
    store::Store& store_;
    const core::Clock& clock_;
    AuditTrail audit_;
};

// Who supervises which call. Holds the invariants of monitoring that are facts about the data:
// at most one open session per call (and a unique index behind it), only on a talking call of the
// supervisor's own account, only by a creator or administrator, never by a party of the call.
// The full decision (feature connected, a device to ring, ...) is the monitor service's.
class MonitorLedger {
public:
    MonitorLedger(store::Store& store, const core::Clock& clock)
        : store_(store), clock_(clock), audit_(store, clock) {}

    MonitorSession open(const User& supervisor, CallId call, MonitorMode mode);
    MonitorSession switch_mode(const User& by, MonitorSessionId id, MonitorMode mode);
    MonitorSession close(const Actor& by, MonitorSessionId id, const std::string& reason);
    std::optional<MonitorSession> open_for_call(CallId call);

private:
    store::Store& store_;
    const core::Clock& clock_;
    AuditTrail audit_;
};

} // namespace suflyor::center
