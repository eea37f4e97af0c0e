#include "api/http.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::api {

int status_of(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
    case ErrorCode::invalid_argument: return 400;
    case ErrorCode::forbidden:
    case ErrorCode::feature_not_connected: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict:
    case ErrorCode::already_monitored:
    case ErrorCode::no_supervisor_device:
    case ErrorCode::browser_not_registered:
    case ErrorCode::busy:
    case ErrorCode::no_trunk:
    case ErrorCode::employee_offline:
    case ErrorCode::no_client_number: return 409;
    case ErrorCode::call_ended: return 410;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::storage:
    case ErrorCode::internal: return 500;
    }
    return 500;
}

Response error_response(const ApiError& error) {
    nlohmann::json body = {{"code", error.code()}, {"message", error.what()}};
    if (error.details().is_object()) {
        for (const auto& [key, value] : error.details().items()) {
            if (key != "code" && key != "message") body[key] = value;
        }
    }
    return {error.status(), {{"error", std::move(body)}}, {}, {}};
}

Response error_response(const core::Error& error) {
    const int status = status_of(error.code());
    if (status >= 500) {
        // Storage and internal failures carry details that are for the log, not the client.
        spdlog::error("[api] {}: {}", core::to_string(error.code()), error.what());
        return error_response(ApiError(500, "internal", "internal error"));
    }
    nlohmann::json details = nlohmann::json::object();
    if (!error.field().empty()) details["field"] = error.field();
    return error_response(
        ApiError(status, std::string(core::to_string(error.code())), error.what(), details));
}

} // namespace suflyor::api
