#pragma once
// Errors of the control plane. Each carries a machine-readable code (the snake_case codes of the
// API contract) and a human message. The data path never throws; it counts and drops.
#include <stdexcept>
#include <string>
#include <string_view>

namespace suflyor::core {

enum class ErrorCode {
    invalid_argument, // bad input from a user or a file
    not_found,        // no such object (or not visible to the caller)
    conflict,         // the object exists / state forbids it
    forbidden,        // the role may not do this
    feature_not_connected,
    already_monitored,
    call_ended,
    no_supervisor_device,
    // The user rings in the browser, and no tab of theirs is registered.
    browser_not_registered,
    busy,             // the person to call is on a call already
    no_trunk,         // no trunk is configured to reach an outside number
    employee_offline, // the employee has no registered phone
    no_client_number, // the call has no outside client to call back
    unavailable,      // the server is shutting down (or overloaded): try again
    storage,          // the database failed
    internal,
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
public:
    // `field`: the input field the refusal is about (the API's error.field), when there is one.
    Error(ErrorCode code, const std::string& message, std::string field = {})
        : std::runtime_error(message), code_(code), field_(std::move(field)) {}
    [[nodiscard]] ErrorCode code() const { return code_; }
    [[nodiscard]] const std::string& field() const { return field_; }

private:
    ErrorCode code_;
    std::string field_;
};

[[noreturn]] inline void fail(ErrorCode code, const std::string& message, std::string field = {}) {
    throw Error(code, message, std::move(field));
}

} // namespace suflyor::core
