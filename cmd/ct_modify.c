// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -D and -U: stream a dump (kernel-filtered where the kernel
 * can) through the userspace filter and pipeline the per-entry requests
 * on a second socket, CT_PIPE entries per round trip; memory does not
 * grow with the table.
 *
 * -D queues one delete per entry and keeps the entry's line until its
 * batch is answered: deleted entries are printed, refused or vanished
 * (ENOENT) ones are not. -U queues the update and, right behind it, a GET
 * of the same entry (the kernel runs them in order), and prints the GET's
 * answer as upstream does: the entry as the kernel now has it (status
 * bits it refused, labels it ignored, the new timeout), not our guess.
 * Entries the update would not change are skipped (upstream's nfct_cmp);
 * what the update of an entry is, is cmd/ct_modify_update.c's to say.
 *
 * A -D whose filter names one entry (complete tuple and zone) skips the
 * dump: GET and DELETE go out in one batch when the key is the whole
 * filter and the kernel surely compares all of it (a protocol it may
 * track as generic, ignoring ports, is not), else the GET's answer is
 * filtered before the delete. Without a zone upstream matches the tuple
 * in every zone, so that is a dump.
 * The kernel's filtered flush (mark/status/zone) is not used for -D: it
 * does not say which entries it removed, and -D prints each of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ct_modify_int.h"
#include "cmd/ct_run.h"
#include "ct/batch.h"
#include "ct/filter.h"
#include "ct/format.h"
#include "ct/proto.h"
#include "ct/table.h"
#include "nl/sock.h"

#define CT_PIPE		64
#define CT_LINE		1024

int ct_modify(struct ct_ctx *c, const struct ct_args *a);

#define CT_WIN		(2 * CT_PIPE)	/* one batch out, one filling */
#define CT_TEXT		(48 * 1024)	/* -D: the pending lines, packed */

/*
 * The pending slots, oldest first, are ring positions head, head + 1, ...
 * (mod CT_WIN); the k-th holds the requests base + k * per ... base +
 * k * per + per - 1: -D one delete (per 1), -U the update then a GET, a
 * -D by key the GET then the delete (per 2). A slot is released (-D: its
 * line printed unless refused or vanished) once its batch is answered.
 * -D sends its batches from a helper thread (ct_batch_async), so up to
 * two batches of CT_PIPE slots are pending: one out, one filling.
 *
 * -D keeps the pending lines one after the other in a ring of text, so
 * memory is what the lines take, not CT_WIN times the longest line: the
 * oldest live byte is thead, the next line goes at tpos, and live counts
 * the bytes in between (a line never wraps; the unused end before a wrap
 * counts as live until the line after it is released).
 */
struct modify {
	const struct ct_args *a;
	struct ct_ctx *c;
	struct ct_batch b;
	uint32_t base;			/* batch index of the oldest slot */
	uint32_t head;			/* its ring position */
	uint32_t n;			/* slots pending */
	uint32_t filling;		/* of which not yet sent */
	uint32_t per;			/* requests per slot */
	unsigned long counter;
	int err;			/* first hard error, -errno */
	uint32_t off[CT_WIN];		/* -D: the slot's line in text */
	uint16_t len[CT_WIN];		/* its length with the NUL; 0: none */
	uint8_t skip[CT_WIN];		/* refused or vanished */
	uint32_t thead, tpos, live;
	char tmp[CT_LINE];		/* the line being formatted */
	char text[CT_TEXT];		/* -D: printed once deleted */
	unsigned char buf[CT_BATCH_BUF];
	unsigned char buf2[CT_BATCH_BUF];
};

/* The ring position of request @index, or -1 if not pending. */
static int slot_of(const struct modify *m, uint32_t index, uint32_t *part)
{
	uint32_t k;

	if (index < m->base)
		return -1;
	k = (index - m->base) / m->per;
	*part = (index - m->base) % m->per;
	return k < m->n ? (int)((m->head + k) % CT_WIN) : -1;
}

/* Ring position of the next slot. */
static uint32_t next_slot(const struct modify *m)
{
	return (m->head + m->n) % CT_WIN;
}

static void on_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct modify *m = arg;
	uint32_t part = 0;
	int k = slot_of(m, index, &part);

	if (k >= 0)
		m->skip[k] = 1;
	/* -U of an entry without label extension: ENOSPC is skipped */
	if (ack->error == ENOSPC && m->a->cmd == CT_CMD_UPDATE &&
	    (m->a->options & (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL)))
		return;
	if (!m->err)
		m->err = -ack->error;
}

