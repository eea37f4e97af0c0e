#pragma once
// Facts the domain announces after they are stored (the app turns them into WebSocket events).
// Called on the control loop after the change committed, never for a rolled-back one.
#include "center/model.hpp"

#include <string>

namespace suflyor::center {

class DomainListener {
public:
    virtual ~DomainListener() = default;
    virtual void call_changed(const Call& call) = 0;
    virtual void presence_changed(UserId user) = 0;
    // An employee was created, changed, deactivated or activated: `event` is the live event's
    // name ("employee.created", "employee.updated", "employee.deactivated", "employee.activated").
    // On "employee.deactivated" the listener also cuts the employee's devices and sessions off.
    virtual void employee_changed(UserId /*user*/, const std::string& /*event*/) {}
};

} // namespace suflyor::center
