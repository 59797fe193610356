/* SPDX-License-Identifier: BSD-3-Clause
 * v6share: meters the IPv6 share of network traffic.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_telemetry.h>

#include "v6share/attr.h"
#include "v6share/config.h"
#include "v6share/counters.h"
#include "v6share/eal.h"
#include "v6share/filemap.h"
#include "v6share/live.h"
#include "v6share/memory.h"
#include "v6share/report.h"
#include "v6share/sink.h"
#include "v6share/sink_kafka.h"
#include "v6share/source_pcap.h"
#include "v6share/version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: v6share --pcap FILE [FILE ...] [options]\n"
		"       v6share --config FILE [options] [-- EAL arguments]   (live: the config lists ports)\n"
		"       v6share --check-config FILE\n"
		"\n"
		"Meters the IPv6 share of traffic: packets are classified by the version of the\n"
		"user (innermost) IP packet through VLAN, 802.1ah, MPLS, PPPoE, L2TP, GTP-U,\n"
		"6in4, Teredo, IP-in-IP, GRE, PPTP, VXLAN, Geneve and ERSPAN, and summaries\n"
		"are written as JSON Lines.\n"
		"\n"
		"  --pcap               read the pcap/pcapng FILEs given (in order; - is stdin;\n"
		"                       gzip, zstd, xz and bzip2 compressed files are read as they are)\n"
		"  --config FILE        libconfig file (see conf/v6share.conf); options override it\n"
		"  --interval SECONDS   summary interval, aligned to packet time; 0 = whole input (default)\n"
		"  --output PATH|-      where summaries go (default: standard output)\n"
		"  --format json|table  JSON Lines (default) or a table for people\n"
		"  --node NAME          meter name in summaries (default: host name)\n"
		"  --pfx2as FILE        prefix-to-AS table (CAIDA, pyasn, bgpdump -m, an MRT RIB dump,\n"
		"                       RIPE's RISwhois dump or pmacct's networks_file; plain or gzip,\n"
		"                       zstd, xz or bzip2 compressed; - = stdin); again for more\n"
		"                       tables, read in order: the first to hold a prefix wins\n"
		"  --prefixes FILE      named prefixes, lines \"prefix [name]\"\n"
		"  --top-asns N         ASes listed one by one in a summary (default 100)\n"
		"  --duration SECONDS   live mode: stop after this long (default: until SIGINT/SIGTERM)\n"
		"  --exit-idle SECONDS  live mode: stop once packets came and then none for this long\n"
		"  --quiet              no progress on stderr\n"
		"  --check-config FILE  validate FILE, print the resolved setup, and exit\n"
		"  --config-doc         print the config keys as a Markdown table\n"
		"  --dump-table         print the --pfx2as tables as read (pyasn IPASN lines: one\n"
		"                       prefix and its origin AS each, in file order), and exit\n"
		"  --version, --help\n");
}

enum { OPT_PCAP = 256, OPT_CONFIG, OPT_INTERVAL, OPT_OUTPUT, OPT_FORMAT, OPT_NODE, OPT_QUIET,
       OPT_CHECK, OPT_CONFIG_DOC, OPT_VERSION, OPT_HELP, OPT_PFX2AS, OPT_PREFIXES, OPT_TOP_ASNS, OPT_DUMP_TABLE,
       OPT_DURATION, OPT_EXIT_IDLE };

static const struct option options[] = {
	{ "pcap", no_argument, NULL, OPT_PCAP },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "node", required_argument, NULL, OPT_NODE },
	{ "pfx2as", required_argument, NULL, OPT_PFX2AS },
	{ "prefixes", required_argument, NULL, OPT_PREFIXES },
	{ "top-asns", required_argument, NULL, OPT_TOP_ASNS },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "exit-idle", required_argument, NULL, OPT_EXIT_IDLE },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "check-config", required_argument, NULL, OPT_CHECK },
	{ "config-doc", no_argument, NULL, OPT_CONFIG_DOC },
	{ "dump-table", no_argument, NULL, OPT_DUMP_TABLE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Command-line values, applied over the config file. */
#define CLI_TABLES_MAX 16

