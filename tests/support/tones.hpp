#pragma once
// Test helpers for audio: sine tones at a level in dBFS, a Goertzel detector that reads the level
// of one frequency, and the present/absent judgement every audio test uses (see FIELD-NOTES
// "Tones and detection"): present > -30 dBFS, absent < -50 dBFS in every 0.25 s block of a
// window, with guard time at the window's edges.
//
// Levels are sine-referenced: a full-scale sine (amplitude 32767) is 0 dBFS. Prefer frequencies
// off a common grid (443 / 1061 / 1777 Hz) so that mixing products never land on a probe.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace suflyor::test {

inline constexpr double full_scale = 32767.0;
// What a silent block reads (digital zero has no level; this keeps reports printable).
inline constexpr double silence_dbfs = -200.0;

// The tones used across tests: mutually off-grid, all below 4 kHz (so they survive 8 kHz codecs).
inline constexpr double tone_a_hz = 443.0;
inline constexpr double tone_b_hz = 1061.0;
inline constexpr double tone_c_hz = 1777.0;

[[nodiscard]] double dbfs_to_amplitude(double dbfs);

// A sine with continuous phase across successive calls (one generator per stream of frames).
class ToneGenerator {
public:
    ToneGenerator(double freq_hz, double level_dbfs, int sample_rate, double phase_rad = 0.0);
    // Overwrites `out` with the next samples of the tone.
    void fill(std::span<std::int16_t> out);
    // Adds the next samples of the tone to `out`, saturating.
    void add_to(std::span<std::int16_t> out);

private:
    double next();

    double amplitude_;
    double step_rad_;
    double phase_rad_;
};

[[nodiscard]] std::vector<std::int16_t> make_tone(double freq_hz, double level_dbfs,
                                                  int sample_rate, std::size_t samples);

// Level in dBFS of `freq_hz` in `block` (Hann-windowed Goertzel at the exact frequency, scaled so
// a sine of that frequency reads its own level). Blocks of 20 ms and longer resolve tones a few
// hundred Hz apart; for -50 dBFS judgements use blocks of 0.1 s or more.
[[nodiscard]] double goertzel_dbfs(std::span<const std::int16_t> block, double freq_hz,
                                   int sample_rate);

// Broadband level in dBFS (sine-referenced RMS: a full-scale sine reads 0).
[[nodiscard]] double rms_dbfs(std::span<const std::int16_t> block);

struct ToneExpectation {
    double freq_hz;
    bool present;
};

struct ToneThresholds {
    double present_above_dbfs = -30.0;
    double absent_below_dbfs = -50.0;
    double block_s = 0.25;
    double guard_s = 0.5;
};

struct ToneReport {
    bool ok = false;
    std::size_t blocks = 0; // blocks judged
    std::string failures;   // one line per failing (block, tone); empty when ok

    explicit operator bool() const { return ok; }
};

// Judges the window [start_s, end_s) of `signal` (position 0 = first sample): drops guard_s at
// each edge, cuts the rest into whole blocks, and requires every expectation in every block.
// Fails when no whole block remains.
[[nodiscard]] ToneReport check_tones(std::span<const std::int16_t> signal, int sample_rate,
                                     double start_s, double end_s,
                                     std::span<const ToneExpectation> expectations,
                                     const ToneThresholds& thresholds = {});

} // namespace suflyor::test
