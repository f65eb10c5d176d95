/*
 * The ID registers a guest reads. HCR_EL2.TID3 traps every read of the
 * AArch64 and AArch32 feature ID registers (op0 3, op1 0, CRn 0, CRm 1-7);
 * the guest gets the hardware's value with every feature hidden whose
 * registers Partita traps, or does not reset when a vCPU powers on, and
 * RAZ for the reserved encodings. docs/architecture.md lists the features.
 */
#ifndef VCPU_IDREGS_H
#define VCPU_IDREGS_H

#include "vcpu/vcpu.h"

/* Encodings op0 3, op1 0, CRn 0, CRm 1-7, op2 0-7: index (CRm - 1) * 8 + op2. */
#define IDREGS_COUNT 56

/**
 * Computes the ID register values this CPU's vCPU v sees. Runs when the vCPU
 * powers on, on its own physical CPU (ID registers can differ between CPUs).
 */
void idregs_load(const struct vcpu *v);

/** The value the guest reads from ID register index (see IDREGS_COUNT). */
u64 idregs_value(const struct vcpu *v, unsigned int index);

#endif
