/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the classic pcap block reader: the input is a whole
 * file, written to a memory file (the reader wants a descriptor it can
 * seek). Every packet must be readable to its captured length, no longer
 * than libpcap's largest, and reading must end; an error says why. The
 * file is read twice, mapped and with read(2): both must agree.
 */
#define _GNU_SOURCE 1           /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "v6share/filemap.h"
#include "v6share/pcapfile.h"

static int any_link(int linktype)
{
	return linktype != 147;         /* one the reader must leave to libpcap */
}

/* Read the input as a file with the reader mapping it or not; what was
 * read is summed into *sum, packet by packet. Returns the number of
 * packets, -1 when the reader did not take the file; *rc and err say how
 * reading ended. */
static long read_all(const uint8_t *data, size_t size, int map, uint64_t *sum, int *rc, char *err, size_t errlen)
{
	int fd = memfd_create("pcap", 0);
	*sum = 0;
	*rc = 0;
	err[0] = '\0';
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		return -1;
	}
	filemap_enabled = map;
	struct pcapfile_reader *r;
	int open_rc = pcapfile_open(fp, any_link, &r, err, errlen);
	if (open_rc != 1) {
		if (open_rc == 0 && ftell(fp) != 0)
			abort();                                /* handed back at its start */
		fclose(fp);
		return -1;
	}
	struct pcapfile_packet pkt;
	long n = 0;
	while ((*rc = pcapfile_next(r, &pkt)) == 1) {
		if (pkt.caplen > 262144 || pkt.caplen > size || (size_t)++n > size / 16)
			abort();
		uint64_t h = (uint64_t)pkt.ts.tv_sec * 1000000007u + (uint64_t)pkt.ts.tv_nsec;
		h = h * 31 + pkt.caplen;
		h = h * 31 + pkt.len;
		for (uint32_t i = 0; i < pkt.caplen; i++)       /* every byte readable (ASan) */
			h = h * 131 + pkt.data[i];
		*sum = *sum * 1000003 + h;
	}
	if (*rc < 0) {
		if (!pcapfile_error(r)[0])
			abort();
		snprintf(err, errlen, "%s", pcapfile_error(r));
	}
	pcapfile_close(r);
	return n;
}

/* The mapped file and read(2) must give the same packets and end alike. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err_read[256], err_map[256];
	uint64_t sum_read, sum_map;
	int rc_read, rc_map;
	long n_read = read_all(data, size, 0, &sum_read, &rc_read, err_read, sizeof(err_read));
	long n_map = read_all(data, size, 1, &sum_map, &rc_map, err_map, sizeof(err_map));
	if (n_read != n_map || sum_read != sum_map || rc_read != rc_map || strcmp(err_read, err_map) != 0)
		abort();
	return 0;
}
