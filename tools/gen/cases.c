/* SPDX-License-Identifier: BSD-3-Clause
 * Frame cases. Every builder constructs its frame inside out and records the
 * user IP packet's length as it wraps it, so the expected values come from
 * construction, not from the parser under test.
 */
#include <string.h>

#include "cases.h"

#define ENC(e) (uint16_t)(1u << V6S_ENCAP_##e)
#define IPV4 V6S_CLASS_IPV4
#define IPV6 V6S_CLASS_IPV6
#define OTHER V6S_CLASS_OTHER
#define BAD V6S_CLASS_MALFORMED

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void set16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Random host bits below a prefix of the pool. */
static void from_pool(struct gen_ctx *g, const struct v6s_route *pool, size_t n, uint8_t *a, unsigned bytes)
{
	const struct v6s_route *r = &pool[pb_rand(&g->rng) % n];
	for (unsigned i = 0; i < bytes; i++) {
		uint8_t rnd = (uint8_t)pb_rand(&g->rng);
		unsigned keep = r->len > 8 * i ? (r->len - 8 * i >= 8 ? 8 : r->len - 8 * i) : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);
		a[i] = (uint8_t)((r->addr[i] & mask) | (rnd & (uint8_t)~mask));
	}
}

static int use_pool(struct gen_ctx *g, size_t n)
{
	return n && pb_rand(&g->rng) % 4 != 0;          /* 3 in 4 from the pool */
}

static uint32_t rand4(struct gen_ctx *g)
{
	uint32_t a;
	if (g->addr_fn) {
		uint8_t b[4];
		g->addr_fn(g->addr_arg, 4, b);
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	}
	if (use_pool(g, g->npool4)) {
		uint8_t b[4];
		from_pool(g, g->pool4, g->npool4, b, 4);
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	}
	do
		a = (uint32_t)pb_rand(&g->rng);
	while ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 24) >= 224);
	return a;
}

static void rand6(struct gen_ctx *g, uint8_t a[16])
{
	if (g->addr_fn) {
		g->addr_fn(g->addr_arg, 6, a);
		return;
	}
	if (use_pool(g, g->npool6)) {
		from_pool(g, g->pool6, g->npool6, a, 16);
		return;
	}
	uint64_t hi = pb_rand(&g->rng), lo = pb_rand(&g->rng);
	for (int i = 0; i < 8; i++) {
		a[i] = (uint8_t)(hi >> (56 - 8 * i));
		a[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	a[0] = (uint8_t)(0x20 | (a[0] & 0x1f));     /* 2000::/3, global unicast */
}

/* The user packet: recorded as the frame's truth. */
static void user4(struct gen_ctx *g, struct gen_frame *f, uint8_t proto)
{
	f->user_src4 = rand4(g);
	f->user_dst4 = rand4(g);
	pb_ipv4(&f->b, proto, f->user_src4, f->user_dst4);
	f->ip_len = (uint32_t)f->b.len;
}

static void user6(struct gen_ctx *g, struct gen_frame *f, uint8_t nh)
{
	rand6(g, f->user_src6);
	rand6(g, f->user_dst6);
	pb_ipv6(&f->b, nh, f->user_src6, f->user_dst6);
	f->ip_len = (uint32_t)f->b.len;
}

/* Transport headers of a tunnel: not the user packet. */
static void outer4(struct gen_ctx *g, struct gen_frame *f, uint8_t proto)
{
	pb_ipv4(&f->b, proto, rand4(g), rand4(g));
}

static void outer6(struct gen_ctx *g, struct gen_frame *f, uint8_t nh)
{
	uint8_t s[16], d[16];
	rand6(g, s);
	rand6(g, d);
	pb_ipv6(&f->b, nh, s, d);
}

/* Link layer: Ethernet (converted to cooked later if asked), none for raw. */
static uint32_t l2_tagged(struct gen_ctx *g, struct gen_frame *f, uint16_t type, unsigned n,
			  const uint16_t *tpids)
{
	uint16_t vids[V6S_MAX_VLAN_TAGS + 2];
	if (gen_link_ip(g->link))
		return 0;
	for (unsigned i = 0; i < n; i++)
		vids[i] = (uint16_t)(1 + pb_rand(&g->rng) % 4094);
	pb_eth(&f->b, type, n, tpids, vids);
	return 14 + 4 * n;
}

static uint32_t l2(struct gen_ctx *g, struct gen_frame *f, uint16_t type)
{
	return l2_tagged(g, f, type, 0, NULL);
}

static void gtpu_over4(struct gen_ctx *g, struct gen_frame *f, int seq, unsigned n_ext)
{
	pb_gtpu(&f->b, 0xff, (uint32_t)pb_rand(&g->rng), seq, n_ext, 0x85);
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void gtpu_over6(struct gen_ctx *g, struct gen_frame *f, int seq, unsigned n_ext)
{
	pb_gtpu(&f->b, 0xff, (uint32_t)pb_rand(&g->rng), seq, n_ext, 0x85);
	pb_udp(&f->b, 2152, 2152);
	outer6(g, f, 17);
	l2(g, f, 0x86dd);
}

/* ---- plain IP ---- */
static void b_ipv4_tcp(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); l2(g, f, 0x0800); }
static void b_ipv4_udp(struct gen_ctx *g, struct gen_frame *f) { pb_udp(&f->b, 5353, 53); user4(g, f, 17); l2(g, f, 0x0800); }
static void b_ipv6_tcp(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); l2(g, f, 0x86dd); }
static void b_ipv6_udp(struct gen_ctx *g, struct gen_frame *f) { pb_udp(&f->b, 443, 51000); user6(g, f, 17); l2(g, f, 0x86dd); }

/* ---- GTP-U ---- */
static void b_gtpu_4in4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); gtpu_over4(g, f, 0, 0); }
static void b_gtpu_6in4(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); gtpu_over4(g, f, 0, 0); }
static void b_gtpu_4in6(struct gen_ctx *g, struct gen_frame *f) { pb_udp(&f->b, 53, 40000); user4(g, f, 17); gtpu_over6(g, f, 0, 0); }
static void b_gtpu_6in6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); gtpu_over6(g, f, 0, 0); }
static void b_gtpu_seq(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); gtpu_over4(g, f, 1, 0); }
static void b_gtpu_5g(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); gtpu_over6(g, f, 0, 1); }
static void b_gtpu_ext2(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); gtpu_over4(g, f, 1, 2); }

