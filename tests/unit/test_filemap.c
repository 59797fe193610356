/* SPDX-License-Identifier: BSD-3-Clause
 * The pcap and pcapng readers on a mapped file (filemap.h): the same
 * records as without the mapping, a file that grows while it is read, and
 * a file cut short while it is read (a capture rewritten in place), which
 * must end where it was cut, as a file of that length would, and never
 * crash. Every test runs on both formats.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "v6share/filemap.h"
#include "v6share/pcapfile.h"
#include "v6share/pcapng.h"

static int ng;                  /* the format under test: pcapng, or classic pcap */

static int any_link(int linktype)
{
	(void)linktype;
	return 1;
}

/* Record i: caplen from a fixed pattern (60 to 1514 bytes, now and then
 * 9000), each byte a function of (i, offset), so that any byte read from
 * the wrong place or from zeros is seen. */
static uint32_t rec_len(unsigned i)
{
	static const uint32_t lens[] = { 60, 64, 590, 1514, 1500, 78, 9000, 100 };
	return lens[(i * 7 + i / 3) % 8];
}

static uint8_t rec_byte(unsigned i, uint32_t k)
{
	return (uint8_t)(i * 31u + k * 7u + 1u);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/* Bytes record i takes in the file. */
static size_t rec_size(unsigned i)
{
	return ng ? 32 + pad4(rec_len(i)) : 16 + rec_len(i);
}

/* Record i: a pcap record, or an enhanced packet block on interface 0
 * (microseconds, the default resolution): the same time either way. */
static void write_record(FILE *f, unsigned i)
{
	uint8_t h[28], d[9004] = { 0 };
	uint32_t n = rec_len(i), hl;
	uint64_t us = (1700000000ull + i) * 1000000u + i;
	if (ng) {
		put32(h, 6);
		put32(h + 4, (uint32_t)rec_size(i));
		put32(h + 8, 0);
		put32(h + 12, (uint32_t)(us >> 32));
		put32(h + 16, (uint32_t)us);
		put32(h + 20, n);
		put32(h + 24, n + 4);
		hl = 28;
	} else {
		put32(h, 1700000000u + i);
		put32(h + 4, i);
		put32(h + 8, n);
		put32(h + 12, n + 4);
		hl = 16;
	}
	for (uint32_t k = 0; k < n; k++)
		d[k] = rec_byte(i, k);
	uint32_t dl = ng ? pad4(n) : n;
	if (ng)
		put32(d + dl, (uint32_t)rec_size(i));
	assert_int_equal(fwrite(h, 1, hl, f), hl);
	assert_int_equal(fwrite(d, 1, dl + (ng ? 4 : 0), f), dl + (ng ? 4 : 0));
}

/* A file of n records; offsets[i] is where record i starts (n + 1 entries). */
static char *make_file(unsigned n, size_t *offsets)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/v6share-test-filemap-%d.%s", (int)getpid(), ng ? "pcapng" : "pcap");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	size_t off;
	if (ng) {                       /* a section header, then one Ethernet interface */
		uint8_t h[48] = { 0 };
		put32(h, PCAPNG_SHB);
		put32(h + 4, 28);
		put32(h + 8, 0x1A2B3C4Du);
		put16(h + 12, 1);
		memset(h + 16, 0xff, 8);        /* section length unknown */
		put32(h + 24, 28);
		put32(h + 28, 1);
		put32(h + 32, 20);
		put16(h + 36, 1);
		put32(h + 40, 65535);
		put32(h + 44, 20);
		assert_int_equal(fwrite(h, 1, 48, f), 48);
		off = 48;
	} else {
		uint8_t h[24] = { 0 };
		put32(h, 0xa1b2c3d4u);
		h[4] = 2;
		h[6] = 4;
		put32(h + 16, 65535);
		put32(h + 20, 1);
		assert_int_equal(fwrite(h, 1, 24, f), 24);
		off = 24;
	}
	for (unsigned i = 0; i < n; i++) {
		if (offsets)
			offsets[i] = off;
		write_record(f, i);
		off += rec_size(i);
	}
	if (offsets)
		offsets[n] = off;
	assert_int_equal(fclose(f), 0);
	return path;
}

struct reader {
	struct pcapfile_reader *pf;
	struct pcapng_reader *ng;
};

struct packet {
	struct timespec ts;
	uint32_t caplen, len;
	const uint8_t *data;
};

