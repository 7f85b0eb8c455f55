// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/config (conntrackd.conf): the helpers the rule
 * tables of check_config_rules.c use (one row per grammar rule upstream
 * accepts, with the fields it sets and the warnings it gives; a failing
 * row per validation rule and per class of syntax error with the exact
 * message and line), and here the example configurations under
 * tests/data/conntrackd/, defaults, the file loader, input that is not
 * NUL-terminated, and many filter addresses. Interface names are checked
 * by a fake lookup that knows lo, eth0 and eth1 only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "sync/config.h"
#include "tests/unit/check_config.h"
#include "tests/unit/suites.h"

unsigned int conf_test_ifindex(const char *name)
{
	if (!strcmp(name, "lo"))
		return 1;
	if (!strcmp(name, "eth0"))
		return 2;
	return strcmp(name, "eth1") ? 0 : 3;
}

static void collect(void *arg, const char *msg)
{
	struct conf_test_warns *w = arg;
	size_t n = strlen(msg);

	ck_assert_msg(!strchr(msg, '\n'), "newline in warning '%s'", msg);
	ck_assert_uint_lt(w->len + n + 1, sizeof(w->text));
	memcpy(w->text + w->len, msg, n);
	w->len += n;
	w->text[w->len++] = '\n';
	w->text[w->len] = '\0';
}

int conf_test_parse(struct sync_conf *c, const char *text, size_t len,
		    struct sync_conf_err *err, struct conf_test_warns *w)
{
	char *copy = malloc(len ? len : 1);	/* exact size: ASan sees */
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	memset(w, 0, sizeof(*w));
	sync_conf_init(c);
	r = sync_conf_parse_ifindex(c, copy, len, err, collect, w,
				    conf_test_ifindex);
	free(copy);
	return r;
}

static const char *addr(int family, const union ct_addr *a, char *buf)
{
	static const uint8_t zero[16];

	if (!family || !memcmp(a, zero, family == AF_INET ? 4 : 16))
		return "-";
	return inet_ntop(family, a, buf, INET6_ADDRSTRLEN);
}

static void chan_summary(const struct sync_conf_chan *ch, char *out,
			 size_t len)
{
	static const char *const type[] = { "?", "mcast", "udp", "tcp" };
	char a[3][INET6_ADDRSTRLEN];

	snprintf(out, len, "%s/%u/%u/%u/%s/%s/%s/%s/%u/%u/%u/%u",
		 type[ch->type & 3], ch->is_default,
		 ch->family == AF_INET ? 4 : ch->family == AF_INET6 ? 6 : 0,
		 ch->checksum, addr(ch->family, &ch->addr, a[0]),
		 addr(ch->family, &ch->dest, a[1]),
		 addr(AF_INET, &ch->ifaddr, a[2]),
		 ch->iface[0] ? ch->iface : "-", ch->port, ch->sndbuf,
		 ch->rcvbuf, ch->errq_len);
}

static void helper_summary(const struct sync_conf_helper *h, char *out,
			   size_t len)
{
	size_t o;

	o = (size_t)snprintf(out, len, "%s/%d/%s/%u/%u", h->name,
			     h->l3 == AF_INET ? 4 : 6,
			     h->l4 == 6 ? "tcp" : "udp", h->queue_num,
			     h->queue_len);
	for (unsigned int i = 0; i < h->n_policy && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "/%s:%u:%u",
				      h->policy[i].name,
				      h->policy[i].expect_max,
				      h->policy[i].expect_timeout);
}

static void list_protos(const struct sync_conf *c, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (int p = 0; p < 256 && o < len; p++)
		if (c->filter.proto[p / 8] >> (p % 8) & 1)
			o += (size_t)snprintf(out + o, len - o, "%s%d",
					      o ? "," : "", p);
}

static void list_nets(const struct sync_conf *c, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->filter.n_nets && o < len; i++) {
		const struct sync_conf_net *n = &c->filter.nets[i];

		inet_ntop(n->family, &n->addr, a, sizeof(a));
		o += (size_t)snprintf(out + o, len - o, "%s%s/%u",
				      o ? "," : "", a, n->plen);
	}
}

static void list_expect(const struct sync_conf *c, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < c->sync.n_expect_helpers && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "",
				      c->sync.expect_helpers[i]);
}

