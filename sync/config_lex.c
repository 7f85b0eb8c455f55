// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrackd.conf tokenizer (sync/config_lex.h): for each rule of
 * upstream's scanner a function giving the length of its match at the
 * current position (0: no match), then flex's choice among them, the
 * longest and on a tie the first rule. The IPv6 rule is a small set
 * simulation of its regular expression, since its longest match is not
 * found greedily ("1::2" vs "1:2").
 */
#include <string.h>

#include "sync/config_lex.h"

struct kw {
	const char *s;
	uint8_t len;
	uint8_t tok;
};

#define KW(s, t) { s, sizeof(s) - 1, t }

/* Upstream's keywords, case-sensitive; some are aliases of one token. */
static const struct kw kws[] = {
	KW("UNIX", K_UNIX), KW("IPv4_address", K_IPV4_ADDR),
	KW("IPv6_address", K_IPV6_ADDR),
	KW("IPv4_Destination_Address", K_IPV4_DEST),
	KW("IPv6_Destination_Address", K_IPV6_DEST),
	KW("IPv4_interface", K_IPV4_IFACE), KW("IPv6_interface", K_IPV6_IFACE),
	KW("Interface", K_IFACE), KW("Multicast", K_MULTICAST),
	KW("UDP", K_UDP), KW("TCP", K_TCP), KW("HashSize", K_HASHSIZE),
	KW("RefreshTime", K_REFRESH), KW("CacheTimeout", K_EXPIRE),
	KW("CommitTimeout", K_TIMEOUT), KW("HashLimit", K_HASHLIMIT),
	KW("Path", K_PATH), KW("Backlog", K_BACKLOG), KW("Group", K_GROUP),
	KW("Port", K_PORT), KW("LogFile", K_LOG), KW("Syslog", K_SYSLOG),
	KW("LockFile", K_LOCK), KW("General", K_GENERAL), KW("Sync", K_SYNC),
	KW("Stats", K_STATS), KW("SocketBufferSize", K_BUFSIZE),
	KW("SocketBufferSizeMaxGrown", K_BUFSIZE_MAX),
	KW("SocketBufferSizeMaxGrowth", K_BUFSIZE_MAX),
	KW("NetlinkBufferSize", K_BUFSIZE),
	KW("NetlinkBufferSizeMaxGrowth", K_BUFSIZE_MAX), KW("Mode", K_MODE),
	KW("ResendQueueSize", K_RESEND_QUEUE), KW("Checksum", K_CHECKSUM),
	KW("ACKWindowSize", K_WINDOWSIZE), KW("for", K_FOR),
	KW("SYN_SENT", K_SYN_SENT), KW("SYN_RECV", K_SYN_RECV),
	KW("ESTABLISHED", K_ESTABLISHED), KW("FIN_WAIT", K_FIN_WAIT),
	KW("CLOSE_WAIT", K_CLOSE_WAIT), KW("LAST_ACK", K_LAST_ACK),
	KW("TIME_WAIT", K_TIME_WAIT), KW("CLOSE", K_CLOSE),
	KW("CLOSED", K_CLOSE), KW("LISTEN", K_LISTEN),
	KW("SndSocketBuffer", K_SNDBUF), KW("RcvSocketBuffer", K_RCVBUF),
	KW("Filter", K_FILTER), KW("Protocol", K_PROTOCOL),
	KW("Address", K_ADDRESS), KW("State", K_STATE), KW("Accept", K_ACCEPT),
	KW("Ignore", K_IGNORE), KW("PurgeTimeout", K_PURGE), KW("From", K_FROM),
	KW("Userspace", K_USERSPACE), KW("Kernelspace", K_KERNELSPACE),
	KW("EventIterationLimit", K_EVENT_ITER), KW("Default", K_DEFAULT),
	KW("PollSecs", K_POLL_SECS),
	KW("NetlinkOverrunResync", K_OVERRUN_RESYNC), KW("Nice", K_NICE),
	KW("Scheduler", K_SCHEDULER), KW("Type", K_TYPE),
	KW("Priority", K_PRIO), KW("NetlinkEventsReliable", K_EVENTS_RELIABLE),
	KW("DisableInternalCache", K_DISABLE_INTERNAL),
	KW("DisableExternalCache", K_DISABLE_EXTERNAL),
	KW("Options", K_OPTIONS), KW("TCPWindowTracking", K_TCP_WINDOW),
	KW("ExpectationSync", K_EXPECT_SYNC),
	KW("ErrorQueueLength", K_ERRQ_LEN), KW("Helper", K_HELPER),
	KW("QueueNum", K_QUEUE_NUM), KW("QueueLen", K_QUEUE_LEN),
	KW("Policy", K_POLICY), KW("ExpectMax", K_EXPECT_MAX),
	KW("ExpectTimeout", K_EXPECT_TIMEOUT), KW("Systemd", K_SYSTEMD),
	KW("StartupResync", K_STARTUP_RESYNC), KW("Setup", K_SETUP),
	/* ours: privilege separation (General { Privsep { ... } }) */
	KW("Privsep", K_PRIVSEP), KW("User", K_USER), KW("Chroot", K_CHROOT),
	KW("Separate", K_SEPARATE),
	/* ours: Sync { Authentication { ... } } */
	KW("Authentication", K_AUTH), KW("KeyFile", K_KEYFILE),
	KW("Encrypt", K_ENCRYPT), KW("Peer", K_PEER),
};

