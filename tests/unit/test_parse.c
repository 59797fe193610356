/* SPDX-License-Identifier: BSD-3-Clause
 * Parser unit tests: every generator case on every link type, frames written
 * out byte by byte, and truncation at every length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases.h"
#include "v6share/parse.h"

#define links(l) ((enum gen_link)(l))
#define parser_link gen_parser_link

/* Parse from an exactly sized heap copy, so ASan catches any read past cap. */
static void parse_copy(const uint8_t *frame, uint32_t cap, uint32_t wire, enum v6s_link link,
		       struct v6s_facts *out)
{
	uint8_t *copy = malloc(cap ? cap : 1);
	memcpy(copy, frame, cap);
	parse_frame(copy, cap, wire, link, out);
	free(copy);
}

static void check_case(const struct gen_case *c, unsigned l, uint32_t size, uint64_t seed)
{
	static struct gen_frame f;
	struct gen_ctx g = { .rng = seed, .link = links(l) };
	struct v6s_facts facts;

	gen_build_sized(c, &g, &f, size);
	parse_copy(pb_data(&f.b), f.cap_len, f.wire_len, parser_link[l], &facts);
	if (facts.cls != c->cls || (c->cls >= V6S_CLASS_OTHER && facts.reason != c->reason) ||
	    facts.encaps != c->encaps || facts.tunneled6 != c->tunneled6 || facts.ip_len != f.ip_len ||
	    facts.wire_len != gen_counted_len(&f))
		fail_msg("case %s link %u size %u: got class %s reason %u encaps 0x%x tunneled %u ip_len %u bytes %u, "
			 "want %s reason %u encaps 0x%x tunneled %u ip_len %u bytes %u", c->name, l, size,
			 v6s_class_names[facts.cls], facts.reason, facts.encaps, facts.tunneled6, facts.ip_len,
			 facts.wire_len, v6s_class_names[c->cls], c->reason, c->encaps, c->tunneled6, f.ip_len,
			 gen_counted_len(&f));
	if (facts.cls == V6S_CLASS_IPV4) {
		uint32_t src, dst;
		memcpy(&src, &facts.addr.v4[0], 4);
		memcpy(&dst, &facts.addr.v4[1], 4);
		assert_int_equal(__builtin_bswap32(src), f.user_src4);
		assert_int_equal(__builtin_bswap32(dst), f.user_dst4);
	} else if (facts.cls == V6S_CLASS_IPV6) {
		assert_memory_equal(facts.addr.v6[0], f.user_src6, 16);
		assert_memory_equal(facts.addr.v6[1], f.user_dst6, 16);
	}
}

static void test_every_case_every_link(void **state)
{
	static const uint32_t sizes[] = { 60, 64, 100, 590, 1514, 9000 };
	(void)state;
	for (unsigned i = 0; i < gen_ncases; i++)
		for (unsigned l = 0; l < GEN_LINK_COUNT; l++)
			if (gen_case_fits(&gen_cases[i], links(l)))
				for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
					check_case(&gen_cases[i], l, sizes[s], 1000 + s);
}

/* Cutting a frame anywhere gives the full frame's answer or `malformed`,
 * never anything else, and never reads past the cut. */
static void test_truncation_everywhere(void **state)
{
	static struct gen_frame f;
	(void)state;
	for (unsigned i = 0; i < gen_ncases; i++) {
		for (unsigned l = 0; l < GEN_LINK_COUNT; l++) {
			const struct gen_case *c = &gen_cases[i];
			struct gen_ctx g = { .rng = 7 + i, .link = links(l) };
			struct v6s_facts full, cut;
			if (!gen_case_fits(c, links(l)))
				continue;
			gen_build_sized(c, &g, &f, 200);
			parse_copy(pb_data(&f.b), f.cap_len, f.wire_len, parser_link[l], &full);
			for (uint32_t cap = 0; cap < f.cap_len; cap++) {
				/* by snap length: the wire length stays */
				parse_copy(pb_data(&f.b), cap, f.wire_len, parser_link[l], &cut);
				if (cut.cls != V6S_CLASS_MALFORMED) {
					if (cut.cls != full.cls || cut.ip_len != full.ip_len)
						fail_msg("case %s link %u cut at %u: class %s, full frame %s", c->name, l,
							 cap, v6s_class_names[cut.cls], v6s_class_names[full.cls]);
				}
				/* the frame's own length, or once an ERSPAN header was
				 * read the mirrored frame's: as much of it as arrived,
				 * or, when its session cut it, what its IP header says */
				if (cut.wire_len != f.wire_len && cut.wire_len != f.wire_len - f.mirror_off)
					assert_int_equal(cut.wire_len, full.wire_len);
				/* on the wire: the frame really is this short */
				parse_copy(pb_data(&f.b), cap, cap, parser_link[l], &cut);
			}
		}
	}
}

