#include "support/libre_phone.hpp"

#include <stdexcept>
#include <string>

namespace suflyor::e2e {

bool run_loop_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    struct Poll {
        std::function<bool()> done;
        std::chrono::steady_clock::time_point deadline;
        tmr timer{};
        bool reached{false};
        static void on_tick(void* arg) {
            auto& self = *static_cast<Poll*>(arg);
            if (self.done()) self.reached = true;
            if (self.reached || std::chrono::steady_clock::now() > self.deadline)
                re_cancel();
            else
                tmr_start(&self.timer, 20, &Poll::on_tick, &self);
        }
    } poll{done, std::chrono::steady_clock::now() + timeout};
    tmr_init(&poll.timer);
    tmr_start(&poll.timer, 0, &Poll::on_tick, &poll);
    re_main(nullptr);
    tmr_cancel(&poll.timer);
    return poll.reached;
}

LibrePhone::LibrePhone(sip_transp transport) : transport_(transport) {
    // libre's WebSocket client needs a DNS client even for IP literals (none is ever asked).
    sa nameserver{};
    sa_set_str(&nameserver, "127.0.0.1", 53);
    if (dnsc_alloc(&dns_, nullptr, &nameserver, 1) != 0)
        throw std::runtime_error("libre phone: dnsc_alloc failed");
    if (sip_alloc(&stack_, dns_, 32, 32, 32, "suflyor-e2e-libre-phone", nullptr, nullptr) != 0)
        throw std::runtime_error("libre phone: sip_alloc failed");
    sa local{};
    sa_set_str(&local, "127.0.0.1", 0);
    const int err = transport == SIP_TRANSP_UDP
                        ? sip_transp_add(stack_, SIP_TRANSP_UDP, &local)
                        : sip_transp_add_websock(stack_, transport, &local, false, nullptr);
    if (err != 0) throw std::runtime_error("libre phone: no transport: " + std::to_string(err));
    if (sip_listen(&listener_, stack_, true, &LibrePhone::on_request, this) != 0)
        throw std::runtime_error("libre phone: sip_listen failed");
}

LibrePhone::~LibrePhone() {
    mem_deref(registration_);
    mem_deref(listener_);
    sip_close(stack_, true);
    mem_deref(stack_);
    mem_deref(dns_);
}

void LibrePhone::register_at(int port, const std::string& user, const std::string& domain,
                             const std::string& password, std::uint32_t expires) {
    user_ = user;
    password_ = password;
    last_status_ = 0;
    registration_ = static_cast<sipreg*>(mem_deref(registration_));
    const std::string registrar =
        "sip:127.0.0.1:" + std::to_string(port) + sip_transp_param(transport_); // ";transport=ws"
    const std::string aor = "sip:" + user + "@" + domain;
    if (const int err =
            sipreg_register(&registration_, stack_, registrar.c_str(), aor.c_str(), nullptr,
                            aor.c_str(), expires, user.c_str(), nullptr, 0, 0, &LibrePhone::on_auth,
                            this, false, &LibrePhone::on_response, this, nullptr, nullptr))
        throw std::runtime_error("libre phone: sipreg_register failed: " + std::to_string(err));
}

// libre 1.1 has no sipreg_unregister: releasing a registration sends the Expires: 0 REGISTER.
void LibrePhone::unregister() { registration_ = static_cast<sipreg*>(mem_deref(registration_)); }

void LibrePhone::drop_connections() { sip_transp_flush(stack_); }

void LibrePhone::on_response(int err, const sip_msg* msg, void* arg) {
    auto& self = *static_cast<LibrePhone*>(arg);
    self.last_status_ = err != 0 || msg == nullptr ? 1 : msg->scode;
}

int LibrePhone::on_auth(char** user, char** password, const char*, void* arg) {
    auto& self = *static_cast<LibrePhone*>(arg);
    int err = str_dup(user, self.user_.c_str());
    err |= str_dup(password, self.password_.c_str());
    return err;
}

bool LibrePhone::on_request(const sip_msg* msg, void* arg) {
    auto& self = *static_cast<LibrePhone*>(arg);
    const std::string method(msg->met.p, msg->met.l);
    // The buffer may start with the WebSocket frame's header: the message starts at its method.
    const auto* end = reinterpret_cast<const char*>(msg->mb->buf + msg->mb->end);
    self.received_.push_back({method, std::string(msg->met.p, end)});
    if (method == "INVITE")
        (void)sip_treply(nullptr, self.stack_, msg, 486, "Busy Here");
    else if (method != "ACK")
        (void)sip_treply(nullptr, self.stack_, msg, 200, "OK");
    return true;
}

} // namespace suflyor::e2e
