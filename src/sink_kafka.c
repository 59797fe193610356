/* SPDX-License-Identifier: BSD-3-Clause
 * Kafka sink: one message per summary (key: node, header schema, value: the
 * summary JSON) through librdkafka's idempotent producer. A summary the
 * broker has not confirmed is never dropped: while the broker is away it
 * waits in librdkafka's queue; whatever fails to deliver (timeout) or is
 * still queued when the meter stops goes to STATE_DIR/spool as one file per
 * summary, and is sent again, oldest first, when deliveries succeed again
 * and at the next start. A spool file goes only when its delivery report
 * says it arrived. The reporter thread calls emit and poll; librdkafka's
 * own threads do the network work, so the workers never wait on Kafka.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "v6share/sink_kafka.h"

struct kafka_sink {
	struct v6s_sink base;
	rd_kafka_t *rk;
	char *topic, *node, *spool;
	long long flush_ms;
	int quiet;
	int failing;                    /* last delivery failed: log the next state change */
	int retry_spool;                /* a delivery succeeded after failures: send the spool */
	unsigned long long spooled, delivered;
};

/* What travels with each message: where its spool file is, if it has one. */
struct kmsg {
	struct kafka_sink *k;
	uint64_t seq;
	char *payload;
	size_t len;
	char path[PATH_MAX];            /* "" when the message never was spooled */
};

static void spool_name(const struct kafka_sink *k, uint64_t seq, const char *suffix, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%020llu.%s", k->spool, (unsigned long long)seq, suffix);
}

/* Keep an undelivered summary for later. */
static void spool_keep(struct kmsg *m)
{
	char path[PATH_MAX];
	spool_name(m->k, m->seq, "json", path, sizeof(path));
	if (m->path[0]) {                       /* it came from the spool: put the file back */
		rename(m->path, path);
		return;
	}
	int rc = sink_write_durable(path, m->payload, m->len);
	if (rc)
		fprintf(stderr, "v6share: kafka: cannot spool summary %llu to %s: %s\n",
			(unsigned long long)m->seq, path, strerror(-rc));
	else
		m->k->spooled++;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	struct kmsg *m = msg->_private;
	struct kafka_sink *k = m->k;
	(void)rk;
	(void)opaque;
	if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (m->path[0])
			unlink(m->path);
		k->delivered++;
		if (k->failing) {
			k->failing = 0;
			k->retry_spool = 1;
			if (!k->quiet)
				fprintf(stderr, "v6share: kafka: delivering again\n");
		}
	} else {
		if (!k->failing)
			fprintf(stderr, "v6share: kafka: summary %llu not delivered (%s); spooling until the "
				"broker is back\n", (unsigned long long)m->seq, rd_kafka_err2str(msg->err));
		k->failing = 1;
		spool_keep(m);
	}
	free(m->payload);
	free(m);
}

/* Connection trouble: said once per change, not per message. */
static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka_sink *k = opaque;
	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || err == RD_KAFKA_RESP_ERR__TRANSPORT) {
		if (!k->failing)
			fprintf(stderr, "v6share: kafka: broker unreachable (%s); summaries wait\n", reason);
		k->failing = 1;
		return;
	}
	fprintf(stderr, "v6share: kafka: %s\n", reason);
}

