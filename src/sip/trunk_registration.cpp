#include "sip/trunk_registration.hpp"

#include "sip/libre_text.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

namespace suflyor::sip {

struct TrunkRegistrations::Registration {
    const Trunk* trunk{nullptr};
    sipreg* reg{nullptr};
    bool ok{false};
    ~Registration() { mem_deref(reg); }

    static int on_auth(char** username, char** password, const char* realm, void* arg) {
        const auto& self = *static_cast<Registration*>(arg);
        spdlog::debug("sip: trunk {} answers a challenge for realm {}", self.trunk->name,
                      realm ? realm : "");
        if (str_dup(username, self.trunk->username.c_str()) != 0) return ENOMEM;
        if (str_dup(password, self.trunk->password.c_str()) != 0) return ENOMEM;
        return 0;
    }

    static void on_response(int err, const sip_msg* msg, void* arg) {
        auto& self = *static_cast<Registration*>(arg);
        const bool ok = err == 0 && msg != nullptr && msg->scode >= 200 && msg->scode < 300;
        if (ok != self.ok || !ok)
            spdlog::log(
                ok ? spdlog::level::info : spdlog::level::warn,
                "sip: trunk {} registration {} ({})", self.trunk->name, ok ? "ok" : "failed",
                err != 0         ? std::string(std::strerror(err))
                : msg != nullptr ? std::to_string(msg->scode) + " " + std::string(view(msg->reason))
                                 : "no answer");
        self.ok = ok;
    }
};

TrunkRegistrations::TrunkRegistrations(::sip* stack, const TrunkTable& trunks,
                                       std::string_view domain) {
    for (const auto& trunk : trunks.all()) {
        if (!trunk.register_outbound) continue;
        auto r = std::make_unique<Registration>();
        r->trunk = &trunk;
        const std::string registrar = "sip:" + trunk.peer + ";transport=" + trunk.transport;
        const std::string aor =
            "sip:" + trunk.username + "@" + trunk.peer.substr(0, trunk.peer.rfind(':'));
        const int err =
            sipreg_register(&r->reg, stack, registrar.c_str(), aor.c_str(), nullptr, aor.c_str(),
                            600, trunk.username.c_str(), nullptr, 0, 0, &Registration::on_auth,
                            r.get(), false, &Registration::on_response, r.get(), nullptr, "");
        if (err != 0)
            throw std::runtime_error("trunk '" + trunk.name +
                                     "': cannot start registration: " + std::strerror(err));
        spdlog::info("sip: trunk {} registering as {} at {}", trunk.name, aor, trunk.peer);
        registrations_.push_back(std::move(r));
    }
    (void)domain;
}

TrunkRegistrations::~TrunkRegistrations() = default;

bool TrunkRegistrations::registered(std::string_view name) const {
    for (const auto& r : registrations_)
        if (r->trunk->name == name) return r->ok;
    return false;
}

} // namespace suflyor::sip
