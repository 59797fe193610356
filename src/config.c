/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "v6share/config.h"
#include "v6share/sink.h"
#include "v6share/table.h"

enum cfg_type { CFG_STRING, CFG_INT, CFG_ENUM, CFG_PREFIXES, CFG_STRLIST, CFG_PORTS, CFG_SEGMENTS, CFG_MEMBERS,
		CFG_SINKS, CFG_KAFKA, CFG_FILES };

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset;
	long long min, max;             /* CFG_INT bounds */
	const char *const *choices;     /* CFG_ENUM names, index = value */
	const char *def;                /* default, as documentation */
	const char *doc;
};

static const char *const format_choices[] = { "json", "table", NULL };
static const char *const prefetch_choices[] = { "auto", "on", "off", NULL };     /* enum v6s_prefetch */
static const char *const huge_choices[] = { "auto", "on", "off", NULL };         /* enum v6s_huge */

#define KEY(n, t, field, lo, hi, ch, d, doc) \
	{ n, t, offsetof(struct v6s_config, field), lo, hi, ch, d, doc }

static const struct cfg_key cfg_keys[] = {
	KEY("node", CFG_STRING, node, 0, 0, NULL, "host name",
	    "Name of this meter, carried in every summary as `node`."),
	KEY("interval", CFG_INT, interval, 0, V6S_INTERVAL_MAX, NULL, "0 (pcap mode)",
	    "Seconds per summary, intervals aligned to multiples of it. 0 = one summary for the whole input."),
	KEY("output", CFG_STRING, output, 0, 0, NULL, "\"-\"",
	    "Where summaries go: a file path (created or truncated) or `-` for standard output."),
	KEY("format", CFG_ENUM, format, 0, 0, format_choices, "\"json\"",
	    "`json`: one JSON object per line (schema v6share.summary.v1); `table`: for people."),
	KEY("pfx2as", CFG_FILES, pfx2as, 0, 0, NULL, "none",
	    "Prefix-to-AS table: CAIDA pfx2as, pyasn IPASN, `bgpdump -m` lines, an MRT RIB dump, RIPE's RISwhois dump "
	    "or pmacct's networks_file (detected), both families, "
	    "plain or compressed with gzip, zstd, xz or bzip2; `-` = stdin. A list of files (`[ \"rv2.pfx2as.gz\", "
	    "\"rv6.pfx2as.gz\" ]`: CAIDA and RouteViews publish IPv4 and IPv6 apart) is read in order, the first "
	    "file to hold a prefix giving its origin."),
	KEY("prefixes_file", CFG_STRING, prefixes_file, 0, 0, NULL, "none",
	    "Named prefix list: lines `prefix [name]`, `#` comments; plain or compressed with gzip, zstd, xz or bzip2."),
	KEY("prefixes", CFG_PREFIXES, prefixes, 0, 0, NULL, "none",
	    "Named prefixes in the config, as a list of strings `\"prefix [name]\"`."),
	KEY("top_asns", CFG_INT, top_asns, 1, 1000000, NULL, "100",
	    "ASes listed one by one in a summary's `asns` (by bytes); the rest are summed in `others`."),
	KEY("eal", CFG_STRLIST, eal, 0, 0, NULL, "none",
	    "Live mode: DPDK EAL arguments, e.g. `[ \"-l\", \"0-2\", \"--file-prefix\", \"tap1\" ]`; arguments after `--` on the command line come after these."),
	KEY("ports", CFG_PORTS, ports, 1, 64, NULL, "none",
	    "Live mode: `( { device = \"0000:03:00.0\"; queues = 4; }, ... )`; a device is a PCI address or a virtual device (`net_pcap0,rx_pcap=F`, `net_ring0`, `net_af_packet0,iface=X`). Setting ports selects the live mode."),
	KEY("segments", CFG_SEGMENTS, segs, 1, V6S_MAX_SEGMENTS, NULL, "none",
	    "Named parts of the network, as ordered rules: `( { name = \"mobile\"; target = 0.70; ports = [0]; "
	    "vlans = [\"100-199\"]; inner_vlans = [...]; macs = [\"02:00:00:00:00:01\"]; "
	    "subscribers = [\"2001:db8:100::/40\", \"100.64.0.0/10\"]; }, ... )`. Every criterion given must match; "
	    "the first matching rule wins; the rest is `unassigned`. Direction: `up` from the segment's subscribers, "
	    "`down` to them."),
	KEY("members", CFG_MEMBERS, members, 1, V6S_MAX_MEMBERS, NULL, "none",
	    "IXP nodes: `( { mac = \"02:00:5e:00:00:01\"; name = \"Example-AS\"; asn = 64500; }, ... )`: per member, "
	    "IPv4 and IPv6 sent (its router MAC is the frame's source) and received (the destination)."),
	KEY("sinks", CFG_SINKS, sinks, 1, 16, NULL, "output/format",
	    "Where summaries go, several at once: `( { type = \"kafka\"; brokers = \"host:9092\"; topic = \"v6share.summary\"; "
	    "properties = [ \"security.protocol=SSL\" ]; flush_timeout_ms = 10000; }, { type = \"file\"; path = \"/var/lib/v6share/s.jsonl\"; "
	    "rotate_kb = 102400; keep = 5; }, { type = \"stdout\"; format = \"table\"; } )`. Without it, `output` and `format` say."),
	KEY("kafka", CFG_KAFKA, sinks, 0, 0, NULL, "none",
	    "Shorthand for one more kafka sink: `kafka = { brokers = \"host:9092\"; topic = \"v6share.summary\"; "
	    "properties = { compression_type = \"zstd\"; }; };` (in a properties group, `_` stands for the `.` of "
	    "librdkafka's names; a list of \"key=value\" strings works too)."),
	KEY("state_dir", CFG_STRING, state_dir, 0, 0, NULL, "none",
	    "Directory for what outlives a run: the last `seq` (so it keeps increasing across restarts) and the Kafka spool. Needed by the kafka sink."),
	KEY("workers", CFG_INT, workers, 0, 127, NULL, "0 (every lcore but the main one)",
	    "Live mode: worker lcores polling the ports' queues."),
	KEY("rx_descriptors", CFG_INT, rx_descriptors, 64, 32768, NULL, "1024",
	    "Live mode: receive descriptors per queue."),
	KEY("mbufs", CFG_INT, mbufs, 1023, 16777215, NULL, "8191 per port and queue",
	    "Live mode: packet buffers in the pool."),
	KEY("max_frame", CFG_INT, max_frame, 1518, 16000, NULL, "9216",
	    "Live mode: the longest frame the taps carry, in bytes without the FCS (jumbo frames, tags and "
	    "labels included). Ports take frames this long whole: their MTU is raised to it (as far as the "
	    "device allows), with scattered receive where the device has it and packet buffers this large "
	    "where it has not; a net_af_packet port gets ring frames for its interface's MTU, up to this, "
	    "unless its device string sets framesz."),
	KEY("prefetch", CFG_ENUM, prefetch, 0, 0, prefetch_choices, "\"auto\"",
	    "Live mode: whether workers fetch each packet's first-level FIB entries as soon as they have parsed "
	    "it. Which is faster depends on the core (it saved 10% a packet on an Intel Xeon and cost up to 57%, "
	    "median 10%, on an AMD EPYC): `auto` has each busy worker measure both ways on its own traffic and keep the faster, "
	    "again every 8.4 M packets; `on` and `off` fix it. Telemetry's `/v6share/stats` shows "
	    "`workers_prefetching`."),
	KEY("huge_pages", CFG_ENUM, huge_pages, 0, 0, huge_choices, "\"auto\"",
	    "Whether large allocations (DPDK's memory for the tables, counter arrays, route lists, the offline "
	    "read-ahead) ask for transparent huge pages. `auto`: the live meter does (months of lookups gain "
	    "from fewer TLB misses); the offline meter first measures what a fresh 4 KiB page and a 2 MiB page "
	    "cost and asks only where small page faults are dear (a hypervisor that traps each one, as PVM "
	    "does: there the run with the 2015 table took 0.87-1.03 s instead of 1.12-1.39), since elsewhere huge "
	    "pages the host had taken back stalled half the runs. `on` and `off` fix it."),
};

