/* SPDX-License-Identifier: BSD-3-Clause
 * v6gen: writes a capture of a named traffic mix (or one case) through
 * libpcap and prints its ground truth, computed from how each frame was
 * built, in the same shape as a v6share summary.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cases.h"
#include "lpm_ref.h"

/* Per-AS and per-prefix truth, from a brute-force longest-prefix match. */
struct attrib {
	struct v6s_route_list as, pfx, subs;
	char **pfx_names;
	size_t npfx_names;
	uint32_t *asns;         /* distinct ASNs, sorted; index 0 is AS 0 */
	size_t nasns;
	unsigned top;
};

struct vol { uint64_t p, b, i; };

struct tally {
	struct vol seg[3][V6S_CLASS_COUNT];     /* subscribers: [up/down/unknown][class] */
	struct vol (*as)[2][2];         /* [as][src/dst][v4/v6] */
	struct vol (*pf)[2];            /* [prefix][src/dst] */
	int used;
	int64_t start;
	uint64_t pk[V6S_CLASS_COUNT], by[V6S_CLASS_COUNT], ipb[V6S_CLASS_COUNT];
	uint64_t tpk, tby, tipb;
	uint64_t encap[V6S_ENCAP_COUNT];
	uint64_t other[V6S_OTHER_COUNT], bad[V6S_MALFORMED_COUNT];
	struct vol no_mac[2];           /* IPv4 / IPv6 frames metered without MACs (mirrored bare IP) */
};

static size_t asn_index(const struct attrib *a, uint32_t asn)
{
	size_t lo = 0, hi = a->nasns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->asns[mid] < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void vol_add(struct vol *v, const struct gen_frame *f)
{
	v->p++;
	v->b += gen_counted_len(f);
	v->i += f->ip_len;
}

static void attribute(struct tally *t, const struct attrib *a, const struct gen_case *c, const struct gen_frame *f)
{
	if (a->subs.n && c->cls > V6S_CLASS_IPV6)
		vol_add(&t->seg[2][c->cls], f);
	if (c->cls > V6S_CLASS_IPV6 || (!a->as.n && !a->pfx.n && !a->subs.n))
		return;
	int fam = c->cls == V6S_CLASS_IPV4 ? 4 : 6;
	uint8_t addr[2][16];
	if (fam == 4) {
		uint32_t x[2] = { f->user_src4, f->user_dst4 };
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < 4; k++)
				addr[d][k] = (uint8_t)(x[d] >> (24 - 8 * k));
	} else {
		memcpy(addr[0], f->user_src6, 16);
		memcpy(addr[1], f->user_dst6, 16);
	}
	if (a->subs.n) {
		int dir = lpm_ref_lookup(a->subs.r, a->subs.n, fam, addr[0]) >= 0 ? 0
			: lpm_ref_lookup(a->subs.r, a->subs.n, fam, addr[1]) >= 0 ? 1 : 2;
		vol_add(&t->seg[dir][c->cls], f);
	}
	for (int d = 0; d < 2; d++) {
		if (a->as.n) {
			long r = lpm_ref_lookup(a->as.r, a->as.n, fam, addr[d]);
			vol_add(&t->as[asn_index(a, r < 0 ? 0 : a->as.r[r].value)][d][fam == 6], f);
		}
		if (a->pfx.n) {
			long r = lpm_ref_lookup(a->pfx.r, a->pfx.n, fam, addr[d]);
			if (r >= 0)
				vol_add(&t->pf[r][d], f);
		}
	}
}

