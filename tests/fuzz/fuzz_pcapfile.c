/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the classic pcap block reader: the input is a whole
 * file, written to a memory file (the reader wants a descriptor it can
 * seek). Every packet must be readable to its captured length, no longer
 * than libpcap's largest, and reading must end; an error says why. The
 * file is read twice, mapped and with read(2): both must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_twice.h"

#include "v6share/filemap.h"
#include "v6share/pcapfile.h"

static int any_link(int linktype)
{
	return linktype != 147;         /* one the reader must leave to libpcap */
}

/* The input read through the pcap block reader into *out. */
static int read_all(const uint8_t *data, size_t size, int map, struct reading *out)
{
	FILE *fp = start_reading(data, size, map, out);
	if (!fp)
		return -1;
	struct pcapfile_reader *r;
	int open_rc = pcapfile_open(fp, any_link, &r, out->err, sizeof(out->err));
	if (open_rc != 1) {
		if (open_rc == 0 && ftell(fp) != 0)
			abort();                                /* handed back at its start */
		fclose(fp);
		return 0;
	}
	struct pcapfile_packet pkt;
	long n = 0;
	out->n = 0;
	while ((out->rc = pcapfile_next(r, &pkt)) == 1) {
		if (pkt.caplen > 262144 || pkt.caplen > size || (size_t)++n > size / 16)
			abort();
		out->sum = fold_packet(out->sum, pkt.ts, pkt.caplen, pkt.len, 0, pkt.data);
	}
	if (out->rc < 0) {
		if (!pcapfile_error(r)[0])
			abort();
		snprintf(out->err, sizeof(out->err), "%s", pcapfile_error(r));
	}
	pcapfile_close(r);
	out->n = n;
	return 0;
}
