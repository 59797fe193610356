/* SPDX-License-Identifier: BSD-3-Clause
 * The generator's catalogue of frames: each case builds one frame and says
 * what it must count as. Shared by v6gen, the unit tests and the benchmark.
 */
#ifndef V6SHARE_CASES_H
#define V6SHARE_CASES_H

#include <stdint.h>

#include "pktbuild.h"
#include "v6share/parse.h"
#include "v6share/table.h"

/* What the link layer of the output is. From GEN_RAW on, links carry IP
 * only: the cases built for them are IP-level ones (C_IP), given the link's
 * header for their outer IP version. */
enum gen_link { GEN_ETH, GEN_SLL, GEN_SLL2, GEN_RAW, GEN_NULL, GEN_LOOP, GEN_PPP, GEN_CHDLC, GEN_NFLOG, GEN_LINK_COUNT };

/* The parser's link type for each of them. */
extern const enum v6s_link gen_parser_link[GEN_LINK_COUNT];

static inline int gen_link_ip(enum gen_link link)
{
	return link >= GEN_RAW;
}

#define C_IP       0x01   /* an IP-level case: also valid with a raw IP link */
#define C_ETH_ONLY 0x02   /* needs a real Ethernet header (not cooked) */
#define C_NO_MAC   0x04   /* the frame metered has no MACs: a mirrored bare IP packet */

struct gen_frame {
	struct pb b;
	uint32_t cap_len, wire_len;
	uint32_t ip_len;            /* user IP length, from the builder */
	uint32_t mirror_off;        /* bytes of an ERSPAN transport before the mirrored frame, 0 = none */
	uint32_t mirror_cut;        /* bytes of the mirrored frame its session cut off (T bit) */
	uint32_t user_src4, user_dst4;      /* host order, when the user packet is IPv4 */
	uint8_t user_src6[16], user_dst6[16];
};

struct gen_ctx {
	uint64_t rng;
	/* addresses: most drawn from these prefixes when given, the rest random */
	const struct v6s_route *pool4, *pool6;
	size_t npool4, npool6;
	/* or every address from here (benchmarks: random or Zipf streams) */
	void (*addr_fn)(void *arg, int family, uint8_t *out);
	void *addr_arg;
	enum gen_link link;
	size_t payload;             /* user payload bytes to build with */
	uint32_t cut;               /* set by a builder: truncate frame (cap and wire) to this */
	uint32_t snap;              /* set by a builder: capture only this much */
	uint32_t mirrored;          /* set by a builder: length of the frame an ERSPAN header carries */
	uint32_t mirror_cut;        /* set by a builder: what the session cut off that frame */
};

struct gen_case {
	const char *name;
	unsigned flags;
	uint8_t cls, reason;
	uint16_t encaps;
	uint8_t tunneled6;
	void (*build)(struct gen_ctx *g, struct gen_frame *f);
	const char *what;
};

/* The bytes a frame counts for: its wire length, or the mirrored frame's
 * length when it came in an ERSPAN session (as it was at the source port,
 * when the session cut it). */
static inline uint32_t gen_counted_len(const struct gen_frame *f)
{
	return f->wire_len - f->mirror_off + f->mirror_cut;
}

extern const struct gen_case gen_cases[];
extern const unsigned gen_ncases;

const struct gen_case *gen_case_find(const char *name);

/* Whether a case can be written with this link layer. */
int gen_case_fits(const struct gen_case *c, enum gen_link link);

/* Build a case into f for link, with a user payload of about `payload` bytes;
 * fills cap_len/wire_len/ip_len. */
void gen_build(const struct gen_case *c, struct gen_ctx *g, struct gen_frame *f);

/* Build a case so that its frame is about `frame_len` bytes long. */
void gen_build_sized(const struct gen_case *c, struct gen_ctx *g, struct gen_frame *f, uint32_t frame_len);

#endif