/* The mode names and booleans: upstream writes them as classes like
 * [o|O][n|N], where '|' is a literal member. Each pair here is the two
 * letters of one class; persistent's last class is [T|T]. */
struct word {
	const char *pairs;
	uint8_t tok;
};

static const struct word words[] = {
	{ "oOnN", TOK_ON }, { "yYeEsS", TOK_ON },
	{ "oOfFfF", TOK_OFF }, { "nNoO", TOK_OFF },
	{ "aAlLaArRmM", TOK_ALARM },
	{ "pPeErRsSiIsStTeEnNTT", TOK_ALARM },
	{ "fFtTfFwW", TOK_FTFW }, { "nNaAcCkK", TOK_FTFW },
	{ "nNoOtTrRaAcCkK", TOK_NOTRACK },
};

/* Rule order of upstream's scanner, for ties. */
enum {
	R_KEYWORD, R_TRUE, R_FALSE, R_INT, R_SINT, R_IP4, R_IP6, R_ALARM,
	R_PERSISTENT, R_FTFW, R_NACK, R_NOTRACK, R_STRING, R_MAX
};

static const uint8_t word_rule[] = {
	R_TRUE, R_TRUE, R_FALSE, R_FALSE, R_ALARM, R_PERSISTENT, R_FTFW,
	R_NACK, R_NOTRACK,
};

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t digits(const char *s, size_t n, size_t at)
{
	size_t i = at;

	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	return i - at;
}

static size_t string_len(const char *s, size_t n)
{
	size_t i = 1;

	if (!n || !is_alpha((unsigned char)s[0]))
		return 0;
	while (i < n && (is_alpha((unsigned char)s[i]) ||
			 is_digit((unsigned char)s[i]) || s[i] == '.' ||
			 s[i] == '-' || s[i] == '_'))
		i++;
	return i;
}

static size_t word_len(const struct word *w, const char *s, size_t n)
{
	size_t len = strlen(w->pairs) / 2;

	if (n < len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != w->pairs[2 * i] && s[i] != w->pairs[2 * i + 1] &&
		    s[i] != '|')
			return 0;
	return len;
}

/* {ip4}: four digit runs joined by dots, then an optional /digits. */
static size_t ip4_len(const char *s, size_t n)
{
	size_t i = 0, d;

	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		d = digits(s, n, i);
		if (!d)
			return 0;
		i += d;
	}
	if (i + 1 < n && s[i] == '/' && (d = digits(s, n, i + 1)))
		i += 1 + d;
	return i;
}

/*
 * Offsets (bit o = s + o) reachable after 0 to 7 repetitions of
 * [0-9a-fA-F]{1,4} followed by ':' (optional unless @colon). Seven
 * groups of five bytes stay below 64.
 */
static uint64_t ip6_groups(const char *s, size_t n, int colon)
{
	uint64_t cur = 1, all = 1;

	for (int rep = 0; rep < 7 && cur; rep++) {
		uint64_t next = 0;

		for (uint64_t m = cur; m; m &= m - 1) {
			unsigned int o = (unsigned int)__builtin_ctzll(m);

			for (unsigned int h = 1; h <= 4; h++) {
				size_t e = o + h;

				if (e > n || !is_hex((unsigned char)s[e - 1]))
					break;
				if (!colon)
					next |= 1ULL << e;
				if (e < n && s[e] == ':')
					next |= 1ULL << (e + 1);
			}
		}
		cur = next;
		all |= next;
	}
	return all;
}

/* The longest end among @ends (bits, relative to @base), each extended
 * by an optional /digits. */
static size_t ip6_best(const char *s, size_t n, size_t base, uint64_t ends)
{
	size_t best = 0;

	for (uint64_t m = ends; m; m &= m - 1) {
		size_t e = base + (size_t)__builtin_ctzll(m), d;

		if (e + 1 < n && s[e] == '/' && (d = digits(s, n, e + 1)))
			e += 1 + d;
		if (e > best)
			best = e;
	}
	return best;
}

/* {ip6}: {form1}{cidr}? | {form2}{cidr}? with form1 = part{0,7} "::"
 * part{0,7}, form2 = (hex{1,4} ":"){0,7} hex{1,4}, part = hex{1,4} ":"?. */
