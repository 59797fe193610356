/* SPDX-License-Identifier: BSD-3-Clause
 * Frame bytes -> packet facts. One function per layer. Two bounds travel
 * with every offset: `cap` (bytes we may read) and `end` (where the enclosing
 * frame or datagram ends by its declared length). Reads check `cap`; length
 * fields are checked against `end`. The rules are in README.md, "What is counted".
 */
#include <string.h>

#include "v6share/parse.h"

/* Where an enclosing datagram's end is unknown: the outer IP packet is the
 * first fragment, so inner lengths reach past this frame legitimately. */
#define END_UNKNOWN UINT32_MAX

#define PORT_GTPU   2152
#define PORT_TEREDO 3544
#define PORT_VXLAN  4789
#define PORT_VXLAN_LINUX 8472   /* Linux's own default, flannel's; Cisco OTV's too */
#define PORT_MPLS_UDP 6635      /* MPLS in UDP (RFC 7510) */
#define PORT_L2TP   1701
#define PORT_GENEVE 6081
/* The tunnel ports in order: all lie in 1701..8472, and the three a source
 * port may name (L2TP, GTP-U, Teredo) in 1701..3544. parse_udp rules out
 * most UDP (DNS, QUIC, ephemeral ports) by these ranges before its own tests. */
_Static_assert(PORT_L2TP < PORT_GTPU && PORT_GTPU < PORT_TEREDO && PORT_TEREDO < PORT_VXLAN &&
	       PORT_VXLAN < PORT_GENEVE && PORT_GENEVE < PORT_MPLS_UDP && PORT_MPLS_UDP < PORT_VXLAN_LINUX,
	       "the quick test's ranges must hold every tunnel port");

struct pstate {
	const uint8_t *f;
	uint32_t cap;
	uint32_t frag_end;      /* end of a first fragment's data, 0 when unfragmented */
	uint32_t wire;          /* the frame's length on the wire (cap <= wire) */
	unsigned mirrors;       /* ERSPAN layers this frame was carried in */
	uint32_t ip_end;        /* where the frame's outermost IP packet ends by its own length, 0: not seen */
	int inner_counted;      /* a mirror session inside set the length that counts */
	struct v6s_facts *out;
};

static void parse_link(const uint8_t *frame, uint32_t cap_len, uint32_t wire_len, uint32_t end,
		       enum v6s_link link, struct v6s_facts *out, unsigned mirrors);

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* True when n bytes starting at off can be read. */
static inline int readable(const struct pstate *s, uint32_t off, uint32_t n)
{
	return off <= s->cap && n <= s->cap - off;
}

static inline void malformed(struct pstate *s, enum v6s_malformed_reason why)
{
	s->out->cls = V6S_CLASS_MALFORMED;
	s->out->reason = (uint8_t)why;
	s->out->ip_len = 0;
}

static inline void other(struct pstate *s, enum v6s_other_reason why)
{
	s->out->cls = V6S_CLASS_OTHER;
	s->out->reason = (uint8_t)why;
	s->out->ip_len = 0;
}

/* The user packet's length, counting only what this frame carries when an
 * outer first fragment holds just the start of it (later fragments count
 * their own bytes as the outer version). */
static inline uint32_t carried(const struct pstate *s, uint32_t off, uint32_t len)
{
	return s->frag_end && len > s->frag_end - off ? s->frag_end - off : len;
}

static inline void seen(struct pstate *s, enum v6s_encap e)
{
	s->out->encaps |= (uint16_t)(1u << e);
}

static void parse_ip(struct pstate *s, uint32_t off, uint32_t end, unsigned want, unsigned depth);
static void parse_ethertype(struct pstate *s, uint16_t type, uint32_t off, uint32_t end, unsigned depth);
static inline void parse_mpls(struct pstate *s, uint32_t off, uint32_t end, unsigned depth);
static void parse_llc(struct pstate *s, uint16_t len, uint32_t off, uint32_t end, unsigned depth);
static inline void parse_ppp(struct pstate *s, uint32_t off, uint32_t end, unsigned depth, int hdlc,
			     enum v6s_malformed_reason cut);

/* Room for one more tunnel layer inside this one; when there is none the
 * frame is malformed. */
static inline int deeper(struct pstate *s, unsigned depth)
{
	if (depth + 1 < V6S_MAX_IP_LAYERS)
		return 1;
	malformed(s, V6S_MALFORMED_TUNNEL_TOO_DEEP);
	return 0;
}

/* An Ethernet frame inside a tunnel (VXLAN, GRE bridging, IP protocol 143):
 * its own tags and encapsulations, then its user packet. `cut`: the reason
 * when the frame is too short for its header. */
static void parse_inner_ether(struct pstate *s, uint32_t off, uint32_t end, unsigned depth, enum v6s_encap via,
			      enum v6s_malformed_reason cut)
{
	if (!deeper(s, depth))
		return;
	if (!readable(s, off, 14) || end - off < 14) {
		malformed(s, cut);
		return;
	}
	seen(s, via);
	parse_ethertype(s, be16(s->f + off + 12), off + 14, end, depth + 1);
}

/* VXLAN (RFC 7348): 8 bytes with the I flag, then an Ethernet frame. */
static void parse_vxlan(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 8) || end - off < 8) {
		malformed(s, V6S_MALFORMED_VXLAN_TRUNCATED);
		return;
	}
	if (!(s->f[off] & 0x08))
		return;                         /* no VNI: not VXLAN, plain UDP */
	parse_inner_ether(s, off + 8, end, depth, V6S_ENCAP_VXLAN, V6S_MALFORMED_VXLAN_TRUNCATED);
}

