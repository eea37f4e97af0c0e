#!/usr/bin/env python3
"""Added latency of the media engine with real phones, on loopback.

Runs the real `suflyor serve` and three baresip phones (client behind a trunk on 127.0.0.2,
operator and supervisor registered), each playing tone bursts at its own frequency as its
microphone; captures every RTP packet on `lo` with tcpdump; calls, lets the supervisor join in
listen mode, switches to whisper, and hands the capture to analyze.py, which gives the server's
added latency per path. Usage: bench/latency/run.sh --binary build/suflyor [--seconds 20]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analyze  # noqa: E402
import phones  # noqa: E402
import tones  # noqa: E402

# Each phone sends from its own RTP port range: the analysis tells the streams apart by port.
PARTIES = {
    "client": {"ip": "127.0.0.2", "rtp_ports": "10000-10999"},
    "operator": {"ip": "127.0.0.1", "rtp_ports": "11000-11999"},
    "supervisor": {"ip": "127.0.0.1", "rtp_ports": "12000-12999"},
}
DID = "74950000001"


def http(port, method, path, body=None, token=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method)
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


class Serve:
    PREFIX = []

    def __init__(self, binary, workdir, client_sip_port, extra_media):
        self.binary = binary
        self.config = os.path.join(workdir, "suflyor.toml")
        with open(self.config, "w") as f:
            f.write(
                '[storage]\npath = "%s/suflyor.db"\n'
                '[security]\npassword_cost = "minimal"\n'
                '[bootstrap]\ncreator_password = "admin-password"\n'
                'creator_sip_password = "admin-sip-secret"\n'
                '[media]\nrecording_dir = "%s/recordings"\nworkers = 1\n%s\n'
                '[http]\nlisten = "127.0.0.1:0"\n'
                '[sip]\nlisten = "127.0.0.1:0"\ntransports = ["udp"]\n'
                '[[trunks]]\nname = "provider"\npeer = "127.0.0.2:%d"\n'
                'sources = ["127.0.0.2"]\n[trunks.dids]\n"%s" = "Sales"\n'
                % (workdir, workdir, extra_media, client_sip_port, DID)
            )
        self.err = open(os.path.join(workdir, "serve.log"), "w+")
        self.proc = subprocess.Popen(self.PREFIX + [binary, "--config", self.config, "serve"],
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.time() + 60
        while time.time() < deadline:
            self.err.seek(0)
            log = self.err.read()
            if "control loop running" in log:
                self.sip_port = int(re.search(r"sip: listening on udp 127\.0\.0\.1:(\d+)", log)[1])
                self.http_port = int(re.search(r"http: listening on 127\.0\.0\.1:(\d+)", log)[1])
                break
            if self.proc.poll() is not None:
                raise RuntimeError("serve exited:\n" + log)
            time.sleep(0.05)
        else:
            raise RuntimeError("serve did not start")
        # The account exists once serve has started on the empty database.
        self.admin("user", "create", "--account", "1", "--name", "Olga", "--login", "olga",
                   "--role", "operator", "--password", "olga-password", "--sip-password",
                   "olga-sip-secret")
        self.admin("project", "create", "--account", "1", "--name", "Sales")
        self.admin("project", "add-operator", "--account", "1", "--project", "Sales",
                   "--login", "olga")
        self.admin("feature", "connect", "--account", "1", "--feature", "whisper_listen")

    def admin(self, *args):
        subprocess.run([self.binary, "--config", self.config, "admin", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seconds", type=float, default=20, help="length of each phase")
    ap.add_argument("--supervisor-codecs", default="PCMU",
                    help="the supervisor phone's audio_codecs (only PCMU legs are analysed)")
    ap.add_argument("--switch", choices=["api", "dtmf"], default="api",
                    help="how the supervisor switches to whisper: PATCH /api/v1/monitor/{id}, "
                         "or the key 5 on the supervisor's phone")
    ap.add_argument("--key-in-whisper", default="",
                    help="a key the supervisor presses 3 s into whisper (e.g. 1)")
    ap.add_argument("--media", default="", help="extra [media] TOML lines for serve")
    ap.add_argument("--rt", action="store_true",
                    help="run serve, the phones and tcpdump under SCHED_RR (chrt -r 10), so a "
                         "busy shared machine delays them less")
    ap.add_argument("--keep", help="keep the work directory (capture, logs) here")
    ap.add_argument("--json", help="write the per-path figures here")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="suflyor-latency-")
    load_start = os.getloadavg()[0]
    prefix = ["chrt", "-r", "10"] if args.rt else []
    phones.PREFIX[:] = prefix
    Serve.PREFIX = prefix
    total = 3 * args.seconds + 30
    wavs = {}
    for name, freq in analyze.FREQS.items():
        wavs[name] = os.path.join(work, name + ".wav")
        tones.write_bursts(wavs[name], freq, analyze.OFFSETS[name], total)

    started = []
    tcpdump = None
    try:
        client = phones.Phone("client", work, wav=wavs["client"],
                              account={"aor": "sip:+74951112233@127.0.0.2"},
                              **PARTIES["client"])
        started.append(client)
        serve = Serve(os.path.abspath(args.binary), work, client.sip_port, args.media)
        host = "127.0.0.1:%d" % serve.sip_port
        op = phones.Phone("operator", work, wav=wavs["operator"],
                          account={"aor": "sip:olga@" + host, "auth_pass": "olga-sip-secret",
                                   "regint": 600, "auto_answer": True}, **PARTIES["operator"])
        started.append(op)
        sup = phones.Phone("supervisor", work, wav=wavs["supervisor"],
                           account={"aor": "sip:admin@" + host, "auth_pass": "admin-sip-secret",
                                    "regint": 600, "auto_answer": True},
                           codecs=args.supervisor_codecs, **PARTIES["supervisor"])
        started.append(sup)
        op.wait_registered()
        sup.wait_registered()

        pcap = os.path.join(work, "lo.pcap")
        tcpdump = subprocess.Popen(
            prefix + ["tcpdump", "-i", "lo", "-n", "-B", "16384", "-w", pcap,
             "udp and (port %d or portrange 10000-12999)" % serve.sip_port],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "tcpdump.log"), "w"))
        time.sleep(1.0)  # tcpdump opens the interface; nothing to wait on but its log
        marks = {}
        client.command("dial", "sip:%s@%s" % (DID, host))
        op.wait_event("CALL_ESTABLISHED")
        client.wait_event("CALL_ESTABLISHED")
        marks["call"] = time.time()
        time.sleep(args.seconds)

        token = http(serve.http_port, "POST", "/api/v1/auth/login",
                     {"login": "admin", "password": "admin-password"})["token"]
        call_id = http(serve.http_port, "GET", "/api/v1/calls?state=active",
                       token=token)["calls"][0]["id"]
        marks["listen"] = time.time()
        session = http(serve.http_port, "POST", "/api/v1/calls/%d/monitor" % call_id,
                       {"mode": "listen"}, token)
        sup.wait_event("CALL_ESTABLISHED")
        time.sleep(args.seconds)
        marks["whisper"] = time.time()
        if args.switch == "api":
            http(serve.http_port, "PATCH", "/api/v1/monitor/%d" % session["session_id"],
                 {"mode": "whisper"}, token)
        else:
            sup.command("sndcode", "5")
            deadline = time.time() + 10
            while http(serve.http_port, "GET", "/api/v1/monitor/%d" % session["session_id"],
                       token=token)["mode"] != "whisper":
                if time.time() > deadline:
                    raise RuntimeError("the key 5 did not switch to whisper")
                time.sleep(0.05)
        if args.key_in_whisper:
            time.sleep(3)
            marks["key"] = time.time()
            sup.command("sndcode", args.key_in_whisper)
            time.sleep(args.seconds - 3)
        else:
            time.sleep(args.seconds)
        marks["end"] = time.time()
        client.command("hangup")
        op.wait_event("CALL_CLOSED")
        time.sleep(0.5)
    finally:
        if tcpdump:
            tcpdump.send_signal(signal.SIGINT)
            tcpdump.wait(10)
        for p in started:
            p.quit()
        if "serve" in locals():
            serve.stop()

    with open(os.path.join(work, "marks.json"), "w") as f:
        json.dump(marks, f)
    report = analyze.analyze(pcap, marks, serve.sip_port)
    report["load_average"] = [round(load_start, 2), round(os.getloadavg()[0], 2)]
    print(analyze.format_report(report))
    print("1-minute load average at start / end: %.2f / %.2f" % tuple(report["load_average"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    if args.keep:
        shutil.copytree(work, args.keep, dirs_exist_ok=True)
        print("work directory kept in", args.keep)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
