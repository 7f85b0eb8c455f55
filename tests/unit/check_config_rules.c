// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rule tables of the sync/config unit tests: every grammar rule of
 * conntrackd.conf that upstream accepts, with the fields it sets and the
 * warnings it gives; then a failing row per validation rule (upstream's
 * and ours) and per class of syntax error, with the exact message and
 * line; then the tokenizer's cuts. The upstream texts were checked
 * against conntrackd 1.4.7 (see the report of the conf branch).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "sync/config.h"
#include "sync/config_lex.h"
#include "tests/unit/check_config.h"

#define GEN(x)	"General {\n" x "}\n"
#define SYNC(x)	"Sync {\n" x "}\n"
#define LINK(x)	SYNC("Mode FTFW {\n}\nUDP {\n" x "}\n")
#define MCAST(x) SYNC("Mode FTFW {\n}\nMulticast {\n" x "}\n")
#define FILTER(x) GEN("Filter {\n" x "}\n")
#define HELPER(x) "Helper {\n" x "}\n"
#define COMMIT_WARN "`CommitTimeout' can't be combined with " \
		"`DisableExternalCache', ignoring this option. Fix your " \
		"configuration file.\n"
#define S50	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define PATH256	"/" S50 S50 S50 S50 S50 "bbbbb"
#define PATH107	"/" S50 S50 "cccccc"
#define SYNTAX(n, s) "parsing config file in line (" #n "), symbol '" s \
		     "': syntax error"

