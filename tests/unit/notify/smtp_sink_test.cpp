// The test SMTP server itself, driven by hand over a socket: the other tests rely on it.
#include "support/smtp_sink.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::test {
namespace {

// A blocking line client with a receive timeout (no test can hang on it).
class Client {
public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~Client() { ::close(fd_); }
    [[nodiscard]] bool connected() const { return connected_; }
    void send(const std::string& text) {
        ASSERT_EQ(::send(fd_, text.data(), text.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(text.size()));
    }
    // The last line of the next reply (multi-line replies end at "NNN ").
    std::string reply() {
        for (;;) {
            const auto eol = buffer_.find("\r\n");
            if (eol != std::string::npos) {
                const auto line = buffer_.substr(0, eol);
                buffer_.erase(0, eol + 2);
                if (line.size() >= 4 && line[3] == '-') continue;
                return line;
            }
            char chunk[512];
            const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) return "<closed>";
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    std::string say(const std::string& line) {
        send(line + "\r\n");
        return reply();
    }

private:
    int fd_;
    bool connected_{false};
    std::string buffer_;
};

std::string code(const std::string& reply) { return reply.substr(0, 3); }

TEST(SmtpSink, DialogueWithDotUnstuffingRsetAndNoop) {
    SmtpSink sink;
    Client c(sink.port());
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(code(c.reply()), "220");
    const std::pair<std::string, std::string> dialogue[] = {
        {"EHLO client.test", "250"},
        {"RCPT TO:<x@y.test>", "503"}, // MAIL first
        {"MAIL FROM:<dropped@y.test>", "250"},
        {"RSET", "250"}, // forgets the transaction
        {"DATA", "503"},
        {"NOOP", "250"},
        {"MAIL FROM:<from@y.test> SIZE=100", "250"},
        {"RCPT TO:<a@y.test>", "250"},
        {"RCPT TO:<b@y.test>", "250"},
        {"DATA", "354"},
        {"WHAT", "502"}, // after DATA's content below
    };
    for (std::size_t i = 0; i + 1 < std::size(dialogue); ++i)
        EXPECT_EQ(code(c.say(dialogue[i].first)), dialogue[i].second) << dialogue[i].first;
    c.send("Subject: x\r\n\r\n..leading dot\r\nmiddle . dot\r\n.\r\n");
    EXPECT_EQ(code(c.reply()), "250");
    EXPECT_EQ(code(c.say("WHAT")), "502");
    EXPECT_EQ(code(c.say("HELO again.test")), "250");
    EXPECT_EQ(code(c.say("QUIT")), "221");
    ASSERT_TRUE(sink.wait_for(1, std::chrono::seconds{5}));
    const auto got = sink.messages();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].helo, "client.test");
    EXPECT_EQ(got[0].mail_from, "from@y.test");
    EXPECT_EQ(got[0].rcpt_to, (std::vector<std::string>{"a@y.test", "b@y.test"}));
    EXPECT_EQ(got[0].data, "Subject: x\r\n\r\n.leading dot\r\nmiddle . dot\r\n");
}

TEST(SmtpSink, StoppedRefusesConnectionsAndRestartsOnTheSamePort) {
    SmtpSink sink;
    const auto port = sink.port();
    ASSERT_NE(port, 0);
    sink.stop();
    EXPECT_FALSE(Client(port).connected());
    sink.start();
    EXPECT_EQ(sink.port(), port);
    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(code(c.reply()), "220");
    EXPECT_FALSE(sink.wait_for(1, std::chrono::milliseconds{1})); // nothing arrived
}

TEST(SmtpSink, ConfiguredRcptReply) {
    SmtpSink sink;
    sink.set_rcpt_reply("550 5.1.1 no such mailbox");
    Client c(sink.port());
    EXPECT_EQ(code(c.reply()), "220");
    EXPECT_EQ(code(c.say("HELO h")), "250");
    EXPECT_EQ(code(c.say("MAIL FROM:<a@b>")), "250");
    EXPECT_EQ(c.say("RCPT TO:<c@d>"), "550 5.1.1 no such mailbox");
    EXPECT_EQ(code(c.say("DATA")), "503");
}

} // namespace
} // namespace suflyor::test
