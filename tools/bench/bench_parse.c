/* SPDX-License-Identifier: BSD-3-Clause
 * Parser benchmark: the real parse + count functions the workers call, on an
 * in-memory IMIX-like mix of frames built by the generator's cases. Prints a
 * table and one `name=value` line per figure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "cases.h"
#include "v6share/counters.h"
#include "v6share/parse.h"

#define BURST 32

struct frame_set {
	unsigned n;
	uint8_t **data;
	uint32_t *cap, *wire;
	uint64_t bytes;
};

/* The mix weights mirror v6gen's imix; frames spread over one contiguous arena. */
static void build_set(struct frame_set *s, unsigned n, int only64, uint64_t seed)
{
	static const char *const mix[] = {
		"ipv4_tcp", "ipv4_tcp", "ipv4_tcp", "ipv4_udp", "ipv6_tcp", "ipv6_tcp", "ipv6_udp",
		"vlan_v4", "vlan_v6", "qinq_v6", "mpls1_v4", "mpls3_v6", "pppoe_v4", "pppoe_v6",
		"gtpu_v4_in_v4", "gtpu_v6_in_v4", "gtpu_5g", "6in4", "teredo", "dslite",
	};
	static struct gen_frame f;
	struct gen_ctx g = { .rng = seed, .link = GEN_ETH };

	s->n = n;
	s->data = calloc(n, sizeof(*s->data));
	s->cap = calloc(n, sizeof(*s->cap));
	s->wire = calloc(n, sizeof(*s->wire));
	s->bytes = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct gen_case *c = gen_case_find(mix[pb_rand(&g.rng) % (sizeof(mix) / sizeof(mix[0]))]);
		unsigned r = (unsigned)(pb_rand(&g.rng) % 100);
		uint32_t size = only64 ? 64 : r < 50 ? 64 + (uint32_t)(pb_rand(&g.rng) % 37)
				: r < 70 ? 570 + (uint32_t)(pb_rand(&g.rng) % 31)
				: 1400 + (uint32_t)(pb_rand(&g.rng) % 115);
		gen_build_sized(c, &g, &f, size);
		/* a NIC hands over at most 2 KiB per buffer; keep that shape */
		s->data[i] = malloc(2048);
		memcpy(s->data[i], pb_data(&f.b), f.cap_len);
		s->cap[i] = f.cap_len;
		s->wire[i] = f.wire_len;
		s->bytes += f.wire_len;
	}
}

static void free_set(struct frame_set *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->data[i]);
	free(s->data);
	free(s->cap);
	free(s->wire);
}


struct result {
	double ns, mpps, cyc;
};

/* A new order for the set's frames (untimed): a branch predictor cannot
 * learn the sequence of encapsulations from one pass to the next. */
static void shuffle_set(struct frame_set *s, uint64_t *rng)
{
	for (unsigned i = s->n; i > 1; i--) {
		unsigned j = (unsigned)(pb_rand(rng) % i);
		uint8_t *d = s->data[i - 1];
		uint32_t c = s->cap[i - 1], w = s->wire[i - 1];
		s->data[i - 1] = s->data[j];
		s->cap[i - 1] = s->cap[j];
		s->wire[i - 1] = s->wire[j];
		s->data[j] = d;
		s->cap[j] = c;
		s->wire[j] = w;
	}
}

/* Best of `rounds` passes over the set (the least disturbed by neighbours). */
static struct result run(struct frame_set *s, int count, int shuffle, unsigned rounds, uint64_t *sink)
{
	static struct v6s_counter_block block;
	struct v6s_facts facts[BURST];
	struct result best = { 1e18, 0, 0 };
	uint64_t rng = 5;

