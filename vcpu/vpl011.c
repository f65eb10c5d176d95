/*
 * The emulated PL011's registers (PL011 TRM r1p5, DDI 0183G): pure logic,
 * see vcpu/vpl011.h for what is modelled and why.
 */
#include "vcpu/vpl011.h"

/*
 * UARTPeriphID0-3 and UARTPCellID0-3, one byte per word: part 0x011,
 * designer 0x41 (Arm), revision 3 (r1p5), configuration 0, and the
 * PrimeCell ID 0xb105f00d. Linux's AMBA bus reads the eight words and
 * matches its pl011 driver on 0x00041011 under the mask 0x000fffff.
 */
static const u8 id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

#define UARTIFLS_RXSEL_SHIFT 3

void vpl011_reset(struct vpl011 *u)
{
	*u = (struct vpl011){ 0 };
	/* TXE and RXE set, UARTEN clear; both FIFO levels at half. */
	u->cr = UARTCR_TXE | UARTCR_RXE;
	u->ifls = 0x12;
}

/* The receive FIFO's depth: 32 entries, or the one holding register without FEN. */
static unsigned int rx_capacity(const struct vpl011 *u)
{
	return (u->lcr_h & UARTLCR_H_FEN) ? VPL011_FIFO : 1;
}

/*
 * How many entries raise the receive interrupt: IFLS.RXIFLSEL picks 1/8,
 * 1/4, 1/2, 3/4 or 7/8 of the FIFO (other values are reserved: taken as
 * 1/2); without FEN, one character does.
 */
static unsigned int rx_trigger(const struct vpl011 *u)
{
	static const u8 eighths[5] = { 1, 2, 4, 6, 7 };
	unsigned int sel = (u->ifls >> UARTIFLS_RXSEL_SHIFT) & 7;

	if (!(u->lcr_h & UARTLCR_H_FEN))
		return 1;
	return VPL011_FIFO * (sel < 5 ? eighths[sel] : 4) / 8;
}

static u32 flags(const struct vpl011 *u)
{
	/* Transmission is instantaneous: the transmitter is always empty and idle. */
	u32 fr = UARTFR_TXFE;

	if (u->rx_count == 0)
		fr |= UARTFR_RXFE;
	if (u->rx_count == rx_capacity(u))
		fr |= UARTFR_RXFF;
	return fr;
}

/* Takes the oldest character: the receive interrupts fall as the TRM says. */
static u32 rx_pop(struct vpl011 *u)
{
	u32 v;

	if (u->rx_count == 0)
		return 0;
	v = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_FIFO;
	u->rx_count--;
	/* UARTRSR shows the errors of the character just read (and a standing overrun). */
	u->rsr = (u->rsr & UARTRSR_OE) | ((v >> 8) & 7);
	/* Below the trigger level the receive interrupt clears; empty, the timeout too. */
	if (u->rx_count < rx_trigger(u))
		u->ris &= ~(u32)UART_RXI;
	if (u->rx_count == 0)
		u->ris &= ~(u32)UART_RTI;
	return v;
}

unsigned int vpl011_rx_room(const struct vpl011 *u)
{
	return u->rx_count >= rx_capacity(u) ? 0 : rx_capacity(u) - u->rx_count;
}

bool vpl011_rx(struct vpl011 *u, u8 c)
{
	if (u->rx_count >= rx_capacity(u)) {
		/* Overrun: the FIFO keeps what it has, the new character is lost. */
		u->rsr |= UARTRSR_OE;
		u->ris |= UART_OEI;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO] = c;
	u->rx_count++;
	/*
	 * A character sitting in the FIFO raises the receive timeout at once
	 * (its 32 bit periods take no time here); reaching the trigger level
	 * raises the receive interrupt.
	 */
	u->ris |= UART_RTI;
	if (u->rx_count >= rx_trigger(u))
		u->ris |= UART_RXI;
	return true;
}

static u32 reg_read(struct vpl011 *u, u64 reg)
{
	switch (reg) {
	case UARTDR:
		return rx_pop(u);
	case UARTRSR:
		return u->rsr;
	case UARTFR:
		return flags(u);
	case UARTILPR:
		return u->ilpr;
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return u->ris;
	case UARTMIS:
		return u->ris & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default:
		if (reg >= UARTPERIPHID0 && reg < VPL011_SIZE)
			return id_regs[(reg - UARTPERIPHID0) / 4];
		return 0;
	}
}

int vpl011_read(struct vpl011 *u, u64 off, unsigned int size, u32 *val)
{
	u64 reg = off & ~3UL;
	unsigned int shift = (unsigned int)(off & 3) * 8;

	if (size > 4 || off + size > VPL011_SIZE)
		return -E_INVAL;
	/* Only an access at a register's own address has side effects (UARTDR pops). */
	if (shift) {
		*val = reg == UARTDR ? 0 : reg_read(u, reg) >> shift;
	} else {
		*val = reg_read(u, reg);
	}
	if (size < 4)
		*val &= (1U << (size * 8)) - 1;
	return 0;
}

/* Changing FEN empties the receive side, as QEMU's PL011 does. */
static void write_lcr_h(struct vpl011 *u, u32 val)
{
	if ((u->lcr_h ^ val) & UARTLCR_H_FEN) {
		u->rx_count = 0;
		u->rx_head = 0;
		u->ris &= ~(u32)(UART_RXI | UART_RTI);
	}
	u->lcr_h = val & 0xff;
}

static int write_dr(struct vpl011 *u, u32 val, u8 *tx)
{
	if (u->cr & UARTCR_LBE) {
		(void)vpl011_rx(u, (u8)val);
		return 0;
	}
	*tx = (u8)val;
	/* The byte left at once: the FIFO fell to its trigger level again. */
	u->ris |= UART_TXI;
	return VPL011_OUT_TX;
}

int vpl011_write(struct vpl011 *u, u64 off, unsigned int size, u32 val, u8 *tx)
{
	if (size > 4 || off + size > VPL011_SIZE)
		return -E_INVAL;
	if (off & 3)
		return 0;
	switch (off) {
	case UARTDR:
		return write_dr(u, val, tx);
	case UARTRSR:
		u->rsr = 0;
		break;
	case UARTILPR:
		u->ilpr = val & 0xff;
		break;
	case UARTIBRD:
		u->ibrd = val & 0xffff;
		break;
	case UARTFBRD:
		u->fbrd = val & 0x3f;
		break;
	case UARTLCR_H:
		write_lcr_h(u, val);
		break;
	case UARTCR:
		/* Bits 6:3 are reserved. */
		u->cr = val & 0xff87;
		break;
	case UARTIFLS:
		u->ifls = val & 0x3f;
		break;
	case UARTIMSC:
		u->imsc = val & UART_ALL_INTS;
		/* Linux masks TXIM when it has nothing more to send: show what it sent. */
		return VPL011_OUT_IDLE;
	case UARTICR:
		u->ris &= ~(val & UART_ALL_INTS);
		break;
	case UARTDMACR:
		u->dmacr = val & 7;
		break;
	default:
		break;
	}
	return 0;
}
