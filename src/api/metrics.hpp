#pragma once
// A tiny Prometheus registry: counters, gauges, histograms and callback gauges, rendered in the
// text exposition format 0.0.4. Series are created once (under the registry's mutex) and then
// updated with atomics, so a hot counter costs one atomic add; render() takes the mutex.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace suflyor::api {

// Label name → value, in the order they are rendered. A family's series all use the same names.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
    [[nodiscard]] double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class Gauge {
public:
    void set(double value) { value_.store(value, std::memory_order_relaxed); }
    void add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
    [[nodiscard]] double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class Histogram {
public:
    // `bounds` are the upper bounds of the buckets (sorted here); +Inf is implicit.
    explicit Histogram(std::vector<double> bounds);
    void observe(double value);

    struct Snapshot {
        std::vector<double> bounds;
        std::vector<std::uint64_t> cumulative; // one per bound, then the +Inf bucket
        double sum{0.0};
        std::uint64_t count{0};
    };
    [[nodiscard]] Snapshot snapshot() const;

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_; // non-cumulative, +Inf last
    std::atomic<double> sum_{0.0};
    std::atomic<std::uint64_t> count_{0};
};

class Metrics {
public:
    // Each returns the series of `name` with exactly `labels`, creating it on first use; the
    // reference stays valid for the registry's lifetime. Reusing a name with another type, or
    // a histogram with other buckets, throws std::logic_error.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help,
                         const std::vector<double>& bounds, const Labels& labels = {});
    // A gauge read at render time (it must be thread-safe). Registering the same series again
    // replaces its callback.
    void callback_gauge(const std::string& name, const std::string& help, const Labels& labels,
                        std::function<double()> read);
    // Forgets a family (e.g. a callback gauge whose source is going away).
    void remove(const std::string& name);

    [[nodiscard]] std::string render() const;

    static std::vector<double> default_latency_buckets(); // seconds, 1 ms .. 10 s

private:
    enum class Type { counter, gauge, histogram, callback };
    struct Series {
        Labels labels;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
        std::function<double()> read;
    };
    struct Family {
        Type type{Type::counter};
        std::string help;
        std::vector<double> bounds;
        std::map<Labels, Series> series;
    };
    Series& series(const std::string& name, const std::string& help, Type type,
                   const Labels& labels, const std::vector<double>* bounds);

    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

// Prometheus text-format helpers (exposed for tests).
std::string escape_label_value(const std::string& value);
std::string format_metric_value(double value);

} // namespace suflyor::api
