/* SPDX-License-Identifier: BSD-3-Clause
 * A capture file's bytes for libpcap: the file itself through a 1 MiB
 * buffer, or, when its first bytes say gzip, zstd, xz or bzip2, a stdio
 * stream of our own (fopencookie) that decompresses as libpcap reads. A
 * compressed stream that ends before its decoder does (a cut archive) or
 * does not decode is a read error, so libpcap reports it and counting stops
 * there. Route tables are read through the same stream (text_open).
 */
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "v6share/capture_file.h"

/* stdio reads a file in blocks of its st_blksize, 4 KiB: one read(2) for
 * every three or four packets, which was most of a bare pcap_next_ex loop's
 * time (0.64 s for 2,000,000 packets here, 0.17 s with this buffer). One file
 * is open at a time, so one buffer serves them all; stdin, which pcap_close
 * leaves open, keeps one of its own. */
#define READ_BUFFER (1u << 20)
static char read_buffer[READ_BUFFER], stdin_buffer[READ_BUFFER];

#ifndef IN_CHUNK
#define IN_CHUNK (1u << 18)     /* compressed bytes read at a time (the fuzzer sets a tiny one) */
#endif

enum codec { PLAIN, GZIP, ZSTD, XZ, BZIP2 };

struct dstream {
	FILE *raw;
	enum codec codec;
	uint8_t *in;
	size_t in_pos, in_len;
	int eof;                /* raw has no more bytes */
	int boundary;           /* the decoder is between two members or frames */
	int done;               /* no more output */
	int failed;             /* output ended by an error, reported on the next read */
	z_stream z;
	ZSTD_DStream *zs;
	lzma_stream x;
	bz_stream b;
};

static int refill(struct dstream *d)
{
	d->in_pos = 0;
	d->in_len = fread(d->in, 1, IN_CHUNK, d->raw);
	if (d->in_len == 0) {
		if (ferror(d->raw))
			return -1;
		d->eof = 1;
	}
	return 0;
}

/* One decoder step from d->in into buf[*out..size). -1: the data is bad. */
static int step(struct dstream *d, char *buf, size_t size, size_t *out)
{
	const uint8_t *src = d->in + d->in_pos;
	size_t avail = d->in_len - d->in_pos, room = size - *out, used = 0, made = 0;

	switch (d->codec) {
	case PLAIN:
		used = made = avail < room ? avail : room;
		memcpy(buf + *out, src, made);
		d->boundary = 1;
		break;
	case GZIP: {
		if (d->boundary && avail) {     /* another member follows (concatenated gzip) */
			if (src[0] != 0x1f || (avail > 1 && src[1] != 0x8b)) {
				/* zero padding after the last member (tape blocks) is
				 * skipped, as gzip -d does; other bytes are not gzip,
				 * and not read: an error, as zstd and xz make it */
				for (size_t i = 0; i < avail; i++)
					if (src[i])
						return -1;
				used = avail;
				break;
			}
			if (inflateReset(&d->z) != Z_OK)
				return -1;
			d->boundary = 0;
		}
		d->z.next_in = (Bytef *)(uintptr_t)src;
		d->z.avail_in = (uInt)avail;
		d->z.next_out = (Bytef *)buf + *out;
		d->z.avail_out = (uInt)room;
		int r = inflate(&d->z, Z_NO_FLUSH);
		used = avail - d->z.avail_in;
		made = room - d->z.avail_out;
		if (r == Z_STREAM_END)
			d->boundary = 1;
		else if (r != Z_OK && r != Z_BUF_ERROR)
			return -1;
		break;
	}
	case ZSTD: {
		ZSTD_inBuffer zi = { src, avail, 0 };
		ZSTD_outBuffer zo = { buf + *out, room, 0 };
		size_t r = ZSTD_decompressStream(d->zs, &zo, &zi);
		if (ZSTD_isError(r))
			return -1;
		used = zi.pos;
		made = zo.pos;
		d->boundary = r == 0;           /* a frame decoded and flushed whole */
		break;
	}
	case BZIP2: {
		if (d->boundary && avail) {     /* another stream follows (pbzip2 writes many) */
			if (memcmp(src, "BZh", avail < 3 ? avail : 3))
				return -1;      /* not bzip2: an error, as for zstd and xz */
			BZ2_bzDecompressEnd(&d->b);
			memset(&d->b, 0, sizeof(d->b));
			if (BZ2_bzDecompressInit(&d->b, 0, 0) != BZ_OK)
				return -1;
			d->boundary = 0;
		}
		d->b.next_in = (char *)(uintptr_t)src;
		d->b.avail_in = (unsigned)avail;
		d->b.next_out = buf + *out;
		d->b.avail_out = (unsigned)room;
		int r = BZ2_bzDecompress(&d->b);
		used = avail - d->b.avail_in;
		made = room - d->b.avail_out;
		if (r == BZ_STREAM_END)
			d->boundary = 1;
		else if (r != BZ_OK)
			return -1;
		break;
	}
	case XZ: {
		d->x.next_in = src;
		d->x.avail_in = avail;
		d->x.next_out = (uint8_t *)buf + *out;
		d->x.avail_out = room;
		lzma_ret r = lzma_code(&d->x, d->eof ? LZMA_FINISH : LZMA_RUN);
		used = avail - d->x.avail_in;
		made = room - d->x.avail_out;
		if (r == LZMA_STREAM_END)
			d->done = 1;
		else if (r != LZMA_OK && r != LZMA_BUF_ERROR)
			return -1;
		break;
	}
	}
	d->in_pos += used;
	*out += made;
	return 0;
}