static struct v6s_facts parse_hex(const char *hex, enum v6s_link link)
{
	uint8_t buf[2048];
	uint32_t n = 0;
	struct v6s_facts f;
	for (const char *p = hex; *p;) {
		if (*p == ' ' || *p == '\n' || *p == '|') {
			p++;
			continue;
		}
		unsigned v;
		sscanf(p, "%2x", &v);
		buf[n++] = (uint8_t)v;
		p += 2;
	}
	parse_copy(buf, n, n, link, &f);
	return f;
}

/* An Ethernet frame written out by hand with tags: its class, the VLAN IDs
 * segment rules see, the bytes it counts for, and that VLAN was seen. */
static void expect_tagged(const char *hex, enum v6s_class cls, unsigned outer, unsigned inner, uint32_t bytes)
{
	struct v6s_facts f = parse_hex(hex, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, cls);
	assert_int_equal(f.vlan_outer, outer);
	assert_int_equal(f.vlan_inner, inner);
	assert_int_equal(f.wire_len, bytes);
	assert_true(f.encaps & 1u << V6S_ENCAP_VLAN);
}

/* A frame written out by hand that is not IP: its class and reason. */
static void expect_not_ip(const char *hex, enum v6s_link link, enum v6s_class cls, unsigned reason)
{
	struct v6s_facts f = parse_hex(hex, link);
	assert_int_equal(f.cls, cls);
	assert_int_equal(f.reason, reason);
}

