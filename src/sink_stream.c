/* SPDX-License-Identifier: BSD-3-Clause
 * Stream sink: JSON Lines or tables to stdout or a file, flushed per summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v6share/sink.h"

struct v6s_sink {
	FILE *f;
	int owned;
	enum v6s_format fmt;
};

struct v6s_sink *sink_stream_open(const char *path, enum v6s_format fmt, char *err, size_t errlen)
{
	struct v6s_sink *k = calloc(1, sizeof(*k));

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	k->fmt = fmt;
	if (strcmp(path, "-") == 0) {
		k->f = stdout;
	} else {
		k->f = fopen(path, "w");
		if (!k->f) {
			snprintf(err, errlen, "%s: cannot open for writing: %s", path, strerror(errno));
			free(k);
			return NULL;
		}
		k->owned = 1;
	}
	return k;
}

int sink_emit(struct v6s_sink *k, const struct v6s_summary *s)
{
	if (k->fmt == V6S_FORMAT_TABLE) {
		report_summary_table(k->f, s);
		fputc('\n', k->f);
	} else {
		json_t *o = report_summary_json(s);
		if (!o)
			return -ENOMEM;
		int rc = json_dumpf(o, k->f, JSON_COMPACT | JSON_REAL_PRECISION(10));
		json_decref(o);
		if (rc)
			return -EIO;
		fputc('\n', k->f);
	}
	return fflush(k->f) == 0 && !ferror(k->f) ? 0 : -EIO;
}

void sink_close(struct v6s_sink *k)
{
	if (!k)
		return;
	if (k->owned)
		fclose(k->f);
	free(k);
}
