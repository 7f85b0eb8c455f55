// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fmtdump: dumps the conntrack table of the current namespace with
 * ct_table_dump and prints every entry through ct/format, one per line, so
 * that format_diff.sh can compare the text byte for byte with what the
 * reference conntrack prints for the same entries. Usage:
 *   fmtdump default|extended|ktimestamp|xml|save|json [labelmap-path]
 * ("ktimestamp" = -o extended,ktimestamp,id; with a labelmap path the
 * default, xml and save formats print labels as -o labels does).
 */
#include <stdio.h>
#include <string.h>

#include "ct/format.h"
#include "ct/labels.h"
#include "ct/table.h"
#include "nl/sock.h"

struct ctx {
	int (*fmt)(char *, size_t, const struct ct_entry *,
		   const struct ct_fmt_opts *);
	struct ct_fmt_opts o;
};

static int print_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct ctx *c = arg;
	char buf[4096];
	int n = c->fmt(buf, sizeof(buf), e, &c->o);

	if (n < 0) {
		fprintf(stderr, "fmtdump: format: %s\n", strerror(-n));
		return n;
	}
	puts(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctx c = { .fmt = ct_format_default };
	struct ct_dump d = { .list = CT_LIST_CONNTRACK,
			     .kfilter = CT_KFILTER_NO };
	struct ct_labelmap *map = NULL;
	struct nl_sock *s;
	struct nl_ack ack;
	const char *mode = argc > 1 ? argv[1] : "default";
	int ret;

	if (!strcmp(mode, "extended")) {
		c.o.flags = CT_FMT_EXTENDED;
	} else if (!strcmp(mode, "ktimestamp")) {
		c.o.flags = CT_FMT_EXTENDED | CT_FMT_KTIMESTAMP | CT_FMT_ID;
	} else if (!strcmp(mode, "xml")) {
		c.fmt = ct_format_xml;
	} else if (!strcmp(mode, "save")) {
		c.fmt = ct_format_save;
		c.o.event = CT_FMT_EV_NEW;
		c.o.flags = CT_FMT_SAVE_COMPAT;
	} else if (!strcmp(mode, "json")) {
		c.fmt = ct_format_json;
	}
	if (argc > 2 && ct_labelmap_load(&map, argv[2], 0, NULL) == 0)
		c.o.labels = map;
	ret = nl_sock_open(&s, NULL);
	if (ret < 0) {
		fprintf(stderr, "fmtdump: socket: %s\n", strerror(-ret));
		return 1;
	}
	d.cb = print_cb;
	d.arg = &c;
	if (!strcmp(mode, "xml"))
		puts(ct_format_xml_header(CT_XML_CONNTRACK));
	ret = ct_table_dump(s, &d, &ack);
	if (!strcmp(mode, "xml"))
		puts(ct_format_xml_footer(CT_XML_CONNTRACK));
	nl_sock_close(s);
	ct_labelmap_free(map);
	if (ret < 0) {
		fprintf(stderr, "fmtdump: dump: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
