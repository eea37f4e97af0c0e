#include "center/calls.hpp"

#include "center/validation.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <limits>

namespace suflyor::center {

std::filesystem::path supervisor_track_path(const std::filesystem::path& stereo_path) {
    auto path = stereo_path;
    path.replace_filename(stereo_path.stem().string() + "-supervisor" +
                          stereo_path.extension().string());
    return path;
}

using core::ErrorCode;
using core::fail;

void CallLog::set_presence_of(std::optional<UserId> user, Presence presence,
                              std::vector<UserId>& changed) {
    if (!user) return;
    auto u = store_.users().find(*user);
    if (u && u->presence != presence) {
        store_.users().update_presence(*user, presence, clock_.wall_now());
        changed.push_back(*user);
    }
}

void CallLog::announce(const Call& call, const std::vector<UserId>& changed) {
    if (listener_ == nullptr) return;
    listener_->call_changed(call);
    for (const auto user : changed)
        listener_->presence_changed(user);
}

Call CallLog::get(CallId id) {
    auto c = store_.calls().find(id);
    if (!c) fail(ErrorCode::not_found, "call " + id.str() + " not found");
    return *c;
}

Call CallLog::open(const NewCall& spec) {
    Call c;
    std::vector<UserId> changed;
    c.account_id = spec.account_id;
    c.project_id = spec.project_id;
    c.operator_id = spec.operator_id;
    c.client_number = spec.client_number;
    c.direction = spec.direction;
    c.state = CallState::ringing;
    c.created_at = clock_.wall_now();
    store_.transaction([&] {
        if (c.operator_id) {
            auto op = store_.users().find(*c.operator_id);
            if (!op || op->account_id != c.account_id)
                fail(ErrorCode::not_found, "operator not found");
        }
        if (c.project_id) {
            auto p = store_.projects().find(*c.project_id);
            if (!p || p->account_id != c.account_id)
                fail(ErrorCode::not_found, "project not found");
        }
        c.id = store_.calls().insert(c);
        set_presence_of(c.operator_id, Presence::ringing, changed);
    });
    announce(c, changed);
    return c;
}

Call CallLog::offer_to(CallId id, UserId op) {
    Call c;
    std::vector<UserId> changed;
    bool unchanged = false;
    store_.transaction([&] {
        c = get(id);
        if (c.state != CallState::ringing)
            fail(ErrorCode::conflict,
                 "call " + id.str() + " is " + std::string(to_string(c.state)));
        if (c.operator_id == op) { // opened for this operator: already ringing them
            unchanged = true;
            return;
        }
        const auto user = store_.users().find(op);
        if (!user || user->account_id != c.account_id)
            fail(ErrorCode::not_found, "operator not found");
        if (c.operator_id) set_presence_of(c.operator_id, Presence::available, changed);
        c.operator_id = op;
        store_.calls().update(c);
        set_presence_of(c.operator_id, Presence::ringing, changed);
    });
    if (!unchanged) announce(c, changed);
    return c;
}

Call CallLog::answer(CallId id, const std::string& recording_path) {
    Call c;
    std::vector<UserId> changed;
    store_.transaction([&] {
        c = get(id);
        if (c.state != CallState::ringing)
            fail(ErrorCode::conflict,
                 "call " + id.str() + " is " + std::string(to_string(c.state)));
        c.state = CallState::talking;
        c.answered_at = clock_.wall_now();
        if (!recording_path.empty()) c.recording_path = recording_path;
        store_.calls().update(c);
        set_presence_of(c.operator_id, Presence::talking, changed);
    });
    announce(c, changed);
    return c;
}

Call CallLog::end(CallId id, const std::string& reason) {
    Call c;
    std::vector<UserId> changed;
    bool already_ended = false;
    store_.transaction([&] {
        c = get(id);
        if (c.state == CallState::ended) { // BYE and timeout may race: ending twice is fine
            already_ended = true;
            return;
        }
        const auto now = clock_.wall_now();
        c.state = CallState::ended;
        c.ended_at = now;
        c.end_reason = reason;
        store_.calls().update(c);
        if (auto session = store_.monitor_sessions().open_for_call(id)) {
            store_.monitor_sessions().close(session->id, now, "call_ended");
            audit_.record(c.account_id, system_actor("system"), "monitor.stop", "monitor_session",
                          session->id.str(), {{"call_id", id.value()}, {"reason", "call_ended"}});
        }
        set_presence_of(c.operator_id, Presence::available, changed);
    });
    if (!already_ended) announce(c, changed);
    return c;
}

std::vector<Call> CallLog::end_left_open(const std::string& reason,
                                         const std::function<WallTime(const Call&)>& ended_at) {
    std::vector<Call> ended;
    store_.transaction([&] {
        const auto now = clock_.wall_now();
        for (const auto& account : store_.accounts().list()) {
            store::CallQuery open;
            open.account_id = account.id;
            open.active_only = true;
            open.limit = std::numeric_limits<std::int64_t>::max();
            for (auto c : store_.calls().query(open)) {
                const auto earliest = c.answered_at.value_or(c.created_at);
                c.state = CallState::ended;
                c.ended_at = std::clamp(ended_at(c), earliest, std::max(earliest, now));
                c.end_reason = reason;
                store_.calls().update(c);
                if (auto session = store_.monitor_sessions().open_for_call(c.id)) {
                    store_.monitor_sessions().close(session->id, *c.ended_at, reason);
                    audit_.record(c.account_id, system_actor("system"), "monitor.stop",
                                  "monitor_session", session->id.str(),
                                  {{"call_id", c.id.value()}, {"reason", reason}});
                }
                ended.push_back(std::move(c));
            }
        }
    });
    for (const auto& c : ended)
        announce(c, {});
    return ended;
}

void CallLog::set_recording(CallId id, const std::string& path) {
    store_.transaction([&] {
        auto c = get(id);
        c.recording_path = path;
        store_.calls().update(c);
    });
}

Call CallLog::mark_recording_incomplete(CallId id, std::int64_t lost_ms) {
    Call c;
    store_.transaction([&] {
        c = get(id);
        const auto lost = std::max<std::int64_t>(1, lost_ms); // a failed file loses some
        c.recording_lost_ms += lost;
        store_.calls().update(c);
        audit_.record(c.account_id, system_actor("recorder"), "call.recording_incomplete", "call",
                      id.str(), {{"lost_ms", lost}});
    });
    return c;
}

Call CallLog::find_for(const User& viewer, CallId id) {
    auto c = store_.calls().find(id);
    if (!c || c->account_id != viewer.account_id)
        fail(ErrorCode::not_found, "call " + id.str() + " not found");
    return *c;
}

Call CallLog::set_result(const User& by, CallId id, std::int64_t result_id,
                         const std::string& note) {
    if (note.size() > 4000) fail(ErrorCode::invalid_argument, "note: longer than 4000 bytes");
    Call c;
    store_.transaction([&] {
        c = find_for(by, id);
        if (c.operator_id != by.id)
            fail(ErrorCode::forbidden, "only the call's operator records its processing result");
        if (c.state == CallState::ringing)
            fail(ErrorCode::conflict, "call " + id.str() + " was not answered yet");
        const auto chosen =
            c.project_id ? store_.projects().find_result(*c.project_id, result_id) : std::nullopt;
        if (!chosen)
            fail(ErrorCode::invalid_argument,
                 "result: " + std::to_string(result_id) + " is not a result of the call's project");
        // A retired result is not offered any more; a call that carries it may keep it (a note
        // can still be edited).
        if (chosen->retired && c.result_id != result_id)
            fail(ErrorCode::invalid_argument,
                 "result: '" + chosen->label + "' is retired and can no longer be chosen");
        c.result_id = result_id;
        c.result_note = note;
        c.result_by = by.id;
        c.result_at = clock_.wall_now();
        store_.calls().update(c);
        audit_.record(c.account_id, actor_of(by), "call.set_result", "call", id.str(),
                      {{"result_id", result_id}});
    });
    return c;
}

Comment CallLog::add_comment(const User& by, CallId id, const std::string& text,
                             std::optional<std::int64_t> offset_ms, bool dictated) {
    Comment comment;
    comment.text = validate::label("comment", text, 4000);
    if (offset_ms && *offset_ms < 0)
        fail(ErrorCode::invalid_argument, "offset: must not be negative");
    store_.transaction([&] {
        const auto c = find_for(by, id);
        const auto now = clock_.wall_now();
        comment.call_id = id;
        comment.author_id = by.id;
        comment.dictated = dictated;
        comment.created_at = now;
        // Without an explicit offset the comment refers to "now" in the conversation.
        const auto reference = c.ended_at.value_or(now);
        comment.offset_ms = offset_ms.value_or(
            c.answered_at ? std::max<std::int64_t>(0, (reference - *c.answered_at).count()) : 0);
        comment.id = store_.comments().insert(comment);
        audit_.record(c.account_id, actor_of(by), "call.comment", "call", id.str(),
                      {{"comment_id", comment.id.value()}});
    });
    return comment;
}

std::vector<Comment> CallLog::comments(const User& viewer, CallId id) {
    find_for(viewer, id);
    return store_.comments().list(id);
}

void CallLog::save(const User& by, CallId id) {
    store_.transaction([&] {
        find_for(by, id);
        store_.saved_calls().save(SavedCall{by.id, id, clock_.wall_now()});
    });
}

void CallLog::unsave(const User& by, CallId id) {
    store_.transaction([&] {
        find_for(by, id);
        store_.saved_calls().unsave(by.id, id);
    });
}

std::vector<SavedCall> CallLog::saved(const User& viewer) {
    return store_.saved_calls().list(viewer.id);
}

MonitorSession MonitorLedger::open(const User& supervisor, CallId call_id, MonitorMode mode) {
    if (!may_supervise(supervisor.role))
        fail(ErrorCode::forbidden,
             "only the account's creator or administrators may monitor calls");
    MonitorSession session;
    store_.transaction([&] {
        const auto call = store_.calls().find(call_id);
        if (!call || call->account_id != supervisor.account_id)
            fail(ErrorCode::not_found, "call " + call_id.str() + " not found");
        if (call->state == CallState::ended)
            fail(ErrorCode::call_ended, "call " + call_id.str() + " has ended");
        if (call->state != CallState::talking)
            fail(ErrorCode::conflict, "call " + call_id.str() + " is not answered yet");
        if (call->operator_id == supervisor.id)
            fail(ErrorCode::conflict, "a party of the call cannot monitor it");
        if (auto open = store_.monitor_sessions().open_for_call(call_id)) {
            const auto who = store_.users().find(open->supervisor_id);
            fail(ErrorCode::already_monitored, "call " + call_id.str() +
                                                   " is already monitored by " +
                                                   (who ? who->name : "someone"));
        }
        session.account_id = supervisor.account_id;
        session.call_id = call_id;
        session.supervisor_id = supervisor.id;
        session.mode = mode;
        session.started_at = clock_.wall_now();
        session.id = store_.monitor_sessions().insert(session);
        session.modes.push_back(ModeChange{mode, session.started_at});
        audit_.record(session.account_id, actor_of(supervisor), "monitor.start", "monitor_session",
                      session.id.str(), {{"call_id", call_id.value()}, {"mode", to_string(mode)}});
    });
    return session;
}

MonitorSession MonitorLedger::switch_mode(const User& by, MonitorSessionId id, MonitorMode mode) {
    MonitorSession session;
    store_.transaction([&] {
        auto found = store_.monitor_sessions().find(id);
        if (!found || found->account_id != by.account_id)
            fail(ErrorCode::not_found, "monitor session " + id.str() + " not found");
        if (found->supervisor_id != by.id)
            fail(ErrorCode::forbidden, "only the joined supervisor switches the mode");
        if (!found->open()) fail(ErrorCode::conflict, "monitor session " + id.str() + " has ended");
        if (found->mode != mode) {
            const ModeChange change{mode, clock_.wall_now()};
            store_.monitor_sessions().switch_mode(id, change);
            found->mode = mode;
            found->modes.push_back(change);
            audit_.record(found->account_id, actor_of(by), "monitor.switch", "monitor_session",
                          id.str(),
                          {{"call_id", found->call_id.value()}, {"mode", to_string(mode)}});
        }
        session = *found;
    });
    return session;
}

MonitorSession MonitorLedger::close(const Actor& by, MonitorSessionId id,
                                    const std::string& reason) {
    MonitorSession session;
    store_.transaction([&] {
        auto found = store_.monitor_sessions().find(id);
        if (!found) fail(ErrorCode::not_found, "monitor session " + id.str() + " not found");
        if (!found->open()) fail(ErrorCode::conflict, "monitor session " + id.str() + " has ended");
        const auto now = clock_.wall_now();
        store_.monitor_sessions().close(id, now, reason);
        found->ended_at = now;
        found->end_reason = reason;
        audit_.record(found->account_id, by, "monitor.stop", "monitor_session", id.str(),
                      {{"call_id", found->call_id.value()}, {"reason", reason}});
        session = *found;
    });
    return session;
}

std::optional<MonitorSession> MonitorLedger::open_for_call(CallId call) {
    return store_.monitor_sessions().open_for_call(call);
}

} // namespace suflyor::center