#define NKEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

void config_defaults(struct v6s_config *cfg)
{
	char host[256] = "v6share";

	memset(cfg, 0, sizeof(*cfg));
	if (gethostname(host, sizeof(host) - 1) != 0)
		strcpy(host, "v6share");
	host[sizeof(host) - 1] = '\0';
	cfg->node = strdup(host);
	cfg->interval = -1;
	cfg->output = strdup("-");
	cfg->format = V6S_FORMAT_JSON;
	cfg->top_asns = 100;
	cfg->rx_descriptors = 1024;
	cfg->mbufs = -1;
	cfg->max_frame = 9216;
}

static const struct cfg_key *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

static void key_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NKEYS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", cfg_keys[i].name);
}

/* ports = ( { device = "..."; queues = N; }, ... ) */
static int set_ports(struct v6s_config *cfg, const struct cfg_key *k, const config_setting_t *s,
		     const char *file, char *err, size_t errlen)
{
	int line = config_setting_source_line(s);
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_LIST || config_setting_length(s) < 1) {
		snprintf(err, errlen, "%s:%d: key '%s': expected a list of groups like "
			 "( { device = \"net_pcap0,rx_pcap=a.pcap\"; queues = 1; } )", file, line, k->name);
		return -1;
	}
	int n = config_setting_length(s);
	if (n > k->max) {
		snprintf(err, errlen, "%s:%d: key '%s': %d ports; at most %lld", file, line, k->name, n, k->max);
		return -1;
	}
	struct v6s_port_cfg *ports = calloc((size_t)n, sizeof(*ports));
	for (int i = 0; ports && i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		int gl = config_setting_source_line(g);
		const char *dev = NULL;
		int q = 1;
		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			snprintf(err, errlen, "%s:%d: key '%s': entry %d is not a group { device = ...; queues = ...; }",
				 file, gl, k->name, i + 1);
			goto bad;
		}
		for (int j = 0; j < config_setting_length(g); j++) {
			const config_setting_t *e = config_setting_get_elem(g, (unsigned)j);
			const char *name = config_setting_name(e);
			int el = config_setting_source_line(e);
			if (strcmp(name, "device") == 0 && config_setting_type(e) == CONFIG_TYPE_STRING &&
			    *config_setting_get_string(e)) {
				dev = config_setting_get_string(e);
			} else if (strcmp(name, "queues") == 0 && config_setting_type(e) == CONFIG_TYPE_INT &&
				   config_setting_get_int(e) >= 1 && config_setting_get_int(e) <= 16) {
				q = config_setting_get_int(e);
			} else if (strcmp(name, "device") == 0 || strcmp(name, "queues") == 0) {
				snprintf(err, errlen, "%s:%d: key 'ports.%s' (port %d): %s", file, el, name, i + 1,
					 strcmp(name, "device") == 0 ? "expected a non-empty string"
								     : "expected a whole number from 1 to 16");
				goto bad;
			} else {
				snprintf(err, errlen, "%s:%d: key 'ports.%s' (port %d): unknown key; valid keys: device, queues",
					 file, el, name, i + 1);
				goto bad;
			}
		}
		if (!dev) {
			snprintf(err, errlen, "%s:%d: key 'ports' (port %d): no device", file, gl, i + 1);
			goto bad;
		}
		ports[i].device = strdup(dev);
		ports[i].queues = q;
		ports[i].line = gl;
	}
	cfg->ports = ports;
	cfg->nports = (size_t)n;
	return 0;
bad:
	for (int i = 0; i < n; i++)
		free(ports[i].device);
	free(ports);
	return -1;
}

#define SEG_ERR(line, key, ...) do { \
	int used_ = snprintf(err, errlen, "%s:%d: key 'segments.%s' (segment %u \"%s\"): ", file, line, key, \
			     i + 1, rule->name); \
	snprintf(err + used_, errlen - (size_t)used_, __VA_ARGS__); \
	goto bad; } while (0)

