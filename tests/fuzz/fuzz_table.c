/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the route tables operators hand to v6share: the
 * prefix-to-AS loader (CAIDA, pyasn, bgpdump -m) and the named-prefix
 * loader, then the reduction every table goes through before the FIBs
 * (sibling merge, then the redundant-route sweep into address order).
 *
 * The input is a whole table file. What must hold, whatever its bytes:
 * - the one-pass line parser and the general one load the same routes with
 *   the same values and the same counts (they are two readings of one format);
 * - a load succeeds exactly when it kept a route, and then every route is a
 *   prefix of its family with host bits clear, and no prefix comes twice;
 *   a failed load says why;
 * - after the reduction, every probe address (each route's first and last
 *   address, and their neighbours) has the same longest-prefix answer as
 *   before it, by brute force (0: no route), and the list is in address
 *   order, each prefix before its more-specifics.
 */
#define _GNU_SOURCE 1           /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lpm_ref.h"
#include "v6share/table.h"

#define MAX_CHECKED 64          /* routes whose probes are compared (brute force is quadratic) */

static int load(const char *path, int fast, int prefixes, struct v6s_route_list *l, struct v6s_table_stats *st,
		char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	memset(st, 0, sizeof(*st));
	err[0] = '\0';
	table_fast_lines = fast;
	if (!prefixes)
		return table_load_pfx2as(path, l, st, err, errlen);
	char **names = NULL;
	size_t nnames = 0;
	int rc = table_load_prefixes(path, l, &names, &nnames, st, err, errlen);
	if (rc == 0 && nnames != l->n)
		abort();                        /* one name a route */
	for (size_t i = 0; rc == 0 && i < l->n; i++)
		if (l->r[i].value != i || !names[i])
			abort();                /* each route names its own entry */
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int same_route(const struct v6s_route *a, const struct v6s_route *b)
{
	return a->family == b->family && a->len == b->len && a->value == b->value &&
	       memcmp(a->addr, b->addr, 16) == 0;
}

static void check_route(const struct v6s_route *r)
{
	unsigned bits = r->family == 4 ? 32 : 128;
	if ((r->family != 4 && r->family != 6) || r->len > bits)
		abort();
	for (unsigned b = r->len; b < 128; b++)         /* host bits, and IPv4's unused bytes */
		if (r->addr[b / 8] & (0x80u >> (b % 8)))
			abort();
}

static void check_distinct(const struct v6s_route_list *l)
{
	for (size_t i = 0; i < l->n && i < MAX_CHECKED; i++)
		for (size_t j = i + 1; j < l->n && j < MAX_CHECKED; j++)
			if (l->r[i].family == l->r[j].family && l->r[i].len == l->r[j].len &&
			    memcmp(l->r[i].addr, l->r[j].addr, 16) == 0)
				abort();
}

/* addr + delta (-1, 0, +1) as a number of `bytes` bytes, wrapping. */
static void step(uint8_t *addr, unsigned bytes, int delta)
{
	for (unsigned k = bytes; delta && k-- > 0;) {
		uint8_t before = addr[k];
		addr[k] = (uint8_t)(addr[k] + delta);
		if ((delta > 0 && addr[k] > before) || (delta < 0 && addr[k] < before))
			break;
	}
}

static uint32_t answer(const struct v6s_route_list *l, int family, const uint8_t *addr)
{
	long i = lpm_ref_lookup(l->r, l->n, family, addr);
	return i < 0 ? 0 : l->r[i].value;
}

static void check_reduction(const struct v6s_route_list *orig)
{
	struct v6s_route_list red = { .n = orig->n, .cap = orig->n };
	red.r = malloc(orig->n * sizeof(*red.r));
	if (!red.r)
		return;
	memcpy(red.r, orig->r, orig->n * sizeof(*red.r));
	if (table_merge_siblings(&red) < 0 || table_drop_redundant(&red, 0) < 0) {
		free(red.r);
		return;                         /* out of memory: nothing to compare */
	}
	if (red.n > orig->n)
		abort();
	for (size_t i = 1; i < red.n; i++) {
		const struct v6s_route *q = &red.r[i - 1], *r = &red.r[i];
		int c = memcmp(q->addr, r->addr, 16);
		if (q->family > r->family || (q->family == r->family && (c > 0 || (c == 0 && q->len >= r->len))))
			abort();        /* the FIBs need a prefix before its more-specifics */
	}
	for (size_t i = 0; i < red.n; i++)
		check_route(&red.r[i]);
	size_t n = orig->n < MAX_CHECKED ? orig->n : MAX_CHECKED;
	for (size_t i = 0; i < n; i++) {
		const struct v6s_route *r = &orig->r[i];
		unsigned bytes = r->family == 4 ? 4 : 16;
		uint8_t lo[16], hi[16];
		memcpy(lo, r->addr, 16);
		memcpy(hi, r->addr, 16);
		for (unsigned b = r->len; b < bytes * 8; b++)
			hi[b / 8] |= (uint8_t)(0x80u >> (b % 8));
		for (int d = -1; d <= 1; d++) {
			uint8_t a[16], z[16];
			memcpy(a, lo, 16);
			memcpy(z, hi, 16);
			step(a, bytes, d);
			step(z, bytes, d);
			if (answer(orig, r->family, a) != answer(&red, r->family, a) ||
			    answer(orig, r->family, z) != answer(&red, r->family, z))
				abort();
		}
	}
	free(red.r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512], err2[512];
	if (size < 1)
		return 0;
	int prefixes = data[0] & 1;     /* the first byte picks the loader */
	int fd = memfd_create("table", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	struct v6s_route_list a, b;
	struct v6s_table_stats sa, sb;
	int ra = load(path, 1, prefixes, &a, &sa, err, sizeof(err));
	int rb = load(path, 0, prefixes, &b, &sb, err2, sizeof(err2));
	close(fd);
	table_fast_lines = 1;

	/* the two line parsers agree on everything */
	if (ra != rb || a.n != b.n || sa.lines != sb.lines || sa.routes != sb.routes || sa.routes4 != sb.routes4 ||
	    sa.routes6 != sb.routes6 || sa.duplicates != sb.duplicates || sa.skipped != sb.skipped ||
	    sa.ignored != sb.ignored || (ra == 0 && sa.format != sb.format))
		abort();
	for (size_t i = 0; i < a.n; i++)
		if (!same_route(&a.r[i], &b.r[i]))
			abort();
	if (ra == 0) {
		if (a.n == 0 || sa.routes != a.n || sa.routes4 + sa.routes6 != a.n)
			abort();
		for (size_t i = 0; i < a.n; i++)
			check_route(&a.r[i]);
		check_distinct(&a);
		if (!prefixes)
			check_reduction(&a);
	} else if (!err[0]) {
		abort();                        /* a failed load says why */
	}
	table_free(&a);
	table_free(&b);
	return 0;
}
