#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad command lines: unknown options, illegal combinations, bad addresses,
# numbers, protocols and states. Each is refused while parsing, before any
# kernel request, with upstream's text and exit code. The deliberate
# differences at the end are 1.4.8 (HEAD) behaviour or fixes of spec
# section 5, documented in cmd/ct_args.h.
. "$(dirname "$0")/lib.sh"

compat args_001 -- -V
compat args_002 -- --foo
compat args_003 -- -L --foo=bar
compat args_004 -- -x
compat args_005 -- -L -xL
compat args_006 -- -o
compat args_007 -- -L -o
compat args_008 -- -L -s
compat args_009 -- -L --src
compat args_010 -- -L -p 256
compat args_011 -- -L -p -10
compat args_012 -- -L -p foo
compat args_013 -- -L -p 20foo
compat args_014 -- -L -p foo20
compat args_015 -- -L -p unknown
compat args_016 -- -L foo
compat args_017 -- -L e -D
compat args_018 -- -L -L
compat args_019 -- -D dying
compat args_020 -- -U expect
compat args_021 -- -A expect
compat args_022 -- -s 1.1.1.1
compat args_023 -- -p tcp
compat args_024 -- -L -s 1.2.3.4.5
compat args_025 -- -L -s 1.1.1.1 -d ::1
compat args_026 -- -L -s 1.1.1.1/33
compat args_027 -- -L -s 1.1.1.1/x
compat args_028 -- -L -r 1.1.1.1/24
compat args_029 -- -L -n 1.1.1.1/24
compat args_030 -- -L -n 1.1.1.1:
compat args_031 -- -L -n 1.1.1.1:99999
compat args_032 -- -L -n 1.1.1.1:ab
compat args_033 -- -L -n '[]:80'
compat args_034 -- -L -n '[::1'
compat args_035 -- -L -n '[::1]'
compat args_036 -- -L -j -n
compat args_037 -- -L -u FOO
compat args_038 -- -L -u ASSURED,
compat args_039 -- -L -u ,ASSURED
compat args_040 -- -L -u '!,X'
compat args_041 -- -L -e NEW
compat args_042 -- -E -e FOO
compat args_043 -- -L -o xml,foo,bar
compat args_044 -- -L -o save,xml
compat args_045 -- -I -p tcp
compat args_046 -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 -t 10
compat args_047 -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 10
compat args_048 -- -I -p tcp -s 1.1.1.1 --sport 1 --dport 2 -t 10 --state ESTABLISHED
compat args_049 -- -I -p udp -s 1.1.1.1 -d 2.2.2.2 --reply-port-src 1 -t 10
compat args_050 -- -I -p dccp -s 1.1.1.1 -d 2.2.2.2 --reply-port-src 1 -t 10 --state OPEN --role client
compat args_051 -- -I -p gre -s 1.1.1.1 -d 2.2.2.2 -t 10 --srckey 1
compat args_052 -- -I -p icmp -s 1.1.1.1 -d 2.2.2.2 -t 10
compat args_053 -- -I -p sctp -s 1.1.1.1 -d 2.2.2.2 -t 10 --sport 1 --dport 2 --state ESTABLISHED
compat args_054 -- -L -p tcp --state FOO
compat args_055 -- -L -p dccp --state FOO
compat args_056 -- -L -p dccp --role x
compat args_057 -- -I -p dccp --role x
compat args_058 -- -L --sport 1
compat args_059 -- -L -p tcp --icmp-type 1
compat args_060 -- -L -p tcp --tuple-port-src 1
compat args_061 -- -L -p tcp --mask-port-src 1
compat args_062 -- -U -w 1
compat args_063 -- -U -c 1
compat args_064 -- -I -f ipv4
compat args_065 -- -L -t 1
compat args_066 -- -D -z
compat args_067 -- -C -s 1.1.1.1
compat args_068 -- -S -p tcp
compat args_069 -- -V -p tcp
compat args_070 -- -F -s 1.1.1.1
compat args_071 -- -F -f ipv6x -p tcp
compat args_072 -- -L -f ipv7
compat args_073 -- -L --s 1.1.1.1
compat args_074 -- -L --orig 1.1.1.1
compat args_075 -- -L --zero=1
compat args_076 -- -L -p tcp --sp 1
compat args_077 -- -L -p tcp -p udp --sp 1
compat args_078 -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2
compat args_079 -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2 --reply-port-src 1
compat args_080 -- -L -l foo
compat args_081 -- -L -z -p tcp
compat args_082 -- -L --mask-src 255.0.0.0
compat args_083 -- -I -s 1.1.1.0/24 -d 2.2.2.2 -p tcp
compat args_084 -- -L -a 1
compat args_085 -- -L -o s,foo
compat args_086 -- -L -u S,foo
compat args_087 -- -D expect -s 1.1.1.1
compat args_088 -- -I expect -p tcp
compat args_089 -- -L -p tcp --sport
compat args_090 -- -L --tuple-src 1.1.1.1
compat args_091 -- -E -b
compat args_092 -- -L -g x
compat args_093 -- -L -g 1.1.1.1 -f ipv6
compat args_094 -- -L -n ::1 -s 1.1.1.1
compat args_095 -- -L -n '[::1]:80' -s 1.1.1.1
compat args_096 -- -L -n 1.1.1.1:80 -s ::1
compat args_097 -- -L '' -z -p tcp
compat args_098 -- -I -p tcp -r 1.1.1.1 -t 1
compat args_099 -- -I -p tcp -r 1.1.1.1 -q 1.1.1.2 -t 1 --sport 1
compat args_100 -- -G -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 1
# messages quoting a long argument are whole (not cut at a few hundred bytes)
long=$(printf '%01500d' 0)
compat args_101 -- -L -p "p$long"
compat args_102 -- -L -s "1.$long"