static void b_gtpu_echo(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_gtpu(&f->b, 1, 0, 1, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	user4(g, f, 17);
	l2(g, f, 0x0800);
}

static void b_gtpu_end_marker(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_gtpu(&f->b, 254, 77, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	user6(g, f, 17);
	l2(g, f, 0x86dd);
}

static void b_gtpu_ethernet(struct gen_ctx *g, struct gen_frame *f)
{
	if (f->b.len < 14)
		pb_init(&f->b, 60, 0xab);
	memcpy(pb_data(&f->b), "\x02\x00\x00\x00\x00\x09\x02\x00\x00\x00\x00\x08\x08\x00", 14);
	gtpu_over4(g, f, 0, 1);
}

/* ---- other tunnels ---- */
static void b_6in4(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); outer4(g, f, 41); l2(g, f, 0x0800); }

static void teredo(struct gen_ctx *g, struct gen_frame *f, int auth, int origin)
{
	pb_udp(&f->b, 33000, 443);
	user6(g, f, 17);
	pb_teredo(&f->b, auth, origin);
	pb_udp(&f->b, 3544, 40001);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}
static void b_teredo(struct gen_ctx *g, struct gen_frame *f) { teredo(g, f, 0, 0); }
static void b_teredo_origin(struct gen_ctx *g, struct gen_frame *f) { teredo(g, f, 0, 1); }
static void b_teredo_auth(struct gen_ctx *g, struct gen_frame *f) { teredo(g, f, 1, 1); }

static void b_dslite(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); outer6(g, f, 4); l2(g, f, 0x86dd); }
static void b_gre6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_gre(&f->b, 0x86dd, 1, 0); outer4(g, f, 47); l2(g, f, 0x0800); }

static void b_ipv6_ext_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_gtpu(&f->b, 0xff, 9, 0, 1, 0x85);
	pb_udp(&f->b, 2152, 2152);
	pb_ipv6_ext(&f->b, 17, 0);      /* destination options */
	pb_ipv6_ext(&f->b, 60, 1);      /* hop-by-hop, 16 bytes */
	outer6(g, f, 0);
	l2(g, f, 0x86dd);
}

/* SRv6 (RFC 8754, 8986): a segment routing header with one segment, its
 * next header the service's payload: 4 (IPv4, an L3VPN), 41 (IPv6) or
 * 143 (an Ethernet frame, an L2 service or EVPN). */
static void srh(struct gen_ctx *g, struct gen_frame *f, uint8_t nh)
{
	uint8_t *h = pb_push(&f->b, 24);
	memset(h, 0, 24);
	h[0] = nh;
	h[1] = 2;                       /* 24 bytes: 8 + one 16-byte segment */
	h[2] = 4;                       /* routing type 4: segment routing */
	rand6(g, h + 8);
}

static void b_srv6_l3_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	srh(g, f, 4);
	outer6(g, f, 43);
	l2(g, f, 0x86dd);
}

static void b_srv6_l2_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_eth(&f->b, 0x86dd, 0, NULL, NULL);
	srh(g, f, 143);
	outer6(g, f, 43);
	l2(g, f, 0x86dd);
}

/* The reduced encapsulation (no SRH): IPv6 next header 143 straight away,
 * the customer's frame tagged */
static void b_ip6_eth_vlan_v4(struct gen_ctx *g, struct gen_frame *f)
{
	static const uint16_t q[] = { 0x8100 };
	static const uint16_t vid[] = { 300 };
	user4(g, f, 6);
	pb_eth(&f->b, 0x0800, 1, q, vid);
	outer6(g, f, 143);
	l2(g, f, 0x86dd);
}

/* Ethernet inside a tunnel: VXLAN over UDP 4789, GRE bridging (0x6558). */
static void inner_eth(struct gen_frame *f, uint16_t type)
{
	pb_eth(&f->b, type, 0, NULL, NULL);
}

static void vxlan(struct gen_ctx *g, struct gen_frame *f)
{
	uint8_t *h = pb_push(&f->b, 8);
	memset(h, 0, 8);
	h[0] = 0x08;                    /* I flag: the VNI is valid */
	h[6] = 0x2a;                    /* VNI 42 */
	pb_udp(&f->b, 49152, 4789);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void b_vxlan_v6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); inner_eth(f, 0x86dd); vxlan(g, f); }

/* VXLAN on Linux's default port (flannel, a kernel vxlan device without dstport) */
static void b_vxlan8472_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	inner_eth(f, 0x0800);
	uint8_t *h = pb_push(&f->b, 8);
	memset(h, 0, 8);
	h[0] = 0x08;
	h[6] = 0x01;
	pb_udp(&f->b, 40123, 8472);
	outer6(g, f, 17);
	l2(g, f, 0x86dd);
}

/* MPLS in UDP (RFC 7510): a label stack right after the UDP header */
static void b_mpls_udp_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_mpls(&f->b, 2);
	pb_udp(&f->b, 51000, 6635);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void b_vxlan_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_gtpu(&f->b, 0xff, 9, 0, 1, 0x85);
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	inner_eth(f, 0x0800);
	vxlan(g, f);
}

static void b_gre_teb_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	inner_eth(f, 0x0800);
	pb_gre(&f->b, 0x6558, 0, 0);
	outer6(g, f, 47);
	l2(g, f, 0x86dd);
}

/* L2TPv2 between a LAC and an LNS (wholesale broadband): PPP inside UDP 1701. */
static void l2tp(struct gen_ctx *g, struct gen_frame *f, int len, int seq, int pad, int v6_outer)
{
	pb_l2tp(&f->b, len, seq, pad);
	pb_udp(&f->b, 1701, 1701);
	if (v6_outer) {
		outer6(g, f, 17);
		l2(g, f, 0x86dd);
	} else {
		outer4(g, f, 17);
		l2(g, f, 0x0800);
	}
}

static void b_l2tp_v4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_ppp(&f->b, 0x0021, 1); l2tp(g, f, 1, 1, -1, 0); }
static void b_l2tp_v6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_ppp(&f->b, 0x0057, 1); l2tp(g, f, 0, 0, -1, 0); }
static void b_l2tp_acfc_v6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 17); pb_ppp(&f->b, 0x0057, 0); l2tp(g, f, 1, 0, 4, 1); }
static void b_l2tp_lcp(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 14, 0x01); pb_ppp(&f->b, 0xc021, 1); l2tp(g, f, 1, 0, -1, 0); }

static void b_l2tp_control(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_l2tp_control(&f->b);
	pb_udp(&f->b, 1701, 1701);
	user4(g, f, 17);                /* the outer packet is what counts */
	l2(g, f, 0x0800);
}