#define NUM(n, v)	if (!strcmp(name, n)) { \
		snprintf(out, len, "%lld", (long long)(v)); return; }
#define STR(n, v)	if (!strcmp(name, n)) { \
		snprintf(out, len, "%s", v); return; }

/* The value of field @name of @c as the rows write it. */
static void field(const struct sync_conf *c, const char *name, char *out,
		  size_t len)
{
	unsigned int i;

	NUM("run", c->run) NUM("hash_size", c->hash_size)
	NUM("hash_limit", c->hash_limit) STR("logfile", c->logfile)
	NUM("syslog", c->syslog) STR("lockfile", c->lockfile)
	STR("unix", c->unix_path) NUM("nl_bufsize", c->nl_bufsize)
	NUM("nl_bufsize_max", c->nl_bufsize_max)
	NUM("overrun", c->nl_overrun_resync) NUM("reliable", c->nl_reliable)
	NUM("systemd", c->systemd) NUM("poll", c->poll_secs)
	NUM("iter", c->event_iter_limit) NUM("sched_set", c->sched.set)
	NUM("sched_type", c->sched.type) NUM("sched_prio", c->sched.prio)
	NUM("sched_normal", c->sched.normal)
	NUM("fset", c->filter.set) NUM("fkernel", c->filter.kernelspace)
	NUM("proto_ignore", c->filter.proto_ignore)
	NUM("addr_ignore", c->filter.addr_ignore)
	NUM("state_ignore", c->filter.state_ignore)
	NUM("states", c->filter.states) NUM("mode", c->sync.mode)
	NUM("mode_default", c->sync.mode_default)
	NUM("resend", c->sync.resend_queue_size)
	NUM("commit", c->sync.commit_timeout)
	NUM("purge", c->sync.purge_timeout) NUM("ack", c->sync.ack_window)
	NUM("refresh", c->sync.refresh_time)
	NUM("cache", c->sync.cache_timeout)
	NUM("dis_int", c->sync.disable_internal)
	NUM("dis_ext", c->sync.disable_external)
	NUM("startup", c->sync.startup_resync)
	NUM("tcpwin", c->sync.tcp_window_tracking)
	NUM("expect", c->sync.expect_sync) NUM("n_chan", c->sync.n_chan)
	STR("stats_log", c->stats.logfile) NUM("stats_syslog", c->stats.syslog)
	NUM("setup", c->helper.setup) NUM("n_helper", c->helper.n_type)
	if (!strcmp(name, "protos"))
		return list_protos(c, out, len);
	if (!strcmp(name, "nets"))
		return list_nets(c, out, len);
	if (!strcmp(name, "expect_names"))
		return list_expect(c, out, len);
	if (sscanf(name, "chan%u", &i) == 1 && i < c->sync.n_chan)
		return chan_summary(&c->sync.chan[i], out, len);
	if (sscanf(name, "helper%u", &i) == 1 && i < c->helper.n_type)
		return helper_summary(&c->helper.type[i], out, len);
	ck_abort_msg("no field %s", name);
}

void conf_test_fields(const struct sync_conf *c, const char *expect,
		      const char *row)
{
	char name[64], want[512], got[512];
	const char *p = expect, *eq, *end;

	for (;;) {
		p += strspn(p, " ");
		if (!*p)
			return;
		eq = strchr(p, '=');
		ck_assert_msg(eq && eq - p < (int)sizeof(name), "%s: bad expect "
			      "'%s'", row, p);
		end = eq + 1 + strcspn(eq + 1, " ");
		ck_assert_uint_lt((size_t)(end - eq), sizeof(want));
		snprintf(name, sizeof(name), "%.*s", (int)(eq - p), p);
		snprintf(want, sizeof(want), "%.*s", (int)(end - eq - 1), eq + 1);
		field(c, name, got, sizeof(got));
		ck_assert_msg(!strcmp(got, want), "%s: %s is '%s', not '%s'",
			      row, name, got, want);
		p = end;
	}
}