static const struct {
	const char *name, *text, *warns, *expect;
} ok[] = {
	/* General */
	{ "HashSize", GEN("HashSize 1000\n"), "", "hash_size=1000" },
	{ "HashSize 0 is the default", GEN("HashSize 100\nHashSize 0\n"), "",
	  "hash_size=65536" },
	{ "numbers are decimal", GEN("HashSize 0010\n"), "", "hash_size=10" },
	{ "HashLimit", GEN("HashLimit 5000\n"), "", "hash_limit=5000" },
	{ "HashLimit 0", GEN("HashLimit 0\n"), "", "hash_limit=262144" },
	{ "LogFile on", GEN("LogFile on\n"), "",
	  "logfile=/var/log/conntrackd.log" },
	{ "LogFile off changes nothing", GEN("LogFile /tmp/a.log\nLogFile off\n"),
	  "", "logfile=/tmp/a.log" },
	{ "LogFile of 256 bytes", GEN("LogFile " PATH256 "\n"), "",
	  "logfile=" PATH256 },
	{ "Syslog on", GEN("Syslog on\n"), "", "syslog=24" },
	{ "Syslog off", GEN("Syslog on\nSyslog off\n"), "", "syslog=-1" },
	{ "Syslog daemon", GEN("Syslog daemon\n"), "", "syslog=24" },
	{ "Syslog local7", GEN("Syslog local7\n"), "", "syslog=184" },
	{ "Syslog unknown", GEN("Syslog kern\n"),
	  "'kern' is not a known syslog facility, ignoring\n", "syslog=-1" },
	{ "Syslog conflict", GEN("Syslog local0\n") "Stats {\nSyslog local1\n}\n",
	  "conflicting Syslog facility values, defaulting to General\n",
	  "syslog=128 stats_syslog=136 run=2" },
	{ "Syslog conflict from General", "Stats {\nSyslog local1\n}\n"
	  GEN("Syslog on\nSyslog local2\n"),
	  "conflicting Syslog facility values, defaulting to General\n",
	  "syslog=144 stats_syslog=136" },
	{ "Syslog same facility", "Stats {\nSyslog daemon\n}\n"
	  GEN("Syslog daemon\n"), "", "syslog=24 stats_syslog=24" },
	{ "LockFile", GEN("LockFile /tmp/x.lock\n"), "",
	  "lockfile=/tmp/x.lock" },
	{ "UNIX Path", GEN("UNIX {\nPath /tmp/x.ctl\n}\n"), "",
	  "unix=/tmp/x.ctl" },
	{ "UNIX Path of 107 bytes", GEN("UNIX {\nPath " PATH107 "\n}\n"), "",
	  "unix=" PATH107 },
	{ "UNIX Backlog", GEN("UNIX {\nBacklog 20\n}\n"),
	  "deprecated unix backlog configuration, ignoring.\n", "unix=" },
	{ "NetlinkBufferSize", GEN("NetlinkBufferSize 2000000\n"), "",
	  "nl_bufsize=2000000" },
	{ "SocketBufferSize", GEN("SocketBufferSize 3000\n"), "",
	  "nl_bufsize=3000" },
	{ "NetlinkBufferSizeMaxGrowth", GEN("NetlinkBufferSizeMaxGrowth 9\n"),
	  "", "nl_bufsize_max=9" },
	{ "SocketBufferSizeMaxGrown", GEN("SocketBufferSizeMaxGrown 8\n"), "",
	  "nl_bufsize_max=8" },
	{ "SocketBufferSizeMaxGrowth", GEN("SocketBufferSizeMaxGrowth 7\n"),
	  "", "nl_bufsize_max=7" },
	{ "NetlinkOverrunResync on",
	  GEN("NetlinkOverrunResync 5\nNetlinkOverrunResync on\n"), "",
	  "overrun=30" },
	{ "NetlinkOverrunResync off", GEN("NetlinkOverrunResync off\n"), "",
	  "overrun=0" },
	{ "NetlinkOverrunResync N", GEN("NetlinkOverrunResync 7\n"), "",
	  "overrun=7" },
	{ "NetlinkOverrunResync 0", GEN("NetlinkOverrunResync 0\n"), "",
	  "overrun=30" },
	{ "NetlinkEventsReliable", GEN("NetlinkEventsReliable on\n"), "",
	  "reliable=1" },
	{ "PollSecs", GEN("PollSecs 5\n"), "", "poll=5" },
	{ "EventIterationLimit", GEN("EventIterationLimit 20\n"), "",
	  "iter=20" },
	{ "EventIterationLimit 0", GEN("EventIterationLimit 0\n"), "",
	  "iter=100" },
	{ "Nice", GEN("Nice -10\nNice +3\n"),
	  "deprecated nice configuration, ignoring. The nice value can be "
	  "set externally with nice(1) and renice(1).\n"
	  "deprecated nice configuration, ignoring. The nice value can be "
	  "set externally with nice(1) and renice(1).\n", "run=0" },
	{ "Scheduler RR", GEN("Scheduler {\nType RR\nPriority 99\n}\n"), "",
	  "sched_set=1 sched_type=2 sched_prio=99" },
	{ "Scheduler fifo", GEN("Scheduler {\nType fifo\n}\n"), "",
	  "sched_set=1 sched_type=1 sched_prio=0" },
	{ "Scheduler empty", GEN("Scheduler {\n}\n"), "",
	  "sched_set=1 sched_type=0 sched_normal=0" },
	{ "Scheduler OTHER (ours)", GEN("Scheduler {\nType Other\n}\n"), "",
	  "sched_set=1 sched_type=0 sched_normal=1" },
	{ "Systemd", GEN("Systemd off\n"), "", "systemd=0" },
	/* General { Filter } */
	{ "Filter empty", FILTER(""), "", "fset=0 fkernel=0" },
	{ "Filter From Kernelspace",
	  GEN("Filter From Kernelspace {\n}\n"), "", "fkernel=1" },
	{ "Filter From Userspace, the last",
	  GEN("Filter From Kernelspace {\n}\nFilter From Userspace {\n}\n"),
	  "", "fkernel=0" },
	{ "Protocol Accept", FILTER("Protocol Accept {\nTCP UDP sctp DCCP "
				    "IPv6-ICMP udplite GRE ipv6 AX.25 CPHB\n}\n"),
	  "", "fset=1 proto_ignore=0 protos=6,17,33,41,47,58,73,93,132,136" },
	{ "Protocol unknown", FILTER("Protocol Ignore {\nfoo Dccp ESP mptcp "
				     "icmp\n}\n"),
	  "getprotobyname() cannot find protocol `foo' in /etc/protocols\n"
	  "getprotobyname() cannot find protocol `Dccp' in /etc/protocols\n"
	  "getprotobyname() cannot find protocol `ESP' in /etc/protocols\n"
	  "getprotobyname() cannot find protocol `mptcp' in /etc/protocols\n",
	  "fset=1 proto_ignore=1 protos=1" },
	{ "Protocol empty", FILTER("Protocol Accept {\n}\n"), "",
	  "fset=1 protos=" },
	{ "Protocol blocks add up", FILTER("Protocol Accept {\nTCP\n}\n"
					   "Protocol Ignore {\nUDP\n}\n"), "",
	  "proto_ignore=1 protos=6,17" },
	{ "Address IPv4", FILTER("Address Accept {\nIPv4_address 192.168.1.1\n"
				 "IPv4_address 10.1.2.3/8\n"
				 "IPv4_address 1.2.3.4/32\n"
				 "IPv4_address 5.6.7.8/0\n}\n"), "",
	  "fset=2 addr_ignore=0 nets=192.168.1.1/32,10.0.0.0/8,1.2.3.4/32,"
	  "0.0.0.0/0" },
	{ "Address IPv4 as inet_aton", FILTER("Address Ignore {\n"
					      "IPv4_address 010.0.0.1\n"
					      "IPv4_address 1.2.3.0377/032\n}\n"),
	  "", "addr_ignore=1 nets=8.0.0.1/32,1.2.3.255/32" },
	{ "Address IPv6", FILTER("Address Accept {\nIPv6_address 2001:db8::1\n"
				 "IPv6_address 2001:db8:abcd::/33\n}\n"), "",
	  "nets=2001:db8::1/128,2001:db8:8000::/33" },
	{ "Address invalid", FILTER("Address Accept {\n"
				    "IPv4_address 300.1.1.1\n"
				    "IPv4_address 1.2.3.08\n"
				    "IPv4_address ::1\n"
				    "IPv6_address 1.2.3.4\n"
				    "IPv4_address 10.0.0.0/33\n"
				    "IPv4_address 1.2.3.4/0033\n"
				    "IPv6_address fe80::/129\n}\n"),
	  "300.1.1.1 is not a valid IPv4, ignoring\n"
	  "1.2.3.08 is not a valid IPv4, ignoring\n"
	  "::1 is not a valid IPv4, ignoring\n"
	  "1.2.3.4 is not a valid IPv6, ignoring\n"
	  "10.0.0.0/33 is not a valid network, ignoring\n"
	  "1.2.3.4/33 is not a valid network, ignoring\n"
	  "fe80::/129 is not a valid network, ignoring\n", "fset=2 nets=" },
	{ "Address repeated", FILTER("Address Ignore {\n"
				     "IPv4_address 1.2.3.4\n"
				     "IPv4_address 1.2.3.4/32\n"
				     "IPv4_address 10.0.0.0/8\n"
				     "IPv4_address 10.9.9.9/8\n"
				     "IPv6_address ::1\nIPv6_address ::1\n"
				     "IPv6_address fe80::/64\n"
				     "IPv6_address fe80::1/64\n}\n"),
	  "IP 1.2.3.4 is repeated in the ignore pool\n"
	  "netmask 10.9.9.9 is repeated in the ignore pool\n"
	  "IP ::1 is repeated in the ignore pool\n"
	  "netmask fe80::1 is repeated in the ignore pool\n",
	  "nets=1.2.3.4/32,10.0.0.0/8,::1/128,fe80::/64" },
	{ "State every TCP state", FILTER("State Accept {\nSYN_SENT SYN_RECV "
		"ESTABLISHED FIN_WAIT CLOSE_WAIT LAST_ACK TIME_WAIT CLOSE "
		"LISTEN for TCP\n}\n"), "",
	  "fset=4 state_ignore=0 states=1022" },
	{ "State CLOSED", FILTER("State Ignore {\nCLOSED for TCP\n}\n"), "",
	  "state_ignore=1 states=256" },
	{ "State lists", FILTER("State Accept {\nESTABLISHED for TCP\n"
				"SYN_SENT for TCP\nfor TCP\n}\n"), "",
	  "states=10" },
	{ "State empty", FILTER("State Accept {\n}\n"), "", "fset=4 states=0" },
	/* Sync */
	{ "Sync empty", SYNC(""), "", "run=1 mode=1 mode_default=1 n_chan=0" },
	{ "Mode FTFW", SYNC("Mode FTFW {\nResendQueueSize 1000\n"
			    "CommitTimeout 5\nPurgeTimeout 6\n"
			    "ACKWindowSize 7\nDisableExternalCache off\n"
			    "StartupResync on\n}\n"), "",
	  "mode=1 mode_default=0 resend=1000 commit=5 purge=6 ack=7 dis_ext=0 "
	  "startup=1" },
	{ "Mode FTFW zeros", SYNC("Mode FTFW {\nResendQueueSize 0\n"
				  "PurgeTimeout 0\nACKWindowSize 0\n}\n"), "",
	  "resend=131072 purge=60 ack=300" },
	{ "Mode ALARM", SYNC("Mode ALARM {\nRefreshTime 5\nCacheTimeout 6\n"
			     "CommitTimeout 7\nPurgeTimeout 8\n}\n"), "",
	  "mode=2 refresh=5 cache=6 commit=7 purge=8" },
	{ "Mode ALARM zeros", SYNC("Mode ALARM {\nRefreshTime 0\n"
				   "CacheTimeout 0\n}\n"), "",
	  "refresh=60 cache=180" },
	{ "Mode NOTRACK", SYNC("Mode NOTRACK {\nCommitTimeout 3\n"
			       "PurgeTimeout 4\nDisableInternalCache on\n"
			       "DisableExternalCache on\nStartupResync on\n}\n"),
	  COMMIT_WARN, "mode=3 commit=0 purge=4 dis_int=1 dis_ext=1 startup=1" },
	{ "persistent", SYNC("Mode PERSISTENT {\n}\n"),
	  "Now `persistent' mode is called `alarm'. Please, update your "
	  "conntrackd.conf file.\n", "mode=2" },
	{ "nack", SYNC("Mode nack {\n}\n"), "Now `nack' mode is called "
	  "`ftfw'. Please, update your conntrackd.conf file.\n", "mode=1" },
	{ "mode names in any case", SYNC("Mode Notrack {\n}\n"), "", "mode=3" },
	{ "timers in Sync", SYNC("Mode alarm {\n}\nRefreshTime 5\n"
				 "CacheTimeout 6\nCommitTimeout 7\n"
				 "PurgeTimeout 8\n"), "",
	  "mode=2 refresh=5 cache=6 commit=7 purge=8" },
	{ "FTFW first", SYNC("Mode NOTRACK {\nDisableInternalCache on\n}\n"
			     "Mode ALARM {\n}\nMode fTfW {\n}\n"), "",
	  "mode=1 dis_int=1" },
	{ "ALARM before NOTRACK", SYNC("Mode NOTRACK {\n}\nMode ALARM {\n}\n"),
	  "", "mode=2" },
	{ "CommitTimeout and DisableExternalCache",
	  SYNC("Mode FTFW {\nCommitTimeout 9\nDisableExternalCache on\n}\n"),
	  COMMIT_WARN, "commit=0 dis_ext=1" },
	{ "Multicast IPv4", MCAST("IPv4_address 225.0.0.50\nGroup 3780\n"
				  "IPv4_interface 192.168.100.100\n"
				  "Interface eth0\nSndSocketBuffer 1249280\n"
				  "RcvSocketBuffer 1249281\nChecksum on\n"), "",
	  "n_chan=1 chan0=mcast/1/4/1/225.0.0.50/-/192.168.100.100/eth0/3780/"
	  "1249280/1249281/128" },
	{ "Multicast IPv6", MCAST("IPv6_address ff02::1:2\n"
				  "IPv6_interface ::1\nInterface eth1\n"
				  "Group 65535\nChecksum off\n"),
	  "`IPv6_interface' not required, ignoring\n",
	  "chan0=mcast/1/6/0/ff02::1:2/-/-/eth1/65535/0/0/128" },
	{ "Multicast IPv4 in IPv6", MCAST("IPv6_address ff02::1\n"
					  "IPv4_address 225.0.0.1\n"
					  "IPv4_interface 1.2.3.4\n"),
	  "your multicast address is IPv4 but is binded to an IPv6 "
	  "interface? Surely, this is not what you want\n"
	  "your multicast interface is IPv4 but is binded to an IPv6 "
	  "interface? Surely, this is not what you want\n",
	  "chan0=mcast/1/6/1/ff02::1/-/1.2.3.4/-/0/0/0/128" },
	{ "Multicast IPv6 in IPv4", MCAST("IPv4_address 225.0.0.1\n"
					  "IPv6_address ff02::1\n"),
	  "your multicast address is IPv6 but is binded to an IPv4 "
	  "interface? Surely this is not what you want\n",
	  "chan0=mcast/1/4/1/225.0.0.1/-/-/-/0/0/0/128" },
	{ "UDP IPv4", LINK("IPv4_address 10.0.0.1\n"
			   "IPv4_Destination_Address 10.0.0.2\nPort 3780\n"
			   "Interface eth0\nSndSocketBuffer 10\n"
			   "RcvSocketBuffer 20\nChecksum off\n"), "",
	  "chan0=udp/1/4/0/10.0.0.1/10.0.0.2/-/eth0/3780/10/20/128" },
	{ "UDP IPv6", LINK("IPv6_address fd00::1\n"
			   "IPv6_Destination_Address fd00::2\nPort 65535\n"),
	  "", "chan0=udp/1/6/1/fd00::1/fd00::2/-/-/65535/0/0/128" },
	{ "UDP Default", SYNC("UDP {\n}\nUDP Default {\nPort 2\n}\n"), "",
	  "mode_default=1 n_chan=2 chan0=udp/0/0/1/-/-/-/-/0/0/0/128 "
	  "chan1=udp/1/0/1/-/-/-/-/2/0/0/128" },
	{ "TCP", SYNC("Mode ALARM {\n}\nTCP {\nIPv4_address 10.0.0.1\n"
		      "IPv4_Destination_Address 10.0.0.2\nPort 3781\n"
		      "Interface lo\nSndSocketBuffer 1\nRcvSocketBuffer 2\n"
		      "Checksum on\nErrorQueueLength 16\n}\n"), "",
	  "chan0=tcp/1/4/1/10.0.0.1/10.0.0.2/-/lo/3781/1/2/16" },
	{ "ErrorQueueLength for every link", SYNC("Mode FTFW {\n}\n"
		"TCP {\nErrorQueueLength 10\n}\nTCP {\nErrorQueueLength 20\n}\n"
		"TCP {\nErrorQueueLength 0\n}\n"), "",
	  "chan0=tcp/1/0/1/-/-/-/-/0/0/0/128 chan1=tcp/0/0/1/-/-/-/-/0/0/0/128" },
	{ "four links, the last Default", SYNC("Mode FTFW {\n}\nUDP {\n}\n"
		"UDP Default {\n}\nUDP {\n}\nUDP Default {\n}\n"), "",
	  "n_chan=4 chan1=udp/0/0/1/-/-/-/-/0/0/0/128 "
	  "chan3=udp/1/0/1/-/-/-/-/0/0/0/128" },
	{ "link addresses invalid", LINK("IPv4_address 256.0.0.1\n"
					 "IPv6_address 1.2.3.4\n"
					 "IPv4_Destination_Address ::1\n"
					 "IPv6_Destination_Address 12345::1\n"),
	  "256.0.0.1 is not a valid IPv4 address\n"
	  "1.2.3.4 is not a valid IPv6 address\n"
	  "::1 is not a valid IPv4 address\n"
	  "12345::1 is not a valid IPv6 address\n",
	  "chan0=udp/1/0/1/-/-/-/-/0/0/0/128" },
	{ "Interface unknown", LINK("Interface veth-abcdefghij\n"),
	  "veth-abcdefghij is an invalid interface\n",
	  "chan0=udp/1/0/1/-/-/-/veth-abcdefghij/0/0/0/128" },
	{ "Options", SYNC("Mode FTFW {\n}\nOptions {\nTCPWindowTracking on\n"
			  "ExpectationSync on\n}\n"), "", "tcpwin=1 expect=1" },
	{ "ExpectationSync off", SYNC("Mode FTFW {\n}\nOptions {\n"
		"ExpectationSync on\nTCPWindowTracking off\n}\n"
		"Options {\nExpectationSync off\n}\n"), "", "tcpwin=0 expect=0" },
	{ "ExpectationSync names", SYNC("Mode FTFW {\n}\nOptions {\n"
		"ExpectationSync {\nftp FTP sip\nQ.931 abcdefghijklmno\n}\n}\n"),
	  "", "expect=2 expect_names=ftp,sip,Q.931,abcdefghijklmno" },
	{ "ExpectationSync empty block", SYNC("Mode FTFW {\n}\nOptions {\n"
		"ExpectationSync {\n}\n}\n"), "", "expect=1 expect_names=" },
	{ "ExpectationSync on keeps names", SYNC("Mode FTFW {\n}\nOptions {\n"
		"ExpectationSync {\nftp\n}\nExpectationSync on\n}\n"), "",
	  "expect=2 expect_names=ftp" },
	/* Stats */
	{ "Stats empty", "Stats {\n}\n", "", "run=2 stats_log= stats_syslog=-1" },
	{ "Stats LogFile on", "Stats {\nLogFile on\nSyslog local6\n}\n", "",
	  "stats_log=/var/log/conntrackd-stats.log stats_syslog=176" },
	{ "Stats LogFile path", "Stats {\nLogFile /tmp/s.log\nLogFile off\n"
	  "Syslog on\nSyslog off\n}\n", "",
	  "stats_log=/tmp/s.log stats_syslog=-1" },
	{ "Stats Syslog unknown", "Stats {\nSyslog x\n}\n",
	  "'x' is not a known syslog facility, ignoring.\n", "stats_syslog=-1" },
	{ "Stats twice", "Stats {\n}\nStats {\n}\n", "", "run=2" },
	/* Helper */
	{ "Helper empty", HELPER(""), "", "run=4 n_helper=0 setup=0" },
	{ "Helper Type", HELPER("Setup on\nType ftp inet tcp {\nQueueNum 5\n"
				"QueueLen 10\nPolicy ftp {\nExpectMax 1\n"
				"ExpectTimeout 300\n}\n}\n"), "",
	  "setup=1 n_helper=1 helper0=ftp/4/tcp/5/10/ftp:1:300" },
	{ "Helper Setup off", HELPER("Setup yes\nSetup no\n"), "", "setup=0" },
	{ "Helper settings before a Type",
	  HELPER("QueueNum 7\nQueueLen 3\nType tftp inet udp {\n}\n"
		 "Type tns inet6 tcp {\n}\n"), "",
	  "helper0=tftp/4/udp/7/3 helper1=tns/6/tcp/0/0" },
	{ "Helper first QueueNum wins",
	  HELPER("Type sane inet tcp {\nQueueNum 1\nQueueNum 2\n}\n"), "",
	  "helper0=sane/4/tcp/1/0" },
	{ "Helper nested Type", HELPER("Type ftp inet tcp {\nQueueNum 9\n"
		"Type tftp inet udp {\nQueueNum 2\n}\n}\n"), "",
	  "n_helper=2 helper0=tftp/4/udp/9/0 helper1=ftp/4/tcp/0/0" },
	{ "Helper Policy one field", HELPER("Type mdns inet udp {\n"
		"Policy mdns {\nExpectTimeout 60\n}\n}\n"), "",
	  "helper0=mdns/4/udp/0/0/mdns:0:60" },
	{ "Helper Policy twice", HELPER("Type rpc inet tcp {\n"
		"Policy rpc {\nExpectMax 1\n}\nPolicy rpc {\nExpectMax 5\n}\n}\n"),
	  "", "helper0=rpc/4/tcp/0/0/rpc:1:0" },
	{ "Helper names", HELPER("Type amanda inet udp {\n}\n"
		"Type dhcpv6 inet6 udp {\n}\nType rpc inet udp {\n}\n"
		"Type slp inet udp {\n}\nType ssdp inet udp {\n}\n"
		"Type ssdp inet tcp {\n}\n"), "",
	  "n_helper=6 helper0=amanda/4/udp/0/0 helper5=ssdp/4/tcp/0/0" },
	{ "Helper and Sync", SYNC("Mode ALARM {\n}\n") HELPER(""), "", "run=5" },
	/* the file as a whole, and the tokens */
	{ "empty file", "", "", "run=0" },
	{ "comments only", "# a\n   # b\n\t\n", "", "run=0" },
	{ "comment after a value", GEN("HashSize 5 # five\n"), "",
	  "hash_size=5" },
	{ "CRLF", "General {\r\n\tHashSize 7\r\n}\r\n", "", "hash_size=7" },
	{ "booleans in any case", GEN("Systemd OFF\nNetlinkEventsReliable Yes\n"),
	  "", "systemd=0 reliable=1" },
	{ "booleans with '|'", GEN("Systemd o|f\nNetlinkEventsReliable |||\n"),
	  "", "systemd=0 reliable=1" },
	{ "sections twice", GEN("HashSize 5\n") GEN("HashSize 6\n"), "",
	  "hash_size=6" },
	{ "one line", "General{HashSize 5 UNIX{Path /x }}Sync{Mode FTFW{}"
	  "UDP{Port 1}}", "",
	  "hash_size=5 unix=/x chan0=udp/1/0/1/-/-/-/-/1/0/0/128" },
};

