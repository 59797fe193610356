/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#if defined(__x86_64__) || defined(__i386__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "v6share/capture_file.h"
#include "v6share/counters.h"
#include "v6share/memory.h"
#include "v6share/pcapfile.h"
#include "v6share/pcapng.h"
#include "v6share/source_pcap.h"

#define BURST V6S_ATTR_MAX_BURST  /* a file always has the next packets ready */
#define PROGRESS_EVERY (1u << 16)   /* packets between clock reads */
#define BACKLOG_MAX (1u << 21)      /* parsed packets held while counting cannot start yet */
#define HELPER_MIN 4096u            /* a backlog worth a second counting thread (~0.3 ms of work) */
_Static_assert(BACKLOG_MAX % BURST == 0, "the backlog fills up on a burst boundary");

int source_pcap_link(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:      return V6S_LINK_ETHERNET;
	case DLT_RAW:         return V6S_LINK_RAW;
#ifdef DLT_IPV4
	case DLT_IPV4:        return V6S_LINK_IPV4;
#endif
#ifdef DLT_IPV6
	case DLT_IPV6:        return V6S_LINK_IPV6;
#endif
	case DLT_LINUX_SLL:   return V6S_LINK_SLL;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:  return V6S_LINK_SLL2;
#endif
	case DLT_NULL:        return V6S_LINK_NULL;
	case DLT_LOOP:        return V6S_LINK_LOOP;
	case DLT_PPP:
	case DLT_PPP_SERIAL:  return V6S_LINK_PPP;
	case DLT_C_HDLC:      return V6S_LINK_C_HDLC;
	case DLT_PPP_ETHER:   return V6S_LINK_PPP_ETHER;
#ifdef DLT_NFLOG
	case DLT_NFLOG:       return V6S_LINK_NFLOG;
#endif
	default:              return -1;
	}
}

static struct timespec ts_of(time_t sec, long nsec)
{
	struct timespec t = { .tv_sec = sec, .tv_nsec = nsec };
	return t;
}

#define LINKTYPE_RAW 101   /* a file's value for what libpcap calls DLT_RAW */

/* A pcapng interface's LINKTYPE_ as the DLT_ source_pcap_link takes: the
 * same number for every link type here but raw IP. */
static int dlt_of_linktype(int linktype)
{
	return linktype == LINKTYPE_RAW ? DLT_RAW : linktype;
}

static int unsupported(char *err, size_t errlen, const char *file, const char *where, int dlt)
{
	const char *name = pcap_datalink_val_to_name(dlt);
	snprintf(err, errlen,
		 "%s: %sunsupported link type %s (%d); supported: EN10MB, RAW, IPV4, IPV6, LINUX_SLL, "
		 "LINUX_SLL2, NULL, LOOP, PPP, PPP_SERIAL, C_HDLC, PPP_ETHER, NFLOG", file, where,
		 name ? name : "unknown", dlt);
	return -1;
}

/* An open capture: a pcapng file through our own reader (libpcap stops at
 * a second interface of another link type); a plain pcap file on disk
 * through our own block reader (pcapfile.h: a third faster); any other
 * pcap stream, or one pcapfile does not take, through libpcap. */
struct capture {
	const char *file;
	pcap_t *p;
	struct pcapng_reader *ng;
	struct pcapfile_reader *pf;
	int link;                       /* pcap: the file's, for every packet */
	int regular;                    /* from a regular file: reading never waits */
	const char *how;                /* the decompression, or NULL */
	int warned;                     /* an interface's link type was said to be undecodable */
	uint32_t fcs;                   /* pcap: bytes of FCS each frame ends with (the header says) */
};

static void capture_end(struct capture *c)
{
	if (c->p)
		pcap_close(c->p);
	pcapng_close(c->ng);
	pcapfile_close(c->pf);
	c->p = NULL;
	c->ng = NULL;
	c->pf = NULL;
}

static int decodable_linktype(int linktype)
{
	return source_pcap_link(dlt_of_linktype(linktype)) >= 0;
}

