/* SPDX-License-Identifier: BSD-3-Clause
 * The prefetch tuner's verdicts, driven by a simulated worker whose batch
 * costs are drawn from a model: which way is cheaper, how noisy, how
 * disturbed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "v6share/tuner.h"

#define TRIAL_BATCHES (2 * V6S_TUNE_PAIRS * V6S_TUNE_SLICE)

struct model {
	double with, without;   /* mean cycles of a full batch, by way */
	double noise;           /* each batch uniformly within +-noise of its mean */
	double first_slice;     /* extra share on the first slice of each pair */
	unsigned spoil_every;   /* every Nth batch costs ten times as much (0: none) */
	uint64_t rng;
	unsigned batch;
};

static double uniform(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (double)(*s >> 11) / 9007199254740992.0;
}

static uint64_t cost(struct model *m, const struct v6s_tuner *tu)
{
	double c = tuner_prefetch(tu) ? m->with : m->without;
	c *= 1.0 + m->noise * (2.0 * uniform(&m->rng) - 1.0);
	if (tu->step == 1)
		c *= 1.0 + m->first_slice;
	if (m->spoil_every && ++m->batch % m->spoil_every == 0)
		c *= 10;
	return (uint64_t)c;
}

/* Full batches until the tuner ends a trial (or max batches). */
static unsigned run_trial(struct v6s_tuner *tu, struct model *m, unsigned max)
{
	uint32_t trials = tu->trials;
	unsigned n = 0;
	while (tu->trials == trials && n < max) {
		tuner_batch(tu, cost(m, tu), 1);
		n++;
	}
	return n;
}

static void test_off_when_cheaper(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	struct model m = { .with = 10000, .without = 9600, .noise = 0.05, .rng = 1 };
	tuner_init(&tu, -1);
	assert_int_equal(tuner_prefetch(&tu), 1);
	assert_int_equal(run_trial(&tu, &m, 1u << 20), V6S_TUNE_WARMUP + TRIAL_BATCHES);
	assert_int_equal(tu.choice, 0);
	assert_int_equal(tuner_prefetch(&tu), 0);
	assert_int_equal(tu.trials, 1);
}

static void test_on_when_cheaper(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	struct model m = { .with = 9000, .without = 10000, .noise = 0.05, .rng = 2 };
	tuner_init(&tu, -1);
	assert_int_equal(run_trial(&tu, &m, 1u << 20), V6S_TUNE_WARMUP + TRIAL_BATCHES);
	assert_int_equal(tu.choice, 1);
	assert_int_equal(tuner_prefetch(&tu), 1);
}

/* Verdicts "off" over many trials of one model. */
static unsigned off_verdicts(struct model m, unsigned trials)
{
	unsigned off = 0;
	for (unsigned k = 0; k < trials; k++) {
		struct v6s_tuner tu;
		tuner_init(&tu, -1);
		m.rng = 1000 + k;
		assert_int_equal(run_trial(&tu, &m, 1u << 20), V6S_TUNE_WARMUP + TRIAL_BATCHES);
		off += tu.choice == 0;
	}
	return off;
}

/* Equal ways: either verdict, by chance, with no lean but the tie's
 * (P(off) = P(17 or more of 32) = 0.43). */
static void test_equal_either(void **state)
{
	(void)state;
	struct model m = { .with = 10000, .without = 10000, .noise = 0.05 };
	unsigned off = off_verdicts(m, 200);
	assert_true(off >= 55 && off <= 120);
}

/* A difference smaller than the noise of a slice is still found most of
 * the time (a pair won with P = 0.64; a majority of 32 in 90% of trials;
 * a test asking for 22 wins would find it in about a third). */
static void test_small_difference(void **state)
{
	(void)state;
	struct model m = { .with = 10000, .without = 9950, .noise = 0.05 };
	assert_true(off_verdicts(m, 200) >= 160);
	m = (struct model){ .with = 9950, .without = 10000, .noise = 0.05 };
	assert_true(off_verdicts(m, 200) <= 40);
}

/* A slice that runs first in its pair costs more (caches turning over
 * after the switch): the order alternating from pair to pair cancels it. */
static void test_order_cancels(void **state)
{
	(void)state;
	struct model m = { .with = 10000, .without = 10000, .noise = 0.02, .first_slice = 0.05 };
	assert_true(off_verdicts(m, 200) <= 20);        /* 16 pairs each way: a tie, on */
	/* and a real difference still shows through it */
	m.without = 9000;
	assert_int_equal(off_verdicts(m, 50), 50);
}

