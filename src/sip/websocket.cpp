#include "sip/websocket.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace suflyor::sip::ws {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string without_trailing_slashes(std::string s) {
    while (!s.empty() && s.back() == '/')
        s.pop_back();
    return s;
}

// The value of a SIP header (full or compact name) among `headers` (the lines after the start
// line, CRLF-separated), or nullopt.
std::optional<std::string_view> header(std::string_view headers, std::string_view full,
                                       std::string_view compact) {
    while (!headers.empty()) {
        const auto eol = headers.find("\r\n");
        const auto line = headers.substr(0, eol);
        headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto name = lower(trim(line.substr(0, colon)));
        if (name == full || name == compact) return trim(line.substr(colon + 1));
    }
    return std::nullopt;
}

std::optional<std::size_t> parse_size(std::string_view digits) {
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

// "host:port" / "[v6]:port" / "host" → host (without brackets).
std::string host_of(std::string_view authority) {
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        return close == std::string_view::npos ? std::string{}
                                               : std::string(authority.substr(1, close - 1));
    }
    return std::string(authority.substr(0, authority.find(':')));
}

} // namespace

bool origin_allowed(const std::optional<std::string_view>& origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
    if (!origin) return true;
    const std::string wanted = without_trailing_slashes(lower(*origin));
    if (!allowed.empty())
        return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
            return without_trailing_slashes(lower(entry)) == wanted;
        });
    const auto scheme = wanted.find("://");
    if (scheme == std::string::npos) return false;
    const auto rest = std::string_view(wanted).substr(scheme + 3);
    const auto origin_host = host_of(rest.substr(0, rest.find('/')));
    return !origin_host.empty() && origin_host == host_of(lower(trim(host)));
}

bool has_token(std::string_view list, std::string_view token) {
    const auto wanted = lower(token);
    while (true) {
        const auto comma = list.find(',');
        if (lower(trim(list.substr(0, comma))) == wanted) return true;
        if (comma == std::string_view::npos) return false;
        list.remove_prefix(comma + 1);
    }
}

std::string accept_key(std::string_view client_key) {
    const std::string input =
        std::string(trim(client_key)) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr);
    unsigned char out[64];
    const int n = EVP_EncodeBlock(out, digest, static_cast<int>(size));
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(n)};
}

Decoded decode_frame(std::string_view in, std::size_t max_payload) {
    Decoded d;
    const auto error = [&](std::string_view why) {
        d.status = DecodeStatus::error;
        d.error = why;
        return d;
    };
    if (in.size() < 2) return d;
    const auto b0 = static_cast<std::uint8_t>(in[0]);
    const auto b1 = static_cast<std::uint8_t>(in[1]);
    if ((b0 & 0x70) != 0) return error("reserved bits set");
    const auto op = static_cast<std::uint8_t>(b0 & 0x0f);
    const bool control = (op & 0x08) != 0;
    if (op != 0x0 && op != 0x1 && op != 0x2 && op != 0x8 && op != 0x9 && op != 0xa)
        return error("unknown opcode");
    if ((b1 & 0x80) == 0) return error("client frame not masked");
    std::uint64_t length = b1 & 0x7f;
    std::size_t pos = 2;
    if (length == 126) {
        if (in.size() < 4) return d;
        length = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[2])) << 8) |
                 static_cast<std::uint8_t>(in[3]);
        pos = 4;
    } else if (length == 127) {
        if (in.size() < 10) return d;
        length = 0;
        for (std::size_t i = 2; i < 10; ++i)
            length = (length << 8) | static_cast<std::uint8_t>(in[i]);
        pos = 10;
    }
    if (control && (length > 125 || (b0 & 0x80) == 0)) return error("bad control frame");
    if (length > max_payload) return error("frame too large");
    if (in.size() < pos + 4 + length) return d;
    const auto* mask = reinterpret_cast<const std::uint8_t*>(in.data() + pos);
    pos += 4;
    d.frame.fin = (b0 & 0x80) != 0;
    d.frame.opcode = static_cast<Opcode>(op);
    d.frame.payload.resize(static_cast<std::size_t>(length));
    for (std::size_t i = 0; i < length; ++i)
        d.frame.payload[i] =
            static_cast<char>(static_cast<std::uint8_t>(in[pos + i]) ^ mask[i % 4]);
    d.consumed = pos + static_cast<std::size_t>(length);
    d.status = DecodeStatus::frame;
    return d;
}

std::string encode_frame(Opcode opcode, std::string_view payload) {
    std::string out;
    out.reserve(payload.size() + 10);
    out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    const auto n = payload.size();
    if (n < 126) {
        out.push_back(static_cast<char>(n));
    } else if (n <= 0xffff) {
        out.push_back(static_cast<char>(126));
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n & 0xff));
    } else {
        out.push_back(static_cast<char>(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xff));
    }
    out.append(payload);
    return out;
}

