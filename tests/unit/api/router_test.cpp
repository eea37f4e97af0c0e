#include "api/http.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace suflyor::api {
namespace {

Response echo(const std::string& name, const Request& request) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [key, value] : request.params)
        params[key] = value;
    return Response::ok({{"route", name}, {"params", params}});
}

Router make_router() {
    Router router;
    router.add("GET", "/api/v1/calls", [](const Request& r) { return echo("list", r); });
    router.add("GET", "/api/v1/calls/{id}", [](const Request& r) { return echo("card", r); });
    router.add("GET", "/api/v1/calls/active", [](const Request& r) { return echo("active", r); });
    router.add("POST", "/api/v1/calls/{id}/monitor",
               [](const Request& r) { return echo("monitor", r); });
    router.add("DELETE", "/api/v1/calls/{id}/monitor",
               [](const Request& r) { return echo("stop", r); });
    router.add("PUT", "/api/v1/calls/{call}/comments/{comment}",
               [](const Request& r) { return echo("comment", r); });
    return router;
}

struct RouteCase {
    const char* method;
    const char* path;
    int status;
    const char* route; // expected handler, or the error code
    nlohmann::json params;
    const char* allow; // expected Allow header on 405
};

TEST(Router, MatchesWholeSegmentsLiteralsFirst) {
    const Router router = make_router();
    const RouteCase cases[] = {
        {"GET", "/api/v1/calls", 200, "list", nlohmann::json::object(), ""},
        {"GET", "/api/v1/calls/12", 200, "card", {{"id", "12"}}, ""},
        {"GET", "/api/v1/calls/active", 200, "active", nlohmann::json::object(), ""},
        {"POST", "/api/v1/calls/7/monitor", 200, "monitor", {{"id", "7"}}, ""},
        {"DELETE", "/api/v1/calls/7/monitor", 200, "stop", {{"id", "7"}}, ""},
        {"PUT",
         "/api/v1/calls/3/comments/9",
         200,
         "comment",
         {{"call", "3"}, {"comment", "9"}},
         ""},
        // A param matches the literal's text too when the method only fits the param route.
        {"POST", "/api/v1/calls/active/monitor", 200, "monitor", {{"id", "active"}}, ""},
        {"GET", "/api/v1/call", 404, "not_found", nullptr, ""},
        {"GET", "/api/v1/calls/12/extra", 404, "not_found", nullptr, ""},
        {"GET", "/api/v1/calls/", 404, "not_found", nullptr, ""}, // empty segment is no id
        {"GET", "/api/v1/calls//monitor", 404, "not_found", nullptr, ""},
        {"GET", "/api/v1/CALLS", 404, "not_found", nullptr, ""},
        {"POST", "/api/v1/calls", 405, "method_not_allowed", nullptr, "GET"},
        {"GET", "/api/v1/calls/7/monitor", 405, "method_not_allowed", nullptr, "DELETE, POST"},
        {"PATCH", "/api/v1/calls/active", 405, "method_not_allowed", nullptr, "GET"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.method) + " " + c.path);
        Request request;
        request.method = c.method;
        request.path = c.path;
        const Response response = router.dispatch(request);
        EXPECT_EQ(response.status, c.status);
        if (c.status == 200) {
            EXPECT_EQ(response.json["route"], c.route);
            EXPECT_EQ(response.json["params"], c.params);
        } else {
            EXPECT_EQ(response.json["error"]["code"], c.route);
            EXPECT_TRUE(response.json["error"]["message"].is_string());
            std::string allow;
            for (const auto& [name, value] : response.headers) {
                if (name == "Allow") allow = value;
            }
            EXPECT_EQ(allow, c.allow);
        }
    }
}

TEST(Router, ListsRoutesInOrder) {
    const auto routes = make_router().routes();
    ASSERT_EQ(routes.size(), 6U);
    EXPECT_EQ(routes[0].method, "GET");
    EXPECT_EQ(routes[0].pattern, "/api/v1/calls");
    EXPECT_EQ(routes[3].method, "POST");
    EXPECT_EQ(routes[3].pattern, "/api/v1/calls/{id}/monitor");
}

