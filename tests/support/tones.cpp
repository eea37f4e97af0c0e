#include "support/tones.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace suflyor::test {
namespace {

double to_dbfs(double amplitude) {
    if (amplitude <= 0.0) return silence_dbfs;
    return std::max(silence_dbfs, 20.0 * std::log10(amplitude / full_scale));
}

std::int16_t saturate(double value) {
    return static_cast<std::int16_t>(std::clamp(std::lround(value), -32768L, 32767L));
}

} // namespace

double dbfs_to_amplitude(double dbfs) { return full_scale * std::pow(10.0, dbfs / 20.0); }

ToneGenerator::ToneGenerator(double freq_hz, double level_dbfs, int sample_rate, double phase_rad)
    : amplitude_(dbfs_to_amplitude(level_dbfs)),
      step_rad_(2.0 * std::numbers::pi * freq_hz / sample_rate), phase_rad_(phase_rad) {}

double ToneGenerator::next() {
    const double value = amplitude_ * std::sin(phase_rad_);
    phase_rad_ = std::fmod(phase_rad_ + step_rad_, 2.0 * std::numbers::pi);
    return value;
}

void ToneGenerator::fill(std::span<std::int16_t> out) {
    for (auto& sample : out)
        sample = saturate(next());
}

void ToneGenerator::add_to(std::span<std::int16_t> out) {
    for (auto& sample : out)
        sample = saturate(sample + next());
}

std::vector<std::int16_t> make_tone(double freq_hz, double level_dbfs, int sample_rate,
                                    std::size_t samples) {
    std::vector<std::int16_t> out(samples);
    ToneGenerator(freq_hz, level_dbfs, sample_rate).fill(out);
    return out;
}

double goertzel_dbfs(std::span<const std::int16_t> block, double freq_hz, int sample_rate) {
    const std::size_t n = block.size();
    if (n < 2) return silence_dbfs;
    const double omega = 2.0 * std::numbers::pi * freq_hz / sample_rate;
    const double coeff = 2.0 * std::cos(omega);
    double s1 = 0.0;
    double s2 = 0.0;
    double window_sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w =
            0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / (n - 1));
        window_sum += w;
        const double s = w * block[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    const double power = std::max(0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2);
    // A sine of amplitude A gives |X| = A/2 × Σw at its own frequency.
    return to_dbfs(2.0 * std::sqrt(power) / window_sum);
}

double rms_dbfs(std::span<const std::int16_t> block) {
    if (block.empty()) return silence_dbfs;
    double energy = 0.0;
    for (const auto sample : block)
        energy += static_cast<double>(sample) * sample;
    return to_dbfs(std::sqrt(2.0 * energy / static_cast<double>(block.size())));
}

ToneReport check_tones(std::span<const std::int16_t> signal, int sample_rate, double start_s,
                       double end_s, std::span<const ToneExpectation> expectations,
                       const ToneThresholds& thresholds) {
    ToneReport report;
    std::ostringstream failures;
    const auto to_sample = [&](double seconds) {
        return static_cast<std::size_t>(std::max(0.0, std::round(seconds * sample_rate)));
    };
    const std::size_t block = to_sample(thresholds.block_s);
    const std::size_t first = to_sample(start_s + thresholds.guard_s);
    const std::size_t last = std::min(signal.size(), to_sample(end_s - thresholds.guard_s));
    for (std::size_t at = first; block > 0 && at + block <= last; at += block) {
        ++report.blocks;
        const auto samples = signal.subspan(at, block);
        for (const auto& expect : expectations) {
            const double level = goertzel_dbfs(samples, expect.freq_hz, sample_rate);
            const bool good = expect.present ? level > thresholds.present_above_dbfs
                                             : level < thresholds.absent_below_dbfs;
            if (good) continue;
            failures << "block at " << static_cast<double>(at) / sample_rate
                     << " s: " << expect.freq_hz << " Hz reads " << level << " dBFS, expected "
                     << (expect.present ? "present (> " : "absent (< ")
                     << (expect.present ? thresholds.present_above_dbfs
                                        : thresholds.absent_below_dbfs)
                     << ")\n";
        }
    }
    if (report.blocks == 0)
        failures << "no whole " << thresholds.block_s << " s block in [" << start_s << ", " << end_s
                 << ") s after " << thresholds.guard_s << " s guards (signal is "
                 << static_cast<double>(signal.size()) / sample_rate << " s)\n";
    report.failures = failures.str();
    report.ok = report.failures.empty();
    return report;
}

} // namespace suflyor::test
