/* SPDX-License-Identifier: BSD-3-Clause
 * Attribution benchmark: table build time and size, bulk lookup rates, and
 * the whole classify + attribute + count path the workers run, per core, on
 * the real 2015 table Debian's python3-pyasn ships and on a synthetic
 * Internet-size table, with uniformly random and Zipf-distributed addresses.
 *
 * Frames live in 128-byte slots (headers only: a capture's snap length, or
 * what a NIC ring's first cache lines hold), so a run holds millions of
 * frames and the lookup tables, not the frames, decide what misses cache.
 * Prints a table and one name=value line per figure.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_fib.h>
#include <rte_fib6.h>

#include "bench_util.h"
#include "cases.h"
#include "v6share/attr.h"
#include "v6share/segment.h"
#include "v6share/counters.h"
#include "v6share/eal.h"
#include "v6share/parse.h"
#include "v6share/tuner.h"

#define RX_BURST 32
#define BURST V6S_ATTR_MAX_BURST  /* as a worker under load and the offline meter */
#define SLOT 128


/* ---- a synthetic Internet-size table ---- */

struct len_share {
	uint8_t len;
	double share;
};

/* Prefix-length shares of today's global tables (rounded). */
static const struct len_share lens4[] = {
	{ 24, .600 }, { 23, .090 }, { 22, .110 }, { 21, .045 }, { 20, .045 }, { 19, .025 },
	{ 18, .015 }, { 17, .010 }, { 16, .014 }, { 15, .002 }, { 14, .002 }, { 13, .001 },
	{ 12, .001 }, { 11, .0005 }, { 10, .0005 }, { 9, .0002 }, { 8, .0001 }, { 25, .010 },
	{ 26, .008 }, { 27, .006 }, { 28, .006 }, { 29, .005 }, { 30, .004 }, { 32, .0045 },
};
static const struct len_share lens6[] = {
	{ 48, .450 }, { 32, .150 }, { 44, .080 }, { 40, .060 }, { 36, .030 }, { 29, .040 },
	{ 46, .030 }, { 47, .030 }, { 45, .020 }, { 42, .020 }, { 41, .010 }, { 33, .008 },
	{ 34, .007 }, { 35, .005 }, { 38, .010 }, { 39, .010 }, { 43, .010 }, { 28, .008 },
	{ 24, .004 }, { 20, .003 }, { 56, .008 }, { 64, .007 },
};

static uint8_t pick_len(uint64_t *rng, const struct len_share *t, size_t n)
{
	double total = 0, x;
	for (size_t i = 0; i < n; i++)
		total += t[i].share;
	x = (double)(pb_rand(rng) >> 11) / 9007199254740992.0 * total;
	for (size_t i = 0; i < n; i++) {
		if (x < t[i].share)
			return t[i].len;
		x -= t[i].share;
	}
	return t[0].len;
}

static void zipf_cdf(double **cdf, size_t n, double s);
static size_t zipf_pick(const double *cdf, size_t n, uint64_t *rng);

/* IPv6 space the RIRs allocate from (2001::/16 and their /12s): the
 * clustered table puts its allocations there. */
static const uint8_t rir6[][2] = { { 0x20, 0x01 }, { 0x24, 0x00 }, { 0x26, 0x00 }, { 0x28, 0x00 }, { 0x2a, 0x00 },
				   { 0x2c, 0x00 } };
#define ALLOCS6 40000u

/* clustered = 0: every prefix placed uniformly at random (the IPv6 trie's
 * worst case: no two /48s share a level). clustered = 1: IPv6 as real tables
 * are, /32 (and /29) allocations inside the RIRs' blocks, and the longer
 * prefixes inside allocations, chosen Zipf-wise (a few networks announce
 * many more-specifics). IPv4 is uniform either way (its space is dense). */
