#include "sip/trunk_registration.hpp"

#include "sip/libre_text.hpp"

#include <re.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

namespace suflyor::sip {

struct TrunkRegistrations::Registration {
    Trunk trunk; // a copy: the table it came from may be replaced while this runs
    sipreg* reg{nullptr};
    TrunkRegistrationState state;
    // libre sends the un-REGISTER (Expires: 0) of a registered binding when the sipreg goes.
    ~Registration() { mem_deref(reg); }

    // The credentials live in a libre object that the sipreg references (aref): the un-REGISTER
    // libre sends after this Registration is gone may still be challenged.
    struct Credentials {
        char* username{nullptr};
        char* password{nullptr};
        static void destroy(void* arg) {
            auto* c = static_cast<Credentials*>(arg);
            mem_deref(c->username);
            mem_deref(c->password);
        }
    };

    static int on_auth(char** username, char** password, const char* realm, void* arg) {
        const auto& creds = *static_cast<Credentials*>(arg);
        spdlog::debug("sip: trunk {} answers a challenge for realm {}", creds.username,
                      realm ? realm : "");
        if (str_dup(username, creds.username) != 0) return ENOMEM;
        if (str_dup(password, creds.password) != 0) return ENOMEM;
        return 0;
    }

    static void on_response(int err, const sip_msg* msg, void* arg) {
        auto& self = *static_cast<Registration*>(arg);
        const bool ok = err == 0 && msg != nullptr && msg->scode >= 200 && msg->scode < 300;
        const std::string reason =
            err != 0         ? std::string(std::strerror(err))
            : msg != nullptr ? std::to_string(msg->scode) + " " + std::string(view(msg->reason))
                             : "no answer";
        if (ok != self.state.registered || !ok)
            spdlog::log(ok ? spdlog::level::info : spdlog::level::warn,
                        "sip: trunk {} registration {} ({})", self.trunk.name, ok ? "ok" : "failed",
                        reason);
        self.state.registered = ok;
        self.state.answered = true;
        self.state.reason = ok ? std::string() : reason;
    }
};

namespace {

// What a running registration depends on: any change starts it over.
bool same_registration(const Trunk& a, const Trunk& b) {
    return a.name == b.name && a.peer == b.peer && a.transport == b.transport &&
           a.username == b.username && a.password == b.password;
}

} // namespace

TrunkRegistrations::TrunkRegistrations(::sip* stack, const TrunkTable& trunks,
                                       std::string_view domain)
    : stack_(stack) {
    (void)domain;
    sync(trunks);
}

TrunkRegistrations::~TrunkRegistrations() = default;

void TrunkRegistrations::start(const Trunk& trunk) {
    auto r = std::make_unique<Registration>();
    r->trunk = trunk;
    const std::string registrar = "sip:" + trunk.peer + ";transport=" + trunk.transport;
    const std::string aor =
        "sip:" + trunk.username + "@" + trunk.peer.substr(0, trunk.peer.rfind(':'));
    auto* creds = static_cast<Registration::Credentials*>(
        mem_zalloc(sizeof(Registration::Credentials), &Registration::Credentials::destroy));
    int err = creds == nullptr ? ENOMEM : 0;
    if (err == 0) err = str_dup(&creds->username, trunk.username.c_str());
    if (err == 0) err = str_dup(&creds->password, trunk.password.c_str());
    if (err == 0)
        err = sipreg_register(&r->reg, stack_, registrar.c_str(), aor.c_str(), nullptr, aor.c_str(),
                              600, trunk.username.c_str(), nullptr, 0, 0, &Registration::on_auth,
                              creds, true, &Registration::on_response, r.get(), nullptr, "");
    mem_deref(creds); // the sipreg holds its own reference
    if (err != 0) {
        // A trunk edited in the UI with a peer libre cannot use: the others go on; GET shows why.
        spdlog::warn("sip: trunk {}: cannot start registration: {}", trunk.name,
                     std::strerror(err));
        r->reg = nullptr;
        r->state.answered = true;
        r->state.reason = std::string("cannot start: ") + std::strerror(err);
    } else {
        spdlog::info("sip: trunk {} registering as {} at {}", trunk.name, aor, trunk.peer);
    }
    registrations_[trunk.key()] = std::move(r);
}

void TrunkRegistrations::sync(const TrunkTable& trunks) {
    std::map<std::string, const Trunk*> wanted;
    for (const auto& t : trunks.all())
        if (t.register_outbound) wanted.emplace(t.key(), &t);
    for (auto it = registrations_.begin(); it != registrations_.end();) {
        const auto w = wanted.find(it->first);
        if (w == wanted.end() || !same_registration(it->second->trunk, *w->second)) {
            spdlog::info("sip: trunk {} registration stops", it->second->trunk.name);
            it = registrations_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [key, trunk] : wanted)
        if (!registrations_.contains(key)) start(*trunk);
}

bool TrunkRegistrations::registered(std::string_view name) const {
    for (const auto& [key, r] : registrations_)
        if (r->trunk.name == name) return r->state.registered;
    return false;
}

std::optional<TrunkRegistrationState> TrunkRegistrations::state(const std::string& key) const {
    const auto it = registrations_.find(key);
    if (it == registrations_.end()) return std::nullopt;
    return it->second->state;
}

} // namespace suflyor::sip