/* Frames written out by hand, independent of the builder. */
static void test_literal_frames(void **state)
{
	struct v6s_facts f;
	(void)state;

	/* Ethernet | 802.1ad 10 | 802.1Q 20 | IPv6 (payload 0, no next header) */
	f = parse_hex("020000000002 020000000001 88a8 000a 8100 0014 86dd |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 40);
	assert_int_equal(f.vlan_outer, 10);
	assert_int_equal(f.vlan_inner, 20);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_VLAN);

	/* Arista timestamp header (64-bit) | 802.1Q 42 | IPv4: the tag is the
	 * outer one, and the frame counts for its whole length */
	expect_tagged("020000000002 020000000001 d28b 0001 0010 00000001 1dcd6500 | 8100 002a 0800 |"
		      "45000014 00000000 4006 0000 0a000001 0a000002", V6S_CLASS_IPV4, 42, V6S_VLAN_NONE,
		      14 + 14 + 4 + 20);

	/* 802.1ad 10 | VN-Tag | 802.1Q 20 | E-Tag | CMD | IPv6 */
	expect_tagged("020000000002 020000000001 88a8 000a 8926 80050012 8100 0014 893f 00000000002c |"
		      "8909 010100010010 86dd |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_CLASS_IPV6, 10, 20, 14 + 4 + 6 + 4 + 8 + 8 + 40);

	/* five inserted headers: more than any switch puts there; an Arista
	 * header with a timestamp version it does not define; IPv6 next
	 * header 143 with a 10-byte Ethernet frame, cut short */
	expect_not_ip("020000000002 020000000001 8926 80050012 8926 80050012 8926 80050012 8926 80050012 "
		      "8926 80050012 0800 | 45000014 00000000 4006 0000 0a000001 0a000002", V6S_LINK_ETHERNET,
		      V6S_CLASS_OTHER, V6S_OTHER_ETHERTYPE);
	expect_not_ip("020000000002 020000000001 d28b 0001 0030 00000001 1dcd6500 0800 |"
		      "45000014 00000000 4006 0000 0a000001 0a000002", V6S_LINK_ETHERNET,
		      V6S_CLASS_OTHER, V6S_OTHER_ETHERTYPE);
	expect_not_ip("60000000 000a 8f40 20010db8000000000000000000000001 20010db8000000000000000000000002 |"
		      "020000000002 02000000", V6S_LINK_RAW, V6S_CLASS_MALFORMED, V6S_MALFORMED_LINK_TRUNCATED);

	/* MPLS two labels (only the second has S) | IPv4 20 bytes */
	f = parse_hex("020000000002 020000000001 8847 | 00064040 00065140 |"
		      "45000014 00000000 4006 0000 0a000001 0a000002", V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV4);
	assert_int_equal(f.ip_len, 20);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_MPLS);
	assert_int_equal(f.addr.v4[0], __builtin_bswap32(0x0a000001));

	/* IPv4 | UDP 2152 | GTP-U E flag, PDU session container (0x85) | IPv6 */
	f = parse_hex("45000054 00000000 4011 0000 c0000201 c0000202 |"
		      "0868 0868 0040 0000 |"
		      "34ff 0030 00000001 0000 00 85 | 01 00 01 00 |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 40);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_GTPU);

	/* The same with the G-PDU length one byte longer than the UDP datagram */
	f = parse_hex("45000054 00000000 4011 0000 c0000201 c0000202 |"
		      "0868 0868 0040 0000 |"
		      "34ff 0031 00000001 0000 00 85 | 01 00 01 00 |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_MALFORMED);
	assert_int_equal(f.reason, V6S_MALFORMED_GTPU_BAD_LENGTH);

	/* GTP-U echo request on port 2152: the outer IPv4 packet */
	f = parse_hex("45000028 00000000 4011 0000 c0000201 c0000202 | 0868 0868 0014 0000 |"
		      "3201 0004 00000000 0001 0000", V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_IPV4);
	assert_int_equal(f.encaps, 0);

	/* Teredo with origin indication | IPv6 */
	f = parse_hex("4500004c 00000000 4011 0000 c0000201 c0000202 | 0dd8 9c41 0038 0000 |"
		      "0000 edcb 3fffffde |"
		      "60000000 0000 3b40 20010000000000000000000000000001 20010000000000000000000000000002",
		      V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.tunneled6, 1);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_TEREDO);

	/* PPPoE session, PPP 0x0057 | IPv6 */
	f = parse_hex("020000000002 020000000001 8864 | 1100 0b0e 002a 0057 |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_PPPOE);

	/* PPPoE length one past the frame */
	f = parse_hex("020000000002 020000000001 8864 | 1100 0b0e 002b 0057 |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_MALFORMED);
	assert_int_equal(f.reason, V6S_MALFORMED_PPPOE_BAD_LENGTH);

	/* Linux cooked v1, protocol IPv4 */
	f = parse_hex("0000 0001 0006 020000000001 0000 0800 | 45000014 00000000 4006 0000 0a000001 0a000002",
		      V6S_LINK_SLL);
	assert_int_equal(f.cls, V6S_CLASS_IPV4);

	/* Linux cooked v2, protocol IPv6 */
	f = parse_hex("86dd 0000 00000002 0001 00 06 020000000001 0000 |"
		      "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_SLL2);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);

	/* LINKTYPE_IPV4 holding a version 6 packet */
	f = parse_hex("60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_IPV4);
	assert_int_equal(f.cls, V6S_CLASS_MALFORMED);
	assert_int_equal(f.reason, V6S_MALFORMED_VERSION_MISMATCH);

	/* IPv4 padded by Ethernet to 60 bytes: total length counts, not the frame */
	f = parse_hex("020000000002 020000000001 0800 | 4500001c 00000000 4011 0000 0a000001 0a000002 |"
		      "00350035 0008 0000 | 000000000000000000000000000000000000", V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV4);
	assert_int_equal(f.ip_len, 28);
	assert_int_equal(f.wire_len, 60);

	/* First fragment (MF) whose 12 data bytes end inside the GTP-U header; the
	 * bytes after the IPv4 packet look like the rest of a tunnel to IPv6 but
	 * are not part of it (found by the fuzzer): the outer packet counts. */
	f = parse_hex("45000020 1234 2000 4011 0000 c0000201 c0000202 | 0868 0868 0064 0000 | 30ff 0054 |"
		      "00000001 | 60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002",
		      V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_IPV4);
	assert_int_equal(f.ip_len, 32);
	assert_int_equal(f.encaps, 0);

	/* The same first fragment long enough to hold the tunnel: inner IPv6
	 * counts, with only the bytes this fragment carries */
	f = parse_hex("45000050 1234 2000 4011 0000 c0000201 c0000202 | 0868 0868 0068 0000 | 30ff 0058 00000001 |"
		      "60000000 0030 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002 |"
		      "0000000000000000", V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 80 - 36);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_GTPU);

	/* Empty frame */
	f = parse_hex("", V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_MALFORMED);
	assert_int_equal(f.reason, V6S_MALFORMED_LINK_TRUNCATED);
}

/* ERSPAN: the mirrored frame is metered as if captured at its source port. */
static void erspan2_over4(struct pb *b, uint16_t vlan, unsigned en)
{
	pb_erspan2(b, vlan, en, 0, 1);
	pb_gre(b, 0x88be, 0, 1);
	pb_ipv4(b, 47, 0xc0000201, 0xc0000202);
}

/* ... and sent to the meter's untagged port */
static void erspan2_session(struct pb *b, uint16_t vlan, unsigned en)
{
	erspan2_over4(b, vlan, en);
	pb_eth(b, 0x0800, 0, NULL, NULL);
}

/* ... as a session that cut the frame it carries (T bit) */
static void truncating_session(struct pb *b, uint16_t session)
{
	pb_erspan2(b, 0, 0, 1, session);
	pb_gre(b, 0x88be, 0, 1);
	pb_ipv4(b, 47, 0xc0000201, 0xc0000202);
	pb_eth(b, 0x0800, 0, NULL, NULL);
}

/* The frame a switch mirrors: untagged Ethernet, an IPv6 packet of 60 bytes. */
static void mirrored_v6(struct pb *b, const uint8_t a[16])
{
	pb_init(b, 20, 0);
	pb_ipv6(b, 59, a, a);
	pb_eth(b, 0x86dd, 0, NULL, NULL);
}

static struct v6s_facts parse_whole(struct pb *b, enum v6s_link link)
{
	struct v6s_facts f;
	parse_copy(pb_data(b), (uint32_t)b->len, (uint32_t)b->len, link, &f);
	return f;
}

static void test_erspan(void **state)
{
	static struct pb b;
	uint8_t a[16] = { 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 };
	struct v6s_facts f;
	(void)state;

	/* the switch stripped the 802.1Q tag and put its VLAN in the header
	 * (encapsulation type 2): it is the frame's VLAN for the segment rules */
	mirrored_v6(&b, a);
	uint32_t mirrored_len = (uint32_t)b.len;
	erspan2_over4(&b, 321, 2);
	uint16_t tpid = 0x8100, vid = 3000;
	pb_eth(&b, 0x0800, 1, &tpid, &vid);     /* the transport's own tag: not the frame's */
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.encaps, 1u << V6S_ENCAP_ERSPAN);
	assert_int_equal(f.vlan_outer, 321);
	assert_int_equal(f.vlan_inner, V6S_VLAN_NONE);
	assert_int_equal(f.wire_len, mirrored_len);
	assert_int_equal(f.ip_len, 60);

	/* type 0: the frame had no tag, whatever the VLAN field holds */
	mirrored_v6(&b, a);
	erspan2_session(&b, 321, 0);
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.vlan_outer, V6S_VLAN_NONE);

	/* a mirror of a mirror session is followed once more, then the GRE
	 * packet itself counts */
	mirrored_v6(&b, a);
	for (int i = 0; i < V6S_MAX_MIRRORS; i++)
		erspan2_session(&b, 0, 0);
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	erspan2_session(&b, 0, 0);
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_OTHER);
	assert_int_equal(f.reason, V6S_OTHER_GRE_NON_IP);

	/* a mirror session that cut its frame (T bit, a 1514-byte frame to 64):
	 * the frame counts as long as it was, from its IP header's length */
	pb_init(&b, 1500 - 40, 0);
	pb_ipv6(&b, 59, a, a);
	pb_eth(&b, 0x86dd, 0, NULL, NULL);
	b.len = 64;
	truncating_session(&b, 3);
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 1500);
	assert_int_equal(f.wire_len, 1514);

	/* a truncated mirror (T bit) of a mirror session: the inner session's
	 * lengths reach past what arrived (it is read as cut too), and the
	 * innermost frame counts as long as its own IP header says, not the
	 * outer session's transport */
	mirrored_v6(&b, a);
	uint32_t innermost = (uint32_t)b.len;
	erspan2_session(&b, 0, 0);
	b.len -= 10;
	truncating_session(&b, 2);
	f = parse_whole(&b, V6S_LINK_ETHERNET);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 60);
	assert_int_equal(f.wire_len, innermost);

	/* inside a user's tunnel (IPv4 in IPv6) it is not the tap's transport */
	mirrored_v6(&b, a);
	erspan2_over4(&b, 0, 0);
	pb_ipv6(&b, 4, a, a);
	f = parse_whole(&b, V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_OTHER);
	assert_int_equal(f.reason, V6S_OTHER_GRE_NON_IP);
	assert_int_equal(f.encaps, (1u << V6S_ENCAP_IPIP) | (1u << V6S_ENCAP_GRE));

	/* a version the header does not have: GRE that is not ERSPAN */
	mirrored_v6(&b, a);
	erspan2_over4(&b, 0, 0);
	pb_data(&b)[20 + 8] = 0x30;
	f = parse_whole(&b, V6S_LINK_RAW);
	assert_int_equal(f.cls, V6S_CLASS_OTHER);
	assert_int_equal(f.reason, V6S_OTHER_GRE_NON_IP);
}