struct cli {
	int pcap, quiet, dump_table;
	const char *config, *check, *interval, *output, *format, *node, *prefixes, *top_asns;
	const char *pfx2as[CLI_TABLES_MAX];     /* --pfx2as, in order given */
	size_t npfx2as;
	double duration, exit_idle;
};

/* --dump-table: the prefix-to-AS tables as v6share reads them, as pyasn
 * IPASN lines (what pyasn_util_convert makes of a RIB), so that a RIB dump
 * is converted once, or a table checked against another tool's reading. */
static int dump_tables(const struct v6s_config *cfg, int quiet)
{
	struct v6s_route_list l = { 0 };
	char err[1024], p[64];
	int rc = 0;

	if (!cfg->pfx2as.n) {
		fprintf(stderr, "v6share: --dump-table: no table given (--pfx2as FILE or config pfx2as)\n");
		return 2;
	}
	enum v6s_table_format *fmt = calloc(cfg->pfx2as.n, sizeof(*fmt));
	if (!fmt) {
		fprintf(stderr, "v6share: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < cfg->pfx2as.n; i++) {   /* all read before a line is written */
		struct v6s_table_stats st;
		if (table_load_pfx2as(cfg->pfx2as.path[i], &l, &st, err, sizeof(err))) {
			fprintf(stderr, "v6share: %s\n", err);
			rc = 1;
			goto out;
		}
		if (!quiet || st.skipped)
			table_describe(stderr, cfg->pfx2as.path[i], &st);
		fmt[i] = st.format;
	}
	printf("; IP-ASN32-DAT file\n");
	for (size_t i = 0; i < cfg->pfx2as.n; i++)
		printf("; Original source: %s (%s)\n", cfg->pfx2as.path[i], table_format_name(fmt[i]));
	for (size_t i = 0; i < l.n; i++) {
		table_format_prefix(&l.r[i], p, sizeof(p));
		printf("%s\t%u\n", p, l.r[i].value);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "v6share: --dump-table: cannot write: %s\n", strerror(errno));
		rc = 1;
	}
out:
	free(fmt);
	table_free(&l);
	return rc;
}

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
	if (c->top_asns) {
		char *end;
		long long v = strtoll(c->top_asns, &end, 10);
		if (*end || end == c->top_asns || v < 1 || v > 1000000) {
			fprintf(stderr, "v6share: --top-asns %s: expected 1 to 1000000\n", c->top_asns);
			return -1;
		}
		cfg->top_asns = v;
	}
	if (c->npfx2as) {       /* the command line's tables replace the config's */
		config_files_free(&cfg->pfx2as);
		cfg->pfx2as.path = calloc(c->npfx2as, sizeof(char *));
		if (!cfg->pfx2as.path)
			return -1;
		for (size_t i = 0; i < c->npfx2as; i++)
			cfg->pfx2as.path[i] = strdup(c->pfx2as[i]);
		cfg->pfx2as.n = c->npfx2as;
	}
	if (c->prefixes) {
		free(cfg->prefixes_file);
		cfg->prefixes_file = strdup(c->prefixes);
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

/* Attribution: tables from the config, EAL to hold them, a thread that
 * reloads them on SIGHUP. */
struct tables {
	int on;
	struct v6s_attr attr;
	struct v6s_attr_source src;
	struct v6s_route *cfg_routes;
	char **cfg_names;
	size_t ncfg;
	pthread_t control;
	int control_running, stop;
	int wanted;             /* the config names tables */
	int leave_dpdk;         /* at exit: leave the DPDK tables to the process's end */
	/* Reloads asked for over telemetry (/v6share/reload): numbered; the
	 * control thread serves every request made before its reload started,
	 * and the asking client waits for that reload's outcome. */
	pthread_mutex_t req_lock;
	pthread_cond_t req_done;
	unsigned req_asked, req_served;
	int req_rc;
	char req_err[1024];
};

static void tables_describe(const struct v6s_attr_lists *l, const struct v6s_attr_source *src, int quiet)
{
	for (size_t i = 0; i < src->npfx2as; i++)
		if (!quiet || l->as_file_stats[i].skipped)
			table_describe(stderr, src->pfx2as[i], &l->as_file_stats[i]);
	if (src->prefixes && (!quiet || l->pfx_stats.skipped))
		table_describe(stderr, src->prefixes, &l->pfx_stats);
}

static void on_publish(const struct v6s_attr_tables *t, void *arg)
{
	(void)arg;
	fprintf(stderr, "v6share: new tables in force (generation %u); the old ones go once every reader has "
		"passed them\n", t->gen);
}

static void *control_main(void *arg)
{
	struct tables *t = arg;
	sigset_t set;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	char err[1024];

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		if (sigtimedwait(&set, NULL, &tick) != SIGHUP || __atomic_load_n(&t->stop, __ATOMIC_RELAXED))
			continue;       /* (tables_stop wakes us with a SIGHUP of our own) */
		pthread_mutex_lock(&t->req_lock);
		unsigned serving = t->req_asked;
		pthread_mutex_unlock(&t->req_lock);
		int rc = attr_reload(&t->attr, err, sizeof(err));
		if (rc)
			fprintf(stderr, "v6share: reload failed, the tables in force stay: %s\n", err);
		else
			fprintf(stderr, "v6share: tables reloaded (generation %u: %llu AS routes, %u named prefixes; "
				"%u IPv4 + %u IPv6 routes in the lookup tables, the others redundant)\n",
				t->attr.current->gen, (unsigned long long)t->attr.current->as_stats.routes,
				t->attr.current->npfx, t->attr.current->fib_routes4, t->attr.current->fib_routes6);
		pthread_mutex_lock(&t->req_lock);
		t->req_served = serving;
		t->req_rc = rc;
		snprintf(t->req_err, sizeof(t->req_err), "%s", rc ? err : "");
		pthread_cond_broadcast(&t->req_done);
		pthread_mutex_unlock(&t->req_lock);
	}
	return NULL;
}