	for (unsigned r = 0; r < rounds; r++) {
		if (shuffle)
			shuffle_set(s, &rng);
		double t0 = now_s();
		uint64_t c0 = cycles();
		for (unsigned i = 0; i < s->n; i += BURST) {
			unsigned k = s->n - i < BURST ? s->n - i : BURST;
			/* as the workers do: parse with the headers (two lines) of the frames ahead prefetched */
			for (unsigned j = 0; j < k && j < V6S_PREFETCH_AHEAD; j++) {
				__builtin_prefetch(s->data[i + j]);
				__builtin_prefetch(s->data[i + j] + 64);
			}
			for (unsigned j = 0; j < k; j++) {
				if (j + V6S_PREFETCH_AHEAD < k) {
					__builtin_prefetch(s->data[i + j + V6S_PREFETCH_AHEAD]);
					__builtin_prefetch(s->data[i + j + V6S_PREFETCH_AHEAD] + 64);
				}
				parse_frame(s->data[i + j], s->cap[i + j], s->wire[i + j], V6S_LINK_ETHERNET, &facts[j]);
			}
			if (count)
				counters_count_burst(&block, facts, k);
			else
				*sink += facts[0].cls + facts[k - 1].ip_len;
		}
		uint64_t c1 = cycles();
		double ns = (now_s() - t0) * 1e9 / s->n;
		if (ns < best.ns) {
			best.ns = ns;
			best.cyc = (double)(c1 - c0) / s->n;
		}
	}
	best.mpps = 1e3 / best.ns;
	*sink += block.c.cls[0].packets;
	return best;
}

int main(int argc, char **argv)
{
	unsigned ring = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 4096;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 50;
	unsigned cold = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1u << 18;
	struct frame_set imix, small, big, shuf;
	uint64_t sink = 0;

	if (ring < BURST || cold < BURST || rounds == 0) {
		fprintf(stderr, "usage: v6share-bench-parse [RING_FRAMES>=32] [ROUNDS>=1] [COLD_FRAMES>=32]\n");
		return 2;
	}
	/* "ring": a receive ring's worth of frames, headers in cache as after a
	 * NIC's DMA into L3, in the same order every pass; "shuffled": the same
	 * frames in a new order every pass, so the encapsulations arrive as
	 * unpredictably as on a mixed tap; "cold": so many 2 KiB buffers that
	 * every header comes from DRAM (the worst case). */
	build_set(&imix, ring, 0, 42);
	build_set(&shuf, ring, 0, 42);
	build_set(&small, ring, 1, 43);
	build_set(&big, cold, 0, 44);

	struct {
		const char *name;
		struct frame_set *s;
		int count, shuffle;
		unsigned rounds;
	} cases[] = {
		{ "parse_imix", &imix, 0, 0, rounds },
		{ "parse_count_imix", &imix, 1, 0, rounds },
		{ "parse_count_64b", &small, 1, 0, rounds },
		{ "parse_imix_shuffled", &shuf, 0, 1, rounds },
		{ "parse_count_imix_shuffled", &shuf, 1, 1, rounds },
		{ "parse_count_imix_cold", &big, 1, 0, rounds > 5 ? 5 : rounds },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct result res[N];
	for (int i = 0; i < N; i++)
		res[i] = run(cases[i].s, cases[i].count, cases[i].shuffle, cases[i].rounds, &sink);

	printf("v6share parser benchmark: one core, best of %u rounds; ring = %u frames, cold = %u frames "
	       "in 2 KiB buffers; IMIX mean %.0f B\n", rounds, ring, cold, (double)imix.bytes / ring);
	printf("%-26s %10s %10s %12s\n", "path", "ns/pkt", "Mpps", "cycles/pkt");
	for (int i = 0; i < N; i++)
		printf("%-26s %10.2f %10.2f %12.1f\n", cases[i].name, res[i].ns, res[i].mpps, res[i].cyc);
	for (int i = 0; i < N; i++)
		printf("%s_ns=%.2f\n%s_mpps=%.2f\n%s_cycles=%.1f\n", cases[i].name, res[i].ns,
		       cases[i].name, res[i].mpps, cases[i].name, res[i].cyc);
	fprintf(stderr, "(checksum %" PRIu64 ")\n", sink);
	free_set(&imix);
	free_set(&small);
	free_set(&big);
	free_set(&shuf);
	return 0;
}