static void on_vanish(uint32_t index, void *arg)
{
	struct modify *m = arg;
	uint32_t part;
	int k = slot_of(m, index, &part);

	if (k >= 0)
		m->skip[k] = 1;
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
	if (m->a->cmd == CT_CMD_UPDATE)	/* -D prints no labels */
		o.labels = ct_ctx_labels_for(m->c, out, e);
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

/* Keeps m->tmp as slot @k's line, after the pending ones; -ENOSPC if
 * the ring has no room for it. */
static int keep_line(struct modify *m, uint32_t k)
{
	size_t n = strlen(m->tmp) + 1;

	if (m->tpos + n > CT_TEXT) {
		uint32_t gap = CT_TEXT - m->tpos;

		if (m->live + gap + n > CT_TEXT)
			return -ENOSPC;
		m->live += gap;
		m->tpos = 0;
	}
	if (m->live + n > CT_TEXT)
		return -ENOSPC;
	memcpy(m->text + m->tpos, m->tmp, n);
	m->off[k] = m->tpos;
	m->len[k] = (uint16_t)n;
	m->tpos += (uint32_t)n;
	m->live += (uint32_t)n;
	return 0;
}

/* Slot @k's line is no longer needed: the ring's live part now starts
 * after it (with the unused end before it, if it came after a wrap). */
static void drop_line(struct modify *m, uint32_t k)
{
	uint32_t end = m->off[k] + m->len[k];

	if (!m->len[k])
		return;
	m->live -= end > m->thead ? end - m->thead : CT_TEXT - m->thead + end;
	m->thead = end % CT_TEXT;
	m->len[k] = 0;
	if (!m->live)
		m->thead = m->tpos = 0;
}

/* A GET answer counts the reference the GET itself holds; -D prints
 * entries as upstream's dump shows them, without it. */
static void unget(struct ct_entry *e)
{
	if ((e->set & CT_USE) && e->use > 1)
		e->use--;
}

/* A GET was answered: -U prints it unless its update failed; a -D by
 * key keeps its line for when the delete is answered. */
static void on_entry(uint32_t index, const struct ct_entry *e,
		     const struct nlmsghdr *nlh, void *arg)
{
	struct modify *m = arg;
	uint32_t part;
	int k = slot_of(m, index, &part);

	if (k < 0 || m->skip[k])
		return;
	if (m->a->cmd == CT_CMD_DELETE) {
		struct ct_entry d = *e;

		unget(&d);
		line(m, &d, m->tmp);
		/* the only pending slot (by key): the ring is empty */
		(void)keep_line(m, (uint32_t)k);
		return;
	}
	line(m, e, m->tmp);
	if (m->tmp[0])
		printf("%s\n", m->tmp);
	m->counter++;
}

/* Releases the slots whose batches have been answered. */
static void release(struct modify *m)
{
	uint32_t done = (ct_batch_sent(&m->b) - m->base) / m->per;

	if (done > m->n)
		done = m->n;
	for (uint32_t i = 0; i < done; i++) {
		uint32_t k = (m->head + i) % CT_WIN;

		if (m->a->cmd == CT_CMD_DELETE && !m->skip[k]) {
			if (m->len[k] > 1)
				printf("%s\n", m->text + m->off[k]);
			m->counter++;
		}
		m->skip[k] = 0;
		drop_line(m, k);
	}
	m->head = (m->head + done) % CT_WIN;
	m->base += done * m->per;
	m->n -= done;
	if (m->filling > m->n)
		m->filling = m->n;
}

/* @wait: send and wait for every answer; else send the filled batch,
 * waiting only for the one before it. */
static int flush(struct modify *m, int wait)
{
	int rc = wait ? ct_batch_flush(&m->b) : ct_batch_send(&m->b);

	if (rc < 0 && !m->err)
		m->err = rc;
	m->filling = 0;
	release(m);
	return m->err;
}

static int entry_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct modify *m = arg;
	struct ct_entry u;
	int rc;

	if (m->err)
		return m->err;
	if (!ct_filter_match(&m->a->filter, e))
		return 0;
	if (m->n + m->per > CT_WIN && flush(m, 1))
		return m->err;		/* not expected: batches are smaller */
	if (m->a->cmd == CT_CMD_DELETE) {
		u = *e;
		u.family = e->orig.l3 ? e->orig.l3 : e->family;
		line(m, e, m->tmp);
		/* no room for the line: send what is filling (which answers
		 * the batch before), then if need be wait for everything */
		if (keep_line(m, next_slot(m)) < 0 &&
		    (flush(m, 0) || keep_line(m, next_slot(m)) < 0) &&
		    (flush(m, 1) || keep_line(m, next_slot(m)) < 0))
			return m->err ? m->err : -ENOSPC;
		rc = ct_batch_delete(&m->b, &u);
	} else {
		if (!ct_modify_updated(m->a, e, &u))
			return 0;
		rc = ct_batch_create(&m->b, &u, 0);
		if (rc == 0)
			rc = ct_batch_get(&m->b, &u);
	}
	if (rc < 0)
		return rc;
	m->n++;
	if (++m->filling == CT_PIPE)
		return flush(m, 0);
	return 0;
}

