/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "v6share/config.h"
#include "v6share/sink.h"
#include "v6share/table.h"

enum cfg_type { CFG_STRING, CFG_INT, CFG_ENUM, CFG_PREFIXES, CFG_STRLIST, CFG_PORTS };

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
	KEY("pfx2as", CFG_STRING, pfx2as, 0, 0, NULL, "none",
	    "Prefix-to-AS table: CAIDA pfx2as, pyasn IPASN or `bgpdump -m` lines (detected), both families; `-` = stdin."),
	KEY("prefixes_file", CFG_STRING, prefixes_file, 0, 0, NULL, "none",
	    "Named prefix list: lines `prefix [name]`, `#` comments."),
	KEY("prefixes", CFG_PREFIXES, prefixes, 0, 0, NULL, "none",
	    "Named prefixes in the config, as a list of strings `\"prefix [name]\"`."),
	KEY("top_asns", CFG_INT, top_asns, 1, 1000000, NULL, "100",
	    "ASes listed one by one in a summary's `asns` (by bytes); the rest are summed in `others`."),
	KEY("eal", CFG_STRLIST, eal, 0, 0, NULL, "none",
	    "Live mode: DPDK EAL arguments, e.g. `[ \"-l\", \"0-2\", \"--file-prefix\", \"tap1\" ]`; arguments after `--` on the command line come after these."),
	KEY("ports", CFG_PORTS, ports, 1, 64, NULL, "none",
	    "Live mode: `( { device = \"0000:03:00.0\"; queues = 4; }, ... )`; a device is a PCI address or a virtual device (`net_pcap0,rx_pcap=F`, `net_ring0`, `net_af_packet0,iface=X`). Setting ports selects the live mode."),
	KEY("workers", CFG_INT, workers, 0, 127, NULL, "0 (every lcore but the main one)",
	    "Live mode: worker lcores polling the ports' queues."),
	KEY("rx_descriptors", CFG_INT, rx_descriptors, 64, 32768, NULL, "1024",
	    "Live mode: receive descriptors per queue."),
	KEY("mbufs", CFG_INT, mbufs, 1023, 16777215, NULL, "8191 per port and queue",
	    "Live mode: packet buffers in the pool."),
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
	case CFG_PORTS:
		return set_ports(cfg, k, s, file, err, errlen);
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
	free(cfg->path);
	cfg->path = strdup(path);
	rc = 0;
out:
	config_destroy(&lc);
	return rc;
}

void config_print(FILE *out, const struct v6s_config *cfg)
{
	fprintf(out, "# resolved from %s\n", cfg->path ? cfg->path : "built-in defaults");
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		const void *field = (const char *)cfg + k->offset;
		switch (k->type) {
		case CFG_STRING:
			if (*(char *const *)field)
				fprintf(out, "%s = \"%s\";\n", k->name, *(char *const *)field);
			else
				fprintf(out, "# %s: not set\n", k->name);
			break;
		case CFG_STRLIST:
			fprintf(out, "%s = [", k->name);
			for (size_t i = 0; i < cfg->neal; i++)
				fprintf(out, "%s \"%s\"", i ? "," : "", cfg->eal[i]);
			fprintf(out, " ];\n");
			break;
		case CFG_PORTS:
			if (!cfg->nports)
				fprintf(out, "# %s: not set (pcap mode)\n", k->name);
			for (size_t i = 0; i < cfg->nports; i++)
				fprintf(out, "%s{ device = \"%s\"; queues = %lld; }%s", i ? "          " : "ports = ( ",
					cfg->ports[i].device, cfg->ports[i].queues, i + 1 < cfg->nports ? ",\n" : " );\n");
			break;
		case CFG_PREFIXES:
			if (!cfg->nprefixes)
				fprintf(out, "# %s: not set\n", k->name);
			for (size_t i = 0; i < cfg->nprefixes; i++)
				fprintf(out, "%s\"%s\"%s", i ? "  " : "prefixes = ( ", cfg->prefixes[i],
					i + 1 < cfg->nprefixes ? ",\n" : " );\n");
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
						  "list of groups" };

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

void config_free(struct v6s_config *cfg)
{
	free(cfg->path);
	free(cfg->node);
	free(cfg->output);
	free(cfg->pfx2as);
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
	memset(cfg, 0, sizeof(*cfg));
}
