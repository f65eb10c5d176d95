/*
 * Exceptions Partita hands back to a guest: what the architecture would
 * have done had the guest run on bare hardware that lacks what it touched.
 */
#ifndef VCPU_INJECT_H
#define VCPU_INJECT_H

#include "vcpu/vcpu.h"

#define VECTOR_TABLE_SIZE 0x800

/** An Undefined Instruction exception for the trapped instruction (esr from EL2). */
void inject_undef(struct vcpu *v, u64 esr);

/**
 * A synchronous external abort for the access that trapped with esr:
 * a data abort if data is true, else an instruction abort. FAR_EL1 gets the
 * faulting virtual address.
 */
void inject_abort(struct vcpu *v, u64 esr, bool data);

/** A virtual SError, taken when the guest unmasks PSTATE.A. */
void inject_serror(struct vcpu *v);

#endif
