"""The phones' microphones: WAV files of tone bursts (8 kHz mono PCM16)."""

import math
import struct

RATE = 8000
PERIOD_S = 1.0  # one burst per party per period
BURST_S = 0.15
AMPLITUDE = 12000


def write_bursts(path, freq, offset_s, seconds):
    """A burst of `freq` Hz every PERIOD_S, starting `offset_s` into each period. The burst
    starts at full amplitude (a cosine) so that its onset is sharp in every stream."""
    n = int(seconds * RATE)
    period = int(PERIOD_S * RATE)
    start = int(offset_s * RATE)
    burst = int(BURST_S * RATE)
    wave = [int(AMPLITUDE * math.cos(2 * math.pi * freq * i / RATE)) for i in range(burst)]
    out = bytearray(2 * n)
    for p in range(start, n - burst, period):
        struct.pack_into("<%dh" % burst, out, 2 * p, *wave)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + len(out)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, 2 * RATE, 2, 16))
        f.write(b"data" + struct.pack("<I", len(out)) + bytes(out))
