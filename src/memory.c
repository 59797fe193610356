/* SPDX-License-Identifier: BSD-3-Clause
 * What fresh memory costs on this host, for the offline meter's choices of
 * page size and of how to read a capture (memory.h).
 */
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "v6share/memory.h"

#define SMALL_PAGE 4096u
#define HUGE_PAGE (2u << 20)
#define SMALL_PAGES 64u

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* One round: the first write to each page of a fresh mapping of
 * SMALL_PAGES small pages, or of one advised 2 MiB page (huge), in µs a
 * page; -1 when no memory. */
static double first_touch_us(int huge)
{
	size_t len = huge ? 2 * HUGE_PAGE : SMALL_PAGES * SMALL_PAGE;
	volatile uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	double us;
	if (huge) {
		volatile uint8_t *p = (volatile uint8_t *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
		madvise((void *)(uintptr_t)p, HUGE_PAGE, MADV_HUGEPAGE);
		double t0 = now_us();
		p[0] = 1;
		us = now_us() - t0;
	} else {
		madvise((void *)(uintptr_t)m, len, MADV_NOHUGEPAGE);   /* small pages, whatever the system's default */
		double t0 = now_us();
		for (size_t i = 0; i < len; i += SMALL_PAGE)
			m[i] = 1;
		us = (now_us() - t0) / SMALL_PAGES;
	}
	munmap((void *)(uintptr_t)m, len);
	return us;
}

void v6s_fault_cost_measure(struct v6s_fault_cost *c, int huge)
{
	double a = first_touch_us(0), b = first_touch_us(0);
	c->small_us = a < b ? a : b;
	c->huge_us = 0;
	if (!huge || !v6s_small_faults_dear(c))
		return;
	a = first_touch_us(1);
	b = first_touch_us(1);
	c->huge_us = a < 0 || b < 0 ? -1 : a > b ? a : b;
}

int v6s_small_faults_dear(const struct v6s_fault_cost *c)
{
	return c->small_us >= V6S_SLOW_FAULT_US;
}

int v6s_huge_pages_pay(const struct v6s_fault_cost *c)
{
	return v6s_small_faults_dear(c) && c->huge_us > 0 &&
	       c->huge_us <= (double)(HUGE_PAGE / SMALL_PAGE) * c->small_us;
}