START_TEST(test_ok)
{
	struct conf_test_warns w;
	struct sync_conf_err err;
	struct sync_conf c;
	int r;

	r = conf_test_parse(&c, ok[_i].text, strlen(ok[_i].text), &err, &w);
	ck_assert_msg(r == 0, "%s: %d %s", ok[_i].name, r, err.msg);
	ck_assert_msg(!strcmp(w.text, ok[_i].warns), "%s: warned '%s'",
		      ok[_i].name, w.text);
	conf_test_fields(&c, ok[_i].expect, ok[_i].name);
	sync_conf_free(&c);
}
END_TEST

#define LINK5(x) SYNC("Mode FTFW {\n}\nUDP {\n}\nUDP {\n}\nUDP {\n}\n" \
		      "UDP {\n}\nUDP {\n" x "}\n")
#define T4	"Type ftp inet tcp {\n}\nType ftp inet tcp {\n}\n" \
		"Type ftp inet tcp {\n}\nType ftp inet tcp {\n}\n"
#define Q4	"QueueNum 1\nQueueNum 1\nQueueNum 1\nQueueNum 1\n"
#define N4(x)	x "1 " x "2 " x "3 " x "4 "
#define NEST	"Type ftp inet tcp {\n"

static const struct {
	const char *name, *text;
	size_t len;		/* 0: strlen */
	unsigned int line;
	const char *msg, *warns;
} bad[] = {
	/* syntax errors */
	{ "unknown key", GEN("Foo 1\n"), 0, 2, SYNTAX(2, "Foo"), "" },
	{ "keyword case", "general {\n}\n", 0, 1, SYNTAX(1, "general"), "" },
	{ "keyword suffix", GEN("HashSizeX 5\n"), 0, 2,
	  SYNTAX(2, "HashSizeX"), "" },
	{ "value missing at the end", "General {\n\tHashSize", 0, 2,
	  SYNTAX(2, ""), "" },
	{ "value missing before }", GEN("HashSize\n"), 0, 3,
	  SYNTAX(3, "}"), "" },
	{ "} missing at the end", "General {\n", 0, 2, SYNTAX(2, ""), "" },
	{ "} at the top", "}\n", 0, 1, SYNTAX(1, "}"), "" },
	{ "unknown section", "Foo {\n}\n", 0, 1, SYNTAX(1, "Foo"), "" },
	{ "section without {", "General\nHashSize 1\n", 0, 2,
	  SYNTAX(2, "HashSize"), "" },
	{ "string for a number", GEN("HashSize big\n"), 0, 2,
	  SYNTAX(2, "big"), "" },
	{ "signed number", GEN("HashSize -5\n"), 0, 2, SYNTAX(2, "-5"), "" },
	{ "unsigned Nice", GEN("Nice 1\n"), 0, 2, SYNTAX(2, "1"), "" },
	{ "hex digits are an address", GEN("HashSize 1e5\n"), 0, 2,
	  SYNTAX(2, "1e5"), "" },
	{ "interface of hex digits", LINK("Interface dead\n"), 0, 5,
	  SYNTAX(5, "dead"), "" },
	{ "interface named on", LINK("Interface on\n"), 0, 5,
	  SYNTAX(5, "on"), "" },
	{ "NUL byte", "General {\n\0\n}\n", 14, 2, SYNTAX(2, "\\x00"), "" },
	{ "NUL byte at the top", "General {\n}\n\0junk", 17, 3,
	  SYNTAX(3, "\\x00"), "" },
	{ "byte above ASCII", GEN("\xc3\xa9\n"), 0, 2, SYNTAX(2, "\\xc3"),
	  "" },
	{ "form feed", GEN("\f\n"), 0, 2, SYNTAX(2, "\\x0c"), "" },
	{ "quote", GEN("LockFile /x\"y\n"), 0, 2, SYNTAX(2, "\""), "" },
	{ "# without a newline", "General {\n}\n# end", 0, 3,
	  SYNTAX(3, "#"), "" },
	{ "path up to a blank", "General {\nLockFile /run/x}\n", 0, 3,
	  SYNTAX(3, ""), "" },
	{ "persistent in lower case", SYNC("Mode persistent {\n}\n"), 0, 2,
	  SYNTAX(2, "persistent"), "" },
	{ "unknown Mode", SYNC("Mode FOO {\n}\n"), 0, 2, SYNTAX(2, "FOO"),
	  "" },
	{ "NetlinkEventsReliable in Stats",
	  "Stats {\nNetlinkEventsReliable on\n}\n", 0, 2,
	  SYNTAX(2, "NetlinkEventsReliable"), "" },
	{ "HashSize in Stats", "Stats {\nHashSize 5\n}\n", 0, 2,
	  SYNTAX(2, "HashSize"), "" },
	{ "FTFW key in ALARM", SYNC("Mode ALARM {\nResendQueueSize 5\n}\n"),
	  0, 3, SYNTAX(3, "ResendQueueSize"), "" },
	{ "NOTRACK key in FTFW", SYNC("Mode FTFW {\nDisableInternalCache on\n"
				      "}\n"), 0, 3,
	  SYNTAX(3, "DisableInternalCache"), "" },
	{ "ALARM key in NOTRACK", SYNC("Mode NOTRACK {\nRefreshTime 1\n}\n"),
	  0, 3, SYNTAX(3, "RefreshTime"), "" },
	{ "mode key in Sync", SYNC("ACKWindowSize 5\n"), 0, 2,
	  SYNTAX(2, "ACKWindowSize"), "" },
	{ "State without for TCP", FILTER("State Accept {\nESTABLISHED\n}\n"),
	  0, 5, SYNTAX(5, "}"), "" },
	{ "State for UDP", FILTER("State Accept {\nESTABLISHED for UDP\n}\n"),
	  0, 4, SYNTAX(4, "UDP"), "" },
	{ "Filter From nothing", GEN("Filter From {\n}\n"), 0, 2,
	  SYNTAX(2, "{"), "" },
	{ "Protocol without logic", FILTER("Protocol {\n}\n"), 0, 3,
	  SYNTAX(3, "{"), "" },
	{ "Address without key", FILTER("Address Accept {\n1.2.3.4\n}\n"), 0,
	  4, SYNTAX(4, "1.2.3.4"), "" },
	{ "Address not an address",
	  FILTER("Address Accept {\nIPv4_address foo\n}\n"), 0, 4,
	  SYNTAX(4, "foo"), "" },
	{ "address of five parts", LINK("IPv4_address 1.2.3.4.5\n"), 0, 5,
	  SYNTAX(5, "."), "" },
	{ "Default twice", SYNC("UDP Default Default {\n}\n"), 0, 2,
	  SYNTAX(2, "Default"), "" },
	{ "IPv6_interface in UDP", LINK("IPv6_interface ::1\n"), 0, 5,
	  SYNTAX(5, "IPv6_interface"), "" },
	{ "Group in UDP", LINK("Group 1\n"), 0, 5, SYNTAX(5, "Group"), "" },
	{ "Port in Multicast", MCAST("Port 1\n"), 0, 5, SYNTAX(5, "Port"), "" },
	{ "ErrorQueueLength in UDP", LINK("ErrorQueueLength 1\n"), 0, 5,
	  SYNTAX(5, "ErrorQueueLength"), "" },
	{ "Checksum number", LINK("Checksum 1\n"), 0, 5, SYNTAX(5, "1"), "" },
	{ "ExpectationSync keyword", SYNC("Options {\nExpectationSync {\n"
					  "TCP\n}\n}\n"), 0, 4,
	  SYNTAX(4, "TCP"), "" },
	{ "Options unknown", SYNC("Options {\nFoo on\n}\n"), 0, 3,
	  SYNTAX(3, "Foo"), "" },
	{ "Helper TCP is a keyword", HELPER("Type ftp inet TCP {\n}\n"), 0, 2,
	  SYNTAX(2, "TCP"), "" },
	{ "Setup in Type", HELPER("Type ftp inet tcp {\nSetup on\n}\n"), 0, 3,
	  SYNTAX(3, "Setup"), "" },
	{ "ExpectMax outside Policy", HELPER("Type ftp inet tcp {\n"
					     "ExpectMax 1\n}\n"), 0, 3,
	  SYNTAX(3, "ExpectMax"), "" },
	{ "Policy value", HELPER("Type ftp inet tcp {\nPolicy ftp {\n"
				 "ExpectMax on\n}\n}\n"), 0, 4,
	  SYNTAX(4, "on"), "" },
	{ "Scheduler Type number", GEN("Scheduler {\nType 1\n}\n"), 0, 3,
	  SYNTAX(3, "1"), "" },
	{ "Syslog path", GEN("Syslog /dev/log\n"), 0, 2,
	  SYNTAX(2, "/dev/log"), "" },
	{ "LogFile string", GEN("LogFile foo\n"), 0, 2, SYNTAX(2, "foo"), "" },
	{ "LockFile on", GEN("LockFile on\n"), 0, 2, SYNTAX(2, "on"), "" },
	{ "Path string", GEN("UNIX {\nPath foo\n}\n"), 0, 3,
	  SYNTAX(3, "foo"), "" },
	{ "warning then syntax error", GEN("Syslog foo\nFoo\n"), 0, 3,
	  SYNTAX(3, "Foo"), "'foo' is not a known syslog facility, "
	  "ignoring\n" },
	/* upstream's rules */
	{ "fifth link", LINK5(""), 0, 13, "too many dedicated links in the "
	  "configuration file (Maximum: 4)", "" },
	{ "fifth link's first key", LINK5("Port 5\n"), 0, 13,
	  "too many dedicated links in the configuration file (Maximum: 4)",
	  "" },
	{ "fifth link, IPv6_interface first",
	  SYNC("Multicast {\n}\nMulticast {\n}\nMulticast {\n}\n"
	       "Multicast {\n}\nMulticast {\nIPv6_interface ::1\n}\n"), 0, 12,
	  "too many dedicated links in the configuration file (Maximum: 4)",
	  "`IPv6_interface' not required, ignoring\n" },
	{ "Multicast then UDP", SYNC("Multicast {\n}\nUDP {\nPort 1\n}\n"), 0,
	  6, "cannot use `UDP' with other dedicated link protocols!", "" },
	{ "UDP then TCP", SYNC("UDP {\n}\nTCP {\n}\n"), 0, 5,
	  "cannot use `TCP' with other dedicated link protocols!", "" },
	{ "TCP then Multicast", SYNC("TCP {\n}\nMulticast {\n}\n"), 0, 5,
	  "cannot use `Multicast' with other dedicated link protocols!", "" },
	{ "Sync then Stats", SYNC("") "Stats {\n}\n", 0, 4,
	  "cannot use both `Stats' and `Sync' clauses in conntrackd.conf", "" },
	{ "Stats then Sync", "Stats {\n}\n" SYNC(""), 0, 4,
	  "cannot use both `Stats' and `Sync' clauses in conntrackd.conf", "" },
	{ "PollSecs 0", GEN("PollSecs 0\n"), 0, 2,
	  "`PollSecs' clause must be > 0", "" },
	{ "LogFile too long", GEN("LogFile " PATH256 "x\n"), 0, 2,
	  "LogFile path is longer than 256 characters", "" },
	{ "Stats LogFile too long", "Stats {\nLogFile " PATH256 "x\n}\n", 0, 2,
	  "stats LogFile path is longer than 256 characters", "" },
	{ "LockFile too long", GEN("LockFile " PATH256 "x\n"), 0, 2,
	  "LockFile path is longer than 256 characters", "" },
	{ "UNIX Path too long", GEN("UNIX {\nPath " PATH107 "x\n}\n"), 0, 3,
	  "Path is longer than 107 characters", "" },
	{ "unknown scheduler", GEN("Scheduler {\nType BATCH\n}\n"), 0, 3,
	  "unknown scheduler `BATCH'", "" },
	{ "Priority 100", GEN("Scheduler {\nPriority 100\n}\n"), 0, 3,
	  "`Priority' must be [0, 99]", "" },
	{ "Priority wraps upstream", GEN("Scheduler {\nPriority 4294967297\n"
					 "}\n"), 0, 3,
	  "`Priority' must be [0, 99]", "" },
	{ "unknown layer 3", HELPER("Type ftp inet7 tcp {\n}\n"), 0, 3,
	  "unknown layer 3 protocol", "" },
	{ "unknown layer 4", HELPER("Type foo inet sctp {\n}\n"), 0, 3,
	  "unknown layer 4 protocol", "" },
	{ "unknown helper", HELPER("Type foo inet tcp {\n}\n"), 0, 3,
	  "Unknown `foo' helper", "" },
	{ "helper on another protocol", HELPER("Type ftp inet udp {\n}\n"), 0,
	  3, "Unknown `ftp' helper", "" },
	{ "helper name case", HELPER("Type FTP inet tcp {\n}\n"), 0, 3,
	  "Unknown `FTP' helper", "" },
	{ "unknown policy", HELPER("Type ftp inet tcp {\nPolicy bar {\n"
				   "ExpectMax 1\n}\n}\n"), 0, 6,
	  "Unknown policy `bar' in helper configuration", "" },
	{ "policy read before the Type", HELPER("Policy tftp {\nExpectMax 1\n"
		"}\nType ftp inet tcp {\n}\n"), 0, 6,
	  "Unknown policy `tftp' in helper configuration", "" },
	{ "empty policy", HELPER("Type ftp inet tcp {\nPolicy ftp {\n}\n}\n"),
	  0, 4, "Helper policy configuration empty, fix your configuration "
	  "file, please", "" },
	{ "policy name of 17", HELPER("Type ftp inet tcp {\n"
		"Policy abcdefghijklmnopq {\nExpectMax 1\n}\n}\n"), 0, 5,
	  "Helper Policy is longer than 16 characters", "" },
	{ "policy name of 16", HELPER("Type ftp inet tcp {\n"
		"Policy abcdefghijklmnop {\nExpectMax 1\n}\n}\n"), 0, 6,
	  "Unknown policy `abcdefghijklmnop' in helper configuration", "" },
	/* ours: what upstream takes but cannot hold */
	{ "number over INT_MAX", GEN("HashSize 2147483648\n"), 0, 2,
	  "parsing config file in line (2), symbol '2147483648': `HashSize' "
	  "must be [0, 2147483647]", "" },
	{ "number of 30 digits", GEN("HashLimit 123456789012345678901234567890"
				     "\n"), 0, 2,
	  "parsing config file in line (2), symbol "
	  "'123456789012345678901234567890': `HashLimit' must be [0, "
	  "2147483647]", "" },
	{ "alias named as written", GEN("SocketBufferSize 99999999999\n"), 0,
	  2, "parsing config file in line (2), symbol '99999999999': "
	  "`SocketBufferSize' must be [0, 2147483647]", "" },
	{ "Port over 65535", LINK("Port 65536\n"), 0, 5,
	  "parsing config file in line (5), symbol '65536': `Port' must be "
	  "[0, 65535]", "" },
	{ "Group over 65535", MCAST("Group 70000\n"), 0, 5,
	  "parsing config file in line (5), symbol '70000': `Group' must be "
	  "[0, 65535]", "" },
	{ "QueueNum over 65535", HELPER("QueueNum 65536\n"), 0, 2,
	  "parsing config file in line (2), symbol '65536': `QueueNum' must "
	  "be [0, 65535]", "" },
	{ "PollSecs over INT_MAX", GEN("PollSecs 4294967296\n"), 0, 2,
	  "parsing config file in line (2), symbol '4294967296': `PollSecs' "
	  "must be [0, 2147483647]", "" },
	{ "Interface of 16", LINK("Interface abcdefghijklmnop\n"), 0, 5,
	  "parsing config file in line (5), symbol 'abcdefghijklmnop': "
	  "`Interface' name is longer than 15 characters", "" },
	{ "ExpectationSync name of 16", SYNC("Options {\nExpectationSync {\n"
		"abcdefghijklmnop\n}\n}\n"), 0, 4,
	  "parsing config file in line (4), symbol 'abcdefghijklmnop': "
	  "`ExpectationSync' name is longer than 15 characters", "" },
	{ "17 ExpectationSync names", SYNC("Options {\nExpectationSync {\n"
		N4("g") N4("h") N4("j") N4("k") "z\n}\n}\n"), 0, 4,
	  "too many helpers in "
	  "`ExpectationSync' (Maximum: 16)", "" },
	{ "33 helpers", HELPER(T4 T4 T4 T4 T4 T4 T4 T4 "Type ftp inet tcp {\n"
			       "}\n"), 0, 67,
	  "too many helpers in the configuration file (Maximum: 32)", "" },
	{ "33 helper settings", HELPER(Q4 Q4 Q4 Q4 Q4 Q4 Q4 Q4 "QueueNum 1\n"),
	  0, 34, "too many QueueNum, QueueLen and Policy settings for one "
	  "helper (Maximum: 32)", "" },
	{ "Type nested 9 deep", HELPER(NEST NEST NEST NEST NEST NEST NEST NEST
				       NEST), 0, 10,
	  "parsing config file in line (10), `Type' nested more than 8 deep",
	  "" },
	{ "tab in a path", GEN("LockFile /run/a\tb\n"), 0, 2,
	  "parsing config file in line (2), LockFile path holds a control "
	  "character", "" },
	{ "CR in a path", GEN("LogFile /var/log/x.log\r\n"), 0, 2,
	  "parsing config file in line (2), LogFile path holds a control "
	  "character", "" },
	{ "CR in a UNIX path", GEN("UNIX {\nPath /run/x.ctl\r\n}\n"), 0, 3,
	  "parsing config file in line (3), Path holds a control character",
	  "" },
};

