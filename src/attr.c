/* SPDX-License-Identifier: BSD-3-Clause */
#include <dlfcn.h>
#include <errno.h>
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
	if (src->pfx2as && table_load_pfx2as(src->pfx2as, &l->as, &l->as_stats, err, errlen))
		goto fail;
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
		l->pfx_stats.routes += st.routes;
		l->pfx_stats.routes4 += st.routes4;
		l->pfx_stats.routes6 += st.routes6;
		l->pfx_stats.duplicates += st.duplicates;
		l->pfx_stats.skipped += st.skipped;
		l->pfx_stats.lines = st.lines;
		l->pfx_stats.nbad = st.nbad;
		memcpy(l->pfx_stats.bad, st.bad, sizeof(st.bad));
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
	uint32_t a4, a6, p4, p6;
	family_counts(&l->as, &a4, &a6);
	family_counts(&l->pfx, &p4, &p6);
	uint32_t s4, s6;
	family_counts(&l->sub, &s4, &s6);
	return fib_bytes(a4, tbl8_margin(tbl8_groups4(&l->as))) + fib_bytes(a6, tbl8_margin(tbl8_groups6(&l->as))) +
	       fib_bytes(p4, tbl8_margin(tbl8_groups4(&l->pfx))) + fib_bytes(p6, tbl8_margin(tbl8_groups6(&l->pfx))) +
	       fib_bytes(s4, tbl8_margin(tbl8_groups4(&l->sub))) + fib_bytes(s6, tbl8_margin(tbl8_groups6(&l->sub)));
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
	static create_fn *real;
	if (!real)
		real = (create_fn *)dlsym(RTLD_NEXT, "rte_mempool_create");
	if (!real) {
		rte_errno = ENOSYS;
		return NULL;
	}
	if (name && strncmp(name, TABLE_POOL_PREFIX, strlen(TABLE_POOL_PREFIX)) == 0)
		flags |= RTE_MEMPOOL_F_NO_SPREAD | RTE_MEMPOOL_F_NO_CACHE_ALIGN;
	return real(name, n, elt_size, cache_size, private_data_size, mp_init, mp_init_arg, obj_init, obj_init_arg,
		    socket_id, flags);
}

/* Routes of one family, shortest first: DPDK 22.11's rte_fib and rte_fib6
 * corrupt unrelated entries when a covering prefix is added after some of
 * its more-specifics (see the regression test in tests/unit/test_attr.c). */
