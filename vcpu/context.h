/*
 * A vCPU's context beyond its general registers: the EL1 system registers
 * (switched when it starts, stops or resets) and the EL2 controls that
 * shape what the guest may touch.
 */
#ifndef VCPU_CONTEXT_H
#define VCPU_CONTEXT_H

#include "vcpu/vcpu.h"

/**
 * Gives FP/SIMD, SVE and SME to EL1 and EL2 on this CPU, untrapped, and
 * traps the features hidden from guests (trace, AMU, MPAM). Call at boot.
 */
void context_init_cpu(void);

/** HCR_EL2 for a VM on this machine: what is trapped, what the guest owns. */
u64 context_vm_hcr(void);

/**
 * Powers the vCPU on at entry with x0 = context, as PSCI and the Linux boot
 * protocol want: EL1h, DAIF masked, MMU and caches off. Loads its EL1
 * registers and the EL2 controls of its VM on this CPU, resets every other
 * register the guest reaches (vcpu/reset.h) and computes the ID register
 * values it reads (vcpu/idregs.h).
 */
void context_power_on(struct vcpu *v, u64 entry, u64 context);

/**
 * Saves the EL1 registers of the vCPU that stopped on this CPU, so its last
 * state can be inspected; the next power-on starts from reset values.
 */
void context_save(struct vcpu *v);

#endif
