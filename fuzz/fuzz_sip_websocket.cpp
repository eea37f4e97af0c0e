// libFuzzer target: what a browser's WebSocket connection feeds the gateway — RFC 6455 frames
// (split at any point), the SIP messages inside them and the Contact the gateway rewrites in
// them, the Origin check's text — and what libre sends back through the bridge. Any bytes must
// end in messages, an error or a wait, never a crash, unbounded buffering or a changed body.
#include "sip/websocket.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace suflyor::sip::ws;
    constexpr std::size_t max = 4096;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // The first byte chooses where TCP splits the stream.
    const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
    MessageReader reader(max);
    for (const auto part : {bytes.substr(0, split), bytes.substr(split)}) {
        for (const auto& event : reader.feed(part)) {
            if (event.kind == MessageReader::Event::Kind::message) {
                if (event.data.size() > max) __builtin_trap();
                const auto framed = stream_message(event.data);
                if (!framed) continue;
                if (framed->size() > event.data.size() + 32) __builtin_trap();
                // What the gateway sends the bridge: the Contact made reachable, the body kept.
                const auto sent = reachable_contact(*framed, "127.0.0.1:40000");
                const auto end = framed->find("\r\n\r\n");
                const auto sent_end = sent.find("\r\n\r\n");
                if (sent_end == std::string::npos ||
                    sent.compare(sent_end, std::string::npos, *framed, end) != 0)
                    __builtin_trap();
            }
        }
    }
    StreamSplitter splitter(max);
    splitter.append(bytes);
    while (const auto message = splitter.next())
        if (message->size() > max) __builtin_trap();
    (void)origin_allowed(bytes.substr(0, split), bytes.substr(split), {});
    (void)has_token(bytes, "sip");
    return 0;
}