static int get_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		  void *arg)
{
	struct ct_entry d = *e;

	unget(&d);
	return entry_cb(&d, nlh, arg);
}

/* The filter is exactly "this tuple in this zone": nothing to check on
 * the entry beyond what the kernel's lookup already matched. The key is
 * the complete tuple (orig first, as ct_entry_put_key takes it); the
 * other one may only repeat its protocol (-p puts it in the orig tuple
 * of a -D that names the reply one). */
static int key_only(const struct ct_filter *f)
{
	const struct ct_tuple *t = &f->tmpl.orig, *other = &f->tmpl.reply;
	uint64_t tuples = f->tmpl.set & (CT_ORIG | CT_REPLY);

	if (f->set & ~(uint32_t)(CT_F_CMP | CT_F_FAMILY))
		return 0;
	if (f->tmpl.set & ~(CT_ORIG | CT_REPLY | CT_ZONE))
		return 0;
	if (!(tuples & CT_ORIG) || !ct_proto_tuple_complete(t)) {
		t = &f->tmpl.reply;
		other = &f->tmpl.orig;
	}
	if (tuples == (CT_ORIG | CT_REPLY) &&
	    ((other->set & ~CT_TUPLE_PROTO) ||
	     ((other->set & CT_TUPLE_PROTO) && other->l4 != t->l4)))
		return 0;
	if (t->set & CT_TUPLE_ZONE)
		return 0;
	/* a kernel that tracks the protocol as generic would find (and
	 * delete) the entry whatever the ports: check the answer first */
	if (!ct_proto_by_num(t->l4)->core)
		return 0;
	return !(f->set & CT_F_FAMILY) || f->family == t->l3;
}

static int by_key(struct modify *m)
{
	struct ct_entry key = m->a->filter.tmpl;
	int rc;

	key.family = (uint8_t)m->a->family;
	key.set &= CT_ORIG | CT_REPLY | CT_ZONE;
	if (!key_only(&m->a->filter))
		return ct_table_get(m->c->sock, &key, get_cb, m, NULL);
	/* one round trip: GET (for the line) and DELETE in one batch */
	m->per = 2;
	rc = ct_batch_get(&m->b, &key);
	if (rc == 0)
		rc = ct_batch_delete(&m->b, &key);
	if (rc == 0)
		m->n = 1;
	return rc;
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
	m->per = a->cmd == CT_CMD_UPDATE ? 2 : 1;
	ct_batch_init(&m->b, c->mod, m->buf, sizeof(m->buf), on_err, m);
	m->b.on_vanish = on_vanish;
	m->b.on_entry = on_entry;
	if (a->cmd == CT_CMD_DELETE && ct_filter_is_key(&a->filter)) {
		rc = by_key(m);
		if (rc == -ENOENT)
			rc = 0;
	} else {
		/* -U too: the filter runs again on every entry, so the
		 * kernel's part only saves copying (upstream sends none) */
		ct_filter_kernel(&a->filter, &kf, true);
		d.filter = c->no_kfilter ? NULL : &kf;
		d.kfilter = c->kfilter;
		d.retries = 3;
		/* the deletes' sender takes the other CPU: the halves of a
		 * split dump go one after the other (faster, measured) */
		d.piped = c->no_pipe ? CT_DUMP_PLAIN : CT_DUMP_PIPED_SERIAL;
		d.pipe_hold_us = c->pipe_hold_us;
		d.cb = entry_cb;
		/* deletes go out from a helper thread while the dump goes
		 * on (-U queues GETs, whose answers need the caller) */
		if (a->cmd == CT_CMD_DELETE && !c->no_pipe)
			(void)ct_batch_async(&m->b, m->buf2, 0);
		d.arg = m;
		rc = ct_table_dump(c->sock, &d, NULL);
		c->kfilter = d.kfilter;
	}
	if (!rc || rc == -EINTR) {
		int f = flush(m, 1);

		if (!rc)
			rc = f;
	} else {
		/* what was sent is done: print it; nothing more goes */
		ct_batch_finish(&m->b);
		release(m);
	}
	fflush(stdout);
	if (rc == -EINTR) {
		ct_fail_msg(c, "dump interrupted, the table changed while it "
			    "was read");
		rc = CT_EXIT_OTHER;
	} else if (rc < 0) {
		ct_fail_msg(c, ct_err2str(-rc, a->cmd));
		rc = CT_EXIT_OTHER;
	} else if (!c->load_file) {
		ct_msg("%lu flow entries have been %s.", m->counter,
		       a->cmd == CT_CMD_DELETE ? "deleted" : "updated");
		rc = m->counter ? 0 : CT_EXIT_OTHER;
	}
	ct_batch_finish(&m->b);
	free(m);
	return rc;
}
