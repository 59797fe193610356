/* SPDX-License-Identifier: BSD-3-Clause
 * Live source: DPDK ports polled by worker lcores through the shared
 * parse -> attribute -> count path; the main lcore reports on wall-clock
 * intervals. Workers own their counter blocks, take no locks and make no
 * system calls; the reporter reads the blocks with relaxed loads.
 *
 * Each worker has two sets of counters and counts into the one the epoch
 * names. At a boundary the reporter moves the epoch on; each worker moves
 * to the other set between two batches and says so, and the set it left is
 * then still: the reporter reads it whole, and adds the other set as it
 * read it one boundary before, when that one was still. Reading a block
 * takes a millisecond or more (the per-AS arrays): read while a worker
 * counts into it, a summary's sections (per AS, per prefix, per segment)
 * would miss or add the packets counted meanwhile, and not add up to its
 * totals. Counters stay cumulative and are never reset.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_telemetry.h>

#include "v6share/live.h"
#include "v6share/tuner.h"

#define BURST 32

static volatile int workers_stop;
static uint32_t live_epoch;            /* written by the reporter; workers acquire it */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Two lines: tags, MPLS stacks and tunnels put the user header past the first. */
static inline void prefetch_frame(const struct rte_mbuf *m)
{
	rte_prefetch0(rte_pktmbuf_mtod(m, const char *));
	rte_prefetch0(rte_pktmbuf_mtod(m, const char *) + RTE_CACHE_LINE_SIZE);
}

/* Receive from one queue into f[]: a burst, and more bursts while they come
 * full, up to V6S_ATTR_MAX_BURST packets. The facts hold all the later
 * stages need, so each burst's mbufs go back to the pool once parsed.
 * t: the tables whose first levels to prefetch, or NULL (tuner.h). */
static unsigned receive_batch(const struct live_worker *w, unsigned k, const struct v6s_attr_tables *t,
			      struct v6s_facts *f)
{
	struct rte_mbuf *m[BURST];
	unsigned n = 0;
	uint16_t got;

	do {
		got = rte_eth_rx_burst(w->q[k].port, w->q[k].queue, m, BURST);
		for (uint16_t i = 0; i < got && i < V6S_PREFETCH_AHEAD; i++)
			prefetch_frame(m[i]);
		for (uint16_t i = 0; i < got; i++) {
			if (i + V6S_PREFETCH_AHEAD < got)
				prefetch_frame(m[i + V6S_PREFETCH_AHEAD]);
			parse_frame(rte_pktmbuf_mtod(m[i], const uint8_t *), rte_pktmbuf_data_len(m[i]),
				    rte_pktmbuf_pkt_len(m[i]), V6S_LINK_ETHERNET, &f[n + i]);
			attr_prefetch(t, &f[n + i]);
			f[n + i].port = w->q[k].index;
		}
		if (got)
			rte_pktmbuf_free_bulk(m, got);
		n += got;
	} while (got == BURST && n + BURST <= V6S_ATTR_MAX_BURST);
	return n;
}

/* The hot loop: receive and parse, then attribute, classify and count the
 * batch. Under load a batch is four bursts: the lookups' trips to memory
 * then serve 128 packets instead of 32. Full batches are timed for the
 * tuner, which decides whether parsing prefetches the lookups' first lines. */
static int worker_main(void *arg)
{
	struct live_worker *w = arg;
	struct v6s_facts f[V6S_ATTR_MAX_BURST];
	struct v6s_tuner tu;
	uint32_t trials_told = 0;

	tuner_init(&tu, w->prefetch);
	if (w->attr)
		attr_reader_online(w->attr, w->id);
	while (!__atomic_load_n(&workers_stop, __ATOMIC_RELAXED)) {
		uint32_t epoch = __atomic_load_n(&live_epoch, __ATOMIC_ACQUIRE);
		struct v6s_counter_block *block = w->block[epoch & 1];
		for (unsigned k = 0; k < w->nq; k++) {
			const struct v6s_attr_tables *t = w->attr ? attr_tables(w->attr) : NULL;
			uint64_t c0 = rte_rdtsc();
			unsigned n = receive_batch(w, k, tuner_prefetch(&tu) ? t : NULL, f);
			if (n == 0)
				continue;
			if (t)
				attr_lookup_burst(t, f, n);
			if (w->segs)
				segment_classify_burst(w->segs, f, n);
			if (w->members)
				members_lookup_burst(w->members, f, n);
			counters_count_burst(block, f, n);
			if (t) {
				tuner_batch(&tu, rte_rdtsc() - c0, n == V6S_ATTR_MAX_BURST);
				if (tu.trials != trials_told) {  /* a verdict: tell telemetry */
					trials_told = tu.trials;
					__atomic_store_n(&w->tune_prefetch, tu.choice, __ATOMIC_RELAXED);
					__atomic_store_n(&w->tune_trials, tu.trials, __ATOMIC_RELAXED);
				}
			}
		}
		__atomic_store_n(&w->epoch_seen, epoch, __ATOMIC_RELEASE);
		if (w->attr)
			attr_reader_quiescent(w->attr, w->id);
	}
	if (w->attr)
		attr_reader_offline(w->attr, w->id);
	return 0;
}

