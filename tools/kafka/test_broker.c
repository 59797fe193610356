/* SPDX-License-Identifier: BSD-3-Clause
 * v6share-test-broker: a Kafka broker for tests, built on librdkafka's mock
 * cluster. It listens on loopback, prints its bootstrap address on the
 * first line of standard output, and serves the real Kafka protocol to any
 * client (v6share, kcat) until SIGTERM/SIGINT.
 *   SIGUSR1: take the broker down (connections refused / dropped)
 *   SIGUSR2: bring it back up
 * --rtt MS makes every response that much slower (a slow broker).
 *
 * The mock cluster closes its listener while down and binds the same port
 * again when up. Another socket could take the free port meanwhile (an
 * outgoing connection of a test running beside, given it as its local
 * port), and the broker would never come back: while down, this program
 * holds the port itself with a bound, not listening socket, so connections
 * are still refused and nothing else gets the port.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
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

/* A bound, not listening socket on addr ("host:port"): connections to it
 * are refused, and no other socket is given the port. -1 if not bound. */
static int hold_port(const char *addr)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s, one = 1;

	if (!colon || (size_t)(colon - addr) >= sizeof(host))
		return -1;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	sin.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 || (s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(s);
		return -1;
	}
	return s;
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
	const char *addr = rd_kafka_mock_cluster_bootstraps(mc);
	int held = -1;
	printf("%s\n", addr);
	fflush(stdout);
	while (!stop) {
		if (want_down) {
			want_down = 0;
			rd_kafka_mock_broker_set_down(mc, 1);
			/* the mock cluster's thread closes its listener a moment
			 * later, on a loaded machine many moments: until it has,
			 * the port cannot be bound */
			for (int tries = 0; held < 0 && tries < 300; tries++) {
				held = hold_port(addr);
				if (held < 0)
					usleep(10000);
			}
			fprintf(stderr, "v6share-test-broker: down%s\n", held < 0 ? " (the port is not held)" : "");
		}
		if (want_up) {
			want_up = 0;
			if (held >= 0)
				close(held);
			held = -1;
			rd_kafka_mock_broker_set_up(mc, 1);
			fprintf(stderr, "v6share-test-broker: up\n");
		}
		usleep(20000);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
