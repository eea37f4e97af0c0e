#pragma once
// Public header of the notify module: notification mail that is never lost and never blocks.
//
// A mail is written to the store's outbox inside the transaction of the state change it reports
// (so both land or neither). On the control loop, MailOutbox::dispatch() (from a timer) hands due
// mails to the MailSender, whose own thread talks SMTP; each result comes back through a callback
// that the app routes onto the control loop, where MailOutbox::on_result() marks the mail sent or
// postpones it with a doubling back-off. A failing mail is retried forever, never dropped.
#include "center/features.hpp"
#include "center/model.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace suflyor::notify {

// What the domain wants to say, to whom.
struct Mail {
    center::AccountId account;
    std::string to, subject, body; // UTF-8 text; the body's lines end with '\n'
};

// One message as the transport sends it.
struct Message {
    std::string to;
    std::string subject;
    std::string body;
    std::string unique_key; // stable across retries; the transport builds the Message-ID of it
    core::WallTime date{};  // the Date header
};

// The outcome of one delivery attempt: ok, or what went wrong (never empty on failure).
struct SendResult {
    std::string error;
    [[nodiscard]] bool ok() const { return error.empty(); }
    static SendResult success() { return {}; }
    static SendResult failure(std::string why) {
        return {why.empty() ? std::string("unknown error") : std::move(why)};
    }
};

// Delivers a message, blocking until the server accepted or refused it. Never throws.
class MailTransport {
public:
    virtual ~MailTransport() = default;
    virtual SendResult send(const Message& message) = 0;
};

enum class SmtpTls {
    opportunistic, // smtp://        STARTTLS when the server offers it, plain text otherwise
    starttls,      // smtp://...?starttls   STARTTLS required
    implicit,      // smtps://       TLS from the first byte
};

struct SmtpSettings {
    std::string url;                       // smtp://host[:port][?starttls] or smtps://host[:port]
    std::string from{"suflyor@localhost"}; // "addr" or "Name <addr>"
    std::string username;                  // AUTH only when set
    std::string password;
    std::chrono::milliseconds connect_timeout{std::chrono::seconds{10}};
    std::chrono::milliseconds total_timeout{std::chrono::seconds{60}}; // one whole attempt
};

// The libcurl SMTP transport. Throws core::Error(invalid_argument) for a URL it cannot use.
std::unique_ptr<MailTransport> make_smtp_transport(const SmtpSettings& settings);

// A delivery job: the outbox row and its message.
struct SendJob {
    store::OutboxMailId id;
    Message message;
};

struct SendReport {
    store::OutboxMailId id;
    SendResult result;
};

// Where the outbox hands mails for delivery. submit() must not block.
class MailDispatcher {
public:
    virtual ~MailDispatcher() = default;
    virtual void submit(SendJob job) = 0;
};

// One thread owning the transport: jobs in through a queue, reports out through `on_report`,
// which runs on the sender thread (the app posts it onto the control loop).
class MailSender final : public MailDispatcher {
public:
    using ReportHandler = std::function<void(SendReport)>;
    MailSender(std::unique_ptr<MailTransport> transport, ReportHandler on_report);
    MailSender(const MailSender&) = delete;
    MailSender& operator=(const MailSender&) = delete;
    // Waits for the attempt in progress (bounded by the transport's timeouts); queued jobs are
    // dropped here and stay unsent in the outbox for the next run.
    ~MailSender() override;
    void submit(SendJob job) override;

private:
    void run();
    std::unique_ptr<MailTransport> transport_;
    ReportHandler on_report_;
    std::mutex mutex_; // the hand-off between threads only
    std::condition_variable wake_;
    std::deque<SendJob> jobs_;
    bool stopping_{false};
    std::thread thread_; // last: starts after everything it uses
};

// Retry delay after the n-th failed attempt: first, 2·first, 4·first, ... capped at `max`.
struct RetryPolicy {
    std::chrono::seconds first{60};
    std::chrono::seconds max{std::chrono::hours{1}};
    [[nodiscard]] std::chrono::seconds delay_after(std::int64_t failed_attempts) const;
};

struct OutboxOptions {
    RetryPolicy retry;
    std::size_t max_in_flight{4}; // mails handed to the dispatcher and not yet reported
    // A mail reported neither sent nor failed after this long is handed out again. Keep it above
    // max_in_flight × the transport's total timeout, or a slow queue is handed out twice.
    std::chrono::seconds lease{std::chrono::minutes{15}};
};

// Writes the mail to the store's outbox, due now. Call it inside the transaction of the state
// change it reports. Whoever runs a MailOutbox (the server) sends it; a process without one (the
// admin CLI) only queues.
store::OutboxMailId queue_mail(store::Store& store, const core::Clock& clock, const Mail& mail);

// The control loop's side: single-threaded, no locks.
class MailOutbox {
public:
    MailOutbox(store::Store& store, const core::Clock& clock, MailDispatcher& dispatcher,
               OutboxOptions options = {});

    // queue_mail() with this outbox's store and clock.
    store::OutboxMailId enqueue(const Mail& mail) { return queue_mail(store_, clock_, mail); }
    // Hands due mails to the dispatcher; returns how many. Call it from a timer (and after an
    // enqueue's transaction commits, to send at once). Logs, never throws.
    std::size_t dispatch();
    // A sender's report, on the control loop: marks the mail sent, or failed and postponed.
    void on_report(const SendReport& report);

    [[nodiscard]] std::int64_t pending_count(); // unsent mails in the store
    [[nodiscard]] std::size_t in_flight() const { return in_flight_.size(); }

private:
    store::Store& store_;
    const core::Clock& clock_;
    MailDispatcher& dispatcher_;
    OutboxOptions options_;
    std::unordered_map<std::int64_t, core::MonoTime> in_flight_; // outbox id → handed out at
};

// The feature's name as the product page gives it: «Суфлирование и прослушивание» /
// "Whisper and listen".
std::string_view feature_name_ru(center::Feature feature);
std::string_view feature_name_en(center::Feature feature);

// The message when a feature is connected (Russian and English), to `to`: the address given with
// the request; empty: the account's contact email.
Mail feature_connected_mail(const center::Account& account, center::Feature feature,
                            std::string_view to = {});

// Connects the feature (Features::connect) and, when it was not connected before, queues the mail
// about it to the request's contact email (else the account's), in one transaction: both land or
// neither. Returns the feature's status. The server then calls MailOutbox::dispatch() to send at
// once instead of at its next timer tick.
center::FeatureStatus connect_feature_and_notify(center::Features& features, store::Store& store,
                                                 const core::Clock& clock,
                                                 const center::Actor& platform,
                                                 center::AccountId account,
                                                 center::Feature feature);

} // namespace suflyor::notify
