#pragma once
// A bounded single-producer single-consumer lock-free ring of variable-sized recording frames.
// A frame takes its header plus the samples it carries (344 bytes for 20 ms at 8 kHz), not the
// 1.9 KB of a 48 kHz slot, so a ring of a few MB holds a second of a thousand calls' audio.
//
// Records are 8-byte aligned and never wrap: when the space left before the end of the buffer is
// too small, the producer writes a padding record there and starts again at the beginning.
// Neither side blocks or allocates after construction.
#include "media/engine/spsc_ring.hpp" // kCacheLineSize
#include "media/recording/recorder_frame.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>

namespace suflyor::media {

// What the recorder reads out of the ring: a view into the slot, valid during the callback.
struct RecordFrameView {
    RecordingId recording{0};
    std::uint64_t position = 0;
    Track track = Track::client;
    std::span<const std::int16_t> samples;
};

class RecordRing {
public:
    struct Header {
        std::uint32_t bytes; // of the whole record, header included; a multiple of 8
        std::uint16_t count; // samples; kPadding marks padding up to the end of the buffer
        Track track;
        std::uint8_t unused;
        std::int64_t recording;
        std::uint64_t position;
    };
    static_assert(sizeof(Header) == 24);
    static constexpr std::uint16_t kPadding = 0xFFFF;
    static constexpr std::size_t kMaxRecordBytes = sizeof(Header) + 2 * kMaxFrameSamples;

    static constexpr std::size_t record_bytes(std::size_t samples) {
        return (sizeof(Header) + 2 * samples + 7) & ~std::size_t{7};
    }

    // capacity: bytes, a power of two of at least 4 maximal records (throws otherwise).
    explicit RecordRing(std::size_t capacity)
        : mask_(checked(capacity) - 1),
          bytes_(std::make_unique_for_overwrite<std::uint64_t[]>(capacity / 8)) {}
    RecordRing(const RecordRing&) = delete;
    RecordRing& operator=(const RecordRing&) = delete;

    [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }

    // Producer side. false (nothing stored) when there is not room for the frame.
    bool try_push(RecordingId recording, Track track, std::uint64_t position,
                  std::span<const std::int16_t> samples) noexcept {
        const std::size_t need = record_bytes(samples.size());
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        const std::size_t to_end = capacity() - (tail & mask_);
        const std::size_t total = need <= to_end ? need : need + to_end; // pad to the start
        if (capacity() - (tail - head_cache_) < total) {
            head_cache_ = head_.load(std::memory_order_acquire);
            if (capacity() - (tail - head_cache_) < total) return false;
        }
        std::size_t at = tail;
        if (need > to_end) { // only the first 8 bytes: as little as 8 may be left
            const Header pad{static_cast<std::uint32_t>(to_end), kPadding, Track::client, 0, 0, 0};
            std::memcpy(base() + (at & mask_), &pad, 8);
            at += to_end;
        }
        write_header(at, Header{static_cast<std::uint32_t>(need),
                                static_cast<std::uint16_t>(samples.size()), track, 0,
                                recording.value(), position});
        std::memcpy(base() + (at & mask_) + sizeof(Header), samples.data(), samples.size_bytes());
        tail_.store(tail + total, std::memory_order_release);
        return true;
    }

    // Consumer side. Calls use(const RecordFrameView&) on the oldest frame; false when empty.
    template <class Use> bool try_consume(Use&& use) noexcept {
        std::size_t head = head_.load(std::memory_order_relaxed);
        if (head == tail_cache_) {
            tail_cache_ = tail_.load(std::memory_order_acquire);
            if (head == tail_cache_) return false;
        }
        Header h;
        std::memcpy(&h, base() + (head & mask_), 8); // bytes and count
        if (h.count == kPadding) head += h.bytes;    // never published alone: a frame follows
        h = read_header(head);
        const auto* samples =
            reinterpret_cast<const std::int16_t*>(base() + (head & mask_) + sizeof(Header));
        std::forward<Use>(use)(RecordFrameView{RecordingId{h.recording}, h.position, h.track,
                                               std::span<const std::int16_t>(samples, h.count)});
        head_.store(head + h.bytes, std::memory_order_release);
        return true;
    }

    // Bytes in use; a snapshot, exact only when both sides are idle.
    [[nodiscard]] std::size_t used_approx() const noexcept {
        const std::size_t head = head_.load(std::memory_order_acquire);
        return tail_.load(std::memory_order_acquire) - head;
    }

private:
    static std::size_t checked(std::size_t capacity) {
        if (capacity < 4 * kMaxRecordBytes || (capacity & (capacity - 1)) != 0)
            throw std::invalid_argument("RecordRing capacity must be a power of two >= 4 frames");
        return capacity;
    }
    std::uint8_t* base() const noexcept { return reinterpret_cast<std::uint8_t*>(bytes_.get()); }
    void write_header(std::size_t at, const Header& h) noexcept {
        std::memcpy(base() + (at & mask_), &h, sizeof h);
    }
    Header read_header(std::size_t at) const noexcept {
        Header h;
        std::memcpy(&h, base() + (at & mask_), sizeof h);
        return h;
    }

    const std::size_t mask_;
    const std::unique_ptr<std::uint64_t[]> bytes_; // 8-byte aligned

    alignas(kCacheLineSize) std::atomic<std::size_t> tail_{0}; // written by the producer
    alignas(kCacheLineSize) std::size_t head_cache_{0};        // producer-private
    alignas(kCacheLineSize) std::atomic<std::size_t> head_{0}; // written by the consumer
    alignas(kCacheLineSize) std::size_t tail_cache_{0};        // consumer-private
};

} // namespace suflyor::media
