#include "process.hpp"

#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace suflyor::e2e {
namespace {

using Clock = std::chrono::steady_clock;

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

Process::Process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                 const std::string& working_dir) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    std::vector<std::string> env_storage;
    for (char** e = environ; *e != nullptr; ++e)
        env_storage.emplace_back(*e);
    for (const auto& e : extra_env)
        env_storage.push_back(e);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> env;
    for (auto& e : env_storage)
        env.push_back(e.data());
    env.push_back(nullptr);

    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        if (!working_dir.empty() && chdir(working_dir.c_str()) != 0) _exit(126);
        execve(args[0], args.data(), env.data());
        _exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
}

Process::~Process() {
    if (!exited_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
    }
    close_fd(out_fd_);
    close_fd(err_fd_);
}

bool Process::pump(std::chrono::milliseconds budget) {
    pollfd fds[2];
    nfds_t n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (n == 0) return false;
    if (poll(fds, n, static_cast<int>(budget.count())) <= 0) return true;
    for (nfds_t i = 0; i < n; ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        char buf[4096];
        const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
        const bool is_out = fds[i].fd == out_fd_;
        if (got > 0)
            (is_out ? out_ : err_).append(buf, static_cast<std::size_t>(got));
        else
            close_fd(is_out ? out_fd_ : err_fd_);
    }
    return true;
}

void Process::drain() {
    for (;;) {
        const auto before = out_.size() + err_.size();
        if (!pump(std::chrono::milliseconds{0})) return; // both pipes closed
        if (out_.size() + err_.size() == before) return; // nothing was waiting
    }
}

bool Process::wait_for_output(
    const std::function<bool(const std::string&, const std::string&)>& done,
    std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done(out_, err_)) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        if (!pump(std::min(left, std::chrono::milliseconds{100})) && !done(out_, err_))
            return false;
    }
    return true;
}

bool Process::wait_for_stdout(const std::string& needle, std::chrono::milliseconds timeout) {
    return wait_for_output([&](const std::string& o,
                               const std::string&) { return o.find(needle) != std::string::npos; },
                           timeout);
}

bool Process::wait_for_stderr(const std::string& needle, std::chrono::milliseconds timeout) {
    return wait_for_output(
        [&](const std::string&, const std::string& e) {
            return e.find(needle) != std::string::npos;
        },
        timeout);
}

void Process::signal(int sig) {
    if (!exited_ && pid_ > 0) ::kill(pid_, sig);
}

int Process::wait(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!exited_) {
        const pid_t r = waitpid(pid_, &status_, WNOHANG);
        if (r == pid_) {
            exited_ = true;
            break;
        }
        if (Clock::now() >= deadline) return -1;
        if (!pump(std::chrono::milliseconds{20}))
            ::usleep(10'000); // both pipes closed: just poll the pid
    }
    // Collect what the child wrote before exiting (bounded: a grandchild may hold the pipes).
    const auto drain_until = Clock::now() + std::chrono::seconds{1};
    while ((out_fd_ >= 0 || err_fd_ >= 0) && Clock::now() < drain_until)
        pump(std::chrono::milliseconds{50});
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
}

Completed run_to_end(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                     const std::vector<std::string>& extra_env) {
    Process p(argv, extra_env);
    const int code = p.wait(timeout);
    return {code, p.out(), p.err()};
}

} // namespace suflyor::e2e
