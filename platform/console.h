/* The hypervisor's console: one physical UART, shared by every CPU. */
#ifndef PLATFORM_CONSOLE_H
#define PLATFORM_CONSOLE_H

#include "platform/platform.h"

/** Selects the board's built-in UART; usable with the MMU off. */
void console_init_early(void);

/**
 * Whether something answers at the registers of uart (mapped at EL2): a
 * fault-catching read of its status register, so that a UART the FDT names
 * but the machine lacks is found before the console uses it.
 */
bool console_uart_present(const struct plat_uart *uart);

/**
 * Switches to the UART the FDT named. Should that UART later refuse to
 * take characters (a bounded wait in its driver times out), the console
 * goes back to the board's UART with a line saying so, and if that one
 * refuses too it drops all output rather than wait forever.
 */
void console_use(const struct plat_uart *uart);

/** Turns on the lock between CPUs; exclusives need the MMU on. */
void console_enable_lock(void);

/**
 * For a fault report that faulted itself (most likely in the UART, maybe
 * with the console lock held by this very CPU): back to the board's UART,
 * and no lock from now on, since waiting for it could be waiting forever.
 * Lines of different CPUs may then mix.
 */
void console_emergency(void);

/** Returns the UART in use (for mapping it); never NULL. */
const struct plat_uart *console_uart(void);

/** The longest source name console_put_text() puts in a tag. */
#define CONSOLE_NAME_MAX 31

/**
 * Writes n bytes of s, each newline preceded by a carriage return, as one
 * piece that no other CPU's output splits (once the lock is on). Partita's
 * own text: it may use the whole output buffer (platform/conbuf.h).
 */
void console_write(const char *s, size_t n);

/**
 * Writes text of source src (1 + a VM's index, up to CONBUF_SRCS - 1) as
 * one piece: behind the tag "[name] " when it starts a line, after a line
 * break when another source's line was left open (s need not end its line:
 * a prompt). Never waits for the UART once the console is in interrupt
 * mode: text that finds src's share of the buffer full is dropped and
 * counted, and a warning line says how much before src's next text.
 */
void console_put_text(unsigned int src, const char *name, const char *s, size_t n);

/** Writes without taking the lock, waiting for the UART: for a CPU that is about to stop. */
void console_write_unlocked(const char *s, size_t n);

/**
 * Sends everything still buffered, waiting (boundedly) for the UART: before
 * the machine powers off, so that its last lines are seen.
 */
void console_flush(void);

/**
 * Switches to interrupt mode: the UART's receive interrupts are unmasked
 * and what its transmit FIFO cannot take at once waits for its transmit
 * interrupt. The caller routes, owns and enables the UART's INTID and
 * calls console_irq() when it fires. Returns false (the console keeps
 * polling) for a UART other than a PL011.
 */
bool console_irq_enable(void);

/**
 * The UART's interrupt: sends what its FIFO now takes (the transmit
 * interrupt stays unmasked while more waits) and returns up to max
 * characters received, into rx. Call again while it returns max.
 */
size_t console_irq(u8 *rx, size_t max);

/**
 * For the system tests (partita.selftest=slow-uart): in interrupt mode the
 * UART is taken to accept one character per drain, as a slow UART whose
 * FIFO is full would, so that nearly all output goes out from its transmit
 * interrupt. QEMU's PL011 never fills its FIFO, which otherwise leaves that
 * path unused there.
 */
void console_test_slow(void);

/** Characters source src lost in all, its output coming faster than the UART sends. */
u64 console_lost(unsigned int src);

#endif
