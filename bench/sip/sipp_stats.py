#!/usr/bin/env python3
"""Summarises sipp's -trace_stat and -trace_rtt files for bench/sip/run.sh.

  sipp_stats.py last STAT.csv COLUMN      value of COLUMN in the last row of a stat file
  sipp_stats.py step --rate R ...         one step's line (stdout and appended to --summary)
"""
import argparse
import csv
import math
import sys


def read_stat(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, (v.strip() for v in r))) for r in rows[1:]]


def column_max(rows, name):
    best = 0
    for r in rows:
        try:
            best = max(best, int(r.get(name, "0") or 0))
        except ValueError:
            pass
    return best


def percentile(sorted_values, p):
    """Nearest-rank percentile (the value at or below which p % of the samples fall)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def read_rtt(path):
    """sipp -trace_rtt: 'date_ms;response_time_ms;rtd_no' rows, one per measured response time."""
    by_rtd = {}
    if not path:
        return by_rtd
    with open(path) as f:
        for line in f:
            parts = line.strip().split(";")
            if len(parts) < 3:
                continue
            try:
                value = float(parts[1])
                rtd = int(parts[2])
            except ValueError:
                continue  # header
            by_rtd.setdefault(rtd, []).append(value)
    for values in by_rtd.values():
        values.sort()
    return by_rtd


def step(args):
    rows = read_stat(args.uac_stat)
    last = rows[-1]
    calls = int(last.get("OutgoingCall(C)", "0"))
    ok = int(last.get("SuccessfulCall(C)", "0"))
    failed = int(last.get("FailedCall(C)", "0"))
    # Calls never finished (still in progress when sipp stopped) count as failures too.
    failed_total = max(failed, calls - ok)
    fail_pct = 100.0 * failed_total / calls if calls else 100.0
    peak = column_max(rows, "CurrentCall")
    rtt = read_rtt(args.rtt)
    inv200 = rtt.get(1, [])
    cpu_s = args.cpu_ticks / args.hz
    main_s = args.main_ticks / args.hz
    cpu_pct = 100.0 * cpu_s / args.wall if args.wall else 0.0
    main_pct = 100.0 * main_s / args.wall if args.wall else 0.0
    us_per_call = 1e6 * cpu_s / ok if ok else float("nan")
    fields = [
        args.rate, calls, ok, failed_total, f"{fail_pct:.3f}",
        f"{percentile(inv200, 50):.2f}", f"{percentile(inv200, 99):.2f}",
        f"{inv200[-1] if inv200 else float('nan'):.2f}",
        peak, args.extra_fds // 4, f"{cpu_pct:.1f}", f"{main_pct:.1f}", f"{us_per_call:.0f}",
        f"{args.rss_kib / 1024:.1f}", args.threads, args.load_start, args.load_end,
        f"{args.registered}/{args.operators} in {args.register_seconds}s by {args.uas} UAS",
    ]
    if args.recordings:  # recordings.py's line, the recorder thread's share of a core
        fields += args.recordings.split("\t") + [args.recorder_cpu]
    line = "\t".join(str(f) for f in fields)
    print(line)
    if args.summary:
        with open(args.summary, "a") as f:
            f.write(line + "\n")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "last":
        print(read_stat(sys.argv[2])[-1][sys.argv[3]])
        return
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["step"])
    p.add_argument("--rate", type=int, required=True)
    p.add_argument("--duration", type=int)
    p.add_argument("--hold", type=int)
    p.add_argument("--operators", type=int)
    p.add_argument("--registered", default="?")
    p.add_argument("--register-seconds", default="?")
    p.add_argument("--uas", type=int, default=1)
    p.add_argument("--uac-stat", required=True)
    p.add_argument("--rtt", default="")
    p.add_argument("--cpu-ticks", type=int, default=0)
    p.add_argument("--main-ticks", type=int, default=0)
    p.add_argument("--hz", type=int, default=100)
    p.add_argument("--wall", type=float, default=0.0)
    p.add_argument("--rss-kib", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--extra-fds", type=int, default=0)
    p.add_argument("--load-start", default="?")
    p.add_argument("--load-end", default="?")
    p.add_argument("--summary", default="")
    p.add_argument("--recordings", default="")
    p.add_argument("--recorder-cpu", default="-")
    step(p.parse_args())


if __name__ == "__main__":
    main()