/* The link and FCS a pcap file's header gives (the link type already known good). */
static void set_link(struct capture *c, int dlt, uint32_t ext)
{
	c->fcs = LT_FCS_LENGTH_PRESENT(ext) ? 2u * LT_FCS_LENGTH(ext) : 0;     /* in 16-bit words */
	c->link = source_pcap_link(dlt);
}

struct link_check {
	const char *file;
	char *err;
	size_t errlen;
	unsigned supported, unsupported;
};

static int check_interface(void *arg, uint32_t interface, int linktype)
{
	struct link_check *lc = arg;
	char where[48];
	int dlt = dlt_of_linktype(linktype);
	if (source_pcap_link(dlt) >= 0) {
		lc->supported++;
		return 0;
	}
	if (lc->unsupported++ == 0) {           /* the first one names the link in the error */
		snprintf(where, sizeof(where), "interface %u: ", interface);
		unsupported(lc->err, lc->errlen, lc->file, where, dlt);
	}
	return 0;
}

/* Open file and check the link types it starts with. 0, or -1 with err set. */
static int capture_start(struct capture *c, const char *file, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	FILE *fp = capture_open(file, &c->regular, &c->how, err, errlen);
	const char *decomp = c->how ? ", once decompressed as " : "";

	c->file = file;
	c->p = NULL;
	c->ng = NULL;
	c->pf = NULL;
	c->warned = 0;
	c->fcs = 0;
	if (!fp)
		return -1;
	int first = getc(fp);                   /* a pcapng section header starts with 0x0a */
	if (first != EOF)
		ungetc(first, fp);
	if (first == (PCAPNG_SHB & 0xff)) {
		c->ng = pcapng_open(fp, ebuf, sizeof(ebuf));
		if (!c->ng) {
			snprintf(err, errlen, "%s: cannot read as pcapng%s%s: %s", file, decomp, c->how ? c->how : "", ebuf);
			if (fp != stdin)
				fclose(fp);
			return -1;
		}
		/* a file none of whose interfaces can be decoded is refused, as a pcap
		 * file of such a link is; packets of an undecodable interface beside
		 * others count as other/link_unsupported */
		struct link_check lc = { file, err, errlen, 0, 0 };
		int rc = pcapng_interfaces(c->ng, check_interface, &lc);
		if (rc < 0)
			snprintf(err, errlen, "%s: %s", file, pcapng_error(c->ng));
		if (rc < 0 || (lc.unsupported && !lc.supported)) {
			capture_end(c);
			return -1;
		}
		return 0;
	}
	if (c->regular && !c->how && fp != stdin) {
		int rc = pcapfile_open(fp, decodable_linktype, &c->pf, ebuf, sizeof(ebuf));
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s", file, ebuf);
			fclose(fp);
			return -1;
		}
		if (rc == 1) {
			set_link(c, dlt_of_linktype(pcapfile_linktype(c->pf)), pcapfile_linktype_ext(c->pf));
			return 0;
		}
	}
	c->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!c->p) {
		snprintf(err, errlen, "%s: cannot read as pcap or pcapng%s%s: %s", file, decomp, c->how ? c->how : "",
			 ebuf);
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	int dlt = pcap_datalink(c->p);
	set_link(c, dlt, (uint32_t)pcap_datalink_ext(c->p));
	if (c->link < 0) {
		capture_end(c);
		return unsupported(err, errlen, file, "", dlt);
	}
	return 0;
}

/* A frame's length without the FCS a capture kept at its end: bytes count
 * the frame without it, as a capture that strips it gives them. */
static inline void without_fcs(uint32_t *caplen, uint32_t *len, uint32_t fcs)
{
	if (!fcs || *len < fcs)
		return;
	*len -= fcs;
	if (*caplen > *len)
		*caplen = *len;
}

/* A packet as a reader hands it over, its kept FCS taken off. */
struct capture_frame {
	struct timespec t;
	const uint8_t *data;
	uint32_t caplen, len;
	enum v6s_link link;
};

