#include "api/server.hpp"
#include "api/server_internal.hpp"
#include "support/http_clients.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace suflyor::api {
namespace {

namespace fs = std::filesystem;
using test::http;
using test::http_get;
using test::HttpCall;

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// 1000 bytes whose value is their offset modulo 251: any misplaced byte shows.
std::string recording_bytes() {
    std::string bytes;
    for (int i = 0; i < 1000; ++i)
        bytes += static_cast<char>(i % 251);
    return bytes;
}

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("suflyor-http-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_ / "web" / "assets");
        write_file(root_ / "web" / "index.html", "<!doctype html><title>Suflyor</title>");
        write_file(root_ / "web" / "assets" / "app.js", "console.log('app');");
        write_file(root_ / "secret.txt", "TOP-SECRET");
        fs::create_symlink(root_ / "secret.txt", root_ / "web" / "leak.txt");
        write_file(root_ / "recording.wav", recording_bytes());

        router_.add("GET", "/api/v1/ping", [](const Request&) {
            return Response::ok({{"pong", true}});
        });
        router_.add("GET", "/api/v1/echo/{id}", [](const Request& r) {
            nlohmann::json query = nlohmann::json::object();
            for (const auto& [k, v] : r.query)
                query[k] = v;
            return Response::ok({{"method", r.method},
                                 {"path", r.path},
                                 {"id", r.params.at("id")},
                                 {"query", query},
                                 {"custom", r.header("x-custom")},
                                 {"remote_ip", r.remote_ip}});
        });
        router_.add("POST", "/api/v1/items", [](const Request& r) {
            const auto body = JsonBody::parse(r, {"name", "count"});
            return Response::created(
                {{"name", body.string("name", 20)}, {"count", body.integer("count", 1, 10)}});
        });
        router_.add("POST", "/api/v1/size", [](const Request& r) {
            return Response::ok({{"size", r.body.size()}});
        });
        router_.add("DELETE", "/api/v1/items/{id}", [](const Request& r) {
            (void)id_param(r);
            return Response::no_content();
        });
        router_.add("GET", "/api/v1/recording", [this](const Request&) {
            Response response;
            response.file = FileBody{root_ / "recording.wav", "audio/wav", "call 12 «ок».wav"};
            return response;
        });
        router_.add("GET", "/api/v1/boom",
                    [](const Request&) -> Response { throw std::runtime_error("db password"); });
        start();
    }

    void TearDown() override {
        server_.reset();
        fs::remove_all(root_);
    }

    void start(fs::path static_dir = {}) {
        server_.reset();
        HttpSettings settings;
        settings.port = 0;
        settings.threads = 8;
        settings.max_body_bytes = 1024;
        settings.static_dir = static_dir.empty() ? root_ / "web" : static_dir;
        server_ = std::make_unique<HttpServer>(settings, router_, hub_, metrics_,
                                               [](const std::string&) { return std::nullopt; });
        ASSERT_NE(server_->port(), 0);
    }

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
    }

    fs::path root_;
    Router router_;
    EventHub hub_;
    Metrics metrics_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersJsonWithTheCommonHeaders) {
    const auto reply = http_get(url("/api/v1/ping"));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(nlohmann::json::parse(reply.body), nlohmann::json({{"pong", true}}));
    EXPECT_EQ(reply.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(reply.header("cache-control"), "no-store");
    EXPECT_EQ(reply.header("content-length"), std::to_string(reply.body.size()));
}

TEST_F(HttpServerTest, RoutesAndRefusesLikeTheRouter) {
    struct Case {
        const char* method;
        const char* path;
        long status;
        const char* code;
        const char* allow;
    };
    const Case cases[] = {
        {"GET", "/api/v1/nowhere", 404, "not_found", ""},
        {"GET", "/api/v1", 404, "not_found", ""},
        {"POST", "/api/v1/ping", 405, "method_not_allowed", "GET"},
        {"DELETE", "/api/v1/items/abc", 404, "not_found", ""},
        {"DELETE", "/api/v1/items/0", 404, "not_found", ""},
        {"GET", "/api/v1/boom", 500, "internal", ""},
        {"GET", "/api/v1/events", 426, "upgrade_required", ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.method) + " " + c.path);
        const auto reply = http({c.method, url(c.path)});
        EXPECT_EQ(reply.status, c.status);
        const auto body = nlohmann::json::parse(reply.body);
        EXPECT_EQ(body["error"]["code"], c.code);
        EXPECT_EQ(reply.header("allow"), c.allow);
        EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
    }
    const auto boom = nlohmann::json::parse(http_get(url("/api/v1/boom")).body);
    EXPECT_EQ(boom["error"]["message"], "internal error"); // the exception text is not leaked
    const auto deleted = http({"DELETE", url("/api/v1/items/7")});
    EXPECT_EQ(deleted.status, 204);
    EXPECT_EQ(deleted.body, "");
}