/* Geneve (RFC 8926): 8 bytes and options, then what its protocol type
 * names: an Ethernet frame or an IP packet. Another version is plain UDP. */
static void parse_geneve(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 8) || end - off < 8) {
		malformed(s, V6S_MALFORMED_GENEVE_TRUNCATED);
		return;
	}
	const uint8_t *g = s->f + off;
	if (g[0] >> 6)
		return;
	uint32_t hlen = 8 + 4u * (g[0] & 0x3f);
	uint16_t proto = be16(g + 2);
	if (!readable(s, off, hlen) || end - off < hlen) {
		malformed(s, V6S_MALFORMED_GENEVE_TRUNCATED);
		return;
	}
	if (proto == 0x6558) {
		parse_inner_ether(s, off + hlen, end, depth, V6S_ENCAP_GENEVE, V6S_MALFORMED_GENEVE_TRUNCATED);
	} else if (proto == 0x0800 || proto == 0x86dd) {
		if (!deeper(s, depth))
			return;
		seen(s, V6S_ENCAP_GENEVE);
		parse_ip(s, off + hlen, end, proto == 0x0800 ? 4 : 6, depth + 1);
	} else {
		seen(s, V6S_ENCAP_GENEVE);
		other(s, V6S_OTHER_GENEVE_NON_IP);
	}
}

/* L2TPv2 (RFC 2661) on UDP 1701: a data message carries a PPP frame from a
 * LAC to an LNS. Control messages and L2TPv3 count as the outer packet, as
 * GTP-U signalling does. */
static void parse_l2tp(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 2) || end - off < 2) {
		malformed(s, V6S_MALFORMED_L2TP_TRUNCATED);
		return;
	}
	uint8_t fl = s->f[off];
	if ((s->f[off + 1] & 0x0f) != 2 || (fl & 0x80))
		return;
	uint32_t hlen = 6u + ((fl & 0x40) ? 2 : 0) + ((fl & 0x08) ? 4 : 0) + ((fl & 0x02) ? 2 : 0);
	if (!readable(s, off, hlen) || end - off < hlen) {
		malformed(s, V6S_MALFORMED_L2TP_TRUNCATED);
		return;
	}
	uint32_t lend = end;
	if (fl & 0x40) {                        /* the message's own length */
		uint32_t len = be16(s->f + off + 2);
		if (len < hlen || (end != END_UNKNOWN && len > end - off)) {
			malformed(s, V6S_MALFORMED_L2TP_TRUNCATED);
			return;
		}
		lend = off + len;
	}
	if (fl & 0x02) {                        /* offset size, then that much padding */
		hlen += be16(s->f + off + hlen - 2);
		if (hlen > lend - off) {
			malformed(s, V6S_MALFORMED_L2TP_TRUNCATED);
			return;
		}
	}
	if (!deeper(s, depth))
		return;
	seen(s, V6S_ENCAP_L2TP);
	parse_ppp(s, off + hlen, lend, depth + 1, 1, V6S_MALFORMED_L2TP_TRUNCATED);
}

/* A tunnel's inner IP packet, version from its first nibble. */
static void parse_inner_ip(struct pstate *s, uint32_t off, uint32_t end, unsigned want,
			   unsigned depth, enum v6s_encap via)
{
	if (!deeper(s, depth))
		return;
	seen(s, via);
	parse_ip(s, off, end, want, depth + 1);
}

/* GTP-U (TS 29.281). Signalling messages and non-GTPv1 payloads on the port
 * stay counted as the outer packet; a G-PDU is decided by what it carries. */
static void parse_gtpu(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	const uint8_t *g = s->f + off;

	if (!readable(s, off, 8) || end - off < 8) {
		malformed(s, V6S_MALFORMED_GTPU_TRUNCATED);
		return;
	}
	if ((g[0] >> 5) != 1 || !(g[0] & 0x10))
		return;                         /* GTP' or not GTP at all */
	uint32_t gend = off + 8 + be16(g + 2);
	if (gend > end) {
		malformed(s, V6S_MALFORMED_GTPU_BAD_LENGTH);
		return;
	}
	if (g[1] != 0xff)
		return;                         /* echo, error indication, end marker ... */

	uint32_t cur = off + 8;
	if (g[0] & 0x07) {                      /* sequence, N-PDU or extension flag */
		if (!readable(s, cur, 4) || gend - cur < 4) {
			malformed(s, V6S_MALFORMED_GTPU_TRUNCATED);
			return;
		}
		uint8_t next = g[11];
		cur += 4;
		while ((g[0] & 0x04) && next != 0) {
			uint32_t len = readable(s, cur, 1) ? 4u * s->f[cur] : 0;
			if (len == 0 || !readable(s, cur, len) || gend - cur < len) {
				malformed(s, V6S_MALFORMED_GTPU_EXT_TRUNCATED);
				return;
			}
			next = s->f[cur + len - 1];
			cur += len;
		}
	}
	if (cur >= gend) {
		malformed(s, V6S_MALFORMED_GTPU_EMPTY);
		return;
	}
	if (!readable(s, cur, 1)) {
		malformed(s, V6S_MALFORMED_GTPU_TRUNCATED);
		return;
	}
	unsigned v = s->f[cur] >> 4;
	if (v != 4 && v != 6) {
		seen(s, V6S_ENCAP_GTPU);
		other(s, V6S_OTHER_GTPU_NON_IP);
		return;
	}
	parse_inner_ip(s, cur, gend, v, depth, V6S_ENCAP_GTPU);
}