/* The next packet. 1, 0 at the end, -1 with err set. */
static int capture_next(struct capture *c, struct capture_frame *f, char *err, size_t errlen)
{
	uint32_t fcs = c->fcs;
	int link = c->link;

	if (c->ng) {
		struct pcapng_packet pkt;
		int rc = pcapng_next(c->ng, &pkt);
		if (rc < 0) {
			snprintf(err, errlen, "%s", pcapng_error(c->ng));
			return -1;
		}
		if (rc == 0)
			return 0;
		int dlt = dlt_of_linktype(pkt.linktype);
		link = source_pcap_link(dlt);
		if (link < 0) {
			if (!c->warned) {
				const char *name = pcap_datalink_val_to_name(dlt);
				fprintf(stderr, "v6share: %s: interface %u has link type %s (%d), which v6share does "
					"not decode: its packets count as other/link_unsupported\n", c->file,
					pkt.interface, name ? name : "unknown", dlt);
				c->warned = 1;
			}
			link = V6S_LINK_UNSUPPORTED;
		}
		fcs = pkt.fcs;
		*f = (struct capture_frame){ .t = pkt.ts, .data = pkt.data, .caplen = pkt.caplen, .len = pkt.len };
	} else if (c->pf) {
		struct pcapfile_packet pkt;
		int rc = pcapfile_next(c->pf, &pkt);
		if (rc < 0) {
			snprintf(err, errlen, "%s", pcapfile_error(c->pf));
			return -1;
		}
		if (rc == 0)
			return 0;
		*f = (struct capture_frame){ .t = pkt.ts, .data = pkt.data, .caplen = pkt.caplen, .len = pkt.len };
	} else {
		struct pcap_pkthdr *h;
		const u_char *d;
		int rc = pcap_next_ex(c->p, &h, &d);
		if (rc == -1) {
			snprintf(err, errlen, "%s", pcap_geterr(c->p));
			return -1;
		}
		if (rc != 1)
			return 0;
		/* nanoseconds here */
		*f = (struct capture_frame){ .t = ts_of(h->ts.tv_sec, h->ts.tv_usec), .data = d, .caplen = h->caplen,
					     .len = h->len };
	}
	f->link = (enum v6s_link)link;
	without_fcs(&f->caplen, &f->len, fcs);
	return 1;
}

int source_pcap_check(const char *const *files, unsigned nfiles, char *err, size_t errlen)
{
	for (unsigned i = 0; i < nfiles; i++) {
		struct capture c;
		struct stat sb;
		if (strcmp(files[i], "-") == 0)
			continue;               /* stdin: cannot be read twice */
		int known = stat(files[i], &sb) == 0;
		if (known && S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "%s: is a directory, not a capture", files[i]);
			return -1;
		}
		if (known && !S_ISREG(sb.st_mode))
			continue;               /* a pipe, a device: likewise */
		if (capture_start(&c, files[i], err, errlen))
			return -1;
		capture_end(&c);
	}
	return 0;
}

/* A parsed packet waiting in the backlog: its time and what parse_frame
 * found, in 80 bytes rather than a whole v6s_facts and timespec (112). The
 * facts up to as_idx are all parse_frame's; the attribution and segment
 * fields after them are filled later (parse_frame leaves them 0), except the
 * MACs and the port. The backlog is written once, to fresh memory, on the
 * reading thread's path: its size is time. So where counting needs neither
 * the time (no intervals: the first and last are kept as packets are read)
 * nor the MACs (no segments, no IXP members), an entry is those 52 bytes
 * alone, less the address bytes its class leaves unused: 28 for IPv4, 20
 * for a frame that is not IP (a quarter less memory to fault in and write
 * on a capture of 40% IPv6). Entries then differ in length: where each
 * burst of them starts is kept beside them (boff). */
#define PARSED_HEAD offsetof(struct v6s_facts, as_idx)
#define ADDR_AT offsetof(struct v6s_facts, addr)
_Static_assert(ADDR_AT == 20, "the facts before the addresses: update packed_len");

struct backlog_entry {
	int64_t sec;
	uint32_t nsec;
	uint8_t head[PARSED_HEAD];
	uint8_t mac[12];
	uint8_t port;
};
_Static_assert(sizeof(struct v6s_facts) == 92 && PARSED_HEAD == 52,
	       "backlog_entry keeps every field parse_frame sets: update both");
