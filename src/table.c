/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "v6share/capture_file.h"
#include "v6share/memory.h"
#include "v6share/mrt.h"
#include "v6share/table.h"

int v6s_huge_pages = 1;
int table_fast_lines = 1;

#define BITS4_BYTES ((size_t)1 << 22)   /* 2^25 bits: lengths 0..24 */

/* Deduplication: an open-addressing set of route indices, keyed by prefix.
 * Real tables come sorted by prefix (with a RIB dump's many peers of one
 * prefix side by side): while every route sorts after the one before it,
 * or repeats it, nothing needs looking up, and the set and the bitmap are
 * built only when a route first comes out of order. */
struct dedup {
	int hashing;            /* the routes came out of order once: the set and bits4 hold them */
	uint32_t *slot;         /* index + 1; 0 = empty */
	size_t cap, n;          /* slots, and routes in them */
	/* IPv4 prefixes up to /24 (most of any table), one bit each: bit
	 * 2^len + the prefix's top len bits. Tables come sorted, so this is
	 * read in order where a hash set would miss cache on every route. */
	uint8_t *bits4;
};

static void dedup_free(struct dedup *d)
{
	free(d->slot);
	if (d->bits4)
		munmap(d->bits4, BITS4_BYTES);
}


/* 1 when IPv4 prefix r (up to /24) was seen before; marks it. -1: no memory. */
static int seen4(struct dedup *d, const struct v6s_route *r)
{
	if (!d->bits4) {
		void *m = mmap(NULL, BITS4_BYTES, PROT_READ | PROT_WRITE, v6s_map_flags(), -1, 0);
		if (m == MAP_FAILED)
			return -1;
		d->bits4 = m;
	}
	uint32_t ip = (uint32_t)r->addr[0] << 24 | (uint32_t)r->addr[1] << 16 | (uint32_t)r->addr[2] << 8 | r->addr[3];
	uint32_t bit = (1u << r->len) + (r->len ? ip >> (32 - r->len) : 0);
	uint8_t m = (uint8_t)(1u << (bit & 7));
	if (d->bits4[bit >> 3] & m)
		return 1;
	d->bits4[bit >> 3] |= m;
	return 0;
}

/* Routes the set holds; the others are bits4's. */
static int hashed(const struct v6s_route *r)
{
	return !(r->family == 4 && r->len <= 24);
}

