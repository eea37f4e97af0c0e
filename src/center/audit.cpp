#include "center/audit.hpp"

#include "store/store.hpp"

namespace suflyor::center {

void AuditTrail::record(std::optional<AccountId> account, const Actor& actor, std::string action,
                        std::string object_type, std::string object_id,
                        const nlohmann::json& details) {
    store_.audit().append(AuditEntry{AuditId{0}, account, actor, std::move(action),
                                     std::move(object_type), std::move(object_id), details.dump(),
                                     clock_.wall_now()});
}

} // namespace suflyor::center
