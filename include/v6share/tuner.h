/* SPDX-License-Identifier: BSD-3-Clause
 * Whether a worker prefetches each packet's first-level FIB entries as it
 * parses it (attr_prefetch), decided by measuring both ways on its own
 * traffic.
 *
 * Which way is faster depends on the core. Measured in alternating runs on
 * the same frames, the prefetch saved about 10% a packet on an Intel Xeon
 * (model 167, e6a4925) and cost up to 57% on an AMD EPYC (family 26): the
 * path without it was faster in 34 of 35 paired runs, by a median 9.7%,
 * most in busy stretches of its shared host (BENCHMARKS.md, "Tenth
 * session"). Why the cores differ is not settled: on the AMD core a quarter
 * of the loop's profile samples sit right after the prefetch instructions.
 *
 * So a worker times its full batches (a worker whose batches are not full
 * keeps up anyway) in short slices, two at a time, one slice with the
 * prefetch and one without, the order alternating from pair to pair. The
 * way cheaper in more pairs wins, the prefetch on a tie: counting pairs
 * won, not cycles summed, an interrupt or a burst of unusual traffic spoils
 * one pair, not the verdict. Where both ways cost the same, either verdict
 * costs nothing; where they differ a little, the majority of pairs still
 * finds the cheaper way more often than a test that keeps a default unless
 * the other way wins clearly (such a test, at 22 pairs of 32, put the
 * prefetch back on in 3 of 8 runs on a noisy host where it cost; and see
 * test_tuner.c). It measures again every V6S_TUNE_SETTLE full batches, as
 * traffic and neighbours change. The cost: one TSC read a batch.
 *
 * Plain fields, written only by the worker that owns the tuner.
 */
#ifndef V6SHARE_TUNER_H
#define V6SHARE_TUNER_H

#include <stdint.h>

#define V6S_TUNE_SLICE  8u              /* full batches a slice */
#define V6S_TUNE_PAIRS  32u             /* slice pairs a trial */
#define V6S_TUNE_WARMUP 4096u           /* full batches before the first trial: 0.5 M packets */
#define V6S_TUNE_SETTLE (1u << 16)      /* full batches between trials: 8.4 M packets */

struct v6s_tuner {
	uint64_t slice_cycles;  /* the current slice's so far */
	uint64_t first_cycles;  /* the pair's first slice */
	uint32_t left;          /* full batches left in this slice, or until the next trial */
	uint16_t pair;          /* pairs done in this trial */
	uint16_t off_wins;      /* pairs where the slice without the prefetch was cheaper */
	uint8_t prefetch;       /* the way now */
	uint8_t step;           /* 0 settled, 1 first slice of a pair, 2 second */
	uint8_t choice;         /* the last trial's verdict (1 until one ends) */
	int8_t forced;          /* -1 measure; 0 or 1 fixed (benchmarks, tests) */
	uint32_t trials;        /* trials ended */
};

/* forced: -1 to measure, 0 or 1 to keep that way. The first trial starts
 * after V6S_TUNE_WARMUP full batches: a worker's first batches fault in its
 * counters and warm its caches, and cost what no later batch does. */
static inline void tuner_init(struct v6s_tuner *tu, int forced)
{
	*tu = (struct v6s_tuner){ .left = V6S_TUNE_WARMUP, .prefetch = 1, .choice = 1, .forced = (int8_t)forced };
	if (forced >= 0)
		tu->prefetch = tu->choice = (uint8_t)forced;
}

static inline int tuner_prefetch(const struct v6s_tuner *tu)
{
	return tu->prefetch;
}

/* After each batch: its cost in TSC cycles, and whether it was full. */
static inline void tuner_batch(struct v6s_tuner *tu, uint64_t cycles, int full)
{
	if (!full || tu->forced >= 0)
		return;
	if (tu->step == 0) {                    /* settled */
		if (--tu->left == 0) {
			tu->step = 1;
			tu->pair = tu->off_wins = 0;
			tu->prefetch = 1;
			tu->slice_cycles = 0;
			tu->left = V6S_TUNE_SLICE;
		}
		return;
	}
	tu->slice_cycles += cycles;
	if (--tu->left)
		return;
	if (tu->step == 1) {
		tu->first_cycles = tu->slice_cycles;
		tu->step = 2;
		tu->prefetch ^= 1;
	} else {
		uint64_t with = tu->prefetch ? tu->slice_cycles : tu->first_cycles;
		uint64_t without = tu->prefetch ? tu->first_cycles : tu->slice_cycles;
		tu->off_wins += without < with;
		if (++tu->pair == V6S_TUNE_PAIRS) {
			tu->choice = tu->prefetch = 2 * tu->off_wins <= V6S_TUNE_PAIRS;
			tu->step = 0;
			tu->trials++;
			tu->left = V6S_TUNE_SETTLE;
			return;
		}
		tu->step = 1;
		tu->prefetch = !(tu->pair & 1);         /* odd pairs start without */
	}
	tu->slice_cycles = 0;
	tu->left = V6S_TUNE_SLICE;
}

#endif