static void m_l2tp_len_long(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_ppp(&f->b, 0x0021, 1);
	pb_l2tp(&f->b, 1, 0, -1);
	set16(pb_data(&f->b) + 2, get16(pb_data(&f->b) + 2) + 100u);
	pb_udp(&f->b, 40000, 1701);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

/* PPTP: enhanced GRE carrying PPP. */
static void b_pptp_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_ppp(&f->b, 0x0021, 1);
	pb_gre_pptp(&f->b, 1, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

static void b_pptp_ack(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_gre_pptp(&f->b, 0, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

/* MPLS over GRE (RFC 4023), as between provider edges across another core. */
static void b_gre_mpls_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_mpls(&f->b, 2);
	pb_gre(&f->b, 0x8847, 0, 0);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

/* Geneve (UDP 6081), with options: an Ethernet frame, or an IP packet alone. */
static void b_geneve_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	inner_eth(f, 0x0800);
	pb_geneve(&f->b, 0x6558, 2);
	pb_udp(&f->b, 50123, 6081);
	outer6(g, f, 17);
	l2(g, f, 0x86dd);
}

static void b_geneve_ip_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_geneve(&f->b, 0x86dd, 0);
	pb_udp(&f->b, 50124, 6081);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_geneve_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 8, 0x00);
	pb_data(&f->b)[0] = 0x04;      /* four words of options, none there */
	pb_udp(&f->b, 50125, 6081);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

/* 802.1ah provider backbone (MAC-in-MAC) on a metro ring: backbone tag,
 * I-tag, the customer's frame. */
static void b_pbb_v6(struct gen_ctx *g, struct gen_frame *f)
{
	static const uint16_t btag[] = { 0x88a8 };
	user6(g, f, 6);
	pb_pbb(&f->b, 0x86dd, 0x012345);
	l2_tagged(g, f, 0x88e7, 1, btag);
}

static void b_pbb_stag_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	memcpy(pb_push(&f->b, 2), "\x08\x00", 2);     /* the customer's own S-tag */
	memcpy(pb_push(&f->b, 2), "\x00\x64", 2);
	pb_pbb(&f->b, 0x88a8, 0x00beef);
	l2(g, f, 0x88e7);
}

static void m_pbb_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	memcpy(pb_push(&f->b, 4), "\x00\x01\x23\x45", 4);
	l2(g, f, 0x88e7);
	g->cut = 14 + 4 + 6;            /* the customer's MACs cut short */
}

/* A switch's mirror session (ERSPAN) to the meter: the mirrored frame is
 * what counts, so its length is recorded as the frame's count. */
static void mirrored(struct gen_ctx *g, struct gen_frame *f)
{
	g->mirrored = (uint32_t)f->b.len;
}

static void b_erspan2_v6(struct gen_ctx *g, struct gen_frame *f)
{
	static const uint16_t tpid[] = { 0x8100 };
	uint16_t vid = (uint16_t)(1 + pb_rand(&g->rng) % 4094);
	user6(g, f, 6);
	pb_eth(&f->b, 0x86dd, 1, tpid, &vid);  /* Ethernet whatever the capture's link */
	mirrored(g, f);
	pb_erspan2(&f->b, 0, 3, 0, 17);         /* the tag kept in the frame */
	pb_gre(&f->b, 0x88be, 0, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

static void b_erspan3_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	inner_eth(f, 0x0800);
	mirrored(g, f);
	pb_erspan3(&f->b, 0, 0, 0, 1, 18);      /* with a platform subheader */
	pb_gre(&f->b, 0x22eb, 0, 1);
	outer6(g, f, 47);
	l2(g, f, 0x86dd);
}

static void b_erspan3_ip_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 17);
	mirrored(g, f);
	pb_erspan3(&f->b, 0, 0, 2, 0, 19);      /* frame type 2: the IP packet alone */
	pb_gre(&f->b, 0x22eb, 0, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

static void b_erspan1_v4(struct gen_ctx *g, struct gen_frame *f)
{
	pb_udp(&f->b, 40000, 443);
	user4(g, f, 17);
	inner_eth(f, 0x0800);
	mirrored(g, f);
	pb_gre(&f->b, 0x88be, 0, 0);            /* type I: no sequence number, no header */
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

/* The session cut the mirrored frame to fit its MTU (T bit): the user packet
 * is longer than what arrived, and the frame counts as long as it was. */
static void b_erspan2_cut_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	inner_eth(f, 0x86dd);
	if (f->b.len > 14 + 40 + 8) {
		g->mirror_cut = (uint32_t)f->b.len - (14 + 40 + 8);
		f->b.len = 14 + 40 + 8;
	}
	mirrored(g, f);
	pb_erspan2(&f->b, 0, 0, 1, 20);
	pb_gre(&f->b, 0x88be, 0, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

static void m_erspan_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 4, 0x10);                /* half an ERSPAN II header */
	pb_gre(&f->b, 0x88be, 0, 1);
	outer4(g, f, 47);
	l2(g, f, 0x0800);
}

static void m_vxlan_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 4, 0x08);
	pb_udp(&f->b, 49152, 4789);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

/* Fragments: a non-first fragment is the outer packet whatever it holds. */
static void b_ipv4_frag_later(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);                 /* bytes that would look like GTP-U ... */
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	user4(g, f, 17);                /* ... but the outer packet is all we may count */
	set16(pb_data(&f->b) + 6, 185);
	l2(g, f, 0x0800);
}

static void b_ipv6_frag_later(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	pb_ipv6_frag(&f->b, 17, 100, 0);
	user6(g, f, 44);
	l2(g, f, 0x86dd);
}

/* First fragment of a large GTP-U datagram: the headers are all here. */
static void b_ipv4_frag_first_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	if (f->b.len < 1300)
		pb_init(&f->b, 1300, 0xab);
	user6(g, f, 6);
	gtpu_over4(g, f, 0, 0);
	/* undo the link layer, cut the IP packet to 200 bytes with MF set, re-wrap */
	uint32_t ip_len = f->ip_len;
	struct pb *b = &f->b;
	if (!gen_link_ip(g->link)) {
		b->head += 14;
		b->len -= 14;
	}
	set16(pb_data(b) + 2, 200);
	set16(pb_data(b) + 6, 0x2000);
	b->len = 200;
	/* counted: the part of the inner packet this fragment carries */
	f->ip_len = ip_len < 200 - 36 ? ip_len : 200 - 36;
	l2(g, f, 0x0800);
}

static void b_ipv4_options_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_gtpu(&f->b, 0xff, 3, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	memcpy(pb_push(&f->b, 4), "\x01\x01\x01\x00", 4);
	outer4(g, f, 17);
	pb_data(&f->b)[0] = 0x46;
	l2(g, f, 0x0800);
}

static void b_snap_ipv6(struct gen_ctx *g, struct gen_frame *f)
{
	if (f->b.len < 1000)
		pb_init(&f->b, 1400, 0xab);
	user6(g, f, 6);
	g->snap = l2(g, f, 0x86dd) + 40 + 10;
}

static void b_snap_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	if (f->b.len < 1000)
		pb_init(&f->b, 1300, 0xab);
	user6(g, f, 6);
	gtpu_over4(g, f, 0, 0);
	g->snap = (gen_link_ip(g->link) ? 0 : 14) + 20 + 8 + 8 + 40;
}

/* ---- Ethernet encapsulations ---- */
static const uint16_t q1[] = { 0x8100 };
static const uint16_t qinq[] = { 0x88a8, 0x8100 };
static const uint16_t q9100[] = { 0x9100, 0x8100, 0x8100 };
static const uint16_t q8100x2[] = { 0x8100, 0x8100 };     /* Q-in-Q the old way: both tags 802.1Q */

