// libFuzzer target: the strict JSON body reader. Any bytes (and any Content-Type) must end in a
// JsonBody or an ApiError, and every typed getter in a value or an ApiError — never a crash,
// a hang or another exception. Input: an optional "\x01<content-type>\n" prefix, then the body.
#include "api/http.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using suflyor::api::ApiError;

template <typename F> void read_field(F&& read) {
    try {
        read();
    } catch (const ApiError&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    suflyor::api::Request request;
    request.method = "POST";
    request.path = "/api/v1/calls/1/monitor";
    request.headers["content-type"] = "application/json; charset=utf-8";
    if (!input.empty() && input.front() == '\x01') {
        const auto newline = input.find('\n');
        request.headers["content-type"] =
            input.substr(1, newline == std::string::npos ? std::string::npos : newline - 1);
        input.erase(0, newline == std::string::npos ? input.size() : newline + 1);
    }
    request.body = std::move(input);
    try {
        const auto body = suflyor::api::JsonBody::parse(
            request, {"mode", "note", "text", "count", "limit", "flag", "result"});
        read_field([&] { (void)body.choice("mode", {"listen", "whisper", "barge"}); });
        read_field([&] { (void)body.string("note", 2000); });
        read_field([&] { (void)body.optional_string("text", 16); });
        read_field([&] { (void)body.integer("count", -5, 1000); });
        read_field([&] { (void)body.optional_integer("limit", INT64_MIN, INT64_MAX); });
        read_field([&] { (void)body.optional_boolean("flag"); });
        read_field([&] { (void)body.optional_string("result", 0); });
        (void)body.raw().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const ApiError&) {
    }
    return 0;
}
