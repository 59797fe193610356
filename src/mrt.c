/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "v6share/mrt.h"

#define MRT_HEADER 12
#define MRT_MAX_RECORD (16u << 20)      /* a RIB record of thousands of peers is well below */

enum {
	TABLE_DUMP = 12,
	TABLE_DUMP_V2 = 13,
	BGP4MP = 16,
	BGP4MP_ET = 17,
};

enum {                  /* TABLE_DUMP_V2 subtypes */
	PEER_INDEX_TABLE = 1,
	RIB_IPV4_UNICAST = 2,
	RIB_IPV6_UNICAST = 4,
	RIB_IPV4_UNICAST_ADDPATH = 8,
	RIB_IPV6_UNICAST_ADDPATH = 10,
};

enum { ATTR_AS_PATH = 2, ATTR_AS4_PATH = 17 };
enum { AS_SET = 1, AS_SEQUENCE = 2, AS_CONFED_SEQUENCE = 3, AS_CONFED_SET = 4 };

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t asn_at(const uint8_t *v, unsigned asn_size, unsigned i)
{
	return asn_size == 4 ? be32(v + (size_t)i * 4) : be16(v + (size_t)i * 2);
}

int mrt_detect(const uint8_t *head, size_t n)
{
	if (n < MRT_HEADER || head[4] != 0 || be32(head + 8) > MRT_MAX_RECORD)
		return 0;
	switch (head[5]) {
	case TABLE_DUMP:
		return be16(head + 6) == 1 || be16(head + 6) == 2;
	case TABLE_DUMP_V2:
		return be16(head + 6) >= 1 && be16(head + 6) <= 12;
	case BGP4MP:
	case BGP4MP_ET:         /* updates, not a table: read, so as to say so */
		return be16(head + 6) <= 11;
	default:
		return 0;
	}
}

/* The peers a TABLE_DUMP_V2 file's RIB entries refer to, by index. */
struct peers {
	uint32_t *as;
	uint16_t n;
};

struct cursor {
	const uint8_t *p, *end;
};

static int take(struct cursor *c, size_t n, const uint8_t **out)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	*out = c->p;
	c->p += n;
	return 0;
}

/* A path's origin: its last public AS (table_asn_public), a sequence read
 * from its end, a set from its first member; when it has none, its last
 * token as `bgpdump -m` prints it (the last AS of a sequence, the first of a
 * set or confederation segment). *ases counts ASes as RFC 6793 does (a set
 * is one, confederation segments none). 0, or -1: cut short. */
static int path_origin(const uint8_t *p, size_t len, unsigned asn_size, int *found, uint32_t *origin,
		       unsigned *ases)
{
	struct cursor c = { p, p + len };
	uint32_t any = 0, pub = 0;
	int have_pub = 0;
	*found = 0;
	*ases = 0;
	while (c.p < c.end) {
		const uint8_t *h, *v;
		if (take(&c, 2, &h) || take(&c, (size_t)h[1] * asn_size, &v))
			return -1;
		unsigned type = h[0], count = h[1];
		if (type < AS_SET || type > AS_CONFED_SET)
			return -1;
		if (count == 0)
			continue;
		int sequence = type == AS_SEQUENCE || type == AS_CONFED_SEQUENCE;
		any = asn_at(v, asn_size, type == AS_SEQUENCE ? count - 1 : 0);
		for (unsigned i = 0; i < count; i++) {
			uint32_t a = asn_at(v, asn_size, i);
			if (!table_asn_public(a))
				continue;
			pub = a;
			have_pub = 1;
			if (!sequence)
				break;          /* a set: its first public member */
		}
		*found = 1;
		*ases += type == AS_SEQUENCE ? count : type == AS_SET ? 1 : 0;
	}
	*origin = have_pub ? pub : any;
	return 0;
}

/* The origin from an entry's attributes, or the peer's AS when its path is
 * empty or absent. asn_size: AS_PATH's (4 in TABLE_DUMP_V2, 2 before).
 * NULL, or why the entry cannot be used. */