static int vlan_range(const config_setting_t *e, struct v6s_vlan_range *r)
{
	unsigned lo, hi;
	char tail;
	if (config_setting_type(e) == CONFIG_TYPE_INT) {
		lo = hi = (unsigned)config_setting_get_int(e);
	} else if (config_setting_type(e) == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(e);
		int n = sscanf(v, "%u-%u%c", &lo, &hi, &tail);
		if (n == 1)
			hi = lo;
		else if (n != 2)
			return -1;
	} else {
		return -1;
	}
	if (lo > hi || hi > 4095)
		return -1;
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return 0;
}

/* segments = ( { name = "..."; target = 0.7; ports = [..]; vlans = [..]; ... }, ... ) */
static int set_segments(struct v6s_config *cfg, const struct cfg_key *k, const config_setting_t *s,
			const char *file, char *err, size_t errlen)
{
	int line = config_setting_source_line(s);
	if (config_setting_type(s) != CONFIG_TYPE_LIST || config_setting_length(s) < 1 ||
	    config_setting_length(s) > (int)k->max) {
		snprintf(err, errlen, "%s:%d: key '%s': expected a list of 1 to %lld groups like "
			 "( { name = \"mobile\"; subscribers = [ \"2001:db8::/32\" ]; } )", file, line, k->name, k->max);
		return -1;
	}
	struct v6s_segments *g = calloc(1, sizeof(*g));
	size_t subcap = 0;
	unsigned i = 0;
	struct v6s_segment_rule *rule = NULL;
	if (!g)
		return -1;
	for (i = 0; i < (unsigned)config_setting_length(s); i++) {
		const config_setting_t *grp = config_setting_get_elem(s, i);
		rule = &g->r[i];
		rule->target = -1;
		rule->line = config_setting_source_line(grp);
		snprintf(rule->name, sizeof(rule->name), "#%u", i + 1);
		if (config_setting_type(grp) != CONFIG_TYPE_GROUP)
			SEG_ERR(rule->line, "", "not a group { name = ...; ... }");
		const config_setting_t *nm = config_setting_get_member(grp, "name");
		if (!nm || config_setting_type(nm) != CONFIG_TYPE_STRING || !*config_setting_get_string(nm) ||
		    strlen(config_setting_get_string(nm)) >= sizeof(rule->name) || !strcmp(config_setting_get_string(nm), "unassigned"))
			SEG_ERR(nm ? (int)config_setting_source_line(nm) : rule->line, "name",
				"every segment needs a name of 1 to 63 characters, not \"unassigned\"");
		snprintf(rule->name, sizeof(rule->name), "%s", config_setting_get_string(nm));
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(g->r[j].name, rule->name))
				SEG_ERR(config_setting_source_line(nm), "name", "the name is used twice");
		for (int m = 0; m < config_setting_length(grp); m++) {
			const config_setting_t *e = config_setting_get_elem(grp, (unsigned)m);
			const char *key = config_setting_name(e);
			int el = config_setting_source_line(e);
			int t = config_setting_type(e);
			int islist = t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY;
			int n = islist ? config_setting_length(e) : 0;
			if (!strcmp(key, "name"))
				continue;
			if (!strcmp(key, "target")) {
				double v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
					 : t == CONFIG_TYPE_INT ? config_setting_get_int(e) : -1;
				if (v < 0 || v > 1)
					SEG_ERR(el, key, "expected a share from 0 to 1, e.g. 0.70");
				rule->target = v;
			} else if (!strcmp(key, "ports")) {
				if (!islist)
					SEG_ERR(el, key, "expected a list of port numbers (config order, from 0), e.g. [0, 2]");
				for (int x = 0; x < n; x++) {
					const config_setting_t *p = config_setting_get_elem(e, (unsigned)x);
					if (config_setting_type(p) != CONFIG_TYPE_INT || config_setting_get_int(p) < 0 ||
					    config_setting_get_int(p) > 63)
						SEG_ERR(el, key, "entry %d: expected a port number from 0 to 63", x + 1);
					rule->ports |= 1ull << config_setting_get_int(p);
				}
			} else if (!strcmp(key, "vlans") || !strcmp(key, "inner_vlans")) {
				int inner = key[0] == 'i';
				if (!islist || n > V6S_SEG_MAX_RANGES)
					SEG_ERR(el, key, "expected a list of at most %d VLAN IDs or ranges, e.g. [ 100, \"200-299\" ]",
						V6S_SEG_MAX_RANGES);
				for (int x = 0; x < n; x++) {
					struct v6s_vlan_range *r = inner ? &rule->inner_vlans[rule->ninner++] : &rule->vlans[rule->nvlans++];
					if (vlan_range(config_setting_get_elem(e, (unsigned)x), r))
						SEG_ERR(el, key, "entry %d: expected a VLAN ID 0-4095 or a range \"lo-hi\"", x + 1);
				}
			} else if (!strcmp(key, "macs")) {
				if (!islist || n > V6S_SEG_MAX_MACS)
					SEG_ERR(el, key, "expected a list of at most %d MAC addresses", V6S_SEG_MAX_MACS);
				for (int x = 0; x < n; x++) {
					const config_setting_t *p = config_setting_get_elem(e, (unsigned)x);
					if (config_setting_type(p) != CONFIG_TYPE_STRING ||
					    segment_parse_mac(config_setting_get_string(p), rule->macs[rule->nmacs++]))
						SEG_ERR(el, key, "entry %d: expected \"aa:bb:cc:dd:ee:ff\"", x + 1);
				}
			} else if (!strcmp(key, "subscribers")) {
				if (!islist)
					SEG_ERR(el, key, "expected a list of prefixes, e.g. [ \"2001:db8::/32\" ]");
				for (int x = 0; x < n; x++) {
					const config_setting_t *p = config_setting_get_elem(e, (unsigned)x);
					struct v6s_route r;
					if (config_setting_type(p) != CONFIG_TYPE_STRING ||
					    table_parse_prefix(config_setting_get_string(p), &r))
						SEG_ERR(el, key, "entry %d: expected a prefix like \"100.64.0.0/10\"", x + 1);
					if (g->nsub == subcap) {
						subcap = subcap ? 2 * subcap : 16;
						g->subscribers = realloc(g->subscribers, subcap * sizeof(r));
					}
					r.value = i + 1;
					g->subscribers[g->nsub++] = r;
				}
				rule->has_subscribers = n > 0;
			} else {
				SEG_ERR(el, key, "unknown key; valid keys: name, target, ports, vlans, inner_vlans, macs, subscribers");
			}
		}
	}
	g->n = i;
	if (cfg->segs)
		free(cfg->segs->subscribers);
	free(cfg->segs);
	cfg->segs = g;
	return 0;