TEST_F(HttpServerTest, DecodesPathQueryAndHeaders) {
    const auto reply =
        http_get(url("/api/v1/echo/h%C3%A9?q=a%20b&x=1&x=2&plus=a+b&flag"), {"X-Custom: Yes"});
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(nlohmann::json::parse(reply.body), nlohmann::json::parse(R"({
        "method":"GET","path":"/api/v1/echo/hé","id":"hé",
        "query":{"q":"a b","x":"2","plus":"a b","flag":""},
        "custom":"Yes","remote_ip":"127.0.0.1"})"));
}

TEST_F(HttpServerTest, ReadsJsonBodiesStrictly) {
    struct Case {
        const char* name;
        std::string body;
        std::string content_type;
        long status;
        const char* code;
        const char* field;
    };
    const Case cases[] = {
        {"valid", R"({"name":"a","count":3})", "application/json; charset=utf-8", 201, "", ""},
        {"form", "name=a", "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
        {"malformed", R"({"name":)", "application/json", 400, "malformed_json", ""},
        {"not an object", R"([1])", "application/json", 400, "invalid_body", ""},
        {"unknown", R"({"name":"a","count":1,"x":0})", "application/json", 400, "unknown_field",
         "x"},
        {"missing", R"({"name":"a"})", "application/json", 400, "missing_field", "count"},
        {"wrong type", R"({"name":"a","count":"3"})", "application/json", 400, "invalid_type",
         "count"},
        {"out of range", R"({"name":"a","count":11})", "application/json", 400, "invalid_value",
         "count"},
        {"too large", R"({"name":")" + std::string(2000, 'x') + R"("})", "application/json", 413,
         "payload_too_large", ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto reply =
            http({"POST", url("/api/v1/items"), c.body, {"Content-Type: " + c.content_type}});
        EXPECT_EQ(reply.status, c.status);
        const auto body = nlohmann::json::parse(reply.body);
        if (c.status == 201) {
            EXPECT_EQ(body, nlohmann::json({{"name", "a"}, {"count", 3}}));
        } else {
            EXPECT_EQ(body["error"]["code"], c.code);
            EXPECT_EQ(body["error"].value("field", ""), c.field);
        }
    }
}

TEST_F(HttpServerTest, BoundsTheBodyAtExactlyTheLimit) {
    const auto at_limit = http({"POST", url("/api/v1/size"), std::string(1024, 'a')});
    EXPECT_EQ(at_limit.status, 200);
    EXPECT_EQ(nlohmann::json::parse(at_limit.body)["size"], 1024);
    const auto over = http({"POST", url("/api/v1/size"), std::string(1025, 'a')});
    EXPECT_EQ(over.status, 413);
    // Without a Content-Length (chunked) the limit holds while reading.
    const auto chunked_ok = http({"POST",
                                  url("/api/v1/size"),
                                  std::string(1000, 'b'),
                                  {},
                                  false,
                                  /*chunked=*/true});
    EXPECT_EQ(chunked_ok.status, 200);
    EXPECT_EQ(nlohmann::json::parse(chunked_ok.body)["size"], 1000);
    const auto chunked_over =
        http({"POST", url("/api/v1/size"), std::string(5000, 'b'), {}, false, /*chunked=*/true});
    EXPECT_EQ(chunked_over.status, 413);
    EXPECT_EQ(nlohmann::json::parse(chunked_over.body)["error"]["code"], "payload_too_large");
}

TEST_F(HttpServerTest, RefusesAHugeDeclaredBodyWithoutWaitingForIt) {
    // 100 MB announced, none sent: the answer comes at once and the connection is closed.
    const std::string reply = test::raw_exchange(
        server_->port(), "POST /api/v1/size HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         "application/json\r\nContent-Length: 100000000\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0U) << reply;
    EXPECT_NE(reply.find("payload_too_large"), std::string::npos);
    EXPECT_NE(reply.find("Connection: close"), std::string::npos);
}

TEST_F(HttpServerTest, NeverDispatchesATruncatedBody) {
    const std::string reply = test::raw_exchange(
        server_->port(),
        "POST /api/v1/size HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
        std::chrono::seconds(5), /*half_close=*/true);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0U) << reply;
    EXPECT_NE(reply.find("\"invalid_body\""), std::string::npos) << reply;
}

TEST_F(HttpServerTest, ServesFilesWithRanges) {
    const std::string bytes = recording_bytes();
    struct Case {
        const char* range;
        long status;
        const char* content_range;
        std::size_t first;
        std::size_t length;
    };
    const Case cases[] = {
        {"", 200, "", 0, 1000},
        {"bytes=0-99", 206, "bytes 0-99/1000", 0, 100},
        {"bytes=500-500", 206, "bytes 500-500/1000", 500, 1},
        {"bytes=990-", 206, "bytes 990-999/1000", 990, 10},
        {"bytes=-100", 206, "bytes 900-999/1000", 900, 100},
        {"bytes=-5000", 206, "bytes 0-999/1000", 0, 1000},
        {"bytes=995-2000", 206, "bytes 995-999/1000", 995, 5},
        {"bytes=1000-", 416, "bytes */1000", 0, 0},
        {"bytes=5-2", 416, "bytes */1000", 0, 0},
        {"bytes=-0", 416, "bytes */1000", 0, 0},
        {"bytes=abc", 416, "bytes */1000", 0, 0},
        {"items=0-1", 200, "", 0, 1000},     // a unit we do not serve: ignored
        {"bytes=0-1,5-6", 200, "", 0, 1000}, // several ranges: the whole file
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.range);
        std::vector<std::string> headers;
        if (*c.range != '\0') headers.push_back(std::string("Range: ") + c.range);
        const auto reply = http_get(url("/api/v1/recording"), headers);
        EXPECT_EQ(reply.status, c.status);
        EXPECT_EQ(reply.header("content-range"), c.content_range);
        EXPECT_EQ(reply.header("accept-ranges"), "bytes");
        EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
        if (c.status == 416) {
            EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "range_not_satisfiable");
            continue;
        }
        EXPECT_EQ(reply.header("content-type"), "audio/wav");
        EXPECT_EQ(reply.header("content-length"), std::to_string(c.length));
        EXPECT_EQ(reply.header("content-disposition"),
                  "attachment; filename=\"call 12 ____.wav\"; "
                  "filename*=UTF-8''call%2012%20%C2%AB%D0%BE%D0%BA%C2%BB.wav");
        EXPECT_EQ(reply.body, bytes.substr(c.first, c.length));
    }
}

