/* SPDX-License-Identifier: BSD-3-Clause */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "v6share/attr.h"

#define LOOKUP_MAX (2 * V6S_ATTR_MAX_BURST)     /* addresses per family per bulk lookup */

/* ---- registry ---- */

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

/* Index of asn, added if new; UINT32_MAX when the registry is full. */
static uint32_t reg_as_index(struct v6s_registry *r, uint32_t asn)
{
	if (asn == 0)
		return 0;
	uint32_t h = hash32(asn) & (r->as_slots - 1);
	while (r->as_slot[h]) {
		uint32_t i = r->as_slot[h] - 1;
		if (r->asn[i] == asn)
			return i;
		h = (h + 1) & (r->as_slots - 1);
	}
	uint32_t i = r->nas;
	if (i >= r->as_cap)
		return UINT32_MAX;
	r->asn[i] = asn;
	r->as_slot[h] = i + 1;
	__atomic_store_n(&r->nas, i + 1, __ATOMIC_RELEASE);
	return i;
}

static uint32_t reg_pfx_index(struct v6s_registry *r, const struct v6s_route *p, const char *name)
{
	for (uint32_t i = 1; i < r->npfx; i++)
		if (r->pfx[i].family == p->family && r->pfx[i].len == p->len &&
		    memcmp(r->pfx[i].addr, p->addr, 16) == 0 && strcmp(r->pfx_name[i], name) == 0)
			return i;
	if (r->npfx >= r->pfx_cap)
		return UINT32_MAX;
	uint32_t i = r->npfx;
	r->pfx[i] = *p;
	r->pfx_name[i] = strdup(name);
	__atomic_store_n(&r->npfx, i + 1, __ATOMIC_RELEASE);
	return i;
}

/* ---- lists ---- */

int attr_load_lists(const struct v6s_attr_source *src, struct v6s_attr_lists *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	if (src->npfx2as && !(l->as_file_stats = calloc(src->npfx2as, sizeof(*l->as_file_stats))))
		goto oom;
	for (size_t i = 0; i < src->npfx2as; i++) {
		struct v6s_table_stats *st = &l->as_file_stats[i];
		if (table_load_pfx2as(src->pfx2as[i], &l->as, st, err, errlen))
			goto fail;
		table_stats_add(&l->as_stats, st);
	}
	for (size_t i = 0; i < src->ncfg; i++) {
		struct v6s_route r = src->cfg_prefixes[i];
		r.value = (uint32_t)l->npfx_names;
		size_t before = l->pfx.n;
		if (table_add(&l->pfx, &r, &l->pfx_stats))
			goto oom;
		if (l->pfx.n == before)
			continue;
		char **nn = realloc(l->pfx_names, (l->npfx_names + 1) * sizeof(*nn));
		if (!nn)
			goto oom;
		l->pfx_names = nn;
		nn[l->npfx_names++] = strdup(src->cfg_names[i]);
	}
	if (src->prefixes) {
		struct v6s_table_stats st;
		if (table_load_prefixes(src->prefixes, &l->pfx, &l->pfx_names, &l->npfx_names, &st, err, errlen))
			goto fail;
		table_stats_add(&l->pfx_stats, &st);
		l->pfx_stats.lines = st.lines;          /* the file's: its bad lines are numbered in it */
	}
	l->pfx_stats.format = V6S_TABLE_PREFIXES;
	for (size_t i = 0; i < src->nsub; i++) {
		struct v6s_table_stats st;
		memset(&st, 0, sizeof(st));
		if (table_add(&l->sub, &src->subscribers[i], &st))
			goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory reading prefixes");
fail:
	attr_free_lists(l);
	return -1;
}

void attr_free_lists(struct v6s_attr_lists *l)
{
	table_free(&l->as);
	table_free(&l->pfx);
	table_free(&l->sub);
	for (size_t i = 0; i < l->npfx_names; i++)
		free(l->pfx_names[i]);
	free(l->pfx_names);
	l->pfx_names = NULL;
	l->npfx_names = 0;
	free(l->as_file_stats);
	l->as_file_stats = NULL;
}

/* ---- sizing ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* DIR-24-8: one tbl8 group per /24 that holds longer prefixes. */
static uint32_t tbl8_groups4(const struct v6s_route_list *l)
{
	uint32_t *k = malloc((l->n + 1) * sizeof(*k)), n = 0, groups = 0;
	if (!k)
		return 1u << 16;
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i].family == 4 && l->r[i].len > 24)
			k[n++] = (uint32_t)l->r[i].addr[0] << 16 | (uint32_t)l->r[i].addr[1] << 8 | l->r[i].addr[2];
	if (n > 1)
		qsort(k, n, sizeof(*k), cmp_u32);
	for (uint32_t i = 0; i < n; i++)
		groups += i == 0 || k[i] != k[i - 1];
	free(k);
	return groups;
}

