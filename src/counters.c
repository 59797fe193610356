/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "v6share/counters.h"
#include "v6share/memory.h"

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

static void add_words(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		o[i] = a[i] + b[i];
}

#define WORDS(type) (sizeof(type) / sizeof(uint64_t))

/* Counter arrays are read at random (one line per AS per packet). Large ones
 * are mapped directly: fresh anonymous memory is already zero, so nothing
 * touches it up front (four 10 MiB arrays per table otherwise cost a page
 * fault per 4 KiB at start-up), and transparent huge pages can back it, to
 * spare the TLB. A cache line before each array says how to free it. */
struct zhdr {
	void *base;             /* the mapping, or NULL: from posix_memalign */
	size_t len;
} __attribute__((aligned(V6S_CACHE_LINE)));

/* written: the memory is read before it is written (counter blocks), and
 * so is mapped in at once where memory.h says so */
static void *zalloc_aligned(size_t n, int written)
{
	const size_t huge = 2u << 20;
	struct zhdr *h;

	if (n == 0)
		return NULL;
	if (n + sizeof(*h) >= huge) {
		size_t len = n + sizeof(*h);
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       written ? v6s_map_flags() : MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		v6s_advise_huge(m, len);
		h = m;
		h->base = m;
		h->len = len;
		return h + 1;
	}
	void *p = NULL;
	if (posix_memalign(&p, V6S_CACHE_LINE, n + sizeof(*h)))
		return NULL;
	memset(p, 0, n + sizeof(*h));
	h = p;
	return h + 1;
}

static void zfree(void *p)
{
	if (!p)
		return;
	struct zhdr *h = (struct zhdr *)p - 1;
	if (h->base)
		munmap(h->base, h->len);
	else
		free(h);
}

/* The per-prefix, per-segment and per-member arrays of a block or snapshot
 * (the per-AS ones differ: see v6s_counter_block). */
struct arrays {
	struct v6s_pfx_counts **pfx;
	struct v6s_seg_counts **seg;
	struct v6s_as_counts **mem;
};

static void free_arrays(struct arrays a)
{
	zfree(*a.pfx);
	zfree(*a.seg);
	zfree(*a.mem);
	*a.pfx = NULL;
	*a.seg = NULL;
	*a.mem = NULL;
}

static int alloc_arrays(struct arrays a, uint32_t pfx_cap, uint32_t nseg, uint32_t nmem, int written)
{
	*a.pfx = pfx_cap ? zalloc_aligned(pfx_cap * sizeof(**a.pfx), written) : NULL;
	*a.seg = nseg ? zalloc_aligned(nseg * sizeof(**a.seg), written) : NULL;
	*a.mem = nmem ? zalloc_aligned(nmem * sizeof(**a.mem), written) : NULL;
	if ((pfx_cap && !*a.pfx) || (nseg && !*a.seg) || (nmem && !*a.mem)) {
		free_arrays(a);
		return -ENOMEM;
	}
	return 0;
}

#define ARRAYS(b) ((struct arrays){ &(b)->pfx, &(b)->seg, &(b)->mem })

/* The four per-AS arrays share one mapping (as[0][0] starts it). */
static void free_block_as(struct v6s_counter_block *b)
{
	zfree(b->as[0][0]);
	memset(b->as, 0, sizeof(b->as));
}

int counters_block_init(struct v6s_counter_block *b, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg,
			uint32_t nmem)
{
	memset(b, 0, sizeof(*b));
	if (as_cap) {
		struct v6s_volume32 *all = zalloc_aligned(4 * (size_t)as_cap * sizeof(*all), 1);
		if (!all)
			return -ENOMEM;
		for (unsigned d = 0; d < 2; d++)
			for (unsigned v = 0; v < 2; v++)
				b->as[d][v] = all + (2 * d + v) * (size_t)as_cap;
	}
	if (alloc_arrays(ARRAYS(b), pfx_cap, nseg, nmem, 1)) {
		free_block_as(b);
		return -ENOMEM;
	}
	return 0;
}

void counters_block_fini(struct v6s_counter_block *b)
{
	free_block_as(b);
	free_arrays(ARRAYS(b));
}

