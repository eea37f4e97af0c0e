#include "baresip.hpp"

#include "server.hpp"

#include <regex>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::e2e {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds left_until(SteadyClock::time_point deadline) {
    return std::max(
        0ms, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()));
}

bool can_bind(const std::string& ip, int port, int type) {
    const int fd = ::socket(AF_INET, type, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// A SIP port where baresip can bind UDP and TCP on `port` and TLS on `port + 1`. A running party
// holds its own port and the next, so this never hands out a port adjacent to one.
int pick_sip_port(const std::string& ip) {
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = free_port(SOCK_DGRAM);
        if (port <= 1024 || port >= 65535) continue;
        if (can_bind(ip, port, SOCK_DGRAM) && can_bind(ip, port, SOCK_STREAM) &&
            can_bind(ip, port + 1, SOCK_STREAM) && can_bind(ip, port + 1, SOCK_DGRAM))
            return port;
    }
    throw std::runtime_error("baresip: no free SIP port pair");
}

int connect_tcp(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::uint32_t le32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint16_t le16(const unsigned char* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::string strip_ansi(const std::string& s) {
    static const std::regex ansi(R"(\x1b\[[0-9;]*m)");
    return std::regex_replace(s, ansi, "");
}

} // namespace

std::string BaresipAccount::line() const {
    std::string l = "<" + aor + ">";
    if (!auth_user.empty()) l += ";auth_user=" + auth_user;
    if (!auth_pass.empty()) l += ";auth_pass=" + auth_pass;
    l += ";regint=" + std::to_string(regint);
    if (auto_answer) l += ";answermode=auto";
    if (!audio_codecs.empty()) l += ";audio_codecs=" + audio_codecs;
    return l + extra_params;
}

WavAudio read_wav(const std::filesystem::path& path, int channel) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    if (bytes.size() < 12 || std::memcmp(b, "RIFF", 4) != 0 || std::memcmp(b + 8, "WAVE", 4) != 0)
        throw std::runtime_error("not a WAV file: " + path.string());
    WavAudio wav;
    int bits = 0;
    std::size_t pos = 12;
    while (pos + 8 <= bytes.size()) {
        const std::uint32_t size = le32(b + pos + 4);
        const std::size_t body = pos + 8;
        if (std::memcmp(b + pos, "fmt ", 4) == 0) {
            if (size < 16 || body + 16 > bytes.size())
                throw std::runtime_error("short fmt chunk: " + path.string());
            const std::uint16_t format = le16(b + body);
            wav.channels = le16(b + body + 2);
            wav.sample_rate = static_cast<int>(le32(b + body + 4));
            bits = le16(b + body + 14);
            if ((format != 1 && format != 0xFFFE) || bits != 16 || wav.channels < 1)
                throw std::runtime_error("not PCM16: " + path.string());
            if (channel < 0 || channel >= wav.channels)
                throw std::runtime_error("no channel " + std::to_string(channel) + " in " +
                                         path.string());
        } else if (std::memcmp(b + pos, "data", 4) == 0) {
            if (bits == 0) throw std::runtime_error("data before fmt: " + path.string());
            std::size_t data_size = size;
            // A file still being written: the header's sizes are not final yet.
            if (size == 0 || size == 0xFFFFFFFFu || body + data_size > bytes.size())
                data_size = bytes.size() - body;
            const std::size_t frame = 2u * static_cast<std::size_t>(wav.channels);
            const std::size_t frames = data_size / frame;
            wav.samples.resize(frames);
            for (std::size_t i = 0; i < frames; ++i)
                wav.samples[i] = static_cast<std::int16_t>(
                    le16(b + body + i * frame + 2u * static_cast<std::size_t>(channel)));
            return wav;
        }
        pos = body + size + (size & 1u);
    }
    if (bits == 0) throw std::runtime_error("no fmt chunk: " + path.string());
    return wav; // header only: nothing recorded yet
}

void drain_output(Process& process) {
    const auto never = [](const std::string&, const std::string&) { return false; };
    for (int round = 0; round < 1000; ++round) {
        const std::size_t before = process.out().size() + process.err().size();
        process.wait_for_output(never, 20ms);
        if (process.out().size() + process.err().size() == before) return;
    }
}

BaresipParty::BaresipParty(BaresipOptions options) : options_(std::move(options)) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("baresip-" + options_.name + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(recording_dir());
    std::string output;
    try {
        for (int attempt = 0; attempt < 3; ++attempt) {
            sip_port_ = pick_sip_port(options_.ip);
            // Not on the SIP/TLS ports baresip is about to bind: connecting there would reach
            // its SIP stack instead of ctrl_tcp.
            do {
                ctrl_port_ = free_port(SOCK_STREAM);
            } while (ctrl_port_ >= sip_port_ - 1 && ctrl_port_ <= sip_port_ + 2);
            write_config();
            if (start()) return;
        }
        output = output_text();
    } catch (...) {
        process_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        throw;
    }
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw std::runtime_error("baresip " + options_.name + " did not start:\n" + output);
}

BaresipParty::~BaresipParty() {
    if (process_) {
        if (ctrl_fd_ >= 0) quit(5s);
        process_.reset(); // SIGKILL if still running
    }
    if (ctrl_fd_ >= 0) ::close(ctrl_fd_);
    if (std::getenv("SUFLYOR_E2E_KEEP") == nullptr) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

void BaresipParty::write_config() const {
    // One party: loopback only, a tone as microphone, nothing audible, every call recorded.
    std::ofstream(dir_ / "config")
        << "poll_method epoll\n"
        << "sip_listen " << options_.ip << ":" << sip_port_ << "\n"
        << "net_interface " << options_.ip << "\n"
        << "call_local_timeout 120\n"
        << "call_max_calls 4\n"
        << "audio_source ausine," << options_.tone_hz << "\n"
        << "audio_player aubridge," << options_.name << "-play\n"
        << "audio_alert aubridge," << options_.name << "-alert\n"
        << "ausrc_srate 48000\nausrc_channels 2\nauplay_srate 48000\nauplay_channels 2\n"
        << "audio_level no\n"
        << "rtp_ports " << options_.rtp_ports << "\n"
        << "rtcp_mux no\n"
        << "jitter_buffer_delay 5-10\n"
        << "module_path /usr/lib/baresip/modules\n"
        << "module g711.so\nmodule g722.so\nmodule sndfile.so\n"
        << "module ausine.so\nmodule aubridge.so\n"
        << "module_tmp uuid.so\nmodule_tmp account.so\n"
        << "module_app menu.so\nmodule_app ctrl_tcp.so\n"
        << "ctrl_tcp_listen 127.0.0.1:" << ctrl_port_ << "\n"
        << "snd_path " << recording_dir().string() << "\n";
    std::ofstream(dir_ / "accounts") << options_.account.line() << "\n";
    std::ofstream(dir_ / "contacts") << "";
}

bool BaresipParty::start() {
    if (ctrl_fd_ >= 0) ::close(ctrl_fd_);
    ctrl_fd_ = -1;
    // Output goes to a file, not a pipe: baresip prints a status line many times a second during
    // a call, and a pipe nobody reads while the test waits on another party would fill and stall
    // it. exec keeps the pid baresip's own.
    std::ofstream(output_path(), std::ios::trunc).flush();
    const std::string command = "exec /usr/bin/baresip -f '" + dir_.string() + "'" +
                                (options_.sip_trace ? " -s" : "") + " >>'" +
                                output_path().string() + "' 2>&1";
    // baresip binds its RTP sockets to the wildcard address; a party on another loopback address
    // than 127.0.0.1 must send its media from that address too, as a host of its own would.
    std::vector<std::string> env;
    if (options_.ip != "127.0.0.1")
        env = {std::string("LD_PRELOAD=") + SUFLYOR_BIND_ADDRESS_PRELOAD,
               "SUFLYOR_BIND_IPV4=" + options_.ip};
    process_ = std::make_unique<Process>(std::vector<std::string>{"/bin/sh", "-c", command}, env,
                                         dir_.string());
    // The control port opens after SIP is bound and the accounts are loaded.
    const auto deadline = SteadyClock::now() + 30s;
    while (SteadyClock::now() < deadline) {
        ctrl_fd_ = connect_tcp(ctrl_port_);
        if (ctrl_fd_ >= 0) break;
        // Notices an early exit (e.g. a port taken meanwhile).
        if (process_->wait(0ms) != -1) return false;
        ::usleep(20'000); // between connection attempts
    }
    if (ctrl_fd_ < 0) return false;
    // The accounts are loaded before ctrl_tcp: a codec the account names but baresip lacks
    // (e.g. "G722" instead of "G722/16000/1") would silently fall back to every codec.
    const std::string output = output_text();
    if (output.find("audio codec not found") != std::string::npos) {
        ::close(ctrl_fd_);
        ctrl_fd_ = -1;
        throw std::runtime_error("baresip " + options_.name + ": bad audio_codecs in account '" +
                                 options_.account.line() + "':\n" + output);
    }
    return true;
}

void BaresipParty::pump(std::chrono::milliseconds budget) {
    if (ctrl_fd_ >= 0) {
        pollfd pfd{ctrl_fd_, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(budget.count())) > 0) {
            char buf[8192];
            const ssize_t got = ::read(ctrl_fd_, buf, sizeof buf);
            if (got > 0) {
                inbox_.append(buf, static_cast<std::size_t>(got));
            } else {
                event_log_ += "control connection closed (" +
                              std::string(got == 0 ? "EOF" : std::strerror(errno)) + ")\n";
                ::close(ctrl_fd_);
                ctrl_fd_ = -1;
            }
        }
    }
    // Netstrings: "<len>:<payload>,".
    for (;;) {
        const auto colon = inbox_.find(':');
        if (colon == std::string::npos) break;
        const std::size_t len = std::stoul(inbox_.substr(0, colon));
        if (inbox_.size() < colon + 1 + len + 1) break;
        handle_message(inbox_.substr(colon + 1, len));
        inbox_.erase(0, colon + 1 + len + 1);
    }
    const auto never = [](const std::string&, const std::string&) { return false; };
    for (Process* other : drained_)
        other->wait_for_output(never, 1ms);
}

void BaresipParty::handle_message(const std::string& json_text) {
    auto message = nlohmann::json::parse(json_text, nullptr, false);
    if (message.is_discarded()) {
        event_log_ += "unparsable: " + json_text + "\n";
        return;
    }
    if (message.value("event", false)) {
        const std::string type = message.value("type", "");
        if (type != "CALL_RTCP") event_log_ += "event " + type + " " + message.dump() + "\n";
        events_.push_back(std::move(message));
    } else if (message.value("response", false)) {
        event_log_ += "response " + message.dump() + "\n";
        responses_.push_back(std::move(message));
    }
}

BaresipResponse BaresipParty::command(const std::string& name, const std::string& params,
                                      std::chrono::milliseconds timeout) {
    if (ctrl_fd_ < 0) return {};
    const std::string token = std::to_string(next_token_++);
    nlohmann::json request{{"command", name}, {"token", token}};
    if (!params.empty()) request["params"] = params;
    const std::string payload = request.dump();
    const std::string framed = std::to_string(payload.size()) + ":" + payload + ",";
    if (::send(ctrl_fd_, framed.data(), framed.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(framed.size())) {
        event_log_ += "command " + payload + " not sent: " + std::strerror(errno) + "\n";
        return {};
    }
    event_log_ += "command " + payload + "\n";
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        const auto it = std::find_if(responses_.begin(), responses_.end(),
                                     [&](const auto& r) { return r.value("token", "") == token; });
        if (it != responses_.end()) {
            BaresipResponse response{it->value("ok", false), it->value("data", "")};
            responses_.erase(it);
            return response;
        }
        if (ctrl_fd_ < 0 || SteadyClock::now() >= deadline) return {};
        pump(std::min(left_until(deadline), 100ms));
    }
}

bool BaresipParty::dial(const std::string& uri) { return command("dial", uri).ok; }
bool BaresipParty::hangup() { return command("hangup").ok; }
bool BaresipParty::send_digit(char digit) { return command("sndcode", std::string(1, digit)).ok; }

int BaresipParty::quit(std::chrono::milliseconds timeout) {
    if (!process_) return -1;
    if (ctrl_fd_ >= 0) {
        // baresip may close the connection before answering: the exit is what counts.
        command("quit", "", 2s);
    } else {
        process_->signal(SIGTERM);
    }
    const int code = process_->wait(timeout);
    if (ctrl_fd_ >= 0) ::close(ctrl_fd_);
    ctrl_fd_ = -1;
    return code;
}

bool BaresipParty::wait_registered(std::chrono::milliseconds timeout) {
    static const std::regex ok(R"(\bOK\b)");
    const auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
        const auto info = command("reginfo", "", left_until(deadline));
        if (info.ok && std::regex_search(strip_ansi(info.data), ok)) return true;
        pump(std::min(left_until(deadline), 200ms));
    }
    return false;
}

std::optional<nlohmann::json> BaresipParty::wait_event(const std::string& type,
                                                       std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        const auto it = std::find_if(events_.begin(), events_.end(),
                                     [&](const auto& e) { return e.value("type", "") == type; });
        if (it != events_.end()) {
            auto event = std::move(*it);
            events_.erase(it);
            return event;
        }
        if (ctrl_fd_ < 0 || SteadyClock::now() >= deadline) return std::nullopt;
        pump(std::min(left_until(deadline), 100ms));
    }
}

