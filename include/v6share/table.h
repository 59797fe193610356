/* SPDX-License-Identifier: BSD-3-Clause
 * Route tables from files: prefix-to-AS tables (CAIDA pfx2as, pyasn IPASN,
 * `bgpdump -m` lines, MRT RIB dumps (mrt.h), detected automatically, plain
 * or compressed) and named prefix lists. Plain C, no DPDK: the attribution
 * stage builds its lookup tables from these lists.
 */
#ifndef V6SHARE_TABLE_H
#define V6SHARE_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct v6s_route {
	uint8_t family;        /* 4 or 6 */
	uint8_t len;           /* prefix length */
	uint8_t addr[16];      /* network order, host bits cleared */
	uint32_t value;        /* ASN, or index into a name list */
};

struct v6s_route_list {
	struct v6s_route *r;
	size_t n, cap;
};

enum v6s_table_format { V6S_TABLE_CAIDA, V6S_TABLE_PYASN, V6S_TABLE_BGPDUMP, V6S_TABLE_PREFIXES, V6S_TABLE_MRT,
			V6S_TABLE_PMACCT, V6S_TABLE_RISWHOIS };

#define V6S_TABLE_BAD_SHOWN 5

struct v6s_table_stats {
	enum v6s_table_format format;
	uint64_t lines;         /* all lines read (MRT: records) */
	uint64_t routes;        /* distinct prefixes kept */
	uint64_t routes4, routes6;
	uint64_t duplicates;    /* same prefix again (another peer, or repeated): first kept */
	uint64_t skipped;       /* lines that could not be parsed */
	uint64_t ignored;       /* well-formed lines that carry no route (withdrawals, state) */
	uint64_t defaults;      /* default routes of a RIB dump, left out */
	unsigned nbad;
	struct { uint64_t line; char text[96]; } bad[V6S_TABLE_BAD_SHOWN];
};

/* 1 unless asn is one of IANA's special-purpose AS numbers (private use,
 * documentation, reserved, AS_TRANS, 0): a RIB path's origin is its last
 * public AS, as pyasn takes it. */
int table_asn_public(uint32_t asn);

/* Parse "a.b.c.d/len" or "x:y::/len" (len optional: host route). 0 or -1. */
int table_parse_prefix(const char *s, struct v6s_route *r);

/* Parse "prefix [name]" in place; *name is NULL when there is none. 0 or -1. */
int table_parse_named(char *line, struct v6s_route *r, const char **name);

/* Format a route's prefix as text. buf >= 64. */
void table_format_prefix(const struct v6s_route *r, char *buf, size_t len);

/* 1 (the default): common IPv4 lines of pyasn and CAIDA tables take a
 * one-pass parser; 0: every line the general one (tests compare the two). */
extern int table_fast_lines;

/* A prefix-to-AS table: path, or "-" for standard input. Unparseable lines
 * are skipped and counted; a file with no usable line is an error. Routes
 * come back deduplicated (first seen wins), in file order. */
int table_load_pfx2as(const char *path, struct v6s_route_list *out, struct v6s_table_stats *st,
		      char *err, size_t errlen);

/* A prefix list: lines "prefix [name]", # comments. value = index into
 * *names (appended; the name defaults to the prefix text). */
int table_load_prefixes(const char *path, struct v6s_route_list *out, char ***names, size_t *nnames,
			struct v6s_table_stats *st, char *err, size_t errlen);

/* Append one route; prefixes already in the list are counted as duplicates. */
int table_add(struct v6s_route_list *l, const struct v6s_route *r, struct v6s_table_stats *st);

/* Sort shortest prefix first, each length in address order (qsort). */
void table_sort_by_length(struct v6s_route_list *l);

/* Drop every route that no lookup needs: a route whose value equals that
 * of its nearest enclosing route in the list (or none_value, when nothing
 * encloses it) answers every address it holds the same way without it.
 * The routes must be distinct, with host bits clear; the rest come back
 * IPv4 first, each family in address order, a prefix before its
 * more-specifics: an order DPDK 22.11's tables can be built in. Real
 * tables are full of such routes (a /16 announced again as /17s by the
 * same origin): 41% of the 2015 table's IPv4 routes.
 * Returns the number dropped, or -1 (out of memory: the list is unchanged). */
long table_drop_redundant(struct v6s_route_list *l, uint32_t none_value);

/* Merge every two sibling routes (the two halves of one prefix) that have
 * the same value into that prefix, bottom up, so that merged halves merge
 * again; a route of that prefix already in the list is replaced, as its
 * halves hold every address it does. No longest-prefix answer changes:
 * the FIBs then hold fewer routes (a third fewer on the 2015 table's IPv4
 * routes, once redundant ones are dropped too; see attr.c). The routes
 * must be distinct, with host bits clear, and not more than 2^26; the list
 * comes back longest prefix first, each length in address order. Returns
 * the number of routes fewer, or -1 (out of memory: the list is unchanged). */
long table_merge_siblings(struct v6s_route_list *l);

void table_free(struct v6s_route_list *l);

const char *table_format_name(enum v6s_table_format f);

/* dst += src: the counts added, the format and first bad lines src's
 * (callers load one file after another into one list). */
void table_stats_add(struct v6s_table_stats *dst, const struct v6s_table_stats *src);

/* One line for logs: "FILE: N routes (IPv4 a, IPv6 b), d duplicates, s skipped (line 3: ...)". */
void table_describe(FILE *out, const char *path, const struct v6s_table_stats *st);

#endif
