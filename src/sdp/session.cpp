#include "sdp/session.hpp"

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

bool is_rtp_proto(std::string_view proto) noexcept {
    return proto.find("RTP/") != std::string_view::npos;
}

bool is_hold(const MediaDescription& media) noexcept {
    return media.direction == Direction::sendonly || media.direction == Direction::inactive ||
           media.connection_address == "0.0.0.0" || media.connection_address == "::";
}

} // namespace suflyor::sdp
