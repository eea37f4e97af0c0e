#pragma once
// Normalises the top Via of a request arriving over UDP, before libre parses it:
// - adds ";rport" when absent, so responses go back to the source port (RFC 3581 symmetric
//   response, the NAT-friendly policy of most SIP servers) — libre would otherwise answer at the
//   Via port, which a phone behind NAT never receives;
// - adds a branch to an RFC 2543-style Via that has none (libre refuses such requests outright),
//   derived from the request's identity so retransmissions map to the same transaction.
#include <optional>
#include <string>
#include <string_view>

namespace suflyor::sip {

// The rewritten request, or nullopt when nothing had to change (or no Via was found).
std::optional<std::string> normalize_top_via(std::string_view request);

} // namespace suflyor::sip
