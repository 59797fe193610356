/* SPDX-License-Identifier: BSD-3-Clause
 * RIB dumps in MRT (RFC 6396), as RouteViews and RIPE RIS publish them and
 * routers write them: each unicast prefix's origin AS, read straight from
 * the binary file, without bgpdump in between.
 *
 * TABLE_DUMP_V2 (with RFC 8050's add-path subtypes) and the older
 * TABLE_DUMP. A prefix's origin is taken from its first RIB entry, by the
 * rule the `bgpdump -m` lines follow (table.c): the last public AS of the
 * AS_PATH (table_asn_public), a set's first public member; with none, the
 * last AS, or a final set's first member; the peer's AS when the path is
 * empty. A TABLE_DUMP entry's two-byte path is merged with its AS4_PATH as
 * RFC 6793 says. Multicast, generic and non-RIB records (BGP4MP
 * updates, state changes) are counted as ignored.
 */
#ifndef V6SHARE_MRT_H
#define V6SHARE_MRT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "v6share/table.h"

/* 1 when the first bytes of a file (at least 12) are an MRT record header
 * of a type a table file may hold. A text table never has a zero byte there. */
int mrt_detect(const uint8_t *head, size_t n);

/* Called for each prefix's route (r->value: the origin AS): 0, or -1 to
 * stop (out of memory). */
typedef int (*mrt_route_fn)(void *arg, const struct v6s_route *r);
/* Called for each record that cannot be used (record: its number from 1). */
typedef void (*mrt_bad_fn)(void *arg, uint64_t record, const char *why);

/* Read MRT records from in, whose first nhead bytes were already read into
 * head. st->lines counts records, st->ignored those that hold no unicast
 * route, st->defaults the default routes left out. A record cut short by
 * the end of the file is bad and ends the reading. 0 at the end; -1 with
 * err set when route() stops it or a record's length is not believable
 * (the rest cannot be found). Read errors are left to ferror(in). */
int mrt_read(FILE *in, const uint8_t *head, size_t nhead, struct v6s_table_stats *st, mrt_route_fn route,
	     mrt_bad_fn bad, void *arg, char *err, size_t errlen);

#endif
