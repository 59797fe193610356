/* SPDX-License-Identifier: BSD-3-Clause
 * Opening a capture file for libpcap, or a route table for its reader: read
 * through a large buffer, and decompressed on the way when it is gzip, zstd,
 * xz or bzip2 (capture archives, CAIDA or MAWI traces and CAIDA's or pyasn's
 * prefix-to-AS tables come compressed), so that no pipe from a separate
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

/* The same for a text file (a route table): read as it is, or decompressed
 * when gzip, zstd, xz or bzip2, through a buffer of its own, so that it can be read
 * on one thread while a capture is read on another. option is the command
 * line flag that reads the file, named in the error for a compression this
 * build does not read; *how as for capture_open. Closing leaves standard
 * input open. */
FILE *text_open(const char *path, const char *option, const char **how, char *err, size_t errlen);

#endif