/* Trie: before each add of a route longer than /24, rte_fib6 reserves one
 * tbl8 group per byte level between the route's covering parent (at least
 * /24) and the route itself, and refuses the add (ENOSPC) when the groups
 * run out. Counting every level from /24 down for every route bounds that
 * reservation whatever the parents are. */
static uint32_t tbl8_groups6(const struct v6s_route_list *l)
{
	uint64_t groups = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i].family == 6 && l->r[i].len > 24)
			groups += ((l->r[i].len + 7u) / 8u * 8u - 24u) / 8u;
	return groups > (1u << 24) ? 1u << 24 : (uint32_t)groups;
}

static void family_counts(const struct v6s_route_list *l, uint32_t *n4, uint32_t *n6)
{
	*n4 = *n6 = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->r[i].family == 4)
			(*n4)++;
		else
			(*n6)++;
	}
}

/* DPDK 22.11: tbl24 of 4-byte entries 64 MiB, a tbl8 group 1 KiB; the route
 * tree up to 2 nodes a route, each 64 (IPv4) or 80 (IPv6) bytes in its
 * packed pool (see rte_mempool_create below) plus two ring slots of 8 bytes
 * rounded to a power of two: at most 192 bytes a route. The real 2015 table
 * measured 303 MiB in all, against 324 MiB estimated. */
#define TBL24_BYTES ((size_t)4 << 24)
#define TBL8_BYTES 1024u
#define RIB_BYTES_PER_ROUTE 192u

static size_t fib_bytes(uint32_t routes, uint32_t groups)
{
	return routes ? TBL24_BYTES + (size_t)groups * TBL8_BYTES + (size_t)routes * RIB_BYTES_PER_ROUTE : 0;
}

static uint32_t tbl8_margin(uint32_t g)
{
	return g + g / 8 + 64;
}

size_t attr_estimate_bytes(const struct v6s_attr_lists *l)
{
	/* one FIB a family over all three lists (attr_install): the merged list
	 * holds at most their routes and tbl8 groups together */
	uint32_t a4, a6, p4, p6, s4, s6;
	family_counts(&l->as, &a4, &a6);
	family_counts(&l->pfx, &p4, &p6);
	family_counts(&l->sub, &s4, &s6);
	uint32_t g4 = tbl8_groups4(&l->as) + tbl8_groups4(&l->pfx) + tbl8_groups4(&l->sub);
	uint32_t g6 = tbl8_groups6(&l->as) + tbl8_groups6(&l->pfx) + tbl8_groups6(&l->sub);
	size_t combos = l->pfx.n || l->sub.n ? (l->as.n + l->pfx.n + l->sub.n + 1) * sizeof(struct v6s_combo) : 0;
	return fib_bytes(a4 + p4 + s4, tbl8_margin(g4)) + fib_bytes(a6 + p6 + s6, tbl8_margin(g6)) + combos;
}

/* ---- merging the three lists ----
 * Named prefixes and subscriber prefixes used to have FIBs of their own, so
 * a packet took six lookups, each a trip to a 64 MiB first level; with them
 * configured the whole path ran at half speed. One FIB a family now holds
 * the union of the three lists. An address's longest match in the union, u,
 * answers for all three: any prefix of a list that holds the address and is
 * longer than u would be in the union, so each list's longest match for the
 * address is its longest prefix holding u. That triple (AS, named prefix,
 * subscriber segment) is computed once per union prefix, in one sweep over
 * the prefixes in address order (a parent sorts before what it holds), and
 * the FIB's next hop is the triple's index in a table of distinct triples. */

