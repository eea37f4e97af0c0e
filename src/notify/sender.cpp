// The sender thread: the only place where SMTP's slow I/O runs.
#include "notify/notify.hpp"

#include <spdlog/spdlog.h>

namespace suflyor::notify {

MailSender::MailSender(std::unique_ptr<MailTransport> transport, ReportHandler on_report)
    : transport_(std::move(transport)), on_report_(std::move(on_report)),
      thread_([this] { run(); }) {}

MailSender::~MailSender() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void MailSender::submit(SendJob job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void MailSender::run() {
    for (;;) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        SendJob job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        SendReport report{job.id, transport_->send(job.message)};
        try {
            on_report_(std::move(report));
        } catch (const std::exception& e) {
            // The mail stays unsent in the outbox; its lease expiry hands it out again.
            spdlog::error("mail: report of outbox mail {} lost: {}", job.id.value(), e.what());
        }
    }
}

} // namespace suflyor::notify
