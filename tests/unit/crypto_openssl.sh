#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-checks sync/crypto.h against OpenSSL's command line. `openssl enc`
# refuses AEAD ciphers, so the RFC 8439 construction is assembled here from
# OpenSSL's raw ChaCha20 (`enc -chacha20`, IV = 32-bit little-endian block
# counter || 96-bit nonce) and its Poly1305 MAC (`openssl mac POLY1305`):
# the one-time key is block 0, the ciphertext starts at block 1, the MAC
# covers AAD, padding, ciphertext, padding and the two lengths. Then, for
# random keys, nonces, AADs and plaintexts of sizes around the block edges:
#  - OpenSSL seals, our aeadtool opens (same plaintext);
#  - aeadtool seals, OpenSSL's tag and decryption agree;
#  - a byte of OpenSSL's ciphertext or tag changed: aeadtool refuses and
#    prints nothing;
#  - XChaCha20-Poly1305: OpenSSL seals under our HChaCha20 subkey with the
#    nonce 0^32 || n[16..23], aeadtool opens with the 24-byte nonce.
# Needs no root and no network. SKIPs loudly when OpenSSL is missing or
# lacks ChaCha20 or Poly1305. Usage: crypto_openssl.sh [path/to/aeadtool]
set -u

TOOL=${1:-build/unit/aeadtool}
pass=0
fail=0

if ! command -v openssl >/dev/null 2>&1; then
	echo "SKIP: crypto_openssl: no openssl command (apt-get install openssl)"
	exit 0
fi
if [ ! -x "$TOOL" ]; then
	echo "crypto_openssl: $TOOL is not built" >&2
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hex() { od -An -v -tx1 | tr -d ' \n'; }

# zeros to the next multiple of 16 after $1 bytes
pad16() { head -c $(((16 - $1 % 16) % 16)) /dev/zero; }

# $1 as 8 little-endian bytes
le64() {
	local v=$1 i
	for i in 1 2 3 4 5 6 7 8; do
		printf "\\$(printf '%03o' $((v & 255)))"
		v=$((v >> 8))
	done
}

# ossl_tag KEY NONCE AADFILE CTFILE: the RFC 8439 tag, in hex
ossl_tag() {
	local otk alen clen
	otk=$(head -c 32 /dev/zero |
		openssl enc -chacha20 -K "$1" -iv "00000000$2" | hex)
	alen=$(stat -c %s "$3")
	clen=$(stat -c %s "$4")
	{ cat "$3"; pad16 "$alen"; cat "$4"; pad16 "$clen"
	  le64 "$alen"; le64 "$clen"; } >"$work/macdata"
	openssl mac -macopt "hexkey:$otk" -in "$work/macdata" POLY1305 |
		tr 'A-F' 'a-f'
}

# ossl_seal KEY NONCE AADFILE PTFILE OUTFILE: ciphertext || tag
ossl_seal() {
	openssl enc -chacha20 -K "$1" -iv "01000000$2" -in "$4" \
		-out "$work/ct" || return 1
	cp "$work/ct" "$5"
	ossl_tag "$1" "$2" "$3" "$work/ct" | xxd_unhex >>"$5"
}

# hex on stdin to bytes (no xxd needed)
xxd_unhex() {
	local h
	h=$(tr -d ' \n')
	printf "$(printf '%s' "$h" | sed 's/../\\x&/g')"
}

ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }

rand_hex() { openssl rand -hex "$1"; }

probe=$(head -c 64 /dev/zero | openssl enc -chacha20 -K "$(printf '%064d' 0)" \
	-iv "$(printf '%032d' 0)" 2>/dev/null | hex)
if [ "${probe:0:16}" != 76b8e0ada0f13d90 ]; then
	echo "SKIP: crypto_openssl: openssl lacks ChaCha20 (enc -chacha20)"
	exit 0