struct tagged {
	uint8_t addr[16];
	uint8_t len, family, list;      /* list: 0 AS, 1 named prefix, 2 subscriber */
	uint32_t value, seq;
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	int c = memcmp(x->addr, y->addr, 16);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int holds(const uint8_t *outer, unsigned olen, const uint8_t *inner)
{
	unsigned full = olen / 8, rest = olen % 8;
	if (memcmp(outer, inner, full))
		return 0;
	return !rest || ((outer[full] ^ inner[full]) & (uint8_t)(0xff00u >> rest)) == 0;
}

struct combo_set {
	struct v6s_combo *c;
	uint32_t n, *slot, mask;        /* slot: index + 1, 0 = empty */
};

static uint32_t combo_add(struct combo_set *s, const struct v6s_combo *k)
{
	uint32_t h = hash32(k->as ^ hash32(k->pfx ^ (uint32_t)k->sub << 24)) & s->mask;
	while (s->slot[h]) {
		const struct v6s_combo *e = &s->c[s->slot[h] - 1];
		if (e->as == k->as && e->pfx == k->pfx && e->sub == k->sub)
			return s->slot[h] - 1;
		h = (h + 1) & s->mask;
	}
	s->c[s->n] = *k;
	s->slot[h] = ++s->n;
	return s->n - 1;
}

/* The union of the three lists (values are registry indices, or segment + 1)
 * into u, each route's value the index of its triple in *combo. -1: no memory. */
static int merge_lists(const struct v6s_attr_lists *l, struct v6s_route_list *u, struct v6s_combo **combo)
{
	const struct v6s_route_list *src[3] = { &l->as, &l->pfx, &l->sub };
	size_t n = l->as.n + l->pfx.n + l->sub.n, k = 0;
	struct tagged *t = malloc((n + 1) * sizeof(*t));
	struct combo_set cs = { 0 };
	uint32_t slots = 1024;
	while (slots < 2 * (n + 1))
		slots *= 2;
	cs.c = malloc((n + 1) * sizeof(*cs.c));
	cs.slot = calloc(slots, sizeof(*cs.slot));
	cs.mask = slots - 1;
	memset(u, 0, sizeof(*u));
	u->r = malloc((n + 1) * sizeof(*u->r));
	if (!t || !cs.c || !cs.slot || !u->r)
		goto oom;
	u->cap = n + 1;
	for (unsigned li = 0; li < 3; li++)
		for (size_t i = 0; i < src[li]->n; i++, k++) {
			const struct v6s_route *r = &src[li]->r[i];
			/* the order and the containment test need every bit past the
			 * length clear, whatever the list's loader left there */
			memset(t[k].addr, 0, 16);
			for (unsigned bit = 0; bit < r->len && bit < 128; bit += 8) {
				unsigned keep = r->len - bit >= 8 ? 8 : r->len - bit;
				t[k].addr[bit / 8] = (uint8_t)(r->addr[bit / 8] & (0xff00u >> keep));
			}
			t[k].len = r->len;
			t[k].family = r->family;
			t[k].list = (uint8_t)li;
			t[k].value = r->value;
			t[k].seq = (uint32_t)k;
		}
	qsort(t, n, sizeof(*t), cmp_tagged);

	struct v6s_combo none = { 0, 0, 0 };
	combo_add(&cs, &none);                  /* index 0: no route, as the FIBs' default */
	struct { const struct tagged *p; struct v6s_combo v; } stack[130];
	unsigned depth = 0;
	for (size_t i = 0; i < n;) {
		const struct tagged *p = &t[i];
		if (i == 0 || p->family != t[i - 1].family)
			depth = 0;
		while (depth && !holds(stack[depth - 1].p->addr, stack[depth - 1].p->len, p->addr))
			depth--;
		struct v6s_combo v = depth ? stack[depth - 1].v : none;
		int set[3] = { 0, 0, 0 };
		for (; i < n && t[i].family == p->family && t[i].len == p->len && !memcmp(t[i].addr, p->addr, 16);
		     i++) {
			if (set[t[i].list]++)
				continue;               /* the same prefix again in one list: the first stands */
			if (t[i].list == 0)
				v.as = t[i].value;
			else if (t[i].list == 1)
				v.pfx = t[i].value;
			else
				v.sub = (uint8_t)t[i].value;
		}
		stack[depth].p = p;
		stack[depth].v = v;
		depth++;
		struct v6s_route *r = &u->r[u->n++];
		memcpy(r->addr, p->addr, 16);
		r->len = p->len;
		r->family = p->family;
		r->value = combo_add(&cs, &v);
	}
	free(t);
	free(cs.slot);
	*combo = cs.c;
	return 0;
oom:
	free(t);
	free(cs.c);
	free(cs.slot);
	table_free(u);
	return -1;
}

/* ---- building ---- */

/* Every FIB keeps a route tree (rte_rib) whose nodes come from a mempool
 * created with default flags, and each 40-byte node then occupies 192 bytes:
 * a cache-aligned header, and padding that spreads objects over memory
 * channels. For the real table's 1.2 million IPv4 nodes that is 233 MiB, all
 * written when the pool is created. The trees are walked only while routes
 * are added or removed, never by a lookup, so the pools of v6share's own
 * tables (named "MP_" and the table's name, as rte_rib names them) pack
 * their nodes: 64 bytes each. Every other pool is created as asked. */
#define TABLE_POOL_PREFIX "MP_v6s_"

struct rte_mempool *rte_mempool_create(const char *name, unsigned n, unsigned elt_size, unsigned cache_size,
				       unsigned private_data_size, rte_mempool_ctor_t *mp_init, void *mp_init_arg,
				       rte_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket_id, unsigned flags)
{
	typedef struct rte_mempool *create_fn(const char *, unsigned, unsigned, unsigned, unsigned,
					     rte_mempool_ctor_t *, void *, rte_mempool_obj_cb_t *, void *, int,
					     unsigned);
	static create_fn *real;         /* the two families' tables are built on two threads */
	create_fn *fn = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	if (!fn) {
		fn = (create_fn *)dlsym(RTLD_NEXT, "rte_mempool_create");
		__atomic_store_n(&real, fn, __ATOMIC_RELEASE);
	}
	if (!fn) {
		rte_errno = ENOSYS;
		return NULL;
	}
	if (name && strncmp(name, TABLE_POOL_PREFIX, strlen(TABLE_POOL_PREFIX)) == 0)
		flags |= RTE_MEMPOOL_F_NO_SPREAD | RTE_MEMPOOL_F_NO_CACHE_ALIGN;
	return fn(name, n, elt_size, cache_size, private_data_size, mp_init, mp_init_arg, obj_init, obj_init_arg,
		  socket_id, flags);
}

/* Routes of one family in address order, each prefix before its
 * more-specifics, each route's value its next hop. That order matters:
 * DPDK 22.11's rte_fib and rte_fib6 corrupt unrelated entries when a
 * covering prefix is added after some of its more-specifics (see the
 * regression test in tests/unit/test_attr.c). */
static struct rte_fib *create4(const char *name, const struct v6s_route_list *l, char *err, size_t errlen)
{
	uint32_t n4, n6;
	family_counts(l, &n4, &n6);
	if (!n4)
		return NULL;
	struct rte_fib_conf conf = {
		.type = RTE_FIB_DIR24_8, .default_nh = 0, .max_routes = (int)n4 + 1,
		.dir24_8 = { .nh_sz = RTE_FIB_DIR24_8_4B, .num_tbl8 = tbl8_margin(tbl8_groups4(l)) },
	};
	struct rte_fib *fib = rte_fib_create(name, SOCKET_ID_ANY, &conf);
	if (!fib)
		snprintf(err, errlen, "cannot create IPv4 table %s (%u routes): %s", name, n4, rte_strerror(rte_errno));
	return fib;
}

/* fib: from create4, freed on error */
static struct rte_fib *fill4(struct rte_fib *fib, const char *name, const struct v6s_route_list *l, char *err,
			     size_t errlen)
{
	if (!fib)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct v6s_route *r = &l->r[i];
		if (r->family != 4)
			continue;
		uint32_t ip = (uint32_t)r->addr[0] << 24 | (uint32_t)r->addr[1] << 16 | (uint32_t)r->addr[2] << 8 | r->addr[3];
		int rc = rte_fib_add(fib, ip, r->len, r->value);
		if (rc) {
			char p[64];
			table_format_prefix(r, p, sizeof(p));
			snprintf(err, errlen, "cannot add %s to table %s: %s", p, name, rte_strerror(-rc));
			rte_fib_free(fib);
			return NULL;
		}
	}
	return fib;
}

