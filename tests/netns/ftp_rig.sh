# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# A real ftp-helper expectation in a scratch namespace, for the netns
# tests (source it after lib.sh). ftp_rig_start NS loads an nft ruleset
# with a `ct helper "ftp"` object assigned to tcp dport 21 on NS's
# loopback, then runs a tiny FTP-like exchange over a real TCP connection
# on 127.0.0.1: the server greets, the client sends PASV, the server
# answers `227 Entering Passive Mode (127,0,0,1,39,16).`, which the
# kernel's ftp helper turns into an expectation for 127.0.0.1 ->
# 127.0.0.1:10000. Both ends stay connected (so the master conntrack and
# its expectation live) until ftp_rig_stop kills the process by its pid.
#
#   master:   tcp 127.0.0.1:$FTP_RIG_CPORT -> 127.0.0.1:21, helper ftp
#   expected: tcp 127.0.0.1:0 -> 127.0.0.1:10000, mask dport 65535
#
# Needs nft and python3 (skips the case loudly otherwise). Everything
# happens inside NS; nothing touches the caller's namespace or ruleset.

FTP_RIG_CPORT=40021	# the client's source port, fixed for exact tuples
FTP_RIG_DPORT=10000	# 39 * 256 + 16
FTP_RIG_PID=""		# the background job (ip netns exec, shims)
FTP_RIG_PYPID=""	# the python process itself, as it reports

# ftp_rig_start NS: sets up the ruleset and the connection in NS; returns
# once the server's 227 answer has gone through the helper.
ftp_rig_start() {
	local ns=$1 i
	command -v nft >/dev/null 2>&1 || t_skip "nft is not installed"
	command -v python3 >/dev/null 2>&1 || t_skip "python3 is not installed"
	if ! ns_exec "$ns" nft -f - 2>"$T_TMP/nft_err" <<'NFT'
table inet rawct {
	ct helper ftp-std {
		type "ftp" protocol tcp;
	}
	chain out {
		type filter hook output priority 0;
		tcp dport 21 ct helper set "ftp-std"
	}
}
NFT
	then
		t_skip "nft ct helper ftp unavailable: $(tr '\n' ' ' <"$T_TMP/nft_err")"
	fi
	ns_exec "$ns" python3 -c '
import os, socket, sys, time
port = int(sys.argv[1])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 21))
l.listen(1)
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
c.bind(("127.0.0.1", port))
c.connect(("127.0.0.1", 21))
a, _ = l.accept()
a.sendall(b"220 rawct ftp rig\r\n")
c.recv(100)
c.sendall(b"PASV\r\n")
a.recv(100)
a.sendall(b"227 Entering Passive Mode (127,0,0,1,39,16).\r\n")
c.recv(100)
print("ready", os.getpid(), flush=True)
time.sleep(600)
' "$FTP_RIG_CPORT" >"$T_TMP/ftp_rig.out" 2>&1 &
	FTP_RIG_PID=$!
	for i in $(seq 1 50); do
		if grep -q '^ready [0-9]' "$T_TMP/ftp_rig.out" 2>/dev/null; then
			FTP_RIG_PYPID=$(awk '/^ready/ {print $2}' "$T_TMP/ftp_rig.out")
			return 0
		fi
		kill -0 "$FTP_RIG_PID" 2>/dev/null || break
		sleep 0.1
	done
	t_fail "ftp rig did not come up: $(tr '\n' ' ' <"$T_TMP/ftp_rig.out")"
}

# ftp_rig_stop: kills the rig's python (by the pid it reported: a
# python3 shim may have forked it, so the job's pid is not enough) and
# the background job; safe to call twice.
ftp_rig_stop() {
	if [ -n "$FTP_RIG_PYPID" ]; then
		kill "$FTP_RIG_PYPID" 2>/dev/null || true
		FTP_RIG_PYPID=""
	fi
	if [ -n "$FTP_RIG_PID" ]; then
		kill "$FTP_RIG_PID" 2>/dev/null || true
		wait "$FTP_RIG_PID" 2>/dev/null || true	# (for set -e callers)
		FTP_RIG_PID=""
	fi
}
