/* SPDX-License-Identifier: BSD-3-Clause */
#define ALLOW_EXPERIMENTAL_API 1        /* rte_vect_set_max_simd_bitwidth */
#include <errno.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cpuflags.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_vect.h>

#include "v6share/eal.h"

/* "0@(a,b,c)": lcore 0 may run on any CPU we were given, so several offline
 * meters on one host do not all pile onto CPU 0. */
static void lcore_map(char *buf, size_t len)
{
	cpu_set_t set;
	size_t used = (size_t)snprintf(buf, len, "0@(");
	int first = 1;

	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		snprintf(buf, len, "0");
		return;
	}
	for (int c = 0; c < CPU_SETSIZE && used + 8 < len; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%d", first ? "" : ",", c);
		first = 0;
	}
	snprintf(buf + used, len - used, ")");
}

/* DPDK 22.11 backs --no-huge memory with a memfd named "nohuge" (shared
 * memory, for secondary processes and vhost), and shmem gets no transparent
 * huge pages under Debian's default (shmem_enabled=never). A table of half a
 * GiB then lives on 4 KiB pages: about 120,000 page faults to build it (over
 * a second in a VM), a TLB miss on nearly every lookup, and a second pass at
 * exit. When memfd_create fails, EAL maps private anonymous memory instead,
 * which THP backs once advised (eal_tune). v6share uses no secondary
 * processes, so while eal_private_memory is set, DPDK's memfd is refused;
 * every other caller gets the real system call. */
static int eal_private_memory;

int memfd_create(const char *name, unsigned int flags);
int memfd_create(const char *name, unsigned int flags)
{
	if (eal_private_memory && strcmp(name, "nohuge") == 0) {
		errno = ENOSYS;
		return -1;
	}
	return (int)syscall(SYS_memfd_create, name, flags);
}

void eal_use_private_memory(int on)
{
	eal_private_memory = on;
}

static int advise_list(const struct rte_memseg_list *msl, void *arg)
{
	(void)arg;
	if (msl->base_va && msl->len && msl->page_sz < (2u << 20))
		madvise(msl->base_va, msl->len, MADV_HUGEPAGE);
	return 0;
}

static int cpu_has_avx512(void)
{
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0;
}

int eal_wide_lookups(void)
{
	return cpu_has_avx512() && rte_vect_get_max_simd_bitwidth() >= RTE_VECT_SIMD_512;
}

void eal_tune(void)
{
	rte_memseg_list_walk(advise_list, NULL);
	/* DPDK caps vector code paths at 256 bits unless told otherwise (AVX-512
	 * slows the clock of older Intel cores). The FIB's AVX-512 lookups walk
	 * 16 addresses at once, which hides the memory latency random lookups
	 * pay: take them where the CPU has them, unless the operator set
	 * --force-max-simd-bitwidth. Tables created afterwards pick them up. */
	if (cpu_has_avx512() && !eal_wide_lookups())
		rte_vect_set_max_simd_bitwidth(RTE_VECT_SIMD_512);
}

int eal_start_offline(size_t mem_mb, char *err, size_t errlen)
{
	char mem[32], prefix[64], lcores[512];
	char *argv[] = {
		"v6share", "--no-huge", "-m", mem, "--no-pci", "--no-shconf", "--no-telemetry",
		"--file-prefix", prefix, "--lcores", lcores, "--log-level", "error", NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	snprintf(mem, sizeof(mem), "%zu", mem_mb);
	snprintf(prefix, sizeof(prefix), "v6share-offline-%ld", (long)getpid());
	lcore_map(lcores, sizeof(lcores));
	eal_use_private_memory(1);
	if (rte_eal_init(argc, argv) < 0) {
		snprintf(err, errlen, "cannot start DPDK EAL (%zu MB, no hugepages): %s", mem_mb,
			 rte_strerror(rte_errno));
		return -1;
	}
	eal_tune();
	return 0;
}

void eal_stop(void)
{
	rte_eal_cleanup();
}
