#pragma once
// The B2BUA's view of the domain and of the media engine (internal to the app module).
#include "app/config.hpp"
#include "center/center.hpp"
#include "media/media.hpp"
#include "sip/b2bua.hpp"
#include "store/store.hpp"

namespace suflyor::app {

media::EngineConfig engine_config(const MediaConfig& config);
// Trunks of the configuration with their accounts resolved; throws ConfigError for an unknown
// account or a bad source range.
sip::TrunkTable trunk_table(const std::vector<TrunkConfig>& trunks, store::Store& store);

class EngineAnchor final : public sip::MediaAnchor {
public:
    EngineAnchor(media::MediaEngine& engine, std::string advertised)
        : engine_(engine), advertised_(std::move(advertised)) {}
    [[nodiscard]] std::string advertised_address() const override { return advertised_; }
    std::int64_t create_room() override;
    sip::AnchoredLeg add_leg(std::int64_t room,
                             const std::optional<sdp::Negotiated>& remote) override;
    void update_leg(const sip::AnchoredLeg& leg, const sdp::Negotiated& remote) override;
    void remove_leg(const sip::AnchoredLeg& leg) override;
    void bridge(std::int64_t room, const sip::AnchoredLeg& client,
                const sip::AnchoredLeg& op) override;
    void destroy_room(std::int64_t room) override;

private:
    media::MediaEngine& engine_;
    std::string advertised_;
};

class StoreCallRouter final : public sip::CallRouter {
public:
    StoreCallRouter(store::Store& store, center::CallLog& calls) : store_(store), calls_(calls) {}
    std::optional<sip::InboundRoute> route_from_trunk(const sip::Trunk& trunk,
                                                      const std::string& did) override;
    std::int64_t call_started(const sip::InboundRoute& route,
                              const std::string& client_number) override;
    void call_ringing(std::int64_t call, const sip::Aor& op) override;
    void call_answered(std::int64_t call, const sip::Aor& op, std::int64_t room) override;
    void call_ended(std::int64_t call, const std::string& reason) override;

private:
    store::Store& store_;
    center::CallLog& calls_;
};

} // namespace suflyor::app
