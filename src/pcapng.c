/* SPDX-License-Identifier: BSD-3-Clause
 * pcapng (draft-ietf-opsawg-pcapng) block by block: section headers (each
 * with its own byte order), interface descriptions (link type, snap length,
 * timestamp resolution and offset), enhanced, simple and obsolete packet
 * blocks. Other blocks (statistics, name resolution, secrets, custom) are
 * skipped. A block that is cut short or whose lengths disagree is an error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "v6share/filemap.h"
#include "v6share/pcapng.h"

#define BT_IDB 0x00000001u
#define BT_OPB 0x00000002u      /* obsolete packet block */
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define MAX_BLOCK (16u << 20)   /* libpcap's bound too */

struct iface {
	int linktype;
	uint32_t snaplen;
	int binary;             /* resolution 2^-res rather than 10^-res */
	unsigned res;
	int64_t offset;         /* seconds added to every timestamp */
	uint32_t fcs;           /* bytes of FCS each packet ends with */
};

struct pcapng_reader {
	FILE *fp;
	int swap;               /* the section's byte order is not this host's */
	struct iface *ifs;
	uint32_t nifs, capifs;
	uint8_t *buf;           /* blocks read with stdio land here */
	size_t cap;
	const uint8_t *blk;     /* the current block, after its type and length: in buf or the mapping */
	struct filemap map;     /* the file mapped, or not (map.base NULL) */
	size_t pos;             /* while mapped: where the next block starts */
	struct pcapng_packet pending;
	int has_pending;
	struct timespec last;   /* simple packet blocks carry no time: the last one seen */
	char err[256];
};

static uint32_t get32(const struct pcapng_reader *r, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct pcapng_reader *r, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return r->swap ? __builtin_bswap16(v) : v;
}

static int fail(struct pcapng_reader *r, const char *what)
{
	snprintf(r->err, sizeof(r->err), "%s", what);
	return -1;
}

static int read_exact(struct pcapng_reader *r, void *dst, size_t n)
{
	if (fread(dst, 1, n, r->fp) == n)
		return 0;
	if (ferror(r->fp))
		snprintf(r->err, sizeof(r->err), "error reading the file: %s", strerror(errno ? errno : EIO));
	else
		snprintf(r->err, sizeof(r->err), "the file ends inside a pcapng block");
	return -1;
}

/* A section header's byte-order magic (at m) sets the byte order. 0, or -1. */
static int byte_order(struct pcapng_reader *r, const uint8_t *m)
{
	uint32_t magic;
	memcpy(&magic, m, 4);
	if (magic == BYTE_ORDER_MAGIC)
		r->swap = 0;
	else if (magic == __builtin_bswap32(BYTE_ORDER_MAGIC))
		r->swap = 1;
	else
		return fail(r, "a section header without the byte-order magic");
	return 0;
}

/* A block's type and length from its first bytes h (a section header's
 * twelve, its byte-order magic included, which sets the byte order), and
 * how many bytes past type and length h holds. 0, or -1 with the error set
 * when the magic is wrong or the length impossible. */
static int block_head(struct pcapng_reader *r, const uint8_t *h, uint32_t *type, uint32_t *len, size_t *have)
{
	*type = get32(r, h);
	*have = 0;
	if (*type == PCAPNG_SHB) {
		if (byte_order(r, h + 8))
			return -1;
		*have = 4;
	}
	*len = get32(r, h + 4);
	if (*len >= 12 + *have && *len % 4 == 0 && *len <= MAX_BLOCK)
		return 0;
	snprintf(r->err, sizeof(r->err), "a block of type 0x%x claims %u bytes", *type, *len);
	return -1;
}

/* The block at r->blk, len bytes in all, ends with its length again: 1,
 * *body its bytes before that; or -1. */
static int ends_well(struct pcapng_reader *r, uint32_t type, uint32_t len, uint32_t *body)
{
	*body = len - 12;
	if (get32(r, r->blk + *body) == len)
		return 1;
	snprintf(r->err, sizeof(r->err), "a block of type 0x%x ends with another length than it starts with", type);
	return -1;
}

/* The next block: its type, and *body bytes after type and length (the
 * trailing length left out) at r->blk. 1 read, 0 clean end, -1 error. */