/* Teredo (RFC 4380): optional authentication and origin indications, then
 * IPv6. A payload that is not IPv6 stays counted as the outer IPv4 packet. */
static void parse_teredo(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	uint32_t cur = off;

	/* an indication starts with two zero-led bytes: both must be seen to decide */
	if (end - cur >= 2 && !readable(s, cur, 2))
		goto truncated;
	if (end - cur >= 2 && be16(s->f + cur) == 0x0001) {            /* authentication */
		if (!readable(s, cur, 4))
			goto truncated;
		cur += 4u + s->f[cur + 2] + s->f[cur + 3] + 8u + 1u;
		if (cur < end && end - cur >= 2 && !readable(s, cur, 2))
			goto truncated;
	}
	if (cur < end && end - cur >= 2 && be16(s->f + cur) == 0x0000)  /* origin */
		cur += 8;
	if (cur > end)
		goto truncated;
	if (cur == end)
		return;
	if (!readable(s, cur, 1))
		goto truncated;
	if ((s->f[cur] >> 4) != 6)
		return;                         /* not Teredo after all: plain UDP */
	s->out->tunneled6 = 1;
	parse_inner_ip(s, cur, end, 6, depth, V6S_ENCAP_TEREDO);
	return;
truncated:
	malformed(s, V6S_MALFORMED_TEREDO_TRUNCATED);
}

/* UDP only matters on the tunnel ports; anything else is the IP packet's. */
static void parse_udp(struct pstate *s, uint32_t off, uint32_t end, unsigned ipver, unsigned depth)
{
	if (end - off < 8)
		return;                         /* no room for a tunnel: plain IP */
	if (!readable(s, off, 8)) {
		malformed(s, V6S_MALFORMED_UDP_TRUNCATED);
		return;
	}
	const uint8_t *u = s->f + off;
	uint16_t sp = be16(u), dp = be16(u + 2), ulen = be16(u + 4);
	if ((uint16_t)(sp - PORT_L2TP) > PORT_TEREDO - PORT_L2TP && (uint16_t)(dp - PORT_L2TP) > PORT_VXLAN_LINUX - PORT_L2TP)
		return;                         /* on no tunnel port (see the ports' order above) */
	/* GTP-U once per frame: a user's own UDP to port 2152 inside a tunnel stays UDP */
	int gtpu = (sp == PORT_GTPU || dp == PORT_GTPU) && !(s->out->encaps & (1u << V6S_ENCAP_GTPU));
	int teredo = (sp == PORT_TEREDO || dp == PORT_TEREDO) && ipver == 4;
	int vxlan = dp == PORT_VXLAN || dp == PORT_VXLAN_LINUX;
	int geneve = dp == PORT_GENEVE;
	int l2tp = sp == PORT_L2TP || dp == PORT_L2TP;
	int mpls = dp == PORT_MPLS_UDP;

	if (!gtpu && !teredo && !vxlan && !geneve && !l2tp && !mpls)
		return;
	if (ulen < 8 || (end != END_UNKNOWN && ulen > end - off)) {
		malformed(s, V6S_MALFORMED_UDP_BAD_LENGTH);
		return;
	}
	if (gtpu)
		parse_gtpu(s, off + 8, off + ulen, depth);
	else if (teredo)
		parse_teredo(s, off + 8, off + ulen, depth);
	else if (vxlan)
		parse_vxlan(s, off + 8, off + ulen, depth);
	else if (geneve)
		parse_geneve(s, off + 8, off + ulen, depth);
	else if (l2tp)
		parse_l2tp(s, off + 8, off + ulen, depth);
	else if (deeper(s, depth))
		parse_mpls(s, off + 8, off + ulen, depth + 1);
}

#define GRE_ERSPAN2 0x88be     /* type II; type I when GRE has no sequence number */
#define GRE_ERSPAN3 0x22eb

/* ERSPAN (draft-foschiano-erspan): a switch's mirror session sent to the
 * meter over GRE. It is the tap's own transport, not the user's tunnel: the
 * mirrored frame is metered as if it had been captured at the source port
 * (its length, its MACs and tags), the transport's headers are not counted.
 * A session that truncated the frame (T bit) leaves its length unknown: the
 * bytes that arrived count and inner lengths are not checked against them. */
