#pragma once
// The B2BUA's view of the domain and of the media engine (internal to the app module).
#include "app/config.hpp"
#include "center/center.hpp"
#include "media/media.hpp"
#include "sip/b2bua.hpp"
#include "sip/sip.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <set>

namespace suflyor::app {

media::EngineConfig engine_config(const MediaConfig& config);
// Trunks of the configuration with their accounts resolved; throws ConfigError for an unknown
// account or a bad source range.
sip::TrunkTable trunk_table(const std::vector<TrunkConfig>& trunks, store::Store& store);

class EngineAnchor final : public sip::MediaAnchor {
public:
    EngineAnchor(media::MediaEngine& engine, std::string advertised,
                 std::filesystem::path recording_dir)
        : engine_(engine), advertised_(std::move(advertised)),
          recording_dir_(std::move(recording_dir)) {}
    [[nodiscard]] std::string advertised_address() const override { return advertised_; }
    std::int64_t create_room() override;
    sip::AnchoredLeg add_leg(std::int64_t room, const std::optional<sdp::Negotiated>& remote,
                             sip::LegRole role, const std::string& signalling_ip,
                             bool browser) override;
    void update_leg(const sip::AnchoredLeg& leg, const sdp::Negotiated& remote,
                    const std::string& signalling_ip) override;
    void remove_leg(const sip::AnchoredLeg& leg) override;
    void bridge(std::int64_t room, const sip::AnchoredLeg& client,
                const sip::AnchoredLeg& op) override;
    void destroy_room(std::int64_t room) override;
    std::string start_recording(std::int64_t room, std::int64_t call) override;

    // Asks every live room for its legs' statistics (answered as media events).
    void request_stats();

private:
    std::set<std::int64_t> rooms_; // live rooms, for statistics
    media::MediaEngine& engine_;
    std::string advertised_;
    std::filesystem::path recording_dir_;
};

// Told when calls are answered or end (the monitor service follows them).
class CallObserver {
public:
    virtual ~CallObserver() = default;
    virtual void on_call_answered(center::CallId call) = 0;
    virtual void on_call_ended(center::CallId call) = 0;
};

class StoreCallRouter final : public sip::CallRouter {
public:
    StoreCallRouter(store::Store& store, center::CallLog& calls, const sip::TrunkTable& trunks,
                    sip::SipDirectory& directory)
        : store_(store), calls_(calls), trunks_(trunks), directory_(directory) {}
    std::optional<sip::CallPlan> route_from_trunk(const sip::Trunk& trunk,
                                                  const std::string& did) override;
    std::optional<sip::CallPlan> route_from_employee(const std::string& domain,
                                                     const std::string& user,
                                                     const std::string& dialled) override;
    std::int64_t call_started(const sip::CallPlan& plan) override;
    void call_ringing(std::int64_t call, const sip::Aor& employee) override;
    void call_answered(std::int64_t call, std::int64_t room,
                       const std::string& recording_path) override;
    void call_ended(std::int64_t call, const std::string& reason) override;
    void set_observer(CallObserver* observer) { observer_ = observer; }

private:
    // The trunk an employee's outbound call leaves by: the one whose numbers reach their project,
    // else the account's first trunk.
    const sip::Trunk* trunk_for(std::int64_t account_id,
                                const std::optional<center::Project>& project) const;

    store::Store& store_;
    center::CallLog& calls_;
    const sip::TrunkTable& trunks_;
    sip::SipDirectory& directory_;
    CallObserver* observer_{nullptr};
};

} // namespace suflyor::app