TEST_F(HttpServerTest, FileConditionalsAndHead) {
    const auto full = http_get(url("/api/v1/recording"));
    const std::string etag = full.header("etag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(http_get(url("/api/v1/recording"), {"If-None-Match: " + etag}).status, 304);
    const auto stale = http_get(url("/api/v1/recording"), {"Range: bytes=0-9", "If-Range: \"x\""});
    EXPECT_EQ(stale.status, 200); // the file changed since: the whole file
    const auto fresh =
        http_get(url("/api/v1/recording"), {"Range: bytes=0-9", "If-Range: " + etag});
    EXPECT_EQ(fresh.status, 206);
    const auto head = http({"HEAD", url("/api/v1/recording")});
    EXPECT_EQ(head.status, 405); // routes are registered per method; HEAD is not GET here
}

TEST_F(HttpServerTest, ServesStaticFilesAndTheAppForSpaRoutes) {
    const std::string index = "<!doctype html><title>Suflyor</title>";
    struct Case {
        const char* path;
        long status;
        const char* body; // nullptr: a JSON not_found
        const char* type;
    };
    const Case cases[] = {
        {"/", 200, index.c_str(), "text/html"},
        {"/index.html", 200, index.c_str(), "text/html"},
        {"/assets/app.js", 200, "console.log('app');", "application/javascript"},
        {"/calls/12", 200, index.c_str(), "text/html"}, // SPA route
        {"/assets", 200, index.c_str(), "text/html"},   // a directory: never listed
        {"/assets/missing.js", 404, nullptr, ""},
        {"/leak.txt", 404, nullptr, ""}, // symlink out of the web root
        {"/api/v2/calls", 404, nullptr, ""},
        {"/api", 404, nullptr, ""},
        {"/metrics/extra", 404, nullptr, ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.path);
        const auto reply = http_get(url(c.path));
        EXPECT_EQ(reply.status, c.status);
        EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
        if (c.body != nullptr) {
            EXPECT_EQ(reply.body, c.body);
            EXPECT_EQ(reply.header("content-type").rfind(c.type, 0), 0U)
                << reply.header("content-type");
        } else {
            EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "not_found");
        }
    }
    EXPECT_EQ(http({"POST", url("/index.html"), "x"}).status, 405);
    const auto partial = http_get(url("/assets/app.js"), {"Range: bytes=0-6"});
    EXPECT_EQ(partial.status, 206);
    EXPECT_EQ(partial.body, "console");
}

