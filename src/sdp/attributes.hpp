#pragma once
// Parsing and writing the values of WebRTC's SDP attributes (internal to the sdp module).
#include "sdp/session.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace suflyor::sdp::detail {

// RFC 8839 ice-char (ALPHA / DIGIT / "+" / "/"), 1..max characters.
bool is_ice_string(std::string_view s, std::size_t max = 256) noexcept;

// "<hash> <XX:XX:...>": hash a token, value 1..64 colon-separated pairs of hex digits.
std::optional<Fingerprint> parse_fingerprint_value(std::string_view value);

std::optional<Setup> parse_setup(std::string_view value) noexcept;

// "<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a>]
// [rport <p>] [<extension name> <value>]..." (the value after "candidate:").
std::optional<Candidate> parse_candidate(std::string_view value);

// The same text back (single spaces, raddr/rport before the extensions).
std::string format_candidate(const Candidate& candidate);

} // namespace suflyor::sdp::detail
