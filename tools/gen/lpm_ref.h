/* SPDX-License-Identifier: BSD-3-Clause
 * Longest-prefix match by brute force: the reference the rte_fib tables are
 * checked against. Slow on purpose: simple enough to be obviously right.
 */
#ifndef V6SHARE_LPM_REF_H
#define V6SHARE_LPM_REF_H

#include <stddef.h>
#include <stdint.h>

#include "v6share/table.h"

/* Whether addr (network order, 4 or 16 bytes) lies in route r. */
int lpm_ref_covers(const struct v6s_route *r, int family, const uint8_t *addr);

/* Index of the longest route covering addr, or -1. */
long lpm_ref_lookup(const struct v6s_route *routes, size_t n, int family, const uint8_t *addr);

#endif
