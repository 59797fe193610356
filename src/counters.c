/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "v6share/counters.h"

_Static_assert(sizeof(struct v6s_counts) % sizeof(uint64_t) == 0,
	       "struct v6s_counts must hold only uint64_t");
_Static_assert(sizeof(struct v6s_counter_block) % V6S_CACHE_LINE == 0,
	       "counter blocks must not share cache lines");

static void sum_words(uint64_t *d, const uint64_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

static void sub_words(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		o[i] = a[i] - b[i];
}

#define WORDS(type) (sizeof(type) / sizeof(uint64_t))

/* Counter arrays are read at random (one line per AS per packet): large
 * ones get 2 MiB alignment and transparent huge pages, to spare the TLB. */
static void *zalloc_aligned(size_t n)
{
	const size_t huge = 2u << 20;
	void *p = NULL;
	if (n == 0 || posix_memalign(&p, n >= huge ? huge : V6S_CACHE_LINE, n))
		return NULL;
	if (n >= huge)
		madvise(p, (n + huge - 1) & ~(huge - 1), MADV_HUGEPAGE);
	memset(p, 0, n);
	return p;
}

static int alloc_arrays(struct v6s_as_counts **as, struct v6s_pfx_counts **pfx, struct v6s_seg_counts **seg,
			uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg)
{
	*as = NULL;
	*pfx = NULL;
	*seg = NULL;
	if ((as_cap && !(*as = zalloc_aligned(as_cap * sizeof(**as)))) ||
	    (pfx_cap && !(*pfx = zalloc_aligned(pfx_cap * sizeof(**pfx)))) ||
	    (nseg && !(*seg = zalloc_aligned(nseg * sizeof(**seg))))) {
		free(*as);
		free(*pfx);
		*as = NULL;
		*pfx = NULL;
		return -ENOMEM;
	}
	return 0;
}

int counters_block_init(struct v6s_counter_block *b, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg)
{
	memset(b, 0, sizeof(*b));
	return alloc_arrays(&b->as, &b->pfx, &b->seg, as_cap, pfx_cap, nseg);
}

void counters_block_fini(struct v6s_counter_block *b)
{
	free(b->as);
	free(b->pfx);
	free(b->seg);
	b->as = NULL;
	b->pfx = NULL;
	b->seg = NULL;
}

int counters_snapshot_init(struct v6s_snapshot *s, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg)
{
	memset(s, 0, sizeof(*s));
	s->nseg = nseg;
	return alloc_arrays(&s->as, &s->pfx, &s->seg, as_cap, pfx_cap, nseg);
}

void counters_snapshot_fini(struct v6s_snapshot *s)
{
	free(s->as);
	free(s->pfx);
	free(s->seg);
	s->as = NULL;
	s->pfx = NULL;
	s->seg = NULL;
}

void counters_snapshot(struct v6s_snapshot *dst, const struct v6s_counter_block *blocks, unsigned n,
		       uint32_t nas, uint32_t npfx)
{
	memset(&dst->c, 0, sizeof(dst->c));
	if (dst->as)
		memset(dst->as, 0, nas * sizeof(*dst->as));
	if (dst->pfx)
		memset(dst->pfx, 0, npfx * sizeof(*dst->pfx));
	if (dst->seg)
		memset(dst->seg, 0, dst->nseg * sizeof(*dst->seg));
	dst->nas = dst->as ? nas : 0;
	dst->npfx = dst->pfx ? npfx : 0;
	for (unsigned b = 0; b < n; b++) {
		sum_words((uint64_t *)&dst->c, (const uint64_t *)&blocks[b].c, V6S_COUNTS_WORDS);
		if (dst->as && blocks[b].as)
			sum_words((uint64_t *)dst->as, (const uint64_t *)blocks[b].as,
				  dst->nas * WORDS(struct v6s_as_counts));
		if (dst->pfx && blocks[b].pfx)
			sum_words((uint64_t *)dst->pfx, (const uint64_t *)blocks[b].pfx,
				  dst->npfx * WORDS(struct v6s_pfx_counts));
		if (dst->seg && blocks[b].seg)
			sum_words((uint64_t *)dst->seg, (const uint64_t *)blocks[b].seg,
				  dst->nseg * WORDS(struct v6s_seg_counts));
	}
}

void counters_delta(struct v6s_snapshot *out, const struct v6s_snapshot *now, const struct v6s_snapshot *prev)
{
	sub_words((uint64_t *)&out->c, (const uint64_t *)&now->c, (const uint64_t *)&prev->c, V6S_COUNTS_WORDS);
	/* entries the registry gained since prev were 0 there: prev's arrays are zeroed */
	out->nas = now->nas;
	out->npfx = now->npfx;
	if (out->as)
		sub_words((uint64_t *)out->as, (const uint64_t *)now->as, (const uint64_t *)prev->as,
			  now->nas * WORDS(struct v6s_as_counts));
	if (out->pfx)
		sub_words((uint64_t *)out->pfx, (const uint64_t *)now->pfx, (const uint64_t *)prev->pfx,
			  now->npfx * WORDS(struct v6s_pfx_counts));
	if (out->seg)
		sub_words((uint64_t *)out->seg, (const uint64_t *)now->seg, (const uint64_t *)prev->seg,
			  now->nseg * WORDS(struct v6s_seg_counts));
}

struct v6s_volume counters_total(const struct v6s_counts *c)
{
	struct v6s_volume t = { 0, 0, 0 };

	for (unsigned k = 0; k < V6S_CLASS_COUNT; k++) {
		t.packets += c->cls[k].packets;
		t.bytes += c->cls[k].bytes;
		t.ip_bytes += c->cls[k].ip_bytes;
	}
	return t;
}