static int is_pci(const char *dev)
{
	unsigned a, b, c, d;
	char tail;
	return sscanf(dev, "%x:%x:%x.%x%c", &a, &b, &c, &d, &tail) == 4 ||
	       sscanf(dev, "%x:%x.%x%c", &a, &b, &c, &tail) == 3;
}

static int is_af_packet(const char *dev)
{
	return strncmp(dev, "net_af_packet", 13) == 0 || strncmp(dev, "eth_af_packet", 13) == 0;
}

/* net_af_packet copies what the kernel put in a ring frame (2048 bytes
 * unless framesz says otherwise) and reports that as the packet's length:
 * a longer frame would be counted cut, and malformed. Its ring frames are
 * made to hold the longest frame the interface can deliver (its MTU, two
 * tags and the Ethernet header), at most max_frame, with the ring's header
 * before it; a power of two, so that they tile the driver's blocks (it
 * finds frame i at i * framesz). A 1500-byte interface keeps 2048. */
#define AF_PACKET_FRAME_HEAD 64
static uint32_t af_packet_framesz(const char *dev, long long max_frame)
{
	uint32_t longest = (uint32_t)max_frame, f = 2048;
	const char *iface = strstr(dev, "iface=");
	if (iface) {
		struct ifreq ifr;
		memset(&ifr, 0, sizeof(ifr));
		size_t n = strcspn(iface + 6, ",");
		int sock = socket(AF_INET, SOCK_DGRAM, 0);
		if (sock >= 0 && n < sizeof(ifr.ifr_name)) {
			memcpy(ifr.ifr_name, iface + 6, n);
			if (ioctl(sock, SIOCGIFMTU, &ifr) == 0 && (uint32_t)ifr.ifr_mtu + 22 < longest)
				longest = (uint32_t)ifr.ifr_mtu + 22;
		}
		if (sock >= 0)
			close(sock);
	}
	while (f < longest + AF_PACKET_FRAME_HEAD)
		f *= 2;
	return f;
}

static char *port_device(const struct v6s_config *cfg, const char *dev)
{
	if (!is_af_packet(dev) || strstr(dev, "framesz="))
		return strdup(dev);
	uint32_t fsz = af_packet_framesz(dev, cfg->max_frame), page = (uint32_t)sysconf(_SC_PAGESIZE);
	char *out;
	if (asprintf(&out, "%s,framesz=%u,blocksz=%u", dev, fsz, fsz > page ? fsz : page) < 0)
		return NULL;
	return out;
}

/* The device strings live_eal_args made: EAL may reorder argv, so they are
 * kept here to be freed. */
static char *owned_devices[V6S_LIVE_MAX_PORTS];

void live_eal_args_free(char **argv)
{
	for (unsigned i = 0; i < V6S_LIVE_MAX_PORTS; i++) {
		free(owned_devices[i]);
		owned_devices[i] = NULL;
	}
	free(argv);
}

int live_eal_args(const struct v6s_config *cfg, char **extra, int nextra, char ***argv_out)
{
	size_t n = 1 + cfg->neal + (size_t)nextra + 2 * cfg->nports + 1;
	char **argv = calloc(n, sizeof(*argv));
	int argc = 0;

	if (!argv || cfg->nports > V6S_LIVE_MAX_PORTS) {
		free(argv);
		return -1;
	}
	argv[argc++] = "v6share";
	for (size_t i = 0; i < cfg->neal; i++)
		argv[argc++] = cfg->eal[i];
	for (int i = 0; i < nextra; i++)
		argv[argc++] = extra[i];
	for (size_t i = 0; i < cfg->nports; i++) {
		argv[argc++] = is_pci(cfg->ports[i].device) ? "-a" : "--vdev";
		if (!(argv[argc++] = owned_devices[i] = port_device(cfg, cfg->ports[i].device))) {
			live_eal_args_free(argv);
			return -1;
		}
	}
	*argv_out = argv;
	return argc;
}

