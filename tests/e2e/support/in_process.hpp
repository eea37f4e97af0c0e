#pragma once
// The server's Runtime (exactly what `serve` runs) on its own control-loop thread inside the test
// process, for tests that drive the domain directly (join a call, place a call) while real phones
// (sipp, baresip) talk to its SIP port.
#include "app/runtime.hpp"

#include <filesystem>
#include <thread>
#include <utility>

namespace suflyor::e2e {

// The usual test server: database and recordings under `dir`, one media worker, fast password
// hashing, SIP (UDP) and HTTP on free ports, creator `admin` with password "admin-password" and
// SIP password "admin-sip-secret", and the provider trunk at 127.0.0.2:`provider_port` whose
// number 74950000001 reaches project "Sales".
app::Config in_process_config(const std::filesystem::path& dir, int provider_port);

class InProcessServer {
public:
    explicit InProcessServer(app::Config config); // started; rethrows what start-up threw
    ~InProcessServer();                           // stopped and joined
    InProcessServer(const InProcessServer&) = delete;
    InProcessServer& operator=(const InProcessServer&) = delete;

    app::Runtime& runtime() { return *runtime_; }
    // Runs `work` on the control loop and returns its result.
    template <class F> auto call(F&& work) -> decltype(work()) {
        return runtime_->commands().call(std::forward<F>(work));
    }
    [[nodiscard]] int sip_port();

private:
    app::Config config_; // the Runtime keeps a reference
    std::thread loop_;
    app::Runtime* runtime_{nullptr};
};

} // namespace suflyor::e2e
