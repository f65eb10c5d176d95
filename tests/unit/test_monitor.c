/*
 * The console's typed-key logic: the focus key (vcpu/vconsole_in.h:
 * Ctrl-] three times in a row, fewer passed on to the guest) and the
 * monitor's line editing, word splitting and command dispatch
 * (core/monitor_cmd.c), with a fake console and fake VMs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/monitor_cmd.h"
#include "vcpu/vconsole_in.h"

/* Feeds s through the focus key; what passes goes to out (NUL-ended), the moves are counted. */
static unsigned int feed(struct vconsole_esc *e, const char *s, char *out)
{
	unsigned int moves = 0, len = 0;

	for (; *s; s++) {
		u8 pass[VCONSOLE_ESC_COUNT];
		bool move;
		unsigned int n = vconsole_esc_feed(e, (u8)*s, pass, &move);

		assert_true(n <= VCONSOLE_ESC_COUNT);
		assert_false(move && n);
		moves += move;
		for (unsigned int i = 0; i < n; i++)
			out[len++] = (char)pass[i];
	}
	out[len] = '\0';
	return moves;
}

static void test_focus_key(void **state)
{
	struct vconsole_esc e = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(feed(&e, "ab", out), 0);
	assert_string_equal(out, "ab");
	/* Three in a row move the focus and pass nothing on. */
	assert_int_equal(feed(&e, "\x1d\x1d\x1d", out), 1);
	assert_string_equal(out, "");
	/* One or two, then another key: all of them reach the guest, in order. */
	assert_int_equal(feed(&e, "\x1dx\x1d\x1dy", out), 0);
	assert_string_equal(out, "\x1dx\x1d\x1dy");
	/* Held back while a third may still come. */
	assert_int_equal(feed(&e, "\x1d\x1d", out), 0);
	assert_string_equal(out, "");
	assert_int_equal(feed(&e, "\x1d", out), 1);
	/* Six in a row: two moves; seven: the seventh waits. */
	assert_int_equal(feed(&e, "\x1d\x1d\x1d\x1d\x1d\x1d\x1d", out), 2);
	assert_int_equal(feed(&e, "z", out), 0);
	assert_string_equal(out, "\x1dz");
	/* Ctrl-A (QEMU's) and other control keys pass. */
	assert_int_equal(feed(&e, "\x01\x03\x1b", out), 0);
	assert_string_equal(out, "\x01\x03\x1b");
}

/* Types s into l; returns the last result, the echo appended to echo. */
static enum monitor_edit type(struct monitor_line *l, const char *s, char *echo)
{
	enum monitor_edit r = MONITOR_EDIT_MORE;
	size_t len = strlen(echo);

	for (; *s; s++) {
		size_t n = 99;

		r = monitor_line_key(l, (u8)*s, echo + len, &n);
		assert_true(n <= MONITOR_ECHO_MAX);
		len += n;
	}
	echo[len] = '\0';
	return r;
}

static void test_line_editing(void **state)
{
	struct monitor_line l = { 0 };
	char echo[256] = "";

	(void)state;
	assert_int_equal(type(&l, "lisx\x7f", echo), MONITOR_EDIT_MORE);
	assert_string_equal(echo, "lisx\b \b");
	echo[0] = '\0';
	assert_int_equal(type(&l, "t\b\bst\r", echo), MONITOR_EDIT_DONE);
	assert_string_equal(l.buf, "list");
	assert_string_equal(echo, "t\b \b\b \bst\n");
	/* CR LF is one Enter: the LF is swallowed; a lone LF is an Enter too. */
	l.len = 0;
	echo[0] = '\0';
	assert_int_equal(type(&l, "\n", echo), MONITOR_EDIT_MORE);
	assert_string_equal(echo, "");
	assert_int_equal(type(&l, "\n", echo), MONITOR_EDIT_DONE);
	assert_string_equal(l.buf, "");
	/* Backspace on an empty line, control keys and bytes above 0x7e: nothing. */
	l.len = 0;
	echo[0] = '\0';
	assert_int_equal(type(&l, "\b\x1b\x80\xff\x01", echo), MONITOR_EDIT_MORE);
	assert_string_equal(echo, "");
	assert_int_equal(l.len, 0);
	/* Ctrl-C and Ctrl-U drop the line. */
	assert_int_equal(type(&l, "stats\x03", echo), MONITOR_EDIT_CANCEL);
	assert_int_equal(l.len, 0);
	assert_int_equal(type(&l, "stats\x15", echo), MONITOR_EDIT_CANCEL);
	assert_int_equal(l.len, 0);
}

