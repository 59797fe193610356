/* SPDX-License-Identifier: BSD-3-Clause
 * For the file readers' fuzzers, which read every input twice (mapped and
 * not) and compare: the input as a file, and packets folded into a sum.
 */
#ifndef V6SHARE_FUZZ_READ_TWICE_H
#define V6SHARE_FUZZ_READ_TWICE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* memfd_create */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "v6share/filemap.h"

/* The input in a memory file (a regular file: it can be mapped), at its
 * start; NULL if one cannot be made. */
static inline FILE *input_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("capture", 0);
	if (fd < 0)
		return NULL;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp)
		close(fd);
	return fp;
}

/* sum, with one packet folded in: its time, lengths, `more` (what else
 * the reader says of it) and every captured byte (read: ASan checks them). */
static inline uint64_t fold_packet(uint64_t sum, struct timespec ts, uint32_t caplen, uint32_t len, uint64_t more,
				   const uint8_t *data)
{
	uint64_t h = (uint64_t)ts.tv_sec * 1000000007u + (uint64_t)ts.tv_nsec;
	h = h * 31 + caplen;
	h = h * 31 + len;
	h = h * 31 + more;
	for (uint32_t i = 0; i < caplen; i++)
		h = h * 131 + data[i];
	return sum * 1000003 + h;
}

/* One reading of the input: packets (-1: the reader did not take the
 * file), their sum, and how reading ended. */
struct reading {
	long n;
	uint64_t sum;
	int rc;
	char err[256];
};

static inline int same_reading(const struct reading *a, const struct reading *b)
{
	return a->n == b->n && a->sum == b->sum && a->rc == b->rc && strcmp(a->err, b->err) == 0;
}

/* Start a reading: the input as a file (NULL: none could be made), *out
 * reset, the mapping switched on or off. */
static inline FILE *start_reading(const uint8_t *data, size_t size, int map, struct reading *out)
{
	*out = (struct reading){ .n = -1 };
	filemap_enabled = map;
	return input_file(data, size);
}

/* Each fuzzer's reader, on the input mapped (map = 1) or not: 0, or -1
 * when no memory file could be made. */
static int read_all(const uint8_t *data, size_t size, int map, struct reading *out);

/* The mapped file and the other way of reading must give the same packets
 * and end alike. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reading plain, mapped;
	if (read_all(data, size, 0, &plain) || read_all(data, size, 1, &mapped))
		return 0;
	if (!same_reading(&plain, &mapped))
		abort();
	return 0;
}

#endif