static const char *entry_origin(const uint8_t *attrs, size_t len, unsigned asn_size, uint32_t peer_as,
				int peer_known, uint32_t *origin)
{
	struct cursor c = { attrs, attrs + len };
	const uint8_t *path = NULL, *path4 = NULL;
	size_t plen = 0, plen4 = 0;
	while (c.p < c.end) {
		const uint8_t *h, *v;
		if (take(&c, 2, &h))
			return "attribute cut short";
		size_t alen;
		const uint8_t *l;
		if (take(&c, (h[0] & 0x10) ? 2 : 1, &l))
			return "attribute cut short";
		alen = (h[0] & 0x10) ? be16(l) : l[0];
		if (take(&c, alen, &v))
			return "attribute cut short";
		if (h[1] == ATTR_AS_PATH && !path) {
			path = v;
			plen = alen;
		} else if (h[1] == ATTR_AS4_PATH && !path4) {
			path4 = v;
			plen4 = alen;
		}
	}
	int found = 0, found4 = 0;
	unsigned ases = 0, ases4 = 0;
	uint32_t o = 0, o4 = 0;
	if (path && path_origin(path, plen, asn_size, &found, &o, &ases))
		return "AS_PATH not made of segments";
	/* RFC 6793 4.2.3: a two-byte path's AS4_PATH replaces its tail, unless
	 * it holds more ASes than the path (then it is ignored) */
	if (asn_size == 2 && path4 && path_origin(path4, plen4, 4, &found4, &o4, &ases4) == 0 && found4 &&
	    ases4 <= ases) {
		o = o4;
		found = 1;
	}
	if (found) {
		*origin = o;
		return NULL;
	}
	if (!peer_known)
		return "empty AS_PATH, and no peer index table for the peer's AS";
	*origin = peer_as;
	return NULL;
}

/* Host bits cleared, as every table's routes are. */
static void clear_host_bits(struct v6s_route *r)
{
	for (unsigned i = r->len / 8u; i < (r->family == 4 ? 4u : 16u); i++)
		r->addr[i] &= i == r->len / 8u ? (uint8_t)(0xff00u >> (r->len % 8u)) : 0;
}

static int read_prefix(struct cursor *c, int family, struct v6s_route *r)
{
	const uint8_t *l, *a;
	if (take(c, 1, &l) || *l > (family == 4 ? 32 : 128) || take(c, (*l + 7u) / 8u, &a))
		return -1;
	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	r->len = *l;
	memcpy(r->addr, a, (*l + 7u) / 8u);
	clear_host_bits(r);
	return 0;
}

static int peer_index(struct cursor *c, struct peers *pt)
{
	const uint8_t *h, *v;
	if (take(c, 6, &h) || take(c, be16(h + 4), &v) || take(c, 2, &h))
		return -1;
	uint16_t n = be16(h);
	uint32_t *as = calloc(n ? n : 1, sizeof(*as));
	if (!as)
		return -2;
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *t, *x;
		if (take(c, 1, &t) || take(c, 4 + ((*t & 1) ? 16 : 4), &x) || take(c, (*t & 2) ? 4 : 2, &x)) {
			free(as);
			return -1;
		}
		as[i] = (*t & 2) ? be32(x) : be16(x);
	}
	free(pt->as);
	pt->as = as;
	pt->n = n;
	return 0;
}

/* A TABLE_DUMP_V2 RIB record: the prefix and its first usable entry. */
static const char *rib_v2(struct cursor *c, int family, int addpath, const struct peers *pt,
			  struct v6s_route *r)
{
	const uint8_t *h;
	if (take(c, 4, &h) || read_prefix(c, family, r) || take(c, 2, &h))
		return "prefix cut short";
	unsigned entries = be16(h);
	const char *why = "no RIB entries";
	for (unsigned i = 0; i < entries; i++) {
		const uint8_t *e, *attrs;
		if (take(c, 6 + (addpath ? 4 : 0), &e) || take(c, 2, &h) || take(c, be16(h), &attrs))
			return "RIB entry cut short";
		uint16_t peer = be16(e);
		why = entry_origin(attrs, be16(h), 4, peer < pt->n ? pt->as[peer] : 0, peer < pt->n, &r->value);
		if (!why)
			return NULL;
	}
	return why;
}

