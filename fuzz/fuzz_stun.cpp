// libFuzzer target: the STUN decoder and the MESSAGE-INTEGRITY check must accept or reject any
// datagram without UB; every view of an accepted message lies inside the input; what the
// decoder understood re-encodes to a message that decodes to the same values; and the ICE-lite
// agent answers (or not) with a well-formed reply.
#include "media/webrtc/ice_lite.hpp"
#include "media/webrtc/stun.hpp"

#include <arpa/inet.h>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace {

using namespace suflyor::media::webrtc;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

bool inside(std::string_view part, std::span<const std::uint8_t> whole) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(part.data());
    return part.empty() || (p >= whole.data() && p + part.size() <= whole.data() + whole.size());
}

std::uint64_t touch(const stun::Message& m, std::span<const std::uint8_t> input) {
    check(m.bytes.data() == input.data() && m.bytes.size() == input.size());
    std::uint64_t sum =
        m.method + static_cast<unsigned>(m.cls) + m.use_candidate + m.unknown_required_count;
    check(m.unknown_required_count <= m.unknown_required.size());
    if (m.username) check(inside(*m.username, input)), sum += m.username->size();
    if (m.software) check(inside(*m.software, input));
    if (m.error) {
        check(inside(m.error->reason, input));
        check(m.error->code >= 300 && m.error->code <= 699);
    }
    if (m.integrity_at) check(*m.integrity_at + 24 <= input.size());
    if (m.fingerprint_at) check(*m.fingerprint_at + 8 == input.size());
    sum += stun::check_integrity(m, "VOkJxbRl1RmTxUk/WvJxBt");
    sum += stun::check_integrity(m, "");
    return sum;
}

// Re-encodes what was understood; the result must decode to the same values.
void round_trip(const stun::Message& m) {
    std::vector<std::uint8_t> out(1200);
    stun::Builder b(out, stun::message_type(m.method, m.cls), m.transaction);
    if (m.username) b.add_string(stun::attr::username, *m.username);
    if (m.priority) b.add_u32(stun::attr::priority, *m.priority);
    if (m.use_candidate) b.add_flag(stun::attr::use_candidate);
    if (m.ice_controlling) b.add_u64(stun::attr::ice_controlling, *m.ice_controlling);
    if (m.ice_controlled) b.add_u64(stun::attr::ice_controlled, *m.ice_controlled);
    if (m.xor_mapped) b.add_xor_address(stun::attr::xor_mapped_address, *m.xor_mapped);
    if (m.error) b.add_error(m.error->code, m.error->reason);
    b.add_integrity("key");
    b.add_fingerprint();
    if (!b.ok()) return; // e.g. a username that does not fit with the rest
    const auto again = stun::decode(b.bytes());
    check(again.message.has_value());
    const stun::Message& n = *again.message;
    check(n.method == m.method && n.cls == m.cls && n.transaction == m.transaction);
    check(n.username == m.username && n.priority == m.priority);
    check(n.use_candidate == m.use_candidate && n.ice_controlling == m.ice_controlling);
    check(n.ice_controlled == m.ice_controlled && n.xor_mapped == m.xor_mapped);
    check(n.error.has_value() == m.error.has_value());
    if (n.error) check(n.error->code == m.error->code && n.error->reason == m.error->reason);
    check(stun::check_integrity(n, "key") && n.fingerprint_at.has_value());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input{data, size};
    std::uint64_t sum = stun::looks_like_stun(input);
    const auto decoded = stun::decode(input);
    if (decoded.message) {
        sum += touch(*decoded.message, input);
        round_trip(*decoded.message);
    } else {
        sum += static_cast<unsigned>(decoded.error);
    }

    IceLite agent{"evtj", "VOkJxbRl1RmTxUk/WvJxBt", "h6vY"};
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_port = htons(5000);
    from.sin_addr.s_addr = htonl(0xC0000201);
    std::vector<std::uint8_t> reply(ice_reply_capacity);
    const IceResult result = agent.on_stun(input, from, {}, reply);
    check(result.reply_size <= reply.size());
    if (result.reply_size > 0) {
        const auto answer = stun::decode(std::span{reply}.first(result.reply_size));
        check(answer.message.has_value() && answer.message->fingerprint_at.has_value());
        check(answer.message->transaction == decoded.message->transaction);
    }
    if (result.verdict != IceVerdict::success) check(agent.selected() == nullptr);
    volatile std::uint64_t sink = sum;
    (void)sink;
    return 0;
}
