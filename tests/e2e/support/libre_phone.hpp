#pragma once
// A SIP user agent on libre's own client stack, in the test process, for what sipp and baresip
// cannot do here: SIP over WebSocket (Debian's baresip 1.0 has no ws transport). libre's client
// WebSocket (sip_transp_add_websock with server=false) opens ws://host:port/ with
// "Sec-WebSocket-Protocol: sip", as a browser does (without an Origin header). The phone records
// the requests it receives and answers INVITEs 486 (Busy Here). Runs on libre's loop: the test
// drives it with run_loop_until().
#include <re.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace suflyor::e2e {

// Runs libre's loop until `done()` holds or `timeout` passes (checked every 20 ms).
bool run_loop_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

struct ReceivedRequest {
    std::string method;
    std::string text; // the whole message
};

class LibrePhone {
public:
    // `transport`: SIP_TRANSP_WS or SIP_TRANSP_UDP. Needs libre_init().
    explicit LibrePhone(sip_transp transport);
    ~LibrePhone();
    LibrePhone(const LibrePhone&) = delete;
    LibrePhone& operator=(const LibrePhone&) = delete;

    // Starts registering `user`@`domain` at 127.0.0.1:`port` with `password`; the outcome
    // arrives in last_status() (200, 403, ...) as the loop runs.
    void register_at(int port, const std::string& user, const std::string& domain,
                     const std::string& password, std::uint32_t expires = 600);
    // Sends an un-REGISTER (Expires: 0, unanswered here) and stops refreshing.
    void unregister();
    // Closes the phone's connections without a word (a browser tab closed or its network
    // gone); the phone can send nothing afterwards.
    void drop_connections();
    [[nodiscard]] std::uint16_t last_status() const { return last_status_; }
    [[nodiscard]] const std::vector<ReceivedRequest>& received() const { return received_; }

private:
    static void on_response(int err, const sip_msg* msg, void* arg);
    static int on_auth(char** user, char** password, const char* realm, void* arg);
    static bool on_request(const sip_msg* msg, void* arg);

    sip_transp transport_;
    dnsc* dns_{nullptr};
    ::sip* stack_{nullptr};
    sip_lsnr* listener_{nullptr};
    sipreg* registration_{nullptr};
    std::string user_;
    std::string password_;
    std::uint16_t last_status_{0};
    std::vector<ReceivedRequest> received_;
};

} // namespace suflyor::e2e
