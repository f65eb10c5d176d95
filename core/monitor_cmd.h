/*
 * The monitor's pure half: line editing of what is typed, splitting a line
 * into words, and running a command from a table. Knows no VM beyond an
 * opaque pointer and no console: core/monitor.c gives it both, and the
 * host unit tests (tests/unit/test_monitor.c) give it fakes.
 */
#ifndef CORE_MONITOR_CMD_H
#define CORE_MONITOR_CMD_H

#include "arch/types.h"

#define MONITOR_LINE_MAX 64 /* characters of a command line, its NUL included */
#define MONITOR_ECHO_MAX 4 /* the most characters one key echoes */
#define MONITOR_WORDS_MAX 4 /* words of a command line */

struct vm;

/** A command line being typed. All zero: empty. */
struct monitor_line {
	char buf[MONITOR_LINE_MAX];
	unsigned int len;
	bool after_cr; /* the last key was a carriage return: a line feed after it is its pair */
};

/** What a key did to the line. */
enum monitor_edit {
	MONITOR_EDIT_MORE, /* the line goes on */
	MONITOR_EDIT_DONE, /* Enter: buf holds the line, NUL-terminated; the caller empties it */
	MONITOR_EDIT_CANCEL, /* Ctrl-C: the line was dropped */
};

/**
 * Feeds key c to line l: a printable character is added (and echoed) while
 * there is room, Backspace or DEL takes the last one back ("\b \b"),
 * Ctrl-U the whole line, Enter (CR, LF, or CR LF as one) ends it, Ctrl-C
 * drops it; any other key is ignored. What to echo goes to echo (room for
 * MONITOR_ECHO_MAX), its length to *echo_len.
 */
enum monitor_edit monitor_line_key(struct monitor_line *l, u8 c, char *echo, size_t *echo_len);

/**
 * Splits line in place into words separated by spaces or tabs, at most max
 * of them into words[]. Returns how many words it has: more than max means
 * too many (only max were stored).
 */
unsigned int monitor_split(char *line, char **words, unsigned int max);

/**
 * A monitor command. Either run (Partita's own commands, given the words
 * of the line, the command's name first) or vm_op (a command on the VM
 * named by its one argument; it returns 0 or a negative error): adding
 * `restart NAME` is the entry { "restart", "NAME", "...", NULL, vm_restart }.
 */
struct monitor_cmd {
	const char *name;
	const char *args; /* for help: "" or "NAME" */
	const char *help;
	void (*run)(unsigned int argc, char **argv);
	int (*vm_op)(struct vm *vm);
};

/** What running a command needs from outside: finding a VM, printing. */
struct monitor_env {
	struct vm *(*vm_by_name)(const char *name); /* NULL: no such VM */
	void (*print)(const char *text); /* Partita's own text on the console */
};

/**
 * Runs the command line line (modified: split into words) with the
 * commands of cmds (count of them). An empty line does nothing; an unknown
 * command, a VM command without exactly one argument, or one naming no VM
 * prints one line saying so; a VM command prints its outcome
 * ("restart linux0: done" or "... failed (error N)").
 */
void monitor_run(const struct monitor_cmd *cmds, size_t count, char *line,
		 const struct monitor_env *env);

#endif
