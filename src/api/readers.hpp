#pragma once
// Read-only store connections lent to HTTP threads, so that the API's reads (call lists, cards)
// never run on the control loop: a 500-row page took the loop for up to a second at 1,000 calls,
// and SIP waited behind it. At most `max` connections are open; a request beyond waits for one.
#include "store/store.hpp"

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace suflyor::api {

class Readers {
public:
    using Open = std::function<std::unique_ptr<store::Store>()>;

    // An empty `open` (an in-memory database no second connection can see): no readers.
    Readers(Open open, std::size_t max) : open_(std::move(open)), max_(max) {}

    class Lease {
    public:
        Lease(Readers& owner, std::unique_ptr<store::Store> store)
            : owner_(&owner), store_(std::move(store)) {}
        Lease(Lease&& other) noexcept = default;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        store::Store& operator*() const { return *store_; }

    private:
        Readers* owner_;
        std::unique_ptr<store::Store> store_;
    };

    [[nodiscard]] bool enabled() const { return static_cast<bool>(open_); }
    // An idle connection, a new one while fewer than `max` are open, else the next given back.
    Lease lease();

private:
    void give_back(std::unique_ptr<store::Store> store);

    Open open_;
    std::size_t max_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<store::Store>> idle_;
    std::size_t open_count_{0};
};

} // namespace suflyor::api
