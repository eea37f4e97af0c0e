#include "in_process.hpp"

#include <future>
#include <sstream>

namespace suflyor::e2e {

app::Config in_process_config(const std::filesystem::path& dir, int provider_port) {
    app::Config config;
    config.storage.path = (dir / "db.sqlite").string();
    config.media.recording_dir = (dir / "recordings").string();
    config.media.workers = 1;
    config.security.password_cost = "minimal";
    config.sip.listen.port = 0;
    config.sip.transports = {"udp"};
    config.http.listen.port = 0;
    config.bootstrap.creator_password = "admin-password";
    config.bootstrap.creator_sip_password = "admin-sip-secret";
    app::TrunkConfig trunk;
    trunk.name = "provider";
    trunk.peer = "127.0.0.2:" + std::to_string(provider_port);
    trunk.sources = {"127.0.0.2"};
    trunk.dids = {{"74950000001", "Sales"}};
    config.trunks = {trunk};
    return config;
}

InProcessServer::InProcessServer(app::Config config) : config_(std::move(config)) {
    std::promise<app::Runtime*> ready;
    auto started = ready.get_future();
    loop_ = std::thread([this, &ready] {
        std::ostringstream out;
        try {
            app::Runtime runtime(config_, out);
            ready.set_value(&runtime);
            runtime.run(nullptr);
        } catch (...) {
            ready.set_exception(std::current_exception());
        }
    });
    try {
        runtime_ = started.get();
    } catch (...) {
        loop_.join();
        throw;
    }
}

InProcessServer::~InProcessServer() {
    if (runtime_ != nullptr) runtime_->stop();
    if (loop_.joinable()) loop_.join();
}

int InProcessServer::sip_port() {
    return call([this] { return runtime_->sip().port("udp"); });
}

} // namespace suflyor::e2e