static uint64_t route_hash(const struct v6s_route *r)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)r->family << 8 | r->len);
	for (int i = 0; i < 16; i++)
		h = (h ^ r->addr[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static int same_prefix(const struct v6s_route *a, const struct v6s_route *b)
{
	return a->family == b->family && a->len == b->len && memcmp(a->addr, b->addr, 16) == 0;
}

/* Room for at least want slots (a power of two), holding l's hashed routes.
 * Sized by those alone: in a real table they are a few percent, and a set
 * sized for every route would touch megabytes of fresh memory at random. */
static int dedup_reserve(struct dedup *d, size_t want, const struct v6s_route_list *l)
{
	size_t cap = d->cap ? d->cap : 1024, n = 0;
	while (cap < want)
		cap *= 2;
	if (cap == d->cap)
		return 0;
	uint32_t *slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		if (!hashed(&l->r[i]))
			continue;
		size_t h = route_hash(&l->r[i]) & (cap - 1);
		while (slot[h])
			h = (h + 1) & (cap - 1);
		slot[h] = (uint32_t)i + 1;
		n++;
	}
	free(d->slot);
	d->slot = slot;
	d->cap = cap;
	d->n = n;
	return 0;
}

/* Route lists of a whole table are tens of MB, written once, front to back:
 * on 4 KiB pages that is thousands of page faults, which is most of what
 * reading a table costs on a VM. Big lists go on transparent huge pages
 * (freed with free(), like the small ones). */
#define HUGE_PAGE ((size_t)2 << 20)

static void *alloc_routes(size_t n)
{
	size_t bytes = n * sizeof(struct v6s_route);
	void *p = NULL;
	if (bytes < 2 * HUGE_PAGE)
		return malloc(bytes);
	if (posix_memalign(&p, HUGE_PAGE, bytes))
		return NULL;
	v6s_advise_huge(p, bytes & ~(HUGE_PAGE - 1));
	return p;
}

static int reserve(struct v6s_route_list *l, size_t cap)
{
	if (cap <= l->cap)
		return 0;
	struct v6s_route *nr = alloc_routes(cap);
	if (!nr)
		return -1;
	if (l->n)
		memcpy(nr, l->r, l->n * sizeof(*nr));
	free(l->r);
	l->r = nr;
	l->cap = cap;
	return 0;
}

static int list_push(struct v6s_route_list *l, const struct v6s_route *r)
{
	if (l->n == l->cap && reserve(l, l->cap ? l->cap * 2 : 4096))
		return -1;
	l->r[l->n++] = *r;
	return 0;
}

static uint64_t be64_at(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

/* Prefix order: family, address, length (on every line of a table: two
 * 64-bit compares, not a call to memcmp). */
static int prefix_cmp(const struct v6s_route *a, const struct v6s_route *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	uint64_t x = be64_at(a->addr), y = be64_at(b->addr);
	if (x == y) {
		x = be64_at(a->addr + 8);
		y = be64_at(b->addr + 8);
	}
	if (x != y)
		return x < y ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* From sorted to hashed: every route so far into the set or the bitmap. */
static int dedup_build(struct dedup *d, const struct v6s_route_list *l)
{
	size_t nh = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (hashed(&l->r[i]))
			nh++;
		else if (seen4(d, &l->r[i]) < 0)
			return -1;
	}
	if (dedup_reserve(d, 2 * nh + 2, l))
		return -1;
	d->hashing = 1;
	return 0;
}

/* 1 when r was added, 0 when its prefix was already there, -1 out of memory. */
static int add_unique(struct v6s_route_list *l, struct dedup *d, const struct v6s_route *r)
{
	if (!d->hashing) {
		int c = l->n ? prefix_cmp(&l->r[l->n - 1], r) : -1;
		if (c < 0)
			return list_push(l, r) ? -1 : 1;
		if (c == 0)
			return 0;
		if (dedup_build(d, l))
			return -1;
	}
	if (!hashed(r)) {
		int seen = seen4(d, r);
		if (seen)
			return seen < 0 ? -1 : 0;
		return list_push(l, r) ? -1 : 1;
	}
	if (d->n + 1 > d->cap / 2 && dedup_reserve(d, d->cap ? d->cap * 2 : 1024, l))
		return -1;
	size_t h = route_hash(r) & (d->cap - 1);
	while (d->slot[h]) {
		if (same_prefix(&l->r[d->slot[h] - 1], r))
			return 0;
		h = (h + 1) & (d->cap - 1);
	}
	if (list_push(l, r))
		return -1;
	d->slot[h] = (uint32_t)l->n;
	d->n++;
	return 1;
}

int table_add(struct v6s_route_list *l, const struct v6s_route *r, struct v6s_table_stats *st)
{
	for (size_t i = 0; i < l->n; i++) {
		if (same_prefix(&l->r[i], r)) {
			st->duplicates++;
			return 0;
		}
	}
	if (list_push(l, r))
		return -1;
	st->routes++;
	if (r->family == 4)
		st->routes4++;
	else
		st->routes6++;
	return 0;
}

int table_parse_prefix(const char *s, struct v6s_route *r)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	long len;

	if (alen == 0 || alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(r->addr, 0, sizeof(r->addr));
	if (inet_pton(AF_INET, buf, r->addr) == 1)
		r->family = 4;
	else if (inet_pton(AF_INET6, buf, r->addr) == 1)
		r->family = 6;
	else
		return -1;
	long max = r->family == 4 ? 32 : 128;
	if (slash) {
		char *end;
		errno = 0;
		len = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || len < 0 || len > max)
			return -1;
	} else {
		len = max;
	}
	r->len = (uint8_t)len;
	/* clear host bits: 10.1.2.3/8 means 10.0.0.0/8 */
	for (long bit = len; bit < max; bit++)
		r->addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
	return 0;
}

int table_parse_named(char *line, struct v6s_route *r, const char **name)
{
	char *p = line + strspn(line, " \t"), *rest = p + strcspn(p, " \t");
	if (*rest) {
		*rest++ = '\0';
		rest += strspn(rest, " \t");
		size_t e = strlen(rest);
		while (e && isspace((unsigned char)rest[e - 1]))
			rest[--e] = '\0';
	}
	*name = *rest ? rest : NULL;
	return table_parse_prefix(p, r);
}

void table_format_prefix(const struct v6s_route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(r->family == 4 ? AF_INET : AF_INET6, r->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, r->len);
}

/* An ASN: plain ("15169"), asdot ("1.10"), or the first of a multi-origin
 * ("a_b"), AS set ("a,b", "{a,b}") or confederation ("[a b]", "(a b)"). */
static int parse_asn(const char *s, uint32_t *asn)
{
	while (*s == '{' || *s == '[' || *s == '(')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || v > UINT32_MAX)
		return -1;
	if (*end == '.' && isdigit((unsigned char)end[1])) {
		unsigned long lo = strtoul(end + 1, &end, 10);
		if (v > 65535 || lo > 65535)
			return -1;
		v = v << 16 | lo;
	}
	if (*end && *end != '_' && *end != ',' && *end != '}' && *end != ']' && *end != ')' &&
	    !isspace((unsigned char)*end))
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

/* Split s in place at any of seps (runs count as one), up to max fields. */
static int split(char *s, const char *seps, char **f, int max, int keep_empty)
{
	int n = 0;
	char *p = s;
	while (n < max) {
		if (!keep_empty)
			p += strspn(p, seps);
		if (!*p && !keep_empty)
			break;
		f[n++] = p;
		p += strcspn(p, seps);
		if (!*p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* The line as read, for a report should it prove bad (parsing cuts it up).
 * Every line is copied, so no formatting. */
static void copy_line(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

enum line_result { LINE_ROUTE, LINE_BAD, LINE_IGNORED };

static enum line_result parse_caida(char *line, struct v6s_route *r)
{
	char *f[4], pfx[80];
	if (split(line, " \t", f, 4, 0) != 3)
		return LINE_BAD;
	snprintf(pfx, sizeof(pfx), "%s/%s", f[0], f[1]);
	if (table_parse_prefix(pfx, r) || parse_asn(f[2], &r->value))
		return LINE_BAD;
	return LINE_ROUTE;
}

/* 0 when s is a prefix written with its length ("10.0.0.0/8"): the table
 * formats that write it so do not take a bare address for a host route. */
static int parse_prefix_len(const char *s, struct v6s_route *r)
{
	return strchr(s, '/') ? table_parse_prefix(s, r) : -1;
}

static enum line_result parse_pyasn(char *line, struct v6s_route *r)
{
	char *f[3];
	if (split(line, " \t", f, 3, 0) != 2 || parse_prefix_len(f[0], r) || parse_asn(f[1], &r->value))
		return LINE_BAD;
	return LINE_ROUTE;
}

static void drop_blanks(char *s)
{
	char *d = s;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			*d++ = *s;
	*d = '\0';
}

/* A line as pmacct reads it (its blanks taken out): fields split by ',',
 * a prefix with a length last; a single field only without inner blanks,
 * which tells it from a pyasn line. */
static int pmacct_line(const char *line)
{
	char buf[256], c;
	int one_field = sscanf(line, "%*s %c", &c) != 1;
	snprintf(buf, sizeof(buf), "%s", line);
	drop_blanks(buf);
	const char *last = strrchr(buf, ',');
	struct v6s_route r;
	return !parse_prefix_len(last ? last + 1 : buf, &r) && (last || one_field);
}

/* pmacct's networks_file (networks_file with pmacctd_as: file), one of
 *   prefix/len                         no origin: AS 0, as pmacct takes it
 *   origin,prefix/len
 *   peer_origin,prefix/len             the peer AS is pmacct's, not ours
 *   next-hop,[peer_]origin,prefix/len
 * '!' starts a comment (is_comment). */
static enum line_result parse_pmacct(char *line, struct v6s_route *r)
{
	char *f[4];
	drop_blanks(line);              /* as pmacct does: "65000, 10.0.0.0/8" is a route */
	int n = split(line, ",", f, 4, 1);
	if (n < 1 || n > 3 || parse_prefix_len(f[n - 1], r))
		return LINE_BAD;
	r->value = 0;
	if (n == 1)
		return LINE_ROUTE;
	if (n == 3) {
		uint8_t nh[16];
		if (inet_pton(AF_INET, f[0], nh) != 1 && inet_pton(AF_INET6, f[0], nh) != 1)
			return LINE_BAD;
	}
	char *as = f[n - 2], *origin = strchr(as, '_');
	uint32_t peer;
	if (origin && (parse_asn(as, &peer) || strchr(++origin, '_')))
		return LINE_BAD;
	if (parse_asn(origin ? origin : as, &r->value))
		return LINE_BAD;
	return LINE_ROUTE;
}

/* RIPE RIS's riswhoisdump.IPv4/IPv6: "origin<TAB>prefix<TAB>RIS peers that
 * see it", '%' comments; a prefix with several origins has a line for each
 * (risline_cmp picks). Told from CAIDA's by its first field, an AS number. */
static int riswhois_line(const char *line)
{
	char a[64], b[128];
	if (sscanf(line, "%63s %127s", a, b) != 2 || !strchr(b, '/'))
		return 0;
	return (isdigit((unsigned char)a[0]) || a[0] == '{') && !strpbrk(a, ".:/");
}

static enum line_result parse_riswhois(char *line, struct v6s_route *r, uint32_t *peers)
{
	char *f[4], *end;
	int n = split(line, " \t", f, 4, 0);
	if (n < 2 || n > 3 || parse_prefix_len(f[1], r) || parse_asn(f[0], &r->value))
		return LINE_BAD;
	*peers = 0;
	if (n == 3) {
		errno = 0;
		unsigned long v = strtoul(f[2], &end, 10);
		if (!isdigit((unsigned char)f[2][0]) || *end || errno || v > UINT32_MAX)
			return LINE_BAD;
		*peers = (uint32_t)v;
	}
	return LINE_ROUTE;
}

/* One RISwhois line, held until the file is read. */
struct risline {
	struct v6s_route r;
	uint32_t peers;
	uint64_t line;
};

/* By prefix; of one prefix's origins, the one the most RIS peers see
 * first, then the earlier line. */
static int risline_cmp(const void *a, const void *b)
{
	const struct risline *x = a, *y = b;
	int c = prefix_cmp(&x->r, &y->r);
	if (c)
		return c;
	if (x->peers != y->peers)
		return x->peers > y->peers ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* TABLE_DUMP2|time|B|peer|peer-as|prefix|as-path|origin|... ; the origin AS
 * is the last public AS of the path (table_asn_public; a set's first public
 * member), else its last AS (a final set's first member). Records of
 * ADD-PATH sessions (RFC 8050: TABLE_DUMP2_AP, BGP4MP_AP, ...) carry the
 * path identifier after the prefix. */
static enum line_result parse_bgpdump(char *line, struct v6s_route *r)
{
	char *f[9];
	int n = split(line, "|", f, 9, 1);
	if (n < 3)
		return LINE_BAD;
	size_t kind = strlen(f[0]);
	int addpath = kind > 3 && strcmp(f[0] + kind - 3, "_AP") == 0;
	if (addpath)
		f[0][kind - 3] = '\0';
	if (strcmp(f[0], "TABLE_DUMP2") && strcmp(f[0], "TABLE_DUMP") && strcmp(f[0], "BGP4MP") &&
	    strcmp(f[0], "BGP4MP_ET"))
		return LINE_BAD;
	if (strcmp(f[2], "B") && strcmp(f[2], "A"))
		return strcmp(f[2], "W") == 0 || strcmp(f[2], "STATE") == 0 ? LINE_IGNORED : LINE_BAD;
	if (n < 7 + addpath || table_parse_prefix(f[5], r))
		return LINE_BAD;
	char *path = f[6 + addpath], *last = NULL;
	uint32_t pub = 0, v;
	int have_pub = 0;
	for (char *p = path; *p;) {
		p += strspn(p, " ");
		if (!*p)
			break;
		last = p;
		if (*p == '{' || *p == '[' || *p == '(') {
			/* a set ({a,b}), a confederation's set ([a,b]) or sequence ((a b)) */
			char open = *p, close = open == '{' ? '}' : open == '[' ? ']' : ')';
			char *e = strchr(p, close);
			char *end = e ? e : p + strlen(p);
			int seen = 0;
			for (char *m = p + 1 + strspn(p + 1, ", "); m < end;) {
				if (!parse_asn(m, &v) && table_asn_public(v) && (open == '(' || !seen)) {
					pub = v;        /* a sequence's last public AS, a set's first */
					have_pub = seen = 1;
				}
				size_t k = strcspn(m, ", )]}");
				m += k ? k : 1;
				m += strspn(m, ", ");
			}
			p = e ? e + 1 : end;
		} else {
			if (!parse_asn(p, &v) && table_asn_public(v)) {
				pub = v;
				have_pub = 1;
			}
			p += strcspn(p, " ");
		}
	}
	if (!last)                              /* empty path: the peer originated it */
		return parse_asn(f[4], &r->value) ? LINE_BAD : LINE_ROUTE;
	if (parse_asn(last, &r->value))
		return LINE_BAD;
	if (have_pub)
		r->value = pub;
	return LINE_ROUTE;
}

int table_asn_public(uint32_t asn)
{
	/* IANA's special-purpose AS numbers: 0 (RFC 7607), AS_TRANS (RFC 6793),
	 * documentation (RFC 5398), private use (RFC 6996), reserved (RFC 7300) */
	return asn != 0 && asn != 23456 && (asn < 64496 || asn > 131071) && asn < 4200000000u;
}

static void note_bad(struct v6s_table_stats *st, uint64_t lineno, const char *text)
{
	st->skipped++;
	if (st->nbad < V6S_TABLE_BAD_SHOWN) {
		st->bad[st->nbad].line = lineno;
		snprintf(st->bad[st->nbad].text, sizeof(st->bad[0].text), "%s", text);
		st->nbad++;
	}
}

static int is_comment(const char *s)
{
	s += strspn(s, " \t");
	return !*s || *s == '#' || *s == ';' || *s == '!' || *s == '%';   /* '!': pmacct's, '%': RIPE's */
}

/* A table's lines, read as they are or decompressed (capture_file.h). */
struct input {
	FILE *f;
	const char *how;        /* the compression, or NULL */
};

/* option: the command-line flag that reads such a file (for an error about
 * a compression v6share does not read). 0 or -1 with err set. */
static int open_input(struct input *in, const char *path, const char *option, char *err, size_t errlen)
{
	in->f = text_open(path, option, &in->how, err, errlen);
	return in->f ? 0 : -1;
}

/* A stream that gives the bytes already read from f again, then the rest of f. */
struct replay {
	FILE *f;
	uint8_t head[16];
	size_t n, pos;
};

static ssize_t replay_read(void *cookie, char *buf, size_t size)
{
	struct replay *r = cookie;
	if (r->pos < r->n) {
		size_t k = r->n - r->pos < size ? r->n - r->pos : size;
		memcpy(buf, r->head + r->pos, k);
		r->pos += k;
		return (ssize_t)k;
	}
	size_t k = fread(buf, 1, size, r->f);
	return k == 0 && ferror(r->f) ? -1 : (ssize_t)k;       /* errno as the reader left it */
}

static int replay_close(void *cookie)
{
	struct replay *r = cookie;
	fclose(r->f);
	free(r);
	return 0;
}

/* Back to the input's first byte, after its first nhead bytes were read
 * into head to tell a binary MRT file from text: a plain file seeks, a
 * pipe or a decompressed stream is read on through a replay stream.
 * 0, or -1: out of memory. */
static int rewind_input(struct input *in, int seekable, const uint8_t *head, size_t nhead)
{
	if (seekable && fseek(in->f, 0, SEEK_SET) == 0)
		return 0;
	struct replay *r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->f = in->f;
	r->n = nhead < sizeof(r->head) ? nhead : sizeof(r->head);
	memcpy(r->head, head, r->n);
	cookie_io_functions_t io = { .read = replay_read, .close = replay_close };
	FILE *f = fopencookie(r, "r", io);
	if (!f) {
		free(r);
		return -1;
	}
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	in->f = f;
	return 0;
}

/* 1 with err set when the input stopped on an error, not at its end: a
 * compressed table cut short or corrupt must not load as the part before. */
static int read_failed(const struct input *in, const char *path, const struct v6s_table_stats *st, char *err,
		       size_t errlen)
{
	if (!ferror(in->f))
		return 0;
	snprintf(err, errlen, "%s: read error after %llu %s: %s%s%s%s", path, (unsigned long long)st->lines,
		 st->format == V6S_TABLE_MRT ? "records" : "lines", strerror(errno), in->how ? " (the " : "", in->how ? in->how : "",
		 in->how ? " data ends early, is corrupt, or has other bytes after it)" : "");
	return 1;
}

/* A line without its end (LF or CRLF), and the first line without a UTF-8
 * byte-order mark (a table saved by a Windows editor). */
static void chomp(char *s, uint64_t lineno)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		memmove(s, s + 3, n - 2);
}

/* An IPv4 route from its address in host order. */
static void put4(struct v6s_route *r, uint32_t ip, unsigned len, uint32_t value)
{
	memset(r, 0, sizeof(*r));
	r->family = 4;
	r->len = (uint8_t)len;
	r->addr[0] = (uint8_t)(ip >> 24);
	r->addr[1] = (uint8_t)(ip >> 16);
	r->addr[2] = (uint8_t)(ip >> 8);
	r->addr[3] = (uint8_t)ip;
	r->value = value;
}

/* The common line of a pyasn or CAIDA table, an IPv4 route with a plain
 * ASN ("1.0.0.0/24<TAB>56203", "1.0.0.0<TAB>24<TAB>56203_4608"), in one
 * pass: 1 and the route. 0 hands the line, whatever it is, to the general
 * parser, which answers the same for every line this one takes (no
 * leading zeros in an octet or length, as inet_pton; multi-origin and set
 * lists take their first AS), only three times slower. */
static int fast_route4(const char *s, enum v6s_table_format fmt, struct v6s_route *r)
{
	uint32_t ip = 0;
	unsigned nd;
	for (int k = 0; k < 4; k++) {
		unsigned v = 0;
		for (nd = 0; nd < 3 && *s >= '0' && *s <= '9'; nd++)
			v = v * 10 + (unsigned)(*s++ - '0');
		if (nd == 0 || v > 255 || (nd > 1 && s[-(int)nd] == '0'))
			return 0;
		ip = ip << 8 | v;
		if (k < 3 && *s++ != '.')
			return 0;
	}
	if (fmt == V6S_TABLE_PYASN) {
		if (*s++ != '/')
			return 0;
	} else {
		if (*s != ' ' && *s != '\t')
			return 0;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	unsigned len = 0;
	for (nd = 0; nd < 2 && *s >= '0' && *s <= '9'; nd++)
		len = len * 10 + (unsigned)(*s++ - '0');
	if (nd == 0 || len > 32 || (nd > 1 && s[-2] == '0') || (*s != ' ' && *s != '\t'))
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	uint64_t asn = 0;
	for (nd = 0; nd < 10 && *s >= '0' && *s <= '9'; nd++)
		asn = asn * 10 + (uint64_t)(*s++ - '0');
	if (nd == 0 || asn > UINT32_MAX)
		return 0;
	if (*s == '_' || *s == ',')
		while ((*s >= '0' && *s <= '9') || *s == '_' || *s == ',')
			s++;
	if (*s == '\r')
		s++;
	if (*s == '\n')
		s++;
	if (*s)
		return 0;
	if (len < 32)
		ip &= len ? ~0u << (32 - len) : 0;
	put4(r, ip, len, (uint32_t)asn);
	return 1;
}

/* Where a table's routes go: deduplicated into the list, counted. */
struct keeper {
	struct v6s_route_list *out;
	struct dedup *d;
	struct v6s_table_stats *st;
};

/* 0, or -1: out of memory. */
static int keep_route(void *arg, const struct v6s_route *r)
{
	struct keeper *k = arg;
	int added = add_unique(k->out, k->d, r);
	if (added < 0)
		return -1;
	if (!added) {
		k->st->duplicates++;
		return 0;
	}
	k->st->routes++;
	if (r->family == 4)
		k->st->routes4++;
	else
		k->st->routes6++;
	return 0;
}

static void keep_bad_record(void *arg, uint64_t record, const char *why)
{
	struct keeper *k = arg;
	note_bad(k->st, record, why);
}

int table_load_pfx2as(const char *path, struct v6s_route_list *out, struct v6s_table_stats *st,
		      char *err, size_t errlen)
{
	struct input src;
	FILE *in = open_input(&src, path, "--pfx2as", err, errlen) ? NULL : src.f;
	char *line = NULL, copy[96];
	size_t cap = 0, nris = 0, risroom = 0;
	struct dedup d = { 0 };
	struct risline *ris = NULL;
	int detected = 0, rc = -1;

	memset(st, 0, sizeof(*st));
	if (!in)
		return -1;
	/* a file's size bounds its lines (real tables average 20 bytes or more
	 * a line): size the list once, not by doubling */
	struct stat sb;
	int regular = !src.how && strcmp(path, "-") && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode);
	if (regular && sb.st_size > 0) {
		size_t guess = (size_t)sb.st_size / 16 + 16;
		if (reserve(out, out->n + guess)) {
			snprintf(err, errlen, "%s: out of memory for %zu routes", path, guess);
			fclose(in);
			return -1;
		}
	}
	if (out->n && dedup_build(&d, out)) {   /* routes already in the list: no order to rely on */
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(in);
		return -1;
	}
	__fsetlocking(in, FSETLOCKING_BYCALLER);        /* this thread alone reads it */
	struct keeper k = { out, &d, st };
	uint8_t head[12];
	size_t nhead = fread(head, 1, sizeof(head), in);
	if (mrt_detect(head, nhead)) {
		st->format = V6S_TABLE_MRT;
		char why[256];
		if (mrt_read(in, head, nhead, st, keep_route, keep_bad_record, &k, why, sizeof(why))) {
			snprintf(err, errlen, "%s: %s", path, why);
			goto done;
		}
		goto read;
	}
	if (rewind_input(&src, regular, head, nhead)) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto done;
	}
	in = src.f;
	while (getline(&line, &cap, in) > 0) {
		struct v6s_route r;
		enum line_result res;
		st->lines++;
		if (detected && table_fast_lines && (st->format == V6S_TABLE_PYASN || st->format == V6S_TABLE_CAIDA) &&
		    fast_route4(line, st->format, &r))
			goto route;
		chomp(line, st->lines);
		if (is_comment(line))
			continue;
		if (!detected) {
			char first[128];
			sscanf(line, "%127s", first);
			st->format = strchr(line, '|') ? V6S_TABLE_BGPDUMP
				   : pmacct_line(line) ? V6S_TABLE_PMACCT
				   : riswhois_line(line) ? V6S_TABLE_RISWHOIS
				   : strchr(first, '/') ? V6S_TABLE_PYASN : V6S_TABLE_CAIDA;
			detected = 1;
		}
		copy_line(copy, sizeof(copy), line);
		uint32_t peers = 0;
		res = st->format == V6S_TABLE_BGPDUMP ? parse_bgpdump(line, &r)
		    : st->format == V6S_TABLE_PYASN ? parse_pyasn(line, &r)
		    : st->format == V6S_TABLE_PMACCT ? parse_pmacct(line, &r)
		    : st->format == V6S_TABLE_RISWHOIS ? parse_riswhois(line, &r, &peers) : parse_caida(line, &r);
		if (res == LINE_BAD) {
			note_bad(st, st->lines, copy);
			continue;
		}
		if (res == LINE_IGNORED) {
			st->ignored++;
			continue;
		}
		if (r.len == 0 && (st->format == V6S_TABLE_BGPDUMP || st->format == V6S_TABLE_RISWHOIS)) {
			st->defaults++;         /* a peer's default route, not an origin's prefix */
			continue;
		}
		if (st->format == V6S_TABLE_RISWHOIS) {   /* kept when all of a prefix's origins are known */
			if (nris == risroom) {
				size_t room = risroom ? 2 * risroom : 65536;
				struct risline *nr = realloc(ris, room * sizeof(*ris));
				if (!nr) {
					snprintf(err, errlen, "%s: out of memory after %llu lines", path,
						 (unsigned long long)st->lines);
					goto done;
				}
				ris = nr;
				risroom = room;
			}
			ris[nris++] = (struct risline){ .r = r, .peers = peers, .line = st->lines };
			continue;
		}
route:
		if (keep_route(&k, &r)) {
			snprintf(err, errlen, "%s: out of memory after %llu routes", path,
				 (unsigned long long)st->routes);
			goto done;
		}
	}
read:
	if (read_failed(&src, path, st, err, errlen))
		goto done;
	if (nris) {
		qsort(ris, nris, sizeof(*ris), risline_cmp);
		for (size_t i = 0; i < nris; i++) {
			if (i && prefix_cmp(&ris[i - 1].r, &ris[i].r) == 0) {
				st->duplicates++;       /* another origin, seen by fewer peers */
				continue;
			}
			if (keep_route(&k, &ris[i].r)) {
				snprintf(err, errlen, "%s: out of memory after %llu routes", path,
					 (unsigned long long)st->routes);
				goto done;
			}
		}
	}
	/* a table after others may hold only prefixes they gave: it is read */
	if (st->routes + st->duplicates == 0 && st->format == V6S_TABLE_MRT) {
		snprintf(err, errlen, "%s: no routes in %llu MRT records (%llu not unicast RIB entries, %llu unusable, "
			 "%llu default routes)", path, (unsigned long long)st->lines, (unsigned long long)st->ignored,
			 (unsigned long long)st->skipped, (unsigned long long)st->defaults);
		goto done;
	}
	if (st->routes + st->duplicates == 0) {
		if (st->nbad)
			snprintf(err, errlen, "%s: no usable line in %llu (line %llu: \"%s\" is not a %s line)",
				 path, (unsigned long long)st->lines, (unsigned long long)st->bad[0].line,
				 st->bad[0].text, table_format_name(st->format));
		else
			snprintf(err, errlen, "%s: no routes in %llu lines", path, (unsigned long long)st->lines);
		goto done;
	}
	rc = 0;
done:
	free(line);
	free(ris);
	dedup_free(&d);
	fclose(src.f);          /* standard input stays open (text_open) */
	if (rc && out->n == 0)
		table_free(out);        /* the room reserved up front */
	return rc;
}

int table_load_prefixes(const char *path, struct v6s_route_list *out, char ***names, size_t *nnames,
			struct v6s_table_stats *st, char *err, size_t errlen)
{
	struct input src;
	FILE *in = open_input(&src, path, "--prefixes", err, errlen) ? NULL : src.f;
	char *line = NULL, copy[96];
	size_t cap = 0;
	struct dedup d = { 0 };
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->format = V6S_TABLE_PREFIXES;
	if (!in)
		return -1;
	if (dedup_build(&d, out))       /* the list may hold config prefixes already */
		goto oom;
	while (getline(&line, &cap, in) > 0) {
		struct v6s_route r;
		st->lines++;
		chomp(line, st->lines);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (is_comment(line))
			continue;
		copy_line(copy, sizeof(copy), line);
		const char *name;
		if (table_parse_named(line, &r, &name)) {
			note_bad(st, st->lines, copy);
			continue;
		}
		r.value = (uint32_t)*nnames;
		int added = add_unique(out, &d, &r);
		if (added < 0)
			goto oom;
		if (!added) {
			st->duplicates++;
			continue;
		}
		char text[64];
		table_format_prefix(&r, text, sizeof(text));
		char **nn = realloc(*names, (*nnames + 1) * sizeof(*nn));
		if (!nn)
			goto oom;
		*names = nn;
		nn[(*nnames)++] = strdup(name ? name : text);
		st->routes++;
		if (r.family == 4)
			st->routes4++;
		else
			st->routes6++;
	}
	if (read_failed(&src, path, st, err, errlen))
		goto done;
	if (st->routes + st->duplicates == 0 && st->nbad) {
		snprintf(err, errlen, "%s:%llu: \"%s\" is not \"prefix [name]\"", path,
			 (unsigned long long)st->bad[0].line, st->bad[0].text);
		goto done;
	}
	if (st->routes + st->duplicates == 0) {
		snprintf(err, errlen, "%s: no prefixes", path);
		goto done;
	}
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
done:
	free(line);
	dedup_free(&d);
	fclose(in);             /* standard input stays open (text_open) */
	return rc;
}

static int by_length(const void *a, const void *b)
{
	const struct v6s_route *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

void table_sort_by_length(struct v6s_route_list *l)
{
	if (l->n < 2)
		return;
	qsort(l->r, l->n, sizeof(l->r[0]), by_length);
}

/* ---- redundant routes ---- */

static int cmp_route_addr(const void *a, const void *b, void *base)
{
	const struct v6s_route *r = base;
	const struct v6s_route *x = &r[*(const uint32_t *)a], *y = &r[*(const uint32_t *)b];
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	int c = memcmp(x->addr, y->addr, 16);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static uint32_t ip4_of(const struct v6s_route *r)
{
	return (uint32_t)r->addr[0] << 24 | (uint32_t)r->addr[1] << 16 | (uint32_t)r->addr[2] << 8 | r->addr[3];
}

/* Sort n keys on their bits 26..63 (the index below them is unique and
 * already in order), in three LSD radix passes of 13 bits between k and
 * tmp. The sorted keys end up in tmp. */
static void radix_sort_keys(uint64_t *k, uint64_t *tmp, uint32_t n)
{
	for (unsigned shift = 26; shift < 64; shift += 13) {
		uint32_t count[1u << 13] = { 0 };
		for (uint32_t i = 0; i < n; i++)
			count[(k[i] >> shift) & 0x1fff]++;
		uint32_t sum = 0;
		for (unsigned b = 0; b < (1u << 13); b++) {
			uint32_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			tmp[count[(k[i] >> shift) & 0x1fff]++] = k[i];
		uint64_t *t = k;
		k = tmp;
		tmp = t;
	}
}

/* IPv4 routes' indices in address order, a parent before what it holds: an
 * LSD radix sort of address:length:index keys (qsort takes ten times as
 * long on a full table, and this runs before every build). */
static int order4(const struct v6s_route_list *l, uint32_t *idx, uint32_t n4)
{
	uint64_t *k = malloc(2 * (size_t)n4 * sizeof(*k));
	if (!k)
		return -1;
	uint64_t *tmp = k + n4;
	uint32_t j = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i].family == 4)
			k[j++] = (uint64_t)ip4_of(&l->r[i]) << 32 | (uint64_t)l->r[i].len << 26 | i;
	radix_sort_keys(k, tmp, n4);
	for (uint32_t i = 0; i < n4; i++)
		idx[i] = (uint32_t)(tmp[i] & ((1u << 26) - 1));
	free(k);
	return 0;
}

static int holds_route(const struct v6s_route *outer, const struct v6s_route *inner)
{
	if (outer->family == 4) {
		uint64_t a = ip4_of(outer), b = ip4_of(inner);
		return ((a ^ b) >> (32 - outer->len)) == 0;
	}
	unsigned full = outer->len / 8, rest = outer->len % 8;
	if (memcmp(outer->addr, inner->addr, full))
		return 0;
	return !rest || ((outer->addr[full] ^ inner->addr[full]) & (uint8_t)(0xff00u >> rest)) == 0;
}

long table_drop_redundant(struct v6s_route_list *l, uint32_t none_value)
{
	if (l->n == 0)
		return 0;
	if (l->n > UINT32_MAX)
		return -1;
	uint32_t *idx = malloc(l->n * sizeof(*idx));
	uint8_t *drop = calloc(l->n, 1);
	if (!idx || !drop) {
		free(idx);
		free(drop);
		return -1;
	}
	uint32_t n4 = 0, n = 0;
	for (size_t i = 0; i < l->n; i++)
		n4 += l->r[i].family == 4;
	if (l->n >= (1u << 26)) {       /* beyond the radix keys' index */
		for (size_t i = 0; i < l->n; i++)
			idx[i] = (uint32_t)i;
		qsort_r(idx, l->n, sizeof(*idx), cmp_route_addr, l->r);
	} else {
		if (n4 && order4(l, idx, n4)) {
			free(idx);
			free(drop);
			return -1;
		}
		uint32_t k = n4;
		for (size_t i = 0; i < l->n; i++)
			if (l->r[i].family != 4)
				idx[k++] = (uint32_t)i;
		if (k - n4 > 1)
			qsort_r(idx + n4, k - n4, sizeof(*idx), cmp_route_addr, l->r);
	}
	n = (uint32_t)l->n;

	/* one sweep in address order, with the chain of enclosing routes */
	uint32_t stack[130];
	unsigned depth = 0;
	long dropped = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct v6s_route *r = &l->r[idx[i]];
		if (i == n4)
			depth = 0;      /* the other family */
		while (depth && !holds_route(&l->r[stack[depth - 1]], r))
			depth--;
		uint32_t inherited = depth ? l->r[stack[depth - 1]].value : none_value;
		if (r->value == inherited) {
			drop[idx[i]] = 1;
			dropped++;
		}
		/* a dropped route still encloses: its value is the same */
		if (depth < 130)
			stack[depth++] = idx[i];
	}
	struct v6s_route *out = alloc_routes(l->n - (size_t)dropped + 1);
	if (!out) {
		free(idx);
		free(drop);
		return -1;
	}
	size_t w = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!drop[idx[i]])
			out[w++] = l->r[idx[i]];
	free(l->r);
	l->r = out;
	l->n = l->cap = w;
	free(idx);
	free(drop);
	return dropped;
}

/* ---- sibling routes ---- */

static int cmp_route_len_addr(const void *a, const void *b)
{
	const struct v6s_route *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

/* IPv4's sibling merge (as merge_family below), on 64-bit sort keys and
 * 8-byte entries: for a full table the 24-byte routes, gathered into
 * length order and copied level by level, cost three times as long (mostly
 * faulting in fresh memory). keys: 2 * n4; vals: n4, for the IPv4
 * routes' values in a small array the sorted keys index; up, next: scratch
 * of n4 entries each. Writes what is not merged
 * to out, longest first; returns how many. */
struct ent4 {
	uint32_t ip, value;
};

static size_t merge4(const struct v6s_route_list *l, uint32_t n4, uint64_t *k, uint32_t *vals, struct ent4 *up,
		     struct ent4 *next, struct v6s_route *out)
{
	uint64_t *tmp = k + n4;
	uint32_t j = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i].family == 4) {
			vals[j] = l->r[i].value;
			k[j] = (uint64_t)l->r[i].len << 58 | (uint64_t)ip4_of(&l->r[i]) << 26 | j;
			j++;
		}
	radix_sort_keys(k, tmp, n4);
	k = tmp;                        /* the sorted keys */
	size_t end = n4, nout = 0, nup = 0;
	for (int len = 32; len >= 0; len--) {
		size_t start = end;
		while (start > 0 && (unsigned)(k[start - 1] >> 58) == (unsigned)len)
			start--;
		uint32_t half = len ? 1u << (32 - len) : 0;
		size_t i = start, u = 0, nnext = 0;
		struct ent4 pend = { 0, 0 };
		int pending = 0;
		/* this length's routes and the parents made from the length below,
		 * in address order; a made parent replaces a route of its prefix */
		while (i < end || u < nup) {
			struct ent4 e;
			uint32_t rip = i < end ? (uint32_t)(k[i] >> 26) : 0;
			if (u == nup || (i < end && rip < up[u].ip)) {
				e.ip = rip;
				e.value = vals[k[i] & ((1u << 26) - 1)];
				i++;
			} else {
				e = up[u++];
				i += i < end && rip == e.ip;
			}
			if (pending && (pend.ip | half) == e.ip && pend.value == e.value) {
				next[nnext++] = pend;   /* the parent: the left half's address */
				pending = 0;
				continue;
			}
			if (pending)
				put4(&out[nout++], pend.ip, (unsigned)len, pend.value);
			pending = len && !(e.ip & half);
			if (pending)
				pend = e;
			else
				put4(&out[nout++], e.ip, (unsigned)len, e.value);
		}
		if (pending)
			put4(&out[nout++], pend.ip, (unsigned)len, pend.value);
		end = start;
		struct ent4 *t = up;
		up = next;
		next = t;
		nup = nnext;
	}
	return nout;
}

/* One family's routes, sorted by length then address, merged bottom up:
 * at each length, the routes of that length and the parents made from the
 * length below (a made parent replaces a route of the same prefix: its two
 * halves cover all it holds), then each pair of sibling halves with one
 * value becomes their parent. What is not merged goes to out, longest
 * first. lvl, up and next are scratch of n routes each. Returns the number
 * of routes written to out. */
static size_t merge_family(const struct v6s_route *r, size_t n, unsigned maxlen, struct v6s_route *out,
			   struct v6s_route *lvl, struct v6s_route *up, struct v6s_route *next)
{
	size_t end = n, nout = 0, nup = 0;
	for (int len = (int)maxlen; len >= 0; len--) {
		size_t start = end;
		while (start > 0 && r[start - 1].len == len)
			start--;
		/* this length's routes and the parents made from the length below, in address order */
		size_t i = start, j = 0, nl = 0;
		while (i < end || j < nup) {
			int c = i == end ? 1 : j == nup ? -1 : memcmp(r[i].addr, up[j].addr, 16);
			if (c < 0)
				lvl[nl++] = r[i++];
			else {
				lvl[nl++] = up[j++];
				i += c == 0;    /* the route the made parent replaces */
			}
		}
		end = start;
		if (len == 0) {
			memcpy(out + nout, lvl, nl * sizeof(*lvl));
			nout += nl;
			break;
		}
		unsigned byte = (unsigned)(len - 1) / 8;
		uint8_t bit = (uint8_t)(0x80u >> ((unsigned)(len - 1) % 8));
		size_t nnext = 0;
		for (size_t k = 0; k < nl; k++) {
			const struct v6s_route *a = &lvl[k], *b = k + 1 < nl ? &lvl[k + 1] : NULL;
			if (b && !(a->addr[byte] & bit) && a->value == b->value && b->addr[byte] == (a->addr[byte] | bit) &&
			    memcmp(a->addr, b->addr, byte) == 0 && memcmp(a->addr + byte + 1, b->addr + byte + 1, 15 - byte) == 0) {
				next[nnext] = *a;
				next[nnext++].len = (uint8_t)(len - 1);
				k++;
			} else
				out[nout++] = *a;
		}
		struct v6s_route *t = up;
		up = next;
		next = t;
		nup = nnext;
	}
	return nout;
}

long table_merge_siblings(struct v6s_route_list *l)
{
	if (l->n < 2)
		return 0;
	if (l->n >= (1u << 26))
		return 0;               /* beyond the sort key's index: keep everything */
	uint32_t n4 = 0;
	for (size_t i = 0; i < l->n; i++)
		n4 += l->r[i].family == 4;
	size_t n6 = l->n - n4;
	struct v6s_route *out = alloc_routes(l->n);
	uint64_t *k = malloc(2 * (size_t)n4 * sizeof(*k) + 1);
	uint32_t *vals = malloc((size_t)n4 * sizeof(*vals) + 1);
	struct ent4 *e4 = malloc(2 * (size_t)n4 * sizeof(*e4) + 1);
	struct v6s_route *r6 = malloc(4 * n6 * sizeof(*r6) + 1);
	if (!out || !k || !vals || !e4 || !r6) {
		free(out);
		free(k);
		free(vals);
		free(e4);
		free(r6);
		return -1;
	}
	size_t w = n4 ? merge4(l, n4, k, vals, e4, e4 + n4, out) : 0;
	free(k);
	free(vals);
	free(e4);
	size_t j = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i].family != 4)
			r6[j++] = l->r[i];
	qsort(r6, n6, sizeof(*r6), cmp_route_len_addr);
	w += merge_family(r6, n6, 128, out + w, r6 + n6, r6 + 2 * n6, r6 + 3 * n6);
	free(r6);
	long merged = (long)(l->n - w);
	free(l->r);
	l->r = out;
	l->n = w;
	l->cap = l->n;
	return merged;
}

void table_free(struct v6s_route_list *l)
{
	free(l->r);
	memset(l, 0, sizeof(*l));
}

const char *table_format_name(enum v6s_table_format f)
{
	static const char *const n[] = { "CAIDA pfx2as", "pyasn IPASN", "bgpdump -m", "prefix list", "MRT RIB dump",
					 "pmacct networks_file", "RIPE RISwhois dump" };
	return n[f];
}

void table_stats_add(struct v6s_table_stats *dst, const struct v6s_table_stats *src)
{
	dst->format = src->format;
	dst->lines += src->lines;
	dst->routes += src->routes;
	dst->routes4 += src->routes4;
	dst->routes6 += src->routes6;
	dst->duplicates += src->duplicates;
	dst->skipped += src->skipped;
	dst->ignored += src->ignored;
	dst->defaults += src->defaults;
	dst->nbad = src->nbad;
	memcpy(dst->bad, src->bad, sizeof(src->bad));
}

void table_describe(FILE *out, const char *path, const struct v6s_table_stats *st)
{
	fprintf(out, "v6share: %s (%s): %llu routes (IPv4 %llu, IPv6 %llu), %llu duplicates, %llu skipped",
		path, table_format_name(st->format), (unsigned long long)st->routes,
		(unsigned long long)st->routes4, (unsigned long long)st->routes6,
		(unsigned long long)st->duplicates, (unsigned long long)st->skipped);
	if (st->defaults)
		fprintf(out, ", %llu default route%s left out", (unsigned long long)st->defaults,
			st->defaults == 1 ? "" : "s");
	for (unsigned i = 0; i < st->nbad; i++)
		fprintf(out, "%s %s %llu: \"%s\"", i ? ";" : ":", st->format == V6S_TABLE_MRT ? "record" : "line",
			(unsigned long long)st->bad[i].line, st->bad[i].text);
	fputc('\n', out);
}
