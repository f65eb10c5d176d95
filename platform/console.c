#include "platform/console.h"

#include "arch/spinlock.h"
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

void console_init_early(void)
{
	uart.kind = BOARD_UART_KIND;
	uart.reg.base = BOARD_UART_BASE;
	uart.reg.size = BOARD_UART_SIZE;
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

const struct plat_uart *console_uart(void)
{
	return &uart;
}

static void put(char c)
{
	if (uart.kind == UART_PL011)
		pl011_putc(&uart, c);
	else
		ns16550_putc(&uart, c);
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
