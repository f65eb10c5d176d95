/* The UART drivers behind the console: PL011 and ns16550 (8250-compatible). */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include "arch/sysreg.h"
#include "platform/platform.h"

/*
 * How long a transmitter may stay full before Partita stops waiting for it:
 * far longer than a character takes at any baud rate, short enough that a
 * broken UART cannot hang the hypervisor (or its fault report).
 */
#define UART_TX_TIMEOUT_US 20000
/* Polls before the timeout counts, in case the counter does not run (CNTFRQ unset). */
#define UART_TX_MIN_POLLS 100000
/*
 * Polls after which the wait ends whatever the counter says: a counter that
 * does not run (or a CNTFRQ of 0) must not make the wait endless. Each poll
 * is a device read, so this is seconds at most.
 */
#define UART_TX_MAX_POLLS 10000000

/** A bounded wait: call uart_wait_start, then uart_waited_too_long on each poll. */
struct uart_wait {
	u64 start;
	u64 ticks;
	unsigned int polls;
};

/** Starts a bounded wait: notes the time and how many ticks it may last. */
static inline void uart_wait_start(struct uart_wait *w)
{
	w->start = counter_read();
	w->ticks = counter_freq() / (1000000 / UART_TX_TIMEOUT_US);
	w->polls = 0;
}

/**
 * Returns true once the wait began by uart_wait_start() has lasted longer than
 * UART_TX_TIMEOUT_US (and at least UART_TX_MIN_POLLS polls), or has polled
 * UART_TX_MAX_POLLS times.
 */
static inline bool uart_waited_too_long(struct uart_wait *w)
{
	if (w->polls >= UART_TX_MAX_POLLS)
		return true;
	w->polls++;
	if (w->polls <= UART_TX_MIN_POLLS)
		return false;
	return counter_read() - w->start > w->ticks;
}

/**
 * Sends c, waiting for room in the transmitter for at most
 * UART_TX_TIMEOUT_US. Returns false (c not sent) when the UART never made
 * room: it is broken or not a UART at all.
 */
bool pl011_putc(const struct plat_uart *u, char c);

/**
 * Sends c if the PL011's transmit FIFO has room, without waiting: returns
 * false (c not sent) when it is full.
 */
bool pl011_try_putc(const struct plat_uart *u, char c);

/**
 * Sets which of the PL011's interrupts reach its line (UARTIMSC): rx, the
 * receive and receive-timeout interrupts; tx, the transmit interrupt (the
 * FIFO fell to its trigger level). Every other source is masked.
 */
void pl011_irq_mask(const struct plat_uart *u, bool rx, bool tx);

/** Clears the PL011's error interrupts (framing, parity, break, overrun). */
void pl011_irq_clear_errors(const struct plat_uart *u);

/** Returns the next byte a PL011 received, or -1 when none is waiting. */
int pl011_getc(const struct plat_uart *u);

/**
 * Whether a PL011 answers at u's address: its flag register reads with a
 * fault-catching load (arch/probe.h) and, when reg covers the 4 KiB frame,
 * its PeriphID and PCellID registers say PL011. Needs u mapped at EL2.
 */
bool pl011_present(const struct plat_uart *u);

/** As pl011_putc, for a 16550: false when the transmitter never empties. */
bool ns16550_putc(const struct plat_uart *u, char c);

/** Returns the next byte a 16550 received, or -1 when none is waiting. */
int ns16550_getc(const struct plat_uart *u);

/**
 * Returns whether a 16550 answers at u's address: the words holding its
 * line status and scratch registers read with fault-catching loads, and
 * the scratch register keeps two values written to it (then its old one).
 */
bool ns16550_present(const struct plat_uart *u);

#endif