static void tally_add(struct tally *t, const struct gen_case *c, const struct gen_frame *f)
{
	t->used = 1;
	t->pk[c->cls]++;
	t->by[c->cls] += gen_counted_len(f);
	t->ipb[c->cls] += f->ip_len;
	if (c->tunneled6) {
		t->tpk++;
		t->tby += gen_counted_len(f);
		t->tipb += f->ip_len;
	}
	for (unsigned e = 0; e < V6S_ENCAP_COUNT; e++)
		if (c->encaps & (1u << e))
			t->encap[e]++;
	if ((c->flags & C_NO_MAC) && c->cls <= V6S_CLASS_IPV6)
		vol_add(&t->no_mac[c->cls], f);
	if (c->cls == V6S_CLASS_OTHER)
		t->other[c->reason]++;
	if (c->cls == V6S_CLASS_MALFORMED)
		t->bad[c->reason]++;
}

static void print_reasons(FILE *o, const uint64_t *n, const char *const *names, unsigned k)
{
	int first = 1;
	fputs("\"reasons\":{", o);
	for (unsigned i = 0; i < k; i++) {
		if (!n[i])
			continue;
		fprintf(o, "%s\"%s\":%" PRIu64, first ? "" : ",", names[i], n[i]);
		first = 0;
	}
	fputc('}', o);
}

static void print_vol(FILE *o, const char *key, const struct vol *v)
{
	fprintf(o, "\"%s\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"ip_bytes\":%" PRIu64 "}",
		key, v->p, v->b, v->i);
}

static void print_as(FILE *o, const struct vol v[2][2])
{
	fputs("\"src\":{", o);
	print_vol(o, "ipv4", &v[0][0]);
	fputc(',', o);
	print_vol(o, "ipv6", &v[0][1]);
	fputs("},\"dst\":{", o);
	print_vol(o, "ipv4", &v[1][0]);
	fputc(',', o);
	print_vol(o, "ipv6", &v[1][1]);
	fputc('}', o);
}

static const struct attrib *sort_attrib;
static const struct tally *sort_tally;

static uint64_t as_bytes(const struct vol v[2][2])
{
	return v[0][0].b + v[0][1].b + v[1][0].b + v[1][1].b;
}

static int by_bytes(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	uint64_t ba = as_bytes(sort_tally->as[a]), bb = as_bytes(sort_tally->as[b]);
	if (ba != bb)
		return ba > bb ? -1 : 1;
	return sort_attrib->asns[a] < sort_attrib->asns[b] ? -1 : 1;
}

/* The same shape and order as v6share's asns: top N by bytes, then others. */
static void print_attrib(FILE *o, const struct tally *t, const struct attrib *a)
{
	if (a->as.n) {
		size_t *idx = malloc((a->nasns + 1) * sizeof(*idx)), n = 0, nothers = 0;
		struct vol others[2][2];
		memset(others, 0, sizeof(others));
		for (size_t i = 0; i < a->nasns; i++) {
			const struct vol (*v)[2] = t->as[i];
			if (v[0][0].p + v[0][1].p + v[1][0].p + v[1][1].p)
				idx[n++] = i;
		}
		sort_attrib = a;
		sort_tally = t;
		qsort(idx, n, sizeof(*idx), by_bytes);
		fputs(",\"asns\":[", o);
		for (size_t k = 0; k < n; k++) {
			if (k < a->top) {
				fprintf(o, "{\"asn\":%u,", a->asns[idx[k]]);
				print_as(o, t->as[idx[k]]);
				fputs("},", o);
				continue;
			}
			for (int d = 0; d < 2; d++)
				for (int f = 0; f < 2; f++) {
					others[d][f].p += t->as[idx[k]][d][f].p;
					others[d][f].b += t->as[idx[k]][d][f].b;
					others[d][f].i += t->as[idx[k]][d][f].i;
				}
			nothers++;
		}
		fputs("{\"asn\":\"others\",", o);
		print_as(o, (const struct vol (*)[2])others);
		fprintf(o, ",\"asns\":%zu}]", nothers);
		free(idx);
	}
	if (a->subs.n) {
		static const char *const dn[] = { "up", "down", "unknown" };
		fputs(",\"subscribers\":{", o);
		for (int d = 0; d < 3; d++) {
			fprintf(o, "%s\"%s\":{", d ? "," : "", dn[d]);
			for (int c = 0; c < V6S_CLASS_COUNT; c++) {
				if (c)
					fputc(',', o);
				if (c <= V6S_CLASS_IPV6) {
					print_vol(o, v6s_class_names[c], &t->seg[d][c]);
				} else {
					fprintf(o, "\"%s\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 "}",
						v6s_class_names[c], t->seg[d][c].p, t->seg[d][c].b);
				}
			}
			fputc('}', o);
		}
		fputc('}', o);
	}
	if (a->pfx.n) {
		char text[64];
		fputs(",\"prefixes\":[", o);
		for (size_t i = 0; i < a->pfx.n; i++) {
			table_format_prefix(&a->pfx.r[i], text, sizeof(text));
			fprintf(o, "%s{\"prefix\":\"%s\",\"name\":\"%s\",", i ? "," : "", text,
				a->pfx_names[a->pfx.r[i].value]);
			print_vol(o, "src", &t->pf[i][0]);
			fputc(',', o);
			print_vol(o, "dst", &t->pf[i][1]);
			fputc('}', o);
		}
		fputc(']', o);
	}
}

