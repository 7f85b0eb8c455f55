#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make test` needs on Debian (bookworm or later): compilers
# and make for both dialects, the Check unit-test library, clang with its
# sanitizer/libFuzzer runtime, AFL++, musl, valgrind, the reference
# conntrack-tools for the differential tests, and the network tools the
# namespace tests drive, openssl for the crypto cross-check. Only missing
# packages are installed, after one apt-get update; running it again is a
# quick no-op. Elsewhere (no apt-get) it prints what to install and exits
# 1.
set -euo pipefail

PKGS=(build-essential gcc make bmake check pkg-config clang llvm afl++
	musl-tools valgrind conntrack conntrackd nfct nftables iproute2 python3
	keepalived iptables arping strace openssl)

installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

known() {
	[ -n "$(apt-cache show --no-all-versions "$1" 2>/dev/null | head -n 1)" ]
}

# The clang runtime (ASan/UBSan/libFuzzer archives) matching the clang
# that is installed: libclang-rt-N-dev since LLVM 14 on Debian, inside
# libclang-common-N-dev before.
clang_runtime() {
	local major
	major=$(clang --version 2>/dev/null |
		sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$major" ] || return 0
	if installed "libclang-rt-$major-dev"; then
		echo "libclang-rt-$major-dev"
		return 0
	fi
	update_once
	if known "libclang-rt-$major-dev"; then
		echo "libclang-rt-$major-dev"
	elif known "libclang-common-$major-dev"; then
		echo "libclang-common-$major-dev"
	fi
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
	cat >&2 <<EOF
tests/deps.sh: this is not a Debian-like system (no apt-get/dpkg-query).
Install these (Debian names; adapt to your distribution) and rerun make test:
  ${PKGS[*]} libclang-rt-<clang major>-dev
i.e. a C11 compiler, GNU make and bmake, Check (libcheck + libsubunit),
pkg-config, clang + llvm with the compiler-rt sanitizer and libFuzzer
runtime, AFL++, musl-gcc, valgrind, conntrack + conntrackd (the 1.4.x
reference binaries), nftables, iproute2 (ip netns), python3, keepalived
(the failover tests) and strace.
EOF
	exit 1
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	else
		echo "tests/deps.sh: run as root (or install sudo) to install packages" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
updated=0

update_once() {
	if [ "$updated" = 0 ]; then
		"${SUDO[@]}" apt-get -qq update
		updated=1
	fi
}

# ensure PKG...: installs those of PKG not yet installed.
ensure() {
	local p missing=()
	for p in "$@"; do
		installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "tests/deps.sh: installing ${missing[*]}"
	update_once
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
}

ensure "${PKGS[@]}"
# (not in a $(...): an apt-get update there would be forgotten)
clang_runtime >"${TMPDIR:-/tmp}/rawct-deps.$$"
rt=$(cat "${TMPDIR:-/tmp}/rawct-deps.$$")
rm -f "${TMPDIR:-/tmp}/rawct-deps.$$"
if [ -n "$rt" ]; then
	ensure "$rt"
fi
echo "tests/deps.sh: all test dependencies present"
