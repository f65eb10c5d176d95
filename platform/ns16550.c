/*
 * 16550-compatible UART, polled. The binding's reg-shift spaces the byte
 * registers out and reg-io-width says whether they must be accessed as words.
 */
#include "arch/mmio.h"
#include "arch/probe.h"
#include "platform/uart.h"

#define UART_THR 0 /* transmit holding (write) */
#define UART_RBR 0 /* receive buffer (read) */
#define UART_LSR 5 /* line status */
#define UART_LSR_DR BIT(0)
#define UART_LSR_THRE BIT(5)
#define UART_SCR 7 /* scratch: any 8 bits written read back */

static u32 reg_read(const struct plat_uart *u, unsigned int reg)
{
	u64 addr = u->reg.base + ((u64)reg << u->reg_shift);

	return u->reg_io_width == 4 ? mmio_read32(addr) : mmio_read8(addr);
}

static void reg_write(const struct plat_uart *u, unsigned int reg, u8 v)
{
	u64 addr = u->reg.base + ((u64)reg << u->reg_shift);

	if (u->reg_io_width == 4)
		mmio_write32(addr, v);
	else
		mmio_write8(addr, v);
}

bool ns16550_putc(const struct plat_uart *u, char c)
{
	struct uart_wait w;

	uart_wait_start(&w);
	while (!(reg_read(u, UART_LSR) & UART_LSR_THRE)) {
		if (uart_waited_too_long(&w))
			return false;
	}
	reg_write(u, UART_THR, (u8)c);
	return true;
}

/*
 * Whether the scratch register keeps what is written to it, as every
 * 16550 (and the DesignWare APB UART) does and most other devices at the
 * same offset do not. Its old value is put back.
 */
static bool scratch_works(const struct plat_uart *u)
{
	u8 old = (u8)reg_read(u, UART_SCR);
	bool ok;

	reg_write(u, UART_SCR, 0x5a);
	ok = (reg_read(u, UART_SCR) & 0xff) == 0x5a;
	reg_write(u, UART_SCR, 0xa5);
	ok = ok && (reg_read(u, UART_SCR) & 0xff) == 0xa5;
	reg_write(u, UART_SCR, old);
	return ok;
}

bool ns16550_present(const struct plat_uart *u)
{
	/* Word-aligned reads: with byte registers, LSR shares its word with MCR and MSR. */
	u64 lsr = ALIGN_DOWN(u->reg.base + ((u64)UART_LSR << u->reg_shift), 4);
	u64 scr = ALIGN_DOWN(u->reg.base + ((u64)UART_SCR << u->reg_shift), 4);
	u32 v;

	return arch_probe_read32(lsr, &v) && arch_probe_read32(scr, &v) && scratch_works(u);
}

/** Returns the next received byte, or -1 when none is waiting. */
int ns16550_getc(const struct plat_uart *u)
{
	if (!(reg_read(u, UART_LSR) & UART_LSR_DR))
		return -1;
	return (int)(reg_read(u, UART_RBR) & 0xff);
}
