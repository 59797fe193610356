/* SPDX-License-Identifier: BSD-3-Clause
 * Packet parser: frame bytes in, packet facts out. No DPDK types here, so
 * unit tests, the fuzzer, the pcap source and the DPDK workers share it.
 */
#ifndef V6SHARE_PARSE_H
#define V6SHARE_PARSE_H

#include <stdint.h>

/* Link layers a frame may start with (pcap link types map onto these). */
enum v6s_link {
	V6S_LINK_ETHERNET,
	V6S_LINK_RAW,   /* bare IP, version from the first nibble */
	V6S_LINK_IPV4,  /* bare IPv4 only */
	V6S_LINK_IPV6,  /* bare IPv6 only */
	V6S_LINK_SLL,   /* Linux cooked capture v1 */
	V6S_LINK_SLL2,  /* Linux cooked capture v2 */
	V6S_LINK_NULL,  /* BSD loopback: address family, capturing host's byte order */
	V6S_LINK_LOOP,  /* OpenBSD loopback: address family, network byte order */
	V6S_LINK_PPP,   /* PPP, with or without the HDLC address and control bytes
			 * (also PPP_SERIAL, which may hold Cisco HDLC frames) */
	V6S_LINK_C_HDLC,        /* Cisco HDLC (packet over SONET/SDH): an ethertype */
	V6S_LINK_PPP_ETHER,     /* PPPoE without its Ethernet header */
	V6S_LINK_NFLOG, /* Linux NFLOG: a family byte, then TLVs, one holding the IP packet */
	V6S_LINK_UNSUPPORTED,   /* a pcapng interface of a link type not decoded here: other */
	V6S_LINK_COUNT
};

/* What a frame counts as: the version of the user (innermost) IP packet. */
enum v6s_class {
	V6S_CLASS_IPV4,
	V6S_CLASS_IPV6,
	V6S_CLASS_OTHER,
	V6S_CLASS_MALFORMED,
	V6S_CLASS_COUNT
};

/* Layers a frame was seen through; one bit each, a frame counts once per layer. */
#define V6S_ENCAPS(X) \
	X(VLAN,   "vlan")   \
	X(MPLS,   "mpls")   \
	X(PPPOE,  "pppoe")  \
	X(GTPU,   "gtpu")   \
	X(6IN4,   "6in4")   \
	X(TEREDO, "teredo") \
	X(IPIP,   "ipip")   \
	X(GRE,    "gre")    \
	X(VXLAN,  "vxlan")  \
	X(ERSPAN, "erspan") /* the tap's own transport: the mirrored frame is what counts */ \
	X(L2TP,   "l2tp")   /* L2TPv2 data messages: PPP from a LAC to an LNS */ \
	X(GENEVE, "geneve") \
	X(PBB,    "pbb")    /* 802.1ah provider backbone bridging (MAC-in-MAC) */

enum v6s_encap {
#define X(id, name) V6S_ENCAP_##id,
	V6S_ENCAPS(X)
#undef X
	V6S_ENCAP_COUNT
};

/* Why a frame is neither IPv4 nor IPv6 although it is well formed. */
#define V6S_OTHER_REASONS(X)                                             \
	X(ARP,              "arp")              /* ARP / RARP */           \
	X(LLC,              "llc")              /* 802.3 length field: STP, CDP ... */ \
	X(ETHERTYPE,        "ethertype")        /* any other ethertype */  \
	X(MPLS_NON_IP,      "mpls_non_ip")      /* control word, Ethernet over MPLS */ \
	X(PPPOE_DISCOVERY,  "pppoe_discovery")  \
	X(PPP_NON_IP,       "ppp_non_ip")       /* LCP, IPCP, IPV6CP ... */ \
	X(GTPU_NON_IP,      "gtpu_non_ip")      /* Ethernet / unstructured PDU session */ \
	X(GRE_NON_IP,       "gre_non_ip")       \
	X(SLL_NON_IP,       "sll_non_ip")       /* cooked capture of a non-Ethernet protocol */ \
	X(LINK_NON_IP,      "link_non_ip")      /* loopback or NFLOG link of another family */ \
	X(LINK_UNSUPPORTED, "link_unsupported") /* from a pcapng interface whose link is not decoded */ \
	X(GENEVE_NON_IP,    "geneve_non_ip")    \
	X(MACSEC,           "macsec")           /* 802.1AE: encrypted on the link, cannot be seen into */

enum v6s_other_reason {
#define X(id, name) V6S_OTHER_##id,
	V6S_OTHER_REASONS(X)
#undef X
	V6S_OTHER_COUNT
};

/* Why a frame is malformed: a header needed to reach the user IP header is
 * truncated or invalid. */
