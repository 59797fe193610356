/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the parser. Input: [link][wire extra / 4][frame...].
 * The frame is copied into an exactly sized buffer so any read past the
 * captured length is caught; the facts are checked for consistency.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "v6share/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct v6s_facts f;

	if (size < 2)
		return 0;
	enum v6s_link link = (enum v6s_link)(data[0] % V6S_LINK_COUNT);
	uint32_t cap = (uint32_t)(size - 2);
	uint32_t wire = cap + 4u * data[1];
	uint8_t *frame = malloc(cap ? cap : 1);
	memcpy(frame, data + 2, cap);
	parse_frame(frame, cap, wire, link, &f);
	free(frame);

	/* a frame counts for its wire length, or for the frame an ERSPAN mirror
	 * session carried inside it: the part that arrived, or, where the
	 * session cut it, as long as its IP header says (which starts inside
	 * what arrived) */
	int mirror = (f.encaps >> V6S_ENCAP_ERSPAN) & 1;
	if (f.cls >= V6S_CLASS_COUNT || (mirror ? f.wire_len > wire + 40u + 65535u : f.wire_len != wire))
		abort();
	if (f.cls == V6S_CLASS_OTHER && f.reason >= V6S_OTHER_COUNT)
		abort();
	if (f.cls == V6S_CLASS_MALFORMED && f.reason >= V6S_MALFORMED_COUNT)
		abort();
	if (f.cls >= V6S_CLASS_OTHER && f.ip_len != 0)
		abort();
	/* an IP length never exceeds the frame: it was checked against it
	 * (except in a frame a mirror session truncated, whose length is unknown) */
	if (f.cls <= V6S_CLASS_IPV6 && (f.ip_len < 20 || f.ip_len > (mirror ? 40u + 65535u : wire)))
		abort();
	if (f.tunneled6 && f.cls != V6S_CLASS_IPV6)
		abort();
	if (f.encaps >> V6S_ENCAP_COUNT)
		abort();
	return 0;
}
