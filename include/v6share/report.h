/* SPDX-License-Identifier: BSD-3-Clause
 * Report stage: snapshot the counter blocks, subtract the previous snapshot,
 * turn the difference into a summary (JSON schema v6share.summary.v1 or a
 * table for people) and hand it to the sinks.
 */
#ifndef V6SHARE_REPORT_H
#define V6SHARE_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "v6share/attr.h"
#include "v6share/counters.h"
#include "v6share/segment.h"

#define V6S_SCHEMA "v6share.summary.v1"

/* What names the per-AS and per-prefix counters; NULL reg: no attribution. */
struct v6s_report_names {
	const struct v6s_registry *reg;
	const uint8_t *pfx_active;      /* registry index -> named in the tables in force */
	int have_asns, have_prefixes;
	unsigned top_asns;
	const struct v6s_segments *segs;        /* NULL: no segments */
	const struct v6s_members *members;      /* NULL: no IXP members */
};

#define V6S_MAX_QUEUES 16

/* What a port's driver says it received (deltas in a summary). */
struct v6s_port_stats {
	char name[64];
	uint16_t port, nq;
	uint64_t packets, bytes, imissed, ierrors, rx_nombuf;
	uint64_t qpackets[V6S_MAX_QUEUES], qbytes[V6S_MAX_QUEUES];
};

struct v6s_summary {
	const char *node;
	const char *source;      /* "pcap" or "dpdk" */
	uint64_t seq;
	uint32_t interval;       /* seconds; 0 = the whole input */
	struct timespec start, end;
	struct v6s_snapshot d;   /* what was counted in [start, end) */
	struct v6s_report_names names;
	const struct v6s_port_stats *ports;     /* live mode: received in [start, end) */
	unsigned nports;
};

/* RFC 3339 UTC, fraction only when the time has one. buf >= 40 bytes. */
void report_format_time(char *buf, size_t len, struct timespec t);

/* A new JSON object (caller json_decref()s), or NULL when out of memory. */
json_t *report_summary_json(const struct v6s_summary *s);

/* The same figures laid out for a person. */
void report_summary_table(FILE *out, const struct v6s_summary *s);

struct v6s_sink;

struct v6s_reporter {
	const char *node;
	const char *source;
	uint32_t interval;
	uint64_t seq;                           /* of the last summary emitted */
	const struct v6s_counter_block *blocks;
	unsigned nblocks;
	struct v6s_sink **sinks;
	unsigned nsinks;
	struct v6s_report_names names;
	struct v6s_snapshot prev, now, delta;   /* prev: at the last emit */
	/* Live mode: two sets of blocks, blocks[0, nblocks) and [nblocks,
	 * 2 * nblocks); the workers count into one or the other by epoch (live.c).
	 * Before each emit the caller makes one set quiescent (quiet_set 0 or
	 * 1, or -1: both, the workers stopped); emit reads it and adds the
	 * other's last reading, taken when that one was quiescent: the sections
	 * of a summary then agree to the packet. two_sets 0: one set (offline,
	 * where counting stops while a summary is taken). */
	int two_sets;
	int quiet_set;
	struct v6s_snapshot set_snap[2];
	int emitted;                            /* 0 until the first emit: prev is zeros */
	const struct v6s_port_stats *ports;     /* live mode: set before each emit (deltas) */
	unsigned nports;
	const char *state_dir;                  /* keeps seq across restarts, or NULL */
};

/* Allocate the snapshots (sized by names.reg, if any) and take up seq where
 * the last run left it. 0, or -errno. */
int reporter_init(struct v6s_reporter *r);

/* Let the sinks do their periodic work (delivery reports). */
void reporter_poll(struct v6s_reporter *r);
void reporter_fini(struct v6s_reporter *r);

/* Close the interval [start, end): snapshot, delta, emit to every sink.
 * Returns 0, or -errno of the first sink that failed (all are tried). */
int reporter_emit(struct v6s_reporter *r, struct timespec start, struct timespec end);

#endif
