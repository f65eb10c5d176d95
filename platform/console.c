#include "platform/console.h"

#include "arch/spinlock.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "board.h"
#include "platform/uart.h"

static struct plat_uart uart = {
	.kind = BOARD_UART_KIND,
	.reg = { BOARD_UART_BASE, BOARD_UART_SIZE },
	.path = "built-in",
};
static struct spinlock lock = SPINLOCK_INIT;
static bool locking;
static bool dead; /* even the board's UART refused to write: output is dropped */

void console_init_early(void)
{
	uart.kind = BOARD_UART_KIND;
	uart.reg.base = BOARD_UART_BASE;
	uart.reg.size = BOARD_UART_SIZE;
	uart.reg_shift = 0;
	uart.reg_io_width = 0;
	fmt_format(uart.path, sizeof(uart.path), "built-in");
}

void console_use(const struct plat_uart *u)
{
	if (u->kind != UART_NONE)
		uart = *u;
}

void console_enable_lock(void)
{
	locking = true;
}

void console_emergency(void)
{
	locking = false;
	console_init_early();
}

const struct plat_uart *console_uart(void)
{
	return &uart;
}

static bool putc_on(const struct plat_uart *u, char c)
{
	if (u->kind == UART_PL011)
		return pl011_putc(u, c);
	return ns16550_putc(u, c);
}

static bool is_board_uart(const struct plat_uart *u)
{
	return u->kind == BOARD_UART_KIND && u->reg.base == BOARD_UART_BASE;
}

/* Writes s to the UART in use as it is, giving up at the first character it refuses. */
static bool put_raw(const char *s)
{
	for (; *s; s++) {
		if (!putc_on(&uart, *s))
			return false;
	}
	return true;
}

/*
 * The UART refused a character: it is broken, or was never a UART. Go
 * back to the board's own UART and say so there; if that one is broken
 * too, stop writing at all, so that no CPU (not even one reporting a
 * fault) waits for the console forever. Runs with the console lock held,
 * so it writes directly rather than through the log.
 */
static void fall_back(void)
{
	char msg[160];

	if (is_board_uart(&uart)) {
		dead = true;
		return;
	}
	fmt_format(msg, sizeof(msg),
		   "\r\npartita: warning: console: the UART at 0x%lx (%s) stopped taking "
		   "characters; back to the board's UART at 0x%lx\r\n",
		   uart.reg.base, uart.path, BOARD_UART_BASE);
	console_init_early();
	if (!put_raw(msg))
		dead = true;
}

static void put(char c)
{
	while (!dead && !putc_on(&uart, c))
		fall_back();
}

bool console_uart_present(const struct plat_uart *u)
{
	if (u->kind == UART_PL011)
		return pl011_present(u);
	if (u->kind == UART_NS16550)
		return ns16550_present(u);
	return false;
}

void console_write_unlocked(const char *s, size_t n)
{
	for (; n; n--, s++) {
		if (*s == '\n')
			put('\r');
		put(*s);
	}
}

void console_write(const char *s, size_t n)
{
	if (locking)
		spin_lock(&lock);
	console_write_unlocked(s, n);
	if (locking)
		spin_unlock(&lock);
}

void console_write_pair(const char *a, size_t an, const char *b, size_t bn)
{
	if (locking)
		spin_lock(&lock);
	console_write_unlocked(a, an);
	console_write_unlocked(b, bn);
	if (locking)
		spin_unlock(&lock);
}

void log_sink(int level, const char *line, size_t len)
{
	(void)level;
	console_write(line, len);
}
