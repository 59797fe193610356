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

/* Before rte_eal_init with --no-huge: have EAL map private anonymous memory
 * rather than its shared memfd, so transparent huge pages can back it (see
 * eal.c). Not for setups that need shared memory (secondary processes,
 * vhost/virtio-user). eal_start_offline sets it. */
void eal_use_private_memory(int on);

/* After rte_eal_init, before any table is built: ask for transparent huge
 * pages under DPDK's memory when it is not on hugepages (random lookups in
 * hundreds of MiB of 4 KiB pages miss the TLB nearly every time; no effect
 * where THP is off), and allow the FIB's AVX-512 lookups where the CPU has
 * them and the operator did not cap --force-max-simd-bitwidth. */
void eal_tune(void);

/* Whether tables created now get DPDK's AVX-512 lookups. */
int eal_wide_lookups(void);

/* rte_eal_cleanup; at exit the prefix's runtime directory goes, if empty,
 * when eal_tidy_at_exit was called before EAL started. */
void eal_stop(void);
void eal_tidy_at_exit(void);

#endif
