/* SPDX-License-Identifier: BSD-3-Clause
 * Clocks for the benchmarks: wall time, and the time-stamp counter where
 * there is one (cycles per packet).
 */
#ifndef V6SHARE_BENCH_UTIL_H
#define V6SHARE_BENCH_UTIL_H

#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

static inline double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline uint64_t cycles(void)
{
#if defined(__x86_64__)
	return __rdtsc();
#else
	return 0;
#endif
}

#endif