static void print_tally(FILE *o, const struct tally *t, uint32_t interval, const struct attrib *a)
{
	uint64_t P = 0, B = 0, I = 0;
	for (unsigned k = 0; k < V6S_CLASS_COUNT; k++) {
		P += t->pk[k];
		B += t->by[k];
		I += t->ipb[k];
	}
	fprintf(o, "{\"interval\":%u,\"start\":%" PRId64 ",", interval, t->start);
	fprintf(o, "\"total\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"ip_bytes\":%" PRIu64 "},", P, B, I);
	for (unsigned k = 0; k <= V6S_CLASS_IPV6; k++)
		fprintf(o, "\"%s\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"ip_bytes\":%" PRIu64 "},",
			v6s_class_names[k], t->pk[k], t->by[k], t->ipb[k]);
	fprintf(o, "\"ipv6_tunneled\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"ip_bytes\":%" PRIu64 "},",
		t->tpk, t->tby, t->tipb);
	fprintf(o, "\"other\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",",
		t->pk[V6S_CLASS_OTHER], t->by[V6S_CLASS_OTHER]);
	print_reasons(o, t->other, v6s_other_names, V6S_OTHER_COUNT);
	fprintf(o, "},\"malformed\":{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",",
		t->pk[V6S_CLASS_MALFORMED], t->by[V6S_CLASS_MALFORMED]);
	print_reasons(o, t->bad, v6s_malformed_names, V6S_MALFORMED_COUNT);
	fputs("},\"encap\":{", o);
	for (unsigned e = 0; e < V6S_ENCAP_COUNT; e++)
		fprintf(o, "%s\"%s\":%" PRIu64, e ? "," : "", v6s_encap_names[e], t->encap[e]);
	fputc('}', o);
	if (t->no_mac[0].p || t->no_mac[1].p) {         /* no IXP member can be found for these */
		fputs(",\"no_mac\":{", o);
		print_vol(o, "ipv4", &t->no_mac[0]);
		fputc(',', o);
		print_vol(o, "ipv6", &t->no_mac[1]);
		fputc('}', o);
	}
	print_attrib(o, t, a);
	fputs("}\n", o);
}

/* A realistic tap: mostly plain IP, the encapsulations operators see, a
 * little control traffic and a few broken frames. Weights in per mille. */