int live_private_memory_ok(char *const *argv, int argc)
{
	int nohuge = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--no-huge") == 0)
			nohuge = 1;
		if (strstr(argv[i], "virtio_user") || strstr(argv[i], "vhost") || strstr(argv[i], "proc-type") ||
		    strstr(argv[i], "memif"))
			return 0;
	}
	return nohuge;
}

static int find_port(const char *device, uint16_t *port)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	snprintf(name, sizeof(name), "%s", device);
	char *comma = strchr(name, ',');
	if (comma)
		*comma = '\0';
	if (rte_eth_dev_get_port_by_name(name, port) == 0)
		return 0;
	if (is_pci(name) && strlen(name) < 10) {        /* "03:00.0" is "0000:03:00.0" to EAL */
		char full[RTE_ETH_NAME_MAX_LEN];
		snprintf(full, sizeof(full), "0000:%s", name);
		return rte_eth_dev_get_port_by_name(full, port);
	}
	return -1;
}

/* Symmetric Toeplitz key: both directions of a flow hash to one queue. */
static uint8_t rss_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

/* The MTU that lets a device take frames of max_frame bytes (its Ethernet
 * header included, the FCS not), as far as the device allows. */
static uint16_t port_mtu(const struct rte_eth_dev_info *info, long long max_frame)
{
	uint32_t overhead = info->max_mtu != UINT16_MAX && info->max_rx_pktlen > info->max_mtu
			    ? info->max_rx_pktlen - info->max_mtu : RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	uint32_t mtu = (uint32_t)max_frame - RTE_ETHER_HDR_LEN;
	if (mtu > info->max_mtu)
		mtu = info->max_mtu;
	if (info->max_rx_pktlen > overhead && mtu > info->max_rx_pktlen - overhead)
		mtu = info->max_rx_pktlen - overhead;
	if (mtu < info->min_mtu)
		mtu = info->min_mtu;
	return (uint16_t)mtu;
}

/* Bytes of packet buffer a port needs to receive max_frame whole: a NIC
 * that cannot chain buffers (no scattered receive) needs them that large,
 * net_af_packet as large as its ring frames. Other virtual devices chain
 * (net_pcap, net_tap), pass on another pool's buffers (net_ring) or make up
 * their packets (net_null): buffers sized for them all would not fit EAL's
 * default memory. */
static uint32_t port_buffer_need(uint16_t port, const char *device, long long max_frame)
{
	struct rte_eth_dev_info info;
	if (is_af_packet(device)) {             /* the ring frame, whichever chose it */
		const char *f = strstr(device, "framesz=");
		return f ? (uint32_t)strtoul(f + 8, NULL, 10) : af_packet_framesz(device, max_frame);
	}
	if (!is_pci(device) || rte_eth_dev_info_get(port, &info) != 0 ||
	    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER))
		return 0;
	return (uint32_t)max_frame;
}

