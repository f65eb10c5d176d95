#include "platform/console.h"

#include "arch/spinlock.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "board.h"
#include "platform/conbuf.h"
#include "platform/uart.h"

static struct plat_uart uart = {
	.kind = BOARD_UART_KIND,
	.reg = { BOARD_UART_BASE, BOARD_UART_SIZE },
	.path = "built-in",
};
static struct spinlock lock = SPINLOCK_INIT;
static bool locking;
static bool dead; /* even the board's UART refused to write: output is dropped */
/*
 * Everything written goes through buf, under the lock. Until
 * console_irq_enable() the writer drains it at once, waiting (boundedly) for
 * the UART; from then on it only fills the UART's FIFO and leaves the rest
 * to the transmit interrupt, so no CPU waits for a slow UART while it holds
 * the lock.
 */
static struct conbuf buf;
static bool irq_mode;
static bool rx_on, tx_on; /* the PL011's interrupts unmasked (UARTIMSC) */
static bool test_slow; /* console_test_slow(): one character per drain */

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
	/* Another CPU may be half-way through adding to it: what it holds is dropped. */
	irq_mode = false;
	conbuf_reset(&buf);
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

static bool put_wait(void *ctx, u8 c)
{
	(void)ctx;
	put((char)c);
	return true;
}

/* ctx: how many more characters this drain may send (see console_test_slow()). */
static bool put_try(void *ctx, u8 c)
{
	size_t *budget = ctx;

	if (!*budget)
		return false;
	if (!dead && !pl011_try_putc(&uart, (char)c))
		return false;
	(*budget)--;
	return true;
}

static void set_irq_mask(bool tx)
{
	if (tx != tx_on) {
		tx_on = tx;
		pl011_irq_mask(&uart, rx_on, tx_on);
	}
}

/*
 * With the lock held: sends what the UART takes. In interrupt mode the
 * transmit interrupt is unmasked exactly while something waits; it fires
 * when the FIFO, just found full, has drained to its trigger level.
 */
static void drain(void)
{
	size_t budget = test_slow ? 1 : (size_t)-1;

	if (!irq_mode) {
		conbuf_drain(&buf, put_wait, NULL);
		return;
	}
	conbuf_drain(&buf, put_try, &budget);
	set_irq_mask(!conbuf_empty(&buf));
}

/* Says how many characters src lost before its next text goes out; lock held. */
static void report_lost(unsigned int src, const char *name)
{
	char msg[128];
	u32 n = conbuf_take_lost(&buf, src);
	int len;

	if (!n)
		return;
	len = fmt_format(msg, sizeof(msg),
			 "partita: warning: console: %u characters of %s lost: more output than "
			 "the UART could send\n",
			 n, name);
	if (!conbuf_put(&buf, CONBUF_SRC_HYP, NULL, 0, msg, (size_t)MIN(len, (int)sizeof(msg) - 1)))
		buf.lost[src] += n; /* said with the next one */
}

/* Adds Partita's own text in pieces the buffer takes; lock held (or no lock yet). */
static void add_own(const char *s, size_t n)
{
	/* Half a piece: every character may be a newline, which takes two. */
	const size_t chunk = CONBUF_PIECE_MAX / 2;

	report_lost(CONBUF_SRC_HYP, "partita");
	while (n) {
		size_t k = MIN(n, chunk);

		(void)conbuf_put(&buf, CONBUF_SRC_HYP, NULL, 0, s, k);
		s += k;
		n -= k;
	}
}

void console_write_unlocked(const char *s, size_t n)
{
	add_own(s, n);
	conbuf_drain(&buf, put_wait, NULL);
}

void console_write(const char *s, size_t n)
{
	if (locking)
		spin_lock(&lock);
	add_own(s, n);
	drain();
	if (locking)
		spin_unlock(&lock);
}

void console_put_text(unsigned int src, const char *name, const char *s, size_t n)
{
	char tag[CONSOLE_NAME_MAX + 4];
	size_t len = 0;

	/* "[name] ": a line that starts with it cannot pass for Partita's or another VM's. */
	tag[len++] = '[';
	while (*name && len < CONSOLE_NAME_MAX + 1)
		tag[len++] = *name++;
	tag[len++] = ']';
	tag[len] = '\0';
	if (locking)
		spin_lock(&lock);
	report_lost(src, tag);
	tag[len++] = ' ';
	(void)conbuf_put(&buf, src, tag, len, s, n);
	drain();
	if (locking)
		spin_unlock(&lock);
}

void console_flush(void)
{
	if (locking)
		spin_lock(&lock);
	conbuf_drain(&buf, put_wait, NULL);
	if (irq_mode)
		set_irq_mask(false);
	if (locking)
		spin_unlock(&lock);
}

bool console_irq_enable(void)
{
	if (uart.kind != UART_PL011)
		return false;
	if (locking)
		spin_lock(&lock);
	irq_mode = true;
	rx_on = true;
	tx_on = false;
	pl011_irq_clear_errors(&uart);
	pl011_irq_mask(&uart, rx_on, tx_on);
	drain();
	if (locking)
		spin_unlock(&lock);
	return true;
}

size_t console_irq(u8 *rx, size_t max)
{
	size_t n = 0;

	if (locking)
		spin_lock(&lock);
	if (irq_mode) {
		drain();
		while (rx_on && n < max) {
			int c = pl011_getc(&uart);

			if (c < 0)
				break;
			rx[n++] = (u8)c;
		}
		pl011_irq_clear_errors(&uart);
	}
	if (locking)
		spin_unlock(&lock);
	return n;
}

void console_test_slow(void)
{
	test_slow = true;
}

u64 console_lost(unsigned int src)
{
	return src < CONBUF_SRCS ? buf.lost_total[src] : 0;
}

/*
 * A log line is a whole line: when Partita's own text left its line open
 * (the monitor's prompt, waiting for a command), it starts on the next.
 */
void log_sink(int level, const char *line, size_t len)
{
	(void)level;
	if (locking)
		spin_lock(&lock);
	if (buf.open == CONBUF_SRC_HYP + 1)
		add_own("\n", 1);
	add_own(line, len);
	drain();
	if (locking)
		spin_unlock(&lock);
}
