#pragma once
// Facts the domain announces after they are stored (the app turns them into WebSocket events).
// Called on the control loop after the change committed, never for a rolled-back one.
#include "center/model.hpp"

namespace suflyor::center {

class DomainListener {
public:
    virtual ~DomainListener() = default;
    virtual void call_changed(const Call& call) = 0;
    virtual void presence_changed(UserId user) = 0;
};

} // namespace suflyor::center