static int port_start(uint16_t port, uint16_t nq, uint16_t ndesc, struct rte_mempool *pool,
		      const char *device, long long max_frame, char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	if ((rc = rte_eth_dev_info_get(port, &info)) != 0)
		goto fail;
	conf.rxmode.mtu = port_mtu(&info, max_frame);
	uint32_t room = rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM;
	if (conf.rxmode.mtu + RTE_ETHER_HDR_LEN + 8u > room && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (is_pci(device) && conf.rxmode.mtu + RTE_ETHER_HDR_LEN < max_frame)
		fprintf(stderr, "v6share: port %s takes frames up to %u bytes (its largest MTU, %u); longer frames "
			"are dropped by the NIC and show in accounting.errors\n", device,
			conf.rxmode.mtu + RTE_ETHER_HDR_LEN, conf.rxmode.mtu);
	if (nq > info.max_rx_queues) {
		snprintf(err, errlen, "port %s: %u queues asked, the device has %u", device, nq, info.max_rx_queues);
		return -1;
	}
	if (nq > 1 && (info.flow_type_rss_offloads & RTE_ETH_RSS_IP)) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_key = rss_key;
		conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(rss_key);
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads & RTE_ETH_RSS_IP;
	}
	if ((rc = rte_eth_dev_configure(port, nq, 0, &conf)) != 0 && conf.rxmode.mtu > RTE_ETHER_MTU) {
		/* a device (a VF under a smaller PF MTU, say) may refuse what it
		 * advertised: metering the usual frames beats not metering */
		fprintf(stderr, "v6share: port %s refused MTU %u (%s); metering with its default, longer frames are "
			"dropped and show in accounting.errors\n", device, conf.rxmode.mtu, rte_strerror(-rc));
		conf.rxmode.mtu = 0;
		conf.rxmode.offloads &= ~(uint64_t)RTE_ETH_RX_OFFLOAD_SCATTER;
		rc = rte_eth_dev_configure(port, nq, 0, &conf);
	}
	if (rc != 0)
		goto fail;
	uint16_t nb_rx = ndesc, nb_tx = 0;
	if ((rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rx, &nb_tx)) != 0)
		goto fail;
	for (uint16_t q = 0; q < nq; q++)
		if ((rc = rte_eth_rx_queue_setup(port, q, nb_rx, rte_eth_dev_socket_id(port), NULL, pool)) != 0)
			goto fail;
	if ((rc = rte_eth_dev_start(port)) != 0)
		goto fail;
	rte_eth_promiscuous_enable(port);       /* a tap sees others' frames; not every driver can */
	rte_eth_stats_reset(port);
	return 0;
fail:
	snprintf(err, errlen, "port %s: %s", device, rte_strerror(rc < 0 ? -rc : rc));
	return -1;
}

static void read_stats(const struct live *lv, struct v6s_port_stats *out)
{
	for (unsigned i = 0; i < lv->nports; i++) {
		struct rte_eth_stats st;
		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(lv->port_ids[i], &st);
		struct v6s_port_stats *p = &out[i];
		snprintf(p->name, sizeof(p->name), "%s", lv->names[i]);
		p->port = lv->port_ids[i];
		p->nq = lv->nq[i];
		p->packets = st.ipackets;
		p->bytes = st.ibytes;
		p->imissed = st.imissed;
		p->ierrors = st.ierrors;
		p->rx_nombuf = st.rx_nombuf;
		for (unsigned q = 0; q < p->nq && q < RTE_ETHDEV_QUEUE_STAT_CNTRS && q < V6S_MAX_QUEUES; q++) {
			p->qpackets[q] = st.q_ipackets[q];
			p->qbytes[q] = st.q_ibytes[q];
		}
	}
}

static void stats_delta(struct v6s_port_stats *d, const struct v6s_port_stats *now,
			const struct v6s_port_stats *prev, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		d[i] = now[i];
		d[i].packets -= prev[i].packets;
		d[i].bytes -= prev[i].bytes;
		d[i].imissed -= prev[i].imissed;
		d[i].ierrors -= prev[i].ierrors;
		d[i].rx_nombuf -= prev[i].rx_nombuf;
		for (unsigned q = 0; q < V6S_MAX_QUEUES; q++) {
			d[i].qpackets[q] -= prev[i].qpackets[q];
			d[i].qbytes[q] -= prev[i].qbytes[q];
		}
	}
}