_Static_assert(sizeof(struct backlog_entry) == 80, "80 bytes a parsed packet");

static size_t backlog_entry_size(const struct v6s_pcap_run *run)
{
	return !run->interval && !run->segs && !run->members ? PARSED_HEAD : sizeof(struct backlog_entry);
}

/* Bytes an entry of this class takes in a backlog of esz-byte entries. */
static size_t packed_len(size_t esz, uint8_t cls)
{
	if (esz != PARSED_HEAD)
		return esz;
	return cls == V6S_CLASS_IPV6 ? PARSED_HEAD : cls == V6S_CLASS_IPV4 ? ADDR_AT + 2 * sizeof(uint32_t) : ADDR_AT;
}

/* Returns the bytes written. */
static size_t backlog_pack(uint8_t *e, size_t esz, const struct v6s_facts *f, struct timespec t)
{
	if (esz == PARSED_HEAD) {
		/* whole 52 bytes, a copy of fixed size (the next entry
		 * overwrites the unused tail; the mapping holds 52 bytes an
		 * entry, so there is room for the last) */
		memcpy(e, f, PARSED_HEAD);
		return packed_len(esz, f->cls);
	}
	struct backlog_entry *b = (struct backlog_entry *)(void *)e;
	b->sec = t.tv_sec;
	b->nsec = (uint32_t)t.tv_nsec;
	memcpy(b->head, f, PARSED_HEAD);
	memcpy(b->mac, f->mac, sizeof(b->mac));
	b->port = f->port;
	return esz;
}

/* The packet's time (zero in packed entries, which only runs without
 * intervals have); *at moves past the entry. */
static struct timespec backlog_unpack(const uint8_t **at, size_t esz, struct v6s_facts *f)
{
	const uint8_t *e = *at;
	memset(f, 0, sizeof(*f));
	if (esz == PARSED_HEAD) {
		/* copies of fixed sizes: libc's memcpy for a variable length
		 * cost more than the bytes saved */
		memcpy(f, e, ADDR_AT);
		if (f->cls == V6S_CLASS_IPV4)
			memcpy(&f->addr, e + ADDR_AT, 2 * sizeof(uint32_t));
		else if (f->cls == V6S_CLASS_IPV6)
			memcpy(&f->addr, e + ADDR_AT, sizeof(f->addr));
		*at = e + packed_len(esz, f->cls);
		return (struct timespec){ 0, 0 };
	}
	*at = e + esz;
	const struct backlog_entry *b = (const struct backlog_entry *)(const void *)e;
	memcpy(f, b->head, PARSED_HEAD);
	memcpy(f->mac, b->mac, sizeof(b->mac));
	f->port = b->port;
	return (struct timespec){ .tv_sec = (time_t)b->sec, .tv_nsec = (long)b->nsec };
}

struct run_state {
	struct v6s_pcap_run *run;
	struct v6s_facts burst[BURST];
	unsigned n;
	int started;
	struct timespec first, last;    /* packet times seen */
	int counting;                   /* ready: packets go to burst, not the backlog */
	int failed;                     /* ready() said counting cannot start */
	uint8_t *backlog;               /* BACKLOG_MAX entries of up to esz bytes, mapped on first use */
	size_t nbacklog, esz, bused;    /* entries, most bytes an entry takes, bytes used */
	size_t *boff;                   /* byte offset of entry k * BURST, for every k up to nbacklog / BURST */
	struct follower *follow;        /* counting the backlog as it grows, or NULL */
	struct v6s_facts parsed;        /* a packet on its way into the backlog */
	int bucket_set;
	time_t bucket;                  /* start of the open interval */
	uint64_t packets;
	struct timespec t0, shown;      /* progress */
};

/* attribute -> count: the same steps a DPDK worker takes after parsing. */
static void count_facts(const struct v6s_pcap_run *run, struct v6s_counter_block *block, unsigned reader,
			struct v6s_facts *f, unsigned n)
{
	struct v6s_attr *a = run->attr;
	if (a)
		attr_lookup_burst(attr_tables(a), f, n);
	if (run->segs)
		segment_classify_burst(run->segs, f, n);
	if (run->members)
		members_lookup_burst(run->members, f, n);
	counters_count_burst(block, f, n);
	if (a)
		attr_reader_quiescent(a, reader);
}

