/* SPDX-License-Identifier: BSD-3-Clause
 * Segment rules: every criterion, their combination, order, direction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "v6share/segment.h"

static struct v6s_facts pkt(uint8_t port, uint16_t outer, uint16_t inner, uint8_t mac_last, uint8_t sub_src,
			    uint8_t sub_dst)
{
	struct v6s_facts f;
	memset(&f, 0, sizeof(f));
	f.cls = V6S_CLASS_IPV6;
	f.port = port;
	f.vlan_outer = outer;
	f.vlan_inner = inner;
	static const uint8_t base[6] = { 0x02, 0, 0, 0, 0, 0 };
	memcpy(f.mac[0], base, 6);
	memcpy(f.mac[1], base, 6);
	f.mac[1][5] = mac_last;         /* the source MAC */
	f.sub_seg[0] = sub_src;
	f.sub_seg[1] = sub_dst;
	return f;
}

static void test_rules(void **state)
{
	struct v6s_segments s;
	(void)state;
	memset(&s, 0, sizeof(s));
	/* 0 "mobile": port 0 and its subscribers; 1 "metro": outer VLAN 100-199 with inner 5;
	 * 2 "ixp": source or destination MAC 02:00:00:00:00:07; 3 "p2": port 2 */
	strcpy(s.r[0].name, "mobile");
	s.r[0].ports = 1;
	s.r[0].has_subscribers = 1;
	strcpy(s.r[1].name, "metro");
	s.r[1].vlans[0] = (struct v6s_vlan_range){ 100, 199 };
	s.r[1].nvlans = 1;
	s.r[1].inner_vlans[0] = (struct v6s_vlan_range){ 5, 5 };
	s.r[1].ninner = 1;
	strcpy(s.r[2].name, "ixp");
	assert_int_equal(segment_parse_mac("02:00:00:00:00:07", s.r[2].macs[0]), 0);
	s.r[2].nmacs = 1;
	strcpy(s.r[3].name, "p2");
	s.r[3].ports = 1u << 2;
	s.n = 4;

	struct v6s_facts f[] = {
		pkt(0, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 1, 0),     /* mobile, up */
		pkt(0, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 0, 1),     /* mobile, down */
		pkt(0, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 0, 0),     /* port 0 but no subscriber: unassigned */
		pkt(1, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 1, 0),     /* a subscriber on port 1: not mobile */
		pkt(1, 150, 5, 1, 0, 0),                           /* metro, unknown */
		pkt(1, 150, 6, 1, 0, 0),                           /* wrong inner tag */
		pkt(1, 99, 5, 1, 0, 0),                            /* outer below the range */
		pkt(1, 199, 5, 7, 0, 0),                           /* metro first, though the MAC fits ixp */
		pkt(1, 200, 5, 7, 0, 0),                           /* ixp by MAC */
		pkt(2, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 0, 0),     /* p2 */
		pkt(0, V6S_VLAN_NONE, V6S_VLAN_NONE, 1, 1, 1),     /* both ends subscribers: up */
	};
	unsigned want_seg[] = { 0, 0, 4, 4, 1, 4, 4, 1, 2, 3, 0 };
	unsigned want_dir[] = { V6S_DIR_UP, V6S_DIR_DOWN, V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN,
				V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN, V6S_DIR_UNKNOWN,
				V6S_DIR_UP };
	unsigned n = sizeof(f) / sizeof(f[0]);
	segment_classify_burst(&s, f, n);
	for (unsigned i = 0; i < n; i++) {
		if (f[i].seg != want_seg[i] || f[i].dir != want_dir[i])
			fail_msg("packet %u: segment %u dir %s, want %u %s", i, f[i].seg, v6s_dir_names[f[i].dir],
				 want_seg[i], v6s_dir_names[want_dir[i]]);
	}
}

static void test_mac_parse(void **state)
{
	uint8_t m[6];
	(void)state;
	assert_int_equal(segment_parse_mac("aa:BB:0:1:2:ff", m), 0);
	assert_int_equal(m[1], 0xbb);
	assert_int_equal(segment_parse_mac("aa:bb:cc:dd:ee", m), -1);
	assert_int_equal(segment_parse_mac("aa:bb:cc:dd:ee:ff:00", m), -1);
	assert_int_equal(segment_parse_mac("aa:bb:cc:dd:ee:1ff", m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_mac_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