int counters_snapshot_init(struct v6s_snapshot *s, uint32_t as_cap, uint32_t pfx_cap, uint32_t nseg,
			   uint32_t nmem)
{
	memset(s, 0, sizeof(*s));
	s->nseg = nseg;
	s->nmem = nmem;
	s->as = as_cap ? zalloc_aligned(as_cap * sizeof(*s->as), 0) : NULL;
	if (as_cap && !s->as)
		return -ENOMEM;
	if (alloc_arrays(ARRAYS(s), pfx_cap, nseg, nmem, 0)) {
		zfree(s->as);
		s->as = NULL;
		return -ENOMEM;
	}
	return 0;
}

void counters_snapshot_fini(struct v6s_snapshot *s)
{
	zfree(s->as);
	s->as = NULL;
	free_arrays(ARRAYS(s));
}

/* A block's per-AS arrays added into a snapshot's records (relaxed loads). */
static void sum_as(struct v6s_as_counts *d, const struct v6s_counter_block *b, uint32_t nas)
{
	/* one pass over the records, the four arrays read side by side */
	for (uint32_t i = 0; i < nas; i++)
		for (unsigned dir = 0; dir < 2; dir++)
			for (unsigned v = 0; v < 2; v++) {
				const struct v6s_volume32 *s = &b->as[dir][v][i];
				d[i].v[dir][v].packets += __atomic_load_n(&s->packets, __ATOMIC_RELAXED);
				d[i].v[dir][v].bytes += __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
				d[i].v[dir][v].ip_bytes += __atomic_load_n(&s->ip_bytes, __ATOMIC_RELAXED);
			}
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
	if (dst->mem)
		memset(dst->mem, 0, dst->nmem * sizeof(*dst->mem));
	dst->nas = dst->as ? nas : 0;
	dst->npfx = dst->pfx ? npfx : 0;
	for (unsigned b = 0; b < n; b++) {
		sum_words((uint64_t *)&dst->c, (const uint64_t *)&blocks[b].c, V6S_COUNTS_WORDS);
		if (dst->as && blocks[b].as[0][0])
			sum_as(dst->as, &blocks[b], dst->nas);
		if (dst->pfx && blocks[b].pfx)
			sum_words((uint64_t *)dst->pfx, (const uint64_t *)blocks[b].pfx,
				  dst->npfx * WORDS(struct v6s_pfx_counts));
		if (dst->seg && blocks[b].seg)
			sum_words((uint64_t *)dst->seg, (const uint64_t *)blocks[b].seg,
				  dst->nseg * WORDS(struct v6s_seg_counts));
		if (dst->mem && blocks[b].mem)
			sum_words((uint64_t *)dst->mem, (const uint64_t *)blocks[b].mem,
				  dst->nmem * WORDS(struct v6s_as_counts));
	}
}

/* out = a + b, or a - b, element-wise over every section, each over out's
 * span (entries beyond a snapshot's own span are zero: see counters_add). */
static void combine(struct v6s_snapshot *out, const struct v6s_snapshot *a, const struct v6s_snapshot *b,
		    int subtract)
{
	void (*op)(uint64_t *, const uint64_t *, const uint64_t *, size_t) = subtract ? sub_words : add_words;
	const struct {
		void *o;
		const void *a, *b;
		size_t words;
	} part[] = {
		{ &out->c, &a->c, &b->c, V6S_COUNTS_WORDS },
		{ out->as, a->as, b->as, out->nas * WORDS(struct v6s_as_counts) },
		{ out->pfx, a->pfx, b->pfx, out->npfx * WORDS(struct v6s_pfx_counts) },
		{ out->seg, a->seg, b->seg, out->nseg * WORDS(struct v6s_seg_counts) },
		{ out->mem, a->mem, b->mem, out->nmem * WORDS(struct v6s_as_counts) },
	};
	for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++)
		if (part[i].o && part[i].a && part[i].b)
			op(part[i].o, part[i].a, part[i].b, part[i].words);
}

void counters_add(struct v6s_snapshot *out, const struct v6s_snapshot *a, const struct v6s_snapshot *b)
{
	out->nas = a->nas > b->nas ? a->nas : b->nas;
	out->npfx = a->npfx > b->npfx ? a->npfx : b->npfx;
	combine(out, a, b, 0);
}

void counters_delta(struct v6s_snapshot *out, const struct v6s_snapshot *now, const struct v6s_snapshot *prev)
{
	/* entries the registry gained since prev were 0 there: prev's arrays are zeroed */
	out->nas = now->nas;
	out->npfx = now->npfx;
	combine(out, now, prev, 1);
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
