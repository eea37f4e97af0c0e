#!/usr/bin/env python3
"""Server-added latency per path from a capture of a call's RTP on `lo`.

Every PCMU packet a phone sends to the server (input) and the server sends to a phone (output)
is decoded; each sample gets a time: its packet's capture time minus the samples after it in the
packet (a packet leaves once its last sample exists). A burst onset is the first loud sample
after 50 ms of quiet; its sender is the frequency that dominates the 20 ms after it. For each
path (sender -> listener) and phase, every input onset of the sender is matched to the first
output onset of the sender's frequency in the listener's stream; the difference is the latency
the server added to that path. Usage: analyze.py CAPTURE.pcap MARKS.json SIP_PORT
"""

import json
import math
import struct
import sys

# tone of each party and where in each 1 s period its burst starts (see tones.py)
FREQS = {"client": 500.0, "operator": 1100.0, "supervisor": 1700.0}
OFFSETS = {"client": 0.0, "operator": 0.33, "supervisor": 0.66}
PORT_RANGES = {"client": (10000, 10999), "operator": (11000, 11999),
               "supervisor": (12000, 12999)}
RATE = 8000
LOUD = 3000  # onset threshold (the bursts are 12,000)
QUIET = 300
QUIET_SAMPLES = 400  # 50 ms of quiet before an onset
SETTLE_S = 2.0  # skipped at the start of each phase (joins, switches)

# (sender, listener, phase): the table of SPEC §2 for listen and whisper
PATHS = [
    ("client", "operator", "two-party", "relayed"),
    ("operator", "client", "two-party", "relayed"),
    ("client", "operator", "listen", "relayed"),
    ("client", "supervisor", "listen", "mixed"),
    ("operator", "supervisor", "listen", "mixed"),
    ("supervisor", "operator", "whisper", "mixed (whisper)"),
    ("client", "operator", "whisper", "mixed"),
    ("operator", "client", "whisper", "relayed"),
    ("client", "supervisor", "whisper", "mixed"),
]
PHASES = {"two-party": ("call", "listen"), "listen": ("listen", "whisper"),
          "whisper": ("whisper", "end")}


def ulaw_table():
    table = []
    for u in range(256):
        u = ~u & 0xFF
        sign, exponent, mantissa = u & 0x80, (u >> 4) & 7, u & 0x0F
        sample = (((mantissa << 3) + 0x84) << exponent) - 0x84
        table.append(-sample if sign else sample)
    return table


ULAW = ulaw_table()