/* /v6share/reload: what SIGHUP does, with the outcome in the answer. The
 * telemetry thread serving this client waits; the workers never do. */
static struct tables *tel_tables;

static int tel_reload(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct tables *t = __atomic_load_n(&tel_tables, __ATOMIC_ACQUIRE);
	(void)cmd;
	(void)params;

	rte_tel_data_start_dict(d);
	if (!t) {
		rte_tel_data_add_dict_string(d, "error", "no tables configured (pfx2as, prefixes, subscribers)");
		return 0;
	}
	/* tables_stop sets stop under this lock before it tears anything down:
	 * whoever holds the lock and sees stop clear may use the tables */
	pthread_mutex_lock(&t->req_lock);
	unsigned mine = ++t->req_asked;
	if (!t->stop)
		pthread_kill(t->control, SIGHUP);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 600;                    /* an Internet-size table builds in seconds */
	int late = 0;
	while (t->req_served < mine && !t->stop && !late)
		late = pthread_cond_timedwait(&t->req_done, &t->req_lock, &until) == ETIMEDOUT;
	if (t->stop || t->req_served < mine) {
		rte_tel_data_add_dict_string(d, "error", t->stop ? "the meter is stopping" : "no outcome within 600 s");
	} else if (t->req_rc) {
		rte_tel_data_add_dict_string(d, "result", "failed, the tables in force stay");
		/* telemetry strings hold 127 characters; stderr has the whole message */
		rte_tel_data_add_dict_string(d, "error", t->req_err);
	} else {
		const struct v6s_attr_tables *now = attr_tables(&t->attr);
		rte_tel_data_add_dict_string(d, "result", "reloaded");
		rte_tel_data_add_dict_u64(d, "generation", now->gen);
		rte_tel_data_add_dict_u64(d, "as_routes", now->as_stats.routes);
		rte_tel_data_add_dict_u64(d, "named_prefixes", now->npfx);
		rte_tel_data_add_dict_u64(d, "fib_routes_ipv4", now->fib_routes4);
		rte_tel_data_add_dict_u64(d, "fib_routes_ipv6", now->fib_routes6);
	}
	pthread_mutex_unlock(&t->req_lock);
	return 0;
}

/* Whether the config names any table (AS, named prefixes, subscribers). */
static int tables_configured(const struct v6s_config *cfg)
{
	return cfg->pfx2as.n || cfg->prefixes_file || cfg->nprefixes || (cfg->segs && cfg->segs->nsub);
}

