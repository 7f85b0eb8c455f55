#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates tests/data/link_dump.hex and link_events.hex: real rtnetlink
# datagrams for tests/unit/check_link.c. Needs root, ip and python3.
# Everything happens in a scratch namespace (rawct-*) deleted on exit:
# lo up; a veth pair vs0 (up) / vs1 (down), so vs0 is up without carrier;
# a veth pair vt0 / vt1 with MTU 9000, both up. link_dump.hex is the
# RTM_GETLINK dump; link_events.hex the RTNLGRP_LINK events of
# `ip link set vs1 up` then `ip link set vt0 down`, one datagram per line.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ns="rawct-fx$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" link add vs0 type veth peer name vs1
ip -n "$ns" link add vt0 mtu 9000 type veth peer name vt1 mtu 9000
ip -n "$ns" link set vs0 up
ip -n "$ns" link set vt0 up
ip -n "$ns" link set vt1 up
sleep 0.5
ip netns exec "$ns" python3 - "$ns" "$top/tests/data" <<'PY'
import os, select, socket, struct, subprocess, sys
ns, out = sys.argv[1], sys.argv[2]
kern = os.uname().release
def rt():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, 0))
    return s
d = rt()
# nlmsghdr RTM_GETLINK NLM_F_REQUEST|NLM_F_DUMP seq 1, ifinfomsg AF_UNSPEC
d.send(struct.pack("=IHHII", 32, 18, 0x301, 1, 0) + bytes(16))
dump = []
while True:
    b = d.recv(65536)
    dump.append(b.hex())
    if struct.unpack_from("=H", b, 4)[0] == 3:  # NLMSG_DONE
        break
e = rt()
e.setsockopt(270, 1, 1)  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK
subprocess.run(["ip", "link", "set", "vs1", "up"], check=True)
subprocess.run(["ip", "link", "set", "vt0", "down"], check=True)
events = []
while select.select([e], [], [], 0.5)[0]:
    events.append(e.recv(65536).hex())
with open(out + "/link_dump.hex", "w") as f:
    f.write("# rtnetlink RTM_GETLINK dump, one datagram per line (hex),\n"
            "# made by tests/data/make_link.sh on Linux %s: lo, vs0 up\n"
            "# without carrier (peer vs1 down), vs1 down, vt0 and vt1\n"
            "# MTU 9000 up.\n"
            % kern)
    f.write("\n".join(dump) + "\n")
with open(out + "/link_events.hex", "w") as f:
    f.write("# rtnetlink RTNLGRP_LINK events, one datagram per line (hex),\n"
            "# made by tests/data/make_link.sh on Linux %s after the dump:\n"
            "# ip link set vs1 up; ip link set vt0 down.\n" % kern)
    f.write("\n".join(events) + "\n")
PY
