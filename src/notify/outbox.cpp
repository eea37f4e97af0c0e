// The outbox on the control loop: queue, hand out, mark sent or postpone. Single-threaded.
#include "core/error.hpp"
#include "notify/notify.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace suflyor::notify {

using store::OutboxMail;
using store::OutboxMailId;

std::chrono::seconds RetryPolicy::delay_after(std::int64_t failed_attempts) const {
    const auto cap = std::max(max, std::chrono::seconds{1});
    auto delay = std::clamp(first, std::chrono::seconds{1}, cap);
    for (std::int64_t n = 1; n < failed_attempts && delay < cap; ++n)
        delay = delay > cap / 2 ? cap : delay * 2;
    return delay;
}

MailOutbox::MailOutbox(store::Store& store, const core::Clock& clock, MailDispatcher& dispatcher,
                       OutboxOptions options)
    : store_(store), clock_(clock), dispatcher_(dispatcher), options_(options) {}

OutboxMailId queue_mail(store::Store& store, const core::Clock& clock, const Mail& mail) {
    const auto now = clock.wall_now();
    const auto id =
        store.mail_outbox().insert(OutboxMail{OutboxMailId{0}, mail.account, mail.to, mail.subject,
                                              mail.body, now, 0, now, "", std::nullopt});
    spdlog::info("mail: queued #{} to {} ({})", id.value(), mail.to, mail.subject);
    return id;
}

std::size_t MailOutbox::dispatch() {
    const auto mono = clock_.mono_now();
    std::erase_if(in_flight_, [&](const auto& entry) {
        const bool expired = mono - entry.second >= options_.lease;
        if (expired)
            spdlog::warn("mail: #{} got no report within {} s; handing it out again", entry.first,
                         options_.lease.count());
        return expired;
    });
    if (in_flight_.size() >= options_.max_in_flight) return 0;
    std::vector<OutboxMail> due;
    try {
        // Ask for enough rows that the ones already in flight cannot crowd out the rest.
        due = store_.mail_outbox().due(
            clock_.wall_now(),
            static_cast<std::int64_t>(options_.max_in_flight + in_flight_.size()));
    } catch (const std::exception& e) {
        spdlog::error("mail: cannot read the outbox: {}", e.what());
        return 0;
    }
    std::size_t handed = 0;
    for (auto& m : due) {
        if (in_flight_.size() >= options_.max_in_flight) break;
        if (in_flight_.contains(m.id.value())) continue;
        in_flight_.emplace(m.id.value(), mono);
        spdlog::info("mail: sending #{} to {} (attempt {})", m.id.value(), m.recipient,
                     m.attempts + 1);
        std::string key =
            "suflyor-mail." + m.id.str() + "." + std::to_string(core::to_unix_ms(m.created_at));
        dispatcher_.submit(SendJob{m.id, Message{std::move(m.recipient), std::move(m.subject),
                                                 std::move(m.body), std::move(key), m.created_at}});
        ++handed;
    }
    return handed;
}

void MailOutbox::on_report(const SendReport& report) {
    in_flight_.erase(report.id.value());
    const auto now = clock_.wall_now();
    try {
        if (report.result.ok()) {
            try {
                store_.mail_outbox().mark_sent(report.id, now);
            } catch (const core::Error& e) {
                if (e.code() != core::ErrorCode::not_found) throw;
                spdlog::warn("mail: #{} reported sent again (already sent or gone)",
                             report.id.value());
                return;
            }
            spdlog::info("mail: sent #{}", report.id.value());
            return;
        }
        const auto mail = store_.mail_outbox().find(report.id);
        if (!mail || mail->sent_at) {
            spdlog::warn("mail: failure report for #{} that is {}: {}", report.id.value(),
                         mail ? "already sent" : "gone", report.result.error);
            return;
        }
        const auto failed = mail->attempts + 1;
        const auto delay = options_.retry.delay_after(failed);
        store_.mail_outbox().mark_failed(report.id, report.result.error, now + delay);
        spdlog::warn("mail: #{} to {} failed (attempt {}): {}; next attempt in {} s",
                     report.id.value(), mail->recipient, failed, report.result.error,
                     delay.count());
    } catch (const std::exception& e) {
        // Not marked: the mail stays due and goes out again (at least once, never lost).
        spdlog::error("mail: cannot record the report of #{}: {}", report.id.value(), e.what());
    }
}

std::int64_t MailOutbox::pending_count() { return store_.mail_outbox().pending_count(); }

center::FeatureStatus connect_feature_and_notify(center::Features& features, store::Store& store,
                                                 const core::Clock& clock,
                                                 const center::Actor& platform,
                                                 center::AccountId account,
                                                 center::Feature feature) {
    center::FeatureStatus status;
    store.transaction([&] {
        const bool was_connected = features.connected(account, feature);
        status = features.connect(platform, account, feature);
        if (was_connected) return;
        if (const auto acc = store.accounts().find(account))
            queue_mail(store, clock, feature_connected_mail(*acc, feature, status.contact_email));
    });
    return status;
}

} // namespace suflyor::notify