static void test_line_full(void **state)
{
	struct monitor_line l = { 0 };
	char echo[512] = "", many[200];

	(void)state;
	memset(many, 'a', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	assert_int_equal(type(&l, many, echo), MONITOR_EDIT_MORE);
	assert_int_equal(l.len, MONITOR_LINE_MAX - 1);
	assert_int_equal(strlen(echo), MONITOR_LINE_MAX - 1);
	assert_int_equal(type(&l, "\r", echo), MONITOR_EDIT_DONE);
	assert_int_equal(strlen(l.buf), MONITOR_LINE_MAX - 1);
}

static void test_split(void **state)
{
	char line[] = "  restart \t linux0  ", two[] = "a b c d e f", none[] = " \t ";
	char *w[MONITOR_WORDS_MAX];

	(void)state;
	assert_int_equal(monitor_split(line, w, MONITOR_WORDS_MAX), 2);
	assert_string_equal(w[0], "restart");
	assert_string_equal(w[1], "linux0");
	assert_int_equal(monitor_split(two, w, MONITOR_WORDS_MAX), 6);
	assert_string_equal(w[3], "d");
	assert_int_equal(monitor_split(none, w, MONITOR_WORDS_MAX), 0);
}

/* The fakes: two VMs, a printer that keeps everything, ops that record their calls. */
struct vm {
	const char *name;
	int restarts;
};

static struct vm vms[2] = { { "linux0", 0 }, { "linux1", 0 } };
static char printed[1024];
static unsigned int runs;
static int op_result;

static struct vm *by_name(const char *name)
{
	for (unsigned int i = 0; i < 2; i++) {
		if (!strcmp(vms[i].name, name))
			return &vms[i];
	}
	return NULL;
}

static void fake_print(const char *text)
{
	strncat(printed, text, sizeof(printed) - strlen(printed) - 1);
}

static void cmd_count(unsigned int argc, char **argv)
{
	assert_true(argc >= 1);
	assert_string_equal(argv[0], "count");
	runs += argc;
}

static int fake_restart(struct vm *vm)
{
	vm->restarts++;
	return op_result;
}

static const struct monitor_cmd cmds[] = {
	{ "count", "", "counts", cmd_count, NULL },
	{ "restart", "NAME", "restarts", NULL, fake_restart },
};

static const struct monitor_env env = { by_name, fake_print };

static void run(const char *text)
{
	char line[MONITOR_LINE_MAX];

	strcpy(line, text);
	printed[0] = '\0';
	monitor_run(cmds, 2, line, &env);
}

static void test_dispatch(void **state)
{
	(void)state;
	runs = 0;
	run("");
	assert_string_equal(printed, "");
	run("count");
	run(" count x y ");
	assert_int_equal(runs, 4);
	run("counter");
	assert_string_equal(printed, "counter: no such command (help lists them)\n");
	run("count a b c d");
	assert_string_equal(printed, "count: too many words (help lists the commands)\n");
	assert_int_equal(runs, 4);
	/* A VM command: exactly one argument, naming a VM. */
	op_result = 0;
	run("restart linux1");
	assert_string_equal(printed, "restart linux1: asked; its CPUs carry it out\n");
	assert_int_equal(vms[1].restarts, 1);
	op_result = -22;
	run("restart linux0");
	assert_string_equal(printed, "restart linux0: failed (error -22)\n");
	assert_int_equal(vms[0].restarts, 1);
	op_result = -E_BUSY;
	run("restart linux0");
	assert_string_equal(printed,
			    "restart linux0: refused: it is stopped, or a stop or restart is "
			    "under way\n");
	assert_int_equal(vms[0].restarts, 2);
	run("restart");
	assert_string_equal(printed, "usage: restart NAME\n");
	run("restart linux0 linux1");
	assert_string_equal(printed, "usage: restart NAME\n");
	run("restart linux9");
	assert_string_equal(printed, "restart: no vm is named linux9 (list shows them)\n");
	assert_int_equal(vms[0].restarts + vms[1].restarts, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_focus_key), cmocka_unit_test(test_line_editing),
		cmocka_unit_test(test_line_full), cmocka_unit_test(test_split),
		cmocka_unit_test(test_dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
