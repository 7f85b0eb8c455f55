#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's configuration errors and warnings against the reference's.
# A refused file (--bad) is first parsed by each side in client mode, so
# a file that unexpectedly parses never starts a daemon; then the daemon
# command itself (-C FILE, nothing else) must fail in the parser with the
# same message and exit code. An accepted file is compared in client mode
# (-s with no daemon running: the parse warnings, then "can't connect"),
# and the Stats-mode ones also by starting both daemons (--daemon) and
# comparing their console, their log and the answer to -s. Where ours
# deliberately differs, the scenario says why and asserts our output.
. "$(dirname "$0")/ctd_lib.sh"

# the normalised form of one log line: LEVEL TEXT
line() {
	printf '[DATE] (pid=N) [%s] %s\n' "$1" "$2"
}

# a General section with our files in the side's directory
GEN='General {
	LogFile @D@/log
	LockFile @D@/lock
	UNIX {
		Path @D@/sock
	}
}
'
# 257 characters: one more than LogFile and LockFile take
P257=/$(printf '%0256d' 0 | tr 0 a)
P256=${P257%a}
# 108 characters: one more than UNIX Path takes
P108=/$(printf '%0107d' 0 | tr 0 b)
P107=${P108%b}

# ---- syntax ----------------------------------------------------------

ctd_compat conf_syntax_key --bad --text $'General {\n\tFoo 1\n}\n' --
ctd_compat conf_syntax_eof_value --bad --text $'General {\n\tHashSize' --
ctd_compat conf_syntax_eof_section --bad --text $'General {\n' --
ctd_compat conf_syntax_stray_brace --bad --text $'}\n' --
ctd_compat conf_syntax_lowercase --bad --text 'general {' --
ctd_compat conf_syntax_comment_eof --bad --text $'General {\n}\n# end' --
ctd_compat conf_syntax_empty_value --bad --text $'General {\n\tHashSize\n}\n' --
ctd_compat conf_syntax_string_quote --bad \
	--text $'General {\n\tLogFile "/tmp/x"\n}\n' --
ctd_compat conf_stats_reliable --bad \
	--text $'Stats {\n\tNetlinkEventsReliable on\n}\n' --
# upstream's lexer spells it [T|T]: a lowercase final t is no keyword
ctd_compat conf_mode_persistent_lower --bad \
	--text $'Sync {\n\tMode persistent {\n\t}\n}\n' --
ctd_compat conf_hashsize_float --bad --text $'General {\n\tHashSize 1e5\n}\n' --
ctd_compat conf_hashsize_signed --bad --text $'General {\n\tHashSize -5\n}\n' --
# "dead" is an IPv6 address to upstream's lexer, so no interface name
ctd_compat conf_iface_hex --bad \
	--text $'Sync {\n\tMulticast {\n\t\tInterface dead\n\t}\n}\n' --
ctd_compat conf_nice_unsigned --bad --text $'General {\n\tNice 1\n}\n' --
ctd_compat conf_state_no_for --bad --text 'General {
	Filter {
		State Accept {
			ESTABLISHED
		}
	}
}
' --
ctd_compat conf_state_udp --bad --text 'General {
	Filter {
		State Accept {
			ESTABLISHED for UDP
		}
	}
}
' --
ctd_compat conf_filter_from_nowhere --bad \
	--text $'General {\n\tFilter From Somewhere {\n\t}\n}\n' --

# ---- rules -----------------------------------------------------------

udp_link() {
	printf '\tUDP {\n\t\tIPv4_address 10.0.0.%d\n' "$1"
	printf '\t\tIPv4_Destination_Address 10.0.1.%d\n' "$1"
	printf '\t\tPort 3780\n\t\tInterface lo\n\t}\n'
}
ctd_compat conf_links_5 --bad \
	--text "$(printf 'Sync {\n'; for i in 1 2 3 4 5; do udp_link $i; done)
}
" --
ctd_compat conf_links_mixed --bad --text 'Sync {
	Multicast {
		IPv4_address 225.0.0.50
		Group 3780
		Interface lo
	}
	UDP {
		IPv4_address 10.0.0.1
		Port 3780
	}
}
' --
ctd_compat conf_links_mixed_tcp --bad --text 'Sync {
	TCP {
		IPv4_address 10.0.0.1
		Port 3780
	}
	Multicast {
		IPv4_address 225.0.0.50
		Group 3780
	}
}
' --
ctd_compat conf_stats_then_sync --bad \
	--text $'Stats {\n}\nSync {\n\tMode FTFW {\n\t}\n}\n' --
ctd_compat conf_sync_then_stats --bad \
	--text $'Sync {\n\tMode FTFW {\n\t}\n}\nStats {\n}\n' --
