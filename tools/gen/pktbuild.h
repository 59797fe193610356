/* SPDX-License-Identifier: BSD-3-Clause
 * Frame builder for the generator, unit tests and benchmarks. Frames are
 * built inside out: start with a payload, then wrap each layer around it, so
 * every length field is computed from what it really encloses.
 */
#ifndef V6SHARE_PKTBUILD_H
#define V6SHARE_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#define PB_HEADROOM 1024
#define PB_SIZE     (PB_HEADROOM + 16384)

struct pb {
	uint8_t buf[PB_SIZE];
	size_t head;   /* first byte of the frame */
	size_t len;    /* bytes from head */
};

void pb_init(struct pb *b, size_t payload_len, uint8_t fill);
uint8_t *pb_data(struct pb *b);
uint8_t *pb_push(struct pb *b, size_t n);    /* room for n bytes in front */

void pb_ipv4(struct pb *b, uint8_t proto, uint32_t src, uint32_t dst);   /* host order */
void pb_ipv6(struct pb *b, uint8_t nh, const uint8_t src[16], const uint8_t dst[16]);
void pb_ipv6_ext(struct pb *b, uint8_t nh, unsigned len8);  /* generic ext header, len in 8-byte units minus 1 */
void pb_ipv6_frag(struct pb *b, uint8_t nh, unsigned offset8, int more);
void pb_udp(struct pb *b, uint16_t sport, uint16_t dport);
/* GTP-U: type 255 = G-PDU. seq adds the 4 optional bytes; each ext is
 * ext_words 4-byte words (first ext type ext_type, e.g. 0x85). */
void pb_gtpu(struct pb *b, uint8_t type, uint32_t teid, int seq, unsigned n_ext, uint8_t ext_type);
void pb_teredo(struct pb *b, int auth, int origin);
void pb_gre(struct pb *b, uint16_t proto, int key, int seq);
/* ERSPAN headers (put under pb_gre with 0x88be and a sequence number, or
 * 0x22eb): type II with its encapsulation type `en`, type III with its
 * frame type `ft` (0 Ethernet, 2 IP) and an 8-byte platform subheader when
 * `sub`. `cut` sets the T bit (the session truncated the frame). */
void pb_erspan2(struct pb *b, uint16_t vlan, unsigned en, int cut, uint16_t session);
void pb_erspan3(struct pb *b, uint16_t vlan, int cut, unsigned ft, int sub, uint16_t session);
void pb_pppoe(struct pb *b, uint16_t ppp_proto);
/* A PPP protocol field, after the HDLC address and control bytes (ff 03) when `hdlc`. */
void pb_ppp(struct pb *b, uint16_t proto, int hdlc);
/* L2TPv2 data message: the length field when `len`, Ns/Nr when `seq`, an
 * offset field with `pad` bytes of padding when pad >= 0. */
void pb_l2tp(struct pb *b, int len, int seq, int pad);
void pb_l2tp_control(struct pb *b);     /* a control message (T, L, S set), 8 bytes of AVPs */
/* Enhanced GRE (version 1, PPTP) carrying PPP: sequence number when `seq`. */
void pb_gre_pptp(struct pb *b, int seq, int ack);
/* Geneve with opt_words 4-byte words of options. */
void pb_geneve(struct pb *b, uint16_t proto, unsigned opt_words);
/* 802.1ah: an I-tag and the customer's MACs in front of an ethertype. */
void pb_pbb(struct pb *b, uint16_t ethertype, uint32_t isid);
void pb_mpls(struct pb *b, unsigned labels);    /* innermost label has bottom of stack */
/* Ethernet with tags[0] outermost; each tag a (tpid, vid) pair; pads to 60 bytes. */
void pb_eth(struct pb *b, uint16_t ethertype, unsigned ntags, const uint16_t *tpids, const uint16_t *vids);

/* Deterministic random numbers (xorshift64*). */
uint64_t pb_rand(uint64_t *state);

#endif
