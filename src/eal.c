/* SPDX-License-Identifier: BSD-3-Clause */
#define ALLOW_EXPERIMENTAL_API 1        /* rte_vect_set_max_simd_bitwidth */
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <errno.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_build_config.h>
#include <rte_cpuflags.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_vect.h>

#include "v6share/eal.h"
#include "v6share/memory.h"

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

/* The offline meter's EAL start, on the thread that calls rte_eal_init.
 *
 * Drivers: a shared DPDK build loads every driver in its plugin directory
 * (Debian's has over a hundred, with their libraries: 60 ms here). Counting
 * a capture needs one of them, the ring mempool that the FIBs' route trees
 * allocate from; while starting offline, EAL's scan of that directory sees
 * only it. Live runs load every driver, as DPDK does.
 *
 * Clock: without a CPUID leaf or MSR that states the TSC's frequency (AMD,
 * most VMs), EAL measures it across a 100 ms sleep. It divides by the time
 * that actually passed, so a 10 ms sleep gives the same figure to within
 * its 10 MHz rounding; the offline meter keeps time by the capture, not by
 * the TSC. */
static _Thread_local int starting_offline;
static _Thread_local DIR *driver_dir;

static int offline_driver(const char *name)
{
	return strncmp(name, "librte_mempool_ring.so", strlen("librte_mempool_ring.so")) == 0;
}

DIR *opendir(const char *name)
{
	static DIR *(*real)(const char *);
	if (!real)
		real = (DIR * (*)(const char *)) dlsym(RTLD_NEXT, "opendir");
	DIR *d = real(name);
	if (starting_offline && d && strcmp(name, RTE_EAL_PMD_PATH) == 0)
		driver_dir = d;
	return d;
}

struct dirent64 *readdir64(DIR *d)
{
	static struct dirent64 *(*real)(DIR *);
	if (!real)
		real = (struct dirent64 * (*)(DIR *)) dlsym(RTLD_NEXT, "readdir64");
	struct dirent64 *e = real(d);
	while (e && d == driver_dir && starting_offline && !offline_driver(e->d_name))
		e = real(d);
	return e;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	static int (*real)(const struct timespec *, struct timespec *);
	struct timespec shorter = { 0, 10 * 1000 * 1000 };
	if (!real)
		real = (int (*)(const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "nanosleep");
	if (starting_offline && req && req->tv_sec == 0 && req->tv_nsec == 100 * 1000 * 1000)
		req = &shorter;         /* EAL's TSC measurement (see above) */
	return real(req, rem);
}

static int advise_list(const struct rte_memseg_list *msl, void *arg)
{
	(void)arg;
	if (msl->base_va && msl->len && msl->page_sz < (2u << 20))
		v6s_advise_huge(msl->base_va, msl->len);
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
	starting_offline = 1;
	int rc = rte_eal_init(argc, argv);
	starting_offline = 0;
	driver_dir = NULL;
	if (rc < 0) {
		snprintf(err, errlen, "cannot start DPDK EAL (%zu MB, no hugepages): %s", mem_mb,
			 rte_strerror(rte_errno));
		return -1;
	}
	eal_tune();
	return 0;
}

/* DPDK 22.11 creates a runtime directory per file prefix (/var/run/dpdk/
 * PREFIX, for the telemetry socket among others) and leaves it behind,
 * empty, after rte_eal_cleanup: one for every run under a new prefix. It
 * is removed at exit, when empty: after telemetry's own exit handler has
 * unlinked its socket, so this handler is registered before EAL starts
 * (eal_tidy_at_exit) and runs after it. A prefix still in use by another
 * process keeps its files there, and rmdir then leaves it alone. */
static char runtime_dir[PATH_MAX];

static void remove_runtime_dir(void)
{
	if (runtime_dir[0])
		rmdir(runtime_dir);
}

void eal_tidy_at_exit(void)
{
	atexit(remove_runtime_dir);
}

void eal_stop(void)
{
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
}