static int produce(struct kafka_sink *k, uint64_t seq, const char *payload, size_t len, const char *spooled_path)
{
	struct kmsg *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->k = k;
	m->seq = seq;
	m->len = len;
	m->payload = malloc(len);
	if (!m->payload) {
		free(m);
		return -ENOMEM;
	}
	memcpy(m->payload, payload, len);
	if (spooled_path)
		snprintf(m->path, sizeof(m->path), "%s", spooled_path);
	rd_kafka_resp_err_t e = rd_kafka_producev(
		k->rk, RD_KAFKA_V_TOPIC(k->topic), RD_KAFKA_V_KEY(k->node, strlen(k->node)),
		RD_KAFKA_V_VALUE(m->payload, len), RD_KAFKA_V_HEADER("schema", V6S_SCHEMA, -1),
		RD_KAFKA_V_OPAQUE(m), RD_KAFKA_V_END);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {          /* queue full, or worse: keep it */
		if (!k->failing)
			fprintf(stderr, "v6share: kafka: cannot queue summary %llu (%s); spooling\n",
				(unsigned long long)seq, rd_kafka_err2str(e));
		k->failing = 1;
		spool_keep(m);
		free(m->payload);
		free(m);
		return 0;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Send every spooled summary, oldest first; each is marked .sending while
 * in flight so a second pass does not send it twice. */
static void spool_send(struct kafka_sink *k)
{
	DIR *d = opendir(k->spool);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l != 25 || strcmp(e->d_name + 20, ".json"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char from[PATH_MAX], to[PATH_MAX];
		uint64_t seq = strtoull(names[i], NULL, 10);
		snprintf(from, sizeof(from), "%s/%s", k->spool, names[i]);
		spool_name(k, seq, "sending", to, sizeof(to));
		FILE *f = fopen(from, "r");
		char *buf = NULL;
		size_t cap2 = 0;
		ssize_t len = f ? getdelim(&buf, &cap2, '\0', f) : -1;
		if (f)
			fclose(f);
		if (len > 0 && rename(from, to) == 0)
			produce(k, seq, buf, (size_t)len, to);
		free(buf);
		free(names[i]);
	}
	free(names);
}

static int kafka_emit(struct v6s_sink *base, const struct v6s_summary *s)
{
	struct kafka_sink *k = (struct kafka_sink *)base;
	size_t len;
	char *text = sink_encode_json(s, &len);
	if (!text)
		return -ENOMEM;
	int rc = produce(k, s->seq, text, len, NULL);
	free(text);
	rd_kafka_poll(k->rk, 0);
	return rc;
}

static void kafka_poll(struct v6s_sink *base)
{
	struct kafka_sink *k = (struct kafka_sink *)base;
	rd_kafka_poll(k->rk, 0);
	if (k->retry_spool) {
		k->retry_spool = 0;
		spool_send(k);
	}
}

static void kafka_close(struct v6s_sink *base)
{
	struct kafka_sink *k = (struct kafka_sink *)base;
	rd_kafka_flush(k->rk, (int)k->flush_ms);
	if (rd_kafka_outq_len(k->rk) > 0) {
		/* not confirmed in time: their delivery reports (purged) spool them */
		rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
		for (int i = 0; i < 100 && rd_kafka_outq_len(k->rk) > 0; i++)
			rd_kafka_poll(k->rk, 50);
	}
	if (!k->quiet || k->spooled)
		fprintf(stderr, "v6share: kafka: %llu summaries delivered, %llu spooled in %s\n", k->delivered,
			k->spooled, k->spool);
	rd_kafka_destroy(k->rk);
	free(k->topic);
	free(k->node);
	free(k->spool);
	free(k);
}

static int set(rd_kafka_conf_t *conf, const char *key, const char *value, char *err, size_t errlen)
{
	char e[512];
	if (rd_kafka_conf_set(conf, key, value, e, sizeof(e)) != RD_KAFKA_CONF_OK) {
		/* the value may be a secret: name the key only */
		snprintf(err, errlen, "kafka property %s: %s", key, e);
		return -1;
	}
	return 0;
}

struct v6s_sink *sink_kafka_open(const struct v6s_kafka_cfg *c, char *err, size_t errlen)
{
	struct kafka_sink *k = calloc(1, sizeof(*k));
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char path[PATH_MAX];

	if (!k || !conf)
		goto oom;
	k->base = (struct v6s_sink){ .kind = "kafka", .emit = kafka_emit, .poll = kafka_poll, .close = kafka_close };
	k->topic = strdup(c->topic);
	k->node = strdup(c->node);
	snprintf(path, sizeof(path), "%s/spool", c->state_dir);
	k->spool = strdup(path);
	k->flush_ms = c->flush_ms > 0 ? c->flush_ms : 10000;
	k->quiet = c->quiet;
	if (!k->topic || !k->node || !k->spool)
		goto oom;
	if ((mkdir(c->state_dir, 0755) && errno != EEXIST) || (mkdir(k->spool, 0755) && errno != EEXIST)) {
		snprintf(err, errlen, "%s: cannot create the spool: %s", k->spool, strerror(errno));
		goto fail;
	}
	/* defaults: exactly once into the log, every replica, compressed */
	if (set(conf, "bootstrap.servers", c->brokers, err, errlen) ||
	    set(conf, "enable.idempotence", "true", err, errlen) || set(conf, "acks", "all", err, errlen) ||
	    set(conf, "compression.type", "lz4", err, errlen) || set(conf, "linger.ms", "5", err, errlen) ||
	    /* connection trouble is said once per change by on_error, not per attempt */
	    set(conf, "log_level", "2", err, errlen))
		goto fail;
	for (size_t i = 0; i < c->nprops; i++) {
		char *kv = strdup(c->props[i]), *eq = kv ? strchr(kv, '=') : NULL;
		if (!eq) {
			snprintf(err, errlen, "kafka property \"%.40s...\": expected key=value", kv ? kv : "");
			free(kv);
			goto fail;
		}
		*eq = '\0';
		int bad = set(conf, kv, eq + 1, err, errlen);
		free(kv);
		if (bad)
			goto fail;
	}
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_opaque(conf, k);
	char e[512];
	k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, e, sizeof(e));
	if (!k->rk) {
		snprintf(err, errlen, "kafka: %s", e);
		goto fail;              /* on failure the conf is still ours to free */
	}
	conf = NULL;                    /* on success rd_kafka_new took it */
	/* crash recovery: what was in flight when the last run died goes again */
	DIR *d = opendir(k->spool);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strlen(de->d_name) == 28 && !strcmp(de->d_name + 20, ".sending")) {
			char from[PATH_MAX], to[PATH_MAX];
			snprintf(from, sizeof(from), "%s/%s", k->spool, de->d_name);
			snprintf(to, sizeof(to), "%s/%.20s.json", k->spool, de->d_name);
			rename(from, to);
		}
	}
	if (d)
		closedir(d);
	spool_send(k);
	return &k->base;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	if (conf)
		rd_kafka_conf_destroy(conf);
	if (k) {
		free(k->topic);
		free(k->node);
		free(k->spool);
		free(k);
	}
	return NULL;
}
