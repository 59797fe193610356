/* SPDX-License-Identifier: BSD-3-Clause
 * The floor for any pcap reader: a bare pcap_next_ex loop that only counts.
 * usage: v6share-pcap-floor FILE...   prints "packets bytes seconds"
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long n = 0, bytes = 0;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 1; i < argc; i++) {
		pcap_t *p = pcap_open_offline(argv[i], err);
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
