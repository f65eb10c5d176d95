/* Arm PrimeCell UART (PL011), polled. Registers per the PL011 TRM. */
#include "arch/mmio.h"
#include "arch/probe.h"
#include "platform/uart.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)

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

bool pl011_present(const struct plat_uart *u)
{
	u32 fr;

	return arch_probe_read32(u->reg.base + UARTFR, &fr);
}

/** Returns the next received byte, or -1 when none is waiting. */
int pl011_getc(const struct plat_uart *u)
{
	if (mmio_read32(u->reg.base + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(u->reg.base + UARTDR) & 0xff);
}