std::vector<MessageReader::Event> MessageReader::feed(std::string_view bytes) {
    std::vector<Event> events;
    if (failed_) return events;
    buffer_.append(bytes);
    std::size_t used = 0;
    const auto fail = [&](std::string_view why) {
        failed_ = true;
        buffer_.clear();
        events.push_back({Event::Kind::error, std::string(why)});
        return events;
    };
    while (true) {
        auto d = decode_frame(std::string_view(buffer_).substr(used), max_);
        if (d.status == DecodeStatus::error) return fail(d.error);
        if (d.status == DecodeStatus::need_more) break;
        used += d.consumed;
        auto& f = d.frame;
        switch (f.opcode) {
        case Opcode::ping: events.push_back({Event::Kind::ping, std::move(f.payload)}); break;
        case Opcode::pong: events.push_back({Event::Kind::pong, {}}); break;
        case Opcode::close: events.push_back({Event::Kind::close, {}}); break;
        case Opcode::text:
        case Opcode::binary:
            if (in_message_) return fail("new message inside a fragmented one");
            message_ = std::move(f.payload);
            in_message_ = !f.fin;
            if (f.fin) events.push_back({Event::Kind::message, std::move(message_)});
            break;
        case Opcode::continuation:
            if (!in_message_) return fail("continuation without a message");
            if (message_.size() + f.payload.size() > max_) return fail("message too large");
            message_ += f.payload;
            if (f.fin) {
                in_message_ = false;
                events.push_back({Event::Kind::message, std::move(message_)});
            }
            break;
        }
    }
    buffer_.erase(0, used);
    // A peer that never completes a frame cannot make us buffer more than one frame's worth.
    if (buffer_.size() > max_ + 14) return fail("frame too large");
    return events;
}

std::optional<std::string> stream_message(std::string_view message) {
    const auto end = message.find("\r\n\r\n");
    if (end == std::string_view::npos) return std::nullopt;
    const auto first_eol = message.find("\r\n");
    const auto headers = message.substr(first_eol + 2, end - first_eol);
    if (header(headers, "content-length", "l")) return std::string(message);
    std::string out(message.substr(0, end + 2));
    out += "Content-Length: " + std::to_string(message.size() - end - 4) + "\r\n\r\n";
    out.append(message.substr(end + 4));
    return out;
}

std::string reachable_contact(std::string_view message, std::string_view bridge) {
    std::string out(message);
    const auto end = out.find("\r\n\r\n");
    if (end == std::string::npos || out.rfind("REGISTER ", 0) == 0) return out;
    std::size_t line = out.find("\r\n");
    while (line != std::string::npos && line < end) {
        const std::size_t start = line + 2;
        const std::size_t stop = out.find("\r\n", start);
        const std::string_view text = std::string_view(out).substr(start, stop - start);
        const auto colon = text.find(':');
        const std::string_view name = colon == std::string_view::npos ? "" : text.substr(0, colon);
        const auto is = [&](std::string_view wanted) { return lower(trim(name)) == wanted; };
        if (!is("contact") && !is("m")) {
            line = stop;
            continue;
        }
        // Bracketed, the URI is inside <...> and its ';' parameters are the URI's. Unbracketed,
        // the URI ends at the first ';' and what follows are header parameters (RFC 3261
        // §20.10): a transport=ws there still names the browser, and the rewritten URI needs
        // brackets for its transport=tcp to be a URI parameter.
        const std::size_t value = start + colon + 1;
        std::size_t uri_start = out.find('<', value);
        std::size_t uri_end;
        const bool bracketed = uri_start != std::string::npos && uri_start < stop;
        if (bracketed) {
            ++uri_start;
            uri_end = out.find('>', uri_start);
            if (uri_end == std::string::npos || uri_end > stop) return out;
        } else {
            uri_start = out.find_first_not_of(" \t", value);
            if (uri_start >= stop) return out;
            uri_end = stop;
            while (uri_end > uri_start && (out[uri_end - 1] == ' ' || out[uri_end - 1] == '\t'))
                --uri_end;
        }
        const std::string uri = out.substr(uri_start, uri_end - uri_start);
        const auto scheme = uri.find(':');
        const auto semi = uri.find(';');
        if (scheme == std::string::npos || semi == std::string::npos || semi < scheme) return out;
        // Finds ";transport=..." among the parameters and whether its value is ws or wss.
        std::string params = uri.substr(semi);
        const std::string low = lower(params);
        std::size_t tp = 0;
        bool websocket = false;
        while ((tp = low.find(";transport=", tp)) != std::string::npos) {
            const auto value_start = tp + 11;
            const auto value_end = std::min(low.find(';', value_start), low.size());
            const auto v = std::string_view(low).substr(value_start, value_end - value_start);
            if (v == "ws" || v == "wss") {
                websocket = true;
                params.erase(tp, value_end - tp);
                break;
            }
            tp = value_end;
        }
        if (!websocket) return out; // not a browser's
        const auto at = uri.rfind('@', semi);
        const std::size_t host = (at == std::string::npos ? scheme : at) + 1;
        if (bracketed) {
            params.insert(tp, ";transport=tcp");
            out.replace(uri_start, uri_end - uri_start,
                        uri.substr(0, host) + std::string(bridge) + params);
        } else {
            out.replace(uri_start, uri_end - uri_start,
                        "<" + uri.substr(0, host) + std::string(bridge) + ";transport=tcp>" +
                            params);
        }
        return out;
    }
    return out;
}

std::optional<std::string> StreamSplitter::next() {
    if (failed_) return std::nullopt;
    std::size_t start = 0;
    while (buffer_.compare(start, 2, "\r\n") == 0)
        start += 2;
    buffer_.erase(0, start);
    const auto end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (buffer_.size() > max_) failed_ = true;
        return std::nullopt;
    }
    const auto first_eol = buffer_.find("\r\n");
    const auto headers = std::string_view(buffer_).substr(first_eol + 2, end - first_eol);
    std::size_t body = 0;
    if (const auto value = header(headers, "content-length", "l")) {
        const auto n = parse_size(*value);
        if (!n) {
            failed_ = true;
            return std::nullopt;
        }
        body = *n;
    }
    const auto total = end + 4 + body;
    if (total > max_) {
        failed_ = true;
        return std::nullopt;
    }
    if (buffer_.size() < total) return std::nullopt;
    std::string out = buffer_.substr(0, total);
    buffer_.erase(0, total);
    return out;
}

} // namespace suflyor::sip::ws