ctd_compat conf_pollsecs_0 --bad --text $'General {\n\tPollSecs 0\n}\n' --
ctd_compat conf_logfile_257 --bad --text "General {
	LogFile $P257
}
" --
ctd_compat conf_lockfile_257 --bad --text "General {
	LockFile $P257
}
" --
ctd_compat conf_stats_logfile_257 --bad --text "Stats {
	LogFile $P257
}
" --
ctd_compat conf_unix_path_108 --bad --text "General {
	UNIX {
		Path $P108
	}
}
" --
ctd_compat conf_sched_type --bad \
	--text $'General {\n\tScheduler {\n\t\tType BATCH\n\t}\n}\n' --
ctd_differ conf_sched_prio --bad \
	--text $'General {\n\tScheduler {\n\t\tPriority 100\n\t}\n}\n' \
	--why "no blank line after the message (upstream's text ends in \\n)" \
	--rc 1 --out "" --err "$(line ERROR "\`Priority' must be [0, 99]")
" --

# ---- helpers ---------------------------------------------------------

helper() {
	printf 'Helper {\n\tType %s {\n\t\tQueueNum 0\n%s\t}\n}\n' "$1" "$2"
}
ctd_compat conf_helper_l3 --bad --text "$(helper 'ftp inet7 tcp')" --
ctd_compat conf_helper_l4 --bad --text "$(helper 'ftp inet sctp')" --
ctd_compat conf_helper_unknown --bad --text "$(helper 'foo inet tcp')" --
ctd_compat conf_helper_policy_unknown --bad --text "$(helper 'ftp inet tcp' \
	$'\t\tPolicy bar {\n\t\t\tExpectMax 1\n\t\t\tExpectTimeout 300\n\t\t}\n')" --
ctd_compat conf_helper_policy_empty --bad --text "$(helper 'ftp inet tcp' \
	$'\t\tPolicy ftp {\n\t\t}\n')" --

# ---- warnings, then an error -----------------------------------------

ctd_compat conf_filter_warnings --bad --text 'General {
	Filter {
		Address Ignore {
			IPv4_address 10.0.0.0/8
			IPv4_address 10.0.0.0/8
			IPv4_address 10.0.0.0/33
			IPv4_address 300.0.0.1
			IPv6_address fe80::/129
			IPv6_address 2001:db8::1
		}
	}
	Foo
}
' --
ctd_differ conf_filter_repeats --bad --text 'General {
	Filter {
		Address Ignore {
			IPv4_address 1.2.3.4
			IPv4_address 1.2.3.4/32
			IPv4_address 10.0.0.1/8
			IPv4_address 10.0.0.2/8
			IPv6_address fe80::/64
			IPv6_address fe80::/64
		}
	}
	Foo
}
' --why "a repeated address, a network written twice with other host bits \
and a repeated IPv6 network warn (upstream compares unmasked addresses, \
looks IPv6 networks up among the IPv4 ones and reads a stale errno for \
addresses)" --rc 1 --out "" \
	--err "$(line warning "IP 1.2.3.4 is repeated in the ignore pool")
$(line warning "netmask 10.0.0.2 is repeated in the ignore pool")
$(line warning "netmask fe80:: is repeated in the ignore pool")
$(line ERROR "parsing config file in line (12), symbol 'Foo': syntax error")
" --
ctd_differ conf_mode_nack --bad \
	--text $'Sync {\n\tMode n|ck {\n\t}\n}\nStats {\n}\n' \
	--why "no blank line after the warning (upstream's text ends in \\n)" \
	--rc 1 --out "" \
	--err "$(line warning "Now \`nack' mode is called \`ftfw'. Please, update your conntrackd.conf file.")
$(line ERROR "cannot use both \`Stats' and \`Sync' clauses in conntrackd.conf")
" --
ctd_compat conf_mode_persistent --bad \
	--text $'Sync {\n\tMode PERSISTENT {\n\t}\n}\nStats {\n}\n' --
ctd_compat conf_iface_unknown --bad --text 'Sync {
	UDP {
		Interface rawctnosuch0
	}
}
Stats {
}
' --
ctd_compat conf_mcast_v6_on_v4 --bad --text 'Sync {
	Multicast {
		IPv4_interface 127.0.0.1
		IPv6_address ff02::1
	}
}
Stats {
}
' --
ctd_compat conf_bad_addresses --bad --text 'Sync {
	TCP {
		IPv4_address 999.2.3.4
		IPv4_Destination_Address 1.2.3
		Port 3780
	}
	Options {
		ExpectationSync {
			ftp
		}
	}
}
Stats {
}
' --

# ---- declared differences --------------------------------------------

ctd_differ conf_number_big --bad \
	--text $'General {\n\tHashSize 4294967297\n}\n' \
	--why "numbers out of range are refused (upstream's atoi wraps)" \
	--rc 1 --out "" --err "$(line ERROR "parsing config file in line (2), symbol '4294967297': \`HashSize' must be [0, 2147483647]")
" --
ctd_differ conf_iface_long --bad --text 'Sync {
	UDP {
		Interface abcdefghijklmnopq
	}
}
' --why "an interface name longer than 15 is refused (upstream cuts it)" \
	--rc 1 --out "" --err "$(line ERROR "parsing config file in line (3), symbol 'abcdefghijklmnopq': \`Interface' name is longer than 15 characters")
" --
ctd_differ conf_links_5_empty --bad \
	--text "$(printf 'Sync {\n'; for i in 1 2 3 4 5; do printf '\tUDP {\n\t}\n'; done)
}
" --why "five empty links are five (1.4.7 counts a link at its first line: \
empty ones overflow the table)" \
	--rc 1 --out "" --err "$(line ERROR "too many dedicated links in the configuration file (Maximum: 4)")
" --
ctd_differ conf_mcast_v6_iface --bad --text 'Sync {
	Multicast {
		Interface lo
		IPv6_address ff02::1
	}
}
Stats {
}
' --why "the IPv6 group is not looked up as an interface name" \
	--rc 1 --out "" --err "$(line ERROR "cannot use both \`Stats' and \`Sync' clauses in conntrackd.conf")
" --
ctd_differ conf_path_control --bad --text $'General {\n\tLogFile /tmp/a\x01b\n}\n' \
	--why "a control character in a path is refused" \
	--rc 1 --out "" --err "$(line ERROR "parsing config file in line (2), LogFile path holds a control character")
" --
conf_nul() {
	printf 'General {\n\tHashSize 8\0%s\n}\n' 192 >"$1/c.conf"
}
ctd_differ conf_nul --bad --conf conf_nul \
	--why "a NUL byte is shown as \\x00 (upstream shows nothing)" \
	--rc 1 --out "" --err "$(line ERROR "parsing config file in line (2), symbol '\\x00': syntax error")
" --
conf_nul_path() {
	printf 'General {\n\tLogFile /tmp/a\0b\n}\n' >"$1/c.conf"
}
ctd_differ conf_nul_path --bad --conf conf_nul_path \
	--why "a NUL byte in a path is refused (upstream reads up to it)" \
	--rc 1 --out "" --err "$(line ERROR "parsing config file in line (2), LogFile path holds a control character")
" --

# ---- accepted: client mode (parse warnings, then no daemon) ----------

ctd_compat conf_ok_logfile_256 --text "General {
	LogFile $P256
	LockFile $P256
}
Stats {
	LogFile $P256
}
" -- -s
ctd_compat conf_ok_unix_path_107 --text "General {
	UNIX {
		Path $P107
	}
}
" -- -s
ctd_compat conf_ok_empty --text '' -- -s
ctd_compat conf_ok_comments_only --text $'# nothing\n\n  # at all\n' -- -s
ctd_compat conf_ok_deprecated --text "General {
	Nice -5
	UNIX {
		Path /tmp/rawct-nosuch.sock
		Backlog 20
	}
	Syslog foo
}
" -- -s
ctd_compat conf_ok_syslog_conflict \
	--text $'General {\n\tSyslog local2\n}\nStats {\n\tSyslog local1\n}\n' -- -s
ctd_compat conf_ok_syslog_same \
	--text $'General {\n\tSyslog on\n}\nStats {\n\tSyslog on\n}\n' -- -s
ctd_compat conf_ok_protocol_unknown --text 'General {
	Systemd on
	NetlinkOverrunResync off
	Filter From Kernelspace {
		Protocol Ignore {
			foo
			UDP
		}
	}
}
' -- -s
ctd_compat conf_ok_mcast_warnings --text 'Sync {
	Mode FTFW {
	}
	Multicast {
		IPv4_address 225.0.0.50
		IPv4_interface 1.2.3
		IPv6_interface ::1
		Group 3780
		Interface lo
	}
}
' -- -s
ctd_compat conf_ok_commit_external --text "Sync {
	Mode NOTRACK {
		DisableExternalCache on
		CommitTimeout 5
	}
$(udp_link 1)
}
" -- -s
# (upstream warns of the missing Mode as the daemon starts: not here)
ctd_compat conf_ok_nomode --text "Sync {
$(udp_link 1)
}
" -- -s

# The upstream examples' constructs (doc/sync/*/conntrackd.conf,
# doc/stats, doc/helper), written anew with our files.
EX_FILTER='	Filter From Userspace {
		Protocol Accept {
			TCP
			SCTP
			DCCP
			UDP
			ICMP
			IPv6-ICMP
		}
		Address Ignore {
			IPv4_address 127.0.0.1
			IPv4_address 192.168.0.100
			IPv4_address 192.168.100.0/24
			IPv6_address ::1
			IPv6_address fe80::/64
		}
		State Accept {
			ESTABLISHED CLOSED TIME_WAIT CLOSE_WAIT for TCP
		}
	}'
EX_GENERAL="General {
	Systemd on
	HashSize 32768
	HashLimit 131072
	LogFile @D@/log
	Syslog on
	LockFile @D@/lock
	UNIX {
		Path @D@/sock
	}
	NetlinkBufferSize 2097152
	NetlinkBufferSizeMaxGrowth 8388608
	NetlinkOverrunResync on
	NetlinkEventsReliable off
	EventIterationLimit 100
	Scheduler {
		Type FIFO
		Priority 99
	}
$EX_FILTER
}
"
ctd_compat conf_ok_ftfw --text "Sync {
	Mode FTFW {
		ResendQueueSize 131072
		PurgeTimeout 60
		ACKWindowSize 300
		DisableExternalCache Off
		StartupResync on
	}
	Multicast {
		IPv4_address 225.0.0.50
		Group 3780
		IPv4_interface 192.168.100.100
		Interface lo
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}
	Multicast Default {
		IPv4_address 225.0.0.51
		Group 3781
		IPv4_interface 192.168.101.100
		Interface lo
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}
	Options {
		TCPWindowTracking Off
		ExpectationSync {
			ftp
			ras
			q.931
			h.245
			sip
		}
	}
}
$EX_GENERAL" -- -s
ctd_compat conf_ok_alarm --text "Sync {
	Mode ALARM {
		RefreshTime 15
		CacheTimeout 180
		CommitTimeout 180
		PurgeTimeout 60
	}
	UDP Default {
		IPv4_address 192.168.2.100
		IPv4_Destination_Address 192.168.2.101
		Port 3780
		Interface lo
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}
	Options {
		ExpectationSync on
	}
}
$EX_GENERAL" -- -s
ctd_compat conf_ok_notrack --text "Sync {
	Mode NOTRACK {
		DisableInternalCache on
		DisableExternalCache on
		StartupResync on
	}
	TCP {
		IPv6_address fe80::1
		IPv6_Destination_Address fe80::2
		Port 3780
		Interface lo
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
		ErrorQueueLength 1024
	}
	Options {
		ExpectationSync off
	}
}
$EX_GENERAL" -- -s
ctd_compat conf_ok_helper --text "Helper {
	Type ftp inet tcp {
		QueueNum 0
		QueueLen 10240
		Policy ftp {
			ExpectMax 1
			ExpectTimeout 300
		}
	}
	Type ftp inet6 tcp {
		QueueNum 1
		Policy ftp {
			ExpectMax 1
			ExpectTimeout 300
		}
	}
	Type rpc inet udp {
		QueueNum 3
		Policy rpc {
			ExpectMax 1
			ExpectTimeout 300
		}
	}
	Type tns inet tcp {
		QueueNum 4
	}
	Setup on
}
$EX_GENERAL" -- -s

# ---- accepted: both daemons start (Stats mode) -----------------------

# What the daemons print and log at start-up and on -s. No Syslog and no
# Scheduler here: the daemons really run (in their namespaces), and the
# host's syslog and scheduler are not theirs to use.
EX_STATS="General {
	HashSize 8192
	HashLimit 65536
	LogFile @D@/log
	LockFile @D@/lock
	UNIX {
		Path @D@/sock
	}
	NetlinkBufferSize 2097152
	NetlinkBufferSizeMaxGrowth 8388608
	NetlinkOverrunResync 10
	EventIterationLimit 200
$EX_FILTER
}
Stats {
	LogFile @D@/flows
}
"
ctd_compat conf_run_stats --daemon --console --log --text "$EX_STATS" -- -s
ctd_compat conf_run_stats_reliable --daemon --console --log \
	--text "${EX_STATS/EventIterationLimit 200/NetlinkEventsReliable on}" -- -s
ctd_compat conf_run_kernelspace --daemon --console --log \
	--text "${EX_STATS/From Userspace/From Kernelspace}" -- -s
ctd_compat conf_run_deprecated --daemon --console --log --text "General {
	Nice -5
	HashSize 8192
	HashLimit 65536
	LogFile @D@/log
	LockFile @D@/lock
	UNIX {
		Path @D@/sock
		Backlog 20
	}
}
Stats {
}
" -- -s
ctd_compat conf_run_general_only --daemon --console --log --text "$GEN" -- -s
t_done
