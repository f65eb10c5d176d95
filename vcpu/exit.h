/* Exit decode and dispatch: one handler per exception class (ESR_EL2.EC). */
#ifndef VCPU_EXIT_H
#define VCPU_EXIT_H

#include "vcpu/vcpu.h"

enum exit_kind {
	EXIT_SYNC = 0,
	EXIT_IRQ = 1,
	EXIT_FIQ = 2,
	EXIT_SERROR = 3,
};

/**
 * Called by vcpu/entry.S on every exit with the guest's registers saved.
 * Returns VCPU_RUNS to resume the guest, or why it must stop.
 */
enum vcpu_stop vcpu_handle_exit(struct vcpu *v, u64 kind);

/** Moves the guest past the trapped instruction (ESR_EL2.IL gives its size). */
void vcpu_skip_instr(struct vcpu *v, u64 esr);

/**
 * Asks the vCPU on another physical CPU to leave the guest and look at its
 * VM's state: core/ provides it (it sends an SGI).
 */
void vcpu_kick(struct vcpu *v);

/** Handles an interrupt taken to EL2 while the guest ran: core/ provides it. */
enum vcpu_stop vcpu_irq(struct vcpu *v);

/** Says which VM and vCPU a log line is about, as "vm0 (name) vcpu1". */
#define VCPU_FMT "vm%u (%s) vcpu%u"
#define VCPU_ARGS(v) (v)->vm->id, (v)->vm->name, (v)->id

#endif