def read_pcap(path):
    """Yields (time, src_ip, src_port, dst_ip, dst_port, payload) of IPv4 UDP packets."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian, nano = {0xA1B2C3D4: ("<", False), 0xA1B23C4D: ("<", True),
                    0xD4C3B2A1: (">", False), 0x4D3CB2A1: (">", True)}[magic]
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    link_header = {1: 14, 113: 16, 276: 20, 0: 4}[linktype]
    pos = 24
    while pos + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        t = sec + frac / (1e9 if nano else 1e6)
        ip = frame[link_header:]
        if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 0x0F) * 4
        src = ".".join(map(str, ip[12:16]))
        dst = ".".join(map(str, ip[16:20]))
        sport, dport = struct.unpack(">HH", ip[ihl:ihl + 4])
        yield t, src, sport, dst, dport, ip[ihl + 8:]


def party_of(port):
    for name, (lo, hi) in PORT_RANGES.items():
        if lo <= port <= hi:
            return name
    return None


def goertzel(samples, freq):
    k = 2 * math.cos(2 * math.pi * freq / RATE)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def collect(pcap, sip_port):
    """RTP streams by (direction, party): lists of (time, seq, pt, payload); SIP SDP bodies."""
    streams, sdps = {}, []
    for t, src, sport, dst, dport, payload in read_pcap(pcap):
        if sport == sip_port or dport == sip_port:
            text = payload.decode("latin-1")
            if "m=audio" in text:
                first = text.split("\r\n", 1)[0]
                media = [line for line in text.split("\r\n") if line.startswith(("m=", "a=rtpmap"))]
                sdps.append({"time": t, "from": "%s:%d" % (src, sport), "first_line": first,
                             "media": media})
            continue
        if len(payload) < 12 or payload[0] >> 6 != 2 or 200 <= payload[1] <= 204:
            continue
        if party_of(sport):
            key = ("in", party_of(sport))
        elif party_of(dport):
            key = ("out", party_of(dport))
        else:
            continue
        cc = payload[0] & 0x0F
        pt = payload[1] & 0x7F
        seq = struct.unpack(">H", payload[2:4])[0]
        streams.setdefault(key, []).append((t, seq, pt, payload[12 + 4 * cc:]))
    return streams, sdps


def onsets(packets):
    """Burst onsets of a PCMU stream: (time, party whose frequency dominates)."""
    found = []
    quiet = QUIET_SAMPLES
    pending = None  # (time, samples collected after the onset)
    for t, _, pt, payload in sorted(packets, key=lambda p: p[0]):
        if pt != 0:
            continue
        n = len(payload)
        for j, byte in enumerate(payload):
            x = ULAW[byte]
            if pending is not None:
                pending[1].append(x)
                if len(pending[1]) >= 160:
                    powers = {p: goertzel(pending[1], f) for p, f in FREQS.items()}
                    found.append((pending[0], max(powers, key=powers.get)))
                    pending = None
            if abs(x) >= LOUD and quiet >= QUIET_SAMPLES and pending is None:
                pending = (t - (n - 1 - j) / RATE, [x])
            quiet = quiet + 1 if abs(x) < QUIET else 0
    return found


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def analyze(pcap, marks, sip_port):
    streams, sdps = collect(pcap, sip_port)
    detected = {key: onsets(pkts) for key, pkts in streams.items()}
    paths = []
    for sender, listener, phase, kind in PATHS:
        begin = marks[PHASES[phase][0]] + SETTLE_S
        end = marks[PHASES[phase][1]]
        ins = [t for t, who in detected.get(("in", sender), []) if who == sender and
               begin <= t < end - 0.5]
        outs = [t for t, who in detected.get(("out", listener), []) if who == sender]
        delays, missing, series = [], 0, []
        for t in ins:
            match = next((o for o in outs if t - 0.005 <= o <= t + 0.5), None)
            if match is None:
                missing += 1
            else:
                delays.append((match - t) * 1000)
                series.append((round(t - marks[PHASES[phase][0]], 2), round(delays[-1], 1)))
        row = {"sender": sender, "listener": listener, "phase": phase, "kind": kind,
               "bursts": len(ins), "missing": missing, "series": series}
        if delays:
            row.update(p50_ms=round(percentile(delays, 0.5), 1),
                       p95_ms=round(percentile(delays, 0.95), 1),
                       min_ms=round(min(delays), 1), max_ms=round(max(delays), 1))
        paths.append(row)
    return {"paths": paths, "sdp": sdps}


def format_report(report):
    lines = ["%-11s -> %-11s %-9s %-16s %6s %7s %7s %7s %7s %5s" %
             ("sender", "listener", "phase", "path", "bursts", "min", "p50", "p95", "max",
              "miss")]
    for r in report["paths"]:
        lines.append("%-11s -> %-11s %-9s %-16s %6d %7s %7s %7s %7s %5d" % (
            r["sender"], r["listener"], r["phase"], r["kind"], r["bursts"],
            r.get("min_ms", "-"), r.get("p50_ms", "-"), r.get("p95_ms", "-"),
            r.get("max_ms", "-"), r["missing"]))
    lines.append("(server-added latency in ms, burst onset in -> burst onset out)")
    for r in report["paths"]:
        if r["kind"].startswith("mixed"):
            lines.append("%s->%s %s: %s" % (r["sender"], r["listener"], r["phase"], " ".join(
                "%.0fs:%.0f" % p for p in r["series"])))
    for s in report["sdp"]:
        lines.append("SDP %s from %s: %s" % (s["first_line"][:40], s["from"],
                                             " | ".join(s["media"])))
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[2]) as f:
        marks = json.load(f)
    print(format_report(analyze(sys.argv[1], marks, int(sys.argv[3]))))
