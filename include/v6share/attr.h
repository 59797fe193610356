/* SPDX-License-Identifier: BSD-3-Clause
 * Attribution stage: origin AS and named prefix of each user packet's source
 * and destination, by longest-prefix match in DPDK's rte_fib (IPv4, DIR-24-8)
 * and rte_fib6 (IPv6, trie), one bulk lookup per family per burst.
 *
 * Counters are indexed by a registry that only grows: an ASN or a named
 * prefix keeps its index for the life of the process, so cumulative counters
 * stay meaningful across table reloads. Tables are immutable once built; a
 * reload builds new ones away from the hot path, publishes them, waits with
 * rte_rcu_qsbr until every reader has passed a quiescent state, then frees
 * the old ones.
 */
#ifndef V6SHARE_ATTR_H
#define V6SHARE_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "v6share/parse.h"
#include "v6share/table.h"

struct rte_fib;
struct rte_fib6;
struct rte_rcu_qsbr;

/* Index 0 of both lists means "none": AS 0 (no covering prefix), no named prefix. */
struct v6s_registry {
	uint32_t *asn;              /* index -> ASN */
	uint32_t nas;               /* entries in use (release-stored, acquire-loaded) */
	uint32_t as_cap;            /* fixed at start: the counter arrays' size */
	uint32_t *as_slot;          /* hash ASN -> index + 1 */
	uint32_t as_slots;
	struct v6s_route *pfx;      /* index -> named prefix */
	char **pfx_name;
	uint8_t *pfx_active;        /* named in the tables in force (relaxed: for reports) */
	uint32_t npfx;
	uint32_t pfx_cap;
};

/* Where the tables come from; kept for reloads. */
struct v6s_attr_source {
	const char *const *pfx2as;  /* prefix-to-AS files ("-": stdin), in order: the first wins a prefix */
	size_t npfx2as;
	const char *prefixes;       /* file, or NULL */
	const struct v6s_route *cfg_prefixes;   /* from the config file */
	char *const *cfg_names;
	size_t ncfg;
	const struct v6s_route *subscribers;    /* segments' subscriber prefixes, value = segment + 1 */
	size_t nsub;
};

/* Route lists read from files (no DPDK needed yet: sized before EAL starts). */
struct v6s_attr_lists {
	struct v6s_route_list as, pfx, sub;
	char **pfx_names;
	size_t npfx_names;
	struct v6s_table_stats as_stats, pfx_stats;     /* as_stats: all the pfx2as files */
	struct v6s_table_stats *as_file_stats;          /* each pfx2as file's */
	int as_ready;               /* as: redundant routes dropped, in address order (attr_prepare_as) */
};

/* What one next hop of a merged table stands for (see attr_install). */
struct v6s_combo {
	uint32_t as;                /* registry index of the origin AS, 0 = none */
	uint32_t pfx;               /* registry index of the longest named prefix, 0 = none */
	uint8_t sub;                /* segment whose subscriber prefixes hold it, + 1; 0 = none */
};

/* One FIB per family answers every question about an address: with only a
 * prefix-to-AS table its next hop is the AS's registry index (combo NULL);
 * with named prefixes or subscriber prefixes too, it is an index into
 * combo[], built from all three lists so that one lookup finds the longest
 * match of each. */
struct v6s_attr_tables {
	unsigned gen;
	struct rte_fib *fib4;
	struct rte_fib6 *fib6;
	struct v6s_combo *combo;
	uint32_t *pfx_ids;          /* registry indices of the named prefixes, in list order */
	uint32_t npfx;
	size_t mem_bytes;           /* what the tables hold */
	uint32_t fib_routes4, fib_routes6;      /* routes in the FIBs: the redundant ones left out */
	const uint32_t *first4, *first6;        /* the FIBs' first levels, or NULL (attr_prefetch) */
	struct v6s_table_stats as_stats, pfx_stats;
};

struct v6s_attr {
	struct v6s_registry reg;
	struct v6s_attr_tables *current;        /* published with release; readers acquire */
	struct rte_rcu_qsbr *qs;
	unsigned max_readers;
	unsigned gen;
	struct v6s_attr_source src;
	/* called once new tables are in force, before the grace period for the old */
	void (*on_publish)(const struct v6s_attr_tables *t, void *arg);
	void *on_publish_arg;
};

