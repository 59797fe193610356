/* SPDX-License-Identifier: BSD-3-Clause
 * Counters, snapshots, deltas and the summary JSON they become.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases.h"
#include "v6share/counters.h"
#include "v6share/report.h"
#include "v6share/sink.h"
#include <unistd.h>

static struct v6s_facts facts_of(const char *case_name, uint32_t size, uint64_t seed)
{
	static struct gen_frame f;
	struct gen_ctx g = { .rng = seed, .link = GEN_ETH };
	struct v6s_facts x;
	gen_build_sized(gen_case_find(case_name), &g, &f, size);
	parse_frame(pb_data(&f.b), f.cap_len, f.wire_len, V6S_LINK_ETHERNET, &x);
	return x;
}

/* Two writers' blocks summed; deltas between snapshots add up to the whole,
 * for the totals and for the per-AS and per-prefix arrays. */
static void test_snapshot_delta(void **state)
{
	static struct v6s_counter_block blocks[2];
	struct v6s_snapshot s0, s1, s2, d1, d2;
	struct v6s_facts v4 = facts_of("ipv4_tcp", 100, 1), v6 = facts_of("6in4", 1000, 2),
			 bad = facts_of("m_gtpu_empty", 64, 3), oth = facts_of("arp", 64, 4);
	(void)state;

	for (int i = 0; i < 2; i++)
		assert_int_equal(counters_block_init(&blocks[i], 8, 4, 0, 0), 0);
	assert_int_equal(counters_snapshot_init(&s0, 8, 4, 0, 0), 0);
	assert_int_equal(counters_snapshot_init(&s1, 8, 4, 0, 0), 0);
	assert_int_equal(counters_snapshot_init(&s2, 8, 4, 0, 0), 0);
	assert_int_equal(counters_snapshot_init(&d1, 8, 4, 0, 0), 0);
	assert_int_equal(counters_snapshot_init(&d2, 8, 4, 0, 0), 0);
	v4.as_idx[0] = 3;               /* as the attribution stage would set them */
	v4.as_idx[1] = 5;
	v4.pfx_idx[1] = 2;
	v6.as_idx[0] = 3;

	counters_snapshot(&s0, blocks, 2, 4, 2);        /* the registry had 4 ASes, 2 prefixes */
	counters_count_one(&blocks[0], &v4);
	counters_count_one(&blocks[1], &v6);
	counters_snapshot(&s1, blocks, 2, 4, 2);
	counters_count_one(&blocks[0], &bad);
	counters_count_one(&blocks[1], &oth);
	counters_count_one(&blocks[1], &v6);
	counters_count_one(&blocks[0], &v4);
	counters_snapshot(&s2, blocks, 2, 6, 3);        /* it grew meanwhile */
	counters_delta(&d1, &s1, &s0);
	counters_delta(&d2, &s2, &s1);

	assert_int_equal(d1.c.cls[V6S_CLASS_IPV4].packets, 1);
	assert_int_equal(d1.c.cls[V6S_CLASS_IPV4].bytes, v4.wire_len);
	assert_int_equal(d1.c.cls[V6S_CLASS_IPV6].ip_bytes, v6.ip_len);
	assert_int_equal(d1.c.ipv6_tunneled.packets, 1);
	assert_int_equal(d1.c.encap[V6S_ENCAP_6IN4], 1);
	assert_int_equal(d2.c.cls[V6S_CLASS_IPV4].packets, 1);
	assert_int_equal(d2.c.cls[V6S_CLASS_IPV6].packets, 1);
	assert_int_equal(d2.c.malformed_reason[V6S_MALFORMED_GTPU_EMPTY], 1);
	assert_int_equal(d2.c.other_reason[V6S_OTHER_ARP], 1);
	assert_int_equal(d2.c.cls[V6S_CLASS_OTHER].ip_bytes, 0);

	/* per AS: [src/dst][v4/v6]; AS index 5 was beyond the first snapshots' registry */
	assert_int_equal(d1.as[3].v[0][0].packets, 1);
	assert_int_equal(d1.as[3].v[0][1].bytes, v6.wire_len);
	assert_int_equal(d1.as[0].v[1][1].packets, 1);         /* v6's destination: no route */
	assert_int_equal(d1.nas, 4);
	assert_int_equal(d2.nas, 6);
	assert_int_equal(d2.as[5].v[1][0].packets, 2);         /* both v4 packets: s1 did not cover index 5 */
	assert_int_equal(d2.pfx[2].v[1].ip_bytes, 2ull * v4.ip_len);
	assert_int_equal(d2.pfx[2].v[0].packets, 0);
	/* malformed and other frames are not attributed */
	uint64_t attributed = 0;
	for (uint32_t i = 0; i < d2.nas; i++)
		attributed += d2.as[i].v[0][0].packets + d2.as[i].v[0][1].packets;
	assert_int_equal(attributed, 2);

	struct v6s_volume t1 = counters_total(&d1.c), t2 = counters_total(&d2.c), t = counters_total(&s2.c);
	assert_int_equal(t1.packets + t2.packets, t.packets);
	assert_int_equal(t1.bytes + t2.bytes, t.bytes);
	assert_int_equal(t.packets, 6);
	/* cumulative: the blocks were never reset */
	assert_int_equal(blocks[1].c.cls[V6S_CLASS_IPV6].packets, 2);

	struct v6s_snapshot *all[] = { &s0, &s1, &s2, &d1, &d2 };
	for (int i = 0; i < 5; i++)
		counters_snapshot_fini(all[i]);
	for (int i = 0; i < 2; i++)
		counters_block_fini(&blocks[i]);
}

