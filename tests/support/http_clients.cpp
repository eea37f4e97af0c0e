#include "support/http_clients.hpp"

#include "support/ws_frame.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstring>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::test {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) headers.clear(); // a new (final or 100) response
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
            value.pop_back();
        headers[name] = value;
    }
    return size * count;
}

int connect_loopback(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("connect failed");
    }
    return fd;
}

void send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

} // namespace

HttpReply http(const HttpCall& call) {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
    HttpReply reply;
    curl_slist* headers = curl_slist_append(nullptr, "Expect:");
    for (const auto& header : call.headers)
        headers = curl_slist_append(headers, header.c_str());
    if (call.chunked) headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (call.path_as_is) curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    if (call.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (call.method != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    }
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT" ||
        call.method == "PATCH") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
        if (!call.chunked) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(call.body.size()));
        }
    }
    const CURLcode result = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (result != CURLE_OK && reply.status == 0) {
        throw std::runtime_error(std::string("curl: ") + curl_easy_strerror(result));
    }
    return reply;
}

std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout, bool half_close) {
    const int fd = connect_loopback(port);
    send_all(fd, request);
    if (half_close) ::shutdown(fd, SHUT_WR);
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

WsClient::WsClient(std::uint16_t port, const std::string& target,
                   std::vector<std::string> headers) {
    fd_ = connect_loopback(port);
    send_all(fd_, upgrade_request(target, port, headers));

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!fill(deadline)) return;
    }
    const std::string head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    status_ = std::atoi(head.c_str() + head.find(' ') + 1);
    if (status_ == 101) {
        if (head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == std::string::npos) {
            status_ = -1; // a wrong accept value is a failed handshake
        }
        return;
    }
    std::string lower_head = head;
    std::transform(lower_head.begin(), lower_head.end(), lower_head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto length_at = lower_head.find("content-length:");
    const std::size_t length =
        length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 15));
    while (buffer_.size() < length && fill(deadline)) {
    }
    refusal_body_ = buffer_.substr(0, length);
}

WsClient::~WsClient() {
    if (fd_ >= 0) ::close(fd_);
}

bool WsClient::fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[8192];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<WsClient::Frame> WsClient::read_frame(std::chrono::milliseconds timeout,
                                                    bool return_pings) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        while (buffer_.size() < 2) {
            if (!fill(deadline)) return std::nullopt;
        }
        const auto b0 = static_cast<unsigned char>(buffer_[0]);
        const auto b1 = static_cast<unsigned char>(buffer_[1]);
        if ((b1 & 0x80) != 0) throw std::runtime_error("server frames must not be masked");
        std::size_t header = 2;
        std::uint64_t length = b1 & 0x7F;
        if (length == 126) header = 4;
        if (length == 127) header = 10;
        while (buffer_.size() < header) {
            if (!fill(deadline)) return std::nullopt;
        }
        if (header > 2) {
            length = 0;
            for (std::size_t i = 2; i < header; ++i) {
                length = (length << 8) | static_cast<unsigned char>(buffer_[i]);
            }
        }
        while (buffer_.size() < header + length) {
            if (!fill(deadline)) return std::nullopt;
        }
        Frame frame{b0 & 0x0F, buffer_.substr(header, length)};
        buffer_.erase(0, header + length);
        if ((b0 & 0x80) == 0) throw std::runtime_error("fragmented frames are not expected");
        if (frame.opcode == 0x9) {
            send_frame(0xA, frame.payload);
            if (!return_pings) continue;
        }
        return frame;
    }
}

void WsClient::send_frame(int opcode, const std::string& payload) {
    const auto frame =
        masked_client_frame(static_cast<std::uint8_t>(0x80 | opcode), payload, "\x12\x34\x56\x78");
    send_all(fd_, frame);
}

} // namespace suflyor::test
