/*
 * Reading memory that may not be there. Boot inputs (x0, memory nodes, a
 * console UART's address) can name physical addresses with nothing behind
 * them. The EL2 vectors (vcpu/vectors.S) resume a fault on the one load
 * below at its fixup, so the caller hears "not there" instead of Partita
 * stopping in a fault dump: a synchronous data abort on the load, or an
 * SError that is pending once the load has completed (DSB), which the probe
 * takes at EL2 by briefly clearing PSTATE.A with HCR_EL2.AMO set.
 *
 * What that is worth: on QEMU a read of unbacked space is always a
 * synchronous external abort, so the probe is exact there. On hardware a
 * read of absent memory mapped Normal may return data without any abort,
 * an error may be signalled as an SError later than the DSB (it would then
 * be blamed on whatever runs next, a guest at its first entry), and an
 * SError routed to EL3 is never seen. A true answer means only that
 * something answered.
 */
#ifndef ARCH_PROBE_H
#define ARCH_PROBE_H

#include "arch/types.h"

/**
 * Reads the 32-bit word at addr (mapped at EL2) into *out. Returns true, or
 * false when the read faulted (external abort, translation, address size or
 * alignment fault) or an SError was pending right after it; *out is then
 * unchanged. Boot only: it changes HCR_EL2 for its duration.
 */
bool arch_probe_read32(u64 addr, u32 *out);

/*
 * The probing load, the end of the window in which an SError is the
 * probe's, and where a fault resumes; for the EL2 vectors only.
 */
extern char arch_probe_load[], arch_probe_window_end[], arch_probe_fixup[];

#endif
