/*
 * core/bootargs.c: Partita's "partita.*" words in the boot loader's
 * bootargs are whole words, checked against what each accepts, and taken
 * out of what the guests get.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/bootargs.h"
#include "lib/log.h"
#include "log_capture.h"

static struct bootargs parse(const char *args)
{
	struct bootargs ba;

	memset(&ba, 0xa5, sizeof(ba));
	bootargs_parse(args, &ba);
	return ba;
}

/* No bootargs at all, or none of Partita's: the defaults. */
static void test_defaults(void **state)
{
	struct bootargs ba;

	(void)state;
	ba = parse(NULL);
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_NONE);
	ba = parse("console=ttyAMA0 earlycon");
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_NONE);
}

/* Each word, with spaces, tabs or newlines around it. */
static void test_words(void **state)
{
	struct bootargs ba;

	(void)state;
	ba = parse("partita.selftest=spi");
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_SPI);
	ba = parse("console=ttyAMA0\tpartita.selftest=el2-fault\nearlycon ");
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_EL2_FAULT);
	/* The last one wins, as on Linux's command line. */
	ba = parse("partita.selftest=spi partita.selftest=el2-fault");
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_EL2_FAULT);
	/* The VM table's words are gone: VMs come from the configuration. */
	ba = parse("partita.vms=2 partita.passthrough=pl031");
	assert_int_equal(ba.selftest, BOOTARGS_SELFTEST_NONE);
}

/* A word that only contains Partita's is not Partita's (the example). */
static void test_whole_words_only(void **state)
{
	static const char *const not_ours[] = {
		"guest=partita.selftest=el2-fault",
		"xpartita.selftest=spi",
		"partita.selftest=spix",
		"partita.selftest=el2-fault2",
		"partita.selftest=el2",
		"init=\"/bin/sh partita.selftest=spi -x\"",
		"partita.selftest",
		"partita.selftestx=spi",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(not_ours) / sizeof(not_ours[0]); i++) {
		struct bootargs ba = parse(not_ours[i]);

		if (ba.selftest != BOOTARGS_SELFTEST_NONE)
			fail_msg("\"%s\" was taken as a Partita word", not_ours[i]);
	}
}

/* An unknown partita.* word gets one line naming it and every word Partita knows. */
static void test_unknown_word_warned(void **state)
{
	(void)state;
	log_capture_reset();
	assert_int_equal(bootargs_warn("console=ttyAMA0 partita.vms=2 partita.selftest=spi"), 1);
	assert_int_equal(log_capture_count(LOG_WARN), 1);
	if (!log_capture_has(LOG_WARN, "\"partita.vms=2\"", "not a Partita word",
			     "Partita knows partita.selftest=el2-fault|spi", NULL)) {
		log_capture_dump();
		fail_msg("no line naming the unknown word and the known ones");
	}
}

/* A value out of range (partita.selftest=oops) gets one line saying what is accepted. */
static void test_bad_value_warned(void **state)
{
	(void)state;
	log_capture_reset();
	assert_int_equal(bootargs_warn("partita.selftest=oops partita.selftest"), 2);
	assert_int_equal(log_capture_count(LOG_WARN), 2);
	if (!log_capture_has(LOG_WARN, "\"partita.selftest=oops\"", "out of range",
			     "partita.selftest=el2-fault|spi", "ignored", NULL) ||
	    !log_capture_has(LOG_WARN, "\"partita.selftest\"", "no value", NULL)) {
		log_capture_dump();
		fail_msg("expected one line per bad value, saying what is accepted");
	}
	/* And the bad ones change nothing. */
	assert_int_equal(parse("partita.selftest=spi partita.selftest=3").selftest,
			 BOOTARGS_SELFTEST_SPI);
}

/* Valid words, and words that only look like Partita's, are not warned about. */
static void test_good_words_not_warned(void **state)
{
	(void)state;
	log_capture_reset();
	assert_int_equal(bootargs_warn("partita.selftest=spi partita.selftest=el2-fault "
				       "guest=partita.selftest=x init=\"partita.x\""),
			 0);
	assert_int_equal(log_capture_count(LOG_WARN), 0);
	assert_int_equal(bootargs_warn(NULL), 0);
}

static void expect_guest(const char *args, const char *want)
{
	char out[256];

	assert_null(bootargs_guest(args, out, sizeof(out)));
	assert_string_equal(out, want);
}

/* The guests get every word but Partita's own, whole words only. */
static void test_guest_bootargs(void **state)
{
	(void)state;
	expect_guest("partita.vms=2 console=ttyAMA0 partita.selftest=el2-fault earlycon",
		     "console=ttyAMA0 earlycon");
	expect_guest("guest=partita.selftest=el2-fault partita.vms=2",
		     "guest=partita.selftest=el2-fault");
	/* A quoted part is one word, kept as it is, spaces and all. */
	expect_guest("  a\t\tb\n init=\"/bin/sh  -c x\" partita.unknown ",
		     "a b init=\"/bin/sh  -c x\"");
	expect_guest("x=\"a partita.vms=2 b\" partita.vms=2", "x=\"a partita.vms=2 b\"");
	expect_guest("partita.vms=2", "");
	expect_guest(NULL, "");
}

/* When they do not fit, the words that fit are kept and the first left out is named. */
static void test_guest_bootargs_too_long(void **state)
{
	char out[12];
	const char *args = "abc defgh partita.vms=2 ijk";

	(void)state;
	assert_ptr_equal(bootargs_guest(args, out, sizeof(out)), strstr(args, "ijk"));
	assert_string_equal(out, "abc defgh");
	assert_ptr_equal(bootargs_guest(args, out, 4), strstr(args, "defgh"));
	assert_string_equal(out, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_whole_words_only),
		cmocka_unit_test(test_unknown_word_warned),
		cmocka_unit_test(test_bad_value_warned),
		cmocka_unit_test(test_good_words_not_warned),
		cmocka_unit_test(test_guest_bootargs),
		cmocka_unit_test(test_guest_bootargs_too_long),
	};

	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}
