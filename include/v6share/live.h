/* SPDX-License-Identifier: BSD-3-Clause
 * Live mode: DPDK ports and queues, worker lcores running the shared
 * parse -> attribute -> count path, a reporter on the main lcore that closes
 * intervals on the wall clock and a last, partial one on SIGINT/SIGTERM.
 */
#ifndef V6SHARE_LIVE_H
#define V6SHARE_LIVE_H

#include <stdint.h>

#include "v6share/attr.h"
#include "v6share/config.h"
#include "v6share/counters.h"
#include "v6share/report.h"

#define V6S_LIVE_MAX_PORTS 64
#define V6S_LIVE_MAX_WORKERS 128
#define V6S_LIVE_MAX_RXQ 256

struct rte_mempool;

struct live_worker {
	unsigned id;                    /* RCU reader id */
	unsigned lcore;
	struct { uint16_t port, queue; uint8_t index; } q[V6S_LIVE_MAX_RXQ];   /* index: in the config */
	unsigned nq;
	struct v6s_counter_block *block[2];     /* its two sets: it counts into block[epoch & 1] */
	struct v6s_attr *attr;
	const struct v6s_segments *segs;
	const struct v6s_members *members;
	int prefetch;                   /* the tuner's way: -1 measure, 0 or 1 fixed (config "prefetch") */
	/* the epoch of the set it counts into, stored after each batch: the
	 * other set is then quiescent (release; the reporter acquires) */
	uint32_t epoch_seen __attribute__((aligned(64)));
	/* its prefetch tuner's last verdict and trials ended (relaxed: for telemetry) */
	uint32_t tune_trials;
	uint8_t tune_prefetch;
} __attribute__((aligned(64)));

struct live {
	unsigned nports;
	uint16_t port_ids[V6S_LIVE_MAX_PORTS];
	uint16_t nq[V6S_LIVE_MAX_PORTS];
	char names[V6S_LIVE_MAX_PORTS][64];
	unsigned nworkers;
	struct live_worker workers[V6S_LIVE_MAX_WORKERS];
	/* two sets of one block per worker, each block's only writer:
	 * blocks[0, nworkers) and blocks[nworkers, 2 * nworkers) */
	struct v6s_counter_block *blocks;
	struct rte_mempool *pool;
	int started;
};

struct live_opts {
	double duration;        /* stop after this many seconds (0: run until signalled) */
	double exit_idle;       /* stop once packets came and then none for this long */
};

/* argv for rte_eal_init: "v6share", the config's eal list, extra (from after
 * --), and -a / --vdev for each port. Returns argc, or -1. Release it with
 * live_eal_args_free once EAL is done with it. */
int live_eal_args(const struct v6s_config *cfg, char **extra, int nextra, char ***argv);
void live_eal_args_free(char **argv);

/* After EAL: find and start the ports, pick the workers, make the pool and
 * one counter block per worker. err names the file and line where it can. */
int live_setup(struct live *lv, const struct v6s_config *cfg, struct v6s_attr *attr, char *err, size_t errlen);

/* Launch the workers and report until stopped; the last summary covers what
 * was counted after the last boundary. 0, or -1 if a summary failed. */
int live_run(struct live *lv, struct v6s_reporter *rep, const struct live_opts *o);

/* Register /v6share/stats and /v6share/segments with rte_telemetry. */
void live_telemetry(const struct live *lv, const struct v6s_segments *segs);

void live_fini(struct live *lv);

/* Whether EAL may use private memory (eal_use_private_memory) with these
 * arguments: --no-huge, and nothing that shares memory with another process
 * (secondary processes, vhost, virtio-user, memif). */
int live_private_memory_ok(char *const *argv, int argc);

#endif
