/* SPDX-License-Identifier: BSD-3-Clause
 * Sinks: where summaries go. Several can run at once:
 *   stream: JSON Lines or tables to stdout, or a file created afresh (--output);
 *   file:   JSON Lines appended, fsync'd per summary, rotated by size;
 *   kafka:  one message per summary (sink_kafka.c), spooled when undeliverable.
 */
#ifndef V6SHARE_SINK_H
#define V6SHARE_SINK_H

#include <stddef.h>

#include "v6share/report.h"

enum v6s_format { V6S_FORMAT_JSON, V6S_FORMAT_TABLE };

struct v6s_sink {
	const char *kind;
	int (*emit)(struct v6s_sink *k, const struct v6s_summary *s);  /* 0 or -errno */
	void (*poll)(struct v6s_sink *k);                               /* may be NULL */
	void (*close)(struct v6s_sink *k);
};

static inline int sink_emit(struct v6s_sink *k, const struct v6s_summary *s)
{
	return k->emit(k, s);
}

static inline void sink_poll(struct v6s_sink *k)
{
	if (k->poll)
		k->poll(k);
}

static inline void sink_close(struct v6s_sink *k)
{
	if (k)
		k->close(k);
}

/* path "-" is stdout; a file is created or truncated. NULL with err set on failure. */
struct v6s_sink *sink_stream_open(const char *path, enum v6s_format fmt, char *err, size_t errlen);

/* JSON Lines appended to path, fsync'd after each summary; when rotate_bytes > 0
 * and the file has grown past it, it is renamed path.1 (older ones shift up to
 * path.keep) and a new one started. */
struct v6s_sink *sink_file_open(const char *path, long long rotate_bytes, unsigned keep, char *err, size_t errlen);

/* Write a whole file so that a crash or a power cut leaves either the old
 * file or the new one: a temporary beside it, synced, renamed over it, and
 * the directory synced so that the new name lasts too. 0 or -errno. */
int sink_write_durable(const char *path, const void *data, size_t len);

/* Sync the directory that holds path, so that a file just created or
 * renamed there keeps its name across a power cut. 0 or -errno. */
int sink_sync_dir(const char *path);

/* The summary as one line of compact JSON (caller frees), or NULL. */
char *sink_encode_json(const struct v6s_summary *s, size_t *len);

#endif
