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
 * second and cannot count on it, so the offline meter turns the advice off,
 * unless the host makes every small fault dear: on a PVM guest a fresh
 * 4 KiB page cost 9-12 µs and a 2 MiB one 80-290 µs, and the advice took
 * the run from 1.09-1.27 s to 0.81-0.96 s. It measures which (below).
 */
#ifndef V6SHARE_MEMORY_H
#define V6SHARE_MEMORY_H

#include <stddef.h>
#include <sys/mman.h>

extern int v6s_huge_pages;      /* as the config's huge_pages and, offline, the measure below say */

static inline void v6s_advise_huge(void *p, size_t len)
{
	if (v6s_huge_pages)
		madvise(p, len, MADV_HUGEPAGE);
}

/* What a first touch of fresh memory costs on this host, in microseconds:
 * a 4 KiB page, and a 2 MiB transparent huge page (0: not measured). */
struct v6s_fault_cost {
	double small_us, huge_us;
};

/* Measure it: 64 small pages (twice, the cheaper round), and, when `huge`
 * asks and the small ones are dear (below), two huge pages (the dearer).
 * About 1.5 ms where faults are dear (up to 8 ms when the host must fault a
 * huge page in), 0.1 ms where not. */
void v6s_fault_cost_measure(struct v6s_fault_cost *c, int huge);

/* Whether small faults are dear: a hypervisor traps each one. Then reading
 * a capture through read(2) into one reused buffer beats mapping it, whose
 * pages each take a fault: on this PVM guest the 2M-frame capture took
 * 0.22-0.24 s read against 0.72-0.96 s mapped, without tables, and
 * 0.37-0.57 s against 0.86-1.04 s with the 2015 table (on the KVM guests
 * mapping was the faster, filemap.c). */
int v6s_small_faults_dear(const struct v6s_fault_cost *c);

/* Whether a short run gains by huge pages on such a host: where every small
 * fault traps to the hypervisor (PVM, shadow paging: 9-12 µs a page here;
 * about 1 µs on the KVM guests above, by their profiles), and a huge page,
 * in the dearer of two tries, costs no more than the 512 small pages it
 * stands for (here 80-290 µs, and 3.2-3.8 ms in 4 tries of 46: pages the
 * host took back). Where small faults are cheap, the risk above outweighs
 * what a second's run can gain. */
int v6s_huge_pages_pay(const struct v6s_fault_cost *c);

#define V6S_SLOW_FAULT_US 5.0   /* a small fault this dear: the host traps it */

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
