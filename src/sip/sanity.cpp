// The SIP sanity check: message framing, start line, header fields, body length, then the
// request-level rules (416 / 420 / 415). See docs/sip-torture.md for the rules and policies.
#include "sip/sanity.hpp"

#include "sip/sanity_grammar.hpp"
#include "sip/sanity_headers.hpp"

namespace suflyor::sip {
namespace {

using namespace detail;

struct StartLine {
    bool is_request = false;
    std::string_view method; // requests
    std::string_view uri;    // requests
};

// What the header scan learned; views point into the message.
struct Facts {
    std::array<std::uint16_t, kHeaderKindCount> counts{};
    Defect defect = Defect::none; // the first rule broken
    bool broadcast = false;
    CSeqValue cseq;
    bool has_content_length = false;
    std::uint64_t content_length = 0;
    MediaType content_type;
    std::string_view to_uri;
    ExtraHeaders unsupported; // "Unsupported: a, b" being built from Require

    void note(Defect d) noexcept {
        if (defect == Defect::none) defect = d;
    }
    [[nodiscard]] std::uint16_t count(HeaderKind kind) const noexcept {
        return counts[static_cast<std::size_t>(kind)];
    }
};

bool contains_ci(std::span<const std::string_view> list, std::string_view word) noexcept {
    for (std::string_view item : list)
        if (iequals(item, word)) return true;
    return false;
}

bool is_ack(std::string_view method) noexcept { return method == "ACK"; }
bool requires_options(std::string_view method) noexcept { // RFC 3261 8.2.2.3, 9.1
    return method != "ACK" && method != "CANCEL";
}
bool carries_session(std::string_view method) noexcept {
    return method == "INVITE" || method == "UPDATE" || method == "PRACK";
}

bool starts_with_sip_version(std::string_view text) noexcept {
    return text.size() >= 4 && iequals(text.substr(0, 4), "SIP/");
}

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
bool is_sip_version_syntax(std::string_view text) noexcept {
    if (!starts_with_sip_version(text)) return false;
    text.remove_prefix(4);
    const std::size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return false;
    return all_of(text.substr(0, dot), is_digit) && all_of(text.substr(dot + 1), is_digit);
}

bool is_sip_2_0(std::string_view text) noexcept { return iequals(text, "SIP/2.0"); }

// A request line starts with a method token and SP; a status line with "SIP/".
bool looks_like_request(std::string_view text) noexcept {
    if (starts_with_sip_version(text)) return false;
    std::size_t i = 0;
    while (i < text.size() && is_token_char(text[i]))
        ++i;
    return i > 0 && i < text.size() && text[i] == ' ';
}

// Request-Line = Method SP Request-URI SP SIP-Version, single SPs, nothing after the version.
Defect check_request_line(std::string_view line, StartLine& out) noexcept {
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return Defect::bad_request_line; // RFC 4475 lwsruri, trws
    out.method = line.substr(0, sp1);
    out.uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!is_token(out.method) || out.uri.empty() || version.empty())
        return Defect::bad_request_line; // RFC 4475 lwsstart
    if (!is_sip_version_syntax(version)) return Defect::bad_version;
    if (!is_sip_2_0(version)) return Defect::unsupported_version; // RFC 4475 badvers
    if (!is_valid_uri(out.uri, UriContext::request_uri))
        return Defect::bad_request_uri; // RFC 4475 ltgtruri, escruri; RFC 5118 ipv6-bad
    return Defect::none;
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
Defect check_status_line(std::string_view line) noexcept {
    if (line.size() < 11) return Defect::bad_status_line;
    if (!is_sip_2_0(line.substr(0, 7))) return Defect::bad_version;
    std::uint64_t code = 0;
    if (line[7] != ' ' || !parse_decimal(line.substr(8, 3), 699, code) || code < 100)
        return Defect::bad_status_line;
    if (line.size() == 11) return Defect::none;          // tolerated: no SP and empty reason
    if (line[11] != ' ') return Defect::bad_status_line; // RFC 4475 bigcode: 10 digits
    for (char c : line.substr(12)) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t') || byte == 0x7f) return Defect::bad_status_line;
    }
    return Defect::none;
}

void collect_unsupported(std::string_view tag, std::span<const std::string_view> supported,
                         Facts& facts) noexcept {
    if (contains_ci(supported, tag)) return;
    ExtraHeaders& out = facts.unsupported;
    const std::size_t before = out.size();
    // Keep room for the final CRLF; a tag that does not fit is left out of the list.
    if (!out.append(before == 0 ? std::string_view("Unsupported: ") : std::string_view(", ")) ||
        !out.append(tag) || out.size() + 2 > ExtraHeaders::kCapacity)
        out.truncate(before);
}

void check_header(std::string_view field, const StartLine& start, const SanityPolicy& policy,
                  Facts& facts) noexcept {
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return facts.note(Defect::bad_header_line);
    std::string_view name = field.substr(0, colon);
    while (!name.empty() && is_wsp(name.back()))
        name.remove_suffix(1); // HCOLON
    if (!is_token(name)) return facts.note(Defect::bad_header_line);
    const std::string_view value = field.substr(colon + 1);

    const KnownHeader* known = find_known_header(name);
    if (known == nullptr) return; // unknown or unchecked fields go to libre as they are
    auto& count = facts.counts[static_cast<std::size_t>(known->kind)];
    if (count < 0xffff) ++count;
    if (known->single_valued && count > 1) facts.note(Defect::duplicate_header);

    std::uint64_t number = 0;
    switch (known->kind) {
    case HeaderKind::via: {
        ViaHosts hosts;
        if (!is_valid_via(value, hosts)) facts.note(Defect::bad_via);
        facts.broadcast = facts.broadcast || hosts.broadcast;
        break;
    }
    case HeaderKind::to:
        if (!is_valid_address_header(value, AddressRule::single, &facts.to_uri))
            facts.note(Defect::bad_address);
        break;
    case HeaderKind::from:
        if (!is_valid_address_header(value, AddressRule::single)) facts.note(Defect::bad_address);
        break;
    case HeaderKind::contact:
        if (!is_valid_address_header(value, AddressRule::contact_list))
            facts.note(Defect::bad_address);
        break;
    case HeaderKind::route:
    case HeaderKind::record_route:
        if (!is_valid_address_header(value, AddressRule::route_list))
            facts.note(Defect::bad_address);
        break;
    case HeaderKind::call_id:
        if (!is_valid_call_id(value)) facts.note(Defect::bad_call_id);
        break;
    case HeaderKind::cseq:
        switch (parse_cseq(value, facts.cseq)) {
        case CSeqResult::ok: break;
        case CSeqResult::malformed: facts.note(Defect::bad_cseq); break;
        case CSeqResult::out_of_range: facts.note(Defect::cseq_out_of_range); break;
        }
        break;
    case HeaderKind::max_forwards: // RFC 3261 20.22: 0..255 (RFC 4475 scalar02: 300)
        if (!parse_number_field(value, 255, number)) facts.note(Defect::bad_max_forwards);
        break;
    case HeaderKind::expires: // delta-seconds up to 2^32-1
        if (!parse_number_field(value, 0xffffffffu, number)) facts.note(Defect::bad_expires);
        break;
    case HeaderKind::content_length: // RFC 4475 ncl: -999
        if (!parse_number_field(value, 0xffffffffu, facts.content_length))
            facts.note(Defect::bad_content_length);
        facts.has_content_length = true;
        break;
    case HeaderKind::content_type:
        if (!parse_media_type(value, facts.content_type)) facts.note(Defect::bad_content_type);
        break;
    case HeaderKind::date:
        if (!is_valid_rfc1123_date(value)) facts.note(Defect::bad_date);
        break;
    case HeaderKind::require: {
        bool too_long = false;
        const bool ok = visit_option_tags(value, [&](std::string_view tag) {
            too_long = too_long || tag.size() > kMaxOptionTagSize;
            if (start.is_request && requires_options(start.method))
                collect_unsupported(tag, policy.supported_options, facts);
        });
        if (!ok || too_long) facts.note(Defect::bad_option_tags);
        break;
    }
    default: break;
    }
}

// The "Accept" line for a 415: the body types the policy allows.
void append_accept(const SanityPolicy& policy, ExtraHeaders& out) noexcept {
    const std::size_t before = out.size();
    bool ok = out.append("Accept: ");
    for (std::size_t i = 0; ok && i < policy.session_body_types.size(); ++i)
        ok = (i == 0 || out.append(", ")) && out.append(policy.session_body_types[i]);
    if (!ok || !out.append("\r\n")) out.truncate(before);
}

struct Outcome {
    Defect defect = Defect::none;
    bool broadcast = false;
    std::size_t message_size = 0;
    ExtraHeaders extra;
};

Outcome examine(std::string_view text, const StartLine& start, std::size_t start_end,
                const SanityPolicy& policy) noexcept {
    Outcome outcome;
    Facts facts;
    std::size_t pos = start_end;
    std::size_t field_begin = 0;
    std::size_t field_end = 0;
    bool have_field = false;
    std::size_t fields = 0;
    std::size_t body_start = 0;
    while (true) {
        const std::size_t lf = text.find('\n', pos);
        if (lf == std::string_view::npos) {
            outcome.defect = Defect::unterminated_headers;
            return outcome;
        }
        std::size_t line_end = lf;
        if (line_end > pos && text[line_end - 1] == '\r') --line_end;
        const std::string_view line = text.substr(pos, line_end - pos);
        if (line.size() > kMaxLineSize) {
            outcome.defect = Defect::line_too_long;
            return outcome;
        }
        if (line.find('\r') != std::string_view::npos) facts.note(Defect::bad_header_line);
        const std::size_t next = lf + 1;
        if (line.empty() || !is_wsp(line.front())) {
            if (have_field)
                check_header(text.substr(field_begin, field_end - field_begin), start, policy,
                             facts);
            if (line.empty()) {
                body_start = next;
                break;
            }
            if (++fields > kMaxHeaderCount) {
                outcome.defect = Defect::too_many_headers;
                return outcome;
            }
            field_begin = pos;
            have_field = true;
        } else if (!have_field) {
            facts.note(Defect::bad_header_line); // whitespace before the first field
        }
        field_end = line_end; // a folded line continues the current field
        if (have_field && field_end - field_begin > kMaxLineSize) {
            outcome.defect = Defect::line_too_long;
            return outcome;
        }
        pos = next;
    }
    outcome.broadcast = facts.broadcast;

    // Mandatory fields (RFC 3261 8.1.1; Max-Forwards stays optional for RFC 2543 peers).
    for (HeaderKind kind :
         {HeaderKind::via, HeaderKind::from, HeaderKind::to, HeaderKind::call_id, HeaderKind::cseq})
        if (facts.count(kind) == 0) facts.note(Defect::missing_header); // RFC 4475 insuf
    if (start.is_request && facts.count(HeaderKind::cseq) == 1 &&
        facts.defect != Defect::bad_cseq && facts.defect != Defect::cseq_out_of_range &&
        facts.cseq.method != start.method)
        facts.note(Defect::cseq_method_mismatch); // RFC 4475 mismatch01, mismatch02

    // Body length: Content-Length rules on streams, optional on datagrams (RFC 3261 18.3).
    const std::size_t available = text.size() - body_start;
    std::size_t body_size = available;
    if (facts.has_content_length && facts.defect != Defect::bad_content_length) {
        if (facts.content_length > available)
            facts.note(Defect::body_too_short); // RFC 4475 clerr
        else
            body_size = static_cast<std::size_t>(facts.content_length); // RFC 4475 dblreq
    } else if (!facts.has_content_length && policy.transport == Transport::stream) {
        facts.note(Defect::missing_content_length);
    }
    outcome.message_size = body_start + body_size;
    const bool session_body = start.is_request && carries_session(start.method) && body_size > 0;
    if (session_body && facts.count(HeaderKind::content_type) == 0)
        facts.note(Defect::missing_header); // RFC 3261 20.15
    if (facts.defect != Defect::none || !start.is_request) {
        outcome.defect = facts.defect;
        return outcome;
    }

    // Request-level rules in RFC 3261 8.2.2 order: scheme (416), extensions (420), body (415).
    if (!contains_ci(policy.uri_schemes, uri_scheme(start.uri))) {
        outcome.defect = Defect::unsupported_uri_scheme; // RFC 4475 unkscm, novelsc
        return outcome;
    }
    const std::string_view to_scheme = uri_scheme(facts.to_uri);
    if (start.method == "REGISTER" && !iequals(to_scheme, "sip") && !iequals(to_scheme, "sips")) {
        outcome.defect = Defect::unsupported_uri_scheme; // RFC 3261 10.2 AOR; RFC 4475 unksm2
        return outcome;
    }
    if (!facts.unsupported.empty()) {
        outcome.defect = Defect::unsupported_extension; // RFC 4475 bext01
        outcome.extra = facts.unsupported;
        outcome.extra.append("\r\n");
        return outcome;
    }
    if (session_body) {
        const MediaType& type = facts.content_type;
        bool accepted = false;
        for (std::string_view allowed : policy.session_body_types) {
            const std::size_t slash = allowed.find('/');
            accepted = accepted || (iequals(type.type, allowed.substr(0, slash)) &&
                                    slash != std::string_view::npos &&
                                    iequals(type.subtype, allowed.substr(slash + 1)));
        }
        if (!accepted) {
            outcome.defect = Defect::unsupported_media_type; // RFC 4475 invut
            append_accept(policy, outcome.extra);
        }
    }
    return outcome;
}

struct StatusText {
    std::uint16_t status;
    std::string_view reason;
};

StatusText status_for(Defect defect) noexcept {
    switch (defect) {
    case Defect::unsupported_version: return {505, "Version Not Supported"};
    case Defect::message_too_large: return {513, "Message Too Large"};
    case Defect::unsupported_uri_scheme: return {416, "Unsupported URI Scheme"};
    case Defect::unsupported_extension: return {420, "Bad Extension"};
    case Defect::unsupported_media_type: return {415, "Unsupported Media Type"};
    default: return {400, "Bad Request"};
    }
}

} // namespace

