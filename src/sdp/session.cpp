#include "sdp/session.hpp"

#include "sdp/text.hpp"

namespace suflyor::sdp {

std::string_view to_string(Direction direction) noexcept {
    switch (direction) {
    case Direction::sendrecv: return "sendrecv";
    case Direction::sendonly: return "sendonly";
    case Direction::recvonly: return "recvonly";
    case Direction::inactive: return "inactive";
    }
    return "sendrecv";
}

std::string_view to_string(Setup setup) noexcept {
    switch (setup) {
    case Setup::actpass: return "actpass";
    case Setup::active: return "active";
    case Setup::passive: return "passive";
    case Setup::holdconn: return "holdconn";
    }
    return "actpass";
}

bool is_rtp_proto(std::string_view proto) noexcept {
    return proto.find("RTP/") != std::string_view::npos;
}

bool is_webrtc_proto(std::string_view proto) noexcept {
    return detail::iequals(proto, "UDP/TLS/RTP/SAVPF") || detail::iequals(proto, "RTP/SAVPF");
}

bool is_hold(const MediaDescription& media) noexcept {
    if (media.direction == Direction::sendonly || media.direction == Direction::inactive)
        return true;
    if (is_webrtc_proto(media.proto)) return false;
    return media.connection_address == "0.0.0.0" || media.connection_address == "::";
}

} // namespace suflyor::sdp
