// The API's self-description.
#include "api/context.hpp"
#include "api/openapi.hpp"

namespace suflyor::api {

void add_meta_routes(Router& router, Api::State&) {
    router.add(
        "GET", "/api/v1/openapi.json",
        [](const Request&) { return Response::ok(nlohmann::json::parse(openapi_document())); },
        Access::open);
}

} // namespace suflyor::api