bad:
	free(g->subscribers);
	free(g);
	return -1;
}

static void free_sinks(struct v6s_sink_cfg *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].path);
		free(v[i].brokers);
		free(v[i].topic);
		for (size_t j = 0; j < v[i].nprops; j++)
			free(v[i].props[j]);
		free(v[i].props);
	}
	free(v);
}

#define SINK_ERR(line, key, ...) do { \
	int used_ = snprintf(err, errlen, "%s:%d: key 'sinks.%s' (sink %d): ", file, line, key, i + 1); \
	snprintf(err + used_, errlen - (size_t)used_, __VA_ARGS__); \
	goto bad; } while (0)

/* sinks = ( { type = "kafka" | "file" | "stdout"; ... }, ... ) */
static int set_sinks(struct v6s_config *cfg, const struct cfg_key *k, const config_setting_t *s,
		     const char *file, char *err, size_t errlen)
{
	int n = config_setting_length(s), i = 0;
	struct v6s_sink_cfg *v = NULL;
	if (config_setting_type(s) != CONFIG_TYPE_LIST || n < 1 || n > k->max) {
		snprintf(err, errlen, "%s:%d: key '%s': expected a list of 1 to %lld groups like ( { type = \"stdout\"; } )",
			 file, config_setting_source_line(s), k->name, k->max);
		return -1;
	}
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		int line = config_setting_source_line(g);
		const char *type = NULL;
		v[i].line = line;
		v[i].flush_ms = 10000;
		v[i].keep = 5;
		if (config_setting_type(g) != CONFIG_TYPE_GROUP || !config_setting_lookup_string(g, "type", &type))
			SINK_ERR(line, "type", "expected type = \"kafka\", \"file\" or \"stdout\"");
		v[i].type = !strcmp(type, "kafka") ? V6S_SINK_KAFKA : !strcmp(type, "file") ? V6S_SINK_FILE
			  : !strcmp(type, "stdout") ? V6S_SINK_STDOUT : -1;
		if (v[i].type < 0)
			SINK_ERR(line, "type", "\"%s\" is not valid; valid: \"kafka\", \"file\", \"stdout\"", type);
		for (int m = 0; m < config_setting_length(g); m++) {
			const config_setting_t *e = config_setting_get_elem(g, (unsigned)m);
			const char *key = config_setting_name(e);
			int el = config_setting_source_line(e), t = config_setting_type(e);
			const char *str = t == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
			long long num = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? config_setting_get_int64(e) : -1;
			if (!strcmp(key, "type"))
				continue;
			if (!strcmp(key, "brokers") && v[i].type == V6S_SINK_KAFKA && str && *str)
				v[i].brokers = strdup(str);
			else if (!strcmp(key, "topic") && v[i].type == V6S_SINK_KAFKA && str && *str)
				v[i].topic = strdup(str);
			else if (!strcmp(key, "flush_timeout_ms") && v[i].type == V6S_SINK_KAFKA && num >= 0 && num <= 3600000)
				v[i].flush_ms = num;
			else if (!strcmp(key, "properties") && v[i].type == V6S_SINK_KAFKA &&
				 (t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY)) {
				int np = config_setting_length(e);
				v[i].props = calloc((size_t)np + 1, sizeof(char *));
				for (int x = 0; x < np; x++) {
					const config_setting_t *p = config_setting_get_elem(e, (unsigned)x);
					const char *kv = config_setting_type(p) == CONFIG_TYPE_STRING ? config_setting_get_string(p) : NULL;
					if (!kv || !strchr(kv, '=') || kv[0] == '=')
						SINK_ERR(el, key, "entry %d: expected \"librdkafka.setting=value\"", x + 1);
					v[i].props[v[i].nprops++] = strdup(kv);
				}
			} else if (!strcmp(key, "properties") && v[i].type == V6S_SINK_KAFKA && t == CONFIG_TYPE_GROUP) {
				int np = config_setting_length(e);
				v[i].props = calloc((size_t)np + 1, sizeof(char *));
				for (int x = 0; x < np; x++) {
					const config_setting_t *p = config_setting_get_elem(e, (unsigned)x);
					char name[128], val[64], *kv;
					const char *value = val;
					snprintf(name, sizeof(name), "%s", config_setting_name(p));
					for (char *c = name; *c; c++)
						if (*c == '_')
							*c = '.';       /* compression_type -> compression.type */
					switch (config_setting_type(p)) {
					case CONFIG_TYPE_STRING: value = config_setting_get_string(p); break;
					case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64:
						snprintf(val, sizeof(val), "%lld", config_setting_get_int64(p)); break;
					case CONFIG_TYPE_BOOL:
						snprintf(val, sizeof(val), "%s", config_setting_get_bool(p) ? "true" : "false"); break;
					default:
						SINK_ERR(config_setting_source_line(p), "properties",
							 "%s: expected a string, a number or true/false", config_setting_name(p));
					}
					if (asprintf(&kv, "%s=%s", name, value) < 0)
						goto bad;
					v[i].props[v[i].nprops++] = kv;
				}
			} else if (!strcmp(key, "path") && v[i].type == V6S_SINK_FILE && str && *str)
				v[i].path = strdup(str);
			else if (!strcmp(key, "rotate_kb") && v[i].type == V6S_SINK_FILE && num >= 0 && num <= 1000000000)
				v[i].rotate_kb = num;
			else if (!strcmp(key, "keep") && v[i].type == V6S_SINK_FILE && num >= 1 && num <= 1000)
				v[i].keep = num;
			else if (!strcmp(key, "format") && v[i].type == V6S_SINK_STDOUT && str &&
				 (!strcmp(str, "json") || !strcmp(str, "table")))
				v[i].format = !strcmp(str, "table") ? V6S_FORMAT_TABLE : V6S_FORMAT_JSON;
			else
				SINK_ERR(el, key, "not valid here; a %s sink takes %s", type,
					 v[i].type == V6S_SINK_KAFKA ? "brokers, topic (strings), properties (list of "
					 "\"key=value\"), flush_timeout_ms (0-3600000)"
					 : v[i].type == V6S_SINK_FILE ? "path (string), rotate_kb (0-1000000000), keep (1-1000)"
					 : "format (\"json\" or \"table\")");
		}
		if (v[i].type == V6S_SINK_KAFKA && (!v[i].brokers || !v[i].topic))
			SINK_ERR(line, v[i].brokers ? "topic" : "brokers", "a kafka sink needs brokers and topic");
		if (v[i].type == V6S_SINK_FILE && !v[i].path)
			SINK_ERR(line, "path", "a file sink needs a path");
	}
	/* a kafka = { } group read earlier stays: keep it after these */
	if (cfg->nsinks) {
		struct v6s_sink_cfg *all = realloc(v, ((size_t)n + cfg->nsinks) * sizeof(*all));
		if (!all)
			goto bad;
		memcpy(all + n, cfg->sinks, cfg->nsinks * sizeof(*all));
		free(cfg->sinks);
		v = all;
		n += (int)cfg->nsinks;
	}
	cfg->sinks = v;
	cfg->nsinks = (size_t)n;
	return 0;