/* Tunnels inside tunnels stop at the bound with their own reason. */
static void test_tunnel_depth_bound(void **state)
{
	struct pb b;
	uint8_t a[16] = { 0x20, 1, 0x0d, 0xb8 };
	struct v6s_facts f;
	(void)state;

	pb_init(&b, 8, 0);
	pb_ipv6(&b, 59, a, a);
	for (int i = 0; i < V6S_MAX_IP_LAYERS + 2; i++)
		pb_ipv6(&b, 41, a, a);
	parse_copy(pb_data(&b), (uint32_t)b.len, (uint32_t)b.len, V6S_LINK_RAW, &f);
	assert_int_equal(f.cls, V6S_CLASS_MALFORMED);
	assert_int_equal(f.reason, V6S_MALFORMED_TUNNEL_TOO_DEEP);

	pb_init(&b, 8, 0);
	pb_ipv6(&b, 59, a, a);
	for (int i = 0; i < V6S_MAX_IP_LAYERS - 1; i++)
		pb_ipv6(&b, 41, a, a);
	parse_copy(pb_data(&b), (uint32_t)b.len, (uint32_t)b.len, V6S_LINK_RAW, &f);
	assert_int_equal(f.cls, V6S_CLASS_IPV6);
	assert_int_equal(f.ip_len, 48);
}

