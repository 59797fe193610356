/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v6share/segment.h"

const char *const v6s_dir_names[V6S_DIR_COUNT] = { "up", "down", "unknown" };

static int in_ranges(uint16_t vid, const struct v6s_vlan_range *r, unsigned n)
{
	if (vid == V6S_VLAN_NONE)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (vid >= r[i].lo && vid <= r[i].hi)
			return 1;
	return 0;
}

static int rule_matches(const struct v6s_segment_rule *r, unsigned idx, const struct v6s_facts *f)
{
	if (r->ports && !((r->ports >> f->port) & 1))
		return 0;
	if (r->nvlans && !in_ranges(f->vlan_outer, r->vlans, r->nvlans))
		return 0;
	if (r->ninner && !in_ranges(f->vlan_inner, r->inner_vlans, r->ninner))
		return 0;
	if (r->nmacs) {
		int hit = 0;
		for (unsigned m = 0; m < r->nmacs && !hit; m++)
			hit = !memcmp(r->macs[m], f->mac[0], 6) || !memcmp(r->macs[m], f->mac[1], 6);
		if (!hit)
			return 0;
	}
	if (r->has_subscribers && f->sub_seg[0] != idx + 1 && f->sub_seg[1] != idx + 1)
		return 0;
	return 1;
}

/* Every rule has subscriber prefixes and nothing else: how segments for
 * mobile and fixed-line pools are usually written. */
static int subscribers_only(const struct v6s_segments *s)
{
	for (unsigned k = 0; k < s->n; k++) {
		const struct v6s_segment_rule *r = &s->r[k];
		if (!r->has_subscribers || r->ports || r->nvlans || r->ninner || r->nmacs)
			return 0;
	}
	return 1;
}

void segment_classify_burst(const struct v6s_segments *s, struct v6s_facts *f, unsigned n)
{
	if (subscribers_only(s)) {
		/* Rule k matches when either address is in segment k's subscriber
		 * prefixes (sub_seg = k + 1), so the first matching rule is the
		 * smaller non-zero sub_seg, and the direction is the side that
		 * holds it. Up and down interleave on a tap: no branch. */
		for (unsigned i = 0; i < n; i++) {
			unsigned a = f[i].sub_seg[0], b = f[i].sub_seg[1];
			unsigned a1 = a ? a : 255, b1 = b ? b : 255;
			unsigned m = a1 < b1 ? a1 : b1;
			unsigned none = m == 255;
			f[i].seg = (uint8_t)(none ? s->n : m - 1);
			f[i].dir = (uint8_t)(none ? V6S_DIR_UNKNOWN : a == m ? V6S_DIR_UP : V6S_DIR_DOWN);
		}
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned seg = s->n;
		for (unsigned k = 0; k < s->n; k++)
			if (rule_matches(&s->r[k], k, &f[i])) {
				seg = k;
				break;
			}
		f[i].seg = (uint8_t)seg;
		f[i].dir = seg < s->n && f[i].sub_seg[0] == seg + 1 ? V6S_DIR_UP
			 : seg < s->n && f[i].sub_seg[1] == seg + 1 ? V6S_DIR_DOWN : V6S_DIR_UNKNOWN;
	}
}

void members_lookup_burst(const struct v6s_members *m, struct v6s_facts *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		f[i].member[0] = (uint16_t)members_find(m, f[i].mac[0]);
		f[i].member[1] = (uint16_t)members_find(m, f[i].mac[1]);
	}
}

int members_add(struct v6s_members *m, const uint8_t mac[6], const char *name, uint32_t asn)
{
	if (!m->slots) {
		m->slots = 2 * V6S_MAX_MEMBERS;
		m->slot = calloc(m->slots, sizeof(*m->slot));
		m->mac = calloc(V6S_MAX_MEMBERS + 1, sizeof(*m->mac));
		m->name = calloc(V6S_MAX_MEMBERS + 1, sizeof(*m->name));
		m->asn = calloc(V6S_MAX_MEMBERS + 1, sizeof(*m->asn));
		if (!m->slot || !m->mac || !m->name || !m->asn)
			return -1;
	}
	if (m->n == V6S_MAX_MEMBERS || members_find(m, mac))
		return -1;
	uint32_t i = ++m->n;
	memcpy(m->mac[i], mac, 6);
	snprintf(m->name[i], sizeof(m->name[i]), "%s", name);
	m->asn[i] = asn;
	uint64_t k = 0;
	for (int b = 0; b < 6; b++)
		k = k << 8 | mac[b];
	uint32_t h = (uint32_t)((k * 0x9e3779b97f4a7c15ULL) >> 40) & (m->slots - 1);
	while (m->slot[h])
		h = (h + 1) & (m->slots - 1);
	m->slot[h] = (uint16_t)i;
	return 0;
}

void members_free(struct v6s_members *m)
{
	free(m->slot);
	free(m->mac);
	free(m->name);
	free(m->asn);
	memset(m, 0, sizeof(*m));
}

int segment_parse_mac(const char *text, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	if (sscanf(text, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}
