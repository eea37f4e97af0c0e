#pragma once
// A bounded single-producer single-consumer lock-free ring of trivially copyable elements.
// One thread pushes, one thread pops; neither ever blocks or allocates after construction.
// Indices grow monotonically and are masked into a power-of-two slot array; each side keeps a
// cached copy of the other side's index so the shared cache line is read only when the ring
// looks full (producer) or empty (consumer).
#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace suflyor::media {

// 64 bytes on every x86-64 and most ARM64 parts; std::hardware_destructive_interference_size
// is avoided because GCC warns that its value may differ between compilers.
inline constexpr std::size_t kCacheLineSize = 64;

template <class T> class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>, "SpscRing elements are copied as raw bytes");
    static_assert(std::is_default_constructible_v<T>, "slots are constructed up front");

public:
    // capacity must be a non-zero power of two (throws std::invalid_argument otherwise).
    explicit SpscRing(std::size_t capacity)
        : mask_(checked_capacity(capacity) - 1),
          slots_(std::make_unique_for_overwrite<T[]>(capacity)) {}

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }

    // Producer side. Copies `item` into the ring; false (and nothing stored) when full.
    bool try_push(const T& item) noexcept {
        return try_push_with([&item](T& slot) noexcept { slot = item; });
    }

    // Producer side. Lets `fill(T&)` write the next slot in place (no staging copy); the slot is
    // published only after fill returns. fill must not throw.
    template <class Fill> bool try_push_with(Fill&& fill) noexcept {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if (tail - head_cache_ == capacity()) {
            head_cache_ = head_.load(std::memory_order_acquire);
            if (tail - head_cache_ == capacity()) return false;
        }
        std::forward<Fill>(fill)(slots_[tail & mask_]);
        tail_.store(tail + 1, std::memory_order_release);
        return true;
    }

    // Consumer side. Copies the oldest element into `out`; false when empty.
    bool try_pop(T& out) noexcept {
        return try_consume([&out](const T& slot) noexcept { out = slot; });
    }

    // Consumer side. Calls `use(const T&)` on the oldest element in place, then frees its slot.
    // use must not throw.
    template <class Use> bool try_consume(Use&& use) noexcept {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        if (head == tail_cache_) {
            tail_cache_ = tail_.load(std::memory_order_acquire);
            if (head == tail_cache_) return false;
        }
        std::forward<Use>(use)(std::as_const(slots_[head & mask_]));
        head_.store(head + 1, std::memory_order_release);
        return true;
    }

    // A snapshot that may be stale by the time it is used; exact only when both sides are idle.
    [[nodiscard]] std::size_t size_approx() const noexcept {
        const std::size_t head = head_.load(std::memory_order_acquire);
        const std::size_t tail = tail_.load(std::memory_order_acquire);
        return tail - head;
    }
    [[nodiscard]] bool empty_approx() const noexcept { return size_approx() == 0; }

private:
    static std::size_t checked_capacity(std::size_t capacity) {
        if (capacity == 0 || (capacity & (capacity - 1)) != 0) {
            throw std::invalid_argument("SpscRing capacity must be a non-zero power of two");
        }
        return capacity;
    }

    // Read-only after construction: shared freely by both sides.
    const std::size_t mask_;
    const std::unique_ptr<T[]> slots_;

    // Each index, and each side's private cache of the other's index, on its own line.
    alignas(kCacheLineSize) std::atomic<std::size_t> tail_{0}; // written by the producer
    alignas(kCacheLineSize) std::size_t head_cache_{0};        // producer-private
    alignas(kCacheLineSize) std::atomic<std::size_t> head_{0}; // written by the consumer
    alignas(kCacheLineSize) std::size_t tail_cache_{0};        // consumer-private
    // (The class is therefore 64-byte aligned and sized: neighbours never share these lines.)
};

} // namespace suflyor::media
