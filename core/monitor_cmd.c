/* The monitor's line editing and command dispatch: pure, see core/monitor_cmd.h. */
#include "core/monitor_cmd.h"

#include <string.h>

#include "lib/fmt.h"

#define KEY_CTRL_C 0x03
#define KEY_BS 0x08
#define KEY_CTRL_U 0x15
#define KEY_DEL 0x7f

/* Takes the last character back, on the terminal too. */
static void erase(struct monitor_line *l, char *echo, size_t *echo_len)
{
	if (!l->len)
		return;
	l->len--;
	memcpy(echo, "\b \b", 3);
	*echo_len = 3;
}

enum monitor_edit monitor_line_key(struct monitor_line *l, u8 c, char *echo, size_t *echo_len)
{
	bool after_cr = l->after_cr;

	*echo_len = 0;
	l->after_cr = c == '\r';
	if (c == '\n' && after_cr)
		return MONITOR_EDIT_MORE;
	if (c == '\r' || c == '\n') {
		l->buf[l->len] = '\0';
		echo[(*echo_len)++] = '\n';
		return MONITOR_EDIT_DONE;
	}
	if (c == KEY_CTRL_C) {
		l->len = 0;
		echo[(*echo_len)++] = '\n';
		return MONITOR_EDIT_CANCEL;
	}
	if (c == KEY_BS || c == KEY_DEL) {
		erase(l, echo, echo_len);
		return MONITOR_EDIT_MORE;
	}
	if (c == KEY_CTRL_U) {
		/* The terminal's copy goes with a line break: what remains is a fresh line. */
		l->len = 0;
		echo[(*echo_len)++] = '\n';
		return MONITOR_EDIT_CANCEL;
	}
	if (c >= 0x20 && c < 0x7f && l->len < MONITOR_LINE_MAX - 1) {
		l->buf[l->len++] = (char)c;
		echo[(*echo_len)++] = (char)c;
	}
	return MONITOR_EDIT_MORE;
}

unsigned int monitor_split(char *line, char **words, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			return n;
		if (n < max)
			words[n] = p;
		n++;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
}

/* Prints one formatted line through env. */
static void say(const struct monitor_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct monitor_env *env, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(text, sizeof(text), fmt, ap);
	va_end(ap);
	env->print(text);
}

static void run_vm_op(const struct monitor_cmd *c, unsigned int argc, char **argv,
		      const struct monitor_env *env)
{
	struct vm *vm;
	int err;

	if (argc != 2) {
		say(env, "usage: %s %s\n", c->name, c->args);
		return;
	}
	vm = env->vm_by_name(argv[1]);
	if (!vm) {
		say(env, "%s: no vm is named %s (list shows them)\n", c->name, argv[1]);
		return;
	}
	err = c->vm_op(vm);
	if (err == -E_BUSY)
		say(env, "%s %s: refused: it is stopped, or a stop or restart is under way\n",
		    c->name, argv[1]);
	else if (err)
		say(env, "%s %s: failed (error %d)\n", c->name, argv[1], err);
	else
		say(env, "%s %s: asked; its CPUs carry it out\n", c->name, argv[1]);
}

void monitor_run(const struct monitor_cmd *cmds, size_t count, char *line,
		 const struct monitor_env *env)
{
	char *argv[MONITOR_WORDS_MAX];
	unsigned int argc = monitor_split(line, argv, MONITOR_WORDS_MAX);
	size_t i;

	if (!argc)
		return;
	if (argc > MONITOR_WORDS_MAX) {
		say(env, "%s: too many words (help lists the commands)\n", argv[0]);
		return;
	}
	for (i = 0; i < count; i++) {
		const struct monitor_cmd *c = &cmds[i];

		if (strcmp(c->name, argv[0]))
			continue;
		if (c->vm_op)
			run_vm_op(c, argc, argv, env);
		else
			c->run(argc, argv);
		return;
	}
	say(env, "%s: no such command (help lists them)\n", argv[0]);
}
