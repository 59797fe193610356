/* SPDX-License-Identifier: BSD-3-Clause
 * Classic pcap files on disk, mapped (filemap.h) or, where they cannot
 * be, read with read(2) in 2 MiB blocks into one buffer, each packet
 * handed out where it lies. libpcap reads a record's
 * header and data with two fread calls, each a copy out of the stream's
 * buffer: a loop over the benchmarks' 2,000,000-frame capture took 0.25 s
 * that way (with a 1 MiB stream buffer) against 0.16 s with read(2). It
 * answers as libpcap 1.10 does, its error messages included; files it
 * does not take (versions before 2.4, modified formats, byte-swapped
 * NFLOG, link types v6share does not decode) and streams that cannot seek
 * are left to libpcap.
 */
#ifndef V6SHARE_PCAPFILE_H
#define V6SHARE_PCAPFILE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct pcapfile_reader;

struct pcapfile_packet {
	struct timespec ts;
	uint32_t caplen, len;   /* captured (at most the file's snapshot length), and original length */
	const uint8_t *data;    /* valid until the next call */
};

/* fp: at the start of a seekable stream. 1: *out reads it (and owns fp);
 * 0: not a file this reader takes, fp back at its start; -1: out of memory
 * or a read error, err set. accept(linktype) says whether the link type
 * (a LINKTYPE_ value) is one the caller decodes. */
int pcapfile_open(FILE *fp, int (*accept)(int linktype), struct pcapfile_reader **out, char *err, size_t errlen);

/* The file's link type (LINKTYPE_), and the bits above it (FCS length). */
int pcapfile_linktype(const struct pcapfile_reader *r);
uint32_t pcapfile_linktype_ext(const struct pcapfile_reader *r);

/* 1: a packet; 0: the end of the file; -1: an error, pcapfile_error says it. */
int pcapfile_next(struct pcapfile_reader *r, struct pcapfile_packet *pkt);

const char *pcapfile_error(const struct pcapfile_reader *r);

/* Free the reader and close its stream. */
void pcapfile_close(struct pcapfile_reader *r);

#endif