bad:
	free_sinks(v, (size_t)n);
	return -1;
}

/* kafka = { brokers; topic; properties; }: one more kafka sink, as the sinks list would have it. */
static int add_kafka_group(struct v6s_config *cfg, const config_setting_t *s, const char *file, char *err,
			   size_t errlen)
{
	config_t tmp;
	config_setting_t *list, *g;
	int rc;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		snprintf(err, errlen, "%s:%d: key 'kafka': expected a group { brokers = \"...\"; topic = \"...\"; }", file,
			 config_setting_source_line(s));
		return -1;
	}
	/* reuse the sinks parser on a copy of the group with type = "kafka" added */
	config_init(&tmp);
	list = config_setting_add(config_root_setting(&tmp), "sinks", CONFIG_TYPE_LIST);
	g = config_setting_add(list, NULL, CONFIG_TYPE_GROUP);
	config_setting_set_string(config_setting_add(g, "type", CONFIG_TYPE_STRING), "kafka");
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		config_setting_t *c = config_setting_add(g, config_setting_name(e), config_setting_type(e));
		switch (config_setting_type(e)) {
		case CONFIG_TYPE_STRING: config_setting_set_string(c, config_setting_get_string(e)); break;
		case CONFIG_TYPE_INT: config_setting_set_int(c, config_setting_get_int(e)); break;
		case CONFIG_TYPE_INT64: config_setting_set_int64(c, config_setting_get_int64(e)); break;
		case CONFIG_TYPE_GROUP: case CONFIG_TYPE_LIST: case CONFIG_TYPE_ARRAY:
			for (int j = 0; j < config_setting_length(e); j++) {
				const config_setting_t *x = config_setting_get_elem(e, (unsigned)j);
				config_setting_t *y = config_setting_add(c, config_setting_type(e) == CONFIG_TYPE_GROUP ?
									 config_setting_name(x) : NULL, config_setting_type(x));
				if (config_setting_type(x) == CONFIG_TYPE_STRING)
					config_setting_set_string(y, config_setting_get_string(x));
				else if (config_setting_type(x) == CONFIG_TYPE_BOOL)
					config_setting_set_bool(y, config_setting_get_bool(x));
				else
					config_setting_set_int64(y, config_setting_get_int64(x));
			}
			break;
		default: break;
		}
	}
	struct v6s_sink_cfg *keep = cfg->sinks;
	size_t nkeep = cfg->nsinks;
	cfg->sinks = NULL;
	cfg->nsinks = 0;
	static const struct cfg_key sinks_key = { "sinks", CFG_SINKS, 0, 1, 1, NULL, NULL, NULL };
	rc = set_sinks(cfg, &sinks_key, list, file, err, errlen);
	if (rc == 0) {                  /* append the new one to what was there */
		struct v6s_sink_cfg *all = realloc(keep, (nkeep + 1) * sizeof(*all));
		if (!all) {
			rc = -1;
		} else {
			all[nkeep] = cfg->sinks[0];
			all[nkeep].line = config_setting_source_line(s);
			free(cfg->sinks);
			cfg->sinks = all;
			cfg->nsinks = nkeep + 1;
			keep = NULL;
		}
	}
	if (keep) {
		cfg->sinks = keep;
		cfg->nsinks = nkeep;
	}
	config_destroy(&tmp);
	return rc;
}

/* members = ( { mac = "..."; name = "..."; asn = N; }, ... ) */
static int set_members(struct v6s_config *cfg, const struct cfg_key *k, const config_setting_t *s,
		       const char *file, char *err, size_t errlen)
{
	struct v6s_members *m = calloc(1, sizeof(*m));
	int n = config_setting_length(s);
	if (!m)
		return -1;
	if (config_setting_type(s) != CONFIG_TYPE_LIST || n < 1 || n > k->max) {
		snprintf(err, errlen, "%s:%d: key '%s': expected a list of 1 to %lld groups like "
			 "( { mac = \"02:00:5e:00:00:01\"; name = \"Example\"; asn = 64500; } )", file,
			 config_setting_source_line(s), k->name, k->max);
		goto bad;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		const char *mac = NULL, *name = NULL;
		long long asn = 0;
		uint8_t b[6];
		int line = config_setting_source_line(g);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP ||
		    !config_setting_lookup_string(g, "mac", &mac) || segment_parse_mac(mac, b)) {
			snprintf(err, errlen, "%s:%d: key 'members.mac' (member %d): expected mac = \"aa:bb:cc:dd:ee:ff\"",
				 file, line, i + 1);
			goto bad;
		}
		if (!config_setting_lookup_string(g, "name", &name) || !*name) {
			snprintf(err, errlen, "%s:%d: key 'members.name' (member %d): expected a name", file, line, i + 1);
			goto bad;
		}
		/* libconfig reads 4200000002 as a 32-bit int and wraps it: take 4200000002L or "4200000002" */
		const config_setting_t *a = config_setting_get_member(g, "asn");
		char *end = NULL;
		if (a && config_setting_type(a) == CONFIG_TYPE_STRING)
			asn = strtoll(config_setting_get_string(a), &end, 10);
		else if (a && (config_setting_type(a) == CONFIG_TYPE_INT || config_setting_type(a) == CONFIG_TYPE_INT64))
			asn = config_setting_get_int64(a);
		else if (a)
			asn = -1;
		if (asn < 0 || asn > 4294967295LL || (end && *end)) {
			snprintf(err, errlen, "%s:%d: key 'members.asn' (member %d): not an AS number; write 32-bit "
				 "ones as 4200000002L or \"4200000002\"", file, line, i + 1);
			goto bad;
		}
		for (int j = 0; j < config_setting_length(g); j++) {
			const char *key = config_setting_name(config_setting_get_elem(g, (unsigned)j));
			if (strcmp(key, "mac") && strcmp(key, "name") && strcmp(key, "asn")) {
				snprintf(err, errlen, "%s:%d: key 'members.%s' (member %d): unknown key; valid keys: mac, name, asn",
					 file, line, key, i + 1);
				goto bad;
			}
		}
		if (members_add(m, b, name, (uint32_t)asn)) {
			snprintf(err, errlen, "%s:%d: key 'members.mac' (member %d): %s is listed twice", file, line, i + 1, mac);
			goto bad;
		}
	}
	if (cfg->members)
		members_free(cfg->members);
	free(cfg->members);
	cfg->members = m;
	return 0;