#define V6S_MALFORMED_REASONS(X)                                          \
	X(LINK_TRUNCATED,      "link_truncated")      /* Ethernet / cooked header */ \
	X(VLAN_TRUNCATED,      "vlan_truncated")      /* tag stack ends past the frame */ \
	X(VLAN_TOO_DEEP,       "vlan_too_deep")       \
	X(MPLS_TRUNCATED,      "mpls_truncated")      /* no bottom of stack in the frame */ \
	X(PPPOE_TRUNCATED,     "pppoe_truncated")     \
	X(PPPOE_BAD_LENGTH,    "pppoe_bad_length")    \
	X(VERSION_MISMATCH,    "version_mismatch")    /* IP version vs ethertype / PPP protocol */ \
	X(IPV4_TRUNCATED,      "ipv4_truncated")      \
	X(IPV4_BAD_IHL,        "ipv4_bad_ihl")        \
	X(IPV4_BAD_LENGTH,     "ipv4_bad_length")     \
	X(IPV6_TRUNCATED,      "ipv6_truncated")      \
	X(IPV6_BAD_LENGTH,     "ipv6_bad_length")     \
	X(IPV6_EXT_TRUNCATED,  "ipv6_ext_truncated")  \
	X(UDP_TRUNCATED,       "udp_truncated")       \
	X(UDP_BAD_LENGTH,      "udp_bad_length")      \
	X(GTPU_TRUNCATED,      "gtpu_truncated")      \
	X(GTPU_EXT_TRUNCATED,  "gtpu_ext_truncated")  \
	X(GTPU_BAD_LENGTH,     "gtpu_bad_length")     \
	X(GTPU_EMPTY,          "gtpu_empty")          \
	X(TEREDO_TRUNCATED,    "teredo_truncated")    \
	X(VXLAN_TRUNCATED,     "vxlan_truncated")     \
	X(GRE_TRUNCATED,       "gre_truncated")       \
	X(ERSPAN_TRUNCATED,    "erspan_truncated")    \
	X(L2TP_TRUNCATED,      "l2tp_truncated")      /* header, length or PPP field cut short */ \
	X(GENEVE_TRUNCATED,    "geneve_truncated")    \
	X(PBB_TRUNCATED,       "pbb_truncated")       \
	X(PPP_TRUNCATED,       "ppp_truncated")       /* PPP link or PPTP: protocol field cut short */ \
	X(TUNNEL_TOO_DEEP,     "tunnel_too_deep")

enum v6s_malformed_reason {
#define X(id, name) V6S_MALFORMED_##id,
	V6S_MALFORMED_REASONS(X)
#undef X
	V6S_MALFORMED_COUNT
};

/* Bounds on nesting, so a hostile frame cannot make the parser loop long. */
#define V6S_MAX_VLAN_TAGS   8
#define V6S_MAX_IP_LAYERS   4   /* outer IP plus three tunnels */
#define V6S_MAX_MIRRORS     2   /* ERSPAN carrying a mirror of ERSPAN */
#define V6S_MAX_INSERTED    4   /* switch headers between the MACs and the ethertype (VN-Tag, E-Tag, CMD, Arista) */

#define V6S_VLAN_NONE 0xffff

/* Everything later stages need to know about one frame. Addresses are
 * copied out so the frame buffer may be reused as soon as parsing returns. */
struct v6s_facts {
	uint8_t  cls;        /* enum v6s_class */
	uint8_t  reason;     /* enum v6s_other_reason / v6s_malformed_reason */
	uint16_t encaps;     /* bit (1 << enum v6s_encap) per layer seen through */
	uint8_t  tunneled6;  /* user IPv6 carried in IPv4 by 6in4 or Teredo */
	uint16_t vlan_outer; /* VLAN IDs of the outermost two tags, or V6S_VLAN_NONE */
	uint16_t vlan_inner;
	uint32_t wire_len;   /* frame length on the wire */
	uint32_t ip_len;     /* user IP packet length from its own header */
	union {              /* user IP source and destination, network order */
		uint8_t  v6[2][16];
		uint32_t v4[2];
	} addr;
	/* filled by the attribution stage (attr.h), 0 = none; [0] source, [1] destination */
	uint32_t as_idx[2];
	uint32_t pfx_idx[2];
	uint8_t sub_seg[2];  /* segment whose subscriber prefixes hold the address, + 1; 0 = none */
	uint8_t port;        /* set by the source: index of the port in the config */
	uint8_t seg, dir;    /* set by the segment stage (segment.h) */
	uint8_t mac[2][6];   /* Ethernet destination and source (zero when the link has none) */
	uint16_t member[2];  /* IXP member owning mac[0] / mac[1], 0 = none (segment.h) */
};

/* How many frames ahead of the one being parsed a worker prefetches (two
 * lines each: tags, MPLS stacks and tunnels put the user header past the
 * first). Prefetching a whole burst first and parsing it after stalled on
 * the full line-fill buffers; a window keeps parsing beside the fetches
 * (the real table's random path: 67-69 ns against 71-74 ns a packet). */
#define V6S_PREFETCH_AHEAD 8

/* Parse one frame. cap_len bytes are readable at frame; wire_len is the
 * frame's length on the wire (>= cap_len, larger when a snap length cut it).
 * Never reads past frame + cap_len. Always fills out. */
void parse_frame(const uint8_t *frame, uint32_t cap_len, uint32_t wire_len,
		 enum v6s_link link, struct v6s_facts *out);

/* Names for JSON and documentation; index by the enums above. */
extern const char *const v6s_class_names[V6S_CLASS_COUNT];
extern const char *const v6s_encap_names[V6S_ENCAP_COUNT];
extern const char *const v6s_other_names[V6S_OTHER_COUNT];
extern const char *const v6s_malformed_names[V6S_MALFORMED_COUNT];

#endif
