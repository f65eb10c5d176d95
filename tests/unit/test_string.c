/*
 * lib/string.c: the C library subset the hypervisor and libfdt link
 * against, built freestanding and renamed partita_* so it can sit beside
 * the host's C library (see string_under_test.h). The word-sized paths
 * are checked at every alignment and length around a word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "string_under_test.h"

#define BUF 128

/* The byte pattern every buffer starts from: distinct, never zero. */
static void fill_pattern(unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + 1) | 1;
}

/*
 * memcpy copies exactly n bytes for every source and destination alignment,
 * through its byte, word, four-word and 4-bytes-off (joined halves) loops.
 */
static void test_memcpy(void **state)
{
	_Alignas(8) unsigned char src[BUF], dst[BUF];
	size_t so, d_o, n, i;

	(void)state;
	fill_pattern(src, BUF, 3);
	for (so = 0; so < 8; so++) {
		for (d_o = 0; d_o < 8; d_o++) {
			for (n = 0; n <= 100; n++) {
				for (i = 0; i < BUF; i++)
					dst[i] = 0;
				assert_ptr_equal(memcpy(dst + d_o, src + so, n), dst + d_o);
				for (i = 0; i < BUF; i++) {
					bool inside = i >= d_o && i < d_o + n;

					assert_int_equal(dst[i], inside ? src[so + i - d_o] : 0);
				}
			}
		}
	}
}

/* memmove is right for overlap in both directions, aligned or not. */
static void test_memmove_overlap(void **state)
{
	_Alignas(8) unsigned char buf[BUF], ref[BUF];
	size_t from, to, n, i;

	(void)state;
	for (n = 24; n <= 90; n += 66) {
		for (from = 0; from < 16; from++) {
			for (to = 0; to < 16; to++) {
				fill_pattern(buf, BUF, 9);
				fill_pattern(ref, BUF, 9);
				assert_ptr_equal(memmove(buf + to, buf + from, n), buf + to);
				for (i = 0; i < BUF; i++) {
					bool inside = i >= to && i < to + n;

					assert_int_equal(buf[i],
							 inside ? ref[from + i - to] : ref[i]);
				}
			}
		}
	}
}

/* memset fills exactly n bytes with the low byte of c, from any alignment. */
static void test_memset(void **state)
{
	_Alignas(8) unsigned char buf[BUF];
	size_t off, n, i;

	(void)state;
	for (off = 0; off < 8; off++) {
		for (n = 0; n <= 24; n++) {
			for (i = 0; i < BUF; i++)
				buf[i] = 0x11;
			assert_ptr_equal(memset(buf + off, 0x1c5, n), buf + off);
			for (i = 0; i < BUF; i++)
				assert_int_equal(buf[i], i >= off && i < off + n ? 0xc5 : 0x11);
		}
	}
}

/* memcmp orders by the first differing byte, as unsigned. */
static void test_memcmp(void **state)
{
	(void)state;
	assert_int_equal(memcmp("abc", "abd", 2), 0);
	assert_true(memcmp("abc", "abd", 3) < 0);
	assert_true(memcmp("abd", "abc", 3) > 0);
	assert_true(memcmp("\x80", "\x01", 1) > 0);
	assert_int_equal(memcmp("x", "y", 0), 0);
}

/* memchr finds the first match within n bytes, NUL included, and nothing past n. */
static void test_memchr(void **state)
{
	static const char s[] = "ab\0cb\xff";

	(void)state;
	assert_ptr_equal(memchr(s, 'b', sizeof(s)), s + 1);
	assert_ptr_equal(memchr(s, '\0', sizeof(s)), s + 2);
	assert_ptr_equal(memchr(s, 0x1ff, sizeof(s)), s + 5);
	assert_null(memchr(s, 'c', 3));
	assert_null(memchr(s, 'a', 0));
}

/* strlen and strnlen count up to the NUL; strnlen stops at its bound. */
static void test_strlen(void **state)
{
	(void)state;
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("serial0"), 7);
	assert_int_equal(strnlen("serial0", 3), 3);
	assert_int_equal(strnlen("serial0", 100), 7);
	assert_int_equal(strnlen("abc", 0), 0);
}

/* strchr finds the first match, the terminator when asked; strrchr the last. */
static void test_strchr(void **state)
{
	static const char s[] = "/cpus/cpu@0";

	(void)state;
	assert_ptr_equal(strchr(s, '/'), s);
	assert_ptr_equal(strchr(s, '@'), s + 9);
	assert_ptr_equal(strchr(s, '\0'), s + 11);
	assert_null(strchr(s, 'x'));
	assert_ptr_equal(strrchr(s, '/'), s + 5);
	assert_ptr_equal(strrchr(s, '\0'), s + 11);
	assert_null(strrchr(s, 'x'));
}

/* strcmp and strncmp compare as unsigned bytes; strncmp stops after n or at a NUL. */
static void test_strcmp(void **state)
{
	static const char a[] = "ab\0x", b[] = "ab\0y"; /* equal strings, different bytes after */

	(void)state;
	assert_int_equal(strcmp("psci", "psci"), 0);
	assert_true(strcmp("psci", "psci-0.2") < 0);
	assert_true(strcmp("smc", "hvc") > 0);
	assert_true(strcmp("\xff", "a") > 0);
	assert_int_equal(strncmp("arm,psci-1.0", "arm,psci-0.2", 8), 0);
	assert_true(strncmp("arm,psci-1.0", "arm,psci-0.2", 10) > 0);
	assert_int_equal(strncmp(a, b, sizeof(a)), 0);
	assert_true(strncmp("ab", "abc", 10) < 0);
	assert_int_equal(strncmp("a", "b", 0), 0);
}

/* strtoul reads decimal, hex with or without 0x, octal by a leading 0, and says where it stopped. */
static void test_strtoul(void **state)
{
	char *end;

	(void)state;
	assert_int_equal(strtoul("1234xyz", &end, 10), 1234);
	assert_string_equal(end, "xyz");
	assert_int_equal(strtoul("0x1f:", &end, 0), 0x1f);
	assert_string_equal(end, ":");
	assert_int_equal(strtoul("0XABC", NULL, 16), 0xabc);
	assert_int_equal(strtoul("ff", NULL, 16), 0xff);
	assert_int_equal(strtoul("017", NULL, 0), 15);
	assert_int_equal(strtoul("  42", NULL, 0), 42);
	assert_int_equal(strtoul("18446744073709551615", NULL, 10), 0xffffffffffffffffUL);
	assert_int_equal(strtoul("z", NULL, 36), 35);
	assert_int_equal(strtoul("9", &end, 8), 0);
	assert_string_equal(end, "9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),	cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_memset),	cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_memchr),	cmocka_unit_test(test_strlen),
		cmocka_unit_test(test_strchr),	cmocka_unit_test(test_strcmp),
		cmocka_unit_test(test_strtoul),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