static const struct { const char *name; unsigned w; } imix[] = {
	{ "ipv4_tcp", 270 }, { "ipv4_udp", 60 }, { "ipv6_tcp", 180 }, { "ipv6_udp", 50 },
	{ "vlan_v4", 60 }, { "vlan_v6", 40 }, { "qinq_v4", 20 }, { "qinq_v6", 20 },
	{ "mpls1_v4", 40 }, { "mpls3_v6", 30 }, { "vlan_mpls_v6", 10 },
	{ "pppoe_v4", 30 }, { "pppoe_v6", 20 }, { "qinq_pppoe_v6", 10 },
	{ "gtpu_v4_in_v4", 50 }, { "gtpu_v6_in_v4", 30 }, { "gtpu_5g", 30 }, { "gtpu_v6_in_v6", 10 },
	{ "6in4", 5 }, { "teredo", 3 }, { "dslite", 5 }, { "gre_v6", 2 },
	{ "arp", 4 }, { "lldp", 1 }, { "pppoe_lcp", 1 },
	{ "m_ipv4_len_long", 1 }, { "m_gtpu_trunc", 1 }, { "m_ipv6_trunc", 1 }, { "m_mpls_no_bos", 1 },
};

static const struct gen_case *pick_imix(uint64_t *rng, enum gen_link link)
{
	for (;;) {
		unsigned r = (unsigned)(pb_rand(rng) % 1000), acc = 0;
		for (size_t i = 0; i < sizeof(imix) / sizeof(imix[0]); i++) {
			acc += imix[i].w;
			if (r < acc) {
				const struct gen_case *c = gen_case_find(imix[i].name);
				if (gen_case_fits(c, link))
					return c;
				break;
			}
		}
	}
}

/* IMIX-like frame sizes: many small, some medium, many full-size. */
static uint32_t imix_size(uint64_t *rng)
{
	unsigned r = (unsigned)(pb_rand(rng) % 100);
	if (r < 50)
		return 64 + (uint32_t)(pb_rand(rng) % 37);
	if (r < 70)
		return 570 + (uint32_t)(pb_rand(rng) % 31);
	return 1400 + (uint32_t)(pb_rand(rng) % 115);
}

static void tally_reset(struct tally *t, const struct attrib *a)
{
	struct vol (*as)[2][2] = t->as;
	struct vol (*pf)[2] = t->pf;
	memset(t, 0, sizeof(*t));
	if (!as)
		as = calloc(a->nasns + 1, sizeof(*as));
	if (!pf)
		pf = calloc(a->pfx.n + 1, sizeof(*pf));
	memset(as, 0, (a->nasns + 1) * sizeof(*as));
	memset(pf, 0, (a->pfx.n + 1) * sizeof(*pf));
	t->as = as;
	t->pf = pf;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void add_pool(struct v6s_route_list *p4, struct v6s_route_list *p6, const struct v6s_route_list *l)
{
	struct v6s_table_stats st;
	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < l->n; i++) {
		struct v6s_route_list *p = l->r[i].family == 4 ? p4 : p6;
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 256;
			p->r = realloc(p->r, p->cap * sizeof(*p->r));
		}
		p->r[p->n++] = l->r[i];
	}
}

static int load_attrib(struct attrib *a, const char *pfx2as, const char *prefixes,
		       struct v6s_route_list *p4, struct v6s_route_list *p6)
{
	struct v6s_table_stats st;
	char err[512];
	if (pfx2as && table_load_pfx2as(pfx2as, &a->as, &st, err, sizeof(err))) {
		fprintf(stderr, "v6gen: %s\n", err);
		return -1;
	}
	if (prefixes && table_load_prefixes(prefixes, &a->pfx, &a->pfx_names, &a->npfx_names, &st, err, sizeof(err))) {
		fprintf(stderr, "v6gen: %s\n", err);
		return -1;
	}
	a->asns = malloc((a->as.n + 1) * sizeof(*a->asns));
	a->asns[0] = 0;
	for (size_t i = 0; i < a->as.n; i++)
		a->asns[i + 1] = a->as.r[i].value;
	qsort(a->asns, a->as.n + 1, sizeof(*a->asns), cmp_u32);
	for (size_t i = 0; i <= a->as.n; i++)
		if (i == 0 || a->asns[i] != a->asns[a->nasns - 1])
			a->asns[a->nasns++] = a->asns[i];
	add_pool(p4, p6, &a->as);
	add_pool(p4, p6, &a->pfx);
	return 0;
}

