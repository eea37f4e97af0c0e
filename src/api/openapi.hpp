#pragma once
// The OpenAPI 3 document of every route (src/api/openapi.json, embedded at build time). A test
// checks that it names every route the router has, and nothing more.
#include <string_view>

namespace suflyor::api {

std::string_view openapi_document();

} // namespace suflyor::api