bad:
	members_free(m);
	free(m);
	return -1;
}

static int set_key(struct v6s_config *cfg, const struct cfg_key *k, const config_setting_t *s,
		   const char *file, char *err, size_t errlen)
{
	void *field = (char *)cfg + k->offset;
	int line = config_setting_source_line(s);
	int t = config_setting_type(s);

	switch (k->type) {
	case CFG_STRING: {
		if (t != CONFIG_TYPE_STRING) {
			snprintf(err, errlen, "%s:%d: key '%s': expected a string in double quotes",
				 file, line, k->name);
			return -1;
		}
		const char *v = config_setting_get_string(s);
		if (!*v) {
			snprintf(err, errlen, "%s:%d: key '%s': must not be empty", file, line, k->name);
			return -1;
		}
		char **dst = field;
		free(*dst);
		*dst = strdup(v);
		return 0;
	}
	case CFG_INT: {
		if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
			snprintf(err, errlen, "%s:%d: key '%s': expected a whole number from %lld to %lld",
				 file, line, k->name, k->min, k->max);
			return -1;
		}
		long long v = config_setting_get_int64(s);
		if (v < k->min || v > k->max) {
			snprintf(err, errlen, "%s:%d: key '%s': %lld is out of range; valid: %lld to %lld",
				 file, line, k->name, v, k->min, k->max);
			return -1;
		}
		*(long long *)field = v;
		return 0;
	}
	case CFG_PREFIXES: {
		if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) {
			snprintf(err, errlen, "%s:%d: key '%s': expected a list of strings like "
				 "( \"2001:db8::/32 customers\", \"192.0.2.0/24\" )", file, line, k->name);
			return -1;
		}
		int n = config_setting_length(s);
		char **list = calloc((size_t)n + 1, sizeof(*list));
		for (int i = 0; list && i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
			struct v6s_route r;
			char pfx[128];
			if (v)
				sscanf(v, "%127s", pfx);
			if (!v || table_parse_prefix(pfx, &r)) {
				snprintf(err, errlen, "%s:%d: key '%s': entry %d %s%s%s is not \"prefix [name]\", "
					 "e.g. \"2001:db8::/32 customers\"", file, config_setting_source_line(e),
					 k->name, i + 1, v ? "\"" : "", v ? v : "(not a string)", v ? "\"" : "");
				for (int j = 0; j < i; j++)
					free(list[j]);
				free(list);
				return -1;
			}
			list[i] = strdup(v);
		}
		for (size_t i = 0; i < cfg->nprefixes; i++)
			free(cfg->prefixes[i]);
		free(cfg->prefixes);
		cfg->prefixes = list;
		cfg->nprefixes = (size_t)n;
		return 0;
	}
	case CFG_STRLIST: {
		if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) {
			snprintf(err, errlen, "%s:%d: key '%s': expected a list of strings like [ \"-l\", \"0-2\" ]",
				 file, line, k->name);
			return -1;
		}
		int n = config_setting_length(s);
		char **list = calloc((size_t)n + 1, sizeof(*list));
		for (int i = 0; list && i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				snprintf(err, errlen, "%s:%d: key '%s': entry %d is not a string in double quotes",
					 file, config_setting_source_line(e), k->name, i + 1);
				for (int j = 0; j < i; j++)
					free(list[j]);
				free(list);
				return -1;
			}
			list[i] = strdup(config_setting_get_string(e));
		}
		for (size_t i = 0; i < cfg->neal; i++)
			free(cfg->eal[i]);
		free(cfg->eal);
		cfg->eal = list;
		cfg->neal = (size_t)n;
		return 0;
	}
	case CFG_FILES: {
		struct v6s_files *dst = field;
		int n = t == CONFIG_TYPE_STRING ? 1 : t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY ?
			config_setting_length(s) : -1;
		if (n < 1) {
			snprintf(err, errlen, "%s:%d: key '%s': expected a file name in double quotes, or a list of them "
				 "like [ \"a.gz\", \"b.gz\" ]", file, line, k->name);
			return -1;
		}
		char **list = calloc((size_t)n, sizeof(*list));
		for (int i = 0; list && i < n; i++) {
			const config_setting_t *e = t == CONFIG_TYPE_STRING ? s : config_setting_get_elem(s, (unsigned)i);
			const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
			if (!v || !*v) {
				snprintf(err, errlen, "%s:%d: key '%s': entry %d is %s", file, config_setting_source_line(e),
					 k->name, i + 1, v ? "empty" : "not a string in double quotes");
				for (int j = 0; j < i; j++)
					free(list[j]);
				free(list);
				return -1;
			}
			list[i] = strdup(v);
		}
		if (!list) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		config_files_free(dst);
		dst->path = list;
		dst->n = (size_t)n;
		return 0;
	}
	case CFG_PORTS:
		return set_ports(cfg, k, s, file, err, errlen);
	case CFG_SEGMENTS:
		return set_segments(cfg, k, s, file, err, errlen);
	case CFG_MEMBERS:
		return set_members(cfg, k, s, file, err, errlen);
	case CFG_SINKS:
		return set_sinks(cfg, k, s, file, err, errlen);
	case CFG_KAFKA:
		return add_kafka_group(cfg, s, file, err, errlen);
	case CFG_ENUM: {
		const char *v = t == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
		for (int i = 0; v && k->choices[i]; i++) {
			if (strcmp(v, k->choices[i]) == 0) {
				*(int *)field = i;
				return 0;
			}
		}
		char valid[256];
		size_t used = 0;
		valid[0] = '\0';
		for (int i = 0; k->choices[i]; i++)
			used += (size_t)snprintf(valid + used, sizeof(valid) - used, "%s\"%s\"",
						 i ? ", " : "", k->choices[i]);
		snprintf(err, errlen, "%s:%d: key '%s': %s%s%s is not valid; valid: %s", file, line, k->name,
			 v ? "\"" : "", v ? v : "this value", v ? "\"" : "", valid);
		return -1;
	}
	}
	return -1;
}

