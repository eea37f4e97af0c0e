#pragma once
// Error responses built from a request's raw text, for requests the sanity check rejects — many
// of which libre cannot decode at all (so it could neither answer nor tell us). Copies the
// headers RFC 3261 §8.2.6.2 asks for (Via, From, To, Call-ID, CSeq) line by line, adds a To tag.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace suflyor::sip {

// The response text, or nullopt when the request has no usable Via/CSeq to answer it with
// (then it is dropped: a response nobody can match is noise).
std::optional<std::string> build_raw_reply(std::string_view request, std::uint16_t status,
                                           std::string_view reason, std::string_view extra_headers,
                                           std::string_view to_tag);

// Where the response goes (RFC 3261 §18.2.2 with RFC 3581): the request's source address, at the
// source port when the top Via asks for rport, else at the top Via's port (5060 by default).
// A Via maddr is never honoured.
std::uint16_t raw_reply_port(std::string_view request, std::uint16_t source_port);

} // namespace suflyor::sip