static struct rte_fib6 *build6(const char *name, const struct v6s_route_list *l, char *err, size_t errlen)
{
	uint32_t n4, n6;
	family_counts(l, &n4, &n6);
	if (!n6)
		return NULL;
	struct rte_fib6_conf conf = {
		.type = RTE_FIB6_TRIE, .default_nh = 0, .max_routes = (int)n6 + 1,
		.trie = { .nh_sz = RTE_FIB6_TRIE_4B, .num_tbl8 = tbl8_margin(tbl8_groups6(l)) },
	};
	struct rte_fib6 *fib = rte_fib6_create(name, SOCKET_ID_ANY, &conf);
	if (!fib) {
		snprintf(err, errlen, "cannot create IPv6 table %s (%u routes): %s", name, n6, rte_strerror(rte_errno));
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct v6s_route *r = &l->r[i];
		if (r->family != 6)
			continue;
		int rc = rte_fib6_add(fib, r->addr, r->len, r->value);
		if (rc) {
			char p[64];
			table_format_prefix(r, p, sizeof(p));
			snprintf(err, errlen, "cannot add %s to table %s: %s", p, name, rte_strerror(-rc));
			rte_fib6_free(fib);
			return NULL;
		}
	}
	return fib;
}

/* ---- where the first levels are ----
 * Both FIB types start every lookup at a first level of 2^24 four-byte
 * entries (next hop << 1, or a tbl8 group << 1 | 1), indexed by an
 * address's top 24 bits. DPDK keeps it inside its table's data-plane
 * struct, after a header, on a cache-line boundary, and does not export
 * where: which boundary is found by checking sampled routes' entries
 * against real lookups. A prefetch of a wrong address does no harm, but
 * gains nothing either, so if no boundary checks out there is none. */