START_TEST(test_bad)
{
	size_t len = bad[_i].len ? bad[_i].len : strlen(bad[_i].text);
	struct conf_test_warns w;
	struct sync_conf_err err;
	struct sync_conf c;
	int r;

	r = conf_test_parse(&c, bad[_i].text, len, &err, &w);
	ck_assert_msg(r == -EINVAL, "%s: %d", bad[_i].name, r);
	ck_assert_msg(!strcmp(err.msg, bad[_i].msg), "%s: '%s'", bad[_i].name,
		      err.msg);
	ck_assert_msg(err.line == bad[_i].line, "%s: line %u", bad[_i].name,
		      err.line);
	ck_assert_msg(!strcmp(w.text, bad[_i].warns), "%s: warned '%s'",
		      bad[_i].name, w.text);
	sync_conf_free(&c);
}
END_TEST

/* Token cuts, written type:text (K keyword, S string, N number, G signed,
 * I address, P path, C byte, + on, - off, A alarm, F ftfw, T notrack). */
static const struct {
	const char *text, *tokens, *warns;
} cuts[] = {
	{ "HashSize HashSizeX CLOSE CLOSED CLOSE_WAIT for FOR",
	  "K:HashSize S:HashSizeX K:CLOSE K:CLOSED K:CLOSE_WAIT K:for S:FOR",
	  "" },
	{ "1234 12345 1e5 dead deadbeef 9abc", "N:1234 N:12345 I:1e5 I:dead "
	  "S:deadbeef I:9abc", "" },
	{ "1.2.3.4/24 1.2.3.4.5 999.1.1.1", "I:1.2.3.4/24 I:1.2.3.4 C:. N:5 "
	  "I:999.1.1.1", "" },
	{ "::1/64 1::2 1:2:3:4:5:6:7::8:9 12345678::1 abcd:ef01",
	  "I:::1/64 I:1::2 I:1:2:3:4:5:6:7::8:9 I:12345678::1 I:abcd:ef01", "" },
	{ "1:2:3:4:5:6:7:8:9 Accept:1", "I:1:2:3:4:5:6:7:8 C:: N:9 K:Accept "
	  "C:: N:1", "" },
	{ "on ON yes No OFF o| || ||| o|f", "+:on +:ON +:yes -:No -:OFF +:o| "
	  "+:|| +:||| -:o|f", "" },
	{ "alarm ftfw notrack NoTrack PERSISTENT persistent n|ck",
	  "A:alarm F:ftfw T:notrack T:NoTrack A:PERSISTENT S:persistent "
	  "F:n|ck", "Now `persistent' mode is called `alarm'. Please, update "
	  "your conntrackd.conf file.\nNow `nack' mode is called `ftfw'. "
	  "Please, update your conntrackd.conf file.\n" },
	{ "-5 +5 - 5 a.b-c_d", "G:-5 G:+5 C:- N:5 S:a.b-c_d", "" },
	{ "/a/b\tc \"x /", "P:/a/b\tc C:\" S:x P:/", "" },
	{ "# c\n{ } #", "C:{ C:} C:#", "" },
};

