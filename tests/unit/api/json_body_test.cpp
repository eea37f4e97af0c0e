#include "api/http.hpp"

#include <gtest/gtest.h>

namespace suflyor::api {
namespace {

Request json_request(std::string body, std::string content_type = "application/json") {
    Request request;
    request.method = "POST";
    request.path = "/x";
    request.body = std::move(body);
    if (!content_type.empty()) request.headers["content-type"] = std::move(content_type);
    return request;
}

// What a refusal looked like: status, code and details.field ("" when there is none).
struct Refusal {
    int status{0};
    std::string code;
    std::string field;
};

template <typename F> std::optional<Refusal> refusal_of(F&& read) {
    try {
        read();
    } catch (const ApiError& error) {
        return Refusal{
            error.status(), error.code(),
            error.details().contains("field") ? error.details()["field"].get<std::string>() : ""};
    }
    return std::nullopt;
}

std::string nested(int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
}

TEST(JsonBody, ParseRefusals) {
    struct Case {
        const char* name;
        std::string body;
        std::string content_type;
        int status;
        const char* code;
        const char* field;
    };
    const Case cases[] = {
        {"no content type", R"({"mode":"listen"})", "", 415, "unsupported_media_type", ""},
        {"text/plain", R"({"mode":"listen"})", "text/plain", 415, "unsupported_media_type", ""},
        {"json lookalike", R"({"mode":"listen"})", "application/jsonp", 415,
         "unsupported_media_type", ""},
        {"form", "mode=listen", "application/x-www-form-urlencoded", 415, "unsupported_media_type",
         ""},
        {"latin-1 charset", R"({"mode":"listen"})", "application/json; charset=iso-8859-1", 415,
         "unsupported_media_type", ""},
        {"truncated", R"({"mode":"listen")", "application/json", 400, "malformed_json", ""},
        {"trailing garbage", R"({"mode":"listen"} x)", "application/json", 400, "malformed_json",
         ""},
        {"single quotes", "{'mode':'listen'}", "application/json", 400, "malformed_json", ""},
        {"whitespace only", "   ", "application/json", 400, "malformed_json", ""},
        {"invalid utf-8", "{\"mode\":\"\xff\xfe\"}", "application/json", 400, "malformed_json", ""},
        {"array", R"(["listen"])", "application/json", 400, "invalid_body", ""},
        {"string", R"("listen")", "application/json", 400, "invalid_body", ""},
        {"null", "null", "application/json", 400, "invalid_body", ""},
        {"number", "42", "application/json", 400, "invalid_body", ""},
        {"too deep", R"({"mode":)" + nested(16) + "}", "application/json", 400, "invalid_body", ""},
        {"very deep", nested(100000), "application/json", 400, "invalid_body", ""},
        {"unknown field", R"({"mode":"listen","admin":true})", "application/json", 400,
         "unknown_field", "admin"},
        {"unknown empty name", R"({"":1})", "application/json", 400, "unknown_field", ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const Request request = json_request(c.body, c.content_type);
        const auto refusal = refusal_of([&] { JsonBody::parse(request, {"mode", "note"}); });
        ASSERT_TRUE(refusal.has_value());
        EXPECT_EQ(refusal->status, c.status);
        EXPECT_EQ(refusal->code, c.code);
        EXPECT_EQ(refusal->field, c.field);
    }
}

TEST(JsonBody, AcceptsJsonContentTypesAndDepthUpToTheLimit) {
    for (const char* type :
         {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
          "application/json ; charset=\"utf-8\""}) {
        SCOPED_TRACE(type);
        const auto body = JsonBody::parse(json_request(R"({"mode":"listen"})", type), {"mode"});
        EXPECT_EQ(body.choice("mode", {"listen", "whisper", "barge"}), "listen");
    }
    // 16 levels of containers (the object itself is the first) are fine.
    const auto deep = JsonBody::parse(json_request(R"({"note":)" + nested(15) + "}"), {"note"});
    EXPECT_TRUE(deep.raw()["note"].is_array());
    // An empty body is {} whatever its content type.
    const auto empty = JsonBody::parse(json_request("", ""), {"note"});
    EXPECT_EQ(empty.raw(), nlohmann::json::object());
    EXPECT_EQ(empty.optional_string("note", 10), std::nullopt);
}

TEST(JsonBody, TypedGetters) {
    const auto body = JsonBody::parse(
        json_request(R"({"mode":"whisper","text":"привет","n":42,"big":18446744073709551615,
                       "neg":-5,"f":1.5,"flag":true,"none":null,"num_str":"7","obj":{}})"),
        {"mode", "text", "n", "big", "neg", "f", "flag", "none", "num_str", "obj", "absent"});

    EXPECT_EQ(body.string("text", 6), "привет"); // six characters, twelve bytes
    EXPECT_EQ(body.optional_string("absent", 5), std::nullopt);
    EXPECT_EQ(body.optional_string("none", 5), std::nullopt); // null reads as absent
    EXPECT_EQ(body.choice("mode", {"listen", "whisper", "barge"}), "whisper");
    EXPECT_EQ(body.integer("n", 0, 100), 42);
    EXPECT_EQ(body.integer("neg", -10, 0), -5);
    EXPECT_EQ(body.optional_integer("absent", 0, 1), std::nullopt);
    EXPECT_EQ(body.optional_boolean("flag"), true);
    EXPECT_EQ(body.optional_boolean("absent"), std::nullopt);

    struct Case {
        const char* name;
        std::function<void()> read;
        const char* code;
        const char* field;
    };
    const Case cases[] = {
        {"string too long", [&] { (void)body.string("text", 5); }, "invalid_value", "text"},
        {"string missing", [&] { (void)body.string("absent", 5); }, "missing_field", "absent"},
        {"string null", [&] { (void)body.string("none", 5); }, "missing_field", "none"},
        {"string from number", [&] { (void)body.string("n", 5); }, "invalid_type", "n"},
        {"string from object", [&] { (void)body.optional_string("obj", 5); }, "invalid_type",
         "obj"},
        {"choice missing", [&] { (void)body.choice("absent", {"a"}); }, "missing_field", "absent"},
        {"choice not listed",
         [&] {
             (void)body.choice("text", {"listen", "barge"});
         },
         "invalid_value", "text"},
        {"choice from bool", [&] { (void)body.choice("flag", {"true"}); }, "invalid_type", "flag"},
        {"integer above", [&] { (void)body.integer("n", 0, 41); }, "invalid_value", "n"},
        {"integer below", [&] { (void)body.integer("neg", 0, 10); }, "invalid_value", "neg"},
        {"integer beyond int64", [&] { (void)body.integer("big", 0, INT64_MAX); }, "invalid_value",
         "big"},
        {"integer from float", [&] { (void)body.integer("f", 0, 10); }, "invalid_type", "f"},
        {"integer from string", [&] { (void)body.integer("num_str", 0, 10); }, "invalid_type",
         "num_str"},
        {"integer from bool", [&] { (void)body.optional_integer("flag", 0, 10); }, "invalid_type",
         "flag"},
        {"integer missing", [&] { (void)body.integer("absent", 0, 10); }, "missing_field",
         "absent"},
        {"boolean from string", [&] { (void)body.optional_boolean("mode"); }, "invalid_type",
         "mode"},
        {"boolean from number", [&] { (void)body.optional_boolean("n"); }, "invalid_type", "n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto refusal = refusal_of(c.read);
        ASSERT_TRUE(refusal.has_value());
        EXPECT_EQ(refusal->status, 400);
        EXPECT_EQ(refusal->code, c.code);
        EXPECT_EQ(refusal->field, c.field);
    }
}

TEST(JsonBody, ChoiceRefusalListsTheChoices) {
    const auto body = JsonBody::parse(json_request(R"({"mode":"shout"})"), {"mode"});
    try {
        (void)body.choice("mode", {"listen", "whisper", "barge"});
        FAIL() << "accepted";
    } catch (const ApiError& error) {
        EXPECT_EQ(error_response(error).json,
                  nlohmann::json::parse(R"({"error":{"code":"invalid_value",
                      "message":"field 'mode' must be one of listen, whisper, barge",
                      "field":"mode","allowed":["listen","whisper","barge"]}})"));
    }
}

TEST(JsonBody, ARepeatedKeyIsRefusedNamingIt) {
    const auto parse = [](const std::string& body) {
        return refusal_of([&] { JsonBody::parse(json_request(body), {"a", "b", "c"}); });
    };
    const auto top = parse(R"({"a":1,"b":2,"a":3})");
    ASSERT_TRUE(top);
    EXPECT_EQ(top->status, 400);
    EXPECT_EQ(top->code, "duplicate_field");
    EXPECT_EQ(top->field, "a");
    // Each object has its own keys: one name in two objects is fine, twice in one is not.
    EXPECT_FALSE(parse(R"({"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]})"));
    const auto inner = parse(R"({"a":{"x":1,"y":{"x":2},"x":3}})");
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->code, "duplicate_field");
    EXPECT_EQ(inner->field, "x");
    // A repetition after a syntax error is not reached: the body is malformed.
    EXPECT_EQ(parse(R"({"a":1,,"a":2})")->code, "malformed_json");
}

} // namespace
} // namespace suflyor::api