static void flush_burst(struct run_state *st)
{
	count_facts(st->run, st->run->block, 0, st->burst, st->n);
	st->n = 0;
}

/* The second thread's share of a backlog: entries [0, n) into helper_block. */
struct helper_job {
	const struct v6s_pcap_run *run;
	const uint8_t *e;               /* the backlog's first entry */
	size_t n, esz;
};

static void *helper_main(void *arg)
{
	const struct helper_job *j = arg;
	struct v6s_facts f[BURST];
	unsigned k = 0;

	if (j->run->attr)
		attr_reader_online(j->run->attr, 1);
	const struct v6s_attr_tables *t = j->run->attr ? attr_tables(j->run->attr) : NULL;
	const uint8_t *at = j->e;
	for (size_t i = 0; i < j->n; i++) {
		backlog_unpack(&at, j->esz, &f[k]);
		attr_prefetch(t, &f[k]);
		if (++k == BURST) {
			count_facts(j->run, j->run->helper_block, 1, f, k);
			k = 0;
		}
	}
	if (k)
		count_facts(j->run, j->run->helper_block, 1, f, k);
	if (j->run->attr)
		attr_reader_offline(j->run->attr, 1);
	return NULL;
}

/* Close intervals the packet at t has moved past. */
static int advance_interval(struct run_state *st, struct timespec t)
{
	uint32_t iv = st->run->interval;
	time_t b = t.tv_sec - (t.tv_sec % iv + iv) % iv;
	int rc = 0;

	if (!st->bucket_set) {
		st->bucket = b;
		st->bucket_set = 1;
	} else if (b > st->bucket) {
		flush_burst(st);
		rc = reporter_emit(st->run->rep, ts_of(st->bucket, 0), ts_of(st->bucket + iv, 0));
		st->bucket = b;
	}
	return rc;
}

/* The packet parsed into burst[n], into the counting path: the intervals it
 * closes are reported without it, then it joins the (maybe fresh) burst. */
static int count_packet(struct run_state *st, struct timespec t)
{
	unsigned at = st->n;
	int rc = 0;
	if (st->run->interval && advance_interval(st, t))
		rc = -1;
	if (st->n != at)
		st->burst[st->n] = st->burst[at];
	if (++st->n == BURST)
		flush_burst(st);
	return rc;
}

/* The handshake's full barrier. GCC gives a sequentially consistent fence
 * as a locked no-op on x86; mfence orders the same without a locked
 * instruction, which the counting path does not take (hot_path.sh). */
static inline void full_barrier(void)
{
#if defined(__x86_64__) || defined(__i386__)
	_mm_mfence();
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static inline void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	_mm_pause();
#endif
}

/* Without intervals the order of counting does not matter, and once the
 * tables are ready while the capture is still being read, a second thread
 * (the follower) counts the backlog as the reader adds to it, into
 * helper_block: counting then overlaps reading instead of following it
 * (the reader went on to attribute and count every packet itself, one
 * core idle). The reader publishes whole bursts; at the end, or when the
 * backlog is full, the two split what is left: the reader sets a limit
 * the follower may not pass and counts from there on. Claim and limit are
 * a Dekker handshake (each side stores, fences, then loads the other's),
 * so a burst is counted by exactly one of them without a locked
 * instruction. */
struct follower {
	const struct v6s_pcap_run *run;
	const uint8_t *e;
	const size_t *boff;             /* where each burst starts in e */
	size_t esz;
	size_t published;               /* entries [0, published) are written (release) */
	size_t claim;                   /* the follower's end once its current burst is counted */
	size_t limit;                   /* the follower stops before passing it */
	int end;                        /* nothing more will be published */
	size_t stopped_at;              /* where the follower stopped: all before it is counted */
	pthread_t thread;
	int joined;
};