TEST(Router, TurnsExceptionsIntoErrorResponses) {
    struct Case {
        std::function<void()> raise;
        int status;
        const char* code;
        const char* message;
    };
    using core::ErrorCode;
    const Case cases[] = {
        {[] {
             throw ApiError(409, "already_monitored", "taken", {{"by", "Ann"}});
         },
         409, "already_monitored", "taken"},
        {[] { core::fail(ErrorCode::invalid_argument, "bad mode"); }, 400, "invalid_argument",
         "bad mode"},
        {[] { core::fail(ErrorCode::forbidden, "role"); }, 403, "forbidden", "role"},
        {[] { core::fail(ErrorCode::feature_not_connected, "off"); }, 403, "feature_not_connected",
         "off"},
        {[] { core::fail(ErrorCode::not_found, "no call"); }, 404, "not_found", "no call"},
        {[] { core::fail(ErrorCode::conflict, "state"); }, 409, "conflict", "state"},
        {[] { core::fail(ErrorCode::already_monitored, "Bob"); }, 409, "already_monitored", "Bob"},
        {[] { core::fail(ErrorCode::no_supervisor_device, "none"); }, 409, "no_supervisor_device",
         "none"},
        {[] { core::fail(ErrorCode::call_ended, "gone"); }, 410, "call_ended", "gone"},
        {[] { core::fail(ErrorCode::storage, "disk I/O error at /var/db"); }, 500, "internal",
         "internal error"},
        {[] { core::fail(ErrorCode::internal, "secret detail"); }, 500, "internal",
         "internal error"},
        {[] { throw std::runtime_error("secret detail"); }, 500, "internal", "internal error"},
        {[] { throw 42; }, 500, "internal", "internal error"},
        {[] { (void)nlohmann::json::object().at("missing"); }, 500, "internal", "internal error"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        Router router;
        router.add("GET", "/x", [&c](const Request&) -> Response {
            c.raise();
            return Response::no_content();
        });
        Request request{"GET", "/x"};
        const Response response = router.dispatch(request);
        EXPECT_EQ(response.status, c.status);
        EXPECT_EQ(response.json["error"]["code"], c.code);
        EXPECT_EQ(response.json["error"]["message"], c.message);
    }
}

TEST(Router, MergesDetailsIntoTheErrorObject) {
    const Response response =
        error_response(ApiError(409, "already_monitored", "taken", {{"by", {{"id", 4}}}}));
    EXPECT_EQ(response.status, 409);
    EXPECT_EQ(response.json, nlohmann::json::parse(R"({"error":{"code":"already_monitored",
        "message":"taken","by":{"id":4}}})"));
}

TEST(Router, StatusOfEveryDomainCode) {
    using core::ErrorCode;
    const std::pair<ErrorCode, int> table[] = {
        {ErrorCode::invalid_argument, 400},
        {ErrorCode::not_found, 404},
        {ErrorCode::conflict, 409},
        {ErrorCode::forbidden, 403},
        {ErrorCode::feature_not_connected, 403},
        {ErrorCode::already_monitored, 409},
        {ErrorCode::call_ended, 410},
        {ErrorCode::no_supervisor_device, 409},
        {ErrorCode::browser_not_registered, 409},
        {ErrorCode::storage, 500},
        {ErrorCode::internal, 500},
        {ErrorCode::unavailable, 503},
    };
    for (const auto& [code, status] : table)
        EXPECT_EQ(status_of(code), status);
}

TEST(IdParam, AcceptsOnlyPositiveDecimalIds) {
    const std::pair<const char*, std::int64_t> good[] = {
        {"1", 1}, {"12", 12}, {"9223372036854775807", 9223372036854775807LL}};
    for (const auto& [text, value] : good) {
        Request request;
        request.params["id"] = text;
        EXPECT_EQ(id_param(request), value) << text;
    }
    for (const char* text : {"", "0", "-1", "+1", "01", "1a", "a1", " 1", "1 ", "1.0", "0x10",
                             "9223372036854775808", "99999999999999999999"}) {
        Request request;
        request.params["id"] = text;
        try {
            id_param(request);
            ADD_FAILURE() << "accepted " << text;
        } catch (const ApiError& error) {
            EXPECT_EQ(error.status(), 404) << text;
            EXPECT_EQ(error.code(), "not_found") << text;
        }
    }
    Request other;
    other.params["session_id"] = "5";
    EXPECT_EQ(id_param(other, "session_id"), 5);
    EXPECT_THROW(id_param(other), ApiError); // no "id" parameter at all
}

} // namespace
} // namespace suflyor::api
