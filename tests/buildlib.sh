#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/buildlib.sh DIR CC FLAGS... -- SOURCES...: compiles every source
# once into DIR/lib (object names from the paths, so ct/filter.c and
# sync/filter.c do not collide), two at a time, and archives them as
# DIR/librawct.a for the programs of that build to link against: the
# fuzz harnesses, the sanitizer, clang and static builds compile the
# library once per set of flags, not once per program.
set -eu
dir=$1 cc=$2
shift 2
flags=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	flags="$flags $1"
	shift
done
[ $# -gt 0 ] || { echo "usage: $0 DIR CC FLAGS... -- SOURCES..." >&2; exit 2; }
shift
mkdir -p "$dir/lib"
rm -f "$dir"/lib/*.o "$dir/librawct.a"
for src in "$@"; do
	printf '%s\n' "$src"
done | xargs -P 2 -I{} sh -c '
	o=$1/lib/$(printf "%s" "$2" | tr / _ | sed "s/\.c\$/.o/")
	shift 2
	exec "$@" -c -o "$o" "$0"' {} "$dir" {} $cc $flags
ar rcs "$dir/librawct.a" "$dir"/lib/*.o