int live_setup(struct live *lv, const struct v6s_config *cfg, struct v6s_attr *attr, char *err, size_t errlen)
{
	unsigned want = cfg->workers > 0 ? (unsigned)cfg->workers : UINT32_MAX, lcore, total_q = 0;

	lv->nports = (unsigned)cfg->nports;
	for (unsigned i = 0; i < lv->nports; i++) {
		if (find_port(cfg->ports[i].device, &lv->port_ids[i])) {
			snprintf(err, errlen, "%s:%d: port %u (%s): no such device after EAL start (for a NIC: bound "
				 "to vfio-pci? for a virtual device: a known driver name?)",
				 cfg->path ? cfg->path : "config", cfg->ports[i].line, i + 1, cfg->ports[i].device);
			return -1;
		}
		snprintf(lv->names[i], sizeof(lv->names[i]), "%s", cfg->ports[i].device);
		char *comma = strchr(lv->names[i], ',');
		if (comma)
			*comma = '\0';
		lv->nq[i] = (uint16_t)cfg->ports[i].queues;
		total_q += lv->nq[i];
	}
	lv->nworkers = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (lv->nworkers == want || lv->nworkers == V6S_LIVE_MAX_WORKERS)
			break;
		lv->workers[lv->nworkers].lcore = lcore;
		lv->workers[lv->nworkers].id = lv->nworkers;
		lv->nworkers++;
	}
	if (lv->nworkers == 0) {
		snprintf(err, errlen, "no worker lcore: give EAL at least two, e.g. eal = [ \"-l\", \"0-1\" ] "
			 "(or \"--lcores\", \"0@0,1@1\")");
		return -1;
	}
	if (cfg->workers > 0 && lv->nworkers < (unsigned)cfg->workers) {
		snprintf(err, errlen, "workers = %lld but EAL has %u worker lcores", cfg->workers, lv->nworkers);
		return -1;
	}
	unsigned nmbuf = cfg->mbufs > 0 ? (unsigned)cfg->mbufs
		       : total_q * ((unsigned)cfg->rx_descriptors + 2 * BURST) + lv->nworkers * BURST + 4096;
	/* buffers large enough for whole frames where a port cannot chain them */
	uint32_t room = RTE_MBUF_DEFAULT_DATAROOM;
	for (unsigned i = 0; i < lv->nports; i++) {
		/* the device string EAL was given, with the ring frames chosen for it */
		uint32_t need = port_buffer_need(lv->port_ids[i], owned_devices[i] ? owned_devices[i] : cfg->ports[i].device,
						 cfg->max_frame);
		if (need > room)
			room = need;
	}
	lv->pool = rte_pktmbuf_pool_create("v6s_mbufs", nmbuf, 256, 0, (uint16_t)(room + RTE_PKTMBUF_HEADROOM),
					   (int)rte_socket_id());
	if (!lv->pool) {
		snprintf(err, errlen, "cannot create %u packet buffers of %u bytes: %s (give EAL more memory: -m, "
			 "or lower max_frame or mbufs)", nmbuf, room, rte_strerror(rte_errno));
		return -1;
	}
	for (unsigned i = 0; i < lv->nports; i++)
		if (port_start(lv->port_ids[i], lv->nq[i], (uint16_t)cfg->rx_descriptors, lv->pool,
			       cfg->ports[i].device, cfg->max_frame, err, errlen))
			return -1;
	lv->started = 1;

	/* every (port, queue) to one worker, round robin */
	unsigned k = 0;
	for (unsigned i = 0; i < lv->nports; i++)
		for (uint16_t q = 0; q < lv->nq[i]; q++, k++) {
			struct live_worker *w = &lv->workers[k % lv->nworkers];
			if (w->nq == V6S_LIVE_MAX_RXQ)
				continue;
			w->q[w->nq].port = lv->port_ids[i];
			w->q[w->nq].queue = q;
			w->q[w->nq].index = (uint8_t)i;
			w->nq++;
		}
	uint32_t as_cap = attr ? attr->reg.as_cap : 0, pfx_cap = attr ? attr->reg.pfx_cap : 0;
	lv->blocks = aligned_alloc(64, 2 * lv->nworkers * sizeof(*lv->blocks));
	if (!lv->blocks)
		goto oom;
	memset(lv->blocks, 0, 2 * lv->nworkers * sizeof(*lv->blocks));
	for (unsigned i = 0; i < 2 * lv->nworkers; i++)
		if (counters_block_init(&lv->blocks[i], as_cap, pfx_cap, cfg->segs ? cfg->segs->n + 1 : 0,
					cfg->members ? cfg->members->n + 1 : 0))
			goto oom;
	for (unsigned i = 0; i < lv->nworkers; i++) {
		lv->workers[i].block[0] = &lv->blocks[i];
		lv->workers[i].block[1] = &lv->blocks[lv->nworkers + i];
		lv->workers[i].epoch_seen = 0;
		lv->workers[i].attr = attr;
		lv->workers[i].segs = cfg->segs;
		lv->workers[i].members = cfg->members;
		lv->workers[i].prefetch = cfg->prefetch == V6S_PREFETCH_ON ? 1 : cfg->prefetch == V6S_PREFETCH_OFF ? 0 : -1;
		lv->workers[i].tune_prefetch = lv->workers[i].prefetch != 0;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory for counter blocks");
	return -1;
}

static double wall_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

