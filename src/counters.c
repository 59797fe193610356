/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "v6share/counters.h"

_Static_assert(sizeof(struct v6s_counts) % sizeof(uint64_t) == 0,
	       "struct v6s_counts must hold only uint64_t");
_Static_assert(sizeof(struct v6s_counter_block) % V6S_CACHE_LINE == 0,
	       "counter blocks must not share cache lines");

void counters_snapshot(struct v6s_counts *dst, const struct v6s_counter_block *blocks, unsigned n)
{
	uint64_t *d = (uint64_t *)dst;

	memset(dst, 0, sizeof(*dst));
	for (unsigned b = 0; b < n; b++) {
		const uint64_t *s = (const uint64_t *)&blocks[b].c;
		for (size_t i = 0; i < V6S_COUNTS_WORDS; i++)
			d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
	}
}

void counters_delta(struct v6s_counts *out, const struct v6s_counts *now, const struct v6s_counts *prev)
{
	uint64_t *o = (uint64_t *)out;
	const uint64_t *a = (const uint64_t *)now, *b = (const uint64_t *)prev;

	for (size_t i = 0; i < V6S_COUNTS_WORDS; i++)
		o[i] = a[i] - b[i];
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