int config_load(struct v6s_config *cfg, const char *path, char *err, size_t errlen)
{
	config_t lc;
	int rc = -1;

	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : ENOENT));
		else
			snprintf(err, errlen, "%s:%d: syntax error: %s", path, config_error_line(&lc),
				 config_error_text(&lc));
		goto out;
	}
	config_setting_t *root = config_root_setting(&lc);
	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const struct cfg_key *k = find_key(config_setting_name(s));
		if (!k) {
			char keys[512];
			key_list(keys, sizeof(keys));
			snprintf(err, errlen, "%s:%d: key '%s': unknown key; valid keys: %s", path,
				 config_setting_source_line(s), config_setting_name(s), keys);
			goto out;
		}
		if (set_key(cfg, k, s, path, err, errlen))
			goto out;
	}
	for (size_t i = 0; i < cfg->nsinks; i++) {
		if (cfg->sinks[i].type == V6S_SINK_KAFKA && !cfg->state_dir) {
			snprintf(err, errlen, "%s:%d: key 'sinks' (sink %zu): a kafka sink needs state_dir (for the spool "
				 "and seq)", path, cfg->sinks[i].line, i + 1);
			goto out;
		}
	}
	free(cfg->path);
	cfg->path = strdup(path);
	rc = 0;
out:
	config_destroy(&lc);
	return rc;
}

/* A string as the parser reads it back: quoted, with backslash, quote and
 * control characters escaped (the rest, UTF-8 included, as it is). */