/* Move the epoch on and wait until every worker counts into the other set:
 * the set they left is then still. Returns it (0 or 1), or -1 when a worker
 * did not move within a second (it cannot be stopped or preempted for that
 * long but by a fault): then both sets are read as they are. */
static int quiet_set(struct live *lv)
{
	uint32_t e = __atomic_load_n(&live_epoch, __ATOMIC_RELAXED) + 1;
	__atomic_store_n(&live_epoch, e, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < lv->nworkers; i++)
		for (unsigned waited = 0; __atomic_load_n(&lv->workers[i].epoch_seen, __ATOMIC_ACQUIRE) != e; waited++) {
			if (waited == 20000) {
				fprintf(stderr, "v6share: worker %u did not change counter sets in 1 s; this summary's "
					"sections may not add up\n", i);
				return -1;
			}
			struct timespec nap = { 0, 50 * 1000 };
			nanosleep(&nap, NULL);
		}
	return (int)((e - 1) & 1);
}

static uint64_t received(const struct v6s_port_stats *s, unsigned n)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < n; i++)
		r += s[i].packets;
	return r;
}

int live_run(struct live *lv, struct v6s_reporter *rep, const struct live_opts *o)
{
	struct v6s_port_stats prev[V6S_LIVE_MAX_PORTS], now[V6S_LIVE_MAX_PORTS], delta[V6S_LIVE_MAX_PORTS];
	struct timespec ts, start;
	uint32_t iv = rep->interval ? rep->interval : 60;
	int rc = 0;

	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
	memset(prev, 0, sizeof(prev));
	rep->blocks = lv->blocks;
	rep->nblocks = lv->nworkers;
	rep->two_sets = 1;
	__atomic_store_n(&live_epoch, 0, __ATOMIC_RELEASE);
	rep->ports = delta;
	rep->nports = lv->nports;
	for (unsigned i = 0; i < lv->nworkers; i++)
		rte_eal_remote_launch(worker_main, &lv->workers[i], lv->workers[i].lcore);

	double t0 = wall_now(&start), last_change = t0;
	uint64_t last_rx = 0;
	time_t boundary = start.tv_sec - start.tv_sec % iv + iv;        /* the first interval is partial */
	struct timespec from = start;
	while (!stop_requested) {
		struct timespec nap = { 0, 50 * 1000 * 1000 };
		nanosleep(&nap, NULL);
		reporter_poll(rep);
		double t = wall_now(&ts);
		if (ts.tv_sec >= boundary) {
			read_stats(lv, now);
			stats_delta(delta, now, prev, lv->nports);
			struct timespec to = { boundary, 0 };
			rep->quiet_set = quiet_set(lv);
			if (reporter_emit(rep, from, to))
				rc = -1;
			memcpy(prev, now, sizeof(now));
			from = to;
			boundary += iv;
		}
		if (o->duration > 0 && t - t0 >= o->duration)
			break;
		if (o->exit_idle > 0) {
			read_stats(lv, now);
			uint64_t rx = received(now, lv->nports);
			if (rx != last_rx) {
				last_rx = rx;
				last_change = t;
			} else if (rx > 0 && t - last_change >= o->exit_idle) {
				break;
			}
		}
	}
	/* stop the workers, then report what they counted since the last boundary */
	__atomic_store_n(&workers_stop, 1, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
	wall_now(&ts);
	read_stats(lv, now);
	stats_delta(delta, now, prev, lv->nports);
	rep->quiet_set = -1;                    /* the workers are stopped: both sets are still */
	if (reporter_emit(rep, from, ts))
		rc = -1;
	return rc;
}

/* ---- telemetry: live counters for dpdk-telemetry.py, on telemetry's own thread ---- */

static const struct live *tel_live;
static const struct v6s_segments *tel_segs;

static void sum_counts(struct v6s_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned b = 0; b < 2 * tel_live->nworkers; b++) {
		const uint64_t *s = (const uint64_t *)&tel_live->blocks[b].c;
		uint64_t *d = (uint64_t *)c;
		for (size_t i = 0; i < V6S_COUNTS_WORDS; i++)
			d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
	}
}

