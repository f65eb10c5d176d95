/*
 * lib/log.c: the line format, and values from outside (device-tree strings,
 * bootargs) that can neither end a line nor forge another.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/log.h"

static char last[512];
static int last_level = -1;

/* Keeps the last line, as the console would print it. */
void log_sink(int level, const char *line, size_t len)
{
	assert_true(len < sizeof(last));
	memcpy(last, line, len);
	last[len] = '\0';
	last_level = level;
}

static void test_prefixes(void **state)
{
	(void)state;
	log_printf(LOG_INFO, "ready: cpus=%u", 4U);
	assert_string_equal(last, "partita: ready: cpus=4\n");
	assert_int_equal(last_level, LOG_INFO);
	log_printf(LOG_ERROR, "x");
	assert_string_equal(last, "partita: error: x\n");
	log_printf(LOG_WARN, "x");
	assert_string_equal(last, "partita: warning: x\n");
	log_printf(LOG_DEBUG, "x");
	assert_string_equal(last, "partita: debug: x\n");
}

/* A newline in a value would start a line of its own: "partita: ..." forged. */
static void test_values_escaped(void **state)
{
	(void)state;
	log_printf(LOG_WARN, "bootargs \"%s\"", "a\npartita: error: b\r\x1b[2J\\\t\xff");
	assert_string_equal(last, "partita: warning: bootargs \"a\\x0apartita: error: "
				  "b\\x0d\\x1b[2J\\\\\t\\xff\"\n");
}

/* A long line is cut at 254 characters, never inside an escape, and ends in a newline. */
static void test_long_lines_cut_whole(void **state)
{
	char value[300];

	(void)state;
	memset(value, 'a', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	log_printf(LOG_INFO, "%s", value);
	assert_int_equal(strlen(last), 255);
	assert_int_equal(last[254], '\n');
	memset(value, '\x01', sizeof(value) - 1);
	log_printf(LOG_INFO, "%s", value);
	/* "partita: " is 9 characters; then whole 4-character escapes only. */
	assert_int_equal((strlen(last) - 1 - 9) % 4, 0);
	assert_true(strlen(last) <= 255 && strlen(last) > 250);
	assert_int_equal(last[strlen(last) - 1], '\n');
	assert_memory_equal(last + strlen(last) - 5, "\\x01", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_values_escaped),
		cmocka_unit_test(test_long_lines_cut_whole),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