static void parse_erspan(struct pstate *s, uint32_t off, uint32_t end, uint16_t proto, int type1)
{
	const uint8_t *h = s->f + off;
	uint32_t hlen = type1 ? 0 : proto == GRE_ERSPAN2 ? 8 : 12;
	enum v6s_link link = V6S_LINK_ETHERNET;
	int cut = 0;
	uint16_t vlan = 0;

	if (!readable(s, off, hlen) || end - off < hlen)
		goto truncated;
	if (!type1) {
		if ((h[0] >> 4) != (proto == GRE_ERSPAN2 ? 1 : 2))
			goto not_erspan;
		vlan = be16(h) & 0x0fff;
		cut = (h[2] >> 2) & 1;
		if (proto == GRE_ERSPAN2 && ((h[2] >> 3) & 3) == 0)
			vlan = 0;               /* encapsulation type 0: the frame had no tag */
	}
	if (proto == GRE_ERSPAN3) {
		unsigned ft = (h[10] >> 2) & 0x1f;
		if (ft == 2)
			link = V6S_LINK_RAW;    /* an IP packet mirrored without its link header */
		else if (ft != 0)
			goto not_erspan;
		if (h[11] & 0x01)               /* O: an 8-byte platform-specific subheader */
			hlen += 8;
		if (!readable(s, off, hlen) || end - off < hlen)
			goto truncated;
	}
	uint32_t cur = off + hlen, len = end - cur;
	if (len > s->wire - cur) {              /* inside a truncated mirror, lengths were not checked */
		len = s->wire - cur;
		cut = 1;
	}
	uint32_t cap = s->cap > cur ? s->cap - cur : 0;
	parse_link(s->f + cur, cap < len ? cap : len, len, cut ? END_UNKNOWN : len, link, s->out, s->mirrors + 1);
	s->inner_counted = 1;
	s->out->encaps |= (uint16_t)(1u << V6S_ENCAP_ERSPAN);
	if (s->out->vlan_outer == V6S_VLAN_NONE && vlan)
		s->out->vlan_outer = vlan;      /* the source port's VLAN, the tag stripped */
	return;
truncated:
	seen(s, V6S_ENCAP_ERSPAN);
	malformed(s, V6S_MALFORMED_ERSPAN_TRUNCATED);
	return;
not_erspan:
	seen(s, V6S_ENCAP_GRE);
	other(s, V6S_OTHER_GRE_NON_IP);
}

/* Enhanced GRE (version 1, RFC 2637): PPTP's PPP frames. The key field
 * holds the payload's length; a packet with none only acknowledges. */
static void parse_gre_pptp(struct pstate *s, uint32_t off, uint32_t end, unsigned depth, uint16_t flags)
{
	uint32_t hlen = 8 + ((flags & 0x1000) ? 4 : 0) + ((flags & 0x0080) ? 4 : 0);
	if (!readable(s, off, hlen) || end - off < hlen) {
		malformed(s, V6S_MALFORMED_GRE_TRUNCATED);
		return;
	}
	uint32_t plen = be16(s->f + off + 4);
	if (end != END_UNKNOWN && plen > end - off - hlen) {
		malformed(s, V6S_MALFORMED_GRE_TRUNCATED);
		return;
	}
	if (plen == 0) {
		seen(s, V6S_ENCAP_GRE);
		other(s, V6S_OTHER_GRE_NON_IP);
		return;
	}
	if (!deeper(s, depth))
		return;
	seen(s, V6S_ENCAP_GRE);
	parse_ppp(s, off + hlen, off + hlen + plen, depth + 1, 1, V6S_MALFORMED_GRE_TRUNCATED);
}

/* GRE (RFC 2784/2890) carrying IPv4, IPv6, MPLS or an Ethernet frame;
 * version 1 carrying PPP; other payloads are `other`. */
static void parse_gre(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 4) || end - off < 4) {
		malformed(s, V6S_MALFORMED_GRE_TRUNCATED);
		return;
	}
	uint16_t flags = be16(s->f + off), proto = be16(s->f + off + 2);
	if ((flags & 0xe007) == 0x2001 && proto == 0x880b) {
		parse_gre_pptp(s, off, end, depth, flags);
		return;
	}
	if ((flags & 0x4007) != 0) {            /* routing present or version != 0 */
		seen(s, V6S_ENCAP_GRE);
		other(s, V6S_OTHER_GRE_NON_IP);
		return;
	}
	uint32_t hlen = 4 + ((flags & 0x8000) ? 4 : 0) + ((flags & 0x2000) ? 4 : 0) +
			((flags & 0x1000) ? 4 : 0);
	if (!readable(s, off, hlen) || end - off < hlen) {
		malformed(s, V6S_MALFORMED_GRE_TRUNCATED);
		return;
	}
	/* a mirror session to this meter: only as the outermost IP packet's
	 * payload, whole (not a first fragment), and not nested without end */
	if ((proto == GRE_ERSPAN2 || proto == GRE_ERSPAN3) && depth == 0 && !s->frag_end && end != END_UNKNOWN &&
	    s->mirrors < V6S_MAX_MIRRORS) {
		parse_erspan(s, off + hlen, end, proto, proto == GRE_ERSPAN2 && !(flags & 0x1000));
		return;
	}
	if (proto == 0x6558) {                  /* transparent Ethernet bridging */
		parse_inner_ether(s, off + hlen, end, depth, V6S_ENCAP_GRE, V6S_MALFORMED_GRE_TRUNCATED);
		return;
	}
	if (proto == 0x8847 || proto == 0x8848) {
		if (!deeper(s, depth))
			return;
		seen(s, V6S_ENCAP_GRE);
		parse_mpls(s, off + hlen, end, depth + 1);
		return;
	}
	unsigned want = proto == 0x0800 ? 4 : proto == 0x86dd ? 6 : 0;
	if (!want) {
		seen(s, V6S_ENCAP_GRE);
		other(s, V6S_OTHER_GRE_NON_IP);
		return;
	}
	parse_inner_ip(s, off + hlen, end, want, depth, V6S_ENCAP_GRE);
}

/* The payload protocols parse_ip_payload looks into; the others (TCP,
 * ICMP, ESP ...) end the walk without a call. */
static inline int may_tunnel(uint8_t proto)
{
	return proto < 64 ? (int)((1ull << 4 | 1ull << 17 | 1ull << 41 | 1ull << 47) >> proto & 1) : proto == 143;
}