static void b_vlan4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); l2_tagged(g, f, 0x0800, 1, q1); }
static void b_vlan6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); l2_tagged(g, f, 0x86dd, 1, q1); }
static void b_qinq4(struct gen_ctx *g, struct gen_frame *f) { pb_udp(&f->b, 4500, 4500); user4(g, f, 17); l2_tagged(g, f, 0x0800, 2, qinq); }
static void b_qinq6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); l2_tagged(g, f, 0x86dd, 2, qinq); }
static void b_tags3(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); l2_tagged(g, f, 0x86dd, 3, q9100); }
static void b_dot1q2_4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); l2_tagged(g, f, 0x0800, 2, q8100x2); }
static void b_mpls1_4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_mpls(&f->b, 1); l2(g, f, 0x8847); }
static void b_mpls3_6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_mpls(&f->b, 3); l2(g, f, 0x8847); }
static void b_mpls2_4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_mpls(&f->b, 2); l2(g, f, 0x8847); }
static void b_mpls3_4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_mpls(&f->b, 3); l2(g, f, 0x8847); }
static void b_vlan_mpls6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_mpls(&f->b, 2); l2_tagged(g, f, 0x8847, 1, q1); }

/* A header a switch puts between the source MAC and the ethertype: its
 * body, then the frame's own ethertype (`next`). */
static void switch_header(struct gen_frame *f, uint16_t next, const char *body, size_t n)
{
	uint8_t *t = pb_push(&f->b, 2);
	t[0] = (uint8_t)(next >> 8);
	t[1] = (uint8_t)next;
	memcpy(pb_push(&f->b, n), body, n);
}

/* Arista tap aggregation: a timestamp header after the source MAC
 * (ethertype 0xd28b, subtype 1, version 0x0010: 64-bit seconds and
 * nanoseconds, 0x0020: 48-bit). */
static void b_arista_ts_v6(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	switch_header(f, 0x86dd, "\x00\x01\x00\x10\x00\x00\x00\x00\x65\x00\x00\x00\x1d\xcd\x65\x00", 12);
	l2(g, f, 0xd28b);
}

static void b_arista_ts48_vlan_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	memcpy(pb_push(&f->b, 2), "\x08\x00", 2);
	memcpy(pb_push(&f->b, 2), "\x00\x2a", 2);     /* 802.1Q VID 42 after the timestamp */
	switch_header(f, 0x8100, "\x00\x01\x01\x20\x65\x00\x1d\xcd\x65\x00", 10);
	l2(g, f, 0xd28b);
}

/* 802.1AE MACsec: a SecTAG with the SCI, then the encrypted frame and
 * its 16-byte ICV. What it carries cannot be seen. */
static void b_macsec(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);                 /* stands for the ciphertext */
	memcpy(pb_push(&f->b, 14), "\x2c\x00\x00\x00\x00\x07\x02\x00\x00\x00\x00\x01\x00\x01", 14);
	l2(g, f, 0x88e5);
}

/* An Arista header of another subtype: its length is unknown. */
static void b_arista_other(struct gen_ctx *g, struct gen_frame *f)
{
	pb_udp(&f->b, 53, 53000);
	user4(g, f, 17);
	switch_header(f, 0x0800, "\xca\xfe\x00\x01", 4);
	l2(g, f, 0xd28b);
}

/* Cisco VN-Tag on a fabric extender's uplink, then IPv4; 802.1BR E-Tag,
 * then 802.1Q and IPv6; 802.1Q, then Cisco MetaData (a TrustSec group
 * tag), then IPv6. All three are on the link. */
static void b_vntag_v4(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	switch_header(f, 0x0800, "\x80\x05\x00\x12", 4);
	l2(g, f, 0x8926);
}

static void b_etag_vlan_v6(struct gen_ctx *g, struct gen_frame *f)
{
	pb_udp(&f->b, 443, 51000);
	user6(g, f, 17);
	memcpy(pb_push(&f->b, 2), "\x86\xdd", 2);
	memcpy(pb_push(&f->b, 2), "\x00\x64", 2);     /* 802.1Q VID 100 */
	switch_header(f, 0x8100, "\x00\x00\x00\x00\x00\x2c", 6);
	l2(g, f, 0x893f);
}

static void b_vlan_cmd_v6(struct gen_ctx *g, struct gen_frame *f)
{
	static const uint16_t q[] = { 0x8100 };
	user6(g, f, 6);
	switch_header(f, 0x86dd, "\x01\x01\x00\x01\x00\x10", 6);
	l2_tagged(g, f, 0x8909, 1, q);
}

static void b_mpls_cw(struct gen_ctx *g, struct gen_frame *f)
{
	pb_eth(&f->b, 0x0800, 0, NULL, NULL);   /* Ethernet pseudowire payload */
	memset(pb_push(&f->b, 4), 0, 4);        /* control word */
	pb_mpls(&f->b, 2);
	l2(g, f, 0x8847);
}

static void b_mpls_gtpu(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_gtpu(&f->b, 0xff, 5, 0, 1, 0x85);
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	pb_mpls(&f->b, 2);
	l2(g, f, 0x8847);
}

static void b_pppoe4(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_pppoe(&f->b, 0x0021); l2(g, f, 0x8864); }
static void b_pppoe6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_pppoe(&f->b, 0x0057); l2(g, f, 0x8864); }
static void b_qinq_pppoe6(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_pppoe(&f->b, 0x0057); l2_tagged(g, f, 0x8864, 2, qinq); }
static void b_pppoe_lcp(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 12, 0x01); pb_pppoe(&f->b, 0xc021); l2(g, f, 0x8864); }

static void b_pppoe_disc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	uint8_t *h = pb_push(&f->b, 6);
	memcpy(h, "\x11\x09\x00\x00\x00\x00", 6);   /* PADI */
	l2(g, f, 0x8863);
}

static void b_arp(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 28, 0x00); l2(g, f, 0x0806); }
static void b_llc(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 38, 0x42); l2(g, f, 38); }
/* IP in 802.3 with LLC/SNAP (RFC 1042): the length field, then aa aa 03 00 00 00 and an ethertype. */
static void llc_snap(struct gen_ctx *g, struct gen_frame *f, uint16_t type)
{
	set16(pb_push(&f->b, 2), type);
	memcpy(pb_push(&f->b, 6), "\xaa\xaa\x03\x00\x00\x00", 6);
	l2(g, f, (uint16_t)f->b.len);
}
/* an 802.3 length field holds at most 1500: a longer frame would be Ethernet II */
static void b_snap_v4(struct gen_ctx *g, struct gen_frame *f) { if (f->b.len > 1400) f->b.len = 1400; user4(g, f, 6); llc_snap(g, f, 0x0800); }
static void b_snap_v6(struct gen_ctx *g, struct gen_frame *f) { if (f->b.len > 1400) f->b.len = 1400; user6(g, f, 17); llc_snap(g, f, 0x86dd); }
static void b_lldp(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 30, 0x02); l2(g, f, 0x88cc); }

