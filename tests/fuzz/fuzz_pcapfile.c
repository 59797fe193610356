/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the classic pcap block reader: the input is a whole
 * file, written to a memory file (the reader wants a descriptor it can
 * seek). Every packet must be readable to its captured length, no longer
 * than libpcap's largest, and reading must end; an error says why.
 */
#define _GNU_SOURCE 1           /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "v6share/pcapfile.h"

static int any_link(int linktype)
{
	return linktype != 147;         /* one the reader must leave to libpcap */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	int fd = memfd_create("pcap", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		return 0;
	}
	struct pcapfile_reader *r;
	int rc = pcapfile_open(fp, any_link, &r, err, sizeof(err));
	if (rc != 1) {
		if (rc == 0 && ftell(fp) != 0)
			abort();                                /* handed back at its start */
		fclose(fp);
		return 0;
	}
	struct pcapfile_packet pkt;
	unsigned n = 0;
	uint8_t sum = 0;
	while ((rc = pcapfile_next(r, &pkt)) == 1) {
		if (pkt.caplen > 262144 || pkt.caplen > size || ++n > size / 16)
			abort();
		for (uint32_t i = 0; i < pkt.caplen; i++)       /* every byte readable (ASan) */
			sum ^= pkt.data[i];
	}
	if (rc < 0 && !pcapfile_error(r)[0])
		abort();
	pcapfile_close(r);
	__asm__ volatile("" : : "r"(sum));
	return 0;
}
