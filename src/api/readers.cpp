#include "api/readers.hpp"

namespace suflyor::api {

Readers::Lease::~Lease() {
    if (store_) owner_->give_back(std::move(store_));
}

Readers::Lease Readers::lease() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_count_ < max_; });
    if (!idle_.empty()) {
        auto store = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(store));
    }
    ++open_count_;
    lock.unlock();
    try {
        return Lease(*this, open_());
    } catch (...) {
        lock.lock();
        --open_count_;
        returned_.notify_one();
        throw;
    }
}

void Readers::give_back(std::unique_ptr<store::Store> store) {
    {
        const std::lock_guard lock(mutex_);
        idle_.push_back(std::move(store));
    }
    returned_.notify_one();
}

} // namespace suflyor::api
