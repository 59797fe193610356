/* SPDX-License-Identifier: BSD-3-Clause
 * v6share: meters the IPv6 share of network traffic.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "v6share/config.h"
#include "v6share/counters.h"
#include "v6share/report.h"
#include "v6share/sink.h"
#include "v6share/source_pcap.h"
#include "v6share/version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: v6share --pcap FILE [FILE ...] [options]\n"
		"       v6share --check-config FILE\n"
		"\n"
		"Meters the IPv6 share of traffic: packets are classified by the version of the\n"
		"user (innermost) IP packet through VLAN, MPLS, PPPoE, GTP-U, 6in4, Teredo,\n"
		"IP-in-IP and GRE, and summaries are written as JSON Lines.\n"
		"\n"
		"  --pcap               read the pcap/pcapng FILEs given (in order; - is stdin)\n"
		"  --config FILE        libconfig file (see conf/v6share.conf); options override it\n"
		"  --interval SECONDS   summary interval, aligned to packet time; 0 = whole input (default)\n"
		"  --output PATH|-      where summaries go (default: standard output)\n"
		"  --format json|table  JSON Lines (default) or a table for people\n"
		"  --node NAME          meter name in summaries (default: host name)\n"
		"  --quiet              no progress on stderr\n"
		"  --check-config FILE  validate FILE, print the resolved setup, and exit\n"
		"  --config-doc         print the config keys as a Markdown table\n"
		"  --version, --help\n");
}

enum { OPT_PCAP = 256, OPT_CONFIG, OPT_INTERVAL, OPT_OUTPUT, OPT_FORMAT, OPT_NODE, OPT_QUIET,
       OPT_CHECK, OPT_CONFIG_DOC, OPT_VERSION, OPT_HELP };

static const struct option options[] = {
	{ "pcap", no_argument, NULL, OPT_PCAP },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "node", required_argument, NULL, OPT_NODE },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "check-config", required_argument, NULL, OPT_CHECK },
	{ "config-doc", no_argument, NULL, OPT_CONFIG_DOC },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Command-line values, applied over the config file. */
struct cli {
	int pcap, quiet;
	const char *config, *check, *interval, *output, *format, *node;
};

static int die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "v6share: %s%s%s\nTry 'v6share --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int apply_cli(struct v6s_config *cfg, const struct cli *c)
{
	if (c->interval) {
		char *end;
		long long v = strtoll(c->interval, &end, 10);
		if (*end || end == c->interval || v < 0 || v > V6S_INTERVAL_MAX) {
			fprintf(stderr, "v6share: --interval %s: expected whole seconds from 0 to %d\n",
				c->interval, V6S_INTERVAL_MAX);
			return -1;
		}
		cfg->interval = v;
	}
	if (c->output) {
		free(cfg->output);
		cfg->output = strdup(c->output);
	}
	if (c->node) {
		free(cfg->node);
		cfg->node = strdup(c->node);
	}
	if (c->format) {
		if (strcmp(c->format, "json") == 0) {
			cfg->format = V6S_FORMAT_JSON;
		} else if (strcmp(c->format, "table") == 0) {
			cfg->format = V6S_FORMAT_TABLE;
		} else {
			fprintf(stderr, "v6share: --format %s: valid: json, table\n", c->format);
			return -1;
		}
	}
	return 0;
}

static int run_pcap(struct v6s_config *cfg, const char *const *files, unsigned nfiles, int quiet)
{
	static struct v6s_counter_block block;
	char err[1024];
	struct v6s_sink *sink;
	int rc;

	if (source_pcap_check(files, nfiles, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		return 1;
	}
	sink = sink_stream_open(cfg->output, (enum v6s_format)cfg->format, err, sizeof(err));
	if (!sink) {
		fprintf(stderr, "v6share: %s\n", err);
		return 1;
	}
	struct v6s_reporter rep = {
		.node = cfg->node, .source = "pcap",
		.interval = cfg->interval < 0 ? 0 : (uint32_t)cfg->interval,
		.blocks = &block, .nblocks = 1, .sinks = &sink, .nsinks = 1,
	};
	struct v6s_pcap_run run = {
		.files = files, .nfiles = nfiles, .interval = rep.interval,
		.progress = !quiet && isatty(STDERR_FILENO), .block = &block, .rep = &rep,
	};
	rc = source_pcap_run(&run, err, sizeof(err));
	if (rc)
		fprintf(stderr, "v6share: %s\n", err);
	sink_close(sink);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct v6s_config cfg;
	char err[1024];
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_PCAP: c.pcap = 1; break;
		case OPT_CONFIG: c.config = optarg; break;
		case OPT_INTERVAL: c.interval = optarg; break;
		case OPT_OUTPUT: c.output = optarg; break;
		case OPT_FORMAT: c.format = optarg; break;
		case OPT_NODE: c.node = optarg; break;
		case OPT_QUIET: c.quiet = 1; break;
		case OPT_CHECK: c.check = optarg; break;
		case OPT_CONFIG_DOC: config_print_doc(stdout); return 0;
		case OPT_VERSION: printf("v6share %s\n", V6S_VERSION); return 0;
		case OPT_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}

	config_defaults(&cfg);
	const char *cfg_path = c.check ? c.check : c.config;
	if (cfg_path && config_load(&cfg, cfg_path, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		config_free(&cfg);
		return 1;
	}
	if (apply_cli(&cfg, &c)) {
		config_free(&cfg);
		return 2;
	}
	if (c.check) {
		config_print(stdout, &cfg);
		config_free(&cfg);
		return 0;
	}
	if (!c.pcap) {
		config_free(&cfg);
		return die_usage("nothing to meter: give --pcap FILE ...", NULL);
	}
	if (optind >= argc) {
		config_free(&cfg);
		return die_usage("--pcap needs at least one FILE", NULL);
	}
	rc = run_pcap(&cfg, (const char *const *)&argv[optind], (unsigned)(argc - optind), c.quiet);
	config_free(&cfg);
	return rc;
}
