/* SPDX-License-Identifier: BSD-3-Clause
 * Whether large allocations ask for transparent huge pages: DPDK's heap under
 * --no-huge, route lists, per-AS counter arrays, the offline read-ahead.
 * With the kernel's usual defrag=madvise, a region advised so is compacted
 * into huge pages at its first touch, which on a fragmented host stalls:
 * the offline meter took 0.96-1.26 s instead of 0.59-0.65 s in half of its
 * runs on the 2015 table. A live meter runs for months and its lookups gain
 * from fewer TLB misses; a run over a capture file lasts a second and does
 * not, so the offline meter turns the advice off.
 */
#ifndef V6SHARE_MEMORY_H
#define V6SHARE_MEMORY_H

#include <stddef.h>
#include <sys/mman.h>

extern int v6s_huge_pages;      /* 1 unless the offline meter said otherwise */

static inline void v6s_advise_huge(void *p, size_t len)
{
	if (v6s_huge_pages)
		madvise(p, len, MADV_HUGEPAGE);
}

#endif
