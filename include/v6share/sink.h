/* SPDX-License-Identifier: BSD-3-Clause
 * Sinks: where summaries go. A stream sink writes JSON Lines or tables to
 * stdout or a file.
 */
#ifndef V6SHARE_SINK_H
#define V6SHARE_SINK_H

#include <stddef.h>

#include "v6share/report.h"

enum v6s_format { V6S_FORMAT_JSON, V6S_FORMAT_TABLE };

struct v6s_sink;

/* path "-" is stdout; a file is created or truncated. NULL with err set on failure. */
struct v6s_sink *sink_stream_open(const char *path, enum v6s_format fmt, char *err, size_t errlen);

/* 0, or -errno. */
int sink_emit(struct v6s_sink *sink, const struct v6s_summary *s);

void sink_close(struct v6s_sink *sink);

#endif
