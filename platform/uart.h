/* The UART drivers behind the console: PL011 and ns16550 (8250-compatible). */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include "platform/platform.h"

/** Sends c on a PL011, waiting while its transmit FIFO is full. */
void pl011_putc(const struct plat_uart *u, char c);

/** Returns the next byte a PL011 received, or -1 when none is waiting. */
int pl011_getc(const struct plat_uart *u);

/** Sends c on a 16550, waiting until its transmit holding register is empty. */
void ns16550_putc(const struct plat_uart *u, char c);

/** Returns the next byte a 16550 received, or -1 when none is waiting. */
int ns16550_getc(const struct plat_uart *u);

#endif