/* What an IP packet's payload protocol may hide: another IP packet. */
static void parse_ip_payload(struct pstate *s, uint8_t proto, uint32_t off, uint32_t end,
			     unsigned ipver, unsigned depth)
{
	switch (proto) {                        /* the cases are may_tunnel's set: keep the two in step */
	case 17:
		parse_udp(s, off, end, ipver, depth);
		break;
	case 41:
		if (ipver == 4)
			s->out->tunneled6 = 1;
		parse_inner_ip(s, off, end, 6, depth, ipver == 4 ? V6S_ENCAP_6IN4 : V6S_ENCAP_IPIP);
		break;
	case 4:
		parse_inner_ip(s, off, end, 4, depth, V6S_ENCAP_IPIP);
		break;
	case 47:
		parse_gre(s, off, end, depth);
		break;
	case 143:                               /* Ethernet (RFC 8986: SRv6 L2 services, EVPN) */
		parse_inner_ether(s, off, end, depth, V6S_ENCAP_IPIP, V6S_MALFORMED_LINK_TRUNCATED);
		break;
	default:
		break;
	}
}

/* A first fragment: what it holds is read only up to this fragment's data,
 * while lengths inside refer to the whole datagram. If the fragment was
 * captured whole and what it holds still cannot be decoded (the tunnel
 * headers continue in the next fragment), the outer packet is what counts,
 * as for later fragments. */
static void parse_first_fragment(struct pstate *s, uint8_t proto, uint32_t off, uint32_t data_end,
				 unsigned ipver, unsigned depth)
{
	struct v6s_facts outer = *s->out;
	uint32_t cap = s->cap, frag_end = s->frag_end;

	if (data_end < s->cap)
		s->cap = data_end;
	if (!s->frag_end || data_end < s->frag_end)
		s->frag_end = data_end;
	parse_ip_payload(s, proto, off, END_UNKNOWN, ipver, depth);
	s->cap = cap;
	s->frag_end = frag_end;
	if (s->out->cls == V6S_CLASS_MALFORMED && data_end <= cap)
		*s->out = outer;
}

static void parse_ipv4(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	const uint8_t *h = s->f + off;

	if (!readable(s, off, 20)) {
		malformed(s, V6S_MALFORMED_IPV4_TRUNCATED);
		return;
	}
	uint32_t hlen = 4u * (h[0] & 0x0f), tot = be16(h + 2);
	if (hlen < 20) {
		malformed(s, V6S_MALFORMED_IPV4_BAD_IHL);
		return;
	}
	if (tot < hlen || (end != END_UNKNOWN && tot > end - off)) {
		malformed(s, V6S_MALFORMED_IPV4_BAD_LENGTH);
		return;
	}
	if (!readable(s, off, hlen)) {
		malformed(s, V6S_MALFORMED_IPV4_TRUNCATED);
		return;
	}
	struct v6s_facts *o = s->out;
	o->cls = V6S_CLASS_IPV4;
	o->ip_len = carried(s, off, tot);
	if (depth == 0 && !s->ip_end)
		s->ip_end = off + tot;
	memcpy(o->addr.v4, h + 12, 8);

	uint16_t frag = be16(h + 6);
	if ((frag & 0x1fff) || !may_tunnel(h[9]))
		return;                         /* non-first fragment, or no tunnel: nothing inside to see */
	if (frag & 0x2000)
		parse_first_fragment(s, h[9], off + hlen, off + tot, 4, depth);
	else
		parse_ip_payload(s, h[9], off + hlen, off + tot, 4, depth);
}

static void parse_ipv6(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	const uint8_t *h = s->f + off;

	if (!readable(s, off, 40)) {
		malformed(s, V6S_MALFORMED_IPV6_TRUNCATED);
		return;
	}
	uint32_t plen = be16(h + 4);
	if (end != END_UNKNOWN && 40 + plen > end - off) {
		malformed(s, V6S_MALFORMED_IPV6_BAD_LENGTH);
		return;
	}
	struct v6s_facts *o = s->out;
	o->cls = V6S_CLASS_IPV6;
	o->ip_len = carried(s, off, 40 + plen);
	if (depth == 0 && !s->ip_end)
		s->ip_end = off + 40 + plen;
	memcpy(o->addr.v6, h + 8, 32);

	uint32_t pend = off + 40 + plen, cur = off + 40;
	uint8_t nh = h[6];
	for (;;) {
		uint32_t len;
		switch (nh) {
		case 0: case 43: case 60: case 135: case 139: case 140:
			if (!readable(s, cur, 2)) {
				malformed(s, V6S_MALFORMED_IPV6_EXT_TRUNCATED);
				return;
			}
			len = 8u * (s->f[cur + 1] + 1u);
			break;
		case 51:                        /* AH counts in 4-byte units */
			if (!readable(s, cur, 2)) {
				malformed(s, V6S_MALFORMED_IPV6_EXT_TRUNCATED);
				return;
			}
			len = 4u * (s->f[cur + 1] + 2u);
			break;
		case 44:
			if (!readable(s, cur, 8)) {
				malformed(s, V6S_MALFORMED_IPV6_EXT_TRUNCATED);
				return;
			}
			if (be16(s->f + cur + 2) & 0xfff8)
				return;         /* non-first fragment */
			if (be16(s->f + cur + 2) & 1) {
				if (pend - cur < 8) {
					malformed(s, V6S_MALFORMED_IPV6_EXT_TRUNCATED);
					return;
				}
				parse_first_fragment(s, s->f[cur], cur + 8, pend, 6, depth);
				return;
			}
			len = 8;
			break;
		default:
			if (may_tunnel(nh))
				parse_ip_payload(s, nh, cur, pend, 6, depth);
			return;
		}
		if (pend != END_UNKNOWN && len > pend - cur) {
			malformed(s, V6S_MALFORMED_IPV6_EXT_TRUNCATED);
			return;
		}
		nh = s->f[cur];
		cur += len;
	}
}

