/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "pktbuild.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

void pb_init(struct pb *b, size_t payload_len, uint8_t fill)
{
	b->head = PB_HEADROOM;
	b->len = payload_len;
	memset(b->buf + b->head, fill, payload_len);
}

uint8_t *pb_data(struct pb *b) { return b->buf + b->head; }

uint8_t *pb_push(struct pb *b, size_t n)
{
	b->head -= n;
	b->len += n;
	return b->buf + b->head;
}

void pb_ipv4(struct pb *b, uint8_t proto, uint32_t src, uint32_t dst)
{
	uint8_t *h = pb_push(b, 20);
	memset(h, 0, 20);
	h[0] = 0x45;
	put16(h + 2, (uint16_t)b->len);
	put16(h + 4, 0x1234);
	h[8] = 64;
	h[9] = proto;
	put32(h + 12, src);
	put32(h + 16, dst);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(h + 10, (uint16_t)~sum);
}

void pb_ipv6(struct pb *b, uint8_t nh, const uint8_t src[16], const uint8_t dst[16])
{
	uint16_t plen = (uint16_t)b->len;
	uint8_t *h = pb_push(b, 40);
	memset(h, 0, 40);
	h[0] = 0x60;
	put16(h + 4, plen);
	h[6] = nh;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

void pb_ipv6_ext(struct pb *b, uint8_t nh, unsigned len8)
{
	size_t n = 8 * (len8 + 1);
	uint8_t *h = pb_push(b, n);
	memset(h, 0, n);
	h[0] = nh;
	h[1] = (uint8_t)len8;
	h[2] = 1;               /* PadN option filling the rest */
	h[3] = (uint8_t)(n - 4);
}

void pb_ipv6_frag(struct pb *b, uint8_t nh, unsigned offset8, int more)
{
	uint8_t *h = pb_push(b, 8);
	memset(h, 0, 8);
	h[0] = nh;
	put16(h + 2, (uint16_t)(offset8 << 3 | (more ? 1 : 0)));
	put32(h + 4, 0xabcdef01);
}

void pb_udp(struct pb *b, uint16_t sport, uint16_t dport)
{
	uint8_t *h = pb_push(b, 8);
	put16(h, sport);
	put16(h + 2, dport);
	put16(h + 4, (uint16_t)b->len);
	put16(h + 6, 0);
}

void pb_gtpu(struct pb *b, uint8_t type, uint32_t teid, int seq, unsigned n_ext, uint8_t ext_type)
{
	/* extensions inside out: the last one says "no next extension" */
	for (unsigned i = 0; i < n_ext; i++) {
		uint8_t *e = pb_push(b, 4);
		e[0] = 1;                       /* one 4-byte word */
		e[1] = 0x01;                    /* PDU type / QFI bits, opaque here */
		e[2] = 0x09;
		e[3] = i == 0 ? 0 : ext_type;
	}
	if (seq || n_ext) {
		uint8_t *o = pb_push(b, 4);
		put16(o, 0x0042);
		o[2] = 0;
		o[3] = n_ext ? ext_type : 0;
	}
	uint16_t glen = (uint16_t)b->len;
	uint8_t *h = pb_push(b, 8);
	h[0] = (uint8_t)(0x30 | (seq ? 0x02 : 0) | (n_ext ? 0x04 : 0));
	h[1] = type;
	put16(h + 2, glen);
	put32(h + 4, teid);
}

void pb_teredo(struct pb *b, int auth, int origin)
{
	if (origin) {
		uint8_t *o = pb_push(b, 8);
		memset(o, 0, 8);
		put16(o + 2, 0x1234 ^ 0xffff);
		put32(o + 4, 0xc0000201 ^ 0xffffffff);
	}
	if (auth) {                             /* 3-byte client id, 2-byte auth value */
		uint8_t *a = pb_push(b, 4 + 3 + 2 + 8 + 1);
		memset(a, 0x5a, 4 + 3 + 2 + 8 + 1);
		put16(a, 0x0001);
		a[2] = 3;
		a[3] = 2;
	}
}

void pb_gre(struct pb *b, uint16_t proto, int key, int seq)
{
	if (seq)
		put32(pb_push(b, 4), 7);
	if (key)
		put32(pb_push(b, 4), 0x1000);
	uint8_t *h = pb_push(b, 4);
	put16(h, (uint16_t)((key ? 0x2000 : 0) | (seq ? 0x1000 : 0)));
	put16(h + 2, proto);
}

void pb_erspan2(struct pb *b, uint16_t vlan, unsigned en, int cut, uint16_t session)
{
	uint8_t *h = pb_push(b, 8);
	put16(h, (uint16_t)(0x1000 | (vlan & 0x0fff)));                 /* version 1 */
	put16(h + 2, (uint16_t)((en & 3) << 11 | (cut ? 1u << 10 : 0) | (session & 0x3ff)));
	put32(h + 4, 0x00000007);                                       /* index */
}

void pb_erspan3(struct pb *b, uint16_t vlan, int cut, unsigned ft, int sub, uint16_t session)
{
	if (sub) {
		uint8_t *p = pb_push(b, 8);
		put32(p, 0x0c000000);                                   /* platform 3 */
		put32(p + 4, 0x00001234);
	}
	uint8_t *h = pb_push(b, 12);
	put16(h, (uint16_t)(0x2000 | (vlan & 0x0fff)));                 /* version 2 */
	put16(h + 2, (uint16_t)((cut ? 1u << 10 : 0) | (session & 0x3ff)));
	put32(h + 4, 0x5f5e1000);                                       /* timestamp */
	put16(h + 8, 0);                                                /* SGT */
	put16(h + 10, (uint16_t)((ft & 0x1f) << 10 | 0x0010 | (sub ? 1 : 0)));   /* hardware 1, O */
}

void pb_pppoe(struct pb *b, uint16_t ppp_proto)
{
	put16(pb_push(b, 2), ppp_proto);
	uint16_t len = (uint16_t)b->len;
	uint8_t *h = pb_push(b, 6);
	h[0] = 0x11;
	h[1] = 0x00;
	put16(h + 2, 0x0b0e);
	put16(h + 4, len);
}

void pb_ppp(struct pb *b, uint16_t proto, int hdlc)
{
	put16(pb_push(b, 2), proto);
	if (hdlc)
		put16(pb_push(b, 2), 0xff03);
}

void pb_l2tp(struct pb *b, int len, int seq, int pad)
{
	if (pad >= 0) {
		memset(pb_push(b, (size_t)pad), 0, (size_t)pad);
		put16(pb_push(b, 2), (uint16_t)pad);
	}
	if (seq) {
		uint8_t *n = pb_push(b, 4);
		put16(n, 5);
		put16(n + 2, 9);
	}
	uint8_t *ids = pb_push(b, 4);
	put16(ids, 0x1a2b);                     /* tunnel */
	put16(ids + 2, 0x0c0d);                 /* session */
	if (len) {
		uint16_t total = (uint16_t)(b->len + 4);        /* this field and the flags too */
		put16(pb_push(b, 2), total);
	}
	uint8_t *h = pb_push(b, 2);
	h[0] = (uint8_t)((len ? 0x40 : 0) | (seq ? 0x08 : 0) | (pad >= 0 ? 0x02 : 0));
	h[1] = 0x02;                            /* version 2 */
}

void pb_l2tp_control(struct pb *b)
{
	uint8_t *avp = pb_push(b, 8);           /* Message Type AVP: Hello */
	put16(avp, 0x8008);
	put16(avp + 2, 0);
	put16(avp + 4, 0);
	put16(avp + 6, 6);
	uint8_t *h = pb_push(b, 12);
	put16(h, 0xc802);                       /* T, L, S, version 2 */
	put16(h + 2, (uint16_t)b->len);
	put16(h + 4, 0x1a2b);
	put16(h + 6, 0);
	put16(h + 8, 3);
	put16(h + 10, 4);
}

void pb_gre_pptp(struct pb *b, int seq, int ack)
{
	uint16_t plen = (uint16_t)b->len;
	if (ack)
		put32(pb_push(b, 4), 11);
	if (seq)
		put32(pb_push(b, 4), 12);
	uint8_t *h = pb_push(b, 8);
	put16(h, (uint16_t)(0x2001 | (seq ? 0x1000 : 0) | (ack ? 0x0080 : 0)));
	put16(h + 2, 0x880b);
	put16(h + 4, plen);
	put16(h + 6, 0x4242);                   /* call id */
}

void pb_geneve(struct pb *b, uint16_t proto, unsigned opt_words)
{
	uint8_t *o = pb_push(b, 4u * opt_words);
	memset(o, 0, 4u * opt_words);
	if (opt_words) {                        /* one option filling them */
		put16(o, 0x0102);
		o[2] = 0x80;
		o[3] = (uint8_t)(opt_words - 1);
	}
	uint8_t *h = pb_push(b, 8);
	h[0] = (uint8_t)(opt_words & 0x3f);
	h[1] = 0;
	put16(h + 2, proto);
	put32(h + 4, 0x00abcd00);               /* VNI */
}

void pb_pbb(struct pb *b, uint16_t ethertype, uint32_t isid)
{
	put16(pb_push(b, 2), ethertype);
	memcpy(pb_push(b, 12), "\x02\x00\x00\x00\xc0\x01\x02\x00\x00\x00\xc0\x02", 12);
	put32(pb_push(b, 4), isid & 0x00ffffff);
}

void pb_mpls(struct pb *b, unsigned labels)
{
	for (unsigned i = 0; i < labels; i++) {
		uint8_t *l = pb_push(b, 4);
		uint32_t label = 16 + 1000 * i;
		put32(l, label << 12 | (i == 0 ? 0x100u : 0) | 64);
	}
}

void pb_eth(struct pb *b, uint16_t ethertype, unsigned ntags, const uint16_t *tpids, const uint16_t *vids)
{
	static const uint8_t dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	put16(pb_push(b, 2), ethertype);
	/* innermost tag first, so tags[0] ends up right after the MACs */
	for (unsigned i = ntags; i-- > 0;) {
		uint8_t *t = pb_push(b, 4);
		put16(t, tpids[i]);
		put16(t + 2, vids[i]);
	}
	uint8_t *m = pb_push(b, 12);
	memcpy(m, dst, 6);
	memcpy(m + 6, src, 6);
	while (b->len < 60)
		b->buf[b->head + b->len++] = 0;
}

uint64_t pb_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}
