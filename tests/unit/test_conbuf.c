/*
 * platform/conbuf.c: the console's output ring. Pieces go out whole and in
 * order, a FIFO that fills stops the drain without losing a byte, tags and
 * line breaks keep every line one source's, and a VM that floods loses its
 * own characters (counted) while Partita and the other VMs still get through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "platform/conbuf.h"

static struct conbuf b;
static char out[4 * CONBUF_SIZE];
static size_t out_len;
static size_t room; /* bytes the fake UART FIFO takes before it is full */

static bool fake_put(void *ctx, u8 c)
{
	(void)ctx;
	if (!room)
		return false;
	room--;
	out[out_len++] = (char)c;
	return true;
}

static int setup(void **state)
{
	(void)state;
	conbuf_reset(&b);
	out_len = 0;
	memset(out, 0, sizeof(out));
	return 0;
}

static void drain_all(void)
{
	room = sizeof(out) - out_len;
	conbuf_drain(&b, fake_put, NULL);
	out[out_len] = '\0';
}

static bool put(unsigned int src, const char *s)
{
	const char *tag = src == CONBUF_SRC_HYP ? "" : src == 1 ? "[vm0] " : "[vm1] ";

	return conbuf_put(&b, src, tag, strlen(tag), s, strlen(s));
}

static void test_lines_tagged_crlf(void **state)
{
	(void)state;
	assert_true(put(CONBUF_SRC_HYP, "partita: ready\n"));
	assert_true(put(1, "hello\n"));
	assert_true(put(2, "world\n"));
	drain_all();
	assert_string_equal(out, "partita: ready\r\n[vm0] hello\r\n[vm1] world\r\n");
	assert_true(conbuf_empty(&b));
	for (unsigned int i = 0; i < CONBUF_SRCS; i++)
		assert_int_equal(b.held[i], 0);
}

/* A prompt stays open for its own VM; another source's text ends it first. */
static void test_open_line(void **state)
{
	(void)state;
	assert_true(put(1, "/ # "));
	assert_true(put(1, "l"));
	assert_true(put(1, "s\n"));
	assert_true(put(1, "/ # "));
	assert_true(put(2, "other\n"));
	assert_true(put(1, "echo\n"));
	assert_true(put(1, "x"));
	assert_true(put(CONBUF_SRC_HYP, "partita: line\n"));
	drain_all();
	assert_string_equal(out, "[vm0] / # ls\r\n"
				 "[vm0] / # \r\n[vm1] other\r\n"
				 "[vm0] echo\r\n"
				 "[vm0] x\r\npartita: line\r\n");
}

/* A full FIFO stops the drain at the byte it refused, which goes first later. */
static void test_fifo_full_keeps_order(void **state)
{
	(void)state;
	assert_true(put(1, "abcdef\n"));
	assert_true(put(2, "ghi\n"));
	room = 3;
	assert_int_equal(conbuf_drain(&b, fake_put, NULL), 3);
	assert_false(conbuf_empty(&b));
	room = 0;
	assert_int_equal(conbuf_drain(&b, fake_put, NULL), 0);
	room = 10;
	assert_int_equal(conbuf_drain(&b, fake_put, NULL), 10);
	drain_all();
	assert_string_equal(out, "[vm0] abcdef\r\n[vm1] ghi\r\n");
}

/*
 * A VM that floods while the UART sends nothing fills its quota and loses
 * the rest, counted; Partita's lines and the other VM's still fit.
 */
static void test_flood_loses_own_characters(void **state)
{
	char line[64];
	unsigned int accepted = 0, i;

	(void)state;
	memset(line, 'f', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	for (i = 0; i < 1000; i++)
		accepted += put(1, line);
	assert_true(accepted > 0);
	assert_true(accepted < 1000);
	assert_true(b.held[1] <= CONBUF_SRC_QUOTA);
	assert_int_equal(b.lost_total[1], (u64)(1000 - accepted) * (sizeof(line) - 1));
	assert_true(put(2, "still here\n"));
	assert_true(put(CONBUF_SRC_HYP, "partita: still here\n"));
	assert_int_equal(conbuf_take_lost(&b, 1), (1000 - accepted) * (sizeof(line) - 1));
	assert_int_equal(conbuf_take_lost(&b, 1), 0);
	assert_int_equal(conbuf_take_lost(&b, 2), 0);
	drain_all();
	/* What was accepted went out whole and in order, the others' lines after it. */
	assert_non_null(strstr(out, "[vm1] still here\r\npartita: still here\r\n"));
	for (i = 0; i < accepted; i++)
		assert_memory_equal(out + i * (6 + sizeof(line)), "[vm0] ffff", 10);
	/* Once sent, the VM has its share back. */
	assert_true(put(1, "again\n"));
}

/* Partita has no quota, only the ring's size; a piece longer than the maximum is refused. */
static void test_ring_full_and_long_piece(void **state)
{
	static char big[CONBUF_PIECE_MAX + 2];
	unsigned int pieces = 0, small = 0;
	char line[256];

	(void)state;
	memset(line, 'p', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	while (put(CONBUF_SRC_HYP, line))
		pieces++;
	assert_int_equal(pieces, CONBUF_SIZE / (CONBUF_HDR + 255));
	assert_int_equal(b.lost_total[CONBUF_SRC_HYP], 255);
	/* Then one-byte pieces, four bytes each in the ring, until not even one fits. */
	while (put(CONBUF_SRC_HYP, "q"))
		small++;
	assert_true(CONBUF_SIZE - (b.head - b.tail) < CONBUF_HDR + 1);
	/* A VM's piece that does not fit the ring is lost too, though under its quota. */
	assert_false(put(1, "x\n"));
	assert_int_equal(b.lost_total[1], 2);
	drain_all();
	assert_int_equal(out_len, pieces * 255 + small);
	memset(big, 'b', sizeof(big) - 1);
	assert_false(put(CONBUF_SRC_HYP, big));
	assert_false(conbuf_put(&b, CONBUF_SRCS, "", 0, "x", 1));
}

/* Many times round the ring: the free-running indexes and headers wrap correctly. */
static void test_wraps(void **state)
{
	char line[32], want[64];

	(void)state;
	for (unsigned int i = 0; i < 5000; i++) {
		int n = snprintf(line, sizeof(line), "line %u\n", i);

		assert_true(conbuf_put(&b, 1 + i % 3, "[t] ", 4, line, (size_t)n));
		out_len = 0;
		drain_all();
		snprintf(want, sizeof(want), "[t] line %u\r\n", i);
		assert_string_equal(out, want);
	}
	assert_true(b.head > 4 * CONBUF_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_tagged_crlf, setup),
		cmocka_unit_test_setup(test_open_line, setup),
		cmocka_unit_test_setup(test_fifo_full_keeps_order, setup),
		cmocka_unit_test_setup(test_flood_loses_own_characters, setup),
		cmocka_unit_test_setup(test_ring_full_and_long_piece, setup),
		cmocka_unit_test_setup(test_wraps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