/* A TABLE_DUMP record: one prefix, one peer's entry. */
static const char *rib_v1(struct cursor *c, int family, struct v6s_route *r)
{
	const uint8_t *h, *a, *attrs;
	size_t alen = family == 4 ? 4 : 16;
	if (take(c, 4, &h) || take(c, alen, &a) || take(c, 1, &h) || *h > (family == 4 ? 32 : 128))
		return "prefix cut short";
	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	r->len = *h;
	memcpy(r->addr, a, alen);
	clear_host_bits(r);
	const uint8_t *peer;
	if (take(c, 1 + 4 + alen, &h) || take(c, 2, &peer) || take(c, 2, &h) || take(c, be16(h), &attrs))
		return "RIB entry cut short";
	return entry_origin(attrs, be16(h), 2, be16(peer), 1, &r->value);
}

static int is_default(const struct v6s_route *r)
{
	return r->len == 0;
}

int mrt_read(FILE *in, const uint8_t *head, size_t nhead, struct v6s_table_stats *st, mrt_route_fn route,
	     mrt_bad_fn bad, void *arg, char *err, size_t errlen)
{
	struct peers pt = { NULL, 0 };
	size_t cap = 4096;
	uint8_t hdr[MRT_HEADER], *body = malloc(cap);
	int rc = 0;
	size_t have = nhead < MRT_HEADER ? nhead : MRT_HEADER;

	if (!body) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(hdr, head, have);
	for (;;) {
		have += fread(hdr + have, 1, MRT_HEADER - have, in);
		if (have == 0)
			break;
		st->lines++;
		if (have < MRT_HEADER) {
			bad(arg, st->lines, "record header cut short by the end of the file");
			break;
		}
		have = 0;
		uint32_t len = be32(hdr + 8);
		if (len > MRT_MAX_RECORD) {
			snprintf(err, errlen, "record %llu: length %u is not believable (beyond %u): not an MRT file, "
				 "or damaged", (unsigned long long)st->lines, len, MRT_MAX_RECORD);
			rc = -1;
			break;
		}
		if (len > cap) {
			uint8_t *b = realloc(body, len);
			if (!b) {
				snprintf(err, errlen, "out of memory for a record of %u bytes", len);
				rc = -1;
				break;
			}
			body = b;
			cap = len;
		}
		if (fread(body, 1, len, in) != len) {
			bad(arg, st->lines, "record cut short by the end of the file");
			break;
		}
		struct cursor c = { body, body + len };
		uint16_t type = be16(hdr + 4), sub = be16(hdr + 6);
		struct v6s_route r;
		const char *why;
		if (type == TABLE_DUMP_V2 && sub == PEER_INDEX_TABLE) {
			int p = peer_index(&c, &pt);
			if (p == -2) {
				snprintf(err, errlen, "out of memory for the peer index table");
				rc = -1;
				break;
			}
			if (p)
				bad(arg, st->lines, "peer index table cut short");
			else
				st->ignored++;
			continue;
		}
		if (type == TABLE_DUMP_V2 && (sub == RIB_IPV4_UNICAST || sub == RIB_IPV4_UNICAST_ADDPATH ||
					       sub == RIB_IPV6_UNICAST || sub == RIB_IPV6_UNICAST_ADDPATH))
			why = rib_v2(&c, sub == RIB_IPV4_UNICAST || sub == RIB_IPV4_UNICAST_ADDPATH ? 4 : 6,
				     sub >= RIB_IPV4_UNICAST_ADDPATH, &pt, &r);
		else if (type == TABLE_DUMP && (sub == 1 || sub == 2))
			why = rib_v1(&c, sub == 1 ? 4 : 6, &r);
		else {
			st->ignored++;  /* multicast, generic, updates, state changes */
			continue;
		}
		if (why) {
			bad(arg, st->lines, why);
			continue;
		}
		if (is_default(&r)) {
			st->defaults++;
			continue;
		}
		if (route(arg, &r)) {
			snprintf(err, errlen, "out of memory after %llu records", (unsigned long long)st->lines);
			rc = -1;
			break;
		}
	}
	free(body);
	free(pt.as);
	return rc;
}
