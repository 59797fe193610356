/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for reading compressed captures (gzip, zstd, xz, bzip2): the
 * input's bytes are the payload, compressed here with the codec's own
 * library as one to three members, frames or streams (as pigz, bgzip, pbzip2
 * or `cat a.gz b.gz` make them), then left whole, padded, cut short or damaged, and read
 * back through capture_open as libpcap would. This build reads the file a
 * few bytes at a time (IN_CHUNK), so every decoder step meets a chunk's end.
 * What must hold:
 * - whole (or padded as the format allows): exactly the payload, no error;
 * - cut short: a prefix of the payload, and an error unless the cut fell
 *   exactly between two members;
 * - damaged: no crash, no hang.
 */
#define _GNU_SOURCE 1           /* memfd_create */
#include <bzlib.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "v6share/capture_file.h"

enum { GZIP, ZSTD, XZ, BZIP2, CODECS };

/* Append data compressed as one member of codec to out (cap bytes). */
static size_t member(int codec, const uint8_t *data, size_t n, uint8_t *out, size_t cap)
{
	if (codec == GZIP) {
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (Bytef *)(uintptr_t)data;
		z.avail_in = (uInt)n;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			abort();
		size_t len = cap - z.avail_out;
		deflateEnd(&z);
		return len;
	}
	if (codec == ZSTD) {
		size_t len = ZSTD_compress(out, cap, data, n, 3);
		if (ZSTD_isError(len))
			abort();
		return len;
	}
	if (codec == BZIP2) {
		unsigned len = (unsigned)cap;
		if (BZ2_bzBuffToBuffCompress((char *)out, &len, (char *)(uintptr_t)data, (unsigned)n, 1, 0, 0) != BZ_OK)
			abort();
		return len;
	}
	size_t pos = 0;
	if (lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32, NULL, data, n, out, &pos, cap) != LZMA_OK)
		abort();
	return pos;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	const uint8_t mode = data[0], amount = data[1], where = data[2];
	const uint8_t *payload = data + 3;
	size_t n = size - 3;
	int codec = mode % CODECS, members = 1 + (mode / CODECS) % 3, damage = (mode / (3 * CODECS)) % 4;
	if (damage == 3 && (codec == ZSTD || codec == BZIP2))
		damage = 0;             /* zstd and bzip2 allow no padding after their frames */

	size_t cap = 2 * n + 1024 * (size_t)members, len = 0;
	uint8_t *file = malloc(cap + 8);
	size_t ends[3], ends_at[3];     /* each member's end in the payload and in the file */
	for (int m = 0; m < members; m++) {
		size_t from = n * (size_t)m / (size_t)members, to = n * (size_t)(m + 1) / (size_t)members;
		len += member(codec, payload + from, to - from, file + len, cap - len);
		ends[m] = to;
		ends_at[m] = len;
	}
	if (damage == 1)                /* cut short by 1..256 bytes, at least the magic left */
		len = len > 8u + amount ? len - 1 - amount : 8;
	else if (damage == 2)           /* one byte changed */
		file[(size_t)where * 7919u % len] ^= (uint8_t)(amount | 1);
	else if (damage == 3) {         /* padding: zeros after the last member, as gzip and xz allow */
		memset(file + len, 0, 4);
		len += 4;
	}

	char path[64], err[512];
	int fd = memfd_create("capture", 0);
	if (fd < 0 || write(fd, file, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int regular = 0;
	const char *how = NULL;
	FILE *fp = capture_open(path, &regular, &how, err, sizeof(err));
	close(fd);
	if (!fp)
		abort();                        /* it starts with the codec's magic: it opens */
	if (!how) {
		if (damage != 2)
			abort();                /* and it is read as compressed, */
		fclose(fp);                     /* unless the damage hit the magic */
		free(file);
		return 0;
	}

	size_t got = 0, room = n + 65536;
	uint8_t *out = malloc(room);
	int failed = 0;
	for (;;) {
		if (got == room) {
			room *= 2;
			out = realloc(out, room);
		}
		size_t r = fread(out + got, 1, room - got, fp);
		got += r;
		if (r == 0) {
			failed = ferror(fp) != 0;
			break;
		}
	}
	fclose(fp);

	if (damage == 0 || damage == 3) {
		if (failed || got != n || memcmp(out, payload, n) != 0)
			abort();
	} else if (damage == 1) {
		if (got > n || memcmp(out, payload, got) != 0)
			abort();                /* a prefix */
		int between = 0;
		for (int m = 0; m < members; m++)
			between |= ends_at[m] == len && got == ends[m];
		if (!failed && !between)
			abort();                /* a cut inside a member is an error */
	}
	free(out);
	free(file);
	return 0;
}
