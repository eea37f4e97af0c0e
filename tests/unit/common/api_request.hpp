#pragma once
// A request as the HTTP server hands it to the API's router, for unit tests that dispatch
// straight to the router.
#include "api/api.hpp"

#include <string>

namespace suflyor::test {

// From 192.0.2.1; `body` as JSON when given; `token` as the bearer token when given.
inline api::Request api_request(const std::string& method, const std::string& path,
                                const std::string& token = {}, const std::string& body = {}) {
    api::Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.remote_ip = "192.0.2.1";
    if (!body.empty()) r.headers["content-type"] = "application/json";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return r;
}

} // namespace suflyor::test