static struct rte_fib *build4(const char *name, const struct v6s_route_list *l, const uint32_t *nh,
			      char *err, size_t errlen)
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
	if (!fib) {
		snprintf(err, errlen, "cannot create IPv4 table %s (%u routes): %s", name, n4, rte_strerror(rte_errno));
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct v6s_route *r = &l->r[i];
		if (r->family != 4)
			continue;
		uint32_t ip = (uint32_t)r->addr[0] << 24 | (uint32_t)r->addr[1] << 16 | (uint32_t)r->addr[2] << 8 | r->addr[3];
		int rc = rte_fib_add(fib, ip, r->len, nh[i]);
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

static struct rte_fib6 *build6(const char *name, const struct v6s_route_list *l, const uint32_t *nh,
			       char *err, size_t errlen)
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
		int rc = rte_fib6_add(fib, r->addr, r->len, nh[i]);
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

static void free_tables(struct v6s_attr_tables *t)
{
	if (!t)
		return;
	rte_fib_free(t->as4);
	rte_fib6_free(t->as6);
	rte_fib_free(t->pfx4);
	rte_fib6_free(t->pfx6);
	rte_fib_free(t->sub4);
	rte_fib6_free(t->sub6);
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

int attr_install(struct v6s_attr *a, struct v6s_attr_lists *l, char *err, size_t errlen)
{
	struct v6s_attr_tables *t = calloc(1, sizeof(*t));
	uint32_t *nh_as = calloc(l->as.n + 1, sizeof(*nh_as)), *nh_pfx = calloc(l->pfx.n + 1, sizeof(*nh_pfx));
	uint32_t *nh_sub = NULL;
	char name[RTE_MEMZONE_NAMESIZE];
	int rc = -1;

	if (!t || !nh_as || !nh_pfx) {
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
	if (table_order_by_length(&l->as) || table_order_by_length(&l->pfx))
		goto oom;
	for (size_t i = 0; i < l->as.n; i++)
		nh_as[i] = l->as.r[i].value;
	for (size_t i = 0; i < l->pfx.n; i++)
		nh_pfx[i] = l->pfx.r[i].value;

	struct rte_malloc_socket_stats before, after;
	rte_malloc_get_socket_stats(rte_socket_id(), &before);
	err[0] = '\0';
	snprintf(name, sizeof(name), "v6s_as4_%u", t->gen);
	t->as4 = build4(name, &l->as, nh_as, err, errlen);
	if (err[0])
		goto out;
	snprintf(name, sizeof(name), "v6s_as6_%u", t->gen);
	t->as6 = build6(name, &l->as, nh_as, err, errlen);
	if (err[0])
		goto out;
	snprintf(name, sizeof(name), "v6s_pfx4_%u", t->gen);
	t->pfx4 = build4(name, &l->pfx, nh_pfx, err, errlen);
	if (err[0])
		goto out;
	snprintf(name, sizeof(name), "v6s_pfx6_%u", t->gen);
	t->pfx6 = build6(name, &l->pfx, nh_pfx, err, errlen);
	if (err[0])
		goto out;
	if (l->sub.n) {
		if (table_order_by_length(&l->sub))
			goto oom;
		nh_sub = calloc(l->sub.n, sizeof(*nh_sub));
		if (!nh_sub)
			goto oom;
		for (size_t i = 0; i < l->sub.n; i++)
			nh_sub[i] = l->sub.r[i].value;
		snprintf(name, sizeof(name), "v6s_sub4_%u", t->gen);
		t->sub4 = build4(name, &l->sub, nh_sub, err, errlen);
		if (err[0])
			goto out;
		snprintf(name, sizeof(name), "v6s_sub6_%u", t->gen);
		t->sub6 = build6(name, &l->sub, nh_sub, err, errlen);
		if (err[0])
			goto out;
	}
	rte_malloc_get_socket_stats(rte_socket_id(), &after);
	t->mem_bytes = after.heap_allocsz_bytes - before.heap_allocsz_bytes;

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
	free_tables(t);
	free(nh_as);
	free(nh_pfx);
	free(nh_sub);
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

void attr_lookup_burst(const struct v6s_attr_tables *t, struct v6s_facts *f, unsigned n)
{
	uint32_t ip4[LOOKUP_MAX];
	uint8_t ip6[LOOKUP_MAX][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t nh[LOOKUP_MAX];
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
	if (n4 && t->as4) {
		rte_fib_lookup_bulk(t->as4, ip4, nh, (int)(2 * n4));
		for (unsigned k = 0; k < n4; k++) {
			f[at4[k]].as_idx[0] = (uint32_t)nh[2 * k];
			f[at4[k]].as_idx[1] = (uint32_t)nh[2 * k + 1];
		}
	}
	if (n4 && t->pfx4) {
		rte_fib_lookup_bulk(t->pfx4, ip4, nh, (int)(2 * n4));
		for (unsigned k = 0; k < n4; k++) {
			f[at4[k]].pfx_idx[0] = (uint32_t)nh[2 * k];
			f[at4[k]].pfx_idx[1] = (uint32_t)nh[2 * k + 1];
		}
	}
	if (n6 && t->as6) {
		rte_fib6_lookup_bulk(t->as6, ip6, nh, (int)(2 * n6));
		for (unsigned k = 0; k < n6; k++) {
			f[at6[k]].as_idx[0] = (uint32_t)nh[2 * k];
			f[at6[k]].as_idx[1] = (uint32_t)nh[2 * k + 1];
		}
	}
	if (n6 && t->pfx6) {
		rte_fib6_lookup_bulk(t->pfx6, ip6, nh, (int)(2 * n6));
		for (unsigned k = 0; k < n6; k++) {
			f[at6[k]].pfx_idx[0] = (uint32_t)nh[2 * k];
			f[at6[k]].pfx_idx[1] = (uint32_t)nh[2 * k + 1];
		}
	}
	if (n4 && t->sub4) {
		rte_fib_lookup_bulk(t->sub4, ip4, nh, (int)(2 * n4));
		for (unsigned k = 0; k < n4; k++) {
			f[at4[k]].sub_seg[0] = (uint8_t)nh[2 * k];
			f[at4[k]].sub_seg[1] = (uint8_t)nh[2 * k + 1];
		}
	}
	if (n6 && t->sub6) {
		rte_fib6_lookup_bulk(t->sub6, ip6, nh, (int)(2 * n6));
		for (unsigned k = 0; k < n6; k++) {
			f[at6[k]].sub_seg[0] = (uint8_t)nh[2 * k];
			f[at6[k]].sub_seg[1] = (uint8_t)nh[2 * k + 1];
		}
	}
}