static void synth_table(struct v6s_route_list *l, size_t n4, size_t n6, uint32_t nasn, int clustered)
{
	uint64_t rng = 2026;
	uint8_t (*alloc)[4] = malloc(ALLOCS6 * 4);
	if (clustered)
		n6 += n6 / 11;          /* about a tenth repeat inside popular allocations and go */
	double *alloc_cdf = NULL;
	if (clustered) {
		for (unsigned i = 0; i < ALLOCS6; i++) {
			uint64_t x = pb_rand(&rng);
			const uint8_t *b = rir6[x % (sizeof(rir6) / sizeof(rir6[0]))];
			alloc[i][0] = b[0];
			alloc[i][1] = b[1] == 0x01 ? 0x01 : (uint8_t)((x >> 8) & 0x0f);   /* /16, or inside a /12 */
			alloc[i][2] = (uint8_t)(x >> 16);
			alloc[i][3] = (uint8_t)(x >> 24);
		}
		zipf_cdf(&alloc_cdf, ALLOCS6, 1.0);
	}
	struct v6s_table_stats st;
	memset(&st, 0, sizeof(st));
	memset(l, 0, sizeof(*l));
	l->cap = n4 + n6;
	l->r = malloc(l->cap * sizeof(*l->r));
	for (size_t i = 0; i < n4 + n6; i++) {
		struct v6s_route *r = &l->r[l->n];
		int v6 = i >= n4;
		uint32_t clustered_as = 0;
		memset(r, 0, sizeof(*r));
		r->family = v6 ? 6 : 4;
		r->len = v6 ? pick_len(&rng, lens6, sizeof(lens6) / sizeof(lens6[0]))
			    : pick_len(&rng, lens4, sizeof(lens4) / sizeof(lens4[0]));
		uint64_t a = pb_rand(&rng), b = pb_rand(&rng);
		for (int k = 0; k < 8; k++) {
			r->addr[k] = (uint8_t)(a >> (56 - 8 * k));
			r->addr[8 + k] = (uint8_t)(b >> (56 - 8 * k));
		}
		if (v6 && clustered) {
			/* up to /32: an allocation itself (or its covering block); longer: inside one */
			size_t ai = r->len > 32 ? zipf_pick(alloc_cdf, ALLOCS6, &rng) : pb_rand(&rng) % ALLOCS6;
			memcpy(r->addr, alloc[ai], 4);
			clustered_as = (uint32_t)(1 + (ai * 2654435761u) % nasn);   /* the allocation's holder */
		} else if (v6)
			r->addr[0] = (uint8_t)(0x20 | (r->addr[0] & 0x0f));    /* 2000::/4, where the table is */
		else
			r->addr[0] = (uint8_t)(1 + r->addr[0] % 223);
		for (unsigned bit = r->len; bit < (v6 ? 128u : 32u); bit++)
			r->addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
		/* a few ASes originate many prefixes: Zipf over 75,000 */
		double u = (double)((pb_rand(&rng) >> 11) + 1) / 9007199254740993.0;
		r->value = clustered_as ? clustered_as : 1 + (uint32_t)(pow((double)nasn, u) - 1.0);
		if (r->value > 64495)
			r->value += 131072 - 64495;             /* 32-bit ASNs */
		l->n++;
	}
	/* drop repeated prefixes: sort, then keep one of each run */
	table_sort_by_length(l);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (k == 0 || l->r[i].family != l->r[k - 1].family || l->r[i].len != l->r[k - 1].len ||
		    memcmp(l->r[i].addr, l->r[k - 1].addr, 16) != 0)
			l->r[k++] = l->r[i];
	l->n = k;
	free(alloc);
	free(alloc_cdf);
}

/* ---- address streams ---- */

struct addr_stream {
	const struct v6s_route_list *t;
	uint32_t *idx4, *idx6;          /* routes of each family */
	size_t n4, n6;
	double *cdf4, *cdf6;            /* Zipf over a random ranking of the routes, or NULL */
	uint64_t rng;
	/* an operator's tap: one address of each pair in a subscriber prefix */
	uint32_t *sub4, *sub6;          /* subscriber routes of each family, or NULL */
	size_t nsub4, nsub6;
	const struct v6s_route_list *subs;
	unsigned calls, sub_side;
};

static void zipf_cdf(double **cdf, size_t n, double s)
{
	*cdf = malloc(n * sizeof(**cdf));
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += 1.0 / pow((double)(i + 1), s);
	double acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += 1.0 / pow((double)(i + 1), s) / sum;
		(*cdf)[i] = acc;
	}
}