/* Interrupts spoil single batches: the verdict holds. */
static void test_spoiled_batches(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	struct model m = { .with = 10000, .without = 9600, .noise = 0.05, .spoil_every = 37, .rng = 3 };
	tuner_init(&tu, -1);
	run_trial(&tu, &m, 1u << 20);
	assert_int_equal(tu.choice, 0);
	m = (struct model){ .with = 9600, .without = 10000, .noise = 0.05, .spoil_every = 37, .rng = 4 };
	tuner_init(&tu, -1);
	run_trial(&tu, &m, 1u << 20);
	assert_int_equal(tu.choice, 1);
}

/* The warm-up's batches, however costly with the prefetch, do not count. */
static void test_warmup_not_counted(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	tuner_init(&tu, -1);
	for (unsigned i = 0; i < V6S_TUNE_WARMUP; i++) {
		assert_int_equal(tuner_prefetch(&tu), 1);
		assert_int_equal(tu.step, 0);
		tuner_batch(&tu, 1000000000, 1);
	}
	assert_int_equal(tu.step, 1);
	struct model m = { .with = 9000, .without = 10000, .noise = 0.05, .rng = 8 };
	assert_int_equal(run_trial(&tu, &m, 1u << 20), TRIAL_BATCHES);
	assert_int_equal(tu.choice, 1);
}

/* Batches that are not full (a worker keeping up) neither count nor move
 * the trial on, however costly. */
static void test_partial_batches_ignored(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	struct model m = { .with = 10000, .without = 9600, .noise = 0.05, .rng = 5 };
	tuner_init(&tu, -1);
	for (unsigned i = 0; i < V6S_TUNE_WARMUP + TRIAL_BATCHES; i++) {
		/* a partial batch without the prefetch costing far more */
		if (!tuner_prefetch(&tu))
			tuner_batch(&tu, 1000000, 0);
		tuner_batch(&tu, cost(&m, &tu), 1);
		if (i + 1 < V6S_TUNE_WARMUP + TRIAL_BATCHES)
			assert_int_equal(tu.trials, 0);
	}
	assert_int_equal(tu.trials, 1);
	assert_int_equal(tu.choice, 0);
}

/* Settled for V6S_TUNE_SETTLE full batches, then measured again: when the
 * traffic changes which way wins, the verdict follows. */
static void test_measures_again(void **state)
{
	(void)state;
	struct v6s_tuner tu;
	struct model m = { .with = 10000, .without = 9600, .noise = 0.05, .rng = 6 };
	tuner_init(&tu, -1);
	run_trial(&tu, &m, 1u << 20);
	assert_int_equal(tu.choice, 0);
	for (unsigned i = 0; i + 1 < V6S_TUNE_SETTLE; i++) {
		tuner_batch(&tu, cost(&m, &tu), 1);
		assert_int_equal(tuner_prefetch(&tu), 0);
	}
	tuner_batch(&tu, cost(&m, &tu), 1);
	assert_int_equal(tu.step, 1);                   /* the next trial, which starts with */
	assert_int_equal(tuner_prefetch(&tu), 1);
	m.with = 9000;
	m.without = 10000;
	assert_int_equal(run_trial(&tu, &m, 1u << 20), TRIAL_BATCHES);
	assert_int_equal(tu.trials, 2);
	assert_int_equal(tu.choice, 1);
}

static void test_forced(void **state)
{
	(void)state;
	for (int way = 0; way < 2; way++) {
		struct v6s_tuner tu;
		struct model m = { .with = way ? 20000 : 1000, .without = way ? 1000 : 20000, .rng = 7 };
		tuner_init(&tu, way);
		for (unsigned i = 0; i < 4 * TRIAL_BATCHES; i++) {
			tuner_batch(&tu, cost(&m, &tu), 1);
			assert_int_equal(tuner_prefetch(&tu), way);
		}
		assert_int_equal(tu.trials, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_when_cheaper),
		cmocka_unit_test(test_on_when_cheaper),
		cmocka_unit_test(test_equal_either),
		cmocka_unit_test(test_small_difference),
		cmocka_unit_test(test_order_cancels),
		cmocka_unit_test(test_spoiled_batches),
		cmocka_unit_test(test_warmup_not_counted),
		cmocka_unit_test(test_partial_batches_ignored),
		cmocka_unit_test(test_measures_again),
		cmocka_unit_test(test_forced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