static int tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct v6s_counts c;
	(void)cmd;
	(void)params;
	sum_counts(&c);
	rte_tel_data_start_dict(d);
	for (unsigned k = 0; k < V6S_CLASS_COUNT; k++) {
		char key[48];
		snprintf(key, sizeof(key), "%s_packets", v6s_class_names[k]);
		rte_tel_data_add_dict_u64(d, key, c.cls[k].packets);
		snprintf(key, sizeof(key), "%s_bytes", v6s_class_names[k]);
		rte_tel_data_add_dict_u64(d, key, c.cls[k].bytes);
	}
	rte_tel_data_add_dict_u64(d, "ipv6_tunneled_packets", c.ipv6_tunneled.packets);
	struct v6s_volume t = counters_total(&c);
	rte_tel_data_add_dict_u64(d, "total_packets", t.packets);
	rte_tel_data_add_dict_u64(d, "total_bytes", t.bytes);
	/* shares in per mille: telemetry dicts carry integers */
	uint64_t ip = c.cls[V6S_CLASS_IPV4].packets + c.cls[V6S_CLASS_IPV6].packets;
	rte_tel_data_add_dict_u64(d, "ipv6_share_packets_permille", ip ? 1000 * c.cls[V6S_CLASS_IPV6].packets / ip : 0);
	rte_tel_data_add_dict_u64(d, "workers", tel_live->nworkers);
	/* the prefetch tuner (tuner.h): workers prefetching (as configured,
	 * or by their last verdict, or by default before their first), and
	 * the trials ended */
	uint64_t on = 0, trials = 0;
	for (unsigned i = 0; i < tel_live->nworkers; i++) {
		const struct live_worker *w = &tel_live->workers[i];
		on += __atomic_load_n(&w->tune_prefetch, __ATOMIC_RELAXED);
		trials += __atomic_load_n(&w->tune_trials, __ATOMIC_RELAXED);
	}
	rte_tel_data_add_dict_u64(d, "workers_prefetching", on);
	rte_tel_data_add_dict_u64(d, "prefetch_trials", trials);
	return 0;
}

static int tel_segments(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (!tel_segs)
		return 0;
	for (unsigned k = 0; k <= tel_segs->n; k++) {
		uint64_t v4 = 0, v6 = 0;
		for (unsigned b = 0; b < 2 * tel_live->nworkers; b++) {
			const struct v6s_seg_counts *c = &tel_live->blocks[b].seg[k];
			for (unsigned dir = 0; dir < V6S_DIR_COUNT; dir++) {
				v4 += __atomic_load_n(&c->v[dir][V6S_CLASS_IPV4].packets, __ATOMIC_RELAXED);
				v6 += __atomic_load_n(&c->v[dir][V6S_CLASS_IPV6].packets, __ATOMIC_RELAXED);
			}
		}
		struct rte_tel_data *x = rte_tel_data_alloc();
		if (!x)
			return -ENOMEM;
		rte_tel_data_start_dict(x);
		rte_tel_data_add_dict_u64(x, "ipv4_packets", v4);
		rte_tel_data_add_dict_u64(x, "ipv6_packets", v6);
		rte_tel_data_add_dict_u64(x, "ipv6_share_permille", v4 + v6 ? 1000 * v6 / (v4 + v6) : 0);
		if (k < tel_segs->n && tel_segs->r[k].target >= 0)
			rte_tel_data_add_dict_u64(x, "target_permille", (uint64_t)(1000 * tel_segs->r[k].target + 0.5));
		rte_tel_data_add_dict_container(d, k < tel_segs->n ? tel_segs->r[k].name : "unassigned", x, 0);
	}
	return 0;
}

void live_telemetry(const struct live *lv, const struct v6s_segments *segs)
{
	tel_live = lv;
	tel_segs = segs;
	rte_telemetry_register_cmd("/v6share/stats", tel_stats,
				   "Cumulative packets and bytes per IP version, and the IPv6 share. No parameters.");
	rte_telemetry_register_cmd("/v6share/segments", tel_segments,
				   "Cumulative IPv4/IPv6 packets, IPv6 share and target per segment. No parameters.");
}

void live_fini(struct live *lv)
{
	if (lv->started)
		for (unsigned i = 0; i < lv->nports; i++) {
			rte_eth_dev_stop(lv->port_ids[i]);
			rte_eth_dev_close(lv->port_ids[i]);
		}
	for (unsigned i = 0; lv->blocks && i < 2 * lv->nworkers; i++)
		counters_block_fini(&lv->blocks[i]);
	free(lv->blocks);
	rte_mempool_free(lv->pool);
	memset(lv, 0, sizeof(*lv));
}