static void usage(FILE *o)
{
	fprintf(o,
		"usage: v6gen [--mix imix|all|valid | --case NAME] [--count N] [--seed S]\n"
		"             [--link eth|raw|ipv4|ipv6|sll|sll2|null|loop|ppp|chdlc|nflog] [--out FILE]\n"
		"             [--truth FILE|-]\n"
		"             [--start UNIXTIME] [--pps RATE] [--interval SECONDS] [--corpus DIR] [--list]\n"
		"             [--pfx2as FILE] [--prefixes FILE] [--top-asns N] [--whole] [--subscribers FILE]\n"
		"             [--size BYTES]\n"
		"Writes a pcap of generated frames and prints the ground truth (JSON, one line\n"
		"per interval when --interval is given) to --truth (default: stdout). With tables,\n"
		"3 in 4 addresses fall in their prefixes, and the truth has asns and prefixes,\n"
		"found by brute-force longest-prefix match. --whole leaves out frames a snap\n"
		"length cut (for replay into DPDK, where a frame has no other wire length). --size\n"
		"builds every frame about that long (jumbo frames: up to 16000).\n");
}

static int link_of(const char *s, enum gen_link *link, int *dlt, int *want_ver)
{
	*want_ver = 0;
	if (!strcmp(s, "eth")) { *link = GEN_ETH; *dlt = DLT_EN10MB; }
	else if (!strcmp(s, "raw")) { *link = GEN_RAW; *dlt = DLT_RAW; }
	else if (!strcmp(s, "ipv4")) { *link = GEN_RAW; *dlt = DLT_IPV4; *want_ver = 4; }
	else if (!strcmp(s, "ipv6")) { *link = GEN_RAW; *dlt = DLT_IPV6; *want_ver = 6; }
	else if (!strcmp(s, "sll")) { *link = GEN_SLL; *dlt = DLT_LINUX_SLL; }
	else if (!strcmp(s, "sll2")) { *link = GEN_SLL2; *dlt = DLT_LINUX_SLL2; }
	else if (!strcmp(s, "null")) { *link = GEN_NULL; *dlt = DLT_NULL; }
	else if (!strcmp(s, "loop")) { *link = GEN_LOOP; *dlt = DLT_LOOP; }
	else if (!strcmp(s, "ppp")) { *link = GEN_PPP; *dlt = DLT_PPP; }
	else if (!strcmp(s, "chdlc")) { *link = GEN_CHDLC; *dlt = DLT_C_HDLC; }
	else if (!strcmp(s, "nflog")) { *link = GEN_NFLOG; *dlt = DLT_NFLOG; }
	else return -1;
	return 0;
}