/* An IP packet whose version must be `want` (4 or 6), or either when 0. */
static void parse_ip(struct pstate *s, uint32_t off, uint32_t end, unsigned want, unsigned depth)
{
	if (!readable(s, off, 1) || off >= end) {
		malformed(s, want == 6 ? V6S_MALFORMED_IPV6_TRUNCATED : V6S_MALFORMED_IPV4_TRUNCATED);
		return;
	}
	unsigned v = s->f[off] >> 4;
	if ((want && v != want) || (v != 4 && v != 6)) {
		malformed(s, V6S_MALFORMED_VERSION_MISMATCH);
		return;
	}
	if (v == 4)
		parse_ipv4(s, off, end, depth);
	else
		parse_ipv6(s, off, end, depth);
}

static inline void parse_mpls(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	for (;;) {
		if (!readable(s, off, 4) || end - off < 4) {
			malformed(s, V6S_MALFORMED_MPLS_TRUNCATED);
			return;
		}
		off += 4;
		if (s->f[off - 2] & 0x01)
			break;                  /* bottom of stack */
	}
	seen(s, V6S_ENCAP_MPLS);
	if (!readable(s, off, 1) || off >= end) {
		malformed(s, V6S_MALFORMED_MPLS_TRUNCATED);
		return;
	}
	unsigned v = s->f[off] >> 4;
	if (v == 4 || v == 6)
		parse_ip(s, off, end, v, depth);
	else
		other(s, V6S_OTHER_MPLS_NON_IP);
}

/* PPP from its protocol field on, after the HDLC-like address and control
 * bytes (ff 03) when `hdlc` allows them: IPv4, IPv6 and MPLS go on, the
 * rest (LCP, IPCP, compressed or encrypted data ...) is other/ppp_non_ip.
 * ff cannot start a protocol number, so the two forms are told apart. */
static inline void parse_ppp(struct pstate *s, uint32_t off, uint32_t end, unsigned depth, int hdlc,
			     enum v6s_malformed_reason cut)
{
	if (!readable(s, off, 1) || off >= end)
		goto truncated;
	if (hdlc && s->f[off] == 0xff) {
		if (!readable(s, off, 2) || end - off < 2)
			goto truncated;
		if (s->f[off + 1] == 0x03)
			off += 2;
		if (!readable(s, off, 1) || off >= end)
			goto truncated;
	}
	uint16_t proto;
	if (s->f[off] & 0x01) {                 /* protocol field compressed to one byte */
		proto = s->f[off];
		off += 1;
	} else {
		if (!readable(s, off, 2) || end - off < 2)
			goto truncated;
		proto = be16(s->f + off);
		off += 2;
	}
	if (proto == 0x0021)
		parse_ip(s, off, end, 4, depth);
	else if (proto == 0x0057)
		parse_ip(s, off, end, 6, depth);
	else if (proto == 0x0281 || proto == 0x0283)
		parse_mpls(s, off, end, depth);
	else
		other(s, V6S_OTHER_PPP_NON_IP);
	return;
truncated:
	malformed(s, cut);
}

/* PPPoE session stage (RFC 2516) carrying PPP. */
static inline void parse_pppoe(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 8) || end - off < 8) {
		malformed(s, V6S_MALFORMED_PPPOE_TRUNCATED);
		return;
	}
	uint32_t len = be16(s->f + off + 4);
	if (len < 2 || len > end - off - 6) {
		malformed(s, V6S_MALFORMED_PPPOE_BAD_LENGTH);
		return;
	}
	seen(s, V6S_ENCAP_PPPOE);
	parse_ppp(s, off + 6, off + 6 + len, depth, 0, V6S_MALFORMED_PPPOE_TRUNCATED);
}

/* 802.1ah (MAC-in-MAC): a 4-byte I-tag, then the customer's frame. */
static void parse_pbb(struct pstate *s, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 4) || end - off < 4) {
		malformed(s, V6S_MALFORMED_PBB_TRUNCATED);
		return;
	}
	parse_inner_ether(s, off + 4, end, depth, V6S_ENCAP_PBB, V6S_MALFORMED_PBB_TRUNCATED);
}

/* An 802.3 frame: its length field, then LLC. IP in SNAP with the
 * Ethernet OUI (RFC 1042: aa aa 03 00 00 00, then an ethertype) is IP;
 * anything else (STP, CDP, IS-IS ...) is other/llc. */
static void parse_llc(struct pstate *s, uint16_t len, uint32_t off, uint32_t end, unsigned depth)
{
	if (!readable(s, off, 8)) {
		if (end - off >= 8 && len >= 8)
			malformed(s, V6S_MALFORMED_LINK_TRUNCATED);     /* it may be SNAP: cannot tell */
		else
			other(s, V6S_OTHER_LLC);
		return;
	}
	uint16_t type = be16(s->f + off + 6);
	if (len < 8 || memcmp(s->f + off, "\xaa\xaa\x03\x00\x00\x00", 6) != 0 || (type != 0x0800 && type != 0x86dd)) {
		other(s, V6S_OTHER_LLC);
		return;
	}
	uint32_t lend = len < end - off ? off + len : end;
	parse_ip(s, off + 8, lend, type == 0x0800 ? 4 : 6, depth);
}