/* Read the tables the config names (before EAL: their size decides EAL's memory). */
static int tables_prepare(const struct v6s_config *cfg, struct tables *t, struct v6s_attr_lists *l, int quiet,
			  size_t *mem_mb)
{
	char err[1024];

	memset(t, 0, sizeof(*t));
	memset(l, 0, sizeof(*l));
	if (!tables_configured(cfg))
		return 0;                       /* nothing to reload: SIGHUP stays blocked */
	t->cfg_routes = calloc(cfg->nprefixes + 1, sizeof(*t->cfg_routes));
	t->cfg_names = calloc(cfg->nprefixes + 1, sizeof(*t->cfg_names));
	for (size_t i = 0; i < cfg->nprefixes; i++) {
		char *line = strdup(cfg->prefixes[i]), text[64];
		const char *name;
		table_parse_named(line, &t->cfg_routes[i], &name);    /* validated when the config was read */
		table_format_prefix(&t->cfg_routes[i], text, sizeof(text));
		t->cfg_names[i] = strdup(name ? name : text);
		free(line);
	}
	t->ncfg = cfg->nprefixes;
	t->src = (struct v6s_attr_source){
		.pfx2as = (const char *const *)cfg->pfx2as.path, .npfx2as = cfg->pfx2as.n, .prefixes = cfg->prefixes_file,
		.cfg_prefixes = t->cfg_routes, .cfg_names = t->cfg_names, .ncfg = t->ncfg,
		.subscribers = cfg->segs ? cfg->segs->subscribers : NULL, .nsub = cfg->segs ? cfg->segs->nsub : 0,
	};
	if (attr_load_lists(&t->src, l, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		return -1;
	}
	tables_describe(l, &t->src, quiet);
	t->wanted = 1;
	/* room for the tables twice over (a reload builds the new beside the old) */
	*mem_mb = 2 * attr_estimate_bytes(l) / (1024 * 1024) + 128;
	return 0;
}

/* With EAL up: build the tables, start the thread that reloads them on SIGHUP. */
/* Registry sizes for these lists: room for reloads to bring new ASes and prefixes. */
static void table_caps(const struct v6s_attr_lists *l, uint32_t *as_cap, uint32_t *pfx_cap)
{
	*as_cap = 2 * attr_distinct_asns(l) + 1024;
	*pfx_cap = 4 * (uint32_t)l->pfx.n + 64;
	if (*as_cap < 65536)
		*as_cap = 65536;
	if (*pfx_cap < 1024)
		*pfx_cap = 1024;
}

static int tables_activate(struct tables *t, struct v6s_attr_lists *l, unsigned readers)
{
	char err[1024];
	uint32_t as_cap, pfx_cap;

	table_caps(l, &as_cap, &pfx_cap);
	if (attr_init(&t->attr, &t->src, as_cap, pfx_cap, readers, err, sizeof(err)) ||
	    attr_install(&t->attr, l, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		attr_free_lists(l);
		return -1;
	}
	attr_free_lists(l);
	t->attr.on_publish = on_publish;
	t->on = 1;
	pthread_mutex_init(&t->req_lock, NULL);
	pthread_cond_init(&t->req_done, NULL);
	t->control_running = pthread_create(&t->control, NULL, control_main, t) == 0;
	return 0;
}

static void tables_stop(struct tables *t)
{
	if (t->control_running) {
		__atomic_store_n(&tel_tables, NULL, __ATOMIC_RELEASE);
		pthread_mutex_lock(&t->req_lock);       /* telemetry clients waiting: see tel_reload */
		__atomic_store_n(&t->stop, 1, __ATOMIC_RELAXED);
		pthread_cond_broadcast(&t->req_done);
		pthread_mutex_unlock(&t->req_lock);
		pthread_kill(t->control, SIGHUP);       /* no need to wait out its tick */
		pthread_join(t->control, NULL);
	}
	if (t->on && t->leave_dpdk)
		attr_leave_tables(&t->attr);
	if (t->on)
		attr_fini(&t->attr);
	for (size_t i = 0; i < t->ncfg; i++)
		free(t->cfg_names[i]);
	free(t->cfg_names);
	free(t->cfg_routes);
}

/* The sinks the config lists, or one stream sink from output/format. */
static int open_sinks(const struct v6s_config *cfg, int quiet, struct v6s_sink **sinks, unsigned *n)
{
	char err[1024];
	*n = 0;
	if (!cfg->nsinks) {
		sinks[0] = sink_stream_open(cfg->output, (enum v6s_format)cfg->format, err, sizeof(err));
		if (!sinks[0]) {
			fprintf(stderr, "v6share: %s\n", err);
			return -1;
		}
		*n = 1;
		return 0;
	}
	for (size_t i = 0; i < cfg->nsinks; i++) {
		const struct v6s_sink_cfg *x = &cfg->sinks[i];
		struct v6s_sink *k = NULL;
		if (x->type == V6S_SINK_STDOUT) {
			k = sink_stream_open("-", (enum v6s_format)x->format, err, sizeof(err));
		} else if (x->type == V6S_SINK_FILE) {
			k = sink_file_open(x->path, x->rotate_kb * 1024, (unsigned)x->keep, err, sizeof(err));
		} else {
			struct v6s_kafka_cfg kc = {
				.brokers = x->brokers, .topic = x->topic, .props = x->props, .nprops = x->nprops,
				.flush_ms = x->flush_ms, .state_dir = cfg->state_dir, .node = cfg->node, .quiet = quiet,
			};
			k = sink_kafka_open(&kc, err, sizeof(err));
		}
		if (!k) {
			fprintf(stderr, "v6share: %s:%d: sink %zu: %s\n", cfg->path ? cfg->path : "config", x->line, i + 1, err);
			for (unsigned j = 0; j < *n; j++)
				sink_close(sinks[j]);
			*n = 0;
			return -1;
		}
		sinks[(*n)++] = k;
	}
	return 0;
}

static void close_sinks(struct v6s_sink **sinks, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sink_close(sinks[i]);
}

/* What names the per-AS, per-prefix, per-segment and per-member counters. */
static struct v6s_report_names report_names(const struct v6s_config *cfg, const struct v6s_registry *reg)
{
	return (struct v6s_report_names){
		.reg = reg, .pfx_active = reg ? reg->pfx_active : NULL,
		.have_asns = cfg->pfx2as.n > 0,
		.have_prefixes = cfg->prefixes_file != NULL || cfg->nprefixes > 0,
		.top_asns = (unsigned)cfg->top_asns, .segs = cfg->segs, .members = cfg->members,
	};
}

/* The offline meter. With tables, a builder thread reads them, starts EAL
 * and builds the FIBs while this thread already reads and parses the
 * capture (parsed packets wait in a backlog); counting starts once the
 * tables are in force. Start-up then costs max(build, read), not the sum. */
struct offline {
	struct v6s_config *cfg;
	int quiet;
	struct tables *tables;
	struct v6s_attr_lists lists;
	pthread_t builder;
	int building;           /* builder thread started and not joined */
	int built;              /* builder finished (release-stored) */
	int build_rc;
	int eal_up;
	struct v6s_counter_block block[2];      /* [1]: the backlog's second counting thread */
	unsigned nblocks;
	int blocks_early;       /* the builder made them, sized for the registry (0, or nblocks) */
	struct v6s_sink *sinks[16];
	unsigned nsinks;
	struct v6s_reporter rep;
	int rep_up;
};

static unsigned offline_nblocks(const struct v6s_config *cfg)
{
	return cfg->interval <= 0 ? 2 : 1;     /* no intervals: two threads count the backlog */
}

/* Counter blocks for a registry of these sizes. 0, or -1 (none made). */
static int make_blocks(struct offline *o, unsigned n, uint32_t as_cap, uint32_t pfx_cap)
{
	const struct v6s_config *cfg = o->cfg;
	for (unsigned i = 0; i < n; i++)
		if (counters_block_init(&o->block[i], as_cap, pfx_cap, cfg->segs ? cfg->segs->n + 1 : 0,
					cfg->members ? cfg->members->n + 1 : 0)) {
			while (i--)
				counters_block_fini(&o->block[i]);
			return -1;
		}
	o->nblocks = n;
	return 0;
}

struct early_blocks {
	struct offline *o;
	uint32_t as_cap, pfx_cap;
};

static void *early_blocks_main(void *arg)
{
	struct early_blocks *e = arg;
	if (make_blocks(e->o, offline_nblocks(e->o->cfg), e->as_cap, e->pfx_cap) == 0)
		e->o->blocks_early = 1;
	attr_prepare_as(&e->o->lists);  /* on failure attr_install does it */
	return NULL;
}

static void *builder_main(void *arg)
{
	struct offline *o = arg;
	char err[1024];
	size_t mem_mb = 0;

	o->build_rc = -1;
	if (tables_prepare(o->cfg, o->tables, &o->lists, o->quiet, &mem_mb) == 0) {
		/* while EAL starts (mostly waiting on its TSC measurement), a
		 * second thread maps the counters' fresh memory in, which counting
		 * would otherwise wait for, and sweeps the AS list's redundant
		 * routes out, which the build would */
		struct early_blocks e = { .o = o };
		pthread_t th;
		table_caps(&o->lists, &e.as_cap, &e.pfx_cap);
		int early = pthread_create(&th, NULL, early_blocks_main, &e) == 0;
		int eal_rc = eal_start_offline(mem_mb, err, sizeof(err));
		if (early)
			pthread_join(th, NULL);
		if (eal_rc) {
			fprintf(stderr, "v6share: %s\n", err);
			attr_free_lists(&o->lists);
		} else {
			o->eal_up = 1;
			o->build_rc = tables_activate(o->tables, &o->lists, 2);     /* two counting threads */
		}
	}
	__atomic_store_n(&o->built, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* The counting side: counters, sinks, reporter (needs the registry's size). */
static int offline_count_setup(struct offline *o, struct v6s_pcap_run *run)
{
	const struct v6s_config *cfg = o->cfg;
	struct v6s_registry *reg = o->tables->on ? &o->tables->attr.reg : NULL;

	/* with tables the capture was read ahead while they were built: two
	 * threads count that backlog when there are no intervals to keep (the
	 * builder made the blocks, unless it could not) */
	if (!o->blocks_early && make_blocks(o, reg ? offline_nblocks(cfg) : 1, reg ? reg->as_cap : 0,
					    reg ? reg->pfx_cap : 0)) {
		fprintf(stderr, "v6share: out of memory for counters\n");
		return -1;
	}
	if (open_sinks(cfg, o->quiet, o->sinks, &o->nsinks))
		return -1;
	o->rep = (struct v6s_reporter){
		.node = cfg->node, .source = "pcap",
		.interval = cfg->interval < 0 ? 0 : (uint32_t)cfg->interval,
		.blocks = o->block, .nblocks = o->nblocks, .sinks = o->sinks, .nsinks = o->nsinks, .state_dir = cfg->state_dir,
		.names = report_names(cfg, reg),
	};
	if (reporter_init(&o->rep)) {
		fprintf(stderr, "v6share: cannot set up the reporter (memory, or state_dir %s)\n",
			cfg->state_dir ? cfg->state_dir : "-");
		return -1;
	}
	o->rep_up = 1;
	run->block = &o->block[0];
	run->helper_block = o->nblocks > 1 ? &o->block[1] : NULL;
	run->rep = &o->rep;
	run->attr = o->tables->on ? &o->tables->attr : NULL;
	return 0;
}

/* source_pcap's ready hook: 1 once counting can start, 0 not yet, -1 never. */
static int offline_ready(struct v6s_pcap_run *run, int wait)
{
	struct offline *o = run->ready_arg;

	if (o->building) {
		if (!wait && !__atomic_load_n(&o->built, __ATOMIC_ACQUIRE))
			return 0;
		pthread_join(o->builder, NULL);
		o->building = 0;
		if (o->build_rc)
			return -1;
	}
	return offline_count_setup(o, run) ? -1 : 1;
}

static int run_pcap(struct v6s_config *cfg, const char *const *files, unsigned nfiles, int quiet)
{
	static struct offline o;
	static struct tables tables;
	char err[1024];
	int rc = 1;

	/* A run of a second: huge pages only where small faults are dear, and
	 * there captures read rather than mapped (memory.h). Without tables the
	 * run takes little fresh memory: no huge pages to try. */
	struct v6s_fault_cost fc = { 0, 0 };
	v6s_fault_cost_measure(&fc, cfg->huge_pages == V6S_HUGE_AUTO && tables_configured(cfg));
	v6s_huge_pages = cfg->huge_pages == V6S_HUGE_ON || (cfg->huge_pages == V6S_HUGE_AUTO && v6s_huge_pages_pay(&fc));
	filemap_enabled = !v6s_small_faults_dear(&fc);

	if (source_pcap_check(files, nfiles, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		return 1;
	}
	memset(&o, 0, sizeof(o));
	memset(&tables, 0, sizeof(tables));
	o.cfg = cfg;
	o.quiet = quiet;
	o.tables = &tables;
	if (tables_configured(cfg)) {
		if (pthread_create(&o.builder, NULL, builder_main, &o)) {
			fprintf(stderr, "v6share: cannot start the table builder thread\n");
			return 1;
		}
		o.building = 1;
	}
	struct v6s_pcap_run run = {
		.files = files, .nfiles = nfiles, .interval = cfg->interval < 0 ? 0 : (uint32_t)cfg->interval,
		.progress = !quiet && isatty(STDERR_FILENO), .segs = cfg->segs, .members = cfg->members,
		.ready = offline_ready, .ready_arg = &o, .verbose = !quiet,
	};
	int src = source_pcap_run(&run, err, sizeof(err));
	rc = src ? 1 : 0;
	if (!rc && !quiet) {
		char huge[64] = "";
		if (fc.huge_us)
			snprintf(huge, sizeof(huge), ", %.0f us a 2 MiB page", fc.huge_us);
		fprintf(stderr, "v6share: fresh memory: %.1f us a 4 KiB page%s: huge pages %s, captures %s\n",
			fc.small_us, huge, v6s_huge_pages ? "on" : "off", filemap_enabled ? "mapped" : "read");
	}
	if (src == -1)
		fprintf(stderr, "v6share: %s\n", err);    /* -2: the setup said why */
	if (o.building) {               /* the capture could not be opened: let the builder finish */
		pthread_join(o.builder, NULL);
		o.building = 0;
	}
	if (o.rep_up)
		reporter_fini(&o.rep);
	close_sinks(o.sinks, o.nsinks);
	for (unsigned i = 0; i < o.nblocks; i++)
		counters_block_fini(&o.block[i]);
	/* The process ends here: the tables' half GiB of DPDK memory goes back
	 * with it, instead of being zeroed by rte_free page by page first. */
	tables.leave_dpdk = 1;
	tables_stop(&tables);
	if (o.eal_up)
		eal_stop();
	return rc;
}

static int run_live(struct v6s_config *cfg, char **extra, int nextra, const struct cli *c)
{
	static struct live lv;
	static struct tables tables;
	struct v6s_attr_lists lists;
	struct v6s_sink *sinks[16];
	unsigned nsinks = 0;
	char err[1024], **argv = NULL;
	size_t mem_mb = 0;
	int rc = 1;

	v6s_huge_pages = cfg->huge_pages != V6S_HUGE_OFF;      /* a run of months: fewer TLB misses (memory.h) */
	if (tables_prepare(cfg, &tables, &lists, c->quiet, &mem_mb))
		return 1;
	int argc = live_eal_args(cfg, extra, nextra, &argv);
	eal_use_private_memory(argc > 0 && live_private_memory_ok(argv, argc));
	if (argc < 0 || rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "v6share: cannot start DPDK EAL with the arguments of %s%s: %s\n",
			cfg->path ? cfg->path : "the config", nextra ? " and after --" : "", rte_strerror(rte_errno));
		attr_free_lists(&lists);
		live_eal_args_free(argv);
		return 1;
	}
	eal_tune();
	if (tables.wanted && tables_activate(&tables, &lists, V6S_LIVE_MAX_WORKERS))
		goto out;
	struct v6s_attr *attr = tables.on ? &tables.attr : NULL;
	if (live_setup(&lv, cfg, attr, err, sizeof(err))) {
		fprintf(stderr, "v6share: %s\n", err);
		goto out;
	}
	if (open_sinks(cfg, c->quiet, sinks, &nsinks))
		goto out;
	struct v6s_registry *reg = attr ? &attr->reg : NULL;
	struct v6s_reporter rep = {
		.node = cfg->node, .source = "dpdk",
		.interval = cfg->interval <= 0 ? 60 : (uint32_t)cfg->interval,
		.sinks = sinks, .nsinks = nsinks, .state_dir = cfg->state_dir,
		.names = report_names(cfg, reg), .two_sets = 1,        /* live.c: the workers' two sets */
	};
	if (reporter_init(&rep)) {
		fprintf(stderr, "v6share: cannot set up the reporter (memory, or state_dir %s)\n",
			cfg->state_dir ? cfg->state_dir : "-");
		goto out;
	}
	live_telemetry(&lv, cfg->segs);
	__atomic_store_n(&tel_tables, tables.control_running ? &tables : NULL, __ATOMIC_RELEASE);
	/* (help texts are limited to 127 characters) */
	if (rte_telemetry_register_cmd("/v6share/reload", tel_reload,
				       "Re-read the tables as SIGHUP does; answers with the new generation or why the old "
				       "tables stay. No parameters."))
		fprintf(stderr, "v6share: cannot register the telemetry command /v6share/reload\n");
	if (!c->quiet)
		fprintf(stderr, "v6share: metering %u ports with %u workers, summaries every %u s\n", lv.nports,
			lv.nworkers, rep.interval);
	struct live_opts o = { .duration = c->duration, .exit_idle = c->exit_idle };
	rc = live_run(&lv, &rep, &o) ? 1 : 0;
	if (rc)
		fprintf(stderr, "v6share: a summary could not be written\n");
	reporter_fini(&rep);
out:
	close_sinks(sinks, nsinks);
	live_fini(&lv);
	tables_stop(&tables);
	eal_stop();
	live_eal_args_free(argv);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct v6s_config cfg;
	char err[1024];
	int opt, rc;

	eal_tidy_at_exit();
	/* what follows "--" is for EAL; getopt must not mix it with pcap files */
	int extra_at = argc;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			extra_at = i;
			break;
		}
	char **extra = &argv[extra_at < argc ? extra_at + 1 : argc];
	int nextra = argc - (extra_at < argc ? extra_at + 1 : argc);
	argc = extra_at;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_PCAP: c.pcap = 1; break;
		case OPT_CONFIG: c.config = optarg; break;
		case OPT_INTERVAL: c.interval = optarg; break;
		case OPT_OUTPUT: c.output = optarg; break;
		case OPT_FORMAT: c.format = optarg; break;
		case OPT_NODE: c.node = optarg; break;
		case OPT_PFX2AS:
			if (c.npfx2as == CLI_TABLES_MAX)
				return die_usage("--pfx2as: at most 16 tables", optarg);
			c.pfx2as[c.npfx2as++] = optarg;
			break;
		case OPT_PREFIXES: c.prefixes = optarg; break;
		case OPT_TOP_ASNS: c.top_asns = optarg; break;
		case OPT_DURATION: c.duration = atof(optarg); break;
		case OPT_EXIT_IDLE: c.exit_idle = atof(optarg); break;
		case OPT_QUIET: c.quiet = 1; break;
		case OPT_CHECK: c.check = optarg; break;
		case OPT_DUMP_TABLE: c.dump_table = 1; break;
		case OPT_CONFIG_DOC: config_print_doc(stdout); return 0;
		case OPT_VERSION: printf("v6share %s\n", V6S_VERSION); return 0;
		case OPT_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}

	/* SIGHUP is taken by the control thread with sigtimedwait: block it
	 * before any thread (EAL's included) exists, so all inherit the block. */
	sigset_t hup;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &hup, NULL);

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
	if (c.dump_table) {
		rc = dump_tables(&cfg, c.quiet);
		config_free(&cfg);
		return rc;
	}
	if (cfg.nports && c.pcap) {
		config_free(&cfg);
		return die_usage("--pcap and a config with ports: choose the offline or the live mode", NULL);
	}
	if (cfg.nports) {
		if (optind < argc) {
			config_free(&cfg);
			return die_usage("unexpected arguments in live mode (EAL arguments go after --)", argv[optind]);
		}
		rc = run_live(&cfg, extra, nextra, &c);
		config_free(&cfg);
		return rc;
	}
	if (!c.pcap) {
		config_free(&cfg);
		return die_usage("nothing to meter: give --pcap FILE ..., or a --config with ports", NULL);
	}
	if (optind >= argc) {
		config_free(&cfg);
		return die_usage("--pcap needs at least one FILE", NULL);
	}
	rc = run_pcap(&cfg, (const char *const *)&argv[optind], (unsigned)(argc - optind), c.quiet);
	config_free(&cfg);
	return rc;
}
