/* SPDX-License-Identifier: BSD-3-Clause
 * A capture file on disk, mapped and read front to back (the pcap and
 * pcapng readers). Nothing is copied out of the page cache, and only the
 * lines a reader touches are read: on the benchmarks' 2,000,000-frame
 * capture (1.2 GB, in the page cache) the offline meter without a table
 * took 0.19 s mapped against 0.26 s with 2 MiB read(2) calls.
 *
 * The disk is asked for the file 64 MiB ahead of the reader, page tables
 * are filled a step (8 MiB) ahead, lines are prefetched into L2 8 KiB
 * ahead, and pages two steps behind are dropped from the mapping, so the
 * process's resident size grows by about 24 MB, not by the file. A file that grows while it is read is seen to end at its size when
 * mapped: the reader goes on with stdio or read(2) from there. A file cut
 * short while it is mapped (a capture rewritten in place) would raise
 * SIGBUS at its first page past the new end: a handler, installed only
 * while a file is mapped, maps zeros there instead and notes the cut, and
 * the reader ends the file where it was cut, as at the end of a file of
 * that length. A fault on a page the file still has is an I/O error (a
 * failing disk, a network file system): the reader reports it, as read(2)
 * would, where it reaches that page. One file is mapped at a time.
 */
#ifndef V6SHARE_FILEMAP_H
#define V6SHARE_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

struct filemap {
	const uint8_t *base;    /* NULL: not mapped */
	size_t len;             /* bytes mapped: the file's size when it was mapped */
	size_t end;             /* where the file ends as far as is known: len, or less once cut */
	size_t populated, prefetched, dropped;
	int fd;
	int ioerr;              /* a page the file still has could not be read: from end on */
};

/* 1 (the default): map regular files. 0: never (tests compare the two). */
extern int filemap_enabled;

/* Map fd's file if it is regular, longer than `from` bytes, and no other
 * file is mapped. 1: mapped; 0: not (read it as before). */
int filemap_open(struct filemap *m, int fd, size_t from);

/* Before reading [off, off + n) (off only grows from call to call, and
 * nothing before off - 8 MiB is read again): returns where the file ends
 * as far as is known, at most m->len. When that is less than off + n, the
 * bytes are not all there: the file was cut (end < len) or is longer than
 * its mapping (end == len). The bytes at off may be read before the call
 * (a record's length, to know n); past a cut they read as zeros. */
size_t filemap_reach(struct filemap *m, size_t off, size_t n);

/* Where the file ends now, as far as is known (its size looked up). */
size_t filemap_end(struct filemap *m);

/* Whether the file has grown past its mapping (its size now). */
int filemap_grew(const struct filemap *m);

void filemap_close(struct filemap *m);

#endif
