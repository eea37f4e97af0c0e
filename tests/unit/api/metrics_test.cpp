#include "api/metrics.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <thread>

namespace suflyor::api {
namespace {

TEST(Metrics, RendersCountersAndGaugesInTextFormat) {
    Metrics metrics;
    metrics.counter("app_requests_total", "Requests.", {{"method", "GET"}, {"status", "200"}})
        .inc();
    metrics.counter("app_requests_total", "Requests.", {{"method", "GET"}, {"status", "200"}})
        .inc(2);
    metrics.counter("app_requests_total", "Requests.", {{"method", "POST"}, {"status", "201"}})
        .inc();
    metrics.gauge("app_temperature", "Heat.").set(-2.5);
    EXPECT_EQ(metrics.render(), "# HELP app_requests_total Requests.\n"
                                "# TYPE app_requests_total counter\n"
                                "app_requests_total{method=\"GET\",status=\"200\"} 3\n"
                                "app_requests_total{method=\"POST\",status=\"201\"} 1\n"
                                "# HELP app_temperature Heat.\n"
                                "# TYPE app_temperature gauge\n"
                                "app_temperature -2.5\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
    Metrics metrics;
    metrics.counter("x_total", "Line one\nback\\slash", {{"path", "a\"b\\c\nd"}}).inc();
    EXPECT_EQ(metrics.render(), "# HELP x_total Line one\\nback\\\\slash\n"
                                "# TYPE x_total counter\n"
                                "x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    Metrics metrics;
    auto& histogram = metrics.histogram("lat_seconds", "Latency.", {0.5, 0.125, 1.0}, {{"r", "a"}});
    for (const double value : {0.25, 0.125, 0.375, 0.75, 3.0})
        histogram.observe(value);
    EXPECT_EQ(metrics.render(), "# HELP lat_seconds Latency.\n"
                                "# TYPE lat_seconds histogram\n"
                                "lat_seconds_bucket{r=\"a\",le=\"0.125\"} 1\n"
                                "lat_seconds_bucket{r=\"a\",le=\"0.5\"} 3\n"
                                "lat_seconds_bucket{r=\"a\",le=\"1\"} 4\n"
                                "lat_seconds_bucket{r=\"a\",le=\"+Inf\"} 5\n"
                                "lat_seconds_sum{r=\"a\"} 4.5\n"
                                "lat_seconds_count{r=\"a\"} 5\n");
}

TEST(Metrics, CallbackGaugesAreReadAtRender) {
    Metrics metrics;
    double value = 1;
    metrics.callback_gauge("open", "Open things.", {{"kind", "ws"}}, [&value] { return value; });
    EXPECT_NE(metrics.render().find("open{kind=\"ws\"} 1\n"), std::string::npos);
    value = 7;
    EXPECT_NE(metrics.render().find("open{kind=\"ws\"} 7\n"), std::string::npos);
    metrics.callback_gauge("open", "Open things.", {{"kind", "ws"}}, [] { return 9.0; });
    EXPECT_NE(metrics.render().find("open{kind=\"ws\"} 9\n"), std::string::npos);
    metrics.remove("open");
    EXPECT_EQ(metrics.render(), "");
}

TEST(Metrics, RefusesConflictingRegistrations) {
    Metrics metrics;
    metrics.counter("a", "A.", {{"x", "1"}});
    EXPECT_THROW(metrics.gauge("a", "A."), std::logic_error);
    EXPECT_THROW(metrics.counter("a", "A.", {{"y", "1"}}), std::logic_error);
    metrics.histogram("h", "H.", {1, 2});
    EXPECT_THROW(metrics.histogram("h", "H.", {1, 3}), std::logic_error);
    EXPECT_NO_THROW(metrics.histogram("h", "H.", {2, 1}));
}

TEST(Metrics, FormatsSpecialValues) {
    EXPECT_EQ(format_metric_value(0), "0");
    EXPECT_EQ(format_metric_value(12345678), "12345678");
    EXPECT_EQ(format_metric_value(0.25), "0.25");
    EXPECT_EQ(format_metric_value(0.1), "0.1");
    EXPECT_EQ(format_metric_value(1e20), "1e+20");
    EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(format_metric_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Metrics, CountsExactlyUnderConcurrency) {
    Metrics metrics;
    auto& counter = metrics.counter("c_total", "C.");
    auto& histogram = metrics.histogram("h", "H.", {1});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                counter.inc();
                histogram.observe(0.5);
                metrics.counter("c_total", "C.").inc();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(counter.value(), 80000);
    const auto snapshot = histogram.snapshot();
    EXPECT_EQ(snapshot.count, 40000U);
    EXPECT_EQ(snapshot.cumulative[0], 40000U);
    EXPECT_EQ(snapshot.sum, 20000.0);
}

} // namespace
} // namespace suflyor::api