/* Names come from one list: every enum value has a distinct, non-empty name. */
/* A frame written out by hand and what it must count as; "IP4" and "IP6"
 * stand for a 20-byte IPv4 and a 40-byte IPv6 packet (10.0.0.1 -> 10.0.0.2,
 * 2001:db8::1 -> 2001:db8::2). ANY: not checked. */
#define ANY (-1)
struct literal {
	const char *what, *hex;
	enum v6s_link link;
	int cls, reason, encaps, ip_len;
};

static void check_literals(const struct literal *t, size_t n)
{
	static const char ip4[] = "45000014 00000000 4006 0000 0a000001 0a000002";
	static const char ip6[] = "60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002";
	for (size_t i = 0; i < n; i++) {
		char hex[1024] = "";
		for (const char *p = t[i].hex; *p;) {
			int is4 = strncmp(p, "IP4", 3) == 0, is6 = strncmp(p, "IP6", 3) == 0;
			size_t len = strlen(hex);
			if (is4 || is6) {
				snprintf(hex + len, sizeof(hex) - len, "%s", is4 ? ip4 : ip6);
				p += 3;
			} else {
				hex[len] = *p++;
				hex[len + 1] = '\0';
			}
		}
		struct v6s_facts f = parse_hex(hex, t[i].link);
		if (f.cls != t[i].cls || (t[i].reason != ANY && f.reason != t[i].reason) ||
		    (t[i].encaps != ANY && f.encaps != t[i].encaps) || (t[i].ip_len != ANY && (int)f.ip_len != t[i].ip_len))
			fail_msg("%s: got class %s reason %u encaps 0x%x ip_len %u, want %s reason %d encaps 0x%x ip_len %d",
				 t[i].what, v6s_class_names[f.cls], f.reason, f.encaps, f.ip_len, v6s_class_names[t[i].cls],
				 t[i].reason, t[i].encaps, t[i].ip_len);
		if (f.cls == V6S_CLASS_IPV4 && strstr(t[i].hex, "IP4"))        /* the user packet's own */
			assert_int_equal(f.addr.v4[1], __builtin_bswap32(0x0a000002));
	}
}