differ args_mark_garbage --why 'HEAD validates -m/-w/-c/-i (exit 1); 1.4.7 reads garbage as 0' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'foo\' with -m option\n' -- -L -m foo
differ args_zone_range --why 'HEAD validates -m/-w/-c/-i (exit 1); 1.4.7 truncates' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'65536\' with -w option\n' -- -L -w 65536
differ args_origzone_range --why 'HEAD validates --orig-zone (exit 1)' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'70000\' with -( option\n' -- -L --orig-zone 70000
differ args_secmark_garbage --why 'HEAD validates -c (exit 1)' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'abc\' with -c option\n' -- -L -c abc
differ args_gre_key --why 'spec 5: protocol numbers are validated instead of atoi()' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'foo\' with --srckey option\n' -- -L -p gre --srckey foo
differ args_port_range --why 'spec 5: ports are validated instead of atoi() (1.4.7 creates the entry with port 70000 & 0xffff)' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): unexpected value \'70000\' with --dport option\n' -- -I -p udp -s 9.9.9.1 -d 9.9.9.2 --sport 1 --dport 70000 -t 10
differ args_sctp_state --why 'upstream crashes on an unknown SCTP state' --rc 2 \
	--err $'conntrack v1.4.8 (conntrack-tools): unknown SCTP state `FOO\'\nTry `conntrack -h\' or \'conntrack --help\' for more information.\n' -- -L -p sctp --state FOO
differ args_id_noarg --why 'upstream crashes on --id without a value' --rc 2 \
	--err $'conntrack v1.4.8 (conntrack-tools): option `--id\' requires an argument\nTry `conntrack -h\' or \'conntrack --help\' for more information.\n' -- -L --id
differ args_label_add_del --why 'HEAD checks label-add with label-del while parsing (exit 1)' --rc 1 \
	--err $'conntrack v1.4.8 (conntrack-tools): cannot use --label-add and --label-del at the same time\n' -- -I --label-add a --label-del b
t_done