#define FIRST_LEVEL_MAX_OFFSET 512
#define FIRST_LEVEL_SAMPLES 4096

static uint32_t first_index(const struct v6s_route *r)
{
	return (uint32_t)r->addr[0] << 16 | (uint32_t)r->addr[1] << 8 | r->addr[2];
}

/* 1 when base's entries agree with the table's lookups of the sampled routes. */
static int first_level_agrees(const uint32_t *base, const uint32_t *idx, const uint64_t *nh, unsigned n)
{
	unsigned strong = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t e = base[idx[i]];
		if (e & 1)
			continue;               /* a tbl8 group: longer routes in this /24 */
		if (e >> 1 != nh[i])
			return 0;
		strong += nh[i] != 0;
	}
	return strong > 0;
}

static const uint32_t *find_first_level(const void *dp, const struct v6s_route_list *l, int family,
					 struct rte_fib *fib4, struct rte_fib6 *fib6)
{
	uint32_t *idx = malloc(FIRST_LEVEL_SAMPLES * sizeof(*idx));
	uint64_t *nh = malloc(FIRST_LEVEL_SAMPLES * sizeof(*nh));
	uint32_t *ip4 = malloc(FIRST_LEVEL_SAMPLES * sizeof(*ip4));
	uint8_t (*ip6)[RTE_FIB6_IPV6_ADDR_SIZE] = malloc(FIRST_LEVEL_SAMPLES * sizeof(*ip6));
	const uint32_t *found = NULL;
	unsigned n = 0;
	size_t fam = 0;

	if (!dp || !idx || !nh || !ip4 || !ip6)
		goto out;
	for (size_t i = 0; i < l->n; i++)
		fam += l->r[i].family == family;
	size_t step = fam / FIRST_LEVEL_SAMPLES + 1;
	for (size_t i = 0, k = 0; i < l->n && n < FIRST_LEVEL_SAMPLES; i++) {
		const struct v6s_route *r = &l->r[i];
		if (r->family != family || k++ % step)
			continue;
		idx[n] = first_index(r);
		if (idx[n] >= (1u << 24) - FIRST_LEVEL_MAX_OFFSET / 4)
			continue;               /* a later boundary would read past the level's end */
		ip4[n] = (uint32_t)r->addr[0] << 24 | idx[n] << 8 | r->addr[3];
		memcpy(ip6[n], r->addr, RTE_FIB6_IPV6_ADDR_SIZE);
		n++;
	}
	if (n == 0 || (family == 4 ? rte_fib_lookup_bulk(fib4, ip4, nh, (int)n)
				   : rte_fib6_lookup_bulk(fib6, ip6, nh, (int)n)))
		goto out;
	for (size_t off = RTE_CACHE_LINE_SIZE; off <= FIRST_LEVEL_MAX_OFFSET && !found; off += RTE_CACHE_LINE_SIZE) {
		const uint32_t *base = (const uint32_t *)(const void *)((const uint8_t *)dp + off);
		if (first_level_agrees(base, idx, nh, n))
			found = base;
	}
out:
	free(idx);
	free(nh);
	free(ip4);
	free(ip6);
	return found;
}

/* The IPv6 table is built on a thread of its own while the calling thread
 * builds the IPv4 one: most of either build is writing freshly mapped
 * memory (a 64 MiB first level each, the route trees' node pools), and the
 * offline meter's reading thread is idle by then. */
struct build6_job {
	char name[RTE_MEMZONE_NAMESIZE];
	const struct v6s_route_list *routes;
	struct rte_fib6 *fib;
	char err[512];
};

static void *build6_main(void *arg)
{
	struct build6_job *j = arg;

	j->err[0] = '\0';
	j->fib = build6(j->name, j->routes, j->err, sizeof(j->err));
	return NULL;
}

static void free_tables(struct v6s_attr_tables *t)
{
	if (!t)
		return;
	rte_fib_free(t->fib4);
	rte_fib6_free(t->fib6);
	free(t->combo);
	free(t->pfx_ids);
	free(t);
}

