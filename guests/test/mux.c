/*
 * A console to share (tests/system/test_console_mux.py): each VM of the
 * two-VM configuration mux-2vm-smp2.vmimg says it is up, then shows a
 * prompt "mux> " and reads a line from its emulated PL011 (QEMU virt's
 * 0x09000000), polled, with no interrupt and without ever writing
 * UARTIMSC: so the prompt, whose line does not end, shows only through
 * Partita's quiet-time flush. What is typed is echoed; a line read is answered "mux: got LINE"
 * (each byte as it came, Partita escapes the control ones); "off" powers
 * the VM off (PSCI SYSTEM_OFF), "reset" restarts it (SYSTEM_RESET).
 */
#include "gic.h"

#define UART 0x09000000UL
#define DR 0x000
#define FR 0x018
#define LCR_H 0x02c
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define LCR_H_FEN (1U << 4)
#define LCR_H_WLEN8 (3U << 5)

static void uart_putc(char c)
{
	while (mmio_r32(UART + FR) & FR_TXFF)
		;
	mmio_w8(UART + DR, (u8)c);
}

static void uart_puts(const char *s)
{
	for (; *s; s++)
		uart_putc(*s);
}

static void uart_putu(u64 n)
{
	char buf[24];
	unsigned int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	uart_puts(&buf[i]);
}

/* Reads a line (up to a carriage return or line feed) into buf, polling every millisecond. */
static unsigned int read_line(char *buf, unsigned int size)
{
	u64 ms = counter_frequency() / 1000;
	unsigned int n = 0;

	for (;;) {
		char c;

		if (mmio_r32(UART + FR) & FR_RXFE) {
			delay_ticks(ms);
			continue;
		}
		c = (char)(mmio_r32(UART + DR) & 0xff);
		if (c == '\r' || c == '\n') {
			if (!n)
				continue;
			buf[n] = '\0';
			uart_puts("\r\n");
			return n;
		}
		/* Echoed, as a terminal's line discipline would. */
		uart_putc(c);
		if (n < size - 1)
			buf[n++] = c;
	}
}

static bool is(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void guest_main(void *dtb)
{
	char line[64];

	(void)dtb;
	mmio_w32(UART + LCR_H, LCR_H_FEN | LCR_H_WLEN8);
	uart_puts("mux: up, boot ");
	uart_putu(hvc(HC_VM_BOOTS, 0, 0, 0).a1);
	uart_puts("\r\n");
	for (;;) {
		uart_puts("mux> ");
		read_line(line, sizeof(line));
		if (is(line, "off"))
			guest_exit();
		if (is(line, "reset"))
			hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		uart_puts("mux: got ");
		uart_puts(line);
		uart_puts("\r\n");
	}
}