static void cut_note(void *arg, const char *msg)
{
	struct conf_test_warns *w = arg;

	w->len += (size_t)snprintf(w->text + w->len, sizeof(w->text) - w->len,
				   "%s\n", msg);
}

START_TEST(test_cuts)
{
	static const char types[] = "EC" "NGIPS+-AFT";
	struct conf_test_warns w = { .len = 0 };
	char got[512];
	size_t o = 0;
	struct conf_lex lx;
	struct conf_token t;

	sync_conf_lex_init(&lx, cuts[_i].text, strlen(cuts[_i].text),
			   cut_note, &w);
	for (sync_conf_lex_next(&lx, &t); t.type != TOK_EOF;
	     sync_conf_lex_next(&lx, &t))
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%c:%.*s",
				      o ? " " : "", t.type >= K_UNIX ? 'K' :
				      types[t.type], (int)t.len, t.p);
	got[o] = '\0';
	ck_assert_str_eq(got, cuts[_i].tokens);
	ck_assert_str_eq(w.text, cuts[_i].warns);
	/* the end stays the end */
	sync_conf_lex_next(&lx, &t);
	ck_assert_int_eq(t.type, TOK_EOF);
}
END_TEST

/* Lines count '\n' only; a number too long for 64 bits saturates. */
START_TEST(test_lines)
{
	static const char text[] = "a\r\nb\rc\n\n  # x\nd 99999999999999999999999";
	static const unsigned int lines[] = { 1, 2, 2, 5, 5 };
	struct conf_lex lx;
	struct conf_token t;

	sync_conf_lex_init(&lx, text, strlen(text), NULL, NULL);
	for (unsigned int i = 0; i < 5; i++) {
		sync_conf_lex_next(&lx, &t);
		ck_assert_uint_eq(t.line, lines[i]);
	}
	ck_assert_int_eq(t.type, TOK_NUMBER);
	ck_assert(t.num == UINT64_MAX);
	sync_conf_lex_next(&lx, &t);
	ck_assert_int_eq(t.type, TOK_EOF);
	ck_assert_uint_eq(t.line, 5);
	ck_assert_str_eq(t.p, "");
}
END_TEST

void conf_test_rules(TCase *tc)
{
	tcase_add_loop_test(tc, test_ok, 0, (int)(sizeof(ok) / sizeof(ok[0])));
	tcase_add_loop_test(tc, test_bad, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_loop_test(tc, test_cuts, 0,
			    (int)(sizeof(cuts) / sizeof(cuts[0])));
	tcase_add_test(tc, test_lines);
}
