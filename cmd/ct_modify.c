// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -D and -U: stream a dump through the filter and pipeline one
 * delete or update per matching entry on a second socket, CT_PIPE
 * requests per round trip. Lines of the affected entries are kept until
 * their batch is answered, so refused ones are not printed; memory does
 * not grow with the table. A -D whose filter names one entry (complete
 * tuple and zone) gets it directly instead of dumping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ct_run.h"
#include "ct/batch.h"
#include "ct/filter.h"
#include "ct/format.h"
#include "ct/table.h"
#include "nl/sock.h"

#define CT_PIPE		64
#define CT_LINE		1024

int ct_modify(struct ct_ctx *c, const struct ct_args *a);

struct modify {
	const struct ct_args *a;
	struct ct_ctx *c;
	struct ct_batch b;
	uint32_t base;			/* batch index of lines[0] */
	uint32_t n;			/* lines pending */
	unsigned long counter;
	int err;			/* first hard error, -errno */
	char lines[CT_PIPE][CT_LINE];
	uint8_t bad[CT_PIPE];
	unsigned char buf[CT_BATCH_BUF];
};

static void on_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct modify *m = arg;

	if (index >= m->base && index - m->base < CT_PIPE)
		m->bad[index - m->base] = 1;
	/* -U of an entry without label extension: ENOSPC is skipped */
	if (ack->error == ENOSPC && m->a->cmd == CT_CMD_UPDATE &&
	    (m->a->options & (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL)))
		return;
	if (!m->err)
		m->err = -ack->error;
}

static int flush(struct modify *m)
{
	uint32_t vanished = m->b.vanished;
	int rc = ct_batch_flush(&m->b);

	if (rc < 0 && !m->err)
		m->err = rc;
	for (uint32_t i = 0; i < m->n; i++) {
		if (m->bad[i])
			continue;
		if (m->lines[i][0])
			printf("%s\n", m->lines[i]);
		m->counter++;
	}
	m->counter -= m->b.vanished - vanished;
	m->base += m->n;
	m->n = 0;
	memset(m->bad, 0, sizeof(m->bad));
	return m->err;
}

static void line(struct modify *m, const struct ct_entry *e, char *buf)
{
	struct ct_fmt_opts o = { 0 };
	unsigned int out = m->a->output;
	int r;

	o.event = m->a->cmd == CT_CMD_DELETE ? CT_FMT_EV_DESTROY :
					       CT_FMT_EV_NEW;
	if (out & CT_OUT_EXT)
		o.flags |= CT_FMT_EXTENDED;
	if (out & CT_OUT_ID)
		o.flags |= CT_FMT_ID;
	if ((out & CT_OUT_LABELS) && m->a->cmd == CT_CMD_UPDATE)
		o.labels = m->c->labels;
	if (out & CT_OUT_SAVE) {
		r = ct_format_save(buf, CT_LINE, e, &o);
	} else {
		o.event = CT_FMT_EV_NONE;
		if (out & CT_OUT_JSON)
			r = ct_format_json(buf, CT_LINE, e, &o);
		else if (out & CT_OUT_XML)
			r = ct_format_xml(buf, CT_LINE, e, &o);
		else
			r = ct_format_default(buf, CT_LINE, e, &o);
	}
	if (r < 0 && r != -ENOSPC)
		buf[0] = '\0';
}

/* The update of @e: its orig tuple and the template's new values. 0 when
 * nothing would change (upstream skips those). */
static int updated(const struct ct_args *a, const struct ct_entry *e,
		   struct ct_entry *u)
{
	const struct ct_entry *t = &a->tmpl;
	int changed = 0;