/* Headers a switch puts between the source MAC and the ethertype, other
 * than VLAN tags: the length up to the next ethertype, 0 when `type` is
 * none of them (or an Arista header other than a timestamp, whose length
 * is unknown). Rare on taps, so out of line. */
__attribute__((noinline)) static uint32_t inserted_header(const struct pstate *s, uint16_t type, uint32_t off)
{
	switch (type) {
	case 0x8926:                            /* Cisco VN-Tag (FEX uplinks) */
		return 4;
	case 0x893f:                            /* 802.1BR E-Tag */
	case 0x8909:                            /* Cisco MetaData: the TrustSec SGT */
		return 6;
	case 0xd28b:                            /* Arista: subtype, version, timestamp */
		if (!readable(s, off, 4))
			return 4;               /* cut short: the caller says so */
		if (be16(s->f + off) != 0x0001 || (s->f[off + 2] & 0xfe) != 0)
			return 0;
		return s->f[off + 3] == 0x10 ? 12 : s->f[off + 3] == 0x20 ? 10 : 0;
	default:
		return 0;
	}
}

/* Everything from an ethertype on: tags and inserted headers, then the
 * protocol it names. */
static void parse_ethertype(struct pstate *s, uint16_t type, uint32_t off, uint32_t end, unsigned depth)
{
	unsigned tags = 0, inserted = 0;

	for (;;) {
		while (type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200) {
			if (tags == V6S_MAX_VLAN_TAGS) {
				malformed(s, V6S_MALFORMED_VLAN_TOO_DEEP);
				return;
			}
			if (!readable(s, off, 4) || end - off < 4) {
				malformed(s, V6S_MALFORMED_VLAN_TRUNCATED);
				return;
			}
			uint16_t vid = be16(s->f + off) & 0x0fff;
			if (depth == 0 && tags == 0)    /* the tap's own tags, not a tunnelled frame's */
				s->out->vlan_outer = vid;
			else if (depth == 0 && tags == 1)
				s->out->vlan_inner = vid;
			type = be16(s->f + off + 2);
			off += 4;
			tags++;
		}
		if (tags)
			seen(s, V6S_ENCAP_VLAN);

		switch (type) {
		case 0x0800:
			parse_ip(s, off, end, 4, depth);
			return;
		case 0x86dd:
			parse_ip(s, off, end, 6, depth);
			return;
		case 0x8847: case 0x8848:
			parse_mpls(s, off, end, depth);
			return;
		case 0x8864:
			parse_pppoe(s, off, end, depth);
			return;
		case 0x8863:
			other(s, V6S_OTHER_PPPOE_DISCOVERY);
			return;
		case 0x88e7:
			parse_pbb(s, off, end, depth);
			return;
		case 0x0806: case 0x8035:
			other(s, V6S_OTHER_ARP);
			return;
		default:
			break;
		}
		if (type < 0x0600) {
			parse_llc(s, type, off, end, depth);
			return;
		}
		uint32_t hlen = inserted_header(s, type, off);
		if (!hlen || inserted == V6S_MAX_INSERTED) {
			other(s, type == 0x88e5 ? V6S_OTHER_MACSEC : V6S_OTHER_ETHERTYPE);
			return;
		}
		if (!readable(s, off, hlen + 2) || end - off < hlen + 2) {
			malformed(s, V6S_MALFORMED_LINK_TRUNCATED);
			return;
		}
		type = be16(s->f + off + hlen);
		off += hlen + 2;
		inserted++;
	}
}

/* An address family as BSD loopback captures give it: AF_INET is 2
 * everywhere, AF_INET6 differs by system (Linux, NetBSD/OpenBSD, FreeBSD,
 * macOS). 0 when it is neither. */
static unsigned family_version(uint32_t af)
{
	return af == 2 ? 4 : (af == 10 || af == 24 || af == 28 || af == 30) ? 6 : 0;
}

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
}

/* NFLOG (Linux): family, version and resource id, then TLVs (host byte
 * order, each padded to 4 bytes); type 9 holds the IP packet. */
static void parse_nflog(struct pstate *s, uint32_t end)
{
	unsigned want = family_version(s->f[0]);
	uint32_t off = 4;

	while (readable(s, off, 4)) {
		uint32_t len = le16(s->f + off), type = le16(s->f + off + 2) & 0x7fff;
		if (len < 4)
			return;                 /* link_truncated */
		if (type == 9) {                /* the IP packet's own lengths are checked against its end */
			if (!want)
				other(s, V6S_OTHER_LINK_NON_IP);
			else
				parse_ip(s, off + 4, len < end - off ? off + len : end, want, 0);
			return;
		}
		off += (len + 3) & ~3u;
		if (off >= end) {
			other(s, V6S_OTHER_LINK_NON_IP);        /* a log entry without a packet */
			return;
		}
	}
}

/* Link layers without MACs beyond raw IP and cooked captures: loopback,
 * PPP and Cisco HDLC (packet over SONET/SDH backbones), PPPoE without its
 * Ethernet header, NFLOG. A frame too short for its link header stays
 * link_truncated. */
