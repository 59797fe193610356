/* SPDX-License-Identifier: BSD-3-Clause
 * v6share-test-broker: a Kafka broker for tests, built on librdkafka's mock
 * cluster. It listens on loopback, prints its bootstrap address on the
 * first line of standard output, and serves the real Kafka protocol to any
 * client (v6share, kcat) until SIGTERM/SIGINT.
 *   SIGUSR1: take the broker down (connections refused / dropped)
 *   SIGUSR2: bring it back up
 * --rtt MS makes every response that much slower (a slow broker).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t want_down, want_up, stop;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_down = 1;
	else if (sig == SIGUSR2)
		want_up = 1;
	else
		stop = 1;
}

int main(int argc, char **argv)
{
	char err[512];
	int rtt = 0, partitions = 1;
	const char *topic = "v6share.summary";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rtt") && i + 1 < argc)
			rtt = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--topic") && i + 1 < argc)
			topic = argv[++i];
		else {
			fprintf(stderr, "usage: v6share-test-broker [--rtt MS] [--topic NAME]\n");
			return 2;
		}
	}
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	if (!rk) {
		fprintf(stderr, "v6share-test-broker: %s\n", err);
		return 1;
	}
	rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, 1);
	if (!mc) {
		fprintf(stderr, "v6share-test-broker: cannot start the mock cluster\n");
		return 1;
	}
	rd_kafka_mock_topic_create(mc, topic, partitions, 1);
	if (rtt)
		rd_kafka_mock_broker_set_rtt(mc, 1, rtt);
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	while (!stop) {
		if (want_down) {
			want_down = 0;
			rd_kafka_mock_broker_set_down(mc, 1);
			fprintf(stderr, "v6share-test-broker: down\n");
		}
		if (want_up) {
			want_up = 0;
			rd_kafka_mock_broker_set_up(mc, 1);
			fprintf(stderr, "v6share-test-broker: up\n");
		}
		usleep(20000);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
