/*
 * Reading memory that may not be there. Boot inputs (x0, a console UART's
 * address) can name physical addresses with nothing behind them, and on
 * such a read the CPU takes a synchronous external abort. The EL2 vectors
 * (vcpu/vectors.S) resume a fault on the one load below at its fixup, so
 * the caller hears "not there" instead of Partita stopping in a fault dump.
 */
#ifndef ARCH_PROBE_H
#define ARCH_PROBE_H

#include "arch/types.h"

/**
 * Reads the 32-bit word at addr (mapped at EL2) into *out. Returns true, or
 * false when the read faulted (external abort, translation, address size or
 * alignment fault); *out is then unchanged. Only a synchronous abort is
 * caught: a platform that reports bus errors as SError still stops.
 */
bool arch_probe_read32(u64 addr, u32 *out);

/** The probing load and where a fault on it resumes; for the EL2 vectors only. */
extern char arch_probe_load[], arch_probe_fixup[];

#endif
