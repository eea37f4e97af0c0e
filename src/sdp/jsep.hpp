#pragma once
// The WebRTC rules negotiate and accept_answer apply (internal to the sdp module).
#include "sdp/negotiate.hpp"

namespace suflyor::sdp::detail {

// The WebRTC part of an offer's audio section `m`: fingerprint, ICE credentials, rtcp-mux and
// setup checked; our DTLS role chosen.
Result<WebRtcNegotiated, NegotiationError> webrtc_offer(const SessionDescription& offer,
                                                        const MediaDescription& m);

// The WebRTC part of the answer's section `m` to our offered section `offered`.
Result<WebRtcNegotiated, NegotiationError> webrtc_answer(const MediaDescription& offered,
                                                         const SessionDescription& answer,
                                                         const MediaDescription& m);

} // namespace suflyor::sdp::detail
