/* The UART drivers behind the console: PL011 and ns16550 (8250-compatible). */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include "platform/platform.h"

void pl011_putc(const struct plat_uart *u, char c);
int pl011_getc(const struct plat_uart *u);
void ns16550_putc(const struct plat_uart *u, char c);
int ns16550_getc(const struct plat_uart *u);

#endif
