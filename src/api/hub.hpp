#pragma once
// The WebSocket push hub. Events are published per account (from the control loop, or any
// thread) as text frames {"type":..,"seq":..,"data":..}; `seq` increases by one per account, and
// each account keeps a bounded ring of its last frames so a reconnecting client can ask for what
// it missed (`since`). If the ring no longer reaches back that far, the client first gets
// {"type":"resync","seq":<last>} and must refetch its state.
//
// Each subscriber has its own queue and writer thread, so a publish only enqueues (under the
// hub's mutex, which is what keeps every subscriber's frames in seq order) and never waits for a
// socket; a slow client stalls only its own writer. A queue that overflows, or a failed write,
// drops that subscriber: its transport is asked to close and nothing more is written to it.
// The mutex is fine here: this is the edge, not the domain, and it is held only to enqueue.
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace suflyor::api {

// One WebSocket as the hub sees it. Called only from that subscriber's writer thread.
class EventSink {
public:
    virtual ~EventSink() = default;
    // Writes one text frame; false when the connection is gone.
    virtual bool send_text(std::string_view frame) = 0;
    // Asks the peer to close (the subscriber was dropped); best effort.
    virtual void send_close() = 0;
};

class EventHub {
public:
    using SubscriberId = std::uint64_t;

    explicit EventHub(std::size_t replay_per_account = 256, std::size_t max_queued = 1024);
    ~EventHub();
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    // Any thread. The frame goes to the account's subscribers and into its replay ring.
    void publish(const std::string& type, std::int64_t account, const nlohmann::json& data);

    // Registers a connection of `account`. With `since`, the frames after that seq are queued
    // first (or one resync frame when they are no longer all in the ring, or when `since` is
    // ahead of the account's last seq, e.g. after a server restart).
    SubscriberId subscribe(std::int64_t account, std::shared_ptr<EventSink> sink,
                           std::optional<std::uint64_t> since = std::nullopt);
    // Stops the subscriber's writer (waiting for a write in progress) and forgets it.
    void unsubscribe(SubscriberId id);

    // Subscribers still being written to (dropped ones are not counted).
    [[nodiscard]] std::size_t connections() const;
    [[nodiscard]] std::uint64_t last_seq(std::int64_t account) const;

private:
    using Frame = std::shared_ptr<const std::string>;
    struct Subscriber;
    struct Account {
        std::uint64_t last_seq{0};
        std::deque<std::pair<std::uint64_t, Frame>> ring; // (seq, frame), oldest first
    };

    static void write_loop(Subscriber& subscriber);
    void enqueue(Subscriber& subscriber, Frame frame); // hub mutex held

    const std::size_t replay_per_account_;
    const std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::map<std::int64_t, Account> accounts_;
    std::map<SubscriberId, std::unique_ptr<Subscriber>> subscribers_;
    SubscriberId next_id_{1};
};

} // namespace suflyor::api
