/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the pcapng reader: the input is a whole file,
 * written to a memory file. Every packet it hands out must lie inside the
 * input, and reading must end. The file is read twice, mapped and through
 * stdio: both must give the same packets and end alike.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_twice.h"

#include "v6share/filemap.h"
#include "v6share/pcapng.h"

/* The input read through the pcapng reader into *out. */
static int read_all(const uint8_t *data, size_t size, int map, struct reading *out)
{
	FILE *fp = start_reading(data, size, map, out);
	if (!fp)
		return -1;
	struct pcapng_reader *r = pcapng_open(fp, out->err, sizeof(out->err));
	if (!r) {
		fclose(fp);
		return 0;
	}
	struct pcapng_packet pkt;
	long n = 0;
	out->n = 0;
	while ((out->rc = pcapng_next(r, &pkt)) == 1) {
		if (pkt.caplen > size || (size_t)++n > size)
			abort();
		if (pkt.ts.tv_nsec < 0 || pkt.ts.tv_nsec >= 1000000000)
			abort();
		uint64_t more = ((uint64_t)(uint32_t)pkt.linktype << 32 | pkt.fcs) * 31 + pkt.interface;
		out->sum = fold_packet(out->sum, pkt.ts, pkt.caplen, pkt.len, more, pkt.data);
	}
	if (out->rc < 0) {
		if (!pcapng_error(r)[0])
			abort();                                /* an error always says why */
		snprintf(out->err, sizeof(out->err), "%s", pcapng_error(r));
	}
	pcapng_close(r);
	out->n = n;
	return 0;
}