#define L_IP4 V6S_CLASS_IPV4
#define L_IP6 V6S_CLASS_IPV6
#define L_OTH V6S_CLASS_OTHER
#define L_BAD V6S_CLASS_MALFORMED
#define E(e) (1 << V6S_ENCAP_##e)

/* Link types without Ethernet: the forms the generator does not write
 * (big-endian NULL, PPPoE without Ethernet, Cisco HDLC in a PPP_SERIAL
 * capture, PPP carrying MPLS, NFLOG of another family). */
static void test_other_links(void **state)
{
	static const struct literal t[] = {
		{ "NULL from a big-endian host, AF_INET6 as FreeBSD has it (28)", "0000001c | IP6", V6S_LINK_NULL,
		  L_IP6, ANY, 0, 40 },
		{ "NULL, little-endian AF_INET holding version 6", "02000000 | IP6", V6S_LINK_NULL,
		  L_BAD, V6S_MALFORMED_VERSION_MISMATCH, ANY, ANY },
		{ "NULL of another family (AF_APPLETALK 16)", "10000000 | 0000000000000000", V6S_LINK_NULL,
		  L_OTH, V6S_OTHER_LINK_NON_IP, 0, 0 },
		{ "LOOP is network byte order: 02000000 is no family", "02000000 | IP4", V6S_LINK_LOOP,
		  L_OTH, V6S_OTHER_LINK_NON_IP, 0, 0 },
		{ "a loopback header cut short", "000000", V6S_LINK_LOOP, L_BAD, V6S_MALFORMED_LINK_TRUNCATED, 0, 0 },
		{ "PPPoE session without Ethernet, PPP 0x0057", "1100 0b0e 002a 0057 | IP6", V6S_LINK_PPP_ETHER,
		  L_IP6, ANY, E(PPPOE), 40 },
		{ "PPPoE without Ethernet: a PADI", "1109 0000 0000", V6S_LINK_PPP_ETHER,
		  L_OTH, V6S_OTHER_PPPOE_DISCOVERY, 0, 0 },
		{ "PPP_SERIAL holding Cisco HDLC (address 0x0f, control 0, ethertype)", "0f00 0800 | IP4", V6S_LINK_PPP,
		  L_IP4, ANY, 0, 20 },
		{ "PPP, compressed protocol field (0x21)", "ff03 21 | IP4", V6S_LINK_PPP, L_IP4, ANY, 0, 20 },
		{ "PPP without address and control, MPLS (0x0281), two labels", "0281 | 00064040 00065140 | IP6",
		  V6S_LINK_PPP, L_IP6, ANY, E(MPLS), 40 },
		{ "PPP IPCP", "ff03 8021 0101 0004", V6S_LINK_PPP, L_OTH, V6S_OTHER_PPP_NON_IP, 0, 0 },
		{ "PPP: address and control, then nothing", "ff03", V6S_LINK_PPP,
		  L_BAD, V6S_MALFORMED_PPP_TRUNCATED, 0, 0 },
		{ "Cisco HDLC carrying MPLS (0x8847), one label", "8f00 8847 | 00065140 | IP4", V6S_LINK_C_HDLC,
		  L_IP4, ANY, E(MPLS), 20 },
		{ "NFLOG: IPv4, a prefix TLV (5 bytes, padded to 8) before the payload",
		  "02 00 0001 | 0900 0a00 41424300 00 000000 | 1800 0900 | IP4", V6S_LINK_NFLOG, L_IP4, ANY, 0, 20 },
		{ "NFLOG of a bridge family (7)", "07 00 0001 | 0800 0900 00000000", V6S_LINK_NFLOG,
		  L_OTH, V6S_OTHER_LINK_NON_IP, 0, 0 },
		{ "NFLOG with a zero-length TLV", "02 00 0001 | 0000 0900", V6S_LINK_NFLOG,
		  L_BAD, V6S_MALFORMED_LINK_TRUNCATED, 0, 0 },
	};
	(void)state;
	check_literals(t, sizeof(t) / sizeof(t[0]));
}