/* Read the files named by src. Errors name the file (and line). */
int attr_load_lists(const struct v6s_attr_source *src, struct v6s_attr_lists *l, char *err, size_t errlen);
void attr_free_lists(struct v6s_attr_lists *l);

/* Drop the AS list's redundant routes and put it in address order, as
 * attr_install would: plain C, so it can run while EAL starts (an AS and
 * its registry index stand for each other, AS 0 for index 0). 0 or -1. */
int attr_prepare_as(struct v6s_attr_lists *l);

/* Bytes the tables for these lists will take (to size EAL memory). */
size_t attr_estimate_bytes(const struct v6s_attr_lists *l);

/* Set up the registry (capacity for as_cap ASes and pfx_cap prefixes) and the
 * RCU variable for max_readers readers (thread ids 0..max_readers-1). Needs EAL. */
int attr_init(struct v6s_attr *a, const struct v6s_attr_source *src, uint32_t as_cap, uint32_t pfx_cap,
	      unsigned max_readers, char *err, size_t errlen);

/* Build tables from lists (each prefix before its more-specifics) and publish them. The
 * first call publishes; later calls replace and free the old tables after
 * an RCU grace period. On error the tables in force stay. */
int attr_install(struct v6s_attr *a, struct v6s_attr_lists *l, char *err, size_t errlen);

/* Re-read the sources and install: what SIGHUP does. */
int attr_reload(struct v6s_attr *a, char *err, size_t errlen);

void attr_fini(struct v6s_attr *a);

/* Before attr_fini when the process is about to end and no reader is left:
 * drop the tables in force without returning their DPDK memory (rte_free
 * zeroes what it frees: a second pass over half a GiB for nothing). */
void attr_leave_tables(struct v6s_attr *a);

/* Reader side, once per burst: the tables in force (may be NULL: none). */
static inline const struct v6s_attr_tables *attr_tables(const struct v6s_attr *a)
{
	return __atomic_load_n(&a->current, __ATOMIC_ACQUIRE);
}

/* A reader thread (tid < max_readers) joins before its first lookup, reports
 * a quiescent state after each burst, and leaves when it stops. */
void attr_reader_online(struct v6s_attr *a, unsigned tid);
void attr_reader_quiescent(struct v6s_attr *a, unsigned tid);
void attr_reader_offline(struct v6s_attr *a, unsigned tid);

/* Distinct ASNs in the lists (to size the registry). */
uint32_t attr_distinct_asns(const struct v6s_attr_lists *l);

/* Packets per attribution call. Each call costs a few round trips to memory
 * (the tries' levels, one after another), so workers hand over up to four
 * receive bursts at once when traffic keeps up: see live.c. */
#define V6S_ATTR_MAX_BURST 128

/* Start fetching the first-level entries a parsed packet's lookups will
 * read. For most addresses that entry is the whole lookup, and with random
 * addresses it is a trip to memory: fetched as soon as the packet is
 * parsed, it arrives while the rest of the burst is parsed, before the
 * burst's bulk lookup. Workers call it right after parse_frame. */
static inline __attribute__((always_inline)) void attr_prefetch(const struct v6s_attr_tables *t,
									const struct v6s_facts *f)
{
	/* always inlined: GCC takes a function that only prefetches for one
	 * without effects, and drops calls to it that it did not inline */
	if (!t)
		return;
	if (f->cls == V6S_CLASS_IPV4 && t->first4) {
		__builtin_prefetch(t->first4 + (__builtin_bswap32(f->addr.v4[0]) >> 8));
		__builtin_prefetch(t->first4 + (__builtin_bswap32(f->addr.v4[1]) >> 8));
	} else if (f->cls == V6S_CLASS_IPV6 && t->first6) {
		const uint8_t *s = f->addr.v6[0], *d = f->addr.v6[1];
		__builtin_prefetch(t->first6 + ((uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2]));
		__builtin_prefetch(t->first6 + ((uint32_t)d[0] << 16 | (uint32_t)d[1] << 8 | d[2]));
	}
}

/* Fill as_idx[], pfx_idx[] and sub_seg[] of the IP facts in a burst (n <= V6S_ATTR_MAX_BURST). */
void attr_lookup_burst(const struct v6s_attr_tables *t, struct v6s_facts *f, unsigned n);

/* Snapshot-side access to the registry. */
static inline uint32_t attr_nas(const struct v6s_registry *r)
{
	return __atomic_load_n(&r->nas, __ATOMIC_ACQUIRE);
}

#endif
