#pragma once
// A child process for end-to-end tests: started with arguments and environment, its stdout and
// stderr captured, waited for with deadlines (never fixed sleeps), killed at scope exit.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace suflyor::e2e {

class Process {
public:
    Process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
            const std::string& working_dir = "");
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process(); // SIGKILL if still running

    // Reads output until `done(stdout_so_far, stderr_so_far)` holds or the deadline passes.
    bool wait_for_output(const std::function<bool(const std::string&, const std::string&)>& done,
                         std::chrono::milliseconds timeout);
    bool wait_for_stdout(const std::string& needle, std::chrono::milliseconds timeout);
    bool wait_for_stderr(const std::string& needle, std::chrono::milliseconds timeout);
    // Reads whatever output is waiting, without blocking. Output is only read when asked for, so
    // a test that keeps a chatty child busy for long (a flood) calls this as it goes: a child
    // whose stderr pipe is full blocks in its next log line.
    void drain();
    void signal(int sig);
    // Waits for exit (collecting the remaining output); returns the exit code, 128+signal when
    // killed by a signal, or -1 on timeout.
    int wait(std::chrono::milliseconds timeout);
    [[nodiscard]] int pid() const { return pid_; }
    [[nodiscard]] const std::string& out() const { return out_; }
    [[nodiscard]] const std::string& err() const { return err_; }

private:
    bool pump(std::chrono::milliseconds budget); // reads what is available; false at EOF on both
    int pid_{-1};
    int out_fd_{-1};
    int err_fd_{-1};
    bool exited_{false};
    int status_{0};
    std::string out_;
    std::string err_;
};

// Runs a command to completion and returns {exit code, stdout, stderr}.
struct Completed {
    int code;
    std::string out;
    std::string err;
};
Completed run_to_end(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                     const std::vector<std::string>& extra_env = {});

} // namespace suflyor::e2e
