/* SPDX-License-Identifier: BSD-3-Clause */
#include "lpm_ref.h"

int lpm_ref_covers(const struct v6s_route *r, int family, const uint8_t *addr)
{
	if (r->family != family)
		return 0;
	for (unsigned bit = 0; bit < r->len; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		if ((r->addr[bit / 8] & m) != (addr[bit / 8] & m))
			return 0;
	}
	return 1;
}

long lpm_ref_lookup(const struct v6s_route *routes, size_t n, int family, const uint8_t *addr)
{
	long best = -1;
	for (size_t i = 0; i < n; i++)
		if (lpm_ref_covers(&routes[i], family, addr) && (best < 0 || routes[i].len > routes[best].len))
			best = (long)i;
	return best;
}