static size_t zipf_pick(const double *cdf, size_t n, uint64_t *rng)
{
	double u = (double)(pb_rand(rng) >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void stream_init(struct addr_stream *s, const struct v6s_route_list *t, int zipf)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->rng = 99;
	s->idx4 = malloc(t->n * sizeof(uint32_t));
	s->idx6 = malloc(t->n * sizeof(uint32_t));
	for (size_t i = 0; i < t->n; i++) {
		if (t->r[i].family == 4)
			s->idx4[s->n4++] = (uint32_t)i;
		else
			s->idx6[s->n6++] = (uint32_t)i;
	}
	/* a random ranking: popular prefixes are anywhere in the table */
	for (size_t i = s->n4; i > 1; i--) {
		size_t j = pb_rand(&s->rng) % i;
		uint32_t x = s->idx4[i - 1]; s->idx4[i - 1] = s->idx4[j]; s->idx4[j] = x;
	}
	for (size_t i = s->n6; i > 1; i--) {
		size_t j = pb_rand(&s->rng) % i;
		uint32_t x = s->idx6[i - 1]; s->idx6[i - 1] = s->idx6[j]; s->idx6[j] = x;
	}
	if (zipf) {
		zipf_cdf(&s->cdf4, s->n4, 1.0);
		zipf_cdf(&s->cdf6, s->n6, 1.0);
	}
}

/* From now on one address of every pair (source and destination, in the
 * order the generator asks) is a subscriber's, on a random side. */
static void stream_subscribers(struct addr_stream *s, const struct v6s_route_list *subs)
{
	s->subs = subs;
	s->sub4 = malloc((subs->n + 1) * sizeof(uint32_t));
	s->sub6 = malloc((subs->n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < subs->n; i++) {
		if (subs->r[i].family == 4)
			s->sub4[s->nsub4++] = (uint32_t)i;
		else
			s->sub6[s->nsub6++] = (uint32_t)i;
	}
}

static void stream_fini(struct addr_stream *s)
{
	free(s->sub4);
	free(s->sub6);
	free(s->idx4);
	free(s->idx6);
	free(s->cdf4);
	free(s->cdf6);
}

/* Random: IPv4 uniform over the 32-bit space; IPv6 a uniformly chosen route
 * with random host bits (a uniform 128-bit address would miss everything).
 * Zipf: a route by Zipf rank (s = 1), random host bits. */
static void stream_next(void *arg, int family, uint8_t *out)
{
	struct addr_stream *s = arg;
	unsigned bytes = family == 4 ? 4 : 16;
	uint64_t a = pb_rand(&s->rng), b = pb_rand(&s->rng);
	for (unsigned k = 0; k < bytes; k++)
		out[k] = (uint8_t)((k < 8 ? a : b) >> (56 - 8 * (k % 8)));
	if (s->subs) {
		unsigned pos = s->calls++ & 1;
		if (pos == 0)
			s->sub_side = (unsigned)(pb_rand(&s->rng) & 1);
		size_t ns = family == 4 ? s->nsub4 : s->nsub6;
		if (pos == s->sub_side && ns) {
			const uint32_t *si = family == 4 ? s->sub4 : s->sub6;
			const struct v6s_route *r = &s->subs->r[si[pb_rand(&s->rng) % ns]];
			for (unsigned bit = 0; bit < r->len; bit++) {
				uint8_t m = (uint8_t)(0x80u >> (bit % 8));
				out[bit / 8] = (uint8_t)((out[bit / 8] & ~m) | (r->addr[bit / 8] & m));
			}
			return;
		}
	}
	if (family == 4 && !s->cdf4)
		return;
	const uint32_t *idx = family == 4 ? s->idx4 : s->idx6;
	size_t n = family == 4 ? s->n4 : s->n6;
	const double *cdf = family == 4 ? s->cdf4 : s->cdf6;
	if (!n)
		return;
	const struct v6s_route *r = &s->t->r[idx[cdf ? zipf_pick(cdf, n, &s->rng) : pb_rand(&s->rng) % n]];
	for (unsigned bit = 0; bit < r->len; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		out[bit / 8] = (uint8_t)((out[bit / 8] & ~m) | (r->addr[bit / 8] & m));
	}
}

/* ---- frames ---- */

struct frames {
	unsigned n;
	uint8_t *slots;                 /* n * SLOT bytes */
	uint32_t *cap, *wire;
};

/* The mix every table is measured on: twenty shapes, each as likely, in no
 * order (a tap that carries all of them at once, the parser's worst case). */
static const char *const mixed_tap[] = {
	"ipv4_tcp", "ipv4_tcp", "ipv4_tcp", "ipv4_udp", "ipv6_tcp", "ipv6_tcp", "ipv6_udp",
	"vlan_v4", "vlan_v6", "qinq_v6", "mpls1_v4", "mpls3_v6", "pppoe_v4", "pppoe_v6",
	"gtpu_v4_in_v4", "gtpu_v6_in_v4", "gtpu_5g", "6in4", "teredo", "dslite", NULL,
};

/* The taps v6share is placed on carry one family of shapes each, still
 * mixed among themselves (label depths, IPv4 and IPv6, TCP and UDP, GTP-U
 * with and without extension headers), about 40% IPv6. */
static const struct tap {
	const char *name, *what;
	const char *const mix[12];
} taps[] = {
	{ "backbone", "operator backbone (MPLS, 1-3 labels)",
	  { "mpls1_v4", "mpls1_v4", "mpls1_v4", "mpls3_v6", "vlan_mpls_v6", NULL } },
	{ "mobile", "mobile core (GTP-U, 4G and 5G)",
	  { "gtpu_v4_in_v4", "gtpu_v4_in_v4", "gtpu_v4_in_v4", "gtpu_ext2", "gtpu_ext2", "gtpu_v4_in_v6",
	    "gtpu_v6_in_v4", "gtpu_v6_in_v4", "gtpu_5g", "gtpu_v6_in_v6", NULL } },
	{ "metro", "metro / BRAS (PPPoE, QinQ)",
	  { "pppoe_v4", "pppoe_v4", "pppoe_v6", "qinq_pppoe_v6", "qinq_v4", NULL } },
	{ "ixp", "IXP peering LAN (untagged)",
	  { "ipv4_tcp", "ipv4_tcp", "ipv4_udp", "ipv6_tcp", "ipv6_udp", NULL } },
};

static const char *const *bench_mix = mixed_tap;

static void build_frames(struct frames *fr, unsigned n, int only64, struct addr_stream *as)
{
	unsigned nmix = 0;
	while (bench_mix[nmix])
		nmix++;
	static struct gen_frame f;
	struct gen_ctx g = { .rng = 7, .link = GEN_ETH, .addr_fn = stream_next, .addr_arg = as };

	fr->n = n;
	fr->slots = malloc((size_t)n * SLOT);
	fr->cap = malloc(n * sizeof(uint32_t));
	fr->wire = malloc(n * sizeof(uint32_t));
	for (unsigned i = 0; i < n; i++) {
		const struct gen_case *c = gen_case_find(bench_mix[pb_rand(&g.rng) % nmix]);
		unsigned r = (unsigned)(pb_rand(&g.rng) % 100);
		uint32_t size = only64 ? 64 : r < 50 ? 64 + (uint32_t)(pb_rand(&g.rng) % 37)
				: r < 70 ? 570 + (uint32_t)(pb_rand(&g.rng) % 31)
				: 1400 + (uint32_t)(pb_rand(&g.rng) % 115);
		gen_build_sized(c, &g, &f, size);
		fr->cap[i] = f.cap_len < SLOT ? f.cap_len : SLOT;
		fr->wire[i] = f.wire_len;
		memcpy(fr->slots + (size_t)i * SLOT, pb_data(&f.b), fr->cap[i]);
	}
}

static void free_frames(struct frames *fr)
{
	free(fr->slots);
	free(fr->cap);
	free(fr->wire);
}

struct result {
	double ns, mpps, cyc;
	uint64_t malformed, unrouted, ip, in_segment;
	unsigned prefetch, trials;      /* the tuner's last verdict, and its trials */
};

/* The worker's steps: parse a burst, attribute it (and classify segments,
 * when an operator's configuration is measured), count it. Best of rounds. */
enum { STAGE_LOOKUP = 1, STAGE_COUNT = 2, STAGE_ALL = 3 };

static const struct v6s_segments *bench_segs;  /* NULL: no segments configured */
static int bench_prefetch = -1;                /* the tuner's way, as workers run; 0 or 1: fixed */
static double path_fixed_ns[2];                /* the random IMIX path with the prefetch fixed off, on */

static struct result run_stages(const struct frames *fr, struct v6s_attr *a, struct v6s_counter_block *blk,
				unsigned rounds, unsigned stages)
{
	struct v6s_facts facts[BURST];
	struct result best = { .ns = 1e18 };
	const struct v6s_attr_tables *t = a ? attr_tables(a) : NULL;

	struct v6s_tuner tu;
	tuner_init(&tu, bench_prefetch);
	for (unsigned rd = 0; rd < rounds; rd++) {
		double t0 = now_s();
		uint64_t c0 = cycles();
		for (unsigned i = 0; i < fr->n; i += BURST) {
			unsigned k = fr->n - i < BURST ? fr->n - i : BURST;
			const uint8_t *base = fr->slots + (size_t)i * SLOT;
			const struct v6s_attr_tables *pt = tuner_prefetch(&tu) && (stages & STAGE_LOOKUP) ? t : NULL;
			uint64_t b0 = cycles();
			/* as the worker: receive bursts of 32, each parsed with the frames ahead prefetched */
			for (unsigned r = 0; r < k; r += RX_BURST) {
				unsigned e = k - r < RX_BURST ? k : r + RX_BURST;
				for (unsigned j = r; j < e && j < r + V6S_PREFETCH_AHEAD; j++) {
					__builtin_prefetch(base + (size_t)j * SLOT);
					__builtin_prefetch(base + (size_t)j * SLOT + 64);
				}
				for (unsigned j = r; j < e; j++) {
					if (j + V6S_PREFETCH_AHEAD < e) {
						__builtin_prefetch(base + (size_t)(j + V6S_PREFETCH_AHEAD) * SLOT);
						__builtin_prefetch(base + (size_t)(j + V6S_PREFETCH_AHEAD) * SLOT + 64);
					}
					parse_frame(base + (size_t)j * SLOT, fr->cap[i + j], fr->wire[i + j],
						    V6S_LINK_ETHERNET, &facts[j]);
					attr_prefetch(pt, &facts[j]);
				}
			}
			if (t && (stages & STAGE_LOOKUP))
				attr_lookup_burst(t, facts, k);
			if (bench_segs && (stages & STAGE_LOOKUP))
				segment_classify_burst(bench_segs, facts, k);
			if (stages & STAGE_COUNT)
				counters_count_burst(blk, facts, k);
			tuner_batch(&tu, cycles() - b0, k == BURST);
		}
		uint64_t c1 = cycles();
		double ns = (now_s() - t0) * 1e9 / fr->n;
		if (ns < best.ns) {
			best.ns = ns;
			best.cyc = (double)(c1 - c0) / fr->n;
		}
	}
	best.mpps = 1e3 / best.ns;
	best.prefetch = tu.choice;
	best.trials = tu.trials;
	best.malformed = blk->c.cls[V6S_CLASS_MALFORMED].packets;
	best.ip = blk->c.cls[V6S_CLASS_IPV4].packets + blk->c.cls[V6S_CLASS_IPV6].packets;
	if (blk->as[0][0])
		best.unrouted = blk->as[0][0][0].packets + blk->as[0][1][0].packets;
	for (unsigned k = 0; bench_segs && blk->seg && k < bench_segs->n; k++)
		for (unsigned d = 0; d < V6S_DIR_COUNT; d++)
			best.in_segment += blk->seg[k].v[d][V6S_CLASS_IPV4].packets + blk->seg[k].v[d][V6S_CLASS_IPV6].packets;
	return best;
}

static struct result run_path(const struct frames *fr, struct v6s_attr *a, struct v6s_counter_block *blk,
			      unsigned rounds)
{
	return run_stages(fr, a, blk, rounds, STAGE_ALL);
}

/* Bulk lookups alone, on a long array of addresses. */
static void lookup_rates(const struct v6s_attr_tables *t, struct addr_stream *as, unsigned n, double *ns4,
			 double *ns6)
{
	uint32_t *ip4 = malloc(n * sizeof(*ip4));
	uint8_t (*ip6)[16] = malloc((size_t)n * 16);
	uint64_t nh[64], sink = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b[4];
		stream_next(as, 4, b);
		ip4[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		stream_next(as, 6, ip6[i]);
	}
	double t0 = now_s();
	for (unsigned i = 0; i + 64 <= n; i += 64) {
		rte_fib_lookup_bulk(t->fib4, ip4 + i, nh, 64);
		sink += nh[0];
	}
	*ns4 = (now_s() - t0) * 1e9 / n;
	t0 = now_s();
	for (unsigned i = 0; i + 64 <= n; i += 64) {
		rte_fib6_lookup_bulk(t->fib6, ip6 + i, nh, 64);
		sink += nh[0];
	}
	*ns6 = (now_s() - t0) * 1e9 / n;
	if (sink == 42)
		fprintf(stderr, " ");
	free(ip4);
	free(ip6);
}

struct figure {
	char name[64];
	double value;
};
static struct figure figs[128];
static unsigned nfigs;

static void fig(const char *name, double v)
{
	if (nfigs < sizeof(figs) / sizeof(figs[0])) {
		snprintf(figs[nfigs].name, sizeof(figs[0].name), "%s", name);
		figs[nfigs++].value = v;
	}
}

static unsigned profile_rounds;        /* --profile N: only the random IMIX path, N rounds, for perf */

/* The whole path on freshly built frames into a fresh counter block. With a
 * label, print its line (and, for random IMIX, the stage breakdown). */
static struct result path_on_new_frames(struct v6s_attr *a, struct addr_stream *as, unsigned nframes, int only64,
					unsigned rounds, const char *label)
{
	struct frames fr;
	struct v6s_counter_block blk;
	build_frames(&fr, nframes, only64, as);
	counters_block_init(&blk, a->reg.as_cap, bench_segs ? a->reg.pfx_cap : 0, bench_segs ? bench_segs->n + 1 : 0, 0);
	struct result r = run_path(&fr, a, &blk, rounds);
	if (label) {
		printf("  %-34s %9.2f %9.2f %11.1f %9.1f%% %9s\n", label, r.ns, r.mpps, r.cyc,
		       r.ip ? 100.0 * (double)r.unrouted / (double)r.ip : 0.0,
		       !r.trials ? "(on)" : r.prefetch ? "on" : "off");
		if (!as->cdf4 && !only64 && !bench_segs) {
			static const char *const sn[] = { "  parse only", "  parse+attribute", "  parse+count" };
			for (unsigned st = 0; st < 3; st++) {
				struct result q = run_stages(&fr, a, &blk, rounds, st);
				printf("  %-34s %9.2f %9.2f %11.1f\n", sn[st], q.ns, q.mpps, q.cyc);
			}
			/* the tuner's two ways, fixed, alternating (the machine drifts) */
			double fixed[2] = { 1e18, 1e18 };
			for (unsigned rep = 0; rep < 2; rep++)
				for (int way = 1; way >= 0; way--) {
					bench_prefetch = way;
					struct result q = run_path(&fr, a, &blk, rounds);
					fixed[way] = q.ns < fixed[way] ? q.ns : fixed[way];
				}
			bench_prefetch = -1;
			printf("  %-34s %9.2f %9.2f\n", "  first-level prefetch fixed on", fixed[1], 1e3 / fixed[1]);
			printf("  %-34s %9.2f %9.2f\n", "  first-level prefetch fixed off", fixed[0], 1e3 / fixed[0]);
			path_fixed_ns[0] = fixed[0];
			path_fixed_ns[1] = fixed[1];
		}
		if (bench_segs)
			printf("    (%.1f%% of IP packets in a segment, as counted over all rounds)\n",
			       r.ip ? 100.0 * (double)r.in_segment / (double)r.ip : 0.0);
		if (r.malformed)
			printf("  (%" PRIu64 " frames malformed: the 128-byte slots cut a header)\n", r.malformed);
	}
	counters_block_fini(&blk);
	free_frames(&fr);
	return r;
}

/* An operator's configuration on top of the table: 1,000 of its routes named
 * (their own blocks, customers), and two segments ("mobile", "metro") by 200
 * subscriber prefixes each, as a tap between a mobile core, a BRAS and the
 * Internet would have. The routes are spread evenly over the table. On such
 * a tap every packet has a subscriber on one side, up or down: the address
 * streams then put one address of each pair in a subscriber prefix. */
#define OP_NAMED 1000
#define OP_SUBSCRIBERS 400

static void add_operator_lists(struct v6s_attr_lists *l, struct v6s_segments *segs)
{
	size_t step = l->as.n / (OP_NAMED + OP_SUBSCRIBERS) + 1;
	l->pfx.r = calloc(OP_NAMED + 1, sizeof(*l->pfx.r));
	l->sub.r = calloc(OP_SUBSCRIBERS + 1, sizeof(*l->sub.r));
	l->pfx_names = calloc(OP_NAMED + 1, sizeof(*l->pfx_names));
	for (size_t i = 0, k = 0; i < l->as.n && k < OP_NAMED + OP_SUBSCRIBERS; i += step, k++) {
		struct v6s_route r = l->as.r[i];
		if (k % 7 < 5 && l->pfx.n < OP_NAMED) {
			char name[32];
			snprintf(name, sizeof(name), "named%zu", l->pfx.n);
			l->pfx_names[l->pfx.n] = strdup(name);
			r.value = (uint32_t)l->pfx.n;
			l->pfx.r[l->pfx.n++] = r;
		} else if (l->sub.n < OP_SUBSCRIBERS) {
			r.value = 1 + (uint32_t)(l->sub.n % 2);      /* segment index + 1 */
			l->sub.r[l->sub.n++] = r;
		}
	}
	l->pfx.cap = OP_NAMED + 1;
	l->sub.cap = OP_SUBSCRIBERS + 1;
	l->npfx_names = l->pfx.n;
	memset(segs, 0, sizeof(*segs));
	segs->n = 2;
	for (unsigned k = 0; k < 2; k++) {
		snprintf(segs->r[k].name, sizeof(segs->r[k].name), "%s", k ? "metro" : "mobile");
		segs->r[k].target = -1;
		segs->r[k].has_subscribers = 1;
	}
}

/* The same table and address streams on each single-kind tap. */
static void bench_taps(struct v6s_attr *a, const struct v6s_route_list *table, const char *label, unsigned nframes,
		       unsigned rounds)
{
	char key[64];
	printf("  single-kind taps (the mix above is all of them at once):\n");
	for (size_t k = 0; k < sizeof(taps) / sizeof(taps[0]); k++)
		printf("    %-9s %s\n", taps[k].name, taps[k].what);
	for (size_t k = 0; k < sizeof(taps) / sizeof(taps[0]); k++) {
		for (int zipf = 0; zipf < 2; zipf++) {
			struct addr_stream as;
			char path[64];
			stream_init(&as, table, zipf);
			bench_mix = taps[k].mix;
			snprintf(path, sizeof(path), "%s, %s, IMIX", taps[k].name, zipf ? "Zipf" : "random");
			struct result r = path_on_new_frames(a, &as, nframes, 0, rounds, path);
			bench_mix = mixed_tap;
			snprintf(key, sizeof(key), "%s_tap_%s_%s_mpps", label, taps[k].name, zipf ? "zipf" : "random");
			fig(key, r.mpps);
			stream_fini(&as);
		}
	}
}

static int bench_table(const char *label, struct v6s_attr_lists *lists, unsigned nframes, unsigned rounds,
		       int operator, int with_taps)
{
	static struct v6s_segments segs;
	struct v6s_attr a;
	struct v6s_attr_source none = { 0 };
	char err[512], key[64];
	/* keep a copy: attr_install rewrites values to registry indices and sorts */
	struct v6s_route_list table = { .n = lists->as.n, .cap = lists->as.n };
	table.r = malloc(table.n * sizeof(*table.r));
	memcpy(table.r, lists->as.r, table.n * sizeof(*table.r));

	uint32_t nasn = attr_distinct_asns(lists);
	bench_segs = NULL;
	if (operator) {
		add_operator_lists(lists, &segs);
		bench_segs = &segs;
	}
	if (attr_init(&a, &none, 2 * nasn + 1024, OP_NAMED + 64, 1, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	double t0 = now_s();
	if (attr_install(&a, lists, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", label, err);
		return -1;
	}
	double build = now_s() - t0;
	const struct v6s_attr_tables *t = attr_tables(&a);
	uint64_t n4 = 0, n6 = 0;
	for (size_t i = 0; i < table.n; i++)
		*(table.r[i].family == 4 ? &n4 : &n6) += 1;
	printf("\n%s: %" PRIu64 " IPv4 + %" PRIu64 " IPv6 prefixes, %u ASes%s; built in %.2f s (%u + %u routes "
	       "in the FIBs, the others redundant); tables %.0f MiB; per-lcore AS counters %.1f MiB\n", label, n4, n6,
	       nasn, operator ? ", with 1,000 of them named and 2 segments of 200 subscriber prefixes" : "", build,
	       t->fib_routes4, t->fib_routes6, (double)t->mem_bytes / 1048576.0,
	       (double)a.reg.as_cap * 4 * sizeof(struct v6s_volume32) / 1048576.0);
	snprintf(key, sizeof(key), "%s_build_s", label); fig(key, build);
	snprintf(key, sizeof(key), "%s_table_mib", label); fig(key, (double)t->mem_bytes / 1048576.0);

	if (profile_rounds) {
		struct addr_stream as;
		stream_init(&as, &table, 0);
		struct result r = path_on_new_frames(&a, &as, nframes, 0, profile_rounds, 0);
		printf("  parse+attribute+count, random, IMIX: %.2f ns/pkt, %.2f Mpps (%u rounds)\n", r.ns, r.mpps,
		       profile_rounds);
		stream_fini(&as);
		goto done;
	}
	printf("  %-34s %9s %9s %11s %10s %9s\n", "path (one core)", "ns/pkt", "Mpps", "cycles/pkt", "unrouted",
	       "prefetch");
	for (int zipf = 0; zipf < 2; zipf++) {
		struct addr_stream as;
		stream_init(&as, &table, zipf);
		if (operator)
			stream_subscribers(&as, &lists->sub);
		if (!operator) {        /* the same FIBs' lookups as without the configuration */
			double ns4, ns6;
			lookup_rates(t, &as, 1u << 20, &ns4, &ns6);
			printf("  %-34s %9.2f %9.2f\n", zipf ? "bulk lookup IPv4, Zipf" : "bulk lookup IPv4, random",
			       ns4, 1e3 / ns4);
			printf("  %-34s %9.2f %9.2f\n", zipf ? "bulk lookup IPv6, Zipf" : "bulk lookup IPv6, random",
			       ns6, 1e3 / ns6);
			snprintf(key, sizeof(key), "%s_lookup4_%s_ns", label, zipf ? "zipf" : "random"); fig(key, ns4);
			snprintf(key, sizeof(key), "%s_lookup6_%s_ns", label, zipf ? "zipf" : "random"); fig(key, ns6);
		}
		for (int only64 = 0; only64 < (zipf || operator ? 1 : 2); only64++) {
			char path[64];
			snprintf(path, sizeof(path), "parse+attribute+count, %s%s", zipf ? "Zipf" : "random",
				 only64 ? ", 64 B" : ", IMIX");
			struct result r = path_on_new_frames(&a, &as, nframes, only64, rounds, path);
			snprintf(key, sizeof(key), "%s_path_%s%s_mpps", label, zipf ? "zipf" : "random",
				 only64 ? "_64b" : "");
			fig(key, r.mpps);
			if (!zipf && !only64 && !operator) {
				snprintf(key, sizeof(key), "%s_path_prefetch_on_mpps", label);
				fig(key, 1e3 / path_fixed_ns[1]);
				snprintf(key, sizeof(key), "%s_path_prefetch_off_mpps", label);
				fig(key, 1e3 / path_fixed_ns[0]);
			}
		}
		stream_fini(&as);
	}
	if (with_taps)
		bench_taps(&a, &table, label, nframes, rounds);
done:
	attr_fini(&a);
	table_free(&table);
	bench_segs = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	const char *real = "/usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz";
	unsigned nframes = 1u << 21, rounds = 5;
	size_t syn4 = 1000000, syn6 = 200000;
	uint32_t synasn = 75000;
	int quick = 0, huge = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--huge") == 0)
			huge = 1;      /* DPDK memory on hugepages (mounted hugetlbfs, reserved pages) */
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile_rounds = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: v6share-bench-attr [--quick] [--huge] [--profile ROUNDS]\n"
				"  --profile: the real table's random IMIX path only, for perf record\n");
			return 2;
		}
	}

	if (quick) {            /* the smoke test: small, fast, same code */
		nframes = 1u << 12;
		rounds = 1;
		syn4 = 20000;
		syn6 = 4000;
		synasn = 1500;
	}
	char *eal[] = { "v6share-bench-attr", "--no-huge", "-m", quick ? "512" : "4096", "--no-pci", "--no-shconf",
			"--no-telemetry", "--file-prefix", "v6share-bench-attr", "--log-level", "error", NULL };
	char *eal_huge[] = { "v6share-bench-attr", "--in-memory", "-m", "2600", "--no-pci", "--no-telemetry",
			     "--log-level", "error", NULL };
	eal_use_private_memory(!huge);  /* as v6share --pcap does */
	if (huge ? rte_eal_init(8, eal_huge) < 0 : rte_eal_init(11, eal) < 0) {
		fprintf(stderr, "cannot start EAL\n");
		return 1;
	}
	eal_tune();                     /* as v6share does */
	printf("v6share attribution benchmark: %u frames in 128-byte slots, receive bursts of %d attributed %d at "
	       "a time, best of %u rounds, DPDK memory on %s; FIB lookups %s\n", nframes, RX_BURST, BURST, rounds,
	       huge ? "reserved 2 MiB hugepages" : "--no-huge, private with transparent huge pages",
	       eal_wide_lookups() ? "AVX-512" : "scalar");
	printf("prefetch: whether the workers' tuner (tuner.h) prefetched the first FIB level, by its last "
	       "verdict; (on): no trial ended, so the default\n");

	/* without attribution, for the ratio */
	if (!profile_rounds) {
		struct v6s_route_list empty = { 0 };
		struct addr_stream as;
		struct frames fr;
		struct v6s_counter_block blk;
		stream_init(&as, &empty, 0);
		build_frames(&fr, nframes, 0, &as);
		counters_block_init(&blk, 0, 0, 0, 0);
		struct result r = run_path(&fr, NULL, &blk, rounds);
		printf("\nno tables: parse+count, IMIX: %.2f ns/pkt, %.2f Mpps, %.1f cycles/pkt\n", r.ns, r.mpps, r.cyc);
		fig("none_path_mpps", r.mpps);
		counters_block_fini(&blk);
		free_frames(&fr);
		stream_fini(&as);
	}

	struct v6s_attr_lists lists;
	memset(&lists, 0, sizeof(lists));
	char cmd[512], err[512];
	snprintf(cmd, sizeof(cmd), "zcat %s > /tmp/v6share-bench-real.dat", real);
	if (!quick && system(cmd) == 0 &&
	    table_load_pfx2as("/tmp/v6share-bench-real.dat", &lists.as, &lists.as_stats, err, sizeof(err)) == 0) {
		bench_table("real2015", &lists, nframes, rounds, 0, 1);
		attr_free_lists(&lists);
		memset(&lists, 0, sizeof(lists));
		if (!profile_rounds &&
		    table_load_pfx2as("/tmp/v6share-bench-real.dat", &lists.as, &lists.as_stats, err, sizeof(err)) == 0) {
			bench_table("real2015_operator", &lists, nframes, rounds, 1, 0);
			attr_free_lists(&lists);
		}
		remove("/tmp/v6share-bench-real.dat");
	} else if (!quick) {
		printf("\nreal2015: %s not readable (install python3-pyasn); skipped\n", real);
	}

	memset(&lists, 0, sizeof(lists));
	if (profile_rounds) {
		rte_eal_cleanup();
		return 0;
	}
	synth_table(&lists.as, syn4, syn6, synasn, 0);
	bench_table("synthetic", &lists, nframes, rounds, 0, 0);
	attr_free_lists(&lists);

	memset(&lists, 0, sizeof(lists));
	synth_table(&lists.as, syn4, syn6, synasn, 1);
	bench_table("synthetic_clustered", &lists, nframes, rounds, 0, quick);
	attr_free_lists(&lists);

	if (quick) {            /* the operator's configuration, for the smoke test (no real table there) */
		memset(&lists, 0, sizeof(lists));
		synth_table(&lists.as, syn4, syn6, synasn, 1);
		bench_table("synthetic_clustered_operator", &lists, nframes, rounds, 1, 0);
		attr_free_lists(&lists);
	}

	printf("\n");
	for (unsigned i = 0; i < nfigs; i++)
		printf("%s=%.2f\n", figs[i].name, figs[i].value);
	rte_eal_cleanup();
	return 0;
}
