/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the pcapng reader: the input is a whole file,
 * written to a memory file. Every packet it hands out must lie inside the
 * input, and reading must end. The file is read twice, mapped and through
 * stdio: both must give the same packets and end alike.
 */
#define _GNU_SOURCE 1           /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "v6share/filemap.h"
#include "v6share/pcapng.h"

/* Packets read, summed into *sum; -1 when the reader did not take the file
 * (err says why). *rc and err say how reading ended. */
static long read_all(const uint8_t *data, size_t size, int map, uint64_t *sum, int *rc, char *err, size_t errlen)
{
	int fd = memfd_create("pcapng", 0);
	*sum = 0;
	*rc = 0;
	err[0] = '\0';
	if (fd < 0)
		return -2;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -2;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		return -2;
	}
	filemap_enabled = map;
	struct pcapng_reader *r = pcapng_open(fp, err, errlen);
	if (!r) {
		fclose(fp);
		return -1;
	}
	struct pcapng_packet pkt;
	long n = 0;
	while ((*rc = pcapng_next(r, &pkt)) == 1) {
		if (pkt.caplen > size || (size_t)++n > size)
			abort();
		if (pkt.ts.tv_nsec < 0 || pkt.ts.tv_nsec >= 1000000000)
			abort();
		uint64_t h = (uint64_t)pkt.ts.tv_sec * 1000000007u + (uint64_t)pkt.ts.tv_nsec;
		h = h * 31 + pkt.caplen;
		h = h * 31 + pkt.len;
		h = h * 31 + (uint64_t)pkt.linktype;
		h = h * 31 + pkt.fcs;
		h = h * 31 + pkt.interface;
		for (uint32_t i = 0; i < pkt.caplen; i++)       /* every byte readable (ASan) */
			h = h * 131 + pkt.data[i];
		*sum = *sum * 1000003 + h;
	}
	if (*rc < 0) {
		if (!pcapng_error(r)[0])
			abort();                                /* an error always says why */
		snprintf(err, errlen, "%s", pcapng_error(r));
	}
	pcapng_close(r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err_stdio[256], err_map[256];
	uint64_t sum_stdio, sum_map;
	int rc_stdio, rc_map;
	long n_stdio = read_all(data, size, 0, &sum_stdio, &rc_stdio, err_stdio, sizeof(err_stdio));
	long n_map = read_all(data, size, 1, &sum_map, &rc_map, err_map, sizeof(err_map));
	if (n_stdio == -2 || n_map == -2)
		return 0;
	if (n_stdio != n_map || sum_stdio != sum_map || rc_stdio != rc_map || strcmp(err_stdio, err_map) != 0)
		abort();
	return 0;
}
