# SPDX-License-Identifier: GPL-2.0-or-later
"""A long-lived TCP connection for the failover tests (tests/netns/ha_rig.sh).

  ha_probe.py server PORT READYFILE
      echoes every byte back, to any number of clients; creates READYFILE
      once it listens.
  ha_probe.py client HOST PORT STOPFILE OUTFILE [INTERVAL_MS]
      connects, writes "connected" into OUTFILE, then sends a numbered
      line every INTERVAL_MS (10) and reads the echoes, until STOPFILE
      exists; then waits up to 3 s for the echoes still due and writes one
      JSON object into OUTFILE:
        connected, error (a reset, EOF: the connection died), sent, echoed,
        max_gap_ms (the longest time between two echoes), gap_end_ms (when
        it ended, epoch ms), last_echo_ms, complete (every line came back).
"""
import json
import os
import select
import socket
import sys
import threading
import time


def now_ms():
    return time.time() * 1000.0


def serve(port, ready):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(8)
    open(ready, "w").close()

    def echo(c):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
        except OSError:
            pass
        c.close()

    while True:
        c, _ = ls.accept()
        threading.Thread(target=echo, args=(c,), daemon=True).start()


def write(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(obj if isinstance(obj, str) else json.dumps(obj) + "\n")
    os.rename(tmp, path)


def client(host, port, stopfile, outfile, interval):
    res = {"connected": False, "error": None, "complete": False}
    try:
        s = socket.create_connection((host, port), timeout=5)
    except OSError as e:
        res["error"] = "connect: %s" % e
        write(outfile, res)
        return 1
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setblocking(False)
    res["connected"] = True
    write(outfile, "connected\n")
    seq, buf, last, arrivals = 0, b"", -1, []
    nxt = now_ms()
    stop_at = None
    while True:
        t = now_ms()
        if stop_at is None and os.path.exists(stopfile):
            stop_at = t
        if stop_at is None and t >= nxt:
            try:
                s.send(b"%d\n" % seq)
                seq += 1
            except BlockingIOError:
                pass
            except OSError as e:
                res["error"] = "send: %s" % e
                break
            nxt = max(nxt + interval, t)
        if stop_at is not None and (last == seq - 1 or t - stop_at > 3000):
            break
        r, _, _ = select.select([s], [], [], interval / 1000.0)
        if not r:
            continue
        try:
            d = s.recv(65536)
        except OSError as e:
            res["error"] = "recv: %s" % e
            break
        if not d:
            res["error"] = "recv: EOF"
            break
        buf += d
        ta = now_ms()
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            last = int(line)
            arrivals.append(ta)
    res["sent"] = seq
    res["echoed"] = last + 1
    res["complete"] = res["error"] is None and seq > 0 and last == seq - 1
    gaps = [(b - a, b) for a, b in zip(arrivals, arrivals[1:])]
    if gaps:
        g = max(gaps)
        res["max_gap_ms"] = round(g[0], 1)
        res["gap_end_ms"] = round(g[1], 1)
    if arrivals:
        res["last_echo_ms"] = round(arrivals[-1], 1)
    write(outfile, res)
    s.close()
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(client(sys.argv[2], int(sys.argv[3]), sys.argv[4],
                        sys.argv[5],
                        float(sys.argv[6]) if len(sys.argv) > 6 else 10.0))
