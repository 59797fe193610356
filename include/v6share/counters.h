/* SPDX-License-Identifier: BSD-3-Clause
 * Cumulative counters. Each worker owns one cache-aligned block and is its
 * only writer (each addition one add to memory, or a relaxed load and store:
 * no lock prefix either way, see counter_add); the reporter sums the blocks
 * with relaxed loads and subtracts two snapshots.
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

/* Per origin AS: [0] source, [1] destination; [0] IPv4, [1] IPv6. */
struct v6s_as_counts {
	struct v6s_volume v[2][2];
};

/* A volume padded to 32 bytes: two to a cache line, never across two. */
struct v6s_volume32 {
	uint64_t packets, bytes, ip_bytes, pad;
};

/* Per named prefix: [0] source, [1] destination. */
struct v6s_pfx_counts {
	struct v6s_volume v[2];
};

/* Per segment: [direction up/down/unknown][class]. */
struct v6s_seg_counts {
	struct v6s_volume v[3][V6S_CLASS_COUNT];
};

struct v6s_counter_block {
	struct v6s_counts c;
	/* Per AS, one array per [source/destination][IPv4/IPv6], registry
	 * capacity entries each, or NULL: no attribution. A packet adds to two
	 * ASes at random: laid out this way each addition is one line, and an
	 * IPv4 packet's lines come from half the memory (snapshots fold the
	 * arrays into v6s_as_counts). */
	struct v6s_volume32 *as[2][2];
	struct v6s_pfx_counts *pfx;     /* likewise for named prefixes */
	struct v6s_seg_counts *seg;     /* segments + "unassigned", or NULL: no segments */
	struct v6s_as_counts *mem;      /* per IXP member: [received/sent][v4/v6], or NULL */
} __attribute__((aligned(V6S_CACHE_LINE)));

/* What the reporter reads: all blocks summed. */
struct v6s_snapshot {
	struct v6s_counts c;
	struct v6s_as_counts *as;       /* as_cap entries (zeroed beyond nas) */
	struct v6s_pfx_counts *pfx;
	struct v6s_seg_counts *seg;
	struct v6s_as_counts *mem;
	uint32_t nas, npfx;             /* registry entries covered */
	uint32_t nseg, nmem;            /* fixed at start */
};

/* Add n to a counter this thread alone writes. On x86-64 one add to memory
 * without a lock prefix: its store is a single aligned 8-byte write, which a
 * reader's relaxed load sees whole, old or new, as it does the relaxed
 * store of the portable form below. GCC does not merge a relaxed load and
 * store into one instruction; with the one add, counting alone takes 15-18%
 * less time (BENCHMARKS.md, "Twelfth session"). The asm names the one word
 * it changes, so the compiler keeps everything else it holds in registers. */
static inline void counter_add(uint64_t *c, uint64_t n)
{
#if defined(__x86_64__)
	__asm__ volatile("addq %1, %0" : "+m"(*c) : "er"(n));
#else
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
#endif
}

static inline void volume_add(struct v6s_volume *v, const struct v6s_facts *f)
{
	counter_add(&v->packets, 1);
	counter_add(&v->bytes, f->wire_len);
	counter_add(&v->ip_bytes, f->ip_len);
}

static inline void volume32_add(struct v6s_volume32 *v, const struct v6s_facts *f)
{
	counter_add(&v->packets, 1);
	counter_add(&v->bytes, f->wire_len);
	counter_add(&v->ip_bytes, f->ip_len);
}

static inline void counters_count_one(struct v6s_counter_block *b, const struct v6s_facts *f)
{
	struct v6s_counts *c = &b->c;
	const unsigned cls = f->cls;    /* read once: a counter's store may alias a byte of f */
	struct v6s_volume *v = &c->cls[cls];

	counter_add(&v->packets, 1);
	counter_add(&v->bytes, f->wire_len);
	if (cls <= V6S_CLASS_IPV6) {
		counter_add(&v->ip_bytes, f->ip_len);
		if (f->tunneled6)
			volume_add(&c->ipv6_tunneled, f);
		if (b->as[0][0]) {
			volume32_add(&b->as[0][cls][f->as_idx[0]], f);
			volume32_add(&b->as[1][cls][f->as_idx[1]], f);
		}
		if (b->pfx) {
			/* a named prefix holds some addresses and not others, in no
			 * order a predictor learns: slot 0 ("none", never reported)
			 * takes the others, so there is no branch */
			volume_add(&b->pfx[f->pfx_idx[0]].v[0], f);
			volume_add(&b->pfx[f->pfx_idx[1]].v[1], f);
		}
	} else if (cls == V6S_CLASS_OTHER) {
		counter_add(&c->other_reason[f->reason], 1);
	} else {
		counter_add(&c->malformed_reason[f->reason], 1);
	}
	/* Most frames came through no layer or one, in no predictable order: the
	 * first layer is counted without a branch (nothing added to encap[0]
	 * when there is none), only further layers loop. */
	_Static_assert(V6S_ENCAP_COUNT <= 16, "encaps is a 16-bit set");
	unsigned e = f->encaps;
	counter_add(&c->encap[__builtin_ctz(e | 1u << 16) & 15], e != 0);
	for (e &= e - 1; e; e &= e - 1)
		counter_add(&c->encap[__builtin_ctz(e)], 1);
	if (b->seg)
		volume_add(&b->seg[f->seg].v[f->dir][cls], f);
	if (b->mem && cls <= V6S_CLASS_IPV6) {
		if (f->member[0])
			volume_add(&b->mem[f->member[0]].v[0][cls], f);
		if (f->member[1])
			volume_add(&b->mem[f->member[1]].v[1][cls], f);
	}
}

/* Count a burst of parsed frames into the caller's own block. */
static inline void counters_count_burst(struct v6s_counter_block *b, const struct v6s_facts *f, unsigned n)
{
	/* per-AS counters are spread over megabytes: fetch the burst's lines first */
	if (b->as[0][0])
		for (unsigned i = 0; i < n; i++)
			if (f[i].cls <= V6S_CLASS_IPV6) {
				__builtin_prefetch(&b->as[0][f[i].cls][f[i].as_idx[0]], 1);
				__builtin_prefetch(&b->as[1][f[i].cls][f[i].as_idx[1]], 1);
			}
	for (unsigned i = 0; i < n; i++)
		counters_count_one(b, &f[i]);
}

/* Give a block per-AS, per-prefix and per-segment arrays (0 = none). 0 or -ENOMEM. */
int counters_block_init(struct v6s_counter_block *b, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg,
			uint32_t nmem);
void counters_block_fini(struct v6s_counter_block *b);

int counters_snapshot_init(struct v6s_snapshot *s, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg,
			   uint32_t nmem);
void counters_snapshot_fini(struct v6s_snapshot *s);

/* dst = sum of n blocks over the first nas/npfx registry entries, read with
 * relaxed loads (safe while the writers run). */
void counters_snapshot(struct v6s_snapshot *dst, const struct v6s_counter_block *blocks, unsigned n,
		       uint32_t nas, uint32_t npfx);

/* out = a + b, element-wise, over the larger of their registry spans (the
 * entries beyond a snapshot's span are zero). */
void counters_add(struct v6s_snapshot *out, const struct v6s_snapshot *a, const struct v6s_snapshot *b);

/* out = now - prev, element-wise (out sized like now). */
void counters_delta(struct v6s_snapshot *out, const struct v6s_snapshot *now, const struct v6s_snapshot *prev);

/* Totals over the four classes. */
struct v6s_volume counters_total(const struct v6s_counts *c);

#endif
