/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "v6share/pcapfile.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22           /* Linux 5.14 */
#endif

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
/* A mapped file is taken in steps: its page tables filled a step ahead of
 * the record being read (prefetches do not fault pages in), its lines
 * prefetched PREFETCH_AHEAD bytes ahead, and its pages dropped from the
 * mapping two steps behind, so the process's resident size stays small. */
#define MAP_STEP ((size_t)8 << 20)
#define PREFETCH_AHEAD 8192u

int pcapfile_map = 1;

struct pcapfile_reader {
	FILE *fp;
	int fd;                 /* fp's: read directly, in the buffer's size, past stdio's own */
	uint8_t *buf;           /* the read buffer, or the mapped file */
	size_t have, off;       /* bytes in buf; where the next record starts */
	int mapped;             /* buf is the file, mapped (map_len bytes) */
	size_t map_len, populated, prefetched, dropped;
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

/* The file mapped, if one is: a file cut short while mapped (a capture
 * rewritten in place) raises SIGBUS at its first page past the new end.
 * The handler maps zero pages over the rest, notes where the file ended,
 * and the reader ends there as at a file's end. One mapping at a time. */
static struct {
	int owned;                      /* a reader has it (atomic) */
	uint8_t *volatile base;
	volatile size_t len;
	volatile size_t cut;            /* the first offset known gone, or SIZE_MAX */
} live_map = { 0, NULL, 0, SIZE_MAX };
static struct sigaction prior_bus;
static size_t page_size;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	uint8_t *a = si->si_addr, *b = live_map.base;
	if (b && a >= b && a < b + live_map.len) {
		uint8_t *pg = (uint8_t *)((uintptr_t)a & ~(uintptr_t)(page_size - 1));
		if (mmap(pg, (size_t)(b + live_map.len - pg), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0) != MAP_FAILED) {
			if ((size_t)(pg - b) < live_map.cut)
				live_map.cut = (size_t)(pg - b);
			return;                 /* the load now reads zeros */
		}
	}
	/* not ours: as if this handler were not there */
	if ((prior_bus.sa_flags & SA_SIGINFO) && prior_bus.sa_sigaction)
		prior_bus.sa_sigaction(sig, si, uc);
	else if (prior_bus.sa_handler != SIG_DFL && prior_bus.sa_handler != SIG_IGN)
		prior_bus.sa_handler(sig);
	else
		signal(SIGBUS, SIG_DFL);        /* the fault repeats and ends the process */
}

/* Map the rest of the file from its header on, if it is a regular file and
 * the mapping is free. Reading goes on with read(2) otherwise. */
static void try_map(struct pcapfile_reader *r, size_t start)
{
	struct stat sb;
	if (!pcapfile_map || fstat(r->fd, &sb) || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size <= start ||
	    (uint64_t)sb.st_size > SIZE_MAX / 2)
		return;
	int free_slot = 0;
	if (!__atomic_compare_exchange_n(&live_map.owned, &free_slot, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	/* installed for each mapping and put back after it: whatever was there
	 * (a test framework's, a library's) stays in charge of other faults */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED || sigaction(SIGBUS, &sa, &prior_bus)) {
		if (m != MAP_FAILED)
			munmap(m, (size_t)sb.st_size);
		__atomic_store_n(&live_map.owned, 0, __ATOMIC_RELEASE);
		return;
	}
	live_map.cut = SIZE_MAX;
	live_map.len = (size_t)sb.st_size;
	live_map.base = m;
	r->mapped = 1;
	r->map_len = (size_t)sb.st_size;
	r->buf = m;
	r->have = r->map_len;
	r->off = start;
	r->populated = r->prefetched = r->dropped = 0;
}

static void unmap(struct pcapfile_reader *r)
{
	live_map.base = NULL;
	sigaction(SIGBUS, &prior_bus, NULL);
	munmap(r->buf, r->map_len);
	r->buf = NULL;
	r->mapped = 0;
	__atomic_store_n(&live_map.owned, 0, __ATOMIC_RELEASE);
}

/* A mapped file that turned out shorter: it ends where it was cut. */
static void note_cut(struct pcapfile_reader *r)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	size_t cut = live_map.cut;
	struct stat sb;
	if (fstat(r->fd, &sb) == 0 && (size_t)sb.st_size < cut)
		cut = (size_t)sb.st_size;
	if (cut < r->have) {
		r->have = cut < r->off ? r->off : cut;
		r->eof = 1;
	}
}

/* Before each record of a mapped file: page tables a step ahead, lines
 * prefetched, pages long read dropped; each step also looks whether the
 * file was cut. */
static void map_ahead(struct pcapfile_reader *r)
{
	if (r->populated < r->off + MAP_STEP && r->populated < r->have) {
		size_t w = r->have - r->populated < MAP_STEP ? r->have - r->populated : MAP_STEP;
		madvise(r->buf + r->populated, w, MADV_POPULATE_READ);   /* a hint: faults do it otherwise */
		r->populated += w;
		if (r->off > r->dropped + 2 * MAP_STEP) {
			size_t end = (r->off - MAP_STEP) & ~(page_size - 1);
			madvise(r->buf + r->dropped, end - r->dropped, MADV_DONTNEED);
			r->dropped = end;
		}
		note_cut(r);
	}
	size_t until = r->off + PREFETCH_AHEAD < r->have ? r->off + PREFETCH_AHEAD : r->have;
	for (; r->prefetched < until; r->prefetched += 64)
		__builtin_prefetch(r->buf + r->prefetched);
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
	note_cut(r);
	if (r->eof) {                           /* what was copied may hold zeros past the cut */
		left = r->have - r->off;
	} else if (lseek(r->fd, (off_t)r->map_len, SEEK_SET) != (off_t)r->map_len) {
		free(b);
		snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(errno));
		return -1;
	}
	unmap(r);
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
	if (r->mapped && leave_map(r))
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
	if (!r || !(r->buf = malloc(BUF_SIZE))) {
		free(r);
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
		free(r->buf);
		free(r);
		return taken_back(fp, err, errlen);
	}
	r->snapshot = get32(r, h + 16);
	if (r->snapshot == 0 || r->snapshot > MAX_SNAPLEN)
		r->snapshot = MAX_SNAPLEN;      /* as pcap_adjust_snapshot */
	r->fp = fp;
	r->fd = fd;
	if (lseek(r->fd, (off_t)sizeof(h), SEEK_SET) != (off_t)sizeof(h)) {
		free(r->buf);
		free(r);
		return taken_back(fp, err, errlen);
	}
	uint8_t *buf = r->buf;
	try_map(r, sizeof(h));
	if (r->mapped)
		free(buf);
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
	if (r->mapped) {
		map_ahead(r);
		if (r->have - r->off >= 16) {
			/* Was the file cut before this record's end? Its last page
			 * reads zeros past the new end without a fault, but the page
			 * after it faults (and reads zeros from then on). In the
			 * mapping's last page, ask the file's size instead. */
			uint32_t caplen = get32(r, r->buf + r->off + 8);
			size_t end = r->off + 16 + (caplen <= MAX_SNAPLEN ? caplen : 0);
			size_t next_page = ((end - 1) | (page_size - 1)) + 1;
			if (next_page < r->have)
				(void)*(volatile const uint8_t *)(r->buf + next_page);
			else
				note_cut(r);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			if (live_map.cut != SIZE_MAX)
				note_cut(r);
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
	if (r->mapped)
		unmap(r);
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
	free(r->buf);
	free(r);
}