bool ExtraHeaders::append(std::string_view piece) noexcept {
    if (piece.size() > kCapacity - size_) return false;
    for (char c : piece)
        text_[size_++] = c;
    return true;
}

SanityVerdict check_sip_message(std::span<const char> message,
                                const SanityPolicy& policy) noexcept {
    // A datagram is one message: over the cap it is refused whole. A stream buffer may hold
    // several messages: only the first must fit, so look at no more than the cap.
    const bool over_cap = message.size() > kMaxMessageSize;
    const std::string_view text(message.data(), over_cap ? kMaxMessageSize : message.size());
    SanityVerdict verdict;

    std::size_t lead = 0; // CRLFs before the start line are ignored (RFC 3261 7.5)
    while (lead < text.size() && (text[lead] == '\r' || text[lead] == '\n'))
        ++lead;
    const std::string_view rest = text.substr(lead);

    StartLine start;
    start.is_request = looks_like_request(rest);
    if (!start.is_request && !starts_with_sip_version(rest)) return verdict; // drop: not SIP
    if (start.is_request) start.method = rest.substr(0, rest.find(' '));

    auto finish = [&](Defect defect, bool broadcast, std::size_t size,
                      const ExtraHeaders* extra = nullptr) {
        verdict.defect = defect;
        verdict.message_size = size;
        if (defect == Defect::none && !broadcast) {
            verdict.action = Action::pass;
        } else if (start.is_request && !is_ack(start.method) && !broadcast) {
            verdict.action = Action::reject; // a response to ACK or toward broadcast is never sent
            const StatusText status = status_for(defect);
            verdict.status = status.status;
            verdict.reason = status.reason;
            if (extra != nullptr) verdict.extra_headers = *extra;
        } else {
            verdict.action = Action::drop;
            if (defect == Defect::none) verdict.defect = Defect::broadcast_via;
        }
        return verdict;
    };

    if (over_cap && policy.transport == Transport::datagram)
        return finish(Defect::message_too_large, false, 0);
    // On a stream, a first message that does not end within the cap is too large.
    const auto cap_defect = [&](Defect defect) {
        const bool cut = over_cap && (defect == Defect::unterminated_headers ||
                                      defect == Defect::body_too_short);
        return cut ? Defect::message_too_large : defect;
    };
    const std::size_t lf = rest.find('\n');
    if (lf == std::string_view::npos || lf > kMaxLineSize + 1)
        return finish(lf == std::string_view::npos ? cap_defect(Defect::unterminated_headers)
                                                   : Defect::line_too_long,
                      false, 0);
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Defect defect = line.find('\r') != std::string_view::npos ? Defect::bad_request_line
                    : start.is_request                        ? check_request_line(line, start)
                                                              : check_status_line(line);
    if (!start.is_request && defect == Defect::bad_request_line) defect = Defect::bad_status_line;
    if (defect != Defect::none) return finish(defect, false, 0);

    const Outcome outcome = examine(text, start, lead + lf + 1, policy);
    return finish(cap_defect(outcome.defect), outcome.broadcast, outcome.message_size,
                  &outcome.extra);
}

