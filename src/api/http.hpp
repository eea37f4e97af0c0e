#pragma once
// The HTTP edge's vocabulary: a request as the routes see it (already bounded and decoded by the
// server), the response they return, the refusals they throw, the router that maps method + path
// pattern to a handler, and the strict JSON body reader every route uses for its input.
// Handlers run on civetweb's threads; they reach the domain only through the control loop.
#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suflyor::api {

struct Request {
    std::string method;                         // "GET", "POST", ...
    std::string path;                           // decoded, without the query: "/api/v1/calls/12"
    std::map<std::string, std::string> params;  // path parameters by name: {"id": "12"}
    std::map<std::string, std::string> query;   // decoded query parameters (last one wins)
    std::map<std::string, std::string> headers; // lower-case names: "authorization", "range", ...
    std::string body;                           // at most HttpSettings::max_body_bytes
    std::string remote_ip;

    [[nodiscard]] std::string header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// A file the server sends itself (with Range support: 206 / 416, Accept-Ranges, ETag).
struct FileBody {
    std::filesystem::path path;
    std::string mime;          // "audio/wav"
    std::string download_name; // Content-Disposition: attachment; filename="..."
};

struct Response {
    int status{200};
    nlohmann::json json;          // written as application/json unless null (then no body)
    std::optional<FileBody> file; // instead of json
    std::vector<std::pair<std::string, std::string>> headers;

    static Response ok(nlohmann::json body) { return {200, std::move(body), {}, {}}; }
    static Response created(nlohmann::json body) { return {201, std::move(body), {}, {}}; }
    static Response no_content() { return {204, nullptr, {}, {}}; }
};

// A refusal with its HTTP status and the contract's snake_case code; `details` are merged into
// the error object: {"error":{"code":..,"message":..,<details>}}.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message,
             nlohmann::json details = nlohmann::json::object())
        : std::runtime_error(message), status_(status), code_(std::move(code)),
          details_(std::move(details)) {}
    [[nodiscard]] int status() const { return status_; }
    [[nodiscard]] const std::string& code() const { return code_; }
    [[nodiscard]] const nlohmann::json& details() const { return details_; }

private:
    int status_;
    std::string code_;
    nlohmann::json details_;
};

// The status of a domain refusal (SPEC §10): forbidden 403, feature_not_connected 403,
// not_found 404, already_monitored 409, no_supervisor_device 409, browser_not_registered 409,
// conflict 409, call_ended 410, invalid_argument 400, storage/internal 500 (logged, message not
// leaked).
int status_of(core::ErrorCode code);
// {"error":{"code":..,"message":..}} for any exception a handler let through.
Response error_response(const ApiError& error);
Response error_response(const core::Error& error);

using Handler = std::function<Response(const Request&)>;

// Who may call a route: `user` routes need a valid bearer token; `open` ones check their own
// credentials, if any (login, the OpenAPI document, the platform operator's token).
enum class Access { user, open };

class Router {
public:
    // `pattern` is a path with `{name}` segments: "/api/v1/calls/{id}/monitor". Matching is by
    // whole segments; a literal segment wins over a parameter.
    void add(const std::string& method, const std::string& pattern, Handler handler,
             Access access = Access::user);

    // Checks a request's credentials; throws ApiError (401) when they are missing or invalid.
    using Gate = std::function<void(const Request&)>;
    // Authentication comes before validation: when a `user` route refuses a request with anything
    // but 401 (a bad id, body or media type), the gate is asked first, so a caller without valid
    // credentials only ever learns 401. A successful request pays for no extra check: its handler
    // authenticated it already.
    void set_gate(Gate gate) { gate_ = std::move(gate); }

    // Finds the route, fills request.params and runs the handler. Unknown path: 404 not_found;
    // known path, other method: 405 method_not_allowed with an Allow header. ApiError and
    // core::Error become their error responses; any other exception is logged and becomes 500
    // internal (never a crash).
    Response dispatch(Request& request) const;

    struct Route {
        std::string method;
        std::string pattern;
    };
    [[nodiscard]] std::vector<Route> routes() const; // for the OpenAPI coverage test

private:
    struct Entry {
        std::string method;
        std::vector<std::string> segments;
        std::string pattern;
        Handler handler;
        Access access;
    };
    // The refusal to send for `error` from `entry`: the gate's 401 when it refuses, else `error`.
    template <class E>
    Response refusal(const Entry& entry, const Request& request, const E& error) const;
    std::vector<Entry> entries_;
    Gate gate_;
};

// A positive decimal id from the path ("{id}"); anything else is 404 not_found (a malformed id
// names no object, exactly like a foreign one).
std::int64_t id_param(const Request& request, const std::string& name = "id");

// Strict reader of a JSON object body. Refusals: 415 unsupported_media_type (Content-Type not
// application/json), 400 malformed_json, 400 invalid_body (not an object), 400 unknown_field
// (a field outside `allowed`, named in details.field), 400 missing_field, 400 invalid_type,
// 400 invalid_value (too long, out of range, not one of the choices) — each naming the field.
class JsonBody {
public:
    // An empty body is read as {} (for routes whose fields are all optional).
    static JsonBody parse(const Request& request, std::initializer_list<std::string_view> allowed);

    std::string string(std::string_view field, std::size_t max_length) const;
    std::optional<std::string> optional_string(std::string_view field,
                                               std::size_t max_length) const;
    // One of `choices` (e.g. {"listen","whisper","barge"}).
    std::string choice(std::string_view field,
                       std::initializer_list<std::string_view> choices) const;
    std::int64_t integer(std::string_view field, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> optional_integer(std::string_view field, std::int64_t min,
                                                 std::int64_t max) const;
    std::optional<bool> optional_boolean(std::string_view field) const;
    [[nodiscard]] const nlohmann::json& raw() const { return json_; }

private:
    explicit JsonBody(nlohmann::json json) : json_(std::move(json)) {}
    const nlohmann::json* find(std::string_view field) const;
    nlohmann::json json_;
};

} // namespace suflyor::api
