/* SPDX-License-Identifier: BSD-3-Clause
 * libFuzzer target for the configuration file an operator writes by hand.
 * The input is a whole file. What must hold, whatever its bytes:
 * - a file that is refused says why, starting with the file's name;
 * - a file that is taken prints (`--check-config`) as a file that is taken
 *   again and prints the same: the printout is the configuration, in the
 *   file's own syntax, with every string quoted as the parser reads it.
 * LeakSanitizer checks that config_free releases what a load took, on
 * success and on every error path.
 */
#define _GNU_SOURCE 1           /* memfd_create, open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "v6share/config.h"

static int file_of(const void *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("config", 0);
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* The printout after its first line (which names the file it came from). */
static char *printed(const struct v6s_config *cfg, size_t *len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&text, &n);
	if (!out)
		return NULL;
	config_print(out, cfg);
	fclose(out);
	char *body = strchr(text, '\n');
	if (!body || strncmp(text, "# resolved from ", 16) != 0)
		abort();
	body++;
	*len = n - (size_t)(body - text);
	memmove(text, body, *len + 1);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[2048];
	struct v6s_config cfg;
	int fd = file_of(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	config_defaults(&cfg);
	err[0] = '\0';
	int rc = config_load(&cfg, path, err, sizeof(err));
	close(fd);
	if (rc != 0) {
		size_t pl = strlen(path);
		if (strncmp(err, path, pl) != 0 || err[pl] != ':')
			abort();                /* the error names the file */
		config_free(&cfg);
		return 0;
	}

	size_t len1 = 0, len2 = 0;
	char *text1 = printed(&cfg, &len1);
	config_free(&cfg);
	if (!text1)
		return 0;
	fd = file_of(text1, len1, path, sizeof(path));
	if (fd < 0) {
		free(text1);
		return 0;
	}
	config_defaults(&cfg);
	rc = config_load(&cfg, path, err, sizeof(err));
	close(fd);
	if (rc != 0) {
		fprintf(stderr, "the printout is refused: %s\n--\n%s--\n", err, text1);
		abort();
	}
	char *text2 = printed(&cfg, &len2);
	config_free(&cfg);
	if (text2 && (len1 != len2 || memcmp(text1, text2, len1) != 0)) {
		fprintf(stderr, "printed again differently:\n--\n%s--\n%s--\n", text1, text2);
		abort();
	}
	free(text1);
	free(text2);
	return 0;
}
