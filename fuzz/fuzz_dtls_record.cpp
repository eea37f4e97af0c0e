// libFuzzer target: arbitrary datagrams reach the DTLS code of a server-role Transport whose ICE
// check already succeeded (so they come from the selected address). The input is a sequence of
// [flags][length: 2 bytes][bytes] records: flags pick the source (selected or a stranger), force
// the first byte into the DTLS range, and advance the clock for on_tick(). Nothing may crash,
// and a stranger's datagrams must never reach the session.
#include "media/webrtc/stun.hpp"
#include "media/webrtc/transport.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace {

using namespace suflyor::media::webrtc;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

class CountingSink final : public DatagramSink {
public:
    void send(std::span<const std::uint8_t> datagram, const sockaddr_in& to) noexcept override {
        check(!datagram.empty() && datagram.size() <= 65535);
        // STUN error responses go back to any source; DTLS only ever to the selected address.
        if (datagram[0] >= 20 && datagram[0] <= 63 && to.sin_addr.s_addr != allowed) ++strays;
    }
    std::uint32_t allowed = 0;
    std::size_t strays = 0;
};

sockaddr_in make_address(std::uint32_t ip, std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(ip);
    a.sin_port = htons(port);
    return a;
}

std::vector<std::uint8_t> binding_request() {
    std::vector<std::uint8_t> out(200);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::request),
                    stun::TransactionId{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    b.add_string(stun::attr::username, "Sufl:Brow");
    b.add_u32(stun::attr::priority, 1);
    b.add_u64(stun::attr::ice_controlling, 1);
    b.add_flag(stun::attr::use_candidate);
    b.add_integrity("serverpassword123456789");
    b.add_fingerprint();
    out.resize(b.size());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Identity ours = Identity::generate();
    static const Identity browser = Identity::generate();
    static const std::vector<std::uint8_t> request = binding_request();

    Transport transport(ours, TransportParams{"Sufl", "serverpassword123456789", "Brow",
                                              "browserpassword12345678", DtlsRole::server,
                                              browser.fingerprint()});
    const sockaddr_in peer = make_address(0xC0000201, 50000);
    const sockaddr_in stranger = make_address(0xC6336442, 50000);
    CountingSink sink;
    sink.allowed = peer.sin_addr.s_addr;
    suflyor::core::MonoTime now{};

    std::vector<std::uint8_t> buffer(2048);
    std::size_t len = request.size();
    std::copy(request.begin(), request.end(), buffer.begin());
    check(transport.on_datagram(buffer, len, peer, now, sink) == Received::handled);
    check(transport.selected() != nullptr);

    std::size_t foreign = 0;
    std::uint8_t sequence = 0;
    std::size_t pos = 0;
    while (pos + 3 <= size) {
        const std::uint8_t flags = data[pos];
        const std::size_t n = std::min<std::size_t>(
            static_cast<std::size_t>(data[pos + 1] << 8 | data[pos + 2]), size - pos - 3);
        pos += 3;
        std::copy(data + pos, data + pos + n, buffer.begin());
        pos += n;
        if ((flags & 1) && n > 0) buffer[0] = static_cast<std::uint8_t>(20 + buffer[0] % 44);
        const bool from_stranger = (flags & 2) != 0;
        if (from_stranger && n > 0 && buffer[0] >= 20 && buffer[0] <= 63) ++foreign;
        now += std::chrono::milliseconds{(flags >> 2) * 50};
        len = n;
        const auto before = transport.stats().dtls_foreign;
        (void)transport.on_datagram(buffer, len, from_stranger ? stranger : peer, now, sink);
        if (from_stranger && n > 0 && buffer[0] >= 20 && buffer[0] <= 63)
            check(transport.stats().dtls_foreign == before + 1);
        check(len <= buffer.size());
        transport.on_tick(now, sink);
        if (transport.media_ready()) {
            std::vector<std::uint8_t> out(200 + max_srtp_overhead);
            out[0] = 0x80;
            out[3] = static_cast<std::uint8_t>(++sequence); // a repeated index would be refused
            std::size_t out_len = 200;
            check(transport.protect_rtp(out, out_len) && out_len > 200);
        }
    }
    check(transport.stats().dtls_foreign == foreign);
    check(sink.strays == 0);
    return 0;
}
