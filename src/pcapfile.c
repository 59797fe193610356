/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "v6share/filemap.h"
#include "v6share/pcapfile.h"

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
#define LINKTYPE_NFLOG 239
/* libpcap's largest sane record (max_snaplen_for_dlt) for every link type
 * v6share decodes; a longer one is an error there, and here */
#define MAX_SNAPLEN 262144u
#define CHUNK ((size_t)1 << 20)
/* room for two chunks and one whole record, read with read(2) itself:
 * through fread, what does not fill whole stdio buffers is copied twice */
#define BUF_SIZE (2 * CHUNK + 16 + MAX_SNAPLEN)

struct pcapfile_reader {
	FILE *fp;
	int fd;                 /* fp's: read directly, in the buffer's size, past stdio's own */
	uint8_t *buf;           /* the read buffer, or the mapped file */
	size_t have, off;       /* bytes in buf (or the mapping); where the next record starts */
	struct filemap map;
	int swapped, nsec, eof;
	int linktype;
	uint32_t ext;
	uint32_t snapshot;
	char err[256];
};

static uint32_t get32(const struct pcapfile_reader *r, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(int swapped, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return swapped ? __builtin_bswap16(v) : v;
}

/* The mapping ends before a record does: the file grew since it was
 * mapped, or it ends in a cut record. Reading goes on with read(2) from
 * the end of the mapping, the record's start carried over. */
static int leave_map(struct pcapfile_reader *r)
{
	uint8_t *b = malloc(BUF_SIZE);
	if (!b) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -1;
	}
	size_t left = r->have - r->off;
	memcpy(b, r->buf + r->off, left);
	size_t end = filemap_end(&r->map);      /* what was copied may hold zeros past a cut */
	if (r->map.ioerr) {
		free(b);
		snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(EIO));
		return -1;
	}
	if (end < r->map.len) {
		left = end > r->off ? end - r->off : 0;
		r->eof = 1;
	} else if (lseek(r->fd, (off_t)r->map.len, SEEK_SET) != (off_t)r->map.len) {
		free(b);
		snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(errno));
		return -1;
	}
	filemap_close(&r->map);
	r->buf = b;
	r->have = left;
	r->off = 0;
	return 0;
}

/* Make want bytes from off on readable, or all that is left of the file. */
static int fill(struct pcapfile_reader *r, size_t want)
{
	if (r->have - r->off >= want || r->eof)
		return 0;
	if (r->map.base && leave_map(r))
		return -1;
	if (r->have - r->off >= want || r->eof)
		return 0;
	memmove(r->buf, r->buf + r->off, r->have - r->off);
	r->have -= r->off;
	r->off = 0;
	while (r->have < want && !r->eof) {
		ssize_t got = read(r->fd, r->buf + r->have, BUF_SIZE - r->have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(errno));
			return -1;
		}
		r->have += (size_t)got;
		r->eof = got == 0;
	}
	return 0;
}

static int taken_back(FILE *fp, char *err, size_t errlen)
{
	clearerr(fp);
	if (fseek(fp, 0, SEEK_SET) == 0)
		return 0;
	snprintf(err, errlen, "cannot seek back to the start: %s", strerror(errno));
	return -1;
}

