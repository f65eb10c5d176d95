/*
 * Exceptions Partita hands back to a guest: what the architecture would
 * have done had the guest run on bare hardware that lacks what it touched.
 */
#ifndef VCPU_INJECT_H
#define VCPU_INJECT_H

#include "vcpu/vcpu.h"

#define VECTOR_TABLE_SIZE 0x800
#define VECTOR_ENTRY_SIZE 0x80

/*
 * Both synchronous injections below return VCPU_RUNS, or VCPU_STOP_VM_CRASH
 * without injecting anything, after a line naming the vCPU, when the
 * exception would be taken at the very vector entry the guest trapped in
 * (it would trap again forever): the exit handler returns what they return.
 */

/** An Undefined Instruction exception for the trapped instruction (esr from EL2). */
enum vcpu_stop inject_undef(struct vcpu *v, u64 esr);

/**
 * A synchronous external abort for the access that trapped with esr:
 * a data abort if data is true, else an instruction abort. FAR_EL1 gets the
 * faulting virtual address.
 */
enum vcpu_stop inject_abort(struct vcpu *v, u64 esr, bool data);

/** A virtual SError, taken when the guest unmasks PSTATE.A. */
void inject_serror(struct vcpu *v);

#endif