TEST_F(HttpServerTest, NeverServesOutsideTheWebRoot) {
    for (const char* target :
         {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/../../secret.txt",
          "//../secret.txt", "/%2e%2e%2f%2e%2e%2fetc/passwd", "/../../../../etc/passwd"}) {
        SCOPED_TRACE(target);
        const auto reply = http({"GET", url(target), {}, {}, /*path_as_is=*/true});
        EXPECT_EQ(reply.body.find("TOP-SECRET"), std::string::npos);
        EXPECT_EQ(reply.body.find("root:"), std::string::npos);
        const std::string raw = test::raw_exchange(
            server_->port(),
            std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(raw.find("TOP-SECRET"), std::string::npos);
        EXPECT_EQ(raw.find("root:"), std::string::npos);
    }
}

TEST_F(HttpServerTest, NoStaticDirectoryMeansNoStaticFiles) {
    start(root_ / "does-not-exist");
    const auto reply = http_get(url("/"));
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "not_found");
    EXPECT_EQ(http_get(url("/api/v1/ping")).status, 200);
}

TEST_F(HttpServerTest, HealthAndMetrics) {
    const auto health = http_get(url("/healthz"));
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(nlohmann::json::parse(health.body), nlohmann::json({{"status", "ok"}}));

    for (int i = 0; i < 3; ++i)
        http_get(url("/api/v1/ping"));
    http_get(url("/api/v1/echo/5"));
    http_get(url("/api/v1/echo/6"));
    http_get(url("/api/v1/nowhere"));
    http({"POST", url("/api/v1/ping")});

    const auto metrics = http_get(url("/metrics"));
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(metrics.header("x-content-type-options"), "nosniff");
    for (const char* line : {
             "# TYPE suflyor_http_requests_total counter\n",
             "suflyor_http_requests_total{method=\"GET\",route=\"/api/v1/ping\",status=\"200\"} "
             "3\n",
             "suflyor_http_requests_total{method=\"GET\",route=\"/api/v1/echo/"
             "{id}\",status=\"200\"} 2\n",
             "suflyor_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
             "suflyor_http_requests_total{method=\"POST\",route=\"/api/v1/ping\",status=\"405\"} "
             "1\n",
             "suflyor_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n",
             "suflyor_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"} 1\n",
             "# TYPE suflyor_http_request_duration_seconds histogram\n",
             "suflyor_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/ping\"} "
             "3\n",
             "suflyor_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/"
             "ping\",le=\"+Inf\"} 3\n",
             "suflyor_ws_connections 0\n",
         }) {
        EXPECT_NE(metrics.body.find(line), std::string::npos) << line << metrics.body;
    }
}

TEST(ParseRange, Table) {
    using detail::ByteRange;
    using Kind = ByteRange::Kind;
    struct Case {
        const char* header;
        std::uint64_t size;
        Kind kind;
        std::uint64_t first;
        std::uint64_t last;
    };
    const Case cases[] = {
        {"", 100, Kind::full, 0, 0},
        {"bytes=0-0", 100, Kind::partial, 0, 0},
        {"bytes=10-19", 100, Kind::partial, 10, 19},
        {"Bytes = 10-19", 100, Kind::partial, 10, 19},
        {"bytes=10-", 100, Kind::partial, 10, 99},
        {"bytes=-1", 100, Kind::partial, 99, 99},
        {"bytes=-100", 100, Kind::partial, 0, 99},
        {"bytes=90-1000", 100, Kind::partial, 90, 99},
        {"bytes=100-", 100, Kind::unsatisfiable, 0, 0},
        {"bytes=0-", 0, Kind::unsatisfiable, 0, 0},
        {"bytes=-", 100, Kind::unsatisfiable, 0, 0},
        {"bytes=1-2-3", 100, Kind::unsatisfiable, 0, 0},
        {"bytes=18446744073709551616-", 100, Kind::unsatisfiable, 0, 0},
        {"bytes=", 100, Kind::unsatisfiable, 0, 0},
        {"bytes", 100, Kind::full, 0, 0},
        {"pages=1-2", 100, Kind::full, 0, 0},
        {"bytes=0-1, 3-4", 100, Kind::full, 0, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.header);
        const ByteRange range = detail::parse_range(c.header, c.size);
        EXPECT_EQ(range.kind, c.kind);
        if (c.kind == Kind::partial) {
            EXPECT_EQ(range.first, c.first);
            EXPECT_EQ(range.last, c.last);
        }
    }
}

TEST(ParseQuery, Table) {
    EXPECT_EQ(detail::parse_query("a=1&b=x%20y&c=%zz&d=a+b&&=e&f&a=2"),
              (std::map<std::string, std::string>{
                  {"a", "2"}, {"b", "x y"}, {"c", "%zz"}, {"d", "a b"}, {"f", ""}}));
    EXPECT_EQ(detail::url_decode("%41%42%4"), "AB%4");
}

} // namespace
} // namespace suflyor::api
