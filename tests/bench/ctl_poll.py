#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Times a conntrackd cache reaching a size, polling the daemon's control
socket every millisecond (a client process per poll costs several ms and
would be the measure). Speaks upstream's protocol (one native int, the
text answer until EOF), so it measures the reference and ours alike.

  ctl_poll.py [--ask SOCK CODE | --wait READY] SOCK CACHE N [TIMEOUT_S]

CACHE: internal, external (Sync mode) or stats (Stats mode). --ask sends
action CODE (22: -B) to SOCK first, without waiting for its answer.
Prints the milliseconds from the start (the request) until the cache of
SOCK's daemon holds N flows; exits 1 on timeout (default 120 s) with the
last count on stderr. --wait: SOCK does not exist yet (a daemon about to
start): creates the file READY once it is up (Python takes a few hundred
ms to start here), polls for SOCK every millisecond, then for the count,
and prints
the wall-clock time (seconds since the epoch, as `date +%s.%N`) at which
the count was reached, for the caller to subtract its own start time."""
import os
import socket
import struct
import sys
import time

STATS = 21


def connect(path, code):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(struct.pack('=i', code))
    return s


def ask(path, code):
    with connect(path, code) as s:
        out = []
        while True:
            b = s.recv(65536)
            if not b:
                return b''.join(out).decode(errors='replace')
            out.append(b)


def active(path, cache):
    sec = None
    for line in ask(path, STATS).splitlines():
        if line.startswith('cache '):
            sec = line.split()[1].rstrip(':')
        elif sec == cache and 'current active connections:' in line:
            return int(line.split()[-1])
    return -1


def main(argv):
    asked = None
    wait = False
    if len(argv) > 3 and argv[0] == '--ask':
        asked = (argv[1], int(argv[2]))
        argv = argv[3:]
    elif len(argv) > 1 and argv[0] == '--wait':
        wait = True
        open(argv[1], 'w').close()
        argv = argv[2:]
    if len(argv) not in (3, 4) or \
            argv[1] not in ('internal', 'external', 'stats'):
        sys.exit(__doc__)
    path, cache, want = argv[0], argv[1], int(argv[2])
    limit = float(argv[3]) if len(argv) == 4 else 120.0
    t0 = time.monotonic()
    held = connect(*asked) if asked else None
    got = -1
    while time.monotonic() - t0 < limit:
        if wait and not os.path.exists(path):
            time.sleep(0.001)
            continue
        try:
            got = active(path, cache)
        except OSError:
            if not wait:
                raise
            got = -1  # the socket is there, not yet listening
        if got == want:
            if wait:
                print('%.6f' % time.time())
            else:
                print('%.0f' % ((time.monotonic() - t0) * 1000))
            return 0
        time.sleep(0.001)
    print('ctl_poll: %s cache has %d of %d after %g s'
          % (cache, got, want, limit), file=sys.stderr)
    if held:
        held.close()
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
