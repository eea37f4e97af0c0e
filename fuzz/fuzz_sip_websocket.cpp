// libFuzzer target: what a browser's WebSocket connection feeds the gateway — RFC 6455 frames
// (split at any point), the SIP messages inside them, the Origin check's text — and what libre
// sends back through the bridge. Any bytes must end in messages, an error or a wait, never a
// crash or unbounded buffering.
#include "sip/websocket.hpp"

#include <cstddef>
#include <cstdint>
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
                if (const auto framed = stream_message(event.data);
                    framed && framed->size() > event.data.size() + 32)
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