/* ---- malformed ---- */
static void m_eth_trunc(struct gen_ctx *g, struct gen_frame *f) { pb_init(&f->b, 0, 0); l2(g, f, 0x0800); g->cut = 10; }
static void m_ipv4_bad_ihl(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); pb_data(&f->b)[0] = 0x44; l2(g, f, 0x0800); }
static void m_ipv4_len_short(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); set16(pb_data(&f->b) + 2, 10); l2(g, f, 0x0800); }
static void m_ipv4_len_long(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	set16(pb_data(&f->b) + 2, f->b.len + 200);
	l2(g, f, 0x0800);
}
static void m_ipv4_trunc(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); g->cut = l2(g, f, 0x0800) + 12; }
static void m_ipv6_len_long(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	set16(pb_data(&f->b) + 4, get16(pb_data(&f->b) + 4) + 200u);
	l2(g, f, 0x86dd);
}
static void m_ipv6_trunc(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); g->cut = l2(g, f, 0x86dd) + 30; }
static void m_version_mismatch(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); l2(g, f, 0x0800); }

static void m_vlan_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	set16(pb_push(&f->b, 2), 100);
	l2(g, f, 0x8100);
	g->cut = 16;
}

static void m_vlan_too_deep(struct gen_ctx *g, struct gen_frame *f)
{
	uint16_t tp[V6S_MAX_VLAN_TAGS + 1];
	for (unsigned i = 0; i <= V6S_MAX_VLAN_TAGS; i++)
		tp[i] = 0x8100;
	user4(g, f, 6);
	l2_tagged(g, f, 0x0800, V6S_MAX_VLAN_TAGS + 1, tp);
}

static void m_mpls_no_bos(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	for (int i = 0; i < 3; i++)
		memcpy(pb_push(&f->b, 4), "\x00\x10\x00\x40", 4);     /* label 256, no S bit */
	l2(g, f, 0x8847);
}

static void m_pppoe_len_long(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_pppoe(&f->b, 0x0021);
	set16(pb_data(&f->b) + 4, get16(pb_data(&f->b) + 4) + 500u);
	l2(g, f, 0x8864);
}
static void m_ppp_mismatch(struct gen_ctx *g, struct gen_frame *f) { user6(g, f, 6); pb_pppoe(&f->b, 0x0021); l2(g, f, 0x8864); }

static void m_gtpu_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 4, 0x30);
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_gtpu_bad_len(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	set16(pb_data(&f->b) + 2, f->b.len - 8 + 100);   /* 100 past the datagram */
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_gtpu_ext_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	pb_gtpu(&f->b, 0xff, 1, 0, 1, 0x85);
	pb_data(&f->b)[12] = 200;       /* extension claims 800 bytes */
	pb_udp(&f->b, 2152, 2152);
	outer6(g, f, 17);
	l2(g, f, 0x86dd);
}

