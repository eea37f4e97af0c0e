#!/usr/bin/env python3
"""Keep-alive latency of /healthz: 40 sequential requests on one connection (issue 19, fault 3).

  bench/http_keepalive.py PORT     a running `suflyor serve` with [http] listen 127.0.0.1:PORT
"""
import socket, statistics, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
times = []
for i in range(40):
    t0 = time.perf_counter()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    head, body = buf.split(b"\r\n\r\n", 1)
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    while len(body) < length:
        body += s.recv(4096)
    times.append((time.perf_counter() - t0) * 1000)
print(f"median {statistics.median(times):.2f} ms, p90 {sorted(times)[35]:.2f} ms over 40 keep-alive requests")