static int stdio_block(struct pcapng_reader *r, uint32_t *type, uint32_t *body)
{
	uint8_t h[12];
	size_t n = fread(h, 1, 8, r->fp);
	if (n == 0 && !ferror(r->fp))
		return 0;
	if (n < 8) {
		read_exact(r, h + n, 8 - n);    /* says why: a cut file or a read error */
		return -1;
	}
	if (get32(r, h) == PCAPNG_SHB && read_exact(r, h + 8, 4))
		return -1;
	uint32_t len;
	size_t have;
	if (block_head(r, h, type, &len, &have))
		return -1;
	if (len - 8 > r->cap) {
		uint8_t *nb = realloc(r->buf, len);
		if (!nb)
			return fail(r, "out of memory for a block");
		r->buf = nb;
		r->cap = len;
	}
	memcpy(r->buf, h + 8, have);
	if (read_exact(r, r->buf + have, len - 8 - have))
		return -1;
	r->blk = r->buf;
	return ends_well(r, *type, len, body);
}

/* The block at r->pos of the mapped file, as stdio_block reads it, its
 * errors included. -2: the mapping ends before the block and the file has
 * grown since it was mapped: stdio goes on from r->pos. */
static int mapped_block(struct pcapng_reader *r, uint32_t *type, uint32_t *body)
{
	struct filemap *m = &r->map;
	const uint8_t *h = m->base + r->pos;
	size_t end = filemap_reach(m, r->pos, 12);
	size_t avail = end > r->pos ? end - r->pos : 0;

	if (avail == 0 && !m->ioerr)
		return end == m->len && filemap_grew(m) ? -2 : 0;
	if (avail < 8)
		goto cut;               /* or an I/O error there */
	if (get32(r, h) == PCAPNG_SHB && avail < 12)
		goto cut;
	uint32_t len;
	size_t have;
	if (block_head(r, h, type, &len, &have))
		return -1;
	end = filemap_reach(m, r->pos, len);
	avail = end > r->pos ? end - r->pos : 0;
	if (avail < len)
		goto cut;
	r->blk = h + 8;
	r->pos += len;
	return ends_well(r, *type, len, body);
cut:
	if (m->ioerr) {
		snprintf(r->err, sizeof(r->err), "error reading the file: %s", strerror(EIO));
		return -1;
	}
	if (end == m->len && filemap_grew(m))
		return -2;
	return fail(r, "the file ends inside a pcapng block");
}

static int read_block(struct pcapng_reader *r, uint32_t *type, uint32_t *body)
{
	if (r->map.base) {
		int rc = mapped_block(r, type, body);
		if (rc != -2)
			return rc;
		/* the file grew past its mapping: stdio reads on from this block */
		if (fseeko(r->fp, (off_t)r->pos, SEEK_SET)) {
			snprintf(r->err, sizeof(r->err), "error reading the file: %s", strerror(errno));
			return -1;
		}
		filemap_close(&r->map);
	}
	return stdio_block(r, type, body);
}

static int section(struct pcapng_reader *r, uint32_t body)
{
	if (body < 16 || get16(r, r->blk + 4) != 1)
		return fail(r, "a section of an unknown pcapng version");
	r->nifs = 0;                            /* interfaces are numbered per section */
	return 0;
}

static int interface(struct pcapng_reader *r, uint32_t body)
{
	if (body < 8)
		return fail(r, "an interface description block cut short");
	if (r->nifs == r->capifs) {
		uint32_t n = r->capifs ? 2 * r->capifs : 8;
		struct iface *ni = realloc(r->ifs, n * sizeof(*ni));
		if (!ni)
			return fail(r, "out of memory for interfaces");
		r->ifs = ni;
		r->capifs = n;
	}
	struct iface *i = &r->ifs[r->nifs++];
	*i = (struct iface){ .linktype = get16(r, r->blk), .snaplen = get32(r, r->blk + 4), .res = 6 };
	for (uint32_t off = 8; off + 4 <= body;) {   /* options */
		uint16_t code = get16(r, r->blk + off), olen = get16(r, r->blk + off + 2);
		const uint8_t *v = r->blk + off + 4;
		if (code == 0 || off + 4 + olen > body)
			break;
		if (code == 9 && olen >= 1) {           /* if_tsresol */
			i->binary = v[0] >> 7;
			i->res = v[0] & 0x7f;
		} else if (code == 13 && olen >= 1) {   /* if_fcslen: in bits by the
							 * specification, in bytes by some writers */
			i->fcs = v[0] >= 16 && v[0] % 8 == 0 ? v[0] / 8u : v[0];
		} else if (code == 14 && olen >= 8) {   /* if_tsoffset */
			uint64_t o;
			memcpy(&o, v, 8);
			i->offset = (int64_t)(r->swap ? __builtin_bswap64(o) : o);
		}
		off += 4 + ((olen + 3u) & ~3u);
	}
	if ((!i->binary && i->res > 19) || (i->binary && i->res > 63))
		return fail(r, "an interface with a timestamp resolution beyond nanoseconds' range");
	return 0;
}

