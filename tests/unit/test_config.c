/* SPDX-License-Identifier: BSD-3-Clause
 * Config errors name the file, the line and the key, and say what is valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "v6share/config.h"
#include "v6share/sink.h"

static char path[64];

static int load(const char *text, struct v6s_config *cfg, char *err, size_t errlen)
{
	strcpy(path, "/tmp/v6share-test-cfg-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	config_defaults(cfg);
	int rc = config_load(cfg, path, err, errlen);
	unlink(path);
	return rc;
}

static void expect_error(const char *text, int line, const char *needle)
{
	struct v6s_config cfg;
	char err[1024], want[128];
	assert_int_equal(load(text, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, needle))
		fail_msg("error '%s' lacks '%s' or '%s'", err, want, needle);
	config_free(&cfg);
}

static void test_good_config(void **state)
{
	struct v6s_config cfg;
	char err[1024];
	(void)state;
	assert_int_equal(load("# a tap\nnode = \"tap-7\";\ninterval = 300;\nformat = \"table\";\n"
			      "output = \"/tmp/x.json\";\nprefetch = \"off\";\nhuge_pages = \"on\";\n", &cfg, err,
			      sizeof(err)), 0);
	assert_string_equal(cfg.node, "tap-7");
	assert_int_equal(cfg.prefetch, V6S_PREFETCH_OFF);
	assert_int_equal(cfg.huge_pages, V6S_HUGE_ON);
	assert_int_equal(cfg.interval, 300);
	assert_int_equal(cfg.format, V6S_FORMAT_TABLE);
	assert_string_equal(cfg.output, "/tmp/x.json");
	config_free(&cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("node = \"a\";\n\nintervall = 5;\n", 3, "key 'intervall': unknown key; valid keys: node, interval");
	expect_error("interval = \"sixty\";\n", 1, "key 'interval': expected a whole number from 0 to 86400");
	expect_error("\ninterval = 999999;\n", 2, "key 'interval': 999999 is out of range; valid: 0 to 86400");
	expect_error("format = \"xml\";\n", 1, "key 'format': \"xml\" is not valid; valid: \"json\", \"table\"");
	expect_error("\nprefetch = true;\n", 2, "key 'prefetch'");
	expect_error("prefetch = \"sometimes\";\n", 1,
		     "key 'prefetch': \"sometimes\" is not valid; valid: \"auto\", \"on\", \"off\"");
	expect_error("\n\nhuge_pages = \"yes\";\n", 3,
		     "key 'huge_pages': \"yes\" is not valid; valid: \"auto\", \"on\", \"off\"");
	expect_error("node = \"\";\n", 1, "key 'node': must not be empty");
	expect_error("node = 5;\n", 1, "key 'node': expected a string");
	expect_error("node = \"a\";\ninterval = ;\n", 2, "syntax error");
}

/* What --check-config prints is a file that loads to the same settings:
 * strings with quotes, backslashes and control characters come back whole. */
static void test_printout_reloads(void **state)
{
	struct v6s_config cfg, again;
	char err[1024], *text = NULL, *body;
	size_t n = 0;
	(void)state;
	assert_int_equal(load("node = \"tap \\\"7\\\" \\\\ east\\t\";\n"
			      "eal = [ \"--file-prefix\", \"a\\\\b\" ];\n"
			      "ports = ( { device = \"net_pcap0,rx_pcap=/tmp/\\\"x\\\".pcap\"; } );\n",
			      &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.node, "tap \"7\" \\ east\t");
	assert_string_equal(cfg.eal[1], "a\\b");
	FILE *out = open_memstream(&text, &n);
	assert_non_null(out);
	config_print(out, &cfg);
	fclose(out);
	body = strchr(text, '\n');             /* after "# resolved from FILE" */
	assert_non_null(body);
	assert_non_null(strstr(body, "node = \"tap \\\"7\\\" \\\\ east\\x09\";"));
	assert_int_equal(load(body + 1, &again, err, sizeof(err)), 0);
	assert_string_equal(again.node, cfg.node);
	assert_int_equal(again.neal, cfg.neal);
	assert_string_equal(again.eal[1], cfg.eal[1]);
	assert_int_equal(again.nports, 1);
	assert_string_equal(again.ports[0].device, cfg.ports[0].device);
	free(text);
	config_free(&cfg);
	config_free(&again);
}

static void test_missing_file(void **state)
{
	struct v6s_config cfg;
	char err[1024];
	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "/nonexistent/v6share.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/v6share.conf: cannot read"));
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_config),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_printout_reloads),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