static void *follower_main(void *arg)
{
	struct follower *fo = arg;
	struct v6s_facts f[BURST];
	size_t c = 0;
	unsigned idle = 0;

	if (fo->run->attr)
		attr_reader_online(fo->run->attr, 1);
	const struct v6s_attr_tables *t = fo->run->attr ? attr_tables(fo->run->attr) : NULL;
	for (;;) {
		if (c + BURST > __atomic_load_n(&fo->published, __ATOMIC_ACQUIRE)) {
			if (__atomic_load_n(&fo->end, __ATOMIC_ACQUIRE) &&
			    c + BURST > __atomic_load_n(&fo->published, __ATOMIC_ACQUIRE))
				break;
			if (++idle % 64 == 0)
				sched_yield();
			else
				spin_pause();
			if (fo->run->attr)
				attr_reader_quiescent(fo->run->attr, 1);
			continue;
		}
		__atomic_store_n(&fo->claim, c + BURST, __ATOMIC_RELAXED);
		full_barrier();
		if (c + BURST > __atomic_load_n(&fo->limit, __ATOMIC_RELAXED))
			break;
		const uint8_t *at = fo->e + fo->boff[c / BURST];
		for (unsigned k = 0; k < BURST; k++) {
			backlog_unpack(&at, fo->esz, &f[k]);
			attr_prefetch(t, &f[k]);
		}
		count_facts(fo->run, fo->run->helper_block, 1, f, BURST);
		c += BURST;
	}
	fo->stopped_at = c;
	if (fo->run->attr)
		attr_reader_offline(fo->run->attr, 1);
	return NULL;
}

static int start_follower(struct run_state *st)
{
	struct follower *fo = calloc(1, sizeof(*fo));
	if (!fo)
		return -1;
	*fo = (struct follower){ .run = st->run, .e = st->backlog, .boff = st->boff, .esz = st->esz,
				 .published = st->nbacklog,
				 .limit = SIZE_MAX };
	if (pthread_create(&fo->thread, NULL, follower_main, fo)) {
		free(fo);
		return -1;
	}
	st->follow = fo;
	return 0;
}

/* The reader's share: stop the follower halfway through what it has not
 * claimed; returns where the reader's share starts. A claim seen past the
 * limit is a burst the follower may be counting (it saw the old limit) or
 * is about to give back (it saw the new one): then the follower's end is
 * waited for, one burst at most, and is where the reader starts. */
static size_t stop_follower(struct run_state *st)
{
	struct follower *fo = st->follow;
	size_t n = st->nbacklog, seen = __atomic_load_n(&fo->claim, __ATOMIC_RELAXED);
	size_t mid = seen + (n > seen ? (n - seen) / 2 / BURST * BURST : 0);
	__atomic_store_n(&fo->limit, mid, __ATOMIC_RELAXED);
	full_barrier();
	seen = __atomic_load_n(&fo->claim, __ATOMIC_RELAXED);
	if (__atomic_load_n(&fo->published, __ATOMIC_RELAXED) < mid)
		__atomic_store_n(&fo->published, mid, __ATOMIC_RELEASE);
	__atomic_store_n(&fo->end, 1, __ATOMIC_RELEASE);
	if (seen <= mid)
		return mid;
	pthread_join(fo->thread, NULL);
	fo->joined = 1;
	return fo->stopped_at;
}

/* Ask whether counting can start; when it can, count the backlog (in
 * order, when intervals need it), or leave it to a follower while the
 * reading goes on (wait == 0: the backlog has room and the input more). */
