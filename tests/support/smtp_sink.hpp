#pragma once
// A small real SMTP server for tests: listens on 127.0.0.1 (port 0 on first start), speaks
// EHLO/HELO, MAIL FROM, RCPT TO, DATA (with dot-unstuffing), RSET, NOOP and QUIT on its own
// thread, and keeps what it received. stop() closes it (connections are then refused, as in an
// outage); start() opens it again on the same port.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace suflyor::test {

struct SmtpMessage {
    std::string helo;      // the client's EHLO/HELO argument
    std::string mail_from; // the reverse path, without angle brackets
    std::vector<std::string> rcpt_to;
    std::string data; // the message as sent (CRLF lines), unstuffed, without the final "."
};

class SmtpSink {
public:
    SmtpSink(); // started
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;
    ~SmtpSink();

    void start(); // no-op when running; throws std::runtime_error when it cannot listen
    void stop();  // no-op when stopped; drops open sessions

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::string url() const; // smtp://127.0.0.1:<port>

    // Waits until at least `count` messages arrived; false on timeout.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout);
    [[nodiscard]] std::vector<SmtpMessage> messages() const;
    // The reply to every RCPT TO, e.g. "550 5.1.1 no such mailbox"; empty restores "250 OK".
    void set_rcpt_reply(const std::string& reply);

private:
    struct Session;
    void run(int listen_fd, int wake_fd);
    void on_line(Session& session, const std::string& line);
    void on_data_line(Session& session, const std::string& line);

    std::uint16_t port_{0};
    int wake_write_fd_{-1};
    std::thread thread_;

    mutable std::mutex mutex_; // guards what tests read: messages_, rcpt_reply_
    std::condition_variable arrived_;
    std::vector<SmtpMessage> messages_;
    std::string rcpt_reply_;
};

} // namespace suflyor::test