__attribute__((noinline)) static void parse_other_link(struct pstate *s, uint32_t end, enum v6s_link link)
{
	const uint8_t *f = s->f;
	unsigned v;

	switch (link) {
	case V6S_LINK_NULL:
	case V6S_LINK_LOOP:
		if (!readable(s, 0, 4))
			return;
		/* NULL is in the capturing host's byte order: a family is small,
		 * so zero upper bytes mean big-endian */
		v = family_version(link == V6S_LINK_LOOP || (f[0] == 0 && f[1] == 0)
				   ? (uint32_t)f[2] << 8 | f[3] : (uint32_t)f[1] << 8 | f[0]);
		if (!v)
			other(s, V6S_OTHER_LINK_NON_IP);
		else
			parse_ip(s, 4, end, v, 0);
		break;
	case V6S_LINK_PPP:
		if (readable(s, 0, 2) && (f[0] == 0x0f || f[0] == 0x8f) && f[1] == 0x00) {
			if (readable(s, 0, 4))  /* Cisco HDLC in a PPP_SERIAL capture */
				parse_ethertype(s, be16(f + 2), 4, end, 0);
			return;
		}
		parse_ppp(s, 0, end, 0, 1, V6S_MALFORMED_PPP_TRUNCATED);
		break;
	case V6S_LINK_C_HDLC:
		if (readable(s, 0, 4))
			parse_ethertype(s, be16(f + 2), 4, end, 0);
		break;
	case V6S_LINK_PPP_ETHER:
		if (!readable(s, 0, 2))
			return;
		if (f[1] != 0x00)               /* a discovery code: PADI, PADO ... */
			other(s, V6S_OTHER_PPPOE_DISCOVERY);
		else
			parse_pppoe(s, 0, end, 0);
		break;
	case V6S_LINK_NFLOG:
		if (readable(s, 0, 4))
			parse_nflog(s, end);
		break;
	case V6S_LINK_UNSUPPORTED:
		other(s, V6S_OTHER_LINK_UNSUPPORTED);
		break;
	default:
		break;
	}
}

/* A frame from its link layer on: `end` bounds its length fields (the wire
 * length, or END_UNKNOWN when a mirror session cut the frame). */
static void parse_link(const uint8_t *frame, uint32_t cap_len, uint32_t wire_len, uint32_t end,
		       enum v6s_link link, struct v6s_facts *out, unsigned mirrors)
{
	struct pstate s = { .f = frame, .cap = cap_len < wire_len ? cap_len : wire_len, .frag_end = 0,
			    .wire = wire_len, .mirrors = mirrors, .ip_end = 0, .inner_counted = 0, .out = out };
	uint16_t proto;

	out->cls = V6S_CLASS_MALFORMED;
	out->reason = V6S_MALFORMED_LINK_TRUNCATED;
	out->encaps = 0;
	out->tunneled6 = 0;
	out->vlan_outer = V6S_VLAN_NONE;
	out->vlan_inner = V6S_VLAN_NONE;
	out->wire_len = wire_len;
	out->ip_len = 0;
	out->as_idx[0] = out->as_idx[1] = 0;
	out->pfx_idx[0] = out->pfx_idx[1] = 0;
	out->sub_seg[0] = out->sub_seg[1] = 0;
	out->seg = out->dir = 0;
	out->member[0] = out->member[1] = 0;

	switch (link) {
	case V6S_LINK_ETHERNET:
		if (!readable(&s, 0, 14)) {
			memset(out->mac, 0, sizeof(out->mac));
			return;
		}
		memcpy(out->mac, frame, 12);
		parse_ethertype(&s, be16(frame + 12), 14, end, 0);
		break;
	case V6S_LINK_SLL:
	case V6S_LINK_SLL2: {
		memset(out->mac, 0, sizeof(out->mac));
		uint32_t hlen = link == V6S_LINK_SLL ? 16 : 20;
		if (!readable(&s, 0, hlen))
			return;
		proto = be16(frame + (link == V6S_LINK_SLL ? 14 : 0));
		if (proto < 0x0600)
			other(&s, V6S_OTHER_SLL_NON_IP);
		else
			parse_ethertype(&s, proto, hlen, end, 0);
		break;
	}
	case V6S_LINK_RAW:
		memset(out->mac, 0, sizeof(out->mac));
		if (!readable(&s, 0, 1))
			return;
		parse_ip(&s, 0, end, 0, 0);
		break;
	case V6S_LINK_IPV4:
	case V6S_LINK_IPV6:
		memset(out->mac, 0, sizeof(out->mac));
		if (!readable(&s, 0, 1))
			return;
		parse_ip(&s, 0, end, link == V6S_LINK_IPV4 ? 4 : 6, 0);
		break;
	default:
		memset(out->mac, 0, sizeof(out->mac));
		parse_other_link(&s, end, link);
		break;
	}
	/* tunneled6 was set on the way in; it stands only if IPv6 is what we reached */
	if (out->cls != V6S_CLASS_IPV6)
		out->tunneled6 = 0;
	/* A mirror session cut this frame (ERSPAN's T bit): it was as long on the
	 * source port as its outermost IP packet says, as a snap length's cut
	 * keeps the wire length, and that is what counts. */
	if (end == END_UNKNOWN && !s.inner_counted && s.ip_end > wire_len)
		out->wire_len = s.ip_end;
}

void parse_frame(const uint8_t *frame, uint32_t cap_len, uint32_t wire_len,
		 enum v6s_link link, struct v6s_facts *out)
{
	parse_link(frame, cap_len, wire_len, wire_len, link, out, 0);
}