	memset(u, 0, sizeof(*u));
	u->family = e->orig.l3 ? e->orig.l3 : e->family;
	u->orig = e->orig;
	u->set = CT_ORIG;
	if (e->set & CT_ZONE) {
		u->zone = e->zone;
		u->set |= CT_ZONE;
	}
	if (t->set & CT_TIMEOUT) {
		u->timeout = t->timeout;
		u->set |= CT_TIMEOUT;
		changed |= !(e->set & CT_TIMEOUT) || e->timeout != t->timeout;
	}
	if (a->options & CT_OPT_MARK) {
		uint32_t old = (e->set & CT_MARK) ? e->mark : 0;

		u->mark = (old & ~a->mark.mask) ^ a->mark.value;
		u->set |= CT_MARK;
		changed |= u->mark != old;
	}
	if (a->options & CT_OPT_STATUS) {
		uint32_t old = (e->set & CT_STATUS) ? e->status : 0;

		u->status = old | t->status;
		u->set |= CT_STATUS;
		changed |= u->status != old;
	}
	if (t->set & (CT_TCP | CT_SCTP | CT_DCCP | CT_TCP_FLAGS)) {
		u->set |= t->set & (CT_TCP | CT_SCTP | CT_DCCP | CT_TCP_FLAGS |
				    CT_SCTP_VTAGS);
		u->tcp = t->tcp;
		u->sctp = t->sctp;
		u->dccp = t->dccp;
		changed |= ((t->set & CT_TCP) && e->tcp.state != t->tcp.state) ||
			   ((t->set & CT_SCTP) &&
			    e->sctp.state != t->sctp.state) ||
			   ((t->set & CT_DCCP) &&
			    e->dccp.state != t->dccp.state);
	}
	if (a->options & (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL)) {
		uint8_t len = (e->set & CT_LABELS) ? e->labels_len : 0;

		memcpy(u->labels, e->labels, sizeof(u->labels));
		if (a->options & CT_OPT_ADD_LABEL) {
			if (!len)
				len = (uint8_t)((a->label_add_max / 32 + 1) * 4);
			for (int i = 0; i < len && i < CT_LABELS_BYTES; i++)
				u->labels[i] |= a->label_add[i];
			/* mask sized like the kernel's: bits 0 in both keep */
			memcpy(u->labels_mask, a->label_add, len);
			u->labels_mask_len = len;
			u->set |= CT_LABELS_MASK;
		} else if (a->label_add_max < 0) {
			len = 0;		/* --label-del: all */
		} else {
			for (int i = 0; i < len; i++)
				u->labels[i] &= (uint8_t)~a->label_add[i];
			memcpy(u->labels_mask, a->label_add, len);
			u->labels_mask_len = len;
			u->set |= CT_LABELS_MASK;
		}
		u->labels_len = len;
		u->set |= CT_LABELS;
		changed |= len != ((e->set & CT_LABELS) ? e->labels_len : 0) ||
			   memcmp(u->labels, e->labels, len);
	}
	return changed;
}

static int entry_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct modify *m = arg;
	struct ct_entry u;
	int rc;

	if (!ct_filter_match(&m->a->filter, e))
		return 0;
	if (m->a->cmd == CT_CMD_DELETE) {
		struct ct_entry k = *e;

		k.family = e->orig.l3 ? e->orig.l3 : e->family;
		rc = ct_batch_delete(&m->b, &k);
		line(m, e, m->lines[m->n]);
	} else {
		if (!updated(m->a, e, &u))
			return 0;
		rc = ct_batch_create(&m->b, &u, 0);
		/* printed as the entry will be: the dump's copy with the
		 * new values (upstream re-reads it with a GET) */
		{
			struct ct_entry p = *e;

			p.set |= u.set & (CT_MARK | CT_STATUS | CT_TIMEOUT |
					  CT_LABELS);
			p.mark = u.mark;
			p.status = u.status;
			if (u.set & CT_TIMEOUT)
				p.timeout = u.timeout;
			if (u.set & CT_LABELS) {
				memcpy(p.labels, u.labels, sizeof(p.labels));
				p.labels_len = u.labels_len;
			}
			line(m, &p, m->lines[m->n]);
		}
	}
	if (rc < 0)
		return rc;
	if (++m->n == CT_PIPE)
		return flush(m);
	return 0;
}

static int by_key(struct modify *m)
{
	struct ct_entry key = m->a->filter.tmpl;

	key.family = (uint8_t)m->a->family;
	key.set &= CT_ORIG | CT_REPLY | CT_ZONE;
	return ct_table_get(m->c->sock, &key, entry_cb, m, NULL);
}

int ct_modify(struct ct_ctx *c, const struct ct_args *a)
{
	struct ct_kfilter kf;
	struct ct_dump d = { 0 };
	struct modify *m;
	int rc;

	if ((!c->sock && nl_sock_open(&c->sock, NULL) < 0) ||
	    (!c->mod && nl_sock_open(&c->mod, NULL) < 0)) {
		ct_msg("Can't open handler");
		return CT_EXIT_OTHER;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		ct_msg("OOM");
		return CT_EXIT_OTHER;
	}
	m->a = a;
	m->c = c;
	ct_batch_init(&m->b, c->mod, m->buf, sizeof(m->buf), on_err, m);
	if (a->cmd == CT_CMD_DELETE && ct_filter_is_key(&a->filter)) {
		rc = by_key(m);
		if (rc == -ENOENT)
			rc = 0;
	} else {
		ct_filter_kernel(&a->filter, &kf, a->cmd == CT_CMD_DELETE);
		d.filter = &kf;
		d.kfilter = c->kfilter;
		d.retries = 3;
		d.cb = entry_cb;
		d.arg = m;
		rc = ct_table_dump(c->sock, &d, NULL);
		c->kfilter = d.kfilter;
	}
	if (!rc || rc == -EINTR) {
		int f = flush(m);

		if (!rc)
			rc = f;
	}
	fflush(stdout);
	if (rc == -EINTR) {
		ct_msg("Operation failed: dump interrupted, the table changed "
		       "while it was read");
		rc = CT_EXIT_OTHER;
	} else if (rc < 0) {
		ct_msg("Operation failed: %s", ct_err2str(-rc, a->cmd));
		rc = CT_EXIT_OTHER;
	} else if (!c->load_file) {
		ct_msg("%lu flow entries have been %s.", m->counter,
		       a->cmd == CT_CMD_DELETE ? "deleted" : "updated");
		rc = m->counter ? 0 : CT_EXIT_OTHER;
	}
	free(m);
	return rc;
}
