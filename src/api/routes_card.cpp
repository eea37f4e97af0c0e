// The call card's actions (SPEC §6): comments, the processing result, saving the card, and the
// calls placed from it (the client, or the employee for an internal talk).
#include "api/context.hpp"
#include "api/dto.hpp"

namespace suflyor::api {

void add_card_routes(Router& router, Api::State& s) {
    router.add("GET", "/api/v1/calls/{id}/comments", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            const auto call = visible_call(s, me, id);
            nlohmann::json comments = nlohmann::json::array();
            for (const auto& c : s.domain.calls.comments(me, call.id))
                comments.push_back(comment_json(s.domain.store, c));
            return Response::ok({{"comments", comments}});
        });
    });
    router.add("POST", "/api/v1/calls/{id}/comments", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto body = JsonBody::parse(r, {"text", "offset_ms", "dictated"});
        const auto text = body.string("text", 4000);
        const auto offset = body.optional_integer("offset_ms", 0, 366LL * 24 * 3600 * 1000);
        const bool dictated = body.optional_boolean("dictated").value_or(false);
        return s.as_user(r, [&](const center::User& me) {
            const auto call = visible_call(s, me, id);
            const auto comment = s.domain.calls.add_comment(me, call.id, text, offset, dictated);
            return Response::created(comment_json(s.domain.store, comment));
        });
    });
    router.add("PUT", "/api/v1/calls/{id}/result", [&s](const Request& r) {
        const auto id = id_param(r);
        const auto body = JsonBody::parse(r, {"result_id", "note"});
        const auto result_id = body.integer("result_id", 1, INT64_MAX);
        const auto note = body.optional_string("note", 4000).value_or("");
        return s.as_user(r, [&](const center::User& me) {
            const auto call = visible_call(s, me, id);
            const auto updated = s.domain.calls.set_result(me, call.id, result_id, note);
            // Supervisors with the card open see the result at once (docs/events.md).
            s.domain.events.publish("card.result", me.account_id,
                                    {{"call_id", updated.id.value()},
                                     {"result", result_json(s.domain.store, updated)}});
            return Response::ok(call_json(s.domain.store, updated));
        });
    });
    router.add("PUT", "/api/v1/calls/{id}/saved", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            s.domain.calls.save(me, visible_call(s, me, id).id);
            return Response::no_content();
        });
    });
    router.add("DELETE", "/api/v1/calls/{id}/saved", [&s](const Request& r) {
        const auto id = id_param(r);
        return s.as_user(r, [&](const center::User& me) {
            s.domain.calls.unsave(me, visible_call(s, me, id).id);
            return Response::no_content();
        });
    });
    router.add("GET", "/api/v1/saved-calls", [&s](const Request& r) {
        return s.read_as_user(r, [&](store::Store& store, const center::User& me) {
            nlohmann::json calls = nlohmann::json::array();
            for (const auto& saved : store.saved_calls().list(me.id)) {
                const auto call = store.calls().find(saved.call_id);
                if (!call) continue;
                auto entry = call_json(store, *call);
                entry["saved_at"] = time_json(saved.saved_at);
                calls.push_back(entry);
            }
            return Response::ok({{"calls", calls}});
        });
    });
    router.add("POST", "/api/v1/calls/{id}/call-client", [&s](const Request& r) {
        const auto id = id_param(r);
        JsonBody::parse(r, {}); // no fields; a body, if any, must be an empty object
        return s.as_user(r, [&](const center::User& me) {
            require_supervisor(me);
            const auto call = visible_call(s, me, id);
            const auto placed = s.domain.telephony.call_client(me, call);
            return Response::created({{"call_id", placed.value()}});
        });
    });
    router.add("POST", "/api/v1/employees/{id}/call", [&s](const Request& r) {
        const auto id = id_param(r);
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            const auto employee = visible_employee(s, me, id);
            if (employee.id == me.id) refuse(409, "conflict", "you cannot call yourself");
            const auto placed = s.domain.telephony.call_employee(me, employee);
            return Response::created({{"call_id", placed.value()}});
        });
    });
}

} // namespace suflyor::api
