/* SPDX-License-Identifier: BSD-3-Clause
 * Offline source: pcap/pcapng files through libpcap into the shared
 * parse -> count -> report path. Intervals follow packet timestamps.
 */
#ifndef V6SHARE_SOURCE_PCAP_H
#define V6SHARE_SOURCE_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "v6share/attr.h"
#include "v6share/parse.h"
#include "v6share/report.h"
#include "v6share/segment.h"

struct v6s_pcap_run {
	const char *const *files;   /* "-" reads standard input */
	unsigned nfiles;
	uint32_t interval;          /* seconds; 0 = one summary for everything */
	int progress;               /* show progress on stderr */
	/* Optional: counting may start late (tables still being built). Until
	 * ready(run, wait) returns 1, having set block, rep and attr, parsed
	 * packets wait in a backlog; it is asked every burst (wait = 0) and
	 * waited for (wait = 1) when the backlog is full or the input ends.
	 * -1: counting cannot start (ready said why); the run stops. */
	int (*ready)(struct v6s_pcap_run *run, int wait);
	void *ready_arg;
	struct v6s_counter_block *block;
	struct v6s_reporter *rep;
	struct v6s_attr *attr;      /* NULL: no attribution */
	const struct v6s_segments *segs;    /* NULL: no segments */
	const struct v6s_members *members;  /* NULL: no IXP members */
	/* Optional, with interval 0 and attr's second reader slot (id 1): a
	 * second thread counts into this block (the reporter sums both): the
	 * backlog as it grows, once counting can start while the input is
	 * still being read, and half of what is left at its end. */
	struct v6s_counter_block *helper_block;
	int verbose;                /* say on stderr when and how counting started */
};

/* Map a pcap link type (DLT_*) to the parser's; -1 when unsupported. */
int source_pcap_link(int dlt);

/* Check every file opens and has a supported link type, before any counting. */
int source_pcap_check(const char *const *files, unsigned nfiles, char *err, size_t errlen);

/* Meter all files in order. 0 on success; -1 with err set when a file could
 * not be read to its end (what was read is still counted and reported); -2
 * when ready() failed (nothing was counted). */
int source_pcap_run(struct v6s_pcap_run *run, char *err, size_t errlen);

#endif
