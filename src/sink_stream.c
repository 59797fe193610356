/* SPDX-License-Identifier: BSD-3-Clause
 * Stream and file sinks: JSON Lines (or tables) to stdout or files.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "v6share/sink.h"

int sink_sync_dir(const char *path)
{
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) ? -errno : 0;
	close(fd);
	return rc;
}

int sink_write_durable(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	int rc = ok ? 0 : -EIO;
	close(fd);
	if (ok && rename(tmp, path) != 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	return sink_sync_dir(path);
}

char *sink_encode_json(const struct v6s_summary *s, size_t *len)
{
	json_t *o = report_summary_json(s);
	if (!o)
		return NULL;
	char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (text && len)
		*len = strlen(text);
	return text;
}

/* ---- stream ---- */

struct stream_sink {
	struct v6s_sink base;
	FILE *f;
	int owned;
	enum v6s_format fmt;
};

static int stream_emit(struct v6s_sink *k, const struct v6s_summary *s)
{
	struct stream_sink *x = (struct stream_sink *)k;
	if (x->fmt == V6S_FORMAT_TABLE) {
		report_summary_table(x->f, s);
		fputc('\n', x->f);
	} else {
		char *text = sink_encode_json(s, NULL);
		if (!text)
			return -ENOMEM;
		fputs(text, x->f);
		fputc('\n', x->f);
		free(text);
	}
	return fflush(x->f) == 0 && !ferror(x->f) ? 0 : -EIO;
}

static void stream_close(struct v6s_sink *k)
{
	struct stream_sink *x = (struct stream_sink *)k;
	if (x->owned)
		fclose(x->f);
	free(x);
}

struct v6s_sink *sink_stream_open(const char *path, enum v6s_format fmt, char *err, size_t errlen)
{
	struct stream_sink *x = calloc(1, sizeof(*x));

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->base = (struct v6s_sink){ .kind = "stream", .emit = stream_emit, .close = stream_close };
	x->fmt = fmt;
	if (strcmp(path, "-") == 0) {
		x->f = stdout;
	} else {
		x->f = fopen(path, "w");
		if (!x->f) {
			snprintf(err, errlen, "%s: cannot open for writing: %s", path, strerror(errno));
			free(x);
			return NULL;
		}
		x->owned = 1;
	}
	return &x->base;
}

/* ---- file: appended, durable, rotated ---- */

struct file_sink {
	struct v6s_sink base;
	char *path;
	int fd;
	long long rotate;
	unsigned keep;
};

static int file_reopen(struct file_sink *x)
{
	x->fd = open(x->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (x->fd < 0)
		return -errno;
	sink_sync_dir(x->path);         /* a file just created (or rotated) keeps its name */
	return 0;
}

static void file_rotate(struct file_sink *x)
{
	char from[4096], to[4096];
	for (unsigned i = x->keep; i > 1; i--) {
		snprintf(from, sizeof(from), "%s.%u", x->path, i - 1);
		snprintf(to, sizeof(to), "%s.%u", x->path, i);
		rename(from, to);
	}
	snprintf(to, sizeof(to), "%s.1", x->path);
	close(x->fd);
	rename(x->path, to);
	file_reopen(x);
}

static int file_emit(struct v6s_sink *k, const struct v6s_summary *s)
{
	struct file_sink *x = (struct file_sink *)k;
	size_t len;
	char *text = sink_encode_json(s, &len);
	if (!text)
		return -ENOMEM;
	if (x->fd < 0 && file_reopen(x)) {
		free(text);
		return -EIO;
	}
	text[len] = '\n';               /* json_dumps leaves room: the NUL becomes the newline */
	ssize_t w = write(x->fd, text, len + 1);
	free(text);
	if (w != (ssize_t)(len + 1) || fsync(x->fd) != 0)
		return -EIO;
	struct stat st;
	if (x->rotate > 0 && fstat(x->fd, &st) == 0 && st.st_size >= x->rotate)
		file_rotate(x);
	return 0;
}

static void file_close(struct v6s_sink *k)
{
	struct file_sink *x = (struct file_sink *)k;
	if (x->fd >= 0)
		close(x->fd);
	free(x->path);
	free(x);
}

struct v6s_sink *sink_file_open(const char *path, long long rotate_bytes, unsigned keep, char *err, size_t errlen)
{
	struct file_sink *x = calloc(1, sizeof(*x));
	if (!x || !(x->path = strdup(path))) {
		free(x);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->base = (struct v6s_sink){ .kind = "file", .emit = file_emit, .close = file_close };
	x->rotate = rotate_bytes;
	x->keep = keep ? keep : 1;
	if (file_reopen(x)) {
		snprintf(err, errlen, "%s: cannot open for appending: %s", path, strerror(errno));
		free(x->path);
		free(x);
		return NULL;
	}
	return &x->base;
}
