/* Trapped MSR/MRS accesses (ESR_EL2.EC == 0x18). */
#ifndef VCPU_SYSREG_TRAP_H
#define VCPU_SYSREG_TRAP_H

#include "vcpu/vcpu.h"

/* ISS of a trapped MSR/MRS: Op0, Op2, Op1, CRn, Rt, CRm, direction. */
#define SYS_ISS(op0, op1, crn, crm, op2)                                                     \
	(((u64)(op0) << 20) | ((u64)(op2) << 17) | ((u64)(op1) << 14) | ((u64)(crn) << 10) | \
	 ((u64)(crm) << 1))
#define SYS_ISS_REG_MASK (SYS_ISS(3, 7, 15, 15, 7))
#define SYS_ISS_RT_SHIFT 5
#define SYS_ISS_READ BIT(0)

#define SYS_ACTLR_EL1 SYS_ISS(3, 0, 1, 0, 1)

/**
 * The exit handler for a trapped MSR or MRS (ESR_EL2.EC == 0x18): emulates
 * ACTLR_EL1, and injects an undefined instruction exception, with a warning,
 * for any other register.
 */
enum vcpu_stop sysreg_trap(struct vcpu *v, u64 esr);

#endif