static void test_summary_json(void **state)
{
	struct v6s_summary s = { .node = "tap-1", .source = "pcap", .seq = 7, .interval = 60,
				 .start = { 1767225600, 0 }, .end = { 1767225660, 0 } };
	(void)state;

	/* 3 IPv4 of 100 bytes, 1 IPv6 of 300 bytes */
	s.d.c.cls[V6S_CLASS_IPV4] = (struct v6s_volume){ 3, 300, 240 };
	s.d.c.cls[V6S_CLASS_IPV6] = (struct v6s_volume){ 1, 300, 260 };
	s.d.c.cls[V6S_CLASS_MALFORMED] = (struct v6s_volume){ 2, 120, 0 };
	s.d.c.malformed_reason[V6S_MALFORMED_IPV4_BAD_IHL] = 2;
	json_t *o = report_summary_json(&s);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "schema")), "v6share.summary.v1");
	assert_string_equal(json_string_value(json_object_get(o, "start")), "2026-01-01T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(o, "end")), "2026-01-01T00:01:00Z");
	assert_int_equal(json_integer_value(json_object_get(o, "seq")), 7);
	json_t *total = json_object_get(o, "total");
	assert_int_equal(json_integer_value(json_object_get(total, "packets")), 6);
	assert_int_equal(json_integer_value(json_object_get(total, "bytes")), 720);
	json_t *share = json_object_get(o, "ipv6_share");
	assert_true(json_real_value(json_object_get(share, "packets")) == 0.25);
	assert_true(json_real_value(json_object_get(share, "bytes")) == 0.5);
	json_t *reasons = json_object_get(json_object_get(o, "malformed"), "reasons");
	assert_int_equal(json_object_size(reasons), 1);
	assert_int_equal(json_integer_value(json_object_get(reasons, "ipv4_bad_ihl")), 2);
	json_decref(o);

	/* no IP traffic: shares are null, not 0 */
	memset(&s.d.c, 0, sizeof(s.d.c));
	o = report_summary_json(&s);
	assert_true(json_is_null(json_object_get(json_object_get(o, "ipv6_share"), "packets")));
	json_decref(o);
}

static void test_time_format(void **state)
{
	char b[48];
	(void)state;
	report_format_time(b, sizeof(b), (struct timespec){ 1767225600, 500000000 });
	assert_string_equal(b, "2026-01-01T00:00:00.500000Z");
	report_format_time(b, sizeof(b), (struct timespec){ 1767225600, 123 });
	assert_string_equal(b, "2026-01-01T00:00:00.000000123Z");
}

/* reporter_emit: seq counts up, and each emit carries only what is new. */
static void test_reporter_emit(void **state)
{
	static struct v6s_counter_block block;
	char err[256];
	char path[] = "/tmp/v6share-test-report-XXXXXX";
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	struct v6s_sink *sink = sink_stream_open(path, V6S_FORMAT_JSON, err, sizeof(err));
	assert_non_null(sink);
	struct v6s_reporter rep = { .node = "n", .source = "pcap", .blocks = &block, .nblocks = 1,
				    .sinks = &sink, .nsinks = 1 };
	struct v6s_facts v4 = facts_of("ipv4_tcp", 100, 1);

	memset(&block, 0, sizeof(block));
	assert_int_equal(reporter_init(&rep), 0);
	counters_count_one(&block, &v4);
	assert_int_equal(reporter_emit(&rep, (struct timespec){ 0, 0 }, (struct timespec){ 1, 0 }), 0);
	counters_count_one(&block, &v4);
	counters_count_one(&block, &v4);
	assert_int_equal(reporter_emit(&rep, (struct timespec){ 1, 0 }, (struct timespec){ 2, 0 }), 0);
	sink_close(sink);
	reporter_fini(&rep);

	FILE *in = fopen(path, "r");
	char line[4096];
	json_error_t je;
	uint64_t expect[] = { 1, 2 };
	for (int i = 0; i < 2; i++) {
		assert_non_null(fgets(line, sizeof(line), in));
		json_t *o = json_loads(line, 0, &je);
		assert_non_null(o);
		assert_int_equal(json_integer_value(json_object_get(o, "seq")), i + 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "ipv4"), "packets")), expect[i]);
		json_decref(o);
	}
	assert_null(fgets(line, sizeof(line), in));
	fclose(in);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_delta),
		cmocka_unit_test(test_summary_json),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_reporter_emit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
