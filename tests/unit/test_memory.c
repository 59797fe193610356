/* SPDX-License-Identifier: BSD-3-Clause
 * The offline meter's choices of page size and of reading or mapping a
 * capture (memory.h): the rules on given costs, at and around their
 * thresholds, and the measurement on this host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "v6share/memory.h"

static int pay(double small_us, double huge_us)
{
	struct v6s_fault_cost c = { small_us, huge_us };
	return v6s_huge_pages_pay(&c);
}

/* ... and whether captures are read rather than mapped */
static int dear(double small_us)
{
	struct v6s_fault_cost c = { small_us, 0 };
	return v6s_small_faults_dear(&c);
}

/* A host that traps every small fault (PVM: 9-12 µs a page) and gives a huge
 * page for 80 µs to 3.8 ms: huge pages, up to the cost of 512 small ones. */
static void test_dear_small_faults(void **state)
{
	(void)state;
	assert_true(pay(10.0, 120.0));
	assert_true(pay(10.0, 3800.0));
	assert_true(pay(10.0, 5120.0));
	assert_false(pay(10.0, 5121.0));
	assert_true(pay(V6S_SLOW_FAULT_US, 512 * V6S_SLOW_FAULT_US));
	assert_true(dear(10.0));
	assert_true(dear(V6S_SLOW_FAULT_US));
}

/* Cheap small faults (EPT: about 1 µs): never, however cheap a huge page
 * looked in the probe, since later ones may be pages the host took back. */
static void test_cheap_small_faults(void **state)
{
	(void)state;
	assert_false(pay(1.0, 50.0));
	assert_false(pay(V6S_SLOW_FAULT_US - 0.01, 1.0));
	assert_false(pay(0.0, 0.0));
	assert_false(dear(1.0));
	assert_false(dear(V6S_SLOW_FAULT_US - 0.01));
	assert_false(dear(-1.0));
}

/* No huge page measured (0), or none to be had (-1): no. */
static void test_unmeasured(void **state)
{
	(void)state;
	assert_false(pay(10.0, 0.0));
	assert_false(pay(10.0, -1.0));
	assert_false(pay(-1.0, -1.0));
}

/* On this host: a fresh page costs something, the huge pages are tried
 * only where small faults are dear, and the verdict is the rule's. */
static void test_measure(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct v6s_fault_cost c;
		v6s_fault_cost_measure(&c, 1);
		printf("small %.2f us, huge %.1f us: %s\n", c.small_us, c.huge_us, v6s_huge_pages_pay(&c) ? "on" : "off");
		assert_true(c.small_us > 0);
		if (c.small_us < V6S_SLOW_FAULT_US)
			assert_true(c.huge_us == 0);
		else
			assert_true(c.huge_us != 0);       /* -1: no memory for the try */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dear_small_faults),
		cmocka_unit_test(test_cheap_small_faults),
		cmocka_unit_test(test_unmeasured),
		cmocka_unit_test(test_measure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
