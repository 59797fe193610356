/* SPDX-License-Identifier: BSD-3-Clause
 * A pcapng reader of our own. libpcap reads pcapng only while every
 * interface has the first one's link type: a capture taken on several
 * interfaces (dumpcap -i eth0 -i any) or merged from captures of different
 * links (mergecap) stops at the second interface. Here each packet carries
 * its own interface's link type, and several sections (concatenated files)
 * are read in turn. A file on disk is mapped (filemap.h), each block used
 * where it lies; other streams are read through stdio.
 */
#ifndef V6SHARE_PCAPNG_H
#define V6SHARE_PCAPNG_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PCAPNG_SHB 0x0A0D0D0Au  /* the first four bytes of a pcapng file */

struct pcapng_reader;

struct pcapng_packet {
	struct timespec ts;
	uint32_t caplen, len;   /* captured, and original length */
	int linktype;           /* LINKTYPE_* of the packet's interface */
	uint32_t fcs;           /* bytes of frame check sequence at its end (if_fcslen), 0: none */
	uint32_t interface;
	const uint8_t *data;    /* valid until the next call */
};

/* Start reading fp (positioned at the section header). NULL, err set, when
 * it does not start a pcapng section. The reader owns fp from then on. */
struct pcapng_reader *pcapng_open(FILE *fp, char *err, size_t errlen);

/* 1: a packet; 0: the end of the file; -1: an error, pcapng_error says it. */
int pcapng_next(struct pcapng_reader *r, struct pcapng_packet *pkt);

/* Link types of the interfaces described so far, to check before counting:
 * calls fn for each; the interface descriptions before the first packet are
 * read first. 0, or the first non-zero fn returned; -1 on a read error. */
int pcapng_interfaces(struct pcapng_reader *r, int (*fn)(void *arg, uint32_t interface, int linktype), void *arg);

const char *pcapng_error(const struct pcapng_reader *r);

/* Free the reader and close its stream (standard input stays open). */
void pcapng_close(struct pcapng_reader *r);

#endif
