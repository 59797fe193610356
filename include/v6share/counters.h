/* SPDX-License-Identifier: BSD-3-Clause
 * Cumulative counters. Each worker owns one cache-aligned block and is its
 * only writer (relaxed atomic stores: plain moves, no lock prefix); the
 * reporter sums the blocks with relaxed loads and subtracts two snapshots.
 * Nothing is ever reset, so nothing is lost at an interval boundary.
 */
#ifndef V6SHARE_COUNTERS_H
#define V6SHARE_COUNTERS_H

#include <stdint.h>

#include "v6share/parse.h"

#define V6S_CACHE_LINE 64

struct v6s_volume {
	uint64_t packets;
	uint64_t bytes;     /* wire length */
	uint64_t ip_bytes;  /* user IP length; stays 0 for other and malformed */
};

/* Every field is a uint64_t, so snapshots and deltas work element-wise. */
struct v6s_counts {
	struct v6s_volume cls[V6S_CLASS_COUNT];
	struct v6s_volume ipv6_tunneled;
	uint64_t encap[V6S_ENCAP_COUNT];
	uint64_t other_reason[V6S_OTHER_COUNT];
	uint64_t malformed_reason[V6S_MALFORMED_COUNT];
};

#define V6S_COUNTS_WORDS (sizeof(struct v6s_counts) / sizeof(uint64_t))

struct v6s_counter_block {
	struct v6s_counts c;
} __attribute__((aligned(V6S_CACHE_LINE)));

/* Add n to a counter this thread alone writes. */
static inline void counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static inline void counters_count_one(struct v6s_counts *c, const struct v6s_facts *f)
{
	struct v6s_volume *v = &c->cls[f->cls];

	counter_add(&v->packets, 1);
	counter_add(&v->bytes, f->wire_len);
	if (f->cls <= V6S_CLASS_IPV6) {
		counter_add(&v->ip_bytes, f->ip_len);
		if (f->tunneled6) {
			counter_add(&c->ipv6_tunneled.packets, 1);
			counter_add(&c->ipv6_tunneled.bytes, f->wire_len);
			counter_add(&c->ipv6_tunneled.ip_bytes, f->ip_len);
		}
	} else if (f->cls == V6S_CLASS_OTHER) {
		counter_add(&c->other_reason[f->reason], 1);
	} else {
		counter_add(&c->malformed_reason[f->reason], 1);
	}
	for (unsigned e = f->encaps; e; e &= e - 1)
		counter_add(&c->encap[__builtin_ctz(e)], 1);
}

/* Count a burst of parsed frames into the caller's own block. */
static inline void counters_count_burst(struct v6s_counts *c, const struct v6s_facts *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		counters_count_one(c, &f[i]);
}

/* dst = sum of n blocks, read with relaxed loads (safe while writers run). */
void counters_snapshot(struct v6s_counts *dst, const struct v6s_counter_block *blocks, unsigned n);

/* out = now - prev, element-wise. */
void counters_delta(struct v6s_counts *out, const struct v6s_counts *now, const struct v6s_counts *prev);

/* Totals over the four classes. */
struct v6s_volume counters_total(const struct v6s_counts *c);

#endif