static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void config_print(FILE *out, const struct v6s_config *cfg)
{
	fprintf(out, "# resolved from %s\n", cfg->path ? cfg->path : "built-in defaults");
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		const void *field = (const char *)cfg + k->offset;
		switch (k->type) {
		case CFG_STRING:
			if (*(char *const *)field) {
				fprintf(out, "%s = ", k->name);
				put_quoted(out, *(char *const *)field);
				fprintf(out, ";\n");
			} else
				fprintf(out, "# %s: not set\n", k->name);
			break;
		case CFG_FILES: {
			const struct v6s_files *f = field;
			if (!f->n)
				fprintf(out, "# %s: not set\n", k->name);
			else {
				fprintf(out, "%s = %s", k->name, f->n > 1 ? "[ " : "");
				for (size_t i = 0; i < f->n; i++) {
					fprintf(out, "%s", i ? ", " : "");
					put_quoted(out, f->path[i]);
				}
				fprintf(out, "%s;\n", f->n > 1 ? " ]" : "");
			}
			break;
		}
		case CFG_STRLIST:
			fprintf(out, "%s = [", k->name);
			for (size_t i = 0; i < cfg->neal; i++) {
				fprintf(out, "%s ", i ? "," : "");
				put_quoted(out, cfg->eal[i]);
			}
			fprintf(out, " ];\n");
			break;
		case CFG_PORTS:
			if (!cfg->nports)
				fprintf(out, "# %s: not set (pcap mode)\n", k->name);
			for (size_t i = 0; i < cfg->nports; i++) {
				fprintf(out, "%s{ device = ", i ? "          " : "ports = ( ");
				put_quoted(out, cfg->ports[i].device);
				fprintf(out, "; queues = %lld; }%s", cfg->ports[i].queues, i + 1 < cfg->nports ? ",\n" : " );\n");
			}
			break;
		case CFG_SEGMENTS:
			if (!cfg->segs)
				fprintf(out, "# %s: not set\n", k->name);
			for (unsigned i = 0; cfg->segs && i < cfg->segs->n; i++) {
				const struct v6s_segment_rule *r = &cfg->segs->r[i];
				fprintf(out, "%s{ name = ", i ? "             " : "segments = ( ");
				put_quoted(out, r->name);
				fprintf(out, ";");
				if (r->target >= 0)
					fprintf(out, " target = %.4f;", r->target);
				if (r->ports) {
					fprintf(out, " ports = [");
					for (int p = 0, first = 1; p < 64; p++)
						if ((r->ports >> p) & 1) {
							fprintf(out, "%s%d", first ? " " : ", ", p);
							first = 0;
						}
					fprintf(out, " ];");
				}
				for (int inner = 0; inner < 2; inner++) {
					unsigned n = inner ? r->ninner : r->nvlans;
					const struct v6s_vlan_range *v = inner ? r->inner_vlans : r->vlans;
					if (n)
						fprintf(out, " %s = [", inner ? "inner_vlans" : "vlans");
					for (unsigned j = 0; j < n; j++)
						fprintf(out, "%s\"%u-%u\"", j ? ", " : " ", v[j].lo, v[j].hi);
					if (n)
						fprintf(out, " ];");
				}
				for (unsigned j = 0; j < r->nmacs; j++)
					fprintf(out, "%s\"%02x:%02x:%02x:%02x:%02x:%02x\"%s", j ? ", " : " macs = [ ",
						r->macs[j][0], r->macs[j][1], r->macs[j][2], r->macs[j][3], r->macs[j][4],
						r->macs[j][5], j + 1 == r->nmacs ? " ];" : "");
				int first = 1;
				for (size_t j = 0; j < cfg->segs->nsub; j++) {
					if (cfg->segs->subscribers[j].value != i + 1)
						continue;
					char text[64];
					table_format_prefix(&cfg->segs->subscribers[j], text, sizeof(text));
					fprintf(out, "%s\"%s\"", first ? " subscribers = [ " : ", ", text);
					first = 0;
				}
				fprintf(out, "%s }%s\n", first ? "" : " ];", i + 1 < cfg->segs->n ? "," : " );");
			}
			break;
		case CFG_KAFKA:
			break;                  /* printed with the sinks */
		case CFG_SINKS:
			if (!cfg->nsinks)
				fprintf(out, "# %s: not set (output and format)\n", k->name);
			for (size_t i = 0; i < cfg->nsinks; i++) {
				const struct v6s_sink_cfg *x = &cfg->sinks[i];
				fprintf(out, "%s", i ? "         " : "sinks = ( ");
				if (x->type == V6S_SINK_KAFKA) {
					fprintf(out, "{ type = \"kafka\"; brokers = ");
					put_quoted(out, x->brokers);
					fprintf(out, "; topic = ");
					put_quoted(out, x->topic);
					fprintf(out, "; flush_timeout_ms = %lld;", x->flush_ms);
					for (size_t j = 0; j < x->nprops; j++) {
						/* never print what may be a secret */
						const char *kv = x->props[j], *eq = strchr(kv, '=');
						int secret = strstr(kv, "password") || strstr(kv, "secret") || strstr(kv, ".key") ||
							     strstr(kv, "oauthbearer") || strstr(kv, "sasl.username");
						char *shown = NULL;
						if (asprintf(&shown, "%.*s=%s", (int)(eq - kv), kv, secret ? "***" : eq + 1) < 0)
							shown = NULL;
						fprintf(out, "%s", j ? ", " : " properties = [ ");
						put_quoted(out, shown ? shown : "");
						free(shown);
						if (j + 1 == x->nprops)
							fprintf(out, " ];");
					}
					fprintf(out, " }");
				} else if (x->type == V6S_SINK_FILE) {
					fprintf(out, "{ type = \"file\"; path = ");
					put_quoted(out, x->path);
					fprintf(out, "; rotate_kb = %lld; keep = %lld; }", x->rotate_kb, x->keep);
				} else {
					fprintf(out, "{ type = \"stdout\"; format = \"%s\"; }", x->format ? "table" : "json");
				}
				fprintf(out, "%s\n", i + 1 < cfg->nsinks ? "," : " );");
			}
			break;
		case CFG_MEMBERS:
			if (!cfg->members)
				fprintf(out, "# %s: not set\n", k->name);
			for (uint32_t i = 1; cfg->members && i <= cfg->members->n; i++) {
				const uint8_t *b = cfg->members->mac[i];
				fprintf(out, "%s{ mac = \"%02x:%02x:%02x:%02x:%02x:%02x\"; name = ",
					i > 1 ? "            " : "members = ( ", b[0], b[1], b[2], b[3], b[4], b[5]);
				put_quoted(out, cfg->members->name[i]);
				fprintf(out, "; asn = %u; }%s\n", cfg->members->asn[i], i < cfg->members->n ? "," : " );");
			}
			break;
		case CFG_PREFIXES:
			if (!cfg->nprefixes)
				fprintf(out, "# %s: not set\n", k->name);
			for (size_t i = 0; i < cfg->nprefixes; i++) {
				fprintf(out, "%s", i ? "  " : "prefixes = ( ");
				put_quoted(out, cfg->prefixes[i]);
				fprintf(out, "%s", i + 1 < cfg->nprefixes ? ",\n" : " );\n");
			}
			break;
		case CFG_INT:
			if (*(const long long *)field < 0)
				fprintf(out, "# %s: mode default\n", k->name);
			else
				fprintf(out, "%s = %lld;\n", k->name, *(const long long *)field);
			break;
		case CFG_ENUM:
			fprintf(out, "%s = \"%s\";\n", k->name, k->choices[*(const int *)field]);
			break;
		}
	}
}

void config_print_doc(FILE *out)
{
	static const char *const type_names[] = { "string", "integer", "one of", "list of strings", "list of strings",
						  "list of groups", "list of groups", "list of groups", "list of groups", "group",
						  "string or list of strings" };
	_Static_assert(sizeof(type_names) / sizeof(type_names[0]) == CFG_FILES + 1, "a name for every type");

	fprintf(out, "| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		fprintf(out, "| `%s` | %s", k->name, type_names[k->type]);
		if (k->type == CFG_INT)
			fprintf(out, " %lld..%lld", k->min, k->max);
		for (int c = 0; k->type == CFG_ENUM && k->choices[c]; c++)
			fprintf(out, "%s`\"%s\"`", c ? ", " : " ", k->choices[c]);
		fprintf(out, " | %s | %s |\n", k->def, k->doc);
	}
}

void config_files_free(struct v6s_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->path[i]);
	free(f->path);
	f->path = NULL;
	f->n = 0;
}

void config_free(struct v6s_config *cfg)
{
	free(cfg->path);
	free(cfg->node);
	free(cfg->output);
	config_files_free(&cfg->pfx2as);
	free(cfg->prefixes_file);
	for (size_t i = 0; i < cfg->nprefixes; i++)
		free(cfg->prefixes[i]);
	free(cfg->prefixes);
	for (size_t i = 0; i < cfg->neal; i++)
		free(cfg->eal[i]);
	free(cfg->eal);
	for (size_t i = 0; i < cfg->nports; i++)
		free(cfg->ports[i].device);
	free(cfg->ports);
	if (cfg->segs)
		free(cfg->segs->subscribers);
	free(cfg->segs);
	if (cfg->members)
		members_free(cfg->members);
	free(cfg->members);
	free(cfg->state_dir);
	free_sinks(cfg->sinks, cfg->nsinks);
	memset(cfg, 0, sizeof(*cfg));
}