int attr_init(struct v6s_attr *a, const struct v6s_attr_source *src, uint32_t as_cap, uint32_t pfx_cap,
	      unsigned max_readers, char *err, size_t errlen)
{
	struct v6s_registry *r = &a->reg;

	memset(a, 0, sizeof(*a));
	a->src = *src;
	a->max_readers = max_readers ? max_readers : 1;
	r->as_cap = as_cap < 2 ? 2 : as_cap;
	r->pfx_cap = pfx_cap < 2 ? 2 : pfx_cap;
	for (r->as_slots = 1024; r->as_slots < 2 * r->as_cap; r->as_slots *= 2)
		;
	r->asn = calloc(r->as_cap, sizeof(*r->asn));
	r->as_slot = calloc(r->as_slots, sizeof(*r->as_slot));
	r->pfx = calloc(r->pfx_cap, sizeof(*r->pfx));
	r->pfx_name = calloc(r->pfx_cap, sizeof(*r->pfx_name));
	r->pfx_active = calloc(r->pfx_cap, 1);
	size_t qsz = rte_rcu_qsbr_get_memsize(a->max_readers);
	a->qs = rte_zmalloc("v6s_rcu", qsz, RTE_CACHE_LINE_SIZE);
	if (!r->asn || !r->as_slot || !r->pfx || !r->pfx_name || !r->pfx_active || !a->qs) {
		snprintf(err, errlen, "out of memory for %u AS and %u prefix entries", r->as_cap, r->pfx_cap);
		attr_fini(a);
		return -1;
	}
	rte_rcu_qsbr_init(a->qs, a->max_readers);
	r->nas = 1;                     /* index 0: AS 0, no covering prefix */
	r->npfx = 1;                    /* index 0: no named prefix */
	r->pfx_name[0] = strdup("");
	return 0;
}

/* The routes the FIBs hold: every two sibling halves with one value merged
 * into their prefix, then every route that answers as its encloser does
 * dropped, the rest in address order with each prefix before its
 * more-specifics. Longest-prefix answers stay the same for every address;
 * on the 2015 table 357,539 IPv4 routes are left of 606,138 by dropping
 * alone, 230,539 with merging too, and the IPv4 build takes that much less
 * (index 0 is the FIBs' default, AS 0 / no triple).
 * Address order is one of the two orders DPDK 22.11's tables can be built
 * in (when a prefix is added, nothing under it is there yet; shortest first
 * is the other), and the cheaper one: each insert walks down the route
 * tree where the one before it did, and writes the first level next to it.
 * On the 2015 table an offline run over 2M frames took 0.03 s (a tenth)
 * and 40-50 ms of CPU less than with shortest first. */
static int fib_routes(struct v6s_route_list *l)
{
	return table_merge_siblings(l) < 0 || table_drop_redundant(l, 0) < 0 ? -1 : 0;
}

int attr_prepare_as(struct v6s_attr_lists *l)
{
	if (fib_routes(&l->as))
		return -1;
	l->as_ready = 1;
	return 0;
}

