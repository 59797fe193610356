/* SPDX-License-Identifier: BSD-3-Clause
 * Opening a capture file for libpcap: read through a large buffer, and
 * decompressed on the way when it is gzip, zstd or xz (capture archives and
 * CAIDA or MAWI traces come compressed), so that no pipe from a separate
 * decompressor is needed and a compressed file is still read while the
 * tables are built.
 */
#ifndef V6SHARE_CAPTURE_FILE_H
#define V6SHARE_CAPTURE_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Open path ("-": standard input) for reading its capture. *regular is set
 * to 1 when the bytes come from a regular file (reading never waits for a
 * writer), 0 for a pipe or a terminal. *how names the compression ("gzip",
 * "zstd", "xz") or is NULL. NULL with err set when it cannot be opened, or
 * is compressed in a way this build does not read. Closing the stream
 * (fclose, or pcap_close) leaves standard input open. */
FILE *capture_open(const char *path, int *regular, const char **how, char *err, size_t errlen);

#endif