static size_t ip6_len(const char *s, size_t n)
{
	uint64_t head = ip6_groups(s, n, 0), q = ip6_groups(s, n, 1);
	size_t best = 0, e;

	for (uint64_t m = head; m; m &= m - 1) {
		size_t o = (size_t)__builtin_ctzll(m);

		if (o + 2 > n || s[o] != ':' || s[o + 1] != ':')
			continue;
		e = ip6_best(s, n, o + 2, ip6_groups(s + o + 2, n - o - 2, 0));
		if (e > best)
			best = e;
	}
	for (uint64_t m = q; m; m &= m - 1) {
		size_t o = (size_t)__builtin_ctzll(m);
		uint64_t ends = 0;

		for (unsigned int h = 1; h <= 4; h++) {
			if (o + h > n || !is_hex((unsigned char)s[o + h - 1]))
				break;
			ends |= 1ULL << h;
		}
		e = ip6_best(s, n, o, ends);
		if (e > best)
			best = e;
	}
	return best;
}

static int keyword(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (kws[i].len == len && !memcmp(kws[i].s, s, len))
			return kws[i].tok;
	return -1;
}

static uint64_t number(const char *s, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return UINT64_MAX;
		v = v * 10 + d;
	}
	return v;
}

/* flex's choice at @s: every rule's match length, the longest wins and
 * the first rule on a tie. Sets *@type; returns the length (0: none). */
static size_t longest(const char *s, size_t n, int *type, int *rule)
{
	size_t len[R_MAX] = { 0 }, best = 0;
	int tok[R_MAX] = { 0 }, kw;

	len[R_STRING] = string_len(s, n);
	tok[R_STRING] = TOK_STRING;
	kw = len[R_STRING] ? keyword(s, len[R_STRING]) : -1;
	if (kw >= 0) {
		len[R_KEYWORD] = len[R_STRING];
		tok[R_KEYWORD] = kw;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t l = word_len(&words[i], s, n);

		if (l > len[word_rule[i]]) {
			len[word_rule[i]] = l;
			tok[word_rule[i]] = words[i].tok;
		}
	}
	len[R_INT] = digits(s, n, 0);
	tok[R_INT] = TOK_NUMBER;
	if (s[0] == '-' || s[0] == '+') {
		size_t d = digits(s, n, 1);

		len[R_SINT] = d ? d + 1 : 0;
		tok[R_SINT] = TOK_SIGNED;
	}
	len[R_IP4] = ip4_len(s, n);
	len[R_IP6] = ip6_len(s, n);
	tok[R_IP4] = tok[R_IP6] = TOK_IP;
	for (int r = 0; r < R_MAX; r++) {
		if (len[r] > best) {
			best = len[r];
			*type = tok[r];
			*rule = r;
		}
	}
	return best;
}

void sync_conf_lex_init(struct conf_lex *lx, const char *text, size_t len,
			sync_conf_warn_cb warn, void *arg)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->warn = warn;
	lx->arg = arg;
}

/* Blanks, newlines and comments; a '#' without a newline after it is not
 * a comment (upstream's rule is #.*$) but a byte of its own. */
static void skip(struct conf_lex *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];
		const char *nl;

		if (c == ' ' || c == '\t' || c == '\r') {
			lx->pos++;
		} else if (c == '\n') {
			lx->pos++;
			lx->line++;
		} else if (c == '#' && (nl = memchr(lx->text + lx->pos, '\n',
						  lx->len - lx->pos))) {
			lx->pos = (size_t)(nl - lx->text);
		} else {
			return;
		}
	}
}

static size_t path_len(const char *s, size_t n)
{
	size_t i = 1;

	while (i < n && s[i] != '"' && s[i] != '\n' && s[i] != ' ')
		i++;
	return i;
}

void sync_conf_lex_next(struct conf_lex *lx, struct conf_token *t)
{
	const char *s;
	size_t n, len;
	int rule = -1;

	skip(lx);
	t->line = lx->line;
	t->num = 0;
	if (lx->pos >= lx->len) {
		t->type = TOK_EOF;
		t->p = "";
		t->len = 0;
		return;
	}
	s = lx->text + lx->pos;
	n = lx->len - lx->pos;
	t->p = s;
	if (s[0] == '/') {
		t->type = TOK_PATH;
		len = path_len(s, n);
	} else if (!(len = longest(s, n, &t->type, &rule))) {
		t->type = TOK_CHAR;
		len = 1;
	}
	t->len = len;
	lx->pos += len;
	if (t->type == TOK_NUMBER)
		t->num = number(s, len);
	if (rule == R_PERSISTENT && lx->warn)
		lx->warn(lx->arg, "Now `persistent' mode is called `alarm'. "
			 "Please, update your conntrackd.conf file.");
	if (rule == R_NACK && lx->warn)
		lx->warn(lx->arg, "Now `nack' mode is called `ftfw'. "
			 "Please, update your conntrackd.conf file.");
}

int sync_conf_lex_is(const struct conf_token *t, char ch)
{
	return t->type == TOK_CHAR && t->p[0] == ch;
}
