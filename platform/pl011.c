/* Arm PrimeCell UART (PL011), polled. Registers per the PL011 TRM. */
#include "arch/mmio.h"
#include "platform/uart.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)

void pl011_putc(const struct plat_uart *u, char c)
{
	while (mmio_read32(u->reg.base + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(u->reg.base + UARTDR, (u8)c);
}

/** Returns the next received byte, or -1 when none is waiting. */
int pl011_getc(const struct plat_uart *u)
{
	if (mmio_read32(u->reg.base + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(u->reg.base + UARTDR) & 0xff);
}