int pcapfile_open(FILE *fp, int (*accept)(int linktype), struct pcapfile_reader **out, char *err, size_t errlen)
{
	uint8_t h[24];
	*out = NULL;
	int fd = fileno(fp);
	if (fd < 0 || lseek(fd, 0, SEEK_CUR) < 0)
		return 0;                       /* a decoder's stream, a pipe: not ours */
	if (fread(h, 1, sizeof(h), fp) != sizeof(h))
		return taken_back(fp, err, errlen);     /* libpcap names what is wrong */
	uint32_t magic;
	int swapped = 0;
	memcpy(&magic, h, 4);
	if (magic != MAGIC_USEC && magic != MAGIC_NSEC) {
		magic = __builtin_bswap32(magic);
		if (magic != MAGIC_USEC && magic != MAGIC_NSEC)
			return taken_back(fp, err, errlen);
		swapped = 1;
	}
	/* 2.4 only: earlier versions may have the lengths the other way round */
	if (get16(swapped, h + 4) != 2 || get16(swapped, h + 6) != 4)
		return taken_back(fp, err, errlen);
	struct pcapfile_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->swapped = swapped;
	r->nsec = magic == MAGIC_NSEC;
	uint32_t lt = get32(r, h + 20);
	r->linktype = (int)(lt & 0x03FFFFFFu);
	r->ext = lt & 0xFC000000u;
	/* libpcap turns NFLOG's host-order headers round in a swapped file */
	if (!accept(r->linktype) || (swapped && r->linktype == LINKTYPE_NFLOG)) {
		free(r);
		return taken_back(fp, err, errlen);
	}
	r->snapshot = get32(r, h + 16);
	if (r->snapshot == 0 || r->snapshot > MAX_SNAPLEN)
		r->snapshot = MAX_SNAPLEN;      /* as pcap_adjust_snapshot */
	r->fp = fp;
	r->fd = fd;
	if (lseek(r->fd, (off_t)sizeof(h), SEEK_SET) != (off_t)sizeof(h)) {
		free(r);
		return taken_back(fp, err, errlen);
	}
	if (filemap_open(&r->map, fd, sizeof(h))) {
		r->buf = (uint8_t *)(uintptr_t)r->map.base;     /* read only */
		r->have = r->map.len;
		r->off = sizeof(h);
	} else if (!(r->buf = malloc(BUF_SIZE))) {      /* read with read(2) */
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = r;
	return 1;
}

int pcapfile_linktype(const struct pcapfile_reader *r)
{
	return r->linktype;
}

uint32_t pcapfile_linktype_ext(const struct pcapfile_reader *r)
{
	return r->ext;
}

int pcapfile_next(struct pcapfile_reader *r, struct pcapfile_packet *pkt)
{
	if (r->map.base) {
		/* the record's length is read first (past a cut, as 0), then its
		 * whole extent checked: where the file was cut, it ends; where a
		 * page could not be read, reading fails */
		size_t n = 16;
		if (r->have - r->off >= 16) {
			uint32_t caplen = get32(r, r->buf + r->off + 8);
			n += caplen <= MAX_SNAPLEN ? caplen : 0;
		}
		if (!r->eof) {
			size_t end = filemap_reach(&r->map, r->off, n);
			if (end < r->map.len) {
				r->have = end > r->off ? end : r->off;
				r->eof = 1;
			}
		}
		if (r->map.ioerr && r->have - r->off < n) {
			snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(EIO));
			return -1;
		}
	}
	if (fill(r, 16))
		return -1;
	size_t left = r->have - r->off;
	if (left == 0)
		return 0;
	if (left < 16) {
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read 16 header bytes, only got %zu", left);
		return -1;
	}
	const uint8_t *h = r->buf + r->off;
	uint32_t caplen = get32(r, h + 8);
	if (caplen > MAX_SNAPLEN) {
		if (caplen > r->snapshot)
			snprintf(r->err, sizeof(r->err), "invalid packet capture length %u, bigger than snaplen of %d",
				 caplen, (int)r->snapshot);
		else
			snprintf(r->err, sizeof(r->err), "invalid packet capture length %u, bigger than maximum of %u",
				 caplen, MAX_SNAPLEN);
		return -1;
	}
	if (fill(r, 16 + (size_t)caplen))
		return -1;
	h = r->buf + r->off;
	size_t got = r->have - r->off - 16;
	/* a record longer than the snapshot length is cut to it, as libpcap does */
	if (caplen > r->snapshot && got < r->snapshot) {
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read %d captured bytes, only got %zu",
			 (int)r->snapshot, got);
		return -1;
	}
	if (got < caplen) {
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read %u captured bytes, only got %zu",
			 caplen, got);
		return -1;
	}
	int32_t sec = (int32_t)get32(r, h), frac = (int32_t)get32(r, h + 4);
	pkt->ts.tv_sec = (time_t)sec;
	pkt->ts.tv_nsec = r->nsec ? (long)frac : (long)frac * 1000;
	pkt->caplen = caplen > r->snapshot ? r->snapshot : caplen;
	pkt->len = get32(r, h + 12);
	pkt->data = h + 16;
	r->off += 16 + (size_t)caplen;
	return 1;
}

const char *pcapfile_error(const struct pcapfile_reader *r)
{
	return r->err;
}

void pcapfile_close(struct pcapfile_reader *r)
{
	if (!r)
		return;
	if (r->map.base) {
		filemap_close(&r->map);
		r->buf = NULL;
	}
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
	free(r->buf);
	free(r);
}
