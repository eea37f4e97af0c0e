#include "core/error.hpp"

namespace suflyor::core {

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::feature_not_connected: return "feature_not_connected";
    case ErrorCode::already_monitored: return "already_monitored";
    case ErrorCode::call_ended: return "call_ended";
    case ErrorCode::no_supervisor_device: return "no_supervisor_device";
    case ErrorCode::browser_not_registered: return "browser_not_registered";
    case ErrorCode::busy: return "busy";
    case ErrorCode::no_trunk: return "no_trunk";
    case ErrorCode::employee_offline: return "employee_offline";
    case ErrorCode::no_client_number: return "no_client_number";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::storage: return "storage_error";
    case ErrorCode::internal: return "internal_error";
    }
    return "internal_error";
}

} // namespace suflyor::core