static void m_gtpu_empty(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_gtpu_inner_long(struct gen_ctx *g, struct gen_frame *f)
{
	user4(g, f, 6);
	set16(pb_data(&f->b) + 2, f->b.len + 300);
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	outer6(g, f, 17);
	l2(g, f, 0x86dd);
}

static void m_teredo_inner_long(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	set16(pb_data(&f->b) + 4, get16(pb_data(&f->b) + 4) + 300u);
	pb_udp(&f->b, 3544, 40001);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_ipv6_ext_trunc(struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, 0, 0);
	pb_ipv6_ext(&f->b, 6, 0);
	pb_data(&f->b)[1] = 3;          /* claims 32 bytes, the packet holds 8 */
	user6(g, f, 0);
	l2(g, f, 0x86dd);
}

static void m_udp_bad_len(struct gen_ctx *g, struct gen_frame *f)
{
	user6(g, f, 6);
	pb_gtpu(&f->b, 0xff, 1, 0, 0, 0);
	pb_udp(&f->b, 2152, 2152);
	set16(pb_data(&f->b) + 4, get16(pb_data(&f->b) + 4) + 100u);
	outer4(g, f, 17);
	l2(g, f, 0x0800);
}

static void m_6in4_version(struct gen_ctx *g, struct gen_frame *f) { user4(g, f, 6); outer4(g, f, 41); l2(g, f, 0x0800); }

#define OK(n, fl, cls, enc, tun, fn, what) { n, fl, cls, 0, enc, tun, fn, what }
#define OTH(n, fl, r, enc, fn, what) { n, fl, OTHER, V6S_OTHER_##r, enc, 0, fn, what }
#define MAL(n, fl, r, enc, fn, what) { n, fl, BAD, V6S_MALFORMED_##r, enc, 0, fn, what }

const struct gen_case gen_cases[] = {
	OK("ipv4_tcp", C_IP, IPV4, 0, 0, b_ipv4_tcp, "IPv4 TCP"),
	OK("ipv4_udp", C_IP, IPV4, 0, 0, b_ipv4_udp, "IPv4 UDP"),
	OK("ipv6_tcp", C_IP, IPV6, 0, 0, b_ipv6_tcp, "IPv6 TCP"),
	OK("ipv6_udp", C_IP, IPV6, 0, 0, b_ipv6_udp, "IPv6 UDP"),
	OK("vlan_v4", 0, IPV4, ENC(VLAN), 0, b_vlan4, "802.1Q, IPv4"),
	OK("vlan_v6", 0, IPV6, ENC(VLAN), 0, b_vlan6, "802.1Q, IPv6"),
	OK("qinq_v4", 0, IPV4, ENC(VLAN), 0, b_qinq4, "802.1ad + 802.1Q, IPv4"),
	OK("qinq_v6", 0, IPV6, ENC(VLAN), 0, b_qinq6, "802.1ad + 802.1Q, IPv6"),
	OK("dot1q2_v4", 0, IPV4, ENC(VLAN), 0, b_dot1q2_4, "802.1Q + 802.1Q (Q-in-Q), IPv4"),
	OK("tags3_v6", 0, IPV6, ENC(VLAN), 0, b_tags3, "0x9100 + two 802.1Q tags, IPv6"),
	OK("mpls1_v4", 0, IPV4, ENC(MPLS), 0, b_mpls1_4, "one MPLS label, IPv4"),
	OK("mpls3_v6", 0, IPV6, ENC(MPLS), 0, b_mpls3_6, "three MPLS labels, IPv6"),
	OK("mpls2_v4", 0, IPV4, ENC(MPLS), 0, b_mpls2_4, "two MPLS labels (L3VPN), IPv4"),
	OK("mpls3_v4", 0, IPV4, ENC(MPLS), 0, b_mpls3_4, "three MPLS labels, IPv4"),
	OK("vlan_mpls_v6", 0, IPV6, ENC(VLAN) | ENC(MPLS), 0, b_vlan_mpls6, "802.1Q + two labels, IPv6"),
	OTH("mpls_pw_cw", 0, MPLS_NON_IP, ENC(MPLS), b_mpls_cw, "Ethernet pseudowire with control word"),
	OK("mpls_gtpu_v6", 0, IPV6, ENC(MPLS) | ENC(GTPU), 0, b_mpls_gtpu, "MPLS backbone carrying 5G GTP-U, IPv6 user"),
	OK("pppoe_v4", 0, IPV4, ENC(PPPOE), 0, b_pppoe4, "PPPoE session, IPv4"),
	OK("pppoe_v6", 0, IPV6, ENC(PPPOE), 0, b_pppoe6, "PPPoE session, IPv6"),
	OK("qinq_pppoe_v6", 0, IPV6, ENC(VLAN) | ENC(PPPOE), 0, b_qinq_pppoe6, "BRAS: QinQ + PPPoE, IPv6"),
	OTH("pppoe_lcp", 0, PPP_NON_IP, ENC(PPPOE), b_pppoe_lcp, "PPPoE session carrying LCP"),
	OTH("pppoe_discovery", 0, PPPOE_DISCOVERY, 0, b_pppoe_disc, "PPPoE PADI"),
	OTH("arp", 0, ARP, 0, b_arp, "ARP"),
	OTH("stp_llc", C_ETH_ONLY, LLC, 0, b_llc, "802.3 length field (STP)"),
	OK("llc_snap_v4", C_ETH_ONLY, IPV4, 0, 0, b_snap_v4, "802.3 with LLC/SNAP (RFC 1042), IPv4"),
	OK("llc_snap_v6", C_ETH_ONLY, IPV6, 0, 0, b_snap_v6, "802.3 with LLC/SNAP (RFC 1042), IPv6"),
	OTH("lldp", 0, ETHERTYPE, 0, b_lldp, "LLDP"),
	OK("gtpu_v4_in_v4", C_IP, IPV4, ENC(GTPU), 0, b_gtpu_4in4, "GTP-U over IPv4, IPv4 user"),
	OK("gtpu_v6_in_v4", C_IP, IPV6, ENC(GTPU), 0, b_gtpu_6in4, "GTP-U over IPv4, IPv6 user"),
	OK("gtpu_v4_in_v6", C_IP, IPV4, ENC(GTPU), 0, b_gtpu_4in6, "GTP-U over IPv6, IPv4 user"),
	OK("gtpu_v6_in_v6", C_IP, IPV6, ENC(GTPU), 0, b_gtpu_6in6, "GTP-U over IPv6, IPv6 user"),
	OK("gtpu_seq", C_IP, IPV6, ENC(GTPU), 0, b_gtpu_seq, "GTP-U with sequence number"),
	OK("gtpu_5g", C_IP, IPV6, ENC(GTPU), 0, b_gtpu_5g, "5G N3: PDU session container"),
	OK("gtpu_ext2", C_IP, IPV4, ENC(GTPU), 0, b_gtpu_ext2, "GTP-U with two extension headers"),
	OK("gtpu_echo", C_IP, IPV4, 0, 0, b_gtpu_echo, "GTP-U echo request (outer IPv4)"),
	OK("gtpu_end_marker", C_IP, IPV6, 0, 0, b_gtpu_end_marker, "GTP-U end marker (outer IPv6)"),
	OTH("gtpu_ethernet", C_IP, GTPU_NON_IP, ENC(GTPU), b_gtpu_ethernet, "Ethernet PDU session"),
	OK("6in4", C_IP, IPV6, ENC(6IN4), 1, b_6in4, "IPv6 in IPv4, protocol 41"),
	OK("teredo", C_IP, IPV6, ENC(TEREDO), 1, b_teredo, "Teredo"),
	OK("teredo_origin", C_IP, IPV6, ENC(TEREDO), 1, b_teredo_origin, "Teredo with origin indication"),
	OK("teredo_auth", C_IP, IPV6, ENC(TEREDO), 1, b_teredo_auth, "Teredo with authentication and origin"),
	OK("dslite", C_IP, IPV4, ENC(IPIP), 0, b_dslite, "IPv4 in IPv6 (DS-Lite)"),
	OK("srv6_l3_v4", C_IP, IPV4, ENC(IPIP), 0, b_srv6_l3_v4, "SRv6 L3VPN: IPv6 + segment routing header, IPv4"),
	OK("srv6_l2_v6", C_IP, IPV6, ENC(IPIP), 0, b_srv6_l2_v6, "SRv6 L2 service: IPv6 + SRH, Ethernet (143), IPv6"),
	OK("ip6_eth_vlan_v4", C_IP, IPV4, ENC(IPIP) | ENC(VLAN), 0, b_ip6_eth_vlan_v4,
	   "IPv6 next header 143 (Ethernet), 802.1Q, IPv4"),
	OK("gre_v6", C_IP, IPV6, ENC(GRE), 0, b_gre6, "IPv6 in GRE over IPv4"),
	OK("vxlan_v6", C_IP, IPV6, ENC(VXLAN), 0, b_vxlan_v6, "VXLAN carrying Ethernet, IPv6 user"),
	OK("vxlan8472_v4", C_IP, IPV4, ENC(VXLAN), 0, b_vxlan8472_v4, "VXLAN on UDP 8472 (Linux, flannel) over IPv6, IPv4 user"),
	OK("mpls_udp_v6", C_IP, IPV6, ENC(MPLS), 0, b_mpls_udp_v6, "MPLS in UDP (RFC 7510), two labels, IPv6 user"),
	OK("vxlan_gtpu", C_IP, IPV6, ENC(VXLAN) | ENC(GTPU), 0, b_vxlan_gtpu, "GTP-U inside VXLAN, IPv6 user"),
	OK("gre_teb_v4", C_IP, IPV4, ENC(GRE), 0, b_gre_teb_v4, "Ethernet bridged over GRE (0x6558), IPv4 user"),
	OK("erspan2_v6", C_IP, IPV6, ENC(ERSPAN) | ENC(VLAN), 0, b_erspan2_v6,
	   "ERSPAN II mirror session (GRE over IPv4) of an 802.1Q IPv6 frame"),
	OK("erspan3_v4", C_IP, IPV4, ENC(ERSPAN), 0, b_erspan3_v4,
	   "ERSPAN III with platform subheader (GRE over IPv6) of an IPv4 frame"),
	OK("erspan3_ip_v6", C_IP | C_NO_MAC, IPV6, ENC(ERSPAN), 0, b_erspan3_ip_v6, "ERSPAN III of a bare IPv6 packet (frame type 2)"),
	OK("erspan1_v4", C_IP, IPV4, ENC(ERSPAN), 0, b_erspan1_v4, "ERSPAN I (GRE 0x88be, no header) of an IPv4 frame"),
	OK("erspan2_cut_v6", C_IP, IPV6, ENC(ERSPAN), 0, b_erspan2_cut_v6,
	   "ERSPAN II of an IPv6 frame the session truncated (T bit)"),
	OK("l2tp_v4", C_IP, IPV4, ENC(L2TP), 0, b_l2tp_v4, "L2TPv2 (length, sequence) carrying PPP, IPv4 user"),
	OK("l2tp_v6", C_IP, IPV6, ENC(L2TP), 0, b_l2tp_v6, "L2TPv2 carrying PPP, IPv6 user"),
	OK("l2tp_acfc_v6", C_IP, IPV6, ENC(L2TP), 0, b_l2tp_acfc_v6,
	   "L2TPv2 over IPv6 with an offset, PPP without address and control, IPv6 user"),
	OTH("l2tp_lcp", C_IP, PPP_NON_IP, ENC(L2TP), b_l2tp_lcp, "L2TPv2 carrying PPP LCP"),
	OK("l2tp_control", C_IP, IPV4, 0, 0, b_l2tp_control, "L2TPv2 control message (outer IPv4)"),
	OK("pptp_v4", C_IP, IPV4, ENC(GRE), 0, b_pptp_v4, "PPTP: enhanced GRE carrying PPP, IPv4 user"),
	OTH("pptp_ack", C_IP, GRE_NON_IP, ENC(GRE), b_pptp_ack, "PPTP acknowledgement without payload"),
	OK("gre_mpls_v6", C_IP, IPV6, ENC(GRE) | ENC(MPLS), 0, b_gre_mpls_v6, "MPLS over GRE, IPv6 user"),
	OK("geneve_v4", C_IP, IPV4, ENC(GENEVE), 0, b_geneve_v4, "Geneve with options carrying Ethernet, IPv4 user"),
	OK("geneve_ip_v6", C_IP, IPV6, ENC(GENEVE), 0, b_geneve_ip_v6, "Geneve carrying an IPv6 packet"),
	OK("pbb_v6", 0, IPV6, ENC(PBB) | ENC(VLAN), 0, b_pbb_v6, "802.1ah backbone tag + I-tag, IPv6 customer frame"),
	OK("pbb_stag_v4", 0, IPV4, ENC(PBB) | ENC(VLAN), 0, b_pbb_stag_v4, "802.1ah, customer frame with its S-tag, IPv4"),
	OK("arista_ts_v6", 0, IPV6, 0, 0, b_arista_ts_v6, "Arista tap aggregation timestamp header (64-bit), IPv6"),
	OK("arista_ts48_vlan_v4", 0, IPV4, ENC(VLAN), 0, b_arista_ts48_vlan_v4, "Arista timestamp header (48-bit), 802.1Q, IPv4"),
	OTH("arista_other", 0, ETHERTYPE, 0, b_arista_other, "Arista header of another subtype: length unknown"),
	OTH("macsec", 0, MACSEC, 0, b_macsec, "802.1AE MACsec: encrypted, cannot be seen into"),
	OK("vntag_v4", 0, IPV4, 0, 0, b_vntag_v4, "Cisco VN-Tag, IPv4"),
	OK("etag_vlan_v6", 0, IPV6, ENC(VLAN), 0, b_etag_vlan_v6, "802.1BR E-Tag + 802.1Q, IPv6"),
	OK("vlan_cmd_v6", 0, IPV6, ENC(VLAN), 0, b_vlan_cmd_v6, "802.1Q + Cisco MetaData (TrustSec SGT), IPv6"),
	OK("ipv6_ext_gtpu", C_IP, IPV4, ENC(GTPU), 0, b_ipv6_ext_gtpu, "hop-by-hop + destination options, then GTP-U"),
	OK("ipv4_frag_later", C_IP, IPV4, 0, 0, b_ipv4_frag_later, "non-first IPv4 fragment of GTP-U"),
	OK("ipv6_frag_later", C_IP, IPV6, 0, 0, b_ipv6_frag_later, "non-first IPv6 fragment of GTP-U"),
	OK("ipv4_frag_first_gtpu", C_IP, IPV6, ENC(GTPU), 0, b_ipv4_frag_first_gtpu, "first IPv4 fragment of GTP-U"),
	OK("ipv4_options_gtpu", C_IP, IPV6, ENC(GTPU), 0, b_ipv4_options_gtpu, "IPv4 with options, GTP-U"),
	OK("snap_ipv6", C_IP, IPV6, 0, 0, b_snap_ipv6, "IPv6 cut by the snap length after its header"),
	OK("snap_gtpu", C_IP, IPV6, ENC(GTPU), 0, b_snap_gtpu, "GTP-U cut by the snap length after the inner header"),
	MAL("m_eth_trunc", C_ETH_ONLY, LINK_TRUNCATED, 0, m_eth_trunc, "10-byte frame"),
	MAL("m_ipv4_bad_ihl", C_IP, IPV4_BAD_IHL, 0, m_ipv4_bad_ihl, "IHL 4"),
	MAL("m_ipv4_len_short", C_IP, IPV4_BAD_LENGTH, 0, m_ipv4_len_short, "total length below header"),
	MAL("m_ipv4_len_long", C_IP, IPV4_BAD_LENGTH, 0, m_ipv4_len_long, "total length past the frame"),
	MAL("m_ipv4_trunc", C_IP, IPV4_TRUNCATED, 0, m_ipv4_trunc, "frame ends inside the IPv4 header"),
	MAL("m_ipv6_len_long", C_IP, IPV6_BAD_LENGTH, 0, m_ipv6_len_long, "payload length past the frame"),
	MAL("m_ipv6_trunc", C_IP, IPV6_TRUNCATED, 0, m_ipv6_trunc, "frame ends inside the IPv6 header"),
	MAL("m_version_mismatch", 0, VERSION_MISMATCH, 0, m_version_mismatch, "ethertype IPv4, version 6"),
	MAL("m_vlan_trunc", 0, VLAN_TRUNCATED, 0, m_vlan_trunc, "frame ends inside a tag"),
	MAL("m_vlan_too_deep", 0, VLAN_TOO_DEEP, 0, m_vlan_too_deep, "nine tags"),
	MAL("m_mpls_no_bos", 0, MPLS_TRUNCATED, 0, m_mpls_no_bos, "label stack without bottom"),
	MAL("m_pppoe_len_long", 0, PPPOE_BAD_LENGTH, 0, m_pppoe_len_long, "PPPoE length past the frame"),
	MAL("m_ppp_mismatch", 0, VERSION_MISMATCH, ENC(PPPOE), m_ppp_mismatch, "PPP IPv4 carrying version 6"),
	MAL("m_gtpu_trunc", C_IP, GTPU_TRUNCATED, 0, m_gtpu_trunc, "GTP-U header cut short"),
	MAL("m_gtpu_bad_len", C_IP, GTPU_BAD_LENGTH, 0, m_gtpu_bad_len, "GTP-U length past the UDP datagram"),
	MAL("m_gtpu_ext_trunc", C_IP, GTPU_EXT_TRUNCATED, 0, m_gtpu_ext_trunc, "GTP-U extension past the message"),
	MAL("m_gtpu_empty", C_IP, GTPU_EMPTY, 0, m_gtpu_empty, "empty G-PDU"),
	MAL("m_gtpu_inner_long", C_IP, IPV4_BAD_LENGTH, ENC(GTPU), m_gtpu_inner_long, "inner IPv4 past the G-PDU"),
	MAL("m_teredo_inner_long", C_IP, IPV6_BAD_LENGTH, ENC(TEREDO), m_teredo_inner_long, "Teredo IPv6 past the datagram"),
	MAL("m_ipv6_ext_trunc", C_IP, IPV6_EXT_TRUNCATED, 0, m_ipv6_ext_trunc, "extension header past the payload"),
	MAL("m_udp_bad_len", C_IP, UDP_BAD_LENGTH, 0, m_udp_bad_len, "UDP length past the IP packet (GTP-U port)"),
	MAL("m_vxlan_trunc", C_IP, VXLAN_TRUNCATED, 0, m_vxlan_trunc, "VXLAN header cut short"),
	MAL("m_erspan_trunc", C_IP, ERSPAN_TRUNCATED, ENC(ERSPAN), m_erspan_trunc, "ERSPAN II header cut short"),
	MAL("m_l2tp_len_long", C_IP, L2TP_TRUNCATED, 0, m_l2tp_len_long, "L2TP length past the datagram"),
	MAL("m_geneve_trunc", C_IP, GENEVE_TRUNCATED, 0, m_geneve_trunc, "Geneve options past the datagram"),
	MAL("m_pbb_trunc", 0, PBB_TRUNCATED, 0, m_pbb_trunc, "802.1ah customer frame cut short"),
	MAL("m_6in4_version", C_IP, VERSION_MISMATCH, ENC(6IN4), m_6in4_version, "protocol 41 carrying IPv4"),
};

const unsigned gen_ncases = sizeof(gen_cases) / sizeof(gen_cases[0]);

const struct gen_case *gen_case_find(const char *name)
{
	for (unsigned i = 0; i < gen_ncases; i++)
		if (strcmp(gen_cases[i].name, name) == 0)
			return &gen_cases[i];
	return NULL;
}

const enum v6s_link gen_parser_link[GEN_LINK_COUNT] = {
	[GEN_ETH] = V6S_LINK_ETHERNET, [GEN_SLL] = V6S_LINK_SLL, [GEN_SLL2] = V6S_LINK_SLL2,
	[GEN_RAW] = V6S_LINK_RAW, [GEN_NULL] = V6S_LINK_NULL, [GEN_LOOP] = V6S_LINK_LOOP,
	[GEN_PPP] = V6S_LINK_PPP, [GEN_CHDLC] = V6S_LINK_C_HDLC, [GEN_NFLOG] = V6S_LINK_NFLOG,
};

int gen_case_fits(const struct gen_case *c, enum gen_link link)
{
	if (gen_link_ip(link))
		return (c->flags & C_IP) != 0;
	if (link == GEN_SLL || link == GEN_SLL2)
		return (c->flags & C_ETH_ONLY) == 0;
	return 1;
}

/* Ethernet -> Linux cooked header, same ethertype and payload. */
static void to_cooked(struct gen_ctx *g, struct gen_frame *f)
{
	struct pb *b = &f->b;
	uint8_t mac[6], type[2];
	memcpy(mac, pb_data(b) + 6, 6);
	memcpy(type, pb_data(b) + 12, 2);
	b->head += 14;
	b->len -= 14;
	if (g->link == GEN_SLL) {
		uint8_t *h = pb_push(b, 16);
		memset(h, 0, 16);
		h[3] = 1;                       /* ARPHRD_ETHER */
		h[5] = 6;
		memcpy(h + 6, mac, 6);
		memcpy(h + 14, type, 2);
	} else {
		uint8_t *h = pb_push(b, 20);
		memset(h, 0, 20);
		memcpy(h, type, 2);
		h[7] = 2;                       /* ifindex */
		h[9] = 1;                       /* ARPHRD_ETHER */
		h[11] = 6;
		memcpy(h + 12, mac, 6);
	}
	uint32_t grow = g->link == GEN_SLL ? 2 : 6;
	if (g->cut)
		g->cut += grow;
	if (g->snap)
		g->snap += grow;
}

/* The link header of an IP-only link, for the frame's outer IP version. */
static void to_ip_link(struct gen_ctx *g, struct gen_frame *f)
{
	struct pb *b = &f->b;
	int v6 = b->len && (pb_data(b)[0] >> 4) == 6;
	uint32_t before = (uint32_t)b->len;
	uint8_t *h;

	switch (g->link) {
	case GEN_NULL:                          /* host byte order (little-endian); AF_INET6 as macOS has it */
		memcpy(pb_push(b, 4), v6 ? "\x1e\0\0\0" : "\x02\0\0\0", 4);
		break;
	case GEN_LOOP:                          /* network byte order; AF_INET6 as OpenBSD has it */
		memcpy(pb_push(b, 4), v6 ? "\0\0\0\x18" : "\0\0\0\x02", 4);
		break;
	case GEN_PPP:
		memcpy(pb_push(b, 4), v6 ? "\xff\x03\x00\x57" : "\xff\x03\x00\x21", 4);
		break;
	case GEN_CHDLC:
		memcpy(pb_push(b, 4), v6 ? "\x0f\x00\x86\xdd" : "\x0f\x00\x08\x00", 4);
		break;
	case GEN_NFLOG: {
		/* header, a packet-header TLV, then the payload TLV padded to 4 */
		size_t pad = (4 - b->len % 4) % 4;
		memset(pb_data(b) + b->len, 0, pad);
		b->len += pad;
		h = pb_push(b, 16);
		uint32_t tlv = (uint32_t)(b->len - 12 - pad);
		memcpy(h, v6 ? "\x0a\x00\x00\x01" : "\x02\x00\x00\x01", 4);
		memcpy(h + 4, "\x08\x00\x01\x00\x00\x00\x00\x00", 8);  /* NFULA_PACKET_HDR */
		h[8] = v6 ? 0x86 : 0x08;
		h[9] = v6 ? 0xdd : 0x00;
		h[10] = 3;                      /* hook */
		h[12] = (uint8_t)tlv;
		h[13] = (uint8_t)(tlv >> 8);
		h[14] = 9;                      /* NFULA_PAYLOAD */
		h[15] = 0;
		before += (uint32_t)pad;
		break;
	}
	default:
		return;
	}
	uint32_t grow = (uint32_t)b->len - before;
	if (g->cut)
		g->cut += grow;
	if (g->snap)
		g->snap += grow;
}

void gen_build(const struct gen_case *c, struct gen_ctx *g, struct gen_frame *f)
{
	pb_init(&f->b, g->payload, 0xab);
	f->ip_len = 0;
	g->cut = g->snap = g->mirrored = g->mirror_cut = 0;
	c->build(g, f);
	if (g->link == GEN_SLL || g->link == GEN_SLL2)
		to_cooked(g, f);
	else
		to_ip_link(g, f);
	f->mirror_off = g->mirrored ? (uint32_t)f->b.len - g->mirrored : 0;
	f->mirror_cut = g->mirror_cut;
	f->wire_len = f->cap_len = (uint32_t)f->b.len;
	if (g->cut && g->cut < f->wire_len)
		f->wire_len = f->cap_len = g->cut;
	if (g->snap && g->snap < f->cap_len)
		f->cap_len = g->snap;
	if (c->cls > V6S_CLASS_IPV6)
		f->ip_len = 0;
}

void gen_build_sized(const struct gen_case *c, struct gen_ctx *g, struct gen_frame *f, uint32_t frame_len)
{
	uint64_t keep = g->rng;

	g->payload = 0;
	gen_build(c, g, f);
	g->rng = keep;
	g->payload = frame_len > f->b.len ? frame_len - f->b.len : 0;
	gen_build(c, g, f);
}
