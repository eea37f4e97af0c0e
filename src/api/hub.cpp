#include "api/hub.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace suflyor::api {

struct EventHub::Subscriber {
    std::int64_t account{0};
    std::shared_ptr<EventSink> sink;
    std::mutex mutex; // guards the fields below; taken after the hub's mutex, never before
    std::condition_variable wake;
    std::deque<Frame> queue;
    bool dropped{false}; // overflow or failed write: nothing more is written, close once
    bool close_sent{false};
    bool stopping{false}; // unsubscribe: the writer exits
    std::thread writer;
};

EventHub::EventHub(std::size_t replay_per_account, std::size_t max_queued)
    : replay_per_account_(replay_per_account), max_queued_(max_queued) {}

EventHub::~EventHub() {
    std::map<SubscriberId, std::unique_ptr<Subscriber>> left;
    {
        const std::lock_guard lock(mutex_);
        left.swap(subscribers_);
    }
    for (auto& [id, subscriber] : left) {
        {
            const std::lock_guard lock(subscriber->mutex);
            subscriber->stopping = true;
        }
        subscriber->wake.notify_one();
        subscriber->writer.join();
    }
}

void EventHub::enqueue(Subscriber& subscriber, Frame frame) {
    {
        const std::lock_guard lock(subscriber.mutex);
        if (subscriber.dropped) return;
        if (subscriber.queue.size() >= max_queued_) {
            // The client does not keep up: it would only fall further behind. It reconnects
            // with `since` and gets a resync if the ring no longer covers the gap.
            spdlog::warn("[api] event subscriber of account {} too slow, dropped",
                         subscriber.account);
            subscriber.dropped = true;
            subscriber.queue.clear();
        } else {
            subscriber.queue.push_back(std::move(frame));
        }
    }
    subscriber.wake.notify_one();
}

void EventHub::publish(const std::string& type, std::int64_t account, const nlohmann::json& data) {
    const std::lock_guard lock(mutex_);
    Account& state = accounts_[account];
    const std::uint64_t seq = ++state.last_seq;
    const nlohmann::json event = {{"type", type}, {"seq", seq}, {"data", data}};
    auto frame = std::make_shared<const std::string>(
        event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (replay_per_account_ > 0) {
        state.ring.emplace_back(seq, frame);
        while (state.ring.size() > replay_per_account_)
            state.ring.pop_front();
    }
    for (auto& [id, subscriber] : subscribers_) {
        if (subscriber->account == account) enqueue(*subscriber, frame);
    }
}

EventHub::SubscriberId EventHub::subscribe(std::int64_t account, std::shared_ptr<EventSink> sink,
                                           std::optional<std::uint64_t> since) {
    auto subscriber = std::make_unique<Subscriber>();
    subscriber->account = account;
    subscriber->sink = std::move(sink);
    Subscriber& ref = *subscriber;

    const std::lock_guard lock(mutex_);
    if (since) {
        const Account& state = accounts_[account];
        const bool ahead = *since > state.last_seq;
        const bool gap = *since < state.last_seq &&
                         (state.ring.empty() || state.ring.front().first > *since + 1);
        if (ahead || gap) {
            const nlohmann::json resync = {{"type", "resync"}, {"seq", state.last_seq}};
            ref.queue.push_back(std::make_shared<const std::string>(resync.dump()));
        } else {
            for (const auto& [seq, frame] : state.ring) {
                if (seq > *since) ref.queue.push_back(frame);
            }
        }
    }
    const SubscriberId id = next_id_++;
    ref.writer = std::thread([&ref] { write_loop(ref); });
    subscribers_.emplace(id, std::move(subscriber));
    return id;
}

void EventHub::unsubscribe(SubscriberId id) {
    std::unique_ptr<Subscriber> subscriber;
    {
        const std::lock_guard lock(mutex_);
        const auto it = subscribers_.find(id);
        if (it == subscribers_.end()) return;
        subscriber = std::move(it->second);
        subscribers_.erase(it);
    }
    {
        const std::lock_guard lock(subscriber->mutex);
        subscriber->stopping = true;
    }
    subscriber->wake.notify_one();
    subscriber->writer.join();
}

void EventHub::write_loop(Subscriber& subscriber) {
    std::vector<Frame> batch;
    while (true) {
        bool send_close = false;
        {
            std::unique_lock lock(subscriber.mutex);
            subscriber.wake.wait(lock, [&] {
                return subscriber.stopping || !subscriber.queue.empty() ||
                       (subscriber.dropped && !subscriber.close_sent);
            });
            if (subscriber.stopping) return;
            if (subscriber.dropped) {
                subscriber.close_sent = true;
                send_close = true;
            } else {
                batch.assign(subscriber.queue.begin(), subscriber.queue.end());
                subscriber.queue.clear();
            }
        }
        if (send_close) {
            subscriber.sink->send_close();
            continue;
        }
        for (const Frame& frame : batch) {
            {
                const std::lock_guard lock(subscriber.mutex);
                if (subscriber.stopping || subscriber.dropped) break; // the rest is not wanted
            }
            if (!subscriber.sink->send_text(*frame)) {
                const std::lock_guard lock(subscriber.mutex);
                subscriber.dropped = true;
                subscriber.queue.clear();
                break;
            }
        }
        batch.clear();
    }
}

std::size_t EventHub::connections() const {
    const std::lock_guard lock(mutex_);
    std::size_t live = 0;
    for (const auto& [id, subscriber] : subscribers_) {
        const std::lock_guard sub_lock(subscriber->mutex);
        if (!subscriber->dropped) ++live;
    }
    return live;
}

std::uint64_t EventHub::last_seq(std::int64_t account) const {
    const std::lock_guard lock(mutex_);
    const auto it = accounts_.find(account);
    return it == accounts_.end() ? 0 : it->second.last_seq;
}

} // namespace suflyor::api
