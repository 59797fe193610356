/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdlib.h>
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

static json_t *family_json(const struct v6s_volume v[2])
{
	json_t *o = json_object();
	json_object_set_new(o, "ipv4", volume_json(&v[0], 1));
	json_object_set_new(o, "ipv6", volume_json(&v[1], 1));
	return o;
}

static uint64_t as_bytes(const struct v6s_as_counts *a)
{
	return a->v[0][0].bytes + a->v[0][1].bytes + a->v[1][0].bytes + a->v[1][1].bytes;
}

static uint64_t as_packets(const struct v6s_as_counts *a)
{
	return a->v[0][0].packets + a->v[0][1].packets + a->v[1][0].packets + a->v[1][1].packets;
}

struct ranked {
	uint32_t idx, asn;
	uint64_t bytes;
};

static int by_bytes_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return x->asn < y->asn ? -1 : x->asn > y->asn;
}

static json_t *as_entry_json(json_t *asn, const struct v6s_as_counts *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "asn", asn);
	json_object_set_new(o, "src", family_json(a->v[0]));
	json_object_set_new(o, "dst", family_json(a->v[1]));
	return o;
}

static void as_accumulate(struct v6s_as_counts *sum, const struct v6s_as_counts *a)
{
	uint64_t *d = (uint64_t *)sum;
	const uint64_t *x = (const uint64_t *)a;
	for (size_t i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		d[i] += x[i];
}

/* Heap of the best N so far, the one that would rank last at its root. */
static void heap_down(struct ranked *h, uint32_t n, uint32_t i)
{
	for (;;) {
		uint32_t w = i, l = 2 * i + 1, r = l + 1;
		if (l < n && by_bytes_desc(&h[l], &h[w]) > 0)
			w = l;
		if (r < n && by_bytes_desc(&h[r], &h[w]) > 0)
			w = r;
		if (w == i)
			return;
		struct ranked t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static void heap_up(struct ranked *h, uint32_t i)
{
	while (i && by_bytes_desc(&h[i], &h[(i - 1) / 2]) > 0) {
		struct ranked t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/* The top N ASes by bytes (source plus destination; equal bytes, the lower
 * ASN first), then "others": the entries always add up to the IP totals,
 * per direction and family. The top N are picked with a heap of N, not by
 * sorting every AS that saw traffic (tens of thousands with a full table). */
static json_t *asns_json(const struct v6s_summary *s)
{
	const struct v6s_snapshot *d = &s->d;
	json_t *list = json_array();
	uint32_t top = s->names.top_asns < d->nas ? s->names.top_asns : d->nas;
	struct ranked *h = malloc((top + 1) * sizeof(*h));
	uint32_t n = 0;
	struct v6s_as_counts others;
	uint64_t nothers = 0;

	memset(&others, 0, sizeof(others));
	for (uint32_t i = 0; h && i < d->nas; i++) {
		if (!as_packets(&d->as[i]))
			continue;
		struct ranked c = { i, s->names.reg->asn[i], as_bytes(&d->as[i]) };
		if (n < top) {
			h[n] = c;
			heap_up(h, n++);
			continue;
		}
		if (n && by_bytes_desc(&c, &h[0]) < 0) {
			as_accumulate(&others, &d->as[h[0].idx]);
			h[0] = c;
			heap_down(h, n, 0);
		} else {
			as_accumulate(&others, &d->as[i]);
		}
		nothers++;
	}
	if (h && n > 1)
		qsort(h, n, sizeof(*h), by_bytes_desc);
	for (uint32_t k = 0; k < n; k++)
		json_array_append_new(list, as_entry_json(json_integer(h[k].asn), &d->as[h[k].idx]));
	json_t *o = as_entry_json(json_string("others"), &others);
	json_object_set_new(o, "asns", json_integer((json_int_t)nothers));
	json_array_append_new(list, o);
	free(h);
	return list;
}

/* Every named prefix in force, and any other that saw traffic this interval. */
static json_t *prefixes_json(const struct v6s_summary *s)
{
	const struct v6s_snapshot *d = &s->d;
	const struct v6s_registry *reg = s->names.reg;
	json_t *list = json_array();
	char text[64];

	for (uint32_t i = 1; i < d->npfx; i++) {
		const struct v6s_pfx_counts *p = &d->pfx[i];
		int active = s->names.pfx_active && __atomic_load_n(&s->names.pfx_active[i], __ATOMIC_RELAXED);
		if (!active && !p->v[0].packets && !p->v[1].packets)
			continue;
		json_t *o = json_object();
		table_format_prefix(&reg->pfx[i], text, sizeof(text));
		json_object_set_new(o, "prefix", json_string(text));
		json_object_set_new(o, "name", json_string(reg->pfx_name[i]));
		json_object_set_new(o, "src", volume_json(&p->v[0], 1));
		json_object_set_new(o, "dst", volume_json(&p->v[1], 1));
		json_array_append_new(list, o);
	}
	return list;
}

#define U64(x) json_integer((json_int_t)(x))

static json_t *family_json(const struct v6s_volume v[2]);

/* ipv4/ipv6 volumes, other/malformed, and the share, for one direction or the total. */
static json_t *class_block_json(const struct v6s_volume v[V6S_CLASS_COUNT])
{
	json_t *o = json_object(), *sh = json_object();
	json_object_set_new(o, "ipv4", volume_json(&v[V6S_CLASS_IPV4], 1));
	json_object_set_new(o, "ipv6", volume_json(&v[V6S_CLASS_IPV6], 1));
	json_object_set_new(o, "other", volume_json(&v[V6S_CLASS_OTHER], 0));
	json_object_set_new(o, "malformed", volume_json(&v[V6S_CLASS_MALFORMED], 0));
	json_object_set_new(sh, "packets", ratio_json(v[V6S_CLASS_IPV6].packets,
						      v[V6S_CLASS_IPV4].packets + v[V6S_CLASS_IPV6].packets));
	json_object_set_new(sh, "bytes", ratio_json(v[V6S_CLASS_IPV6].bytes,
						    v[V6S_CLASS_IPV4].bytes + v[V6S_CLASS_IPV6].bytes));
	json_object_set_new(sh, "ip_bytes", ratio_json(v[V6S_CLASS_IPV6].ip_bytes,
						       v[V6S_CLASS_IPV4].ip_bytes + v[V6S_CLASS_IPV6].ip_bytes));
	json_object_set_new(o, "ipv6_share", sh);
	return o;
}

/* Per IXP member: what its router sent and received, by version. */
static json_t *members_json(const struct v6s_summary *s)
{
	const struct v6s_members *m = s->names.members;
	json_t *list = json_array();
	char mac[32];
	for (uint32_t i = 1; i <= m->n; i++) {
		const struct v6s_as_counts *c = &s->d.mem[i];
		json_t *o = json_object();
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m->mac[i][0], m->mac[i][1], m->mac[i][2],
			 m->mac[i][3], m->mac[i][4], m->mac[i][5]);
		json_object_set_new(o, "name", json_string(m->name[i]));
		json_object_set_new(o, "asn", json_integer(m->asn[i]));
		json_object_set_new(o, "mac", json_string(mac));
		json_object_set_new(o, "sent", family_json(c->v[1]));
		json_object_set_new(o, "received", family_json(c->v[0]));
		json_array_append_new(list, o);
	}
	return list;
}

/* Per segment: up / down / unknown and their total, the IPv6 share beside its target. */
static json_t *segments_json(const struct v6s_summary *s)
{
	const struct v6s_segments *g = s->names.segs;
	json_t *list = json_array();
	for (unsigned k = 0; k <= g->n; k++) {
		const struct v6s_seg_counts *c = &s->d.seg[k];
		struct v6s_volume total[V6S_CLASS_COUNT];
		json_t *o = json_object();
		memset(total, 0, sizeof(total));
		json_object_set_new(o, "name", json_string(k < g->n ? g->r[k].name : "unassigned"));
		for (unsigned d = 0; d < V6S_DIR_COUNT; d++) {
			json_object_set_new(o, v6s_dir_names[d], class_block_json(c->v[d]));
			for (unsigned cl = 0; cl < V6S_CLASS_COUNT; cl++) {
				total[cl].packets += c->v[d][cl].packets;
				total[cl].bytes += c->v[d][cl].bytes;
				total[cl].ip_bytes += c->v[d][cl].ip_bytes;
			}
		}
		json_t *t = class_block_json(total);
		json_object_set_new(o, "ipv6_share", json_deep_copy(json_object_get(t, "ipv6_share")));
		json_object_set_new(o, "total", t);
		json_object_set_new(o, "target", k < g->n && g->r[k].target >= 0 ? json_real(g->r[k].target) : json_null());
		json_array_append_new(list, o);
	}
	return list;
}

/* Per port and queue what the driver received, and whether the meter kept up. */
static void ports_json(json_t *o, const struct v6s_summary *s, uint64_t counted)
{
	json_t *list = json_array();
	uint64_t rx = 0, missed = 0, errors = 0, nombuf = 0;

	for (unsigned i = 0; i < s->nports; i++) {
		const struct v6s_port_stats *p = &s->ports[i];
		json_t *e = json_object(), *qs = json_array();
		json_object_set_new(e, "port", json_integer(p->port));
		json_object_set_new(e, "name", json_string(p->name));
		json_object_set_new(e, "packets", U64(p->packets));
		json_object_set_new(e, "bytes", U64(p->bytes));
		json_object_set_new(e, "imissed", U64(p->imissed));
		json_object_set_new(e, "ierrors", U64(p->ierrors));
		json_object_set_new(e, "rx_nombuf", U64(p->rx_nombuf));
		for (unsigned q = 0; q < p->nq; q++) {
			json_t *x = json_object();
			json_object_set_new(x, "queue", json_integer(q));
			json_object_set_new(x, "packets", U64(p->qpackets[q]));
			json_object_set_new(x, "bytes", U64(p->qbytes[q]));
			json_array_append_new(qs, x);
		}
		json_object_set_new(e, "queues", qs);
		json_array_append_new(list, e);
		rx += p->packets;
		missed += p->imissed;
		errors += p->ierrors;
		nombuf += p->rx_nombuf;
	}
	json_object_set_new(o, "ports", list);
	json_t *a = json_object();
	json_object_set_new(a, "received", U64(rx));
	json_object_set_new(a, "counted", U64(counted));
	json_object_set_new(a, "missed", U64(missed + nombuf));
	json_object_set_new(a, "errors", U64(errors));
	json_object_set_new(o, "accounting", a);
}

json_t *report_summary_json(const struct v6s_summary *s)
{
	const struct v6s_counts *d = &s->d.c;
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
	if (s->names.segs && s->d.seg)
		json_object_set_new(o, "segments", segments_json(s));
	if (s->names.members && s->d.mem)
		json_object_set_new(o, "members", members_json(s));
	if (s->ports)
		ports_json(o, s, total.packets);
	if (s->names.reg && s->names.have_asns)
		json_object_set_new(o, "asns", asns_json(s));
	if (s->names.reg && s->names.have_prefixes)
		json_object_set_new(o, "prefixes", prefixes_json(s));
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

/* Per segment and direction: packets by version, the share, the target. */
static void segment_table(FILE *out, const struct v6s_summary *s)
{
	const struct v6s_segments *g = s->names.segs;
	char p[32], t[32];
	fprintf(out, "  %-20s %-8s %14s %14s %10s %8s\n", "segment", "dir", "ipv4 pkts", "ipv6 pkts", "IPv6 share",
		"target");
	for (unsigned k = 0; k <= g->n; k++) {
		const struct v6s_seg_counts *c = &s->d.seg[k];
		uint64_t v4 = 0, v6 = 0;
		for (unsigned d = 0; d < V6S_DIR_COUNT; d++) {
			uint64_t a = c->v[d][V6S_CLASS_IPV4].packets, b = c->v[d][V6S_CLASS_IPV6].packets;
			v4 += a;
			v6 += b;
			if (!a && !b)
				continue;
			pct(p, sizeof(p), b, a + b);
			fprintf(out, "  %-20.20s %-8s %14" PRIu64 " %14" PRIu64 " %10s\n", k < g->n ? g->r[k].name : "unassigned",
				v6s_dir_names[d], a, b, p);
		}
		pct(p, sizeof(p), v6, v4 + v6);
		if (k < g->n && g->r[k].target >= 0)
			snprintf(t, sizeof(t), "%.0f %%", 100.0 * g->r[k].target);
		else
			snprintf(t, sizeof(t), "-");
		fprintf(out, "  %-20.20s %-8s %14" PRIu64 " %14" PRIu64 " %10s %8s\n", k < g->n ? g->r[k].name : "unassigned",
			"total", v4, v6, p, t);
	}
}

#define TABLE_TOP 10

static void share_row(FILE *out, const char *label, uint64_t b4, uint64_t b6)
{
	char p[32];
	pct(p, sizeof(p), b6, b4 + b6);
	fprintf(out, "  %-28s %18" PRIu64 " %18" PRIu64 "   %s\n", label, b4, b6, p);
}

/* For people: the top ASes and the named prefixes, bytes by version. */
static void attribution_table(FILE *out, const struct v6s_summary *s)
{
	const struct v6s_snapshot *d = &s->d;
	char label[96];

	if (s->names.have_asns) {
		struct ranked *r = malloc((d->nas + 1) * sizeof(*r));
		uint32_t n = 0;
		for (uint32_t i = 0; r && i < d->nas; i++) {
			if (as_packets(&d->as[i])) {
				r[n].idx = i;
				r[n].asn = s->names.reg->asn[i];
				r[n++].bytes = as_bytes(&d->as[i]);
			}
		}
		if (r && n > 1)
			qsort(r, n, sizeof(*r), by_bytes_desc);
		fprintf(out, "  %-28s %18s %18s   %s\n", "origin AS (src+dst bytes)", "ipv4", "ipv6", "IPv6 share");
		for (uint32_t k = 0; k < n && k < TABLE_TOP; k++) {
			const struct v6s_as_counts *a = &d->as[r[k].idx];
			snprintf(label, sizeof(label), r[k].asn ? "AS%u" : "no route", r[k].asn);
			share_row(out, label, a->v[0][0].bytes + a->v[1][0].bytes, a->v[0][1].bytes + a->v[1][1].bytes);
		}
		if (n > TABLE_TOP)
			fprintf(out, "  ... %u more ASes\n", n - TABLE_TOP);
		free(r);
	}
	if (s->names.have_prefixes) {
		fprintf(out, "  %-28s %18s %18s\n", "named prefix", "src bytes", "dst bytes");
		for (uint32_t i = 1; i < d->npfx; i++) {
			const struct v6s_pfx_counts *p = &d->pfx[i];
			if (!s->names.pfx_active[i] && !p->v[0].packets && !p->v[1].packets)
				continue;
			snprintf(label, sizeof(label), "%.27s", s->names.reg->pfx_name[i]);
			fprintf(out, "  %-28s %18" PRIu64 " %18" PRIu64 "\n", label, p->v[0].bytes, p->v[1].bytes);
		}
	}
}

void report_summary_table(FILE *out, const struct v6s_summary *s)
{
	const struct v6s_counts *d = &s->d.c;
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
	if (s->names.segs && s->d.seg)
		segment_table(out, s);
	if (s->names.reg && (s->names.have_asns || s->names.have_prefixes))
		attribution_table(out, s);
}

static void seq_path(const struct v6s_reporter *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s/seq", r->state_dir);
}

/* The last seq emitted, written durably so a restart continues after it. */
static int seq_save(const struct v6s_reporter *r)
{
	char path[4096], text[32];
	seq_path(r, path, sizeof(path));
	int n = snprintf(text, sizeof(text), "%llu\n", (unsigned long long)r->seq);
	return sink_write_durable(path, text, (size_t)n);
}

void reporter_poll(struct v6s_reporter *r)
{
	for (unsigned i = 0; i < r->nsinks; i++)
		sink_poll(r->sinks[i]);
}

int reporter_init(struct v6s_reporter *r)
{
	r->emitted = 0;
	if (r->state_dir) {
		char path[4096];
		if (mkdir(r->state_dir, 0755) && errno != EEXIST)
			return -errno;
		seq_path(r, path, sizeof(path));
		FILE *f = fopen(path, "r");
		unsigned long long last = 0;
		if (f) {
			if (fscanf(f, "%llu", &last) != 1) {
				last = 0;       /* written whole or not at all: someone else wrote this */
				fprintf(stderr, "v6share: %s: not a sequence number; summaries start again at "
					"seq 1\n", path);
			}
			fclose(f);
		}
		r->seq = last;
	}
	uint32_t as_cap = 0, pfx_cap = 0;
	uint32_t nseg = r->names.segs ? r->names.segs->n + 1 : 0;
	uint32_t nmem = r->names.members ? r->names.members->n + 1 : 0;
	if (r->names.reg) {
		as_cap = r->names.reg->as_cap;
		pfx_cap = r->names.reg->pfx_cap;
	}
	if (counters_snapshot_init(&r->prev, as_cap, pfx_cap, nseg, nmem) ||
	    counters_snapshot_init(&r->now, as_cap, pfx_cap, nseg, nmem) ||
	    counters_snapshot_init(&r->delta, as_cap, pfx_cap, nseg, nmem) ||
	    (r->two_sets && (counters_snapshot_init(&r->set_snap[0], as_cap, pfx_cap, nseg, nmem) ||
			     counters_snapshot_init(&r->set_snap[1], as_cap, pfx_cap, nseg, nmem)))) {
		reporter_fini(r);
		return -ENOMEM;
	}
	return 0;
}

void reporter_fini(struct v6s_reporter *r)
{
	counters_snapshot_fini(&r->prev);
	counters_snapshot_fini(&r->now);
	counters_snapshot_fini(&r->delta);
	counters_snapshot_fini(&r->set_snap[0]);
	counters_snapshot_fini(&r->set_snap[1]);
}

int reporter_emit(struct v6s_reporter *r, struct timespec start, struct timespec end)
{
	const struct v6s_registry *reg = r->names.reg;
	int rc = 0;

	uint32_t nas = reg ? attr_nas(reg) : 0, npfx = reg ? __atomic_load_n(&reg->npfx, __ATOMIC_ACQUIRE) : 0;
	if (r->two_sets) {
		for (int s = 0; s < 2; s++)
			if (r->quiet_set == s || r->quiet_set < 0)
				counters_snapshot(&r->set_snap[s], r->blocks + (size_t)s * r->nblocks, r->nblocks, nas,
						  npfx);
		counters_add(&r->now, &r->set_snap[0], &r->set_snap[1]);
	} else {
		counters_snapshot(&r->now, r->blocks, r->nblocks, nas, npfx);
	}
	/* until the first emit prev is all zeros (reporter_init): the delta is now */
	if (r->emitted)
		counters_delta(&r->delta, &r->now, &r->prev);
	struct v6s_summary s = {
		.node = r->node, .source = r->source, .seq = r->seq + 1,
		.interval = r->interval, .start = start, .end = end, .d = r->emitted ? r->delta : r->now,
		.names = r->names,
		.ports = r->ports, .nports = r->nports,
	};
	for (unsigned i = 0; i < r->nsinks; i++) {
		int e = sink_emit(r->sinks[i], &s);
		if (e && !rc)
			rc = e;
	}
	struct v6s_snapshot t = r->prev;        /* now becomes prev; reuse the old arrays */
	r->prev = r->now;
	r->now = t;
	r->emitted = 1;
	r->seq = s.seq;
	if (r->state_dir && seq_save(r) && !rc)
		rc = -EIO;
	return rc;
}
