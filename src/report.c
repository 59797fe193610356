/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "v6share/report.h"
#include "v6share/sink.h"

void report_format_time(char *buf, size_t len, struct timespec t)
{
	struct tm tm;
	time_t sec = t.tv_sec;
	char base[32];

	gmtime_r(&sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	if (t.tv_nsec == 0)
		snprintf(buf, len, "%sZ", base);
	else if (t.tv_nsec % 1000 == 0)
		snprintf(buf, len, "%s.%06ldZ", base, t.tv_nsec / 1000);
	else
		snprintf(buf, len, "%s.%09ldZ", base, t.tv_nsec);
}

static json_t *volume_json(const struct v6s_volume *v, int with_ip_bytes)
{
	json_t *o = json_object();

	json_object_set_new(o, "packets", json_integer((json_int_t)v->packets));
	json_object_set_new(o, "bytes", json_integer((json_int_t)v->bytes));
	if (with_ip_bytes)
		json_object_set_new(o, "ip_bytes", json_integer((json_int_t)v->ip_bytes));
	return o;
}

/* Non-zero reasons only, so a reader sees at once what went wrong. */
static json_t *reasons_json(const uint64_t *counts, const char *const *names, unsigned n)
{
	json_t *o = json_object();

	for (unsigned i = 0; i < n; i++)
		if (counts[i])
			json_object_set_new(o, names[i], json_integer((json_int_t)counts[i]));
	return o;
}

static json_t *ratio_json(uint64_t part, uint64_t whole)
{
	return whole ? json_real((double)part / (double)whole) : json_null();
}

json_t *report_summary_json(const struct v6s_summary *s)
{
	const struct v6s_counts *d = &s->d;
	const struct v6s_volume *v4 = &d->cls[V6S_CLASS_IPV4], *v6 = &d->cls[V6S_CLASS_IPV6];
	struct v6s_volume total = counters_total(d);
	char ts[48];
	json_t *o = json_object(), *x;

	if (!o)
		return NULL;
	json_object_set_new(o, "schema", json_string(V6S_SCHEMA));
	json_object_set_new(o, "node", json_string(s->node));
	json_object_set_new(o, "seq", json_integer((json_int_t)s->seq));
	report_format_time(ts, sizeof(ts), s->start);
	json_object_set_new(o, "start", json_string(ts));
	report_format_time(ts, sizeof(ts), s->end);
	json_object_set_new(o, "end", json_string(ts));
	json_object_set_new(o, "interval", json_integer(s->interval));
	json_object_set_new(o, "source", json_string(s->source));
	json_object_set_new(o, "total", volume_json(&total, 1));
	json_object_set_new(o, "ipv4", volume_json(v4, 1));
	json_object_set_new(o, "ipv6", volume_json(v6, 1));
	json_object_set_new(o, "ipv6_tunneled", volume_json(&d->ipv6_tunneled, 1));

	x = volume_json(&d->cls[V6S_CLASS_OTHER], 0);
	json_object_set_new(x, "reasons", reasons_json(d->other_reason, v6s_other_names, V6S_OTHER_COUNT));
	json_object_set_new(o, "other", x);
	x = volume_json(&d->cls[V6S_CLASS_MALFORMED], 0);
	json_object_set_new(x, "reasons",
			    reasons_json(d->malformed_reason, v6s_malformed_names, V6S_MALFORMED_COUNT));
	json_object_set_new(o, "malformed", x);

	x = json_object();
	json_object_set_new(x, "packets", ratio_json(v6->packets, v4->packets + v6->packets));
	json_object_set_new(x, "bytes", ratio_json(v6->bytes, v4->bytes + v6->bytes));
	json_object_set_new(x, "ip_bytes", ratio_json(v6->ip_bytes, v4->ip_bytes + v6->ip_bytes));
	json_object_set_new(o, "ipv6_share", x);

	x = json_object();
	for (unsigned e = 0; e < V6S_ENCAP_COUNT; e++)
		json_object_set_new(x, v6s_encap_names[e], json_integer((json_int_t)d->encap[e]));
	json_object_set_new(o, "encap", x);
	return o;
}

static void pct(char *buf, size_t len, uint64_t part, uint64_t whole)
{
	if (whole)
		snprintf(buf, len, "%6.2f %%", 100.0 * (double)part / (double)whole);
	else
		snprintf(buf, len, "%8s", "-");
}

static void reason_line(FILE *out, const char *title, const uint64_t *counts,
			const char *const *names, unsigned n)
{
	int any = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(out, "%s %s %" PRIu64, any ? "," : title, names[i], counts[i]);
		any = 1;
	}
	if (any)
		fputc('\n', out);
}

void report_summary_table(FILE *out, const struct v6s_summary *s)
{
	const struct v6s_counts *d = &s->d;
	const struct v6s_volume *v4 = &d->cls[V6S_CLASS_IPV4], *v6 = &d->cls[V6S_CLASS_IPV6];
	struct v6s_volume total = counters_total(d);
	char a[48], b[48], c[48];
	struct {
		const char *name;
		const struct v6s_volume *v;
	} rows[] = {
		{ "ipv4", v4 }, { "ipv6", v6 }, { "  tunneled", &d->ipv6_tunneled },
		{ "other", &d->cls[V6S_CLASS_OTHER] }, { "malformed", &d->cls[V6S_CLASS_MALFORMED] },
		{ "total", &total },
	};

	report_format_time(a, sizeof(a), s->start);
	report_format_time(b, sizeof(b), s->end);
	fprintf(out, "v6share %s  seq %" PRIu64 "  %s .. %s  (%s)\n", s->node, s->seq, a, b, s->source);
	fprintf(out, "  %-11s %15s %18s %18s\n", "", "packets", "bytes", "ip_bytes");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(out, "  %-11s %15" PRIu64 " %18" PRIu64 " %18" PRIu64 "\n", rows[i].name,
			rows[i].v->packets, rows[i].v->bytes, rows[i].v->ip_bytes);
	pct(a, sizeof(a), v6->packets, v4->packets + v6->packets);
	pct(b, sizeof(b), v6->bytes, v4->bytes + v6->bytes);
	pct(c, sizeof(c), v6->ip_bytes, v4->ip_bytes + v6->ip_bytes);
	fprintf(out, "  IPv6 share  %s of packets, %s of bytes, %s of IP bytes\n", a, b, c);
	fprintf(out, "  encap      ");
	for (unsigned e = 0; e < V6S_ENCAP_COUNT; e++)
		fprintf(out, " %s %" PRIu64, v6s_encap_names[e], d->encap[e]);
	fputc('\n', out);
	reason_line(out, "  other      ", d->other_reason, v6s_other_names, V6S_OTHER_COUNT);
	reason_line(out, "  malformed  ", d->malformed_reason, v6s_malformed_names, V6S_MALFORMED_COUNT);
}

int reporter_emit(struct v6s_reporter *r, struct timespec start, struct timespec end)
{
	struct v6s_counts now;
	struct v6s_summary s = {
		.node = r->node, .source = r->source, .seq = r->seq + 1,
		.interval = r->interval, .start = start, .end = end,
	};
	int rc = 0;

	counters_snapshot(&now, r->blocks, r->nblocks);
	counters_delta(&s.d, &now, &r->prev);
	for (unsigned i = 0; i < r->nsinks; i++) {
		int e = sink_emit(r->sinks[i], &s);
		if (e && !rc)
			rc = e;
	}
	r->prev = now;
	r->seq = s.seq;
	return rc;
}
