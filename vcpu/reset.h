/*
 * The registers a guest reaches besides its EL1 context (vcpu/context.c):
 * PMU, self-hosted debug, physical timer, the GIC CPU interface, pointer-
 * authentication keys, SVE/SME controls, the deferred SError record. None
 * is switched on exits; all are put back to their reset values (or a
 * defined value where the architecture says UNKNOWN) when a vCPU powers on,
 * so that nothing of an earlier life of the vCPU, or of its VM, survives.
 */
#ifndef VCPU_RESET_H
#define VCPU_RESET_H

#include "vcpu/vcpu.h"

/** Resets those registers on this CPU. Call at power-on with the VM's EL2 controls loaded. */
void reset_guest_owned(void);

#endif