static int try_start(struct run_state *st, int wait)
{
	if (!st->follow) {
		int r = st->run->ready ? st->run->ready(st->run, wait) : 1;
		if (r < 0) {
			st->failed = 1;
			return 0;
		}
		if (r == 0)
			return 0;
		if (!wait && st->backlog && st->run->helper_block && !st->run->interval && start_follower(st) == 0) {
			if (st->run->verbose)
				fprintf(stderr, "v6share: tables ready, %zu packets read ahead: counting beside the reading\n",
					st->nbacklog);
			return 0;
		}
		if (st->run->verbose && st->nbacklog)
			fprintf(stderr, "v6share: tables ready, %zu packets read ahead%s\n", st->nbacklog,
				st->nbacklog == BACKLOG_MAX ? " (as many as are held)" : "");
	}
	int rc = 0;
	st->counting = 1;
	if (st->run->attr)
		attr_reader_online(st->run->attr, 0);
	/* Without intervals the order of counting does not matter: on two
	 * cores, a long backlog is counted in two halves at once. */
	struct helper_job job = { st->run, st->backlog, st->nbacklog / 2 / BURST * BURST, st->esz };
	pthread_t helper;
	size_t from = 0;
	int helping = 0;
	if (st->follow)
		from = stop_follower(st);
	else if (st->run->helper_block && !st->run->interval && st->nbacklog >= HELPER_MIN &&
		 pthread_create(&helper, NULL, helper_main, &job) == 0) {
		helping = 1;
		from = job.n;
	}
	const struct v6s_attr_tables *t = st->run->attr ? attr_tables(st->run->attr) : NULL;
	const uint8_t *at = from < st->nbacklog ? st->backlog + st->boff[from / BURST] : NULL;  /* a burst's start */
	for (size_t i = from; i < st->nbacklog; i++) {
		struct timespec when = backlog_unpack(&at, st->esz, &st->burst[st->n]);
		attr_prefetch(t, &st->burst[st->n]);
		if (count_packet(st, when))
			rc = -1;
	}
	if (helping)
		pthread_join(helper, NULL);
	if (st->follow) {
		if (!st->follow->joined)
			pthread_join(st->follow->thread, NULL);
		free(st->follow);
		st->follow = NULL;
	}
	if (st->backlog)
		munmap(st->backlog, BACKLOG_MAX * st->esz);
	free(st->boff);
	st->backlog = NULL;
	st->boff = NULL;
	st->nbacklog = st->bused = 0;
	return rc;
}

/* Where the next packet is parsed to: the burst, or on its way to the
 * backlog (backlog_keep). NULL: stop. */
static struct v6s_facts *next_slot(struct run_state *st, int *emit_rc)
{
	if (!st->counting && st->nbacklog % BURST == 0 && (!st->follow || st->nbacklog == BACKLOG_MAX) &&
	    try_start(st, st->nbacklog == BACKLOG_MAX))
		*emit_rc = -1;
	if (st->failed)
		return NULL;
	if (st->counting)
		return &st->burst[st->n];
	if (!st->backlog) {
		void *m = mmap(NULL, BACKLOG_MAX * st->esz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		st->boff = m == MAP_FAILED ? NULL : malloc((BACKLOG_MAX / BURST + 1) * sizeof(*st->boff));
		if (m != MAP_FAILED && !st->boff) {
			munmap(m, BACKLOG_MAX * st->esz);
			m = MAP_FAILED;
		}
		if (m == MAP_FAILED) {                  /* no room to read ahead: wait instead */
			if (try_start(st, 1))
				*emit_rc = -1;
			return st->failed ? NULL : &st->burst[st->n];
		}
		v6s_advise_huge(m, BACKLOG_MAX * st->esz);
		st->backlog = m;
	}
	return &st->parsed;
}

static void backlog_keep(struct run_state *st, const struct v6s_facts *f, struct timespec t)
{
	if (st->nbacklog % BURST == 0)
		st->boff[st->nbacklog / BURST] = st->bused;
	st->bused += backlog_pack(st->backlog + st->bused, st->esz, f, t);
	st->nbacklog++;
	if (st->follow && st->nbacklog % BURST == 0)
		__atomic_store_n(&st->follow->published, st->nbacklog, __ATOMIC_RELEASE);
}

static double secs_between(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static void show_progress(struct run_state *st, const char *file, int final)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && secs_between(st->shown, now) < 0.5)
		return;
	st->shown = now;
	double el = secs_between(st->t0, now);
	fprintf(stderr, "\r%s: %llu packets, %.2f Mpps   ", file, (unsigned long long)st->packets,
		el > 0 ? (double)st->packets / el / 1e6 : 0.0);
	if (final)
		fputc('\n', stderr);
}

