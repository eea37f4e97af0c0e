#include "api/context.hpp"
#include "api/text.hpp"

namespace suflyor::api {

void refuse(int status, const std::string& code, const std::string& message) {
    throw ApiError(status, code, message);
}

void require_supervisor(const center::User& user) {
    if (!center::may_supervise(user.role))
        refuse(403, "forbidden", "only the account's creator or administrators may do this");
}

std::string Api::State::bearer(const Request& request) {
    const auto header = request.header("authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (header.size() <= scheme.size() ||
        !text::iequals(std::string_view(header).substr(0, scheme.size()), scheme))
        throw ApiError(401, "unauthorized", "sign in first: Authorization: Bearer <token>");
    return header.substr(scheme.size());
}

center::User Api::State::user_for(const std::string& token) {
    const auto id = tokens.resolve(token);
    if (!id) throw ApiError(401, "unauthorized", "the token is unknown, expired or revoked");
    auto user = domain.store.users().find(*id);
    if (!user) {
        tokens.revoke_user(*id);
        throw ApiError(401, "unauthorized", "the token's user no longer exists");
    }
    if (!user->active) {
        tokens.revoke_user(*id);
        throw ApiError(401, "unauthorized", "the token's user was deactivated");
    }
    return *user;
}

Api::Api(LoopRunner loop, ApiDomain domain, ApiSettings settings, Metrics& metrics)
    : state_(std::make_unique<State>(std::move(loop), domain, std::move(settings), metrics)) {
    add_auth_routes(router_, *state_);
    add_team_routes(router_, *state_);
    add_project_routes(router_, *state_);
    add_call_routes(router_, *state_);
    add_card_routes(router_, *state_);
    add_monitor_routes(router_, *state_);
    add_feature_routes(router_, *state_);
    add_device_routes(router_, *state_);
    add_trunk_routes(router_, *state_);
    add_employee_routes(router_, *state_);
    add_meta_routes(router_, *state_);
    router_.set_gate([state = state_.get()](const Request& request) {
        const auto token = State::bearer(request);
        state->loop([&] { state->user_for(token); });
    });
}

Api::~Api() = default;

const Router& Api::router() const { return router_; }

std::size_t Api::sweep_tokens() {
    state_->tokens.sweep();
    return state_->tokens.size();
}

std::vector<std::string> Api::browser_secrets(center::UserId user) const {
    return state_->tokens.browser_secrets(user);
}

std::optional<WsIdentity> Api::authenticate_ws(const std::string& token) {
    std::optional<WsIdentity> identity;
    try {
        state_->loop([&] {
            const auto user = state_->user_for(token);
            identity = WsIdentity{user.account_id.value(), user.id.value()};
        });
    } catch (const ApiError&) {
        return std::nullopt;
    }
    return identity;
}

} // namespace suflyor::api
