/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the pcapng reader: the input is a whole file. Every
 * packet it hands out must lie inside the input, and reading must end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "v6share/pcapng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	FILE *fp = size ? fmemopen((void *)(uintptr_t)data, size, "rb") : NULL;

	if (!fp)
		return 0;
	struct pcapng_reader *r = pcapng_open(fp, err, sizeof(err));
	if (!r) {
		fclose(fp);
		return 0;
	}
	struct pcapng_packet pkt;
	unsigned n = 0;
	uint8_t sum = 0;
	int rc;
	while ((rc = pcapng_next(r, &pkt)) == 1) {
		if (pkt.caplen > size || ++n > size)
			abort();
		for (uint32_t i = 0; i < pkt.caplen; i++)       /* every byte readable (ASan) */
			sum ^= pkt.data[i];
		if (pkt.ts.tv_nsec < 0 || pkt.ts.tv_nsec >= 1000000000)
			abort();
	}
	if (rc < 0 && !pcapng_error(r)[0])
		abort();                                        /* an error always says why */
	pcapng_close(r);
	__asm__ volatile("" : : "r"(sum));                     /* keeps the reads */
	return 0;
}
