/* SPDX-License-Identifier: BSD-3-Clause
 * Configuration: one table of keys (name, type, bounds, default, doc) drives
 * parsing, validation, --check-config output and the README key table.
 */
#ifndef V6SHARE_CONFIG_H
#define V6SHARE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "v6share/segment.h"

#define V6S_INTERVAL_MAX 86400

enum v6s_prefetch { V6S_PREFETCH_AUTO, V6S_PREFETCH_ON, V6S_PREFETCH_OFF };
enum v6s_huge { V6S_HUGE_AUTO, V6S_HUGE_ON, V6S_HUGE_OFF };

struct v6s_config {
	char *path;          /* file it came from, NULL for built-in defaults */
	char *node;          /* name in summaries; default: host name */
	long long interval;  /* seconds; -1 = the mode's default */
	char *output;        /* "-" = stdout */
	int format;          /* enum v6s_format */
	struct v6s_files {   /* prefix-to-AS tables, in order (the first wins a prefix) */
		char **path;
		size_t n;
	} pfx2as;
	char *prefixes_file; /* named prefix list file, or NULL */
	char **prefixes;     /* named prefixes from the config: "prefix [name]" */
	size_t nprefixes;
	long long top_asns;  /* ASes listed by name in a summary */
	/* live DPDK mode */
	char **eal;          /* EAL arguments */
	size_t neal;
	struct v6s_port_cfg {
		char *device;        /* PCI address, or a virtual device string */
		long long queues;
		int line;            /* where it was configured, for messages */
	} *ports;
	size_t nports;
	long long workers;       /* worker lcores; 0 = every lcore but the main one */
	long long rx_descriptors;
	long long mbufs;
	long long max_frame;     /* longest frame on the taps, bytes without FCS */
	int prefetch;            /* enum v6s_prefetch: the workers' first-level FIB prefetch (tuner.h) */
	int huge_pages;          /* enum v6s_huge: transparent huge pages for large allocations (memory.h) */
	struct v6s_segments *segs;   /* NULL: no segments */
	struct v6s_members *members; /* NULL: no IXP member map */
	char *state_dir;             /* seq across restarts, the Kafka spool */
	struct v6s_sink_cfg {
		int type;            /* V6S_SINK_* */
		char *path, *brokers, *topic;
		char **props;        /* kafka: "key=value" */
		size_t nprops;
		long long rotate_kb, keep, flush_ms;
		int format;
		int line;
	} *sinks;
	size_t nsinks;
};

enum { V6S_SINK_STDOUT, V6S_SINK_FILE, V6S_SINK_KAFKA };

/* Fill built-in defaults. */
void config_defaults(struct v6s_config *cfg);

/* Read path over the current values. On error returns -1 with err holding
 * "FILE:LINE: key 'K': what is wrong; what would be valid". */
int config_load(struct v6s_config *cfg, const char *path, char *err, size_t errlen);

/* Print the resolved configuration in the file's own syntax. */
void config_print(FILE *out, const struct v6s_config *cfg);

/* Print the key table as Markdown (the README key table is made from this). */
void config_print_doc(FILE *out);

void config_free(struct v6s_config *cfg);

/* Free a list of files and leave it empty. */
void config_files_free(struct v6s_files *f);

#endif
