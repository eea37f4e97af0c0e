#include "api/http.hpp"
#include "api/text.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <set>
#include <vector>

namespace suflyor::api {

namespace {

// Containers nested deeper than this are refused: no route takes more than a few levels, and a
// bound keeps a hostile body from costing more than its size.
constexpr int max_json_depth = 16;

// application/json, optionally with parameters; a charset other than UTF-8 is refused.
bool is_json_content_type(const std::string& header) {
    const std::string value = text::lower(header);
    std::string_view rest(value);
    const auto semicolon = rest.find(';');
    if (text::trim(rest.substr(0, semicolon)) != "application/json") return false;
    while (semicolon != std::string_view::npos && !rest.empty()) {
        const auto next = rest.find(';');
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 1);
        const std::string_view parameter = text::trim(rest.substr(0, rest.find(';')));
        const auto equals = parameter.find('=');
        if (equals == std::string_view::npos) continue;
        if (text::trim(parameter.substr(0, equals)) != "charset") continue;
        std::string_view charset = text::trim(parameter.substr(equals + 1));
        if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
            charset = charset.substr(1, charset.size() - 2);
        }
        if (charset != "utf-8" && charset != "utf8") return false;
    }
    return true;
}

[[noreturn]] void refuse(const std::string& code, std::string_view field,
                         const std::string& message) {
    throw ApiError(400, code, message, {{"field", std::string(field)}});
}

// Length in code points (the body is valid UTF-8: the parser checked it).
std::size_t utf8_length(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

const char* type_name(const nlohmann::json& value) { return value.type_name(); }

} // namespace

JsonBody JsonBody::parse(const Request& request, std::initializer_list<std::string_view> allowed) {
    if (request.body.empty()) return JsonBody(nlohmann::json::object());
    if (!is_json_content_type(request.header("content-type"))) {
        throw ApiError(415, "unsupported_media_type", "the body must be application/json");
    }
    bool too_deep = false;
    // Keys seen in each open object, innermost last: a repeated key is refused rather than
    // letting the last one win silently (two parsers of one body must not disagree).
    std::vector<std::set<std::string>> keys;
    std::optional<std::string> duplicate;
    const nlohmann::json::parser_callback_t check =
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            using Event = nlohmann::json::parse_event_t;
            if ((event == Event::object_start || event == Event::array_start) &&
                depth >= max_json_depth) {
                too_deep = true;
                return false; // skip the subtree: it is never built
            }
            if (event == Event::object_start) keys.emplace_back();
            if (event == Event::object_end && !keys.empty()) keys.pop_back();
            if (event == Event::key && !keys.empty() && !duplicate &&
                !keys.back().insert(parsed.get<std::string>()).second) {
                duplicate = parsed.get<std::string>();
            }
            return !too_deep && !duplicate;
        };
    nlohmann::json json = nlohmann::json::parse(request.body, check, /*allow_exceptions=*/false);
    if (json.is_discarded() && !too_deep && !duplicate) {
        throw ApiError(400, "malformed_json", "the body is not valid JSON");
    }
    if (too_deep) {
        throw ApiError(400, "invalid_body",
                       "the body is nested deeper than " + std::to_string(max_json_depth));
    }
    if (duplicate) refuse("duplicate_field", *duplicate, "field '" + *duplicate + "' is repeated");
    if (!json.is_object()) throw ApiError(400, "invalid_body", "the body must be a JSON object");
    for (const auto& [key, value] : json.items()) {
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&key = key](std::string_view name) { return name == key; });
        if (!known) refuse("unknown_field", key, "unknown field '" + key + "'");
    }
    return JsonBody(std::move(json));
}

const nlohmann::json* JsonBody::find(std::string_view field) const {
    const auto it = json_.find(std::string(field));
    if (it == json_.end() || it->is_null()) return nullptr; // null reads as absent
    return &*it;
}

std::optional<std::string> JsonBody::optional_string(std::string_view field,
                                                     std::size_t max_length) const {
    const nlohmann::json* value = find(field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
        refuse("invalid_type", field,
               "field '" + std::string(field) + "' must be a string, not " + type_name(*value));
    }
    const auto& text = value->get_ref<const std::string&>();
    if (utf8_length(text) > max_length) {
        refuse("invalid_value", field,
               "field '" + std::string(field) + "' is longer than " + std::to_string(max_length) +
                   " characters");
    }
    return text;
}

std::string JsonBody::string(std::string_view field, std::size_t max_length) const {
    auto value = optional_string(field, max_length);
    if (!value) refuse("missing_field", field, "field '" + std::string(field) + "' is required");
    return std::move(*value);
}

std::string JsonBody::choice(std::string_view field,
                             std::initializer_list<std::string_view> choices) const {
    const nlohmann::json* value = find(field);
    if (value == nullptr) {
        refuse("missing_field", field, "field '" + std::string(field) + "' is required");
    }
    if (!value->is_string()) {
        refuse("invalid_type", field,
               "field '" + std::string(field) + "' must be a string, not " + type_name(*value));
    }
    const auto& text = value->get_ref<const std::string&>();
    if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
    std::string list;
    nlohmann::json allowed = nlohmann::json::array();
    for (const auto choice : choices) {
        list += (list.empty() ? "" : ", ") + std::string(choice);
        allowed.push_back(std::string(choice));
    }
    throw ApiError(400, "invalid_value",
                   "field '" + std::string(field) + "' must be one of " + list,
                   {{"field", std::string(field)}, {"allowed", std::move(allowed)}});
}

std::optional<std::int64_t> JsonBody::optional_integer(std::string_view field, std::int64_t min,
                                                       std::int64_t max) const {
    const nlohmann::json* value = find(field);
    if (value == nullptr) return std::nullopt;
    const auto out_of_range = [&]() {
        refuse("invalid_value", field,
               "field '" + std::string(field) + "' must be between " + std::to_string(min) +
                   " and " + std::to_string(max));
    };
    if (value->is_number_unsigned()) {
        const auto number = value->get<std::uint64_t>();
        if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            out_of_range();
        }
        const auto signed_number = static_cast<std::int64_t>(number);
        if (signed_number < min || signed_number > max) out_of_range();
        return signed_number;
    }
    if (value->is_number_integer()) {
        const auto number = value->get<std::int64_t>();
        if (number < min || number > max) out_of_range();
        return number;
    }
    refuse("invalid_type", field,
           "field '" + std::string(field) + "' must be an integer, not " + type_name(*value));
}

std::int64_t JsonBody::integer(std::string_view field, std::int64_t min, std::int64_t max) const {
    const auto value = optional_integer(field, min, max);
    if (!value) refuse("missing_field", field, "field '" + std::string(field) + "' is required");
    return *value;
}

std::optional<bool> JsonBody::optional_boolean(std::string_view field) const {
    const nlohmann::json* value = find(field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
        refuse("invalid_type", field,
               "field '" + std::string(field) + "' must be a boolean, not " + type_name(*value));
    }
    return value->get<bool>();
}

} // namespace suflyor::api
