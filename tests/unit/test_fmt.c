/*
 * lib/fmt.c: every conversion, flag, width and length modifier the
 * hypervisor's log lines use, and the snprintf-like truncation contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fmt.h"

/* Formats into a roomy buffer and checks both the text and the returned length. */
#define EXPECT_FMT(want, ...)                                         \
	do {                                                          \
		char buf_[128];                                       \
		int n_ = fmt_format(buf_, sizeof(buf_), __VA_ARGS__); \
		assert_string_equal(buf_, (want));                    \
		assert_int_equal(n_, (int)strlen(want));              \
	} while (0)

/* Goes through fmt_vformat, so the compiler does not check the format: for odd formats. */
static int vformat_wrapper(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* As EXPECT_FMT, for formats gcc's -Wformat would (rightly) question. */
#define EXPECT_ODD_FMT(want, ...)                                          \
	do {                                                               \
		char buf_[128];                                            \
		int n_ = vformat_wrapper(buf_, sizeof(buf_), __VA_ARGS__); \
		assert_string_equal(buf_, (want));                         \
		assert_int_equal(n_, (int)strlen(want));                   \
	} while (0)

/* Signed decimal, both spellings, with the extremes of int and long. */
static void test_signed_decimal(void **state)
{
	(void)state;
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("42", "%d", 42);
	EXPECT_FMT("-42", "%i", -42);
	EXPECT_FMT("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("9223372036854775807", "%lld", LLONG_MAX);
	EXPECT_FMT("-1", "%zd", (ptrdiff_t)-1);
}

/* Unsigned decimal, with a 32-bit argument that must not be sign-extended. */
static void test_unsigned_decimal(void **state)
{
	(void)state;
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("4294967295", "%u", -1);
	EXPECT_FMT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("4096", "%zu", (size_t)4096);
}

/* Hexadecimal in both cases, 32- and 64-bit. */
static void test_hex(void **state)
{
	(void)state;
	EXPECT_FMT("0", "%x", 0);
	EXPECT_FMT("deadbeef", "%x", 0xdeadbeefU);
	EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefU);
	EXPECT_FMT("ffffffff", "%x", -1);
	EXPECT_FMT("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	EXPECT_FMT("FEDCBA9876543210", "%llX", 0xfedcba9876543210ULL);
	EXPECT_FMT("1000", "%zx", (size_t)0x1000);
}

/* Pointers print as 0x and lowercase hex, NULL included. */
static void test_pointer(void **state)
{
	(void)state;
	EXPECT_FMT("0x48000000", "%p", (void *)0x48000000UL);
	EXPECT_FMT("0xffff800012345678", "%p", (void *)0xffff800012345678UL);
	EXPECT_FMT("0x0", "%p", NULL);
}

/* Strings and characters, a NULL string printing as (null). */
static void test_string_and_char(void **state)
{
	(void)state;
	EXPECT_FMT("fdt: /cpus", "fdt: %s", "/cpus");
	EXPECT_FMT("", "%s", "");
	EXPECT_ODD_FMT("(null)", "%s", (const char *)NULL);
	EXPECT_FMT("a-Z", "%c-%c", 'a', 'Z');
	EXPECT_FMT("100%", "%d%%", 100);
	EXPECT_FMT("%", "%%");
}

/* A width right-aligns with spaces; a shorter width never cuts. */
static void test_width(void **state)
{
	(void)state;
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("  -42", "%5d", -42);
	EXPECT_FMT("  abc", "%5s", "abc");
	EXPECT_FMT("    x", "%5c", 'x');
	EXPECT_FMT("   ff", "%5x", 0xff);
	EXPECT_FMT("123456", "%3d", 123456);
	EXPECT_FMT("abcdef", "%2s", "abcdef");
}

/* '-' left-aligns, padding with spaces on the right. */
static void test_left_flag(void **state)
{
	(void)state;
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("-42  |", "%-5d|", -42);
	EXPECT_FMT("abc  |", "%-5s|", "abc");
	EXPECT_FMT("x  |", "%-3c|", 'x');
	EXPECT_FMT("0x10  |", "%-6p|", (void *)0x10);
}

/* '0' pads numbers with zeros, after the sign; '-' wins over '0'. */
static void test_zero_flag(void **state)
{
	(void)state;
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("0000beef", "%08x", 0xbeef);
	EXPECT_FMT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	EXPECT_FMT("00007", "%05u", 7);
	EXPECT_ODD_FMT("42   |", "%-05d|", 42);
	EXPECT_ODD_FMT("42   |", "%0-5d|", 42);
	/* Strings and characters are padded with spaces even with '0'. */
	EXPECT_ODD_FMT("   ab", "%05s", "ab");
}

/* '*' takes the width from the arguments, before the value. */
static void test_star_width(void **state)
{
	(void)state;
	EXPECT_FMT("   42", "%*d", 5, 42);
	EXPECT_FMT("42   |", "%-*d|", 5, 42);
	EXPECT_FMT("0042", "%0*d", 4, 42);
	EXPECT_FMT("  hi 7", "%*s %d", 4, "hi", 7);
}

/* Several conversions in a row consume their arguments in order, whatever their sizes. */
static void test_mixed_arguments(void **state)
{
	(void)state;
	EXPECT_FMT("cpu 3 mpidr 0x100000101 at 0x1000 name /cpus/cpu@1 ok",
		   "cpu %u mpidr 0x%lx at %p name %s %c%c", 3, 0x100000101UL, (void *)0x1000,
		   "/cpus/cpu@1", 'o', 'k');
}

/* An unknown conversion is copied through rather than consuming an argument. */
static void test_unknown_conversion(void **state)
{
	(void)state;
	EXPECT_ODD_FMT("%q 5", "%q %d", 5);
}

/* Truncation keeps the buffer NUL-terminated and returns the full length. */
static void test_truncation(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	n = fmt_format(buf, 5, "hello %s", "world");
	assert_int_equal(n, 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'Z'); /* nothing written past size */

	n = fmt_format(buf, 4, "%d", -123456);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "-12");

	n = fmt_format(buf, 6, "%5d|", 1);
	assert_int_equal(n, 6);
	assert_string_equal(buf, "    1");
}

/* A buffer of one byte gets just the NUL; a buffer of zero is not touched. */
static void test_tiny_buffers(void **state)
{
	char buf[2] = { 'Z', 'Z' };

	(void)state;
	assert_int_equal(fmt_format(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'Z');

	buf[0] = 'Z';
	assert_int_equal(fmt_format(buf, 0, "abc%d", 42), 5);
	assert_int_equal(buf[0], 'Z');
	assert_int_equal(fmt_format(NULL, 0, "%s", "measure"), 7);
}

/* Output of exactly size - 1 characters fits; one more is cut. */
static void test_exact_fit(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(fmt_format(buf, sizeof(buf), "abcde"), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(fmt_format(buf, sizeof(buf), "abcdef"), 6);
	assert_string_equal(buf, "abcde");
}

/* fmt_vformat takes a va_list, as log_vprintf passes one on. */
static void test_vformat(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(vformat_wrapper(buf, sizeof(buf), "%s=%x", "id", 0x2a), 5);
	assert_string_equal(buf, "id=2a");
}

/* Every byte value: which stay, which are doubled, which become \xHH. */
static void test_escape(void **state)
{
	unsigned int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		char out[FMT_ESCAPE_MAX + 1] = { 0 };
		char want[FMT_ESCAPE_MAX + 1];
		size_t n = fmt_escape(out, (unsigned char)c);

		if (c == '\\')
			strcpy(want, "\\\\");
		else if (c == '\t' || (c >= 0x20 && c <= 0x7e))
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		assert_int_equal(n, strlen(want));
		assert_string_equal(out, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_decimal),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_string_and_char),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_left_flag),
		cmocka_unit_test(test_zero_flag),
		cmocka_unit_test(test_star_width),
		cmocka_unit_test(test_mixed_arguments),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_tiny_buffers),
		cmocka_unit_test(test_exact_fit),
		cmocka_unit_test(test_vformat),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
