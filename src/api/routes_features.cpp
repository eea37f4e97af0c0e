// Tariff and features (SPEC §7): the account's features with their state, a connection request
// with the contact email the connection mail goes to (fulfilled at once when the server
// auto-connects), disabling, and the platform operator's connect for any account.
#include "api/context.hpp"
#include "api/dto.hpp"
#include "core/error.hpp"

#include <sodium.h>

namespace suflyor::api {
namespace {

center::Feature feature_of(const Request& r) {
    const auto key = r.params.at("key");
    const auto feature = center::parse_feature(key);
    if (!feature) refuse(404, "not_found", "no feature '" + key + "'");
    return *feature;
}

bool auto_connects(Api::State& s) {
    const auto& policy = s.settings.auto_connect;
    return policy == "always" ||
           (policy == "single-account" && s.domain.store.accounts().count() == 1);
}

void announce(Api::State& s, const center::FeatureStatus& status) {
    s.domain.events.publish("feature." + std::string(center::to_string(status.state)),
                            status.account_id, feature_json(status));
}

// The platform operator authenticates with the server-wide token from the configuration.
void require_platform(Api::State& s, const Request& r) {
    const auto token = Api::State::bearer(r);
    const auto& expected = s.settings.platform_token;
    if (expected.empty() || token.size() != expected.size() ||
        sodium_memcmp(token.data(), expected.data(), expected.size()) != 0)
        refuse(403, "forbidden", "only the platform operator may do this");
}

} // namespace

void add_feature_routes(Router& router, Api::State& s) {
    router.add("GET", "/api/v1/features", [&s](const Request& r) {
        return s.as_user(r, [&](const center::User& me) {
            nlohmann::json features = nlohmann::json::array();
            for (const auto& status : s.domain.features.list(me.account_id))
                features.push_back(feature_json(status));
            // Without a mail server the connection mail is never sent: the UI says so.
            return Response::ok(
                {{"features", features}, {"mail_configured", s.settings.mail_configured}});
        });
    });
    router.add("POST", "/api/v1/features/{key}/request", [&s](const Request& r) {
        const auto feature = feature_of(r);
        const auto body = JsonBody::parse(r, {"contact_email"});
        const auto contact_email = body.optional_string("contact_email", 254);
        return s.as_user(r, [&](const center::User& me) {
            auto status = [&] {
                try {
                    return s.domain.features.request(me, feature, contact_email);
                } catch (const core::Error& e) {
                    if (e.code() != core::ErrorCode::invalid_argument) throw;
                    throw ApiError(400, "invalid_argument", e.what(), {{"field", "contact_email"}});
                }
            }();
            announce(s, status);
            if (status.state == center::FeatureState::requested && auto_connects(s)) {
                status = s.domain.connect_feature(center::system_actor("auto-connect"),
                                                  me.account_id, feature);
                announce(s, status);
            }
            return Response::ok(feature_json(status));
        });
    });
    router.add("POST", "/api/v1/features/{key}/disable", [&s](const Request& r) {
        const auto feature = feature_of(r);
        JsonBody::parse(r, {});
        return s.as_user(r, [&](const center::User& me) {
            const auto status = s.domain.features.disable(me, feature);
            announce(s, status);
            return Response::ok(feature_json(status));
        });
    });
    router.add(
        "POST", "/api/v1/admin/accounts/{id}/features/{key}/connect",
        [&s](const Request& r) {
            require_platform(s, r);
            const auto account = center::AccountId{id_param(r)};
            const auto feature = feature_of(r);
            JsonBody::parse(r, {});
            return s.on_loop([&] {
                const auto status = s.domain.connect_feature(center::system_actor("platform-admin"),
                                                             account, feature);
                announce(s, status);
                return Response::ok(feature_json(status));
            });
        },
        Access::open); // the platform token is checked first, above
}

} // namespace suflyor::api
