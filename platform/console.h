/* The hypervisor's console: one physical UART, shared by every CPU. */
#ifndef PLATFORM_CONSOLE_H
#define PLATFORM_CONSOLE_H

#include "platform/platform.h"

/** Selects the board's built-in UART; usable with the MMU off. */
void console_init_early(void);

/** Switches to the UART the FDT named. */
void console_use(const struct plat_uart *uart);

/** Turns on the lock between CPUs; exclusives need the MMU on. */
void console_enable_lock(void);

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