START_TEST(test_defaults)
{
	struct sync_conf c;

	sync_conf_init(&c);
	conf_test_fields(&c, "run=0 hash_size=65536 hash_limit=262144 "
			 "logfile= syslog=-1 lockfile=/var/lock/conntrackd.lock "
			 "unix= nl_bufsize=0 nl_bufsize_max=0 overrun=30 "
			 "reliable=0 systemd=1 poll=0 iter=100 sched_set=0 "
			 "sched_type=0 sched_normal=0 "
			 "fset=0 mode=0 resend=131072 commit=0 purge=60 "
			 "ack=300 refresh=60 cache=180 dis_int=0 dis_ext=0 "
			 "startup=0 tcpwin=0 expect=0 n_chan=0 stats_log= "
			 "stats_syslog=-1 setup=0 n_helper=0", "defaults");
	sync_conf_free(&c);
	sync_conf_free(NULL);
}
END_TEST

/* The example configurations of tests/data/conntrackd/: whole files with
 * the constructs of upstream's doc/ examples. */
static const struct {
	const char *file, *warns, *expect;
} files[] = {
	{ "ftfw.conf", "sync0 is an invalid interface\n",
	  "run=1 mode=1 resend=65536 commit=120 purge=30 ack=200 dis_ext=0 "
	  "startup=1 n_chan=2 "
	  "chan0=mcast/1/4/1/239.10.10.1/-/10.99.0.1/sync0/3790/2000000/"
	  "2000000/128 "
	  "chan1=mcast/0/4/0/239.10.10.2/-/10.98.0.1/eth1/3791/0/0/128 "
	  "tcpwin=1 expect=2 expect_names=ftp,sip,h323 hash_size=16384 "
	  "hash_limit=65536 logfile=/var/log/rawct-ftfw.log syslog=168 "
	  "lockfile=/run/lock/rawct-ftfw.lock unix=/run/rawct-ftfw.ctl "
	  "nl_bufsize=1048576 nl_bufsize_max=4194304 overrun=15 reliable=1 "
	  "iter=50 sched_set=1 sched_type=1 sched_prio=20 systemd=0 fset=7 "
	  "fkernel=0 proto_ignore=0 protos=1,6,17,58,132 addr_ignore=1 "
	  "nets=127.0.0.1/32,10.99.0.1/32,10.20.0.0/16,::1/128,fd00:99::/64 "
	  "state_ignore=0 states=424" },
	{ "notrack.conf", "",
	  "run=1 mode=3 commit=60 purge=15 dis_int=1 dis_ext=0 startup=1 "
	  "n_chan=2 chan0=udp/1/4/1/198.51.100.1/198.51.100.2/-/eth0/3800/"
	  "1048576/1048576/128 "
	  "chan1=udp/0/6/0/2001:db8:9::1/2001:db8:9::2/-/eth1/3801/0/0/128 "
	  "expect=1 logfile=/var/log/conntrackd.log syslog=24 "
	  "nl_bufsize=524288 nl_bufsize_max=2097152 overrun=0 fset=7 "
	  "fkernel=1 proto_ignore=1 protos=47,136 addr_ignore=0 "
	  "nets=192.0.2.0/24,2001:db8:1::/48,2001:db8:2::7/128 "
	  "state_ignore=1 states=518" },
	{ "alarm.conf", "",
	  "run=1 mode=2 refresh=10 cache=45 commit=30 purge=20 n_chan=1 "
	  "chan0=tcp/1/6/1/fd00:1::1/fd00:1::2/-/eth0/3850/65536/65536/64 "
	  "hash_size=4096 hash_limit=8192 nl_bufsize=262144 "
	  "nl_bufsize_max=1048576 poll=15 fset=4 states=8" },
	{ "stats.conf", "",
	  "run=2 hash_size=2048 hash_limit=32768 nl_bufsize=131072 "
	  "nl_bufsize_max=524288 fset=3 protos=6 addr_ignore=1 "
	  "nets=127.0.0.1/32 stats_log=/var/log/conntrackd-stats.log "
	  "stats_syslog=144 logfile= mode=0" },
	{ "helper.conf", "",
	  "run=4 setup=1 n_helper=4 helper0=ftp/4/tcp/10/2048/ftp:2:240 "
	  "helper1=rpc/4/udp/11/0/rpc:1:120 helper2=dhcpv6/6/udp/12/512 "
	  "helper3=ssdp/4/tcp/13/0/ssdp:0:60 "
	  "logfile=/var/log/conntrackd.log" },
};