static int meter_file(struct run_state *st, const char *file, char *err, size_t errlen)
{
	struct capture c;
	char rerr[384];
	int rc, emit_rc = 0;

	if (capture_start(&c, file, err, errlen))
		return -1;
	/* Reading ahead pays only where reading never waits: a pipe may stall,
	 * and what it delivered must not sit uncounted meanwhile. */
	if (!st->counting && !c.regular && try_start(st, 1))
		emit_rc = -1;
	if (st->failed) {
		capture_end(&c);
		return -2;
	}
	struct capture_frame fr;
	while ((rc = capture_next(&c, &fr, rerr, sizeof(rerr))) == 1) {
		struct v6s_facts *f = next_slot(st, &emit_rc);
		if (!f)
			break;
		if (!st->started) {
			st->first = fr.t;
			st->started = 1;
		}
		st->last = fr.t;
		parse_frame(fr.data, fr.caplen, fr.len > fr.caplen ? fr.len : fr.caplen, fr.link, f);
		f->port = 0;
		if (st->counting && st->run->attr)
			attr_prefetch(attr_tables(st->run->attr), f);
		if (!st->counting)
			backlog_keep(st, f, fr.t);
		else if (count_packet(st, fr.t))
			emit_rc = -1;
		if ((++st->packets & (PROGRESS_EVERY - 1)) == 0 && st->run->progress)
			show_progress(st, file, 0);
	}
	if (st->failed) {
		capture_end(&c);
		return -2;
	}
	if (rc == -1) {
		if (strncmp(rerr, file, strlen(file)) == 0)    /* already names the file */
			snprintf(err, errlen, "%s (after %llu packets in all)", rerr, (unsigned long long)st->packets);
		else
			snprintf(err, errlen, "%s: read error after %llu packets in all: %s%s%s%s", file,
				 (unsigned long long)st->packets, rerr, c.how ? " (the " : "", c.how ? c.how : "",
				 c.how ? " data ends early, is corrupt, or has other bytes after it)" : "");
		emit_rc = -1;
	} else if (emit_rc) {
		snprintf(err, errlen, "a summary could not be written");
	}
	if (st->run->progress)
		show_progress(st, file, 1);
	capture_end(&c);
	return emit_rc;
}

int source_pcap_run(struct v6s_pcap_run *run, char *err, size_t errlen)
{
	static struct run_state st;     /* large; one run at a time */
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.run = run;
	st.esz = backlog_entry_size(run);
	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	st.shown = st.t0;
	if (!run->ready)
		try_start(&st, 1);      /* counting starts at once: nothing to replay */
	/* A file that breaks off does not stop the others: report all that was read. */
	for (unsigned i = 0; i < run->nfiles; i++) {
		char ferr[512];
		int frc = meter_file(&st, run->files[i], ferr, sizeof(ferr));
		if (frc == 0)
			continue;
		if (frc == -2)
			break;
		if (rc == 0)
			snprintf(err, errlen, "%s", ferr);
		else
			fprintf(stderr, "v6share: %s\n", ferr);
		rc = -1;
	}
	if (!st.counting && !st.failed && try_start(&st, 1) && rc == 0) {
		snprintf(err, errlen, "a summary could not be written");
		rc = -1;
	}
	if (st.failed) {
		if (st.backlog)
			munmap(st.backlog, BACKLOG_MAX * st.esz);
		free(st.boff);
		return -2;
	}
	flush_burst(&st);
	if (run->attr)
		attr_reader_offline(run->attr, 0);

	/* The last interval, or the whole input: counted packets are always reported. */
	int erc;
	if (run->interval) {
		if (!st.started)
			return rc;
		erc = reporter_emit(run->rep, ts_of(st.bucket, 0), ts_of(st.bucket + run->interval, 0));
	} else {
		if (!st.started) {
			clock_gettime(CLOCK_REALTIME, &st.first);
			st.last = st.first;
		}
		erc = reporter_emit(run->rep, st.first, st.last);
	}
	if (erc && rc == 0) {
		snprintf(err, errlen, "a summary could not be written");
		rc = -1;
	}
	return rc;
}
