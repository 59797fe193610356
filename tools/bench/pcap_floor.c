/* SPDX-License-Identifier: BSD-3-Clause
 * The floor for any pcap reader: a bare pcap_next_ex loop that only counts.
 * usage: v6share-pcap-floor [--buffer BYTES] FILE...   prints "packets bytes seconds"
 * As the issue defines it, the file is opened by pcap_open_offline, and stdio
 * reads it 4 KiB at a time. --buffer gives the stream a buffer of that size
 * first, as v6share's reader does: the floor for a reader that does that.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pcap_t *open_file(const char *file, size_t buffer, char *err)
{
	if (!buffer)
		return pcap_open_offline(file, err);
	FILE *fp = fopen(file, "rb");
	if (!fp) {
		snprintf(err, PCAP_ERRBUF_SIZE, "cannot open");
		return NULL;
	}
	if (setvbuf(fp, malloc(buffer), _IOFBF, buffer) != 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "cannot set a buffer of %zu bytes", buffer);
		return NULL;
	}
	return pcap_fopen_offline(fp, err);
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long n = 0, bytes = 0;
	size_t buffer = 0;
	struct timespec a, b;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "--buffer") == 0) {
		buffer = strtoul(argv[2], NULL, 10);
		first = 3;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = first; i < argc; i++) {
		pcap_t *p = open_file(argv[i], buffer, err);
		struct pcap_pkthdr *h;
		const u_char *d;
		if (!p) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			return 1;
		}
		while (pcap_next_ex(p, &h, &d) == 1) {
			n++;
			bytes += h->len;
		}
		pcap_close(p);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%llu %llu %.3f\n", n, bytes, (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