/* L2TP and PPTP written out by hand. */
static void test_ppp_tunnels(void **state)
{
	static const struct literal t[] = {
		{ "IPv4 | UDP 1701 | L2TPv2 data, L and S | PPP ff03 0057 | IPv6",
		  "45000054 00000000 4011 0000 c0000201 c0000202 | 06a5 06a5 0040 0000 |"
		  "4802 0038 0001 0002 0000 0000 | ff03 0057 | IP6", V6S_LINK_RAW, L_IP6, ANY, E(L2TP), 40 },
		{ "the same with the L2TP length one past the datagram",
		  "45000054 00000000 4011 0000 c0000201 c0000202 | 06a5 06a5 0040 0000 |"
		  "4802 0039 0001 0002 0000 0000 | ff03 0057 | IP6", V6S_LINK_RAW,
		  L_BAD, V6S_MALFORMED_L2TP_TRUNCATED, ANY, ANY },
		{ "L2TPv3 on port 1701 (version 3): the outer packet",
		  "45000024 00000000 4011 0000 c0000201 c0000202 | 06a5 06a5 0010 0000 | 0003 0000 00001234",
		  V6S_LINK_RAW, L_IP4, ANY, 0, 36 },
		{ "IPv4 | GRE v1 (K, S) 0x880b, payload 24 | PPP ff03 0021 | IPv4 (PPTP)",
		  "45000038 00000000 402f 0000 c0000201 c0000202 | 3001 880b 0018 4242 00000007 | ff03 0021 | IP4",
		  V6S_LINK_RAW, L_IP4, ANY, E(GRE), 20 },
		{ "PPTP payload length one past the packet",
		  "45000038 00000000 402f 0000 c0000201 c0000202 | 3001 880b 0019 4242 00000007 | ff03 0021 | IP4",
		  V6S_LINK_RAW, L_BAD, V6S_MALFORMED_GRE_TRUNCATED, ANY, ANY },
		{ "PPTP carrying MPPE-encrypted data (0x00fd): the user's version is hidden",
		  "45000028 00000000 402f 0000 c0000201 c0000202 | 3001 880b 0008 4242 00000007 | ff03 00fd 9000 0000",
		  V6S_LINK_RAW, L_OTH, V6S_OTHER_PPP_NON_IP, E(GRE), 0 },
	};
	(void)state;
	check_literals(t, sizeof(t) / sizeof(t[0]));
}

static void test_names(void **state)
{
	(void)state;
	for (unsigned i = 0; i < V6S_MALFORMED_COUNT; i++) {
		assert_non_null(v6s_malformed_names[i]);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(v6s_malformed_names[i], v6s_malformed_names[j]);
	}
	for (unsigned i = 0; i < V6S_OTHER_COUNT; i++)
		assert_non_null(v6s_other_names[i]);
	assert_string_equal(v6s_encap_names[V6S_ENCAP_6IN4], "6in4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_case_every_link),
		cmocka_unit_test(test_literal_frames),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_tunnel_depth_bound),
		cmocka_unit_test(test_erspan),
		cmocka_unit_test(test_other_links),
		cmocka_unit_test(test_ppp_tunnels),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
