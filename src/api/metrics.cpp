#include "api/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace suflyor::api {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
    std::sort(bounds_.begin(), bounds_.end());
    bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
}

void Histogram::observe(double value) {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value); // le: value <= bound
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1,
                                                                       std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot snap;
    snap.bounds = bounds_;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        snap.cumulative.push_back(running);
    }
    snap.sum = sum_.load(std::memory_order_relaxed);
    // The +Inf bucket and _count must agree even while observations race with the snapshot.
    snap.count = running;
    return snap;
}

std::vector<double> Metrics::default_latency_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

Metrics::Series& Metrics::series(const std::string& name, const std::string& help, Type type,
                                 const Labels& labels, const std::vector<double>* bounds) {
    auto [family_it, created] = families_.try_emplace(name);
    Family& family = family_it->second;
    if (created) {
        family.type = type;
        family.help = help;
        if (bounds != nullptr) {
            family.bounds = *bounds;
            std::sort(family.bounds.begin(), family.bounds.end());
            family.bounds.erase(std::unique(family.bounds.begin(), family.bounds.end()),
                                family.bounds.end());
        }
    } else if (family.type != type) {
        throw std::logic_error("metric " + name + " registered with another type");
    }
    if (!family.series.empty()) {
        const Labels& first = family.series.begin()->first;
        const bool same_names =
            first.size() == labels.size() &&
            std::equal(first.begin(), first.end(), labels.begin(),
                       [](const auto& a, const auto& b) { return a.first == b.first; });
        if (!same_names) throw std::logic_error("metric " + name + " used with other labels");
    }
    auto [series_it, fresh] = family.series.try_emplace(labels);
    Series& s = series_it->second;
    if (fresh) {
        s.labels = labels;
        switch (type) {
        case Type::counter: s.counter = std::make_unique<Counter>(); break;
        case Type::gauge: s.gauge = std::make_unique<Gauge>(); break;
        case Type::histogram: s.histogram = std::make_unique<Histogram>(family.bounds); break;
        case Type::callback: break;
        }
    }
    return s;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const Labels& labels) {
    const std::lock_guard lock(mutex_);
    return *series(name, help, Type::counter, labels, nullptr).counter;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    const std::lock_guard lock(mutex_);
    return *series(name, help, Type::gauge, labels, nullptr).gauge;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help,
                              const std::vector<double>& bounds, const Labels& labels) {
    const std::lock_guard lock(mutex_);
    const auto existing = families_.find(name);
    if (existing != families_.end() && existing->second.type == Type::histogram) {
        std::vector<double> sorted = bounds;
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        if (sorted != existing->second.bounds) {
            throw std::logic_error("histogram " + name + " registered with other buckets");
        }
    }
    return *series(name, help, Type::histogram, labels, &bounds).histogram;
}

void Metrics::callback_gauge(const std::string& name, const std::string& help, const Labels& labels,
                             std::function<double()> read) {
    const std::lock_guard lock(mutex_);
    series(name, help, Type::callback, labels, nullptr).read = std::move(read);
}

void Metrics::remove(const std::string& name) {
    const std::lock_guard lock(mutex_);
    families_.erase(name);
}

std::string escape_label_value(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string format_metric_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    // Shortest text that reads back as the same double: 0.1 stays "0.1".
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

namespace {

std::string escape_help(const std::string& help) {
    std::string out;
    for (const char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// {a="x",b="y"} with an optional extra label (a histogram's le); empty when there are none.
std::string label_text(const Labels& labels, const std::string& extra_name = {},
                       const std::string& extra_value = {}) {
    if (labels.empty() && extra_name.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [name, value] : labels) {
        if (!first) out += ',';
        first = false;
        out += name + "=\"" + escape_label_value(value) + '"';
    }
    if (!extra_name.empty()) {
        if (!first) out += ',';
        out += extra_name + "=\"" + escape_label_value(extra_value) + '"';
    }
    out += '}';
    return out;
}

} // namespace

// Callbacks run under the registry's mutex: they must not call back into the registry.
std::string Metrics::render() const {
    const std::lock_guard lock(mutex_);
    const auto type_name = [](Type type) {
        switch (type) {
        case Type::counter: return "counter";
        case Type::histogram: return "histogram";
        default: return "gauge"; // a callback gauge is a gauge to Prometheus
        }
    };
    std::string out;
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + ' ' + escape_help(family.help) + '\n';
        out += "# TYPE " + name + ' ' + type_name(family.type) + '\n';
        for (const auto& [labels, s] : family.series) {
            switch (family.type) {
            case Type::counter:
                out += name + label_text(labels) + ' ' + format_metric_value(s.counter->value()) +
                       '\n';
                break;
            case Type::gauge:
                out +=
                    name + label_text(labels) + ' ' + format_metric_value(s.gauge->value()) + '\n';
                break;
            case Type::callback:
                out += name + label_text(labels) + ' ' +
                       format_metric_value(s.read ? s.read() : 0.0) + '\n';
                break;
            case Type::histogram: {
                const Histogram::Snapshot snap = s.histogram->snapshot();
                for (std::size_t i = 0; i < snap.bounds.size(); ++i) {
                    out += name + "_bucket" +
                           label_text(labels, "le", format_metric_value(snap.bounds[i])) + ' ' +
                           std::to_string(snap.cumulative[i]) + '\n';
                }
                out += name + "_bucket" + label_text(labels, "le", "+Inf") + ' ' +
                       std::to_string(snap.cumulative.back()) + '\n';
                out +=
                    name + "_sum" + label_text(labels) + ' ' + format_metric_value(snap.sum) + '\n';
                out +=
                    name + "_count" + label_text(labels) + ' ' + std::to_string(snap.count) + '\n';
                break;
            }
            }
        }
    }
    return out;
}

} // namespace suflyor::api
