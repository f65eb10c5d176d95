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

/**
 * Writes n bytes of s, each newline preceded by a carriage return, as one
 * piece that no other CPU's output splits (once the lock is on).
 */
void console_write(const char *s, size_t n);

/** Writes a then b as one piece, never split by another CPU's output. */
void console_write_pair(const char *a, size_t an, const char *b, size_t bn);

/** Writes without taking the lock: for a CPU that is about to stop. */
void console_write_unlocked(const char *s, size_t n);

#endif
