// The OpenAPI document describes exactly the routes the API serves: every router route is a
// documented path + method, and every documented /api/v1 path is routed (the WebSocket, healthz
// and metrics are served by the HTTP server itself).
#include "api/api.hpp"
#include "api/openapi.hpp"
#include "unit/common/api_domain.hpp"

#include <gtest/gtest.h>

#include <set>

namespace suflyor::api {
namespace {

TEST(OpenApi, TheDocumentNamesEveryRouteAndNothingElse) {
    // The routes are only listed here, never run.
    test::ApiDomainParts<test::NoEvents> domain;
    const Api api(test::run_at_once, domain.api_domain(), ApiSettings{}, domain.metrics);

    const auto document = nlohmann::json::parse(openapi_document());
    EXPECT_EQ(document["openapi"], "3.0.3");
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto& [path, operations] : document["paths"].items())
        for (const auto& [method, operation] : operations.items()) {
            std::string upper = method;
            for (auto& c : upper)
                c = static_cast<char>(std::toupper(c));
            documented.emplace(upper, path);
            EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
        }
    std::set<std::pair<std::string, std::string>> routed;
    for (const auto& route : api.router().routes())
        routed.emplace(route.method, route.pattern);
    for (const auto& route : routed)
        EXPECT_TRUE(documented.contains(route)) << route.first << " " << route.second;
    // Served by the HTTP server itself, not the router.
    const std::set<std::string> by_server{"/api/v1/events", "/healthz", "/metrics"};
    for (const auto& entry : documented) {
        if (!by_server.contains(entry.second)) {
            EXPECT_TRUE(routed.contains(entry)) << entry.first << " " << entry.second;
        }
    }
    EXPECT_GE(routed.size(), 28u);
}

} // namespace
} // namespace suflyor::api