/* One file per case: [link][wire extra / 4][frame], the fuzzer's input form. */
static int write_corpus(const char *dir)
{
	static struct gen_frame f;
	char path[4096];

	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "v6gen: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (unsigned l = 0; l < GEN_LINK_COUNT; l++) {
		for (unsigned i = 0; i < gen_ncases; i++) {
			const struct gen_case *c = &gen_cases[i];
			if (!gen_case_fits(c, (enum gen_link)l))
				continue;
			struct gen_ctx g = { .rng = 0x9e3779b97f4a7c15ULL + i, .link = (enum gen_link)l, .payload = 24 };
			gen_build(c, &g, &f);
			snprintf(path, sizeof(path), "%s/%u-%s", dir, l, c->name);
			FILE *o = fopen(path, "wb");
			if (!o) {
				fprintf(stderr, "v6gen: %s: %s\n", path, strerror(errno));
				return -1;
			}
			uint32_t extra = (f.wire_len - f.cap_len + 3) / 4;
			fputc(gen_parser_link[l], o);
			fputc(extra > 255 ? 255 : (int)extra, o);
			fwrite(pb_data(&f.b), 1, f.cap_len, o);
			fclose(o);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mix", required_argument, NULL, 'm' }, { "case", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' }, { "seed", required_argument, NULL, 's' },
		{ "link", required_argument, NULL, 'l' }, { "out", required_argument, NULL, 'o' },
		{ "truth", required_argument, NULL, 't' }, { "start", required_argument, NULL, 'S' },
		{ "pps", required_argument, NULL, 'p' }, { "interval", required_argument, NULL, 'i' },
		{ "corpus", required_argument, NULL, 'C' }, { "list", no_argument, NULL, 'L' },
		{ "pfx2as", required_argument, NULL, 'A' }, { "prefixes", required_argument, NULL, 'P' },
		{ "top-asns", required_argument, NULL, 'T' }, { "whole", no_argument, NULL, 'W' },
		{ "size", required_argument, NULL, 'Z' },
		{ "subscribers", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *mix = "imix", *case_name = NULL, *out = NULL, *truth = NULL, *corpus = NULL;
	const char *pfx2as = NULL, *prefixes = NULL, *subscribers = NULL;
	static struct attrib at = { .top = 100 };
	uint64_t count = 10000, seed = 1, pps = 10000;
	int64_t start = 1767225600;     /* 2026-01-01T00:00:00Z */
	uint32_t interval = 0;
	enum gen_link link = GEN_ETH;
	int dlt = DLT_EN10MB, want_ver = 0, opt, whole = 0;
	uint32_t fixed_size = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': mix = optarg; break;
		case 'c': case_name = optarg; break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		case 't': truth = optarg; break;
		case 'S': start = strtoll(optarg, NULL, 10); break;
		case 'p': pps = strtoull(optarg, NULL, 10); break;
		case 'i': interval = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'C': corpus = optarg; break;
		case 'A': pfx2as = optarg; break;
		case 'P': prefixes = optarg; break;
		case 'T': at.top = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'W': whole = 1; break;
		case 'Z': fixed_size = (uint32_t)strtoul(optarg, NULL, 10);
			if (fixed_size < 14 || fixed_size > 16000) {
				fprintf(stderr, "v6gen: --size %s: a frame of 14 to 16000 bytes\n", optarg);
				return 2;
			}
			break;
		case 'U': subscribers = optarg; break;
		case 'l':
			if (link_of(optarg, &link, &dlt, &want_ver)) {
				fprintf(stderr, "v6gen: unknown link %s\n", optarg);
				return 2;
			}
			break;
		case 'L':
			for (unsigned i = 0; i < gen_ncases; i++)
				printf("%-22s %-10s %s\n", gen_cases[i].name, v6s_class_names[gen_cases[i].cls],
				       gen_cases[i].what);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (corpus)
		return write_corpus(corpus) ? 1 : 0;
	if (!out) {
		usage(stderr);
		return 2;
	}
	const struct gen_case *only = NULL;
	if (case_name && !(only = gen_case_find(case_name))) {
		fprintf(stderr, "v6gen: unknown case %s (see --list)\n", case_name);
		return 2;
	}
	if (only && !gen_case_fits(only, link)) {
		fprintf(stderr, "v6gen: case %s cannot be written with this link type\n", case_name);
		return 2;
	}
	if (!only && strcmp(mix, "imix") && strcmp(mix, "all") && strcmp(mix, "valid")) {
		fprintf(stderr, "v6gen: unknown mix %s (imix, all, valid)\n", mix);
		return 2;
	}
	if (pps == 0 || pps > 1000000) {
		fprintf(stderr, "v6gen: --pps must be 1..1000000\n");
		return 2;
	}

	pcap_t *pd = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *dump = pcap_dump_open(pd, out);
	if (!dump) {
		fprintf(stderr, "v6gen: %s: %s\n", out, pcap_geterr(pd));
		return 1;
	}
	FILE *to = stdout;
	if (truth && strcmp(truth, "-") && !(to = fopen(truth, "w"))) {
		fprintf(stderr, "v6gen: %s: %s\n", truth, strerror(errno));
		return 1;
	}

	static struct gen_frame f;
	struct gen_ctx g = { .rng = seed * 0x9e3779b97f4a7c15ULL + 1, .link = link };
	struct tally t = { 0 };
	struct v6s_route_list pool4 = { 0 }, pool6 = { 0 };
	if (load_attrib(&at, pfx2as, prefixes, &pool4, &pool6))
		return 1;
	if (subscribers) {     /* a prefix list: per packet up (source in it), down (destination), unknown */
		struct v6s_table_stats st;
		char err[512], **names = NULL;
		size_t nn = 0;
		if (table_load_prefixes(subscribers, &at.subs, &names, &nn, &st, err, sizeof(err))) {
			fprintf(stderr, "v6gen: %s\n", err);
			return 1;
		}
		for (size_t i = 0; i < nn; i++)
			free(names[i]);
		free(names);
		add_pool(&pool4, &pool6, &at.subs);
	}
	g.pool4 = pool4.r;
	g.npool4 = pool4.n;
	g.pool6 = pool6.r;
	g.npool6 = pool6.n;
	static const uint32_t cycle_sizes[] = { 64, 590, 1514, 100, 1400 };
	unsigned next = 0;
	tally_reset(&t, &at);

	for (uint64_t i = 0; i < count; i++) {
		const struct gen_case *c;
		uint32_t size;
		for (;;) {
			if (only) {
				c = only;
			} else if (!strcmp(mix, "imix")) {
				c = pick_imix(&g.rng, link);
			} else {
				c = &gen_cases[next++ % gen_ncases];
				if (!gen_case_fits(c, link) || (!strcmp(mix, "valid") && c->cls == V6S_CLASS_MALFORMED))
					continue;
			}
			size = fixed_size ? fixed_size : !strcmp(mix, "imix") || only ? imix_size(&g.rng) : cycle_sizes[i % 5];
			gen_build_sized(c, &g, &f, size);
			if (whole && f.cap_len != f.wire_len) {
				if (only) {
					fprintf(stderr, "v6gen: case %s is cut by a snap length; --whole leaves it out\n",
						case_name);
					return 2;
				}
				continue;       /* replayed through DPDK, a cut frame loses its wire length */
			}
			if (!want_ver || (f.cap_len && (pb_data(&f.b)[0] >> 4) == want_ver))
				break;
			if (only) {
				fprintf(stderr, "v6gen: case %s does not start with IPv%d\n", case_name, want_ver);
				return 2;
			}
		}
		uint64_t ns = (uint64_t)start * 1000000000ULL + i * 1000000000ULL / pps;
		struct pcap_pkthdr h = {
			.ts = { .tv_sec = (time_t)(ns / 1000000000ULL), .tv_usec = (suseconds_t)(ns % 1000000000ULL / 1000) },
			.caplen = f.cap_len, .len = f.wire_len,
		};
		if (interval) {
			int64_t b = (int64_t)h.ts.tv_sec - (int64_t)h.ts.tv_sec % interval;
			if (t.used && b != t.start) {
				print_tally(to, &t, interval, &at);
				tally_reset(&t, &at);
			}
			t.start = b;
		} else if (!t.used) {
			t.start = (int64_t)h.ts.tv_sec;
		}
		pcap_dump((u_char *)dump, &h, pb_data(&f.b));
		tally_add(&t, c, &f);
		attribute(&t, &at, c, &f);
	}
	if (t.used || !interval)
		print_tally(to, &t, interval, &at);
	pcap_dump_close(dump);
	pcap_close(pd);
	if (to != stdout)
		fclose(to);
	free(t.as);
	free(t.pf);
	free(at.asns);
	for (size_t i = 0; i < at.npfx_names; i++)
		free(at.pfx_names[i]);
	free(at.pfx_names);
	table_free(&at.as);
	table_free(&at.pfx);
	table_free(&at.subs);
	table_free(&pool4);
	table_free(&pool6);
	return 0;
}