int attr_install(struct v6s_attr *a, struct v6s_attr_lists *l, char *err, size_t errlen)
{
	struct v6s_attr_tables *t = calloc(1, sizeof(*t));
	struct v6s_route_list merged = { 0 };
	char name[RTE_MEMZONE_NAMESIZE];
	int rc = -1;

	if (!t) {
		snprintf(err, errlen, "out of memory building tables");
		goto out;
	}
	t->gen = ++a->gen;
	t->as_stats = l->as_stats;
	t->pfx_stats = l->pfx_stats;

	/* named prefixes, in list order, before sorting */
	t->pfx_ids = calloc(l->pfx.n + 1, sizeof(*t->pfx_ids));
	if (!t->pfx_ids)
		goto oom;
	for (size_t i = 0; i < l->pfx.n; i++) {
		uint32_t id = reg_pfx_index(&a->reg, &l->pfx.r[i], l->pfx_names[l->pfx.r[i].value]);
		if (id == UINT32_MAX) {
			snprintf(err, errlen, "more than %u named prefixes since start; restart to grow",
				 a->reg.pfx_cap - 1);
			goto out;
		}
		t->pfx_ids[t->npfx++] = id;
		l->pfx.r[i].value = id;
	}
	for (size_t i = 0; i < l->as.n; i++) {
		uint32_t id = reg_as_index(&a->reg, l->as.r[i].value);
		if (id == UINT32_MAX) {
			snprintf(err, errlen, "more than %u distinct ASes since start; restart to grow",
				 a->reg.as_cap - 1);
			goto out;
		}
		l->as.r[i].value = id;
	}
	/* with named or subscriber prefixes, one table over all three lists */
	struct v6s_route_list *routes = &l->as;
	if (l->pfx.n || l->sub.n) {
		if (merge_lists(l, &merged, &t->combo))
			goto oom;
		routes = &merged;
	}
	if (!(routes == &l->as && l->as_ready) && fib_routes(routes))
		goto oom;
	family_counts(routes, &t->fib_routes4, &t->fib_routes6);

	struct rte_malloc_socket_stats before, after;
	rte_malloc_get_socket_stats(rte_socket_id(), &before);
	err[0] = '\0';
	struct build6_job j6 = { .routes = routes };
	pthread_t th6;
	snprintf(j6.name, sizeof(j6.name), "v6s_ip6_%u", t->gen);
	/* rte_fib_create and rte_fib6_create each hold DPDK's tailq lock while
	 * they allocate their 64 MiB first level, and the other spins on it:
	 * the IPv6 table starts once the IPv4 one is created */
	snprintf(name, sizeof(name), "v6s_ip4_%u", t->gen);
	struct rte_fib *fib4 = create4(name, routes, err, errlen);
	int apart = pthread_create(&th6, NULL, build6_main, &j6) == 0;
	if (!apart)
		build6_main(&j6);
	t->fib4 = fill4(fib4, name, routes, err, errlen);
	if (apart)
		pthread_join(th6, NULL);
	t->fib6 = j6.fib;
	if (!err[0] && j6.err[0])
		snprintf(err, errlen, "%s", j6.err);
	if (err[0])
		goto out;
	rte_malloc_get_socket_stats(rte_socket_id(), &after);
	t->mem_bytes = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
	if (t->fib4)
		t->first4 = find_first_level(rte_fib_get_dp(t->fib4), routes, 4, t->fib4, NULL);
	if (t->fib6)
		t->first6 = find_first_level(rte_fib6_get_dp(t->fib6), routes, 6, NULL, t->fib6);

	/* publish; the old tables go once every reader has moved past them */
	for (uint32_t i = 0; i < a->reg.pfx_cap; i++)
		__atomic_store_n(&a->reg.pfx_active[i], 0, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < t->npfx; i++)
		__atomic_store_n(&a->reg.pfx_active[t->pfx_ids[i]], 1, __ATOMIC_RELAXED);
	struct v6s_attr_tables *old = __atomic_exchange_n(&a->current, t, __ATOMIC_ACQ_REL);
	if (old && a->on_publish)
		a->on_publish(t, a->on_publish_arg);
	t = NULL;
	if (old) {
		rte_rcu_qsbr_synchronize(a->qs, RTE_QSBR_THRID_INVALID);
		free_tables(old);
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory building tables");
out:
	table_free(&merged);
	free_tables(t);
	return rc;
}

int attr_reload(struct v6s_attr *a, char *err, size_t errlen)
{
	struct v6s_attr_lists l;
	if (attr_load_lists(&a->src, &l, err, errlen))
		return -1;
	int rc = attr_install(a, &l, err, errlen);
	attr_free_lists(&l);
	return rc;
}

void attr_fini(struct v6s_attr *a)
{
	free_tables(a->current);
	a->current = NULL;
	for (uint32_t i = 0; i < a->reg.npfx && a->reg.pfx_name; i++)
		free(a->reg.pfx_name[i]);
	free(a->reg.asn);
	free(a->reg.as_slot);
	free(a->reg.pfx);
	free(a->reg.pfx_name);
	free(a->reg.pfx_active);
	rte_free(a->qs);
	memset(a, 0, sizeof(*a));
}

void attr_leave_tables(struct v6s_attr *a)
{
	struct v6s_attr_tables *t = a->current;
	if (t) {
		free(t->combo);
		free(t->pfx_ids);
		free(t);
		a->current = NULL;
	}
}

/* Distinct origin ASes, in an open-addressing set kept under half full (it
 * stays in cache for any real table). qsort of every route's AS took 57 ms
 * for the real table, on the table builder's path; this takes a few. */
static int asn_set_add(uint32_t *set, uint32_t mask, uint32_t asn)
{
	uint32_t key = asn + 1;                 /* 0 marks an empty slot */
	for (uint32_t h = (key * 2654435761u) & mask;; h = (h + 1) & mask) {
		if (set[h] == key)
			return 0;
		if (set[h] == 0) {
			set[h] = key;
			return 1;
		}
	}
}

uint32_t attr_distinct_asns(const struct v6s_attr_lists *l)
{
	uint32_t slots = 1u << 16, n = 0, top = 0;     /* top: AS 4294967295 seen (it has no key) */
	uint32_t *set = calloc(slots, sizeof(*set));

	for (size_t i = 0; set && i < l->as.n; i++) {
		if (l->as.r[i].value == UINT32_MAX) {
			top = 1;
			continue;
		}
		n += (uint32_t)asn_set_add(set, slots - 1, l->as.r[i].value);
		if (n <= slots / 2)
			continue;
		uint32_t *big = calloc(2 * (size_t)slots, sizeof(*big));
		if (big)
			for (uint32_t k = 0; k < slots; k++)
				if (set[k])
					asn_set_add(big, 2 * slots - 1, set[k] - 1);
		free(set);
		set = big;
		slots *= 2;
	}
	if (!set)
		return (uint32_t)l->as.n;       /* out of memory: an upper bound serves as well */
	free(set);
	return n + top;
}

void attr_reader_online(struct v6s_attr *a, unsigned tid)
{
	rte_rcu_qsbr_thread_register(a->qs, tid);
	rte_rcu_qsbr_thread_online(a->qs, tid);
}

void attr_reader_quiescent(struct v6s_attr *a, unsigned tid)
{
	rte_rcu_qsbr_quiescent(a->qs, tid);
}

void attr_reader_offline(struct v6s_attr *a, unsigned tid)
{
	rte_rcu_qsbr_thread_offline(a->qs, tid);
	rte_rcu_qsbr_thread_unregister(a->qs, tid);
}

/* ---- the hot path ---- */

static inline uint32_t host32(uint32_t be)
{
	return __builtin_bswap32(be);
}

static inline void set_from_combo(struct v6s_facts *f, unsigned d, const struct v6s_combo *c)
{
	f->as_idx[d] = c->as;
	f->pfx_idx[d] = c->pfx;
	f->sub_seg[d] = c->sub;
}

void attr_lookup_burst(const struct v6s_attr_tables *t, struct v6s_facts *f, unsigned n)
{
	uint32_t ip4[LOOKUP_MAX];
	uint8_t ip6[LOOKUP_MAX][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t nh4[LOOKUP_MAX], nh6[LOOKUP_MAX];
	uint8_t at4[LOOKUP_MAX / 2], at6[LOOKUP_MAX / 2];
	unsigned n4 = 0, n6 = 0;

	if (!t || n > LOOKUP_MAX / 2)
		return;
	/* IPv4 and IPv6 arrive in no predictable order: every packet's addresses
	 * are written to both lists, and only its own family's count moves on
	 * (no branch to mispredict; the next packet overwrites the other). */
	for (unsigned i = 0; i < n; i++) {
		ip4[2 * n4] = host32(f[i].addr.v4[0]);
		ip4[2 * n4 + 1] = host32(f[i].addr.v4[1]);
		at4[n4] = (uint8_t)i;
		memcpy(ip6[2 * n6], f[i].addr.v6, 32);
		at6[n6] = (uint8_t)i;
		n4 += f[i].cls == V6S_CLASS_IPV4;
		n6 += f[i].cls == V6S_CLASS_IPV6;
	}
	if (n4 && t->fib4)
		rte_fib_lookup_bulk(t->fib4, ip4, nh4, (int)(2 * n4));
	if (n6 && t->fib6)
		rte_fib6_lookup_bulk(t->fib6, ip6, nh6, (int)(2 * n6));
	n4 = t->fib4 ? n4 : 0;
	n6 = t->fib6 ? n6 : 0;
	if (!t->combo) {                        /* next hop = the AS's registry index */
		for (unsigned k = 0; k < n4; k++) {
			f[at4[k]].as_idx[0] = (uint32_t)nh4[2 * k];
			f[at4[k]].as_idx[1] = (uint32_t)nh4[2 * k + 1];
		}
		for (unsigned k = 0; k < n6; k++) {
			f[at6[k]].as_idx[0] = (uint32_t)nh6[2 * k];
			f[at6[k]].as_idx[1] = (uint32_t)nh6[2 * k + 1];
		}
		return;
	}
	/* the triples' table is read at random: every load is started first */
	for (unsigned k = 0; k < 2 * n4; k++)
		__builtin_prefetch(&t->combo[nh4[k]]);
	for (unsigned k = 0; k < 2 * n6; k++)
		__builtin_prefetch(&t->combo[nh6[k]]);
	for (unsigned k = 0; k < n4; k++)
		for (unsigned d = 0; d < 2; d++)
			set_from_combo(&f[at4[k]], d, &t->combo[nh4[2 * k + d]]);
	for (unsigned k = 0; k < n6; k++)
		for (unsigned d = 0; d < 2; d++)
			set_from_combo(&f[at6[k]], d, &t->combo[nh6[2 * k + d]]);
}
