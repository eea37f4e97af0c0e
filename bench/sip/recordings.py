#!/usr/bin/env python3
"""How complete the recordings of a bench/sip/run.sh step are (issue 19, fault 1).

  recordings.py DIR DB     one tab-separated line: files, channel-seconds, the share of silent
                           20 ms frames inside the calls, and what the server marked

Every stereo call-N.wav under DIR is read (16-bit PCM); each channel (client left, operator right)
is cut into 20 ms frames. With --rtp both parties send a tone for the whole call, so a frame of
digital silence (all samples 0) between a channel's first and last sound is audio the recorder
lost. The edges (before the first RTP packet, after the BYE) are left out. DB: the step's
suflyor.db, for the calls the server marked incomplete (recording_lost_ms > 0).
"""
import glob
import os
import sqlite3
import struct
import sys


def read_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 44 or data[0:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    channels, rate = struct.unpack_from("<HI", data, 22)
    size = struct.unpack_from("<I", data, 40)[0]
    samples = memoryview(data)[44 : 44 + size].cast("h")
    return channels, rate, samples


def silent_share(path):
    """(frames inside the calls, silent ones among them) over both channels of one file."""
    wav = read_wav(path)
    if wav is None:
        return 0, 0
    channels, rate, samples = wav
    frame = rate // 50
    total = silent = 0
    for ch in range(channels):
        mono = samples[ch::channels]
        flags = [not any(mono[i : i + frame]) for i in range(0, len(mono) - frame + 1, frame)]
        sound = [i for i, quiet in enumerate(flags) if not quiet]
        if not sound:
            continue
        inside = flags[sound[0] : sound[-1] + 1]
        total += len(inside)
        silent += sum(inside)
    return total, silent


def main():
    directory, db = sys.argv[1], sys.argv[2]
    files = [
        p
        for p in glob.glob(os.path.join(directory, "**", "call-*.wav"), recursive=True)
        if not p.endswith("-supervisor.wav")
    ]
    total = silent = 0
    for path in files:
        t, s = silent_share(path)
        total += t
        silent += s
    marked, lost_ms = 0, 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        row = con.execute(
            "SELECT count(*), coalesce(sum(recording_lost_ms), 0) FROM calls "
            "WHERE recording_lost_ms > 0"
        ).fetchone()
        marked, lost_ms = row
    except sqlite3.Error:  # a build before the mark (migration 12): no column
        marked, lost_ms = "-", "-"
    share = 100.0 * silent / total if total else float("nan")
    print(f"{len(files)}\t{total * 0.02:.0f}\t{share:.2f}\t{marked}\t{lost_ms}")


if __name__ == "__main__":
    main()
