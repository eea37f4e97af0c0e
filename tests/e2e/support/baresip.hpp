#pragma once
// A scripted baresip 1.0 party for end-to-end tests (see FIELD-NOTES "baresip"): its own config
// directory, SIP on loopback at a port no other party is adjacent to (baresip also binds TLS on
// port + 1), an ausine tone as its microphone (48 kHz stereo), a headless aubridge player, and
// sndfile recording what it hears into its own directory. It is driven over ctrl_tcp (netstring
// JSON): commands get their response, events (call established/closed...) are queued and waited
// for with deadlines — never fixed sleeps.
#include "process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::e2e {

// One baresip account line: `<sip:aor>;auth_pass=..;regint=..;answermode=..;audio_codecs=..`.
struct BaresipAccount {
    std::string aor;          // "sip:olga@127.0.0.1:5060": the registrar is its host:port
    std::string auth_user;    // empty: the AOR's user
    std::string auth_pass;    // empty: no credentials
    int regint = 0;           // 0: never registers (a trunk-side caller)
    bool auto_answer = false; // answermode=auto
    // Comma-separated name[/rate[/channels]]; the rate defaults to 8000, so G.722 needs
    // "G722/16000/1". An unknown codec makes the party refuse to start.
    std::string audio_codecs = "PCMU";
    std::string extra_params; // appended verbatim (";key=value...")

    [[nodiscard]] std::string line() const;
};

struct BaresipOptions {
    std::string name;             // label in logs and the config directory's name
    std::string ip = "127.0.0.1"; // SIP and RTP bind address (net_interface)
    double tone_hz = 0;           // what this party "says": an ausine tone
    BaresipAccount account;
    // Off the server's default RTP range (20000-29999) and the kernel's ephemeral range.
    std::string rtp_ports = "10000-19999";
    bool sip_trace = false; // baresip -s: SIP messages in log()
};

// A registered, auto-answering phone of `user` (digest with `secret`) on the server's SIP port,
// saying `tone_hz`: an operator's or supervisor's softphone.
[[nodiscard]] inline BaresipOptions auto_answer_phone(const std::string& name, int server_sip_port,
                                                      const std::string& user,
                                                      const std::string& secret, double tone_hz) {
    return BaresipOptions{
        .name = name,
        .tone_hz = tone_hz,
        .account = {.aor = "sip:" + user + "@127.0.0.1:" + std::to_string(server_sip_port),
                    .auth_pass = secret,
                    .regint = 600,
                    .auto_answer = true}};
}

struct BaresipResponse {
    bool ok = false;
    std::string data;
};

// One channel of a WAV file (baresip records mono at the decoder's rate).
struct WavAudio {
    int sample_rate = 0;
    int channels = 0;
    std::vector<std::int16_t> samples;

    [[nodiscard]] double seconds() const {
        return sample_rate == 0 ? 0.0 : static_cast<double>(samples.size()) / sample_rate;
    }
};

// Reads `channel` of a PCM16 WAV, tolerating the sizes of a file still being written (0 or
// 0xFFFFFFFF, or longer than the file): the data then runs to the end of the file. Throws on
// malformed input or a channel the file lacks.
[[nodiscard]] WavAudio read_wav(const std::filesystem::path& path, int channel = 0);

// Reads everything `process` has written so far (its pipes hold it until read).
void drain_output(Process& process);

class BaresipParty {
public:
    // Writes the config, starts baresip and connects to its control port; throws on failure
    // (after a few attempts with fresh ports, in case another process took one meanwhile).
    explicit BaresipParty(BaresipOptions options);
    BaresipParty(const BaresipParty&) = delete;
    BaresipParty& operator=(const BaresipParty&) = delete;
    ~BaresipParty(); // quits (then kills) baresip, removes its directory

    // --- commands (each waits for its response) ---
    BaresipResponse command(const std::string& name, const std::string& params = "",
                            std::chrono::milliseconds timeout = std::chrono::seconds{10});
    bool dial(const std::string& uri);
    bool hangup();
    bool send_digit(char digit); // one digit per sndcode: baresip 1.0 drops the rest
    // Asks baresip to quit and waits for its exit; returns the exit code (-1 on timeout).
    int quit(std::chrono::milliseconds timeout = std::chrono::seconds{10});
    // Sends `sig` to baresip (SIGSTOP/SIGCONT: the phone falls silent, as in a network gap).
    void signal(int sig) { process_->signal(sig); }

    // --- waiting, all bounded by `timeout` ---
    // Polls `reginfo` until the account's registration shows OK.
    bool wait_registered(std::chrono::milliseconds timeout);
    // Returns (and consumes) the first queued or arriving event of `type`, e.g. "CALL_CLOSED".
    std::optional<nlohmann::json> wait_event(const std::string& type,
                                             std::chrono::milliseconds timeout);
    bool wait_call_established(std::chrono::milliseconds timeout) {
        return wait_event("CALL_ESTABLISHED", timeout).has_value();
    }
    bool wait_call_closed(std::chrono::milliseconds timeout) {
        return wait_event("CALL_CLOSED", timeout).has_value();
    }
    // Waits until this party's latest received-audio recording holds `seconds` of audio.
    bool wait_heard_seconds(double seconds, std::chrono::milliseconds timeout);

    // --- recordings (sndfile: dump-<time>-dec.wav is what the party heard, at the decoder's
    // rate; named by the second, so two calls of one party in the same second share a file) ---
    // Every received-audio recording, oldest first (names sort by time).
    [[nodiscard]] std::vector<std::filesystem::path> received_recordings() const;
    [[nodiscard]] std::optional<std::filesystem::path> latest_received_recording() const;
    // Reads the latest received recording; throws when there is none.
    [[nodiscard]] WavAudio heard() const;

    [[nodiscard]] int sip_port() const { return sip_port_; }
    // The baresip process (e.g. to freeze it with SIGSTOP, as a hung phone).
    [[nodiscard]] int pid() const;
    [[nodiscard]] const std::string& ip() const { return options_.ip; }
    // `sip:<user>@<ip>:<port>`: this party as a dial target.
    [[nodiscard]] std::string uri(const std::string& user) const;
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
    [[nodiscard]] std::filesystem::path recording_dir() const { return dir_ / "rec"; }
    // baresip's own output plus every event seen: attach to assertion messages.
    [[nodiscard]] std::string log();
    // Another process whose output pipes are drained while this party waits (e.g. the server
    // under debug logging), so that it never blocks on a full pipe during a long wait.
    void drain_while_waiting(Process& other) { drained_.push_back(&other); }

private:
    [[nodiscard]] std::filesystem::path output_path() const { return dir_ / "baresip.log"; }
    [[nodiscard]] std::string output_text() const;
    void write_config() const;
    bool start(); // false: baresip exited or its control port never opened
    // Reads from the control connection for up to `budget`, parsing netstrings into events and
    // responses; also drains the output pipes of the processes in drained_.
    void pump(std::chrono::milliseconds budget);
    void handle_message(const std::string& json_text);

    BaresipOptions options_;
    std::filesystem::path dir_;
    int sip_port_{0};
    int ctrl_port_{0};
    std::unique_ptr<Process> process_;
    int ctrl_fd_{-1};
    std::string inbox_; // unparsed bytes from the control connection
    std::vector<nlohmann::json> events_;
    std::vector<nlohmann::json> responses_;
    std::string event_log_;
    std::vector<Process*> drained_;
    unsigned next_token_{1};
};

} // namespace suflyor::e2e
