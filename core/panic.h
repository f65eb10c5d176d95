/*
 * panic() is for broken hypervisor invariants only. Anything a guest or a
 * configuration can cause is an error path with a message instead.
 */
#ifndef CORE_PANIC_H
#define CORE_PANIC_H

/** Logs "PANIC on cpuN: " and the formatted message, then parks this CPU. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/** Stops this CPU for good, interrupts masked. */
void cpu_park(void) __attribute__((noreturn));

#endif
