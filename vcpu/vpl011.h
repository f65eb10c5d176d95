/*
 * The register model of an emulated Arm PrimeCell UART (PL011 r1p5), as a
 * guest's amba-pl011 driver and earlycon see it: pure state and logic, no
 * locking, no bus, no interrupt controller (vcpu/vuart.c wires it in), so
 * it is unit-tested on the host (tests/unit/test_vpl011.c).
 *
 * What it models, and why: transmission is instantaneous (every byte goes
 * to the console at once), so the transmit FIFO is always empty, TXFE set,
 * TXFF and BUSY clear; the receive side is a real 32-entry FIFO (one entry
 * with FEN clear) fed with characters typed on the physical UART. Baud
 * rate, line control and the modem lines are kept as written but change
 * nothing. Interrupts follow the PL011 TRM (section 2.8): UARTRIS holds the
 * raw sources, the interrupt line is (UARTRIS & UARTIMSC) != 0.
 */
#ifndef VCPU_VPL011_H
#define VCPU_VPL011_H

#include "arch/types.h"

#define VPL011_SIZE 0x1000UL /* one 4 KiB frame, ID registers at its end */
#define VPL011_FIFO 32 /* entries of the receive FIFO with FEN set */

/* Register offsets (PL011 TRM, table 3-1). */
#define UARTDR 0x000
#define UARTRSR 0x004 /* read: receive status; write: UARTECR, clears it */
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UARTPERIPHID0 0xfe0
#define UARTPCELLID0 0xff0

/* UARTDR read: the error bits received with the character. */
#define UARTDR_FE BIT(8)
#define UARTDR_PE BIT(9)
#define UARTDR_BE BIT(10)
#define UARTDR_OE BIT(11)
/* UARTRSR: the same errors, bits 3:0. */
#define UARTRSR_OE BIT(3)

#define UARTFR_BUSY BIT(3)
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)
#define UARTFR_RXFF BIT(6)
#define UARTFR_TXFE BIT(7)

#define UARTLCR_H_FEN BIT(4)
#define UARTCR_UARTEN BIT(0)
#define UARTCR_LBE BIT(7)
#define UARTCR_TXE BIT(8)
#define UARTCR_RXE BIT(9)

/* Interrupt bits of UARTIMSC, UARTRIS, UARTMIS and UARTICR. */
#define UART_RXI BIT(4)
#define UART_TXI BIT(5)
#define UART_RTI BIT(6)
#define UART_OEI BIT(10)
#define UART_ALL_INTS 0x7ff

/* What a register write asks of the device's glue (vpl011_write()'s return). */
#define VPL011_OUT_TX BIT(0) /* a byte for the console: *tx */
#define VPL011_OUT_IDLE BIT(1) /* the guest is done sending for now: show a partial line */

/** One emulated PL011: its registers and its receive FIFO. */
struct vpl011 {
	u16 rx[VPL011_FIFO]; /* each entry: the byte and its UARTDR error bits */
	unsigned int rx_head, rx_count;
	u32 rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
};

/** Puts u in its reset state (PL011 TRM, table 3-1 reset values); the FIFO is emptied. */
void vpl011_reset(struct vpl011 *u);

/**
 * A guest read of size bytes (1, 2 or 4) at offset off of the frame: the
 * register's value into *val. A read of UARTDR takes a character from the
 * receive FIFO. Reserved offsets read as zero. Returns 0, or -E_INVAL for
 * a width the PL011 does not have (8 bytes) or an offset outside the frame.
 */
int vpl011_read(struct vpl011 *u, u64 off, unsigned int size, u32 *val);

/**
 * A guest write of val, size bytes at offset off. A write of UARTDR gives
 * the byte to send in *tx (or, with UARTCR.LBE, loops it back into the
 * receive FIFO). Read-only and reserved offsets ignore writes. Returns a
 * mask of VPL011_OUT_*, or -E_INVAL as vpl011_read().
 */
int vpl011_write(struct vpl011 *u, u64 off, unsigned int size, u32 val, u8 *tx);

/**
 * A character typed on the physical UART, for the guest: into the receive
 * FIFO, raising the receive and receive-timeout interrupts as the TRM says.
 * Returns false when the FIFO was full: the character is lost and the
 * overrun error (UARTRSR.OE, UARTRIS.OEIS) is set, as on a real PL011.
 */
bool vpl011_rx(struct vpl011 *u, u8 c);

/** How many more characters the receive FIFO takes now (0: full). */
unsigned int vpl011_rx_room(const struct vpl011 *u);

/** Whether the interrupt line is high: some raw interrupt is unmasked. */
static inline bool vpl011_irq_level(const struct vpl011 *u)
{
	return (u->ris & u->imsc) != 0;
}

#endif
