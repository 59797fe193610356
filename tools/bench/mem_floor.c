/* SPDX-License-Identifier: BSD-3-Clause
 * What the machine's memory allows the in-memory path, measured beside it:
 * the floors no parser or lookup on this machine can go below, and a gauge
 * of how busy the shared host is at the moment of a run.
 *   - stream: the attribution benchmark's frames (2,097,152 slots of 128
 *     bytes) read in order, two lines a slot, as the parser touches them;
 *   - random loads over 64 MiB (the size of each FIB's first level), each
 *     independent of the last, as a burst's lookups are: how many misses
 *     the core keeps in flight;
 *   - dependent loads (each address read from the last load) over 2, 16
 *     and 64 MiB: the latency of L2, of the last-level cache and of DRAM.
 * usage: v6share-bench-mem [--quick]   prints a table, then name=value lines
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench_util.h"
#include "pktbuild.h"

#define SLOT 128

/* Memory as the benchmarks' tables get it: private, with huge-page advice. */
static void *fresh(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 1, len);
	return p;
}

static double stream_ns(size_t slots, unsigned rounds, uint64_t *sink)
{
	uint8_t *b = fresh(slots * SLOT);
	double best = 1e18;
	for (unsigned r = 0; r < rounds; r++) {
		uint64_t s = 0;
		double t0 = now_s();
		for (size_t i = 0; i < slots; i++) {
			const uint64_t *p = (const uint64_t *)(b + i * SLOT);
			s += p[0] + p[8];
		}
		double ns = (now_s() - t0) * 1e9 / (double)slots;
		best = ns < best ? ns : best;
		*sink += s;
	}
	munmap(b, slots * SLOT);
	return best;
}

/* Independent loads at precomputed random lines: the index array is read in
 * order (the hardware prefetcher has it), so the loads' misses are all that
 * is waited for, as many at once as the core can keep. */
static double random_ns(size_t bytes, size_t loads, unsigned rounds, uint64_t *sink)
{
	uint64_t *a = fresh(bytes);
	uint32_t *idx = malloc(loads * sizeof(*idx));
	uint64_t seed = 2026;
	size_t lines = bytes / 64;
	for (size_t i = 0; i < loads; i++)
		idx[i] = (uint32_t)(pb_rand(&seed) % lines) * 8;
	double best = 1e18;
	for (unsigned r = 0; r < rounds; r++) {
		uint64_t s = 0;
		double t0 = now_s();
		for (size_t i = 0; i < loads; i++)
			s += a[idx[i]];
		double ns = (now_s() - t0) * 1e9 / (double)loads;
		best = ns < best ? ns : best;
		*sink += s;
	}
	free(idx);
	munmap(a, bytes);
	return best;
}

/* One chain through every line of the buffer in random order. */
static double dependent_ns(size_t bytes, size_t steps, unsigned rounds, uint64_t *sink)
{
	size_t lines = bytes / 64;
	uint64_t *a = fresh(bytes);
	uint32_t *order = malloc(lines * sizeof(*order));
	uint64_t seed = 7;
	for (size_t i = 0; i < lines; i++)
		order[i] = (uint32_t)i;
	for (size_t i = lines - 1; i > 0; i--) {
		size_t j = pb_rand(&seed) % (i + 1);
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < lines; i++)
		a[(size_t)order[i] * 8] = (uint64_t)order[(i + 1) % lines] * 8;
	free(order);
	double best = 1e18;
	uint64_t p = 0;
	for (unsigned r = 0; r < rounds; r++) {
		double t0 = now_s();
		for (size_t i = 0; i < steps; i++)
			p = a[p];
		double ns = (now_s() - t0) * 1e9 / (double)steps;
		best = ns < best ? ns : best;
	}
	*sink += p;
	munmap(a, bytes);
	return best;
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	if (argc > 2 || (argc == 2 && !quick)) {
		fprintf(stderr, "usage: v6share-bench-mem [--quick]\n");
		return 2;
	}
	size_t slots = quick ? 65536 : 2097152, loads = quick ? 65536 : 4194304;
	size_t steps = quick ? 65536 : 1048576, big = (size_t)64 << 20;
	unsigned rounds = quick ? 1 : 5;
	uint64_t sink = 0;

	double st = stream_ns(slots, rounds, &sink);
	double rnd = random_ns(big, loads, rounds, &sink);
	double d2 = dependent_ns((size_t)2 << 20, steps, rounds, &sink);
	double d16 = dependent_ns((size_t)16 << 20, steps, rounds, &sink);
	double d64 = dependent_ns(big, steps, rounds, &sink);

	printf("memory floor (best of %u)                      ns\n", rounds);
	printf("  frames in order, two lines a 128-byte slot %7.2f\n", st);
	printf("  independent random loads over 64 MiB       %7.2f\n", rnd);
	printf("  dependent loads over  2 MiB                %7.2f\n", d2);
	printf("  dependent loads over 16 MiB                %7.2f\n", d16);
	printf("  dependent loads over 64 MiB                %7.2f\n", d64);
	printf("(checksum %llu)\n", (unsigned long long)(sink % 1000003));
	printf("mem_stream_slot_ns=%.2f\n", st);
	printf("mem_random_load_ns=%.2f\n", rnd);
	printf("mem_dependent_2mib_ns=%.2f\n", d2);
	printf("mem_dependent_16mib_ns=%.2f\n", d16);
	printf("mem_dependent_64mib_ns=%.2f\n", d64);
	return 0;
}