std::string_view describe(Defect defect) noexcept {
    switch (defect) {
    case Defect::none: return "none";
    case Defect::not_sip: return "not a SIP message";
    case Defect::message_too_large: return "message too large";
    case Defect::line_too_long: return "header line too long";
    case Defect::too_many_headers: return "too many header fields";
    case Defect::bad_request_line: return "malformed request line";
    case Defect::bad_request_uri: return "malformed Request-URI";
    case Defect::bad_version: return "malformed SIP-Version";
    case Defect::unsupported_version: return "SIP version not supported";
    case Defect::bad_status_line: return "malformed status line";
    case Defect::bad_header_line: return "malformed header line";
    case Defect::unterminated_headers: return "no empty line after the header fields";
    case Defect::duplicate_header: return "single-valued header field repeated";
    case Defect::missing_header: return "mandatory header field missing";
    case Defect::bad_via: return "malformed Via";
    case Defect::broadcast_via: return "broadcast or multicast address in Via";
    case Defect::bad_cseq: return "malformed CSeq";
    case Defect::cseq_out_of_range: return "CSeq number not below 2^31";
    case Defect::cseq_method_mismatch: return "CSeq method differs from the request method";
    case Defect::bad_max_forwards: return "malformed or too large Max-Forwards";
    case Defect::bad_expires: return "malformed or too large Expires";
    case Defect::bad_content_length: return "malformed Content-Length";
    case Defect::missing_content_length: return "Content-Length missing on a stream";
    case Defect::body_too_short: return "body shorter than Content-Length";
    case Defect::bad_call_id: return "malformed Call-ID";
    case Defect::bad_address: return "malformed name-addr / addr-spec";
    case Defect::bad_content_type: return "malformed Content-Type";
    case Defect::bad_date: return "malformed Date";
    case Defect::bad_option_tags: return "malformed Require";
    case Defect::unsupported_uri_scheme: return "unsupported URI scheme";
    case Defect::unsupported_extension: return "unsupported option tag in Require";
    case Defect::unsupported_media_type: return "unsupported body type";
    }
    return "unknown";
}

} // namespace suflyor::sip