static struct reader *open_reader(const char *path)
{
	static struct reader rd;
	char err[256];
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	memset(&rd, 0, sizeof(rd));
	if (ng) {
		rd.ng = pcapng_open(fp, err, sizeof(err));
		assert_non_null(rd.ng);
	} else {
		assert_int_equal(pcapfile_open(fp, any_link, &rd.pf, err, sizeof(err)), 1);
	}
	return &rd;
}

static int reader_next(struct reader *r, struct packet *p)
{
	if (r->ng) {
		struct pcapng_packet k;
		int rc = pcapng_next(r->ng, &k);
		*p = (struct packet){ k.ts, k.caplen, k.len, k.data };
		return rc;
	}
	struct pcapfile_packet k;
	int rc = pcapfile_next(r->pf, &k);
	*p = (struct packet){ k.ts, k.caplen, k.len, k.data };
	return rc;
}

static const char *reader_error(struct reader *r)
{
	return r->ng ? pcapng_error(r->ng) : pcapfile_error(r->pf);
}

static void reader_close(struct reader *r)
{
	pcapng_close(r->ng);
	pcapfile_close(r->pf);
}

static void expect_record(const struct packet *p, unsigned i)
{
	uint32_t n = rec_len(i);
	assert_int_equal(p->caplen, n);
	assert_int_equal(p->len, n + 4);
	assert_int_equal(p->ts.tv_sec, 1700000000 + (long)i);
	assert_int_equal(p->ts.tv_nsec, (long)i * 1000);
	for (uint32_t k = 0; k < n; k++)
		if (p->data[k] != rec_byte(i, k))
			fail_msg("record %u byte %u: %u, expected %u", i, k, p->data[k], rec_byte(i, k));
}

/* Read what is left; returns the records read, *rc the final result. */
static unsigned read_rest(struct reader *r, unsigned first, int *rc)
{
	struct packet p;
	unsigned i = first;
	while ((*rc = reader_next(r, &p)) == 1)
		expect_record(&p, i++);
	return i - first;
}

static void test_mapped_equals_read(void **state)
{
	(void)state;
	const unsigned n = 6000;        /* about 12 MiB: more than a mapping step */
	char *path = make_file(n, NULL);
	for (int map = 0; map < 2; map++) {
		filemap_enabled = map;
		struct reader *r = open_reader(path);
		int rc;
		assert_int_equal(read_rest(r, 0, &rc), n);
		assert_int_equal(rc, 0);
		reader_close(r);
	}
	filemap_enabled = 1;
	unlink(path);
}

static void test_grows_while_read(void **state)
{
	(void)state;
	size_t offs[302];
	char *path = make_file(301, offs);
	/* opened while the writer is halfway through record 300 */
	assert_int_equal(truncate(path, (off_t)(offs[300] + 100)), 0);
	struct reader *r = open_reader(path);
	struct packet p;
	for (unsigned i = 0; i < 100; i++) {
		assert_int_equal(reader_next(r, &p), 1);
		expect_record(&p, i);
	}
	FILE *f = fopen(path, "r+b");           /* the writer goes on: the rest, and 499 more */
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)offs[300], SEEK_SET), 0);
	for (unsigned i = 300; i < 800; i++)
		write_record(f, i);
	assert_int_equal(fclose(f), 0);
	int rc;
	assert_int_equal(read_rest(r, 100, &rc), 700);
	assert_int_equal(rc, 0);
	reader_close(r);
	unlink(path);
}

/* Cut the file at `cut` bytes after reading `before` records: the records
 * wholly before the cut come back intact, then the file ends there, as it
 * would for a file of that length read from the start. */