static struct timespec stamp(const struct iface *i, uint64_t t)
{
	uint64_t sec, ns;
	if (i->binary) {
		sec = i->res ? t >> i->res : t;
		ns = (uint64_t)(((unsigned __int128)(t & ((1ull << i->res) - 1)) * 1000000000u) >> i->res);
	} else {
		uint64_t units = 1;
		for (unsigned k = 0; k < i->res; k++)
			units *= 10;
		sec = t / units;
		ns = (uint64_t)((unsigned __int128)(t % units) * 1000000000u / units);
	}
	return (struct timespec){ .tv_sec = (time_t)(sec + (uint64_t)i->offset), .tv_nsec = (long)ns };
}

/* A packet block into pkt. 1 a packet, 0 not a packet block, -1 error. */
static int packet(struct pcapng_reader *r, uint32_t type, uint32_t body, struct pcapng_packet *pkt)
{
	const uint8_t *b = r->blk;
	uint32_t id, hdr;
	uint64_t t = 0;

	if (type == BT_EPB || type == BT_OPB) {
		if (body < 20)
			return fail(r, "a packet block cut short");
		id = type == BT_EPB ? get32(r, b) : get16(r, b);
		t = (uint64_t)get32(r, b + 4) << 32 | get32(r, b + 8);
		pkt->caplen = get32(r, b + 12);
		pkt->len = get32(r, b + 16);
		hdr = 20;
		if (pkt->caplen > body - hdr)
			return fail(r, "a packet block shorter than its captured length");
	} else if (type == BT_SPB) {
		if (body < 4)
			return fail(r, "a simple packet block cut short");
		id = 0;
		hdr = 4;
		pkt->len = get32(r, b);
		pkt->caplen = pkt->len < body - hdr ? pkt->len : body - hdr;
	} else {
		return 0;
	}
	if (id >= r->nifs) {
		snprintf(r->err, sizeof(r->err), "a packet of interface %u, which the section does not describe", id);
		return -1;
	}
	const struct iface *i = &r->ifs[id];
	if (type == BT_SPB) {
		if (i->snaplen && pkt->caplen > i->snaplen)
			pkt->caplen = i->snaplen;
		pkt->ts = r->last;
	} else {
		pkt->ts = r->last = stamp(i, t);
	}
	pkt->linktype = i->linktype;
	pkt->fcs = i->fcs;
	pkt->interface = id;
	pkt->data = b + hdr;
	return 1;
}

/* Blocks up to the next packet. */
static int next_block(struct pcapng_reader *r, struct pcapng_packet *pkt)
{
	for (;;) {
		uint32_t type, body;
		int rc = read_block(r, &type, &body);
		if (rc <= 0)
			return rc;
		if (type == PCAPNG_SHB)
			rc = section(r, body);
		else if (type == BT_IDB)
			rc = interface(r, body);
		else
			rc = packet(r, type, body, pkt);
		if (rc)
			return rc;
	}
}

struct pcapng_reader *pcapng_open(FILE *fp, char *err, size_t errlen)
{
	struct pcapng_reader *r = calloc(1, sizeof(*r));
	uint32_t type, body;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fp = fp;
	if (fileno(fp) >= 0 && ftello(fp) == 0)
		filemap_open(&r->map, fileno(fp), 0);
	if (read_block(r, &type, &body) != 1 || type != PCAPNG_SHB || section(r, body)) {
		snprintf(err, errlen, "%s", r->err[0] ? r->err : "not a pcapng section header");
		r->fp = NULL;
		pcapng_close(r);
		return NULL;
	}
	return r;
}

int pcapng_next(struct pcapng_reader *r, struct pcapng_packet *pkt)
{
	if (r->has_pending) {
		r->has_pending = 0;
		*pkt = r->pending;
		return 1;
	}
	return next_block(r, pkt);
}

int pcapng_interfaces(struct pcapng_reader *r, int (*fn)(void *arg, uint32_t interface, int linktype), void *arg)
{
	if (!r->has_pending) {
		int rc = next_block(r, &r->pending);
		if (rc < 0)
			return -1;
		r->has_pending = rc == 1;
	}
	for (uint32_t i = 0; i < r->nifs; i++) {
		int rc = fn(arg, i, r->ifs[i].linktype);
		if (rc)
			return rc;
	}
	return 0;
}

const char *pcapng_error(const struct pcapng_reader *r)
{
	return r->err;
}

void pcapng_close(struct pcapng_reader *r)
{
	if (!r)
		return;
	filemap_close(&r->map);
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
	free(r->ifs);
	free(r->buf);
	free(r);
}
