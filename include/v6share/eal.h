/* SPDX-License-Identifier: BSD-3-Clause
 * Starting DPDK's EAL. The offline meter needs it only for its lookup tables
 * (rte_fib lives in DPDK memory), so it starts EAL without hugepages, PCI or
 * shared config, sized to the tables.
 */
#ifndef V6SHARE_EAL_H
#define V6SHARE_EAL_H

#include <stddef.h>

/* Start EAL for table memory only: --no-huge -m MB --no-pci --no-shconf
 * --no-telemetry, a per-process file prefix, lcore 0 floating over the CPUs
 * this process may use. 0, or -1 with err set. */
int eal_start_offline(size_t mem_mb, char *err, size_t errlen);

/* Without hugepages, ask for transparent huge pages under DPDK's memory
 * (before the tables are written): random lookups in hundreds of MiB of
 * 4 KiB pages miss the TLB nearly every time. No effect where THP is off. */
void eal_advise_hugepages(void);

void eal_stop(void);

#endif