fi
if ! printf x >"$work/probe" ||
   ! openssl mac -macopt "hexkey:$(printf '%064d' 1)" -in "$work/probe" \
	POLY1305 >/dev/null 2>&1; then
	echo "SKIP: crypto_openssl: openssl lacks Poly1305 (openssl mac POLY1305)"
	exit 0
fi

# RFC 8439 2.8.2 through OpenSSL first: the assembly above is right
printf 'PQRS\300\301\302\303\304\305\306\307' >"$work/aad"
printf "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it." >"$work/pt"
ossl_seal 808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f \
	070000004041424344454647 "$work/aad" "$work/pt" "$work/sealed"
if [ "$(tail -c 16 "$work/sealed" | hex)" = 1ae10b594f09e26a7e902ecbd0600691 ]
then ok "openssl assembly gives the RFC 8439 2.8.2 tag"
else ko "openssl assembly gives the RFC 8439 2.8.2 tag"; fi

for size in 0 1 15 16 17 63 64 65 127 128 129 1400 4096 10007; do
	aadlen=$(( (size * 7) % 53 ))
	key=$(rand_hex 32)
	nonce=$(rand_hex 12)
	head -c "$size" /dev/urandom >"$work/pt"
	head -c "$aadlen" /dev/urandom >"$work/aad"
	what="size $size aad $aadlen"

	ossl_seal "$key" "$nonce" "$work/aad" "$work/pt" "$work/sealed"
	if "$TOOL" open "$key" "$nonce" "$work/aad" <"$work/sealed" \
		>"$work/opened" && cmp -s "$work/opened" "$work/pt"
	then ok "$what: openssl seals, aeadtool opens"
	else ko "$what: openssl seals, aeadtool opens"; fi

	"$TOOL" seal "$key" "$nonce" "$work/aad" <"$work/pt" >"$work/ours"
	head -c "$size" "$work/ours" >"$work/ours_ct"
	openssl enc -chacha20 -K "$key" -iv "01000000$nonce" \
		-in "$work/ours_ct" -out "$work/ours_pt"
	if [ "$(tail -c 16 "$work/ours" | hex)" = \
	     "$(ossl_tag "$key" "$nonce" "$work/aad" "$work/ours_ct")" ] &&
	   cmp -s "$work/ours_pt" "$work/pt" &&
	   [ "$(stat -c %s "$work/ours")" -eq $((size + 16)) ]
	then ok "$what: aeadtool seals, openssl checks and decrypts"
	else ko "$what: aeadtool seals, openssl checks and decrypts"; fi

	# change one byte (of the ciphertext or, for size 0, of the tag)
	pos=$(( size ? size / 2 : 7 ))
	{ head -c "$pos" "$work/sealed"
	  tail -c +$((pos + 1)) "$work/sealed" | head -c 1 | tr '\000-\377' '\001-\377\000'
	  tail -c +$((pos + 2)) "$work/sealed"; } >"$work/bad"
	if ! cmp -s "$work/bad" "$work/sealed" &&
	   ! "$TOOL" open "$key" "$nonce" "$work/aad" <"$work/bad" \
		>"$work/opened" && [ ! -s "$work/opened" ]
	then ok "$what: a changed byte is refused, nothing printed"
	else ko "$what: a changed byte is refused, nothing printed"; fi

	xnonce=$(rand_hex 24)
	sub=$("$TOOL" hchacha "$key" "${xnonce:0:32}")
	ossl_seal "$sub" "00000000${xnonce:32:16}" "$work/aad" "$work/pt" \
		"$work/xsealed"
	if "$TOOL" open "$key" "$xnonce" "$work/aad" <"$work/xsealed" \
		>"$work/opened" && cmp -s "$work/opened" "$work/pt"
	then ok "$what: XChaCha20-Poly1305 from openssl's parts opens"
	else ko "$what: XChaCha20-Poly1305 from openssl's parts opens"; fi
done

echo "crypto_openssl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