START_TEST(test_files)
{
	const char *top = getenv("RAWCT_TOP");
	struct conf_test_warns w;
	struct sync_conf_err err;
	struct sync_conf c;
	char path[512], *text;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s%stests/data/conntrackd/%s",
		 top ? top : "", top ? "/" : "", files[_i].file);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (run from the top or set "
		      "RAWCT_TOP)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	ck_assert_msg(conf_test_parse(&c, text, (size_t)len, &err, &w) == 0,
		      "%s: %s", files[_i].file, err.msg);
	ck_assert_str_eq(w.text, files[_i].warns);
	conf_test_fields(&c, files[_i].expect, files[_i].file);
	free(text);
	sync_conf_free(&c);

	/* the loader gives the same, with the host's interface lookup */
	ck_assert_int_eq(sync_conf_load(&c, path, &err, NULL, NULL), 0);
	conf_test_fields(&c, files[_i].expect, files[_i].file);
	sync_conf_free(&c);
}
END_TEST

START_TEST(test_load_errors)
{
	struct sync_conf_err err;
	struct sync_conf c;

	ck_assert_int_eq(sync_conf_load(&c, "/nonexistent/rawct.conf", &err,
					NULL, NULL), -ENOENT);
	ck_assert_str_eq(err.msg,
			 "can't open config file `/nonexistent/rawct.conf'");
	ck_assert_uint_eq(err.line, 0);
	sync_conf_free(&c);
	ck_assert_int_eq(sync_conf_load(&c, "/", &err, NULL, NULL), -EISDIR);
	ck_assert_str_eq(err.msg, "can't open config file `/'");
	sync_conf_free(&c);
}
END_TEST

/* The length is what counts: a text cut short, or followed by bytes that
 * are not part of it, parses as the cut. */
START_TEST(test_length)
{
	static const char text[] = "General {\n\tHashSize 1234567\n}\n";
	struct conf_test_warns w;
	struct sync_conf_err err;
	struct sync_conf c;
	size_t at = strstr(text, "4567") - text;

	ck_assert_int_eq(conf_test_parse(&c, text, at + 1, &err, &w), -EINVAL);
	ck_assert_str_eq(err.msg, "parsing config file in line (2), symbol "
			 "'': syntax error");
	sync_conf_free(&c);
	ck_assert_int_eq(conf_test_parse(&c, text, sizeof(text) - 1, &err, &w),
			 0);
	conf_test_fields(&c, "hash_size=1234567", "full");
	sync_conf_free(&c);
	ck_assert_int_eq(sync_conf_parse(&c, text, 0, &err, NULL, NULL), 0);
	sync_conf_free(&c);
}
END_TEST

/* Many filter addresses: kept once each across the growth of the array
 * and of its index. */
START_TEST(test_many_nets)
{
	static char text[64 * 1024];
	struct conf_test_warns w;
	struct sync_conf_err err;
	struct sync_conf c;
	size_t o;
	unsigned int repeats = 0;

	o = (size_t)snprintf(text, sizeof(text), "General {\nFilter {\n"
			     "Address Ignore {\n");
	for (unsigned int i = 0; i < 1000; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
				      "IPv4_address 10.%u.%u.1\n", i / 256,
				      i % 256);
	for (unsigned int i = 0; i < 1000; i += 7, repeats++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
				      "IPv4_address 10.%u.%u.1\n", i / 256,
				      i % 256);
	o += (size_t)snprintf(text + o, sizeof(text) - o, "}\n}\n}\n");
	ck_assert_uint_lt(o, sizeof(text) - 1);
	ck_assert_int_eq(conf_test_parse(&c, text, o, &err, &w), 0);
	ck_assert_uint_eq(c.filter.n_nets, 1000);
	for (unsigned int i = 0; i < 1000; i++) {
		uint8_t want[4] = { 10, (uint8_t)(i / 256), (uint8_t)i, 1 };

		ck_assert_int_eq(memcmp(&c.filter.nets[i].addr.v4, want, 4), 0);
	}
	o = 0;
	for (const char *p = w.text; (p = strstr(p, "is repeated")); p++)
		o++;
	ck_assert_uint_eq(o, repeats);
	sync_conf_free(&c);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_files, 0,
			    (int)(sizeof(files) / sizeof(files[0])));
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_length);
	tcase_add_test(tc, test_many_nets);
	conf_test_rules(tc);
	suite_add_tcase(s, tc);
	return s;
}
