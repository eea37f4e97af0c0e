"""Real baresip phones for the latency bench: config writing, start, ctrl_tcp commands.

Each party plays a WAV of tone bursts (aufile) as its microphone and sends PCMU from its own
RTP port range, so the analysis can tell the streams apart by port alone.
"""

import json
import os
import socket
import subprocess
import time

PREFIX = []  # e.g. ["chrt", "-r", "10"]: how every phone is started


def free_port(kind=socket.SOCK_STREAM, ip="127.0.0.1"):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def can_bind(ip, port, kind):
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((ip, port))
            return True
        except OSError:
            return False


def sip_port_pair(ip):
    """A port where baresip can bind SIP UDP/TCP and TLS on port + 1."""
    for _ in range(200):
        port = free_port(socket.SOCK_DGRAM, ip)
        if 1024 < port < 65535 and all(
            can_bind(ip, p, k)
            for p in (port, port + 1)
            for k in (socket.SOCK_DGRAM, socket.SOCK_STREAM)
        ):
            return port
    raise RuntimeError("no free SIP port pair")


class Phone:
    def __init__(self, name, workdir, ip, wav, account, rtp_ports, codecs="PCMU",
                 jitter_delay="5-10"):
        self.name = name
        self.dir = os.path.join(workdir, "phone-" + name)
        os.makedirs(os.path.join(self.dir, "rec"), exist_ok=True)
        self.ip = ip
        self.sip_port = sip_port_pair(ip)
        self.ctrl_port = free_port()
        self.events = []
        self.responses = {}
        self.inbox = b""
        self.token = 0
        line = "<%s>;regint=%d" % (account["aor"], account.get("regint", 0))
        if account.get("auth_pass"):
            line += ";auth_pass=" + account["auth_pass"]
        if account.get("auto_answer"):
            line += ";answermode=auto"
        if codecs:
            line += ";audio_codecs=" + codecs
        modules = ["g711", "g722", "opus", "aufile", "aubridge", "sndfile"]
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write(
                "poll_method epoll\n"
                "sip_listen %s:%d\n"
                "net_interface %s\n"
                "call_local_timeout 120\n"
                "audio_source aufile,%s\n"
                "audio_player aubridge,%s-play\n"
                "audio_alert aubridge,%s-alert\n"
                "ausrc_srate 8000\nausrc_channels 1\n"
                "auplay_srate 8000\nauplay_channels 1\n"
                "audio_level no\n"
                "rtp_ports %s\n"
                "rtcp_mux no\n"
                "jitter_buffer_delay %s\n"
                "module_path /usr/lib/baresip/modules\n"
                "%s"
                "module_tmp uuid.so\nmodule_tmp account.so\n"
                "module_app menu.so\nmodule_app ctrl_tcp.so\n"
                "ctrl_tcp_listen 127.0.0.1:%d\n"
                "snd_path %s\n"
                % (ip, self.sip_port, ip, wav, name, name, rtp_ports, jitter_delay,
                   "".join("module %s.so\n" % m for m in modules), self.ctrl_port,
                   os.path.join(self.dir, "rec"))
            )
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(line + "\n")
        open(os.path.join(self.dir, "contacts"), "w").close()
        self.log = open(os.path.join(self.dir, "baresip.log"), "wb")
        self.proc = subprocess.Popen(PREFIX + ["/usr/bin/baresip", "-f", self.dir], stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 30
        self.sock = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("baresip %s exited; see %s" % (name, self.dir))
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        if self.sock is None:
            raise RuntimeError("baresip %s: no control port" % name)
        self.sock.settimeout(0.1)

    def _pump(self):
        try:
            data = self.sock.recv(65536)
            if data:
                self.inbox += data
        except socket.timeout:
            pass
        while b":" in self.inbox:
            head, rest = self.inbox.split(b":", 1)
            n = int(head)
            if len(rest) < n + 1:
                break
            msg = json.loads(rest[:n])
            self.inbox = rest[n + 1:]
            if msg.get("event"):
                self.events.append(msg)
            elif msg.get("response"):
                self.responses[msg.get("token")] = msg

    def command(self, name, params="", timeout=10):
        self.token += 1
        token = str(self.token)
        req = {"command": name, "token": token}
        if params:
            req["params"] = params
        body = json.dumps(req).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body + b",")
        deadline = time.time() + timeout
        while time.time() < deadline:
            self._pump()
            if token in self.responses:
                return self.responses.pop(token)
        raise RuntimeError("%s: no response to %s" % (self.name, name))

    def wait_event(self, kind, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("type") == kind:
                    return self.events.pop(i)
            self._pump()
        raise RuntimeError("%s: no %s event within %ss" % (self.name, kind, timeout))

    def wait_registered(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            info = self.command("reginfo").get("data", "")
            if " OK " in info.replace("\x1b[32m", " ").replace("\x1b[;m", " ") or "OK" in info:
                return
            time.sleep(0.2)
        raise RuntimeError("%s: not registered" % self.name)

    def quit(self):
        try:
            self.command("quit", timeout=2)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