bool BaresipParty::wait_heard_seconds(double seconds, std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        if (const auto latest = latest_received_recording()) {
            try {
                if (read_wav(*latest).seconds() >= seconds) return true;
            } catch (const std::exception&) {
                // The header may not be complete yet: try again.
            }
        }
        if (SteadyClock::now() >= deadline) return false;
        pump(std::min(left_until(deadline), 100ms));
    }
}

std::vector<std::filesystem::path> BaresipParty::received_recordings() const {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(recording_dir(), ec)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with("dump-") && name.ends_with("-dec.wav")) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::optional<std::filesystem::path> BaresipParty::latest_received_recording() const {
    auto all = received_recordings();
    if (all.empty()) return std::nullopt;
    return all.back();
}

WavAudio BaresipParty::heard() const {
    const auto latest = latest_received_recording();
    if (!latest) throw std::runtime_error("baresip " + options_.name + ": nothing recorded");
    return read_wav(*latest);
}

std::string BaresipParty::output_text() const {
    std::ifstream in(output_path());
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string BaresipParty::uri(const std::string& user) const {
    return "sip:" + user + "@" + options_.ip + ":" + std::to_string(sip_port_);
}

std::string BaresipParty::log() {
    std::string text = "--- baresip " + options_.name + " (sip " + options_.ip + ":" +
                       std::to_string(sip_port_) + ", dir " + dir_.string() + ")\n";
    text += output_text();
    return text + "--- control\n" + event_log_;
}

int BaresipParty::pid() const { return process_ ? process_->pid() : -1; }

} // namespace suflyor::e2e
