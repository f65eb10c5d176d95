/* Arm PrimeCell UART (PL011), polled. Registers per the PL011 TRM. */
#include "arch/mmio.h"
#include "arch/probe.h"
#include "platform/uart.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UART_RXI BIT(4)
#define UART_TXI BIT(5)
#define UART_RTI BIT(6)
#define UART_ERROR_INTS (0xfU << 7) /* framing, parity, break, overrun */
/* UARTPeriphID0-3 then UARTPCellID0-3, one byte in each word (PL011 TRM 3.3). */
#define UARTPERIPHID0 0xfe0
#define PL011_REGION_SIZE 0x1000

bool pl011_putc(const struct plat_uart *u, char c)
{
	struct uart_wait w;

	uart_wait_start(&w);
	while (mmio_read32(u->reg.base + UARTFR) & UARTFR_TXFF) {
		if (uart_waited_too_long(&w))
			return false;
	}
	mmio_write32(u->reg.base + UARTDR, (u8)c);
	return true;
}

bool pl011_try_putc(const struct plat_uart *u, char c)
{
	if (mmio_read32(u->reg.base + UARTFR) & UARTFR_TXFF)
		return false;
	mmio_write32(u->reg.base + UARTDR, (u8)c);
	return true;
}

void pl011_irq_mask(const struct plat_uart *u, bool rx, bool tx)
{
	u32 imsc = 0;

	/* The receive timeout too: below the FIFO's trigger level only it says a key was typed. */
	if (rx)
		imsc |= UART_RXI | UART_RTI;
	if (tx)
		imsc |= UART_TXI;
	mmio_write32(u->reg.base + UARTIMSC, imsc);
}

void pl011_irq_clear_errors(const struct plat_uart *u)
{
	mmio_write32(u->reg.base + UARTICR, UART_ERROR_INTS);
}

/*
 * The PL011's identification bytes (PL011 TRM, as QEMU models them too):
 * part 0x011, designer 0x41 (Arm), and the PrimeCell ID 0xb105f00d. The
 * top nibble of PeriphID2 is the revision, which varies.
 */
static const u8 pl011_id[8] = { 0x11, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

bool pl011_present(const struct plat_uart *u)
{
	unsigned int i;
	u32 v;

	if (!arch_probe_read32(u->reg.base + UARTFR, &v))
		return false;
	/* The ID registers end the 4 KiB frame: a shorter reg cannot be asked. */
	if (u->reg.size < PL011_REGION_SIZE)
		return true;
	for (i = 0; i < ARRAY_SIZE(pl011_id); i++) {
		u32 mask = i == 2 ? 0x0f : 0xff;

		if (!arch_probe_read32(u->reg.base + UARTPERIPHID0 + 4 * i, &v) ||
		    (v & mask) != pl011_id[i])
			return false;
	}
	return true;
}

/** Returns the next received byte, or -1 when none is waiting. */
int pl011_getc(const struct plat_uart *u)
{
	if (mmio_read32(u->reg.base + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(u->reg.base + UARTDR) & 0xff);
}
