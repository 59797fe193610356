/* SPDX-License-Identifier: BSD-3-Clause
 * Whether large allocations ask for transparent huge pages: DPDK's heap under
 * --no-huge, route lists, per-AS counter arrays, the offline read-ahead.
 * With the advice the offline meter's runs on the 2015 table split in two:
 * some 10% faster, others two to three times slower (0.96-1.26 s against
 * 0.59-0.65 s on one VM, 0.40-0.66 s against 0.27-0.28 s on another).
 * The slow ones allocate as many huge pages and stall on no compaction
 * (compact_stall stays 0), but spend 44% of their samples zeroing pages
 * instead of 7%: on a VM whose balloon reports free 2 MiB blocks to the
 * host (page_reporting_order 9), a huge page is often one the host took
 * back and must fault in again. A live meter runs for months and its
 * lookups gain from fewer TLB misses; a run over a capture file lasts a
 * second and cannot count on it, so the offline meter turns the advice off.
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

/* Flags for fresh zeroed memory that will be read before it is written
 * (counters, bitmaps). Its first read maps the shared zero page, and the
 * write after it copies that page and must flush the other threads' TLBs:
 * two faults and an interprocessor interrupt a page, 7% of the offline
 * meter's samples on the 2015 table. Without huge-page advice, such
 * memory is mapped in at once (MAP_POPULATE): one pass, no interrupts.
 * With the advice, the first touch faults in a whole huge page anyway. */
static inline int v6s_map_flags(void)
{
	return MAP_PRIVATE | MAP_ANONYMOUS | (v6s_huge_pages ? 0 : MAP_POPULATE);
}

#endif
