/* SPDX-License-Identifier: BSD-3-Clause
 * The Kafka sink (see src/sink_kafka.c for its delivery guarantees).
 */
#ifndef V6SHARE_SINK_KAFKA_H
#define V6SHARE_SINK_KAFKA_H

#include <stddef.h>

#include "v6share/sink.h"

struct v6s_kafka_cfg {
	const char *brokers;            /* bootstrap.servers */
	const char *topic;
	char *const *props;             /* "key=value" librdkafka settings, applied last */
	size_t nprops;
	long long flush_ms;             /* how long stopping waits for confirmations */
	const char *state_dir;          /* the spool lives in STATE_DIR/spool */
	const char *node;               /* message key */
	int quiet;
};

struct v6s_sink *sink_kafka_open(const struct v6s_kafka_cfg *c, char *err, size_t errlen);

#endif
