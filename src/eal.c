/* SPDX-License-Identifier: BSD-3-Clause */
#include <sched.h>
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

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

static int advise_list(const struct rte_memseg_list *msl, void *arg)
{
	(void)arg;
	if (msl->base_va && msl->len && msl->page_sz < (2u << 20))
		madvise(msl->base_va, msl->len, MADV_HUGEPAGE);
	return 0;
}

void eal_advise_hugepages(void)
{
	rte_memseg_list_walk(advise_list, NULL);
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
	if (rte_eal_init(argc, argv) < 0) {
		snprintf(err, errlen, "cannot start DPDK EAL (%zu MB, no hugepages): %s", mem_mb,
			 rte_strerror(rte_errno));
		return -1;
	}
	eal_advise_hugepages();
	return 0;
}

void eal_stop(void)
{
	rte_eal_cleanup();
}
