/* SPDX-License-Identifier: BSD-3-Clause
 * Segments: named parts of the network ("mobile", "metro", ...), decided per
 * packet by ordered rules over the port, VLAN IDs, MAC addresses and
 * subscriber prefixes; the first rule that matches wins, no match is
 * "unassigned". Direction: up when the user packet's source is in the
 * segment's subscriber prefixes, down when its destination is.
 */
#ifndef V6SHARE_SEGMENT_H
#define V6SHARE_SEGMENT_H

#include <stdint.h>

#include "v6share/parse.h"
#include "v6share/table.h"

#define V6S_MAX_SEGMENTS 32
#define V6S_SEG_MAX_RANGES 16
#define V6S_SEG_MAX_MACS 16

enum v6s_dir { V6S_DIR_UP, V6S_DIR_DOWN, V6S_DIR_UNKNOWN, V6S_DIR_COUNT };

extern const char *const v6s_dir_names[V6S_DIR_COUNT];

struct v6s_vlan_range {
	uint16_t lo, hi;
};

struct v6s_segment_rule {
	char name[64];
	double target;                  /* IPv6 share aimed at, or < 0: none */
	uint64_t ports;                 /* bit per port (config order); 0 = any */
	struct v6s_vlan_range vlans[V6S_SEG_MAX_RANGES], inner_vlans[V6S_SEG_MAX_RANGES];
	unsigned nvlans, ninner;
	uint8_t macs[V6S_SEG_MAX_MACS][6];
	unsigned nmacs;
	int has_subscribers;            /* match only packets to or from its subscribers */
	int line;
};

struct v6s_segments {
	struct v6s_segment_rule r[V6S_MAX_SEGMENTS];
	unsigned n;                     /* index n is "unassigned" */
	struct v6s_route *subscribers;  /* value = segment index */
	size_t nsub;
};

#define V6S_MAX_MEMBERS 4096

/* IXP members: the MAC address of each member's router. */
struct v6s_members {
	uint32_t n;                     /* members are 1..n; 0 = not a member */
	uint8_t (*mac)[6];
	char (*name)[64];
	uint32_t *asn;
	uint16_t *slot;                 /* hash MAC -> member index */
	uint32_t slots;
};

/* Member index of a MAC, 0 when it is no member's. */
static inline uint32_t members_find(const struct v6s_members *m, const uint8_t mac[6])
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	uint32_t h = (uint32_t)((k * 0x9e3779b97f4a7c15ULL) >> 40) & (m->slots - 1);
	while (m->slot[h]) {
		if (!__builtin_memcmp(m->mac[m->slot[h]], mac, 6))
			return m->slot[h];
		h = (h + 1) & (m->slots - 1);
	}
	return 0;
}

/* Add a member; 0, or -1 when the MAC is there already or the map is full. */
int members_add(struct v6s_members *m, const uint8_t mac[6], const char *name, uint32_t asn);
void members_free(struct v6s_members *m);

/* Decide seg and dir of a burst; sub_seg[] was filled by the attribution
 * stage (subscriber prefix lookups), port by the source. */
void segment_classify_burst(const struct v6s_segments *s, struct v6s_facts *f, unsigned n);

/* Fill member[] (receiving and sending member) of a burst. */
void members_lookup_burst(const struct v6s_members *m, struct v6s_facts *f, unsigned n);

/* Parse "aa:bb:cc:dd:ee:ff". 0 or -1. */
int segment_parse_mac(const char *text, uint8_t mac[6]);

#endif