static void cut_while_read(size_t cut_at_record_off, long delta, unsigned before)
{
	const unsigned n = 12000;       /* about 24 MiB */
	size_t *offs = malloc((n + 1) * sizeof(*offs));
	char *path = make_file(n, offs);
	size_t cut = (size_t)((long)offs[cut_at_record_off] + delta);
	unsigned whole = 0;
	while (whole < n && offs[whole + 1] <= cut)
		whole++;
	struct reader *r = open_reader(path);
	struct packet p;
	for (unsigned i = 0; i < before; i++) {
		assert_int_equal(reader_next(r, &p), 1);
		expect_record(&p, i);
	}
	assert_int_equal(truncate(path, (off_t)cut), 0);
	int rc;
	unsigned got = read_rest(r, before, &rc);
	assert_int_equal(before + got, whole);
	/* the same file read afresh ends the same way, with the same message */
	char msg[256];
	snprintf(msg, sizeof(msg), "%s", rc < 0 ? reader_error(r) : "");
	reader_close(r);
	for (int map = 0; map < 2; map++) {
		filemap_enabled = map;
		struct reader *again = open_reader(path);
		int rc2;
		assert_int_equal(read_rest(again, 0, &rc2), whole);
		assert_int_equal(rc2, rc);
		if (rc < 0)
			assert_string_equal(reader_error(again), msg);
		reader_close(again);
	}
	filemap_enabled = 1;
	unlink(path);
	free(offs);
}

static void test_cut_far_ahead(void **state)
{
	(void)state;
	cut_while_read(9000, 0, 50);            /* at a record's start, pages beyond never mapped yet */
	cut_while_read(9000, 700, 50);          /* inside a record */
}

static void test_cut_in_mapped_pages(void **state)
{
	(void)state;
	cut_while_read(200, 5, 100);            /* pages already filled in: they fault once cut */
	cut_while_read(120, 10, 100);           /* inside the next records' header */
	cut_while_read(101, 3, 100);            /* in the very next record's header */
}

static void test_cut_in_last_page(void **state)
{
	(void)state;
	/* the mapping's last page faults nowhere past a cut: its size is asked */
	cut_while_read(11999, 20, 11990);
	cut_while_read(11999, 3, 11990);
}

static void test_cut_before_position(void **state)
{
	(void)state;
	/* cut behind the reader: nothing more to read, the file simply ends */
	const unsigned n = 2000;
	char *path = make_file(n, NULL);
	struct reader *r = open_reader(path);
	struct packet p;
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(reader_next(r, &p), 1);
	assert_int_equal(truncate(path, 24), 0);
	assert_int_equal(reader_next(r, &p), 0);
	reader_close(r);
	unlink(path);
}

/* A page of the file that cannot be read (a failing disk): the kernel
 * raises SIGBUS there while the file still has the page. Here the signal is
 * sent by hand, as the kernel would, for the page where record 3000 starts.
 * The records wholly before that page come back; then the reader says it
 * could not read the file, as read(2)'s EIO would have it say. */
static void test_io_error(void **state)
{
	(void)state;
	const unsigned n = 6000, before = 100, bad = 3000;
	size_t *offs = malloc((n + 1) * sizeof(*offs));
	char *path = make_file(n, offs);
	struct reader *r = open_reader(path);
	struct packet p;
	const uint8_t *at = NULL;
	for (unsigned i = 0; i < before; i++) {
		assert_int_equal(reader_next(r, &p), 1);
		expect_record(&p, i);
		at = p.data + rec_len(i);       /* where record i + 1 starts, in the mapping */
	}
	const uint8_t *fault = at + (offs[bad] - offs[before]);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = BUS_ADRERR;
	si.si_addr = (void *)(uintptr_t)fault;
	assert_int_equal(syscall(SYS_rt_tgsigqueueinfo, getpid(), (pid_t)syscall(SYS_gettid), SIGBUS, &si), 0);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), lost = offs[bad] & ~(page - 1);
	unsigned whole = 0;
	while (offs[whole + 1] <= lost)
		whole++;
	int rc;
	assert_int_equal(before + read_rest(r, before, &rc), whole);
	assert_int_equal(rc, -1);
	if (!strstr(reader_error(r), "Input/output error"))
		fail_msg("the reader said: %s", reader_error(r));
	reader_close(r);
	unlink(path);
	free(offs);
}

static int as_pcap(void **state)
{
	(void)state;
	ng = 0;
	return 0;
}

static int as_pcapng(void **state)
{
	(void)state;
	ng = 1;
	return 0;
}

#define BOTH(t) { #t " (pcap)", t, as_pcap, NULL, NULL }, { #t " (pcapng)", t, as_pcapng, NULL, NULL }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_mapped_equals_read),
		BOTH(test_grows_while_read),
		BOTH(test_cut_far_ahead),
		BOTH(test_cut_in_mapped_pages),
		BOTH(test_cut_in_last_page),
		BOTH(test_cut_before_position),
		BOTH(test_io_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