static ssize_t dstream_read(void *cookie, char *buf, size_t size)
{
	struct dstream *d = cookie;
	size_t out = 0;

	if (d->failed) {
		errno = EIO;
		return -1;
	}
	while (out < size && !d->done) {
		if (d->in_pos == d->in_len && !d->eof && refill(d))
			goto fail;
		if (d->in_pos == d->in_len && d->eof && d->boundary && d->codec != XZ) {
			d->done = 1;            /* the input ended where a member or frame did */
			break;
		}
		size_t in0 = d->in_pos, out0 = out;
		if (step(d, buf, size, &out))
			goto fail;
		if (!d->done && d->eof && d->in_pos == in0 && out == out0)
			goto fail;              /* the input ended inside a member or frame */
	}
	return (ssize_t)out;
fail:
	d->failed = 1;
	if (out)
		return (ssize_t)out;    /* what was decoded first; the error comes next */
	errno = EIO;
	return -1;
}

static int dstream_close(void *cookie)
{
	struct dstream *d = cookie;
	if (d->codec == GZIP)
		inflateEnd(&d->z);
	ZSTD_freeDStream(d->zs);
	if (d->codec == XZ)
		lzma_end(&d->x);
	if (d->codec == BZIP2)
		BZ2_bzDecompressEnd(&d->b);
	if (d->raw != stdin)
		fclose(d->raw);
	free(d->in);
	free(d);
	return 0;
}

static enum codec codec_of(const uint8_t *b, size_t n, const char **unsupported)
{
	*unsupported = NULL;
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return GZIP;
	if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		return ZSTD;
	if (n >= 6 && memcmp(b, "\xfd" "7zXZ\0", 6) == 0)
		return XZ;
	if (n >= 4 && memcmp(b, "BZh", 3) == 0 && b[3] >= '1' && b[3] <= '9')
		return BZIP2;
	if (n >= 4 && memcmp(b, "\x04\x22\x4d\x18", 4) == 0)
		*unsupported = "lz4";
	return PLAIN;
}

static int decoder_init(struct dstream *d)
{
	switch (d->codec) {
	case GZIP:
		return inflateInit2(&d->z, 15 + 16) == Z_OK ? 0 : -1;
	case ZSTD:
		return (d->zs = ZSTD_createDStream()) && !ZSTD_isError(ZSTD_initDStream(d->zs)) ? 0 : -1;
	case BZIP2:
		return BZ2_bzDecompressInit(&d->b, 0, 0) == BZ_OK ? 0 : -1;
	case XZ:
		d->x = (lzma_stream)LZMA_STREAM_INIT;
		return lzma_stream_decoder(&d->x, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK ? 0 : -1;
	default:
		return 0;
	}
}

/* Both openers: "what" names the contents in errors, "option" the flag a
 * pipe from a decompressor would be given to; shared: use the one static
 * buffer (capture files, read one at a time) or a buffer of the stream's own
 * (tables, read on another thread beside a capture). */
static FILE *open_decoded(const char *path, const char *what, const char *option, int shared, int *regular,
			  const char **how, char *err, size_t errlen)
{
	static const char *const names[] = { NULL, "gzip", "zstd", "xz", "bzip2" };
	int is_stdin = strcmp(path, "-") == 0;
	FILE *raw = is_stdin ? stdin : fopen(path, "rb");
	struct dstream *d = NULL;
	struct stat sb;

	if (!raw) {
		snprintf(err, errlen, "%s: cannot read%s%s: %s", path, what ? " as " : "", what ? what : "",
			 strerror(errno));
		return NULL;
	}
	*regular = fstat(fileno(raw), &sb) == 0 && S_ISREG(sb.st_mode);
	if (shared)
		setvbuf(raw, is_stdin ? stdin_buffer : read_buffer, _IOFBF, READ_BUFFER);
	posix_fadvise(fileno(raw), 0, 0, POSIX_FADV_SEQUENTIAL);  /* a hint; a pipe refuses it */

	if (!(d = calloc(1, sizeof(*d))) || !(d->in = malloc(IN_CHUNK))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	d->raw = raw;
	if (refill(d)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	const char *unsupported;
	d->codec = codec_of(d->in, d->in_len, &unsupported);
	d->boundary = d->codec == PLAIN;        /* plain bytes may end anywhere */
	*how = names[d->codec];
	if (unsupported) {
		snprintf(err, errlen, "%s: compressed with %s, which v6share does not read; decompress it into a pipe: "
			 "%s -dc %s | v6share %s -", path, unsupported, unsupported, is_stdin ? "FILE" : path, option);
		goto fail;
	}
	if (d->codec == PLAIN && *regular && !is_stdin && fseek(raw, 0, SEEK_SET) == 0) {
		free(d->in);            /* a plain file is read as it is */
		free(d);
		return raw;
	}
	if (decoder_init(d)) {
		snprintf(err, errlen, "%s: cannot start the %s decoder", path, *how);
		goto fail;
	}
	cookie_io_functions_t io = { .read = dstream_read, .close = dstream_close };
	FILE *fp = fopencookie(d, "rb", io);
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		dstream_close(d);
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, READ_BUFFER);
	return fp;
fail:
	if (d) {
		free(d->in);
		free(d);
	}
	if (raw != stdin)
		fclose(raw);
	return NULL;
}

FILE *capture_open(const char *path, int *regular, const char **how, char *err, size_t errlen)
{
	return open_decoded(path, "pcap or pcapng", "--pcap", 1, regular, how, err, errlen);
}

FILE *text_open(const char *path, const char *option, const char **how, char *err, size_t errlen)
{
	int regular;
	return open_decoded(path, NULL, option, 0, &regular, how, err, errlen);
}
