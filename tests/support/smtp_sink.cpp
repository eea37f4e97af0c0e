#include "support/smtp_sink.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::test {
namespace {

constexpr std::size_t max_line = 64 * 1024; // a client sending more without CRLF is dropped

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

bool starts_with_ci(const std::string& line, std::string_view prefix) {
    return line.size() >= prefix.size() && upper(line.substr(0, prefix.size())) == prefix;
}

// "<a@b> SIZE=10" → "a@b"
std::string path_of(const std::string& arg) {
    const auto open = arg.find('<');
    const auto close = arg.find('>', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return arg;
    return arg.substr(open + 1, close - open - 1);
}

void send_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const auto n = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return; // the peer went away; its session ends on the next read
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

struct SmtpSink::Session {
    int fd;
    std::string buffer;
    bool in_data{false};
    bool closing{false};
    std::string helo;
    bool has_from{false};
    SmtpMessage current;
};

SmtpSink::SmtpSink() { start(); }

SmtpSink::~SmtpSink() { stop(); }

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpSink::start() {
    if (thread_.joinable()) return;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("smtp sink: socket: ") + strerror(errno));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port_);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const std::string why = strerror(errno);
        ::close(fd);
        throw std::runtime_error("smtp sink: cannot listen on port " + std::to_string(port_) +
                                 ": " + why);
    }
    port_ = ntohs(addr.sin_port);
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC) != 0) {
        ::close(fd);
        throw std::runtime_error(std::string("smtp sink: pipe: ") + strerror(errno));
    }
    wake_write_fd_ = wake[1];
    thread_ = std::thread([this, fd, wake_read = wake[0]] { run(fd, wake_read); });
}

void SmtpSink::stop() {
    if (!thread_.joinable()) return;
    const char byte = 'q';
    while (::write(wake_write_fd_, &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
    ::close(wake_write_fd_);
    wake_write_fd_ = -1;
}

bool SmtpSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

std::vector<SmtpMessage> SmtpSink::messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
}

void SmtpSink::set_rcpt_reply(const std::string& reply) {
    std::lock_guard lock(mutex_);
    rcpt_reply_ = reply;
}

void SmtpSink::run(int listen_fd, int wake_fd) {
    std::vector<Session> sessions;
    for (;;) {
        std::vector<pollfd> fds{{wake_fd, POLLIN, 0}, {listen_fd, POLLIN, 0}};
        for (const auto& s : sessions)
            fds.push_back({s.fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].revents != 0) break;
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            if (fds[i + 2].revents == 0) continue;
            auto& s = sessions[i];
            char chunk[4096];
            const auto n = ::recv(s.fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                s.closing = true;
                continue;
            }
            s.buffer.append(chunk, static_cast<std::size_t>(n));
            std::size_t eol;
            while (!s.closing && (eol = s.buffer.find("\r\n")) != std::string::npos) {
                const std::string line = s.buffer.substr(0, eol);
                s.buffer.erase(0, eol + 2);
                if (s.in_data)
                    on_data_line(s, line);
                else
                    on_line(s, line);
            }
            if (s.buffer.size() > max_line) s.closing = true;
        }
        std::erase_if(sessions, [](const Session& s) {
            if (s.closing) ::close(s.fd);
            return s.closing;
        });
        if (fds[1].revents & POLLIN) {
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                sessions.push_back(Session{fd, {}});
                send_all(fd, "220 127.0.0.1 Suflyor test sink ESMTP\r\n");
            }
        }
    }
    for (const auto& s : sessions)
        ::close(s.fd);
    ::close(listen_fd);
    ::close(wake_fd);
}

void SmtpSink::on_line(Session& s, const std::string& line) {
    const auto reset = [&] {
        s.has_from = false;
        s.current = SmtpMessage{};
    };
    if (starts_with_ci(line, "EHLO ") || starts_with_ci(line, "HELO ")) {
        reset();
        s.helo = line.substr(5);
        send_all(s.fd, starts_with_ci(line, "EHLO") ? "250-127.0.0.1\r\n250-8BITMIME\r\n250 SIZE "
                                                      "10485760\r\n"
                                                    : "250 127.0.0.1\r\n");
    } else if (starts_with_ci(line, "MAIL FROM:")) {
        reset();
        s.has_from = true;
        s.current.mail_from = path_of(line.substr(10));
        send_all(s.fd, "250 2.1.0 OK\r\n");
    } else if (starts_with_ci(line, "RCPT TO:")) {
        if (!s.has_from) return send_all(s.fd, "503 5.5.1 MAIL first\r\n");
        std::string reply;
        {
            std::lock_guard lock(mutex_);
            reply = rcpt_reply_;
        }
        if (!reply.empty()) return send_all(s.fd, reply + "\r\n");
        s.current.rcpt_to.push_back(path_of(line.substr(8)));
        send_all(s.fd, "250 2.1.5 OK\r\n");
    } else if (upper(line) == "DATA") {
        if (s.current.rcpt_to.empty()) return send_all(s.fd, "503 5.5.1 RCPT first\r\n");
        s.in_data = true;
        send_all(s.fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
    } else if (upper(line) == "RSET") {
        reset();
        send_all(s.fd, "250 2.0.0 OK\r\n");
    } else if (starts_with_ci(line, "NOOP")) {
        send_all(s.fd, "250 2.0.0 OK\r\n");
    } else if (upper(line) == "QUIT") {
        send_all(s.fd, "221 2.0.0 Bye\r\n");
        s.closing = true;
    } else {
        send_all(s.fd, "502 5.5.2 Command not recognized\r\n");
    }
}

void SmtpSink::on_data_line(Session& s, const std::string& line) {
    if (line == ".") {
        s.in_data = false;
        s.current.helo = s.helo;
        {
            std::lock_guard lock(mutex_);
            messages_.push_back(std::move(s.current));
        }
        arrived_.notify_all();
        s.current = SmtpMessage{};
        s.has_from = false;
        send_all(s.fd, "250 2.0.0 OK queued\r\n");
        return;
    }
    // RFC 5321 4.5.2: a leading dot was doubled by the client.
    s.current.data += line.starts_with('.') ? line.substr(1) : line;
    s.current.data += "\r\n";
}

} // namespace suflyor::test
