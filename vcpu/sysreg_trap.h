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
/* The GICv3 SGI registers: HCR_EL2.IMO (FMO for SGI0R) traps their writes at EL1. */
#define SYS_ICC_SGI1R_EL1 SYS_ISS(3, 0, 12, 11, 5)
#define SYS_ICC_ASGI1R_EL1 SYS_ISS(3, 1, 12, 11, 6)
#define SYS_ICC_SGI0R_EL1 SYS_ISS(3, 2, 12, 11, 7)
#define SYS_ICC_DIR_EL1 SYS_ISS(3, 0, 12, 11, 1) /* trapped by ICH_HCR_EL2.TDIR */

/* Fields of a register encoding in the ISS. */
#define SYS_ISS_CRM(iss) (((iss) >> 1) & 0xf)
#define SYS_ISS_OP2(iss) (((iss) >> 17) & 0x7)
/* Op0, Op1 and CRn only: a group of registers told apart by CRm and Op2. */
#define SYS_ISS_GROUP_MASK SYS_ISS(3, 7, 15, 0, 0)

/* The feature ID space trapped by HCR_EL2.TID3: op0 3, op1 0, CRn 0, CRm 1-7. */
#define SYS_ID_GROUP SYS_ISS(3, 0, 0, 0, 0)
/* RAS error records (ERRIDR_EL1 ... ERXMISC3_EL1), trapped by HCR_EL2.TERR: CRn 5, CRm 3-5. */
#define SYS_ERR_GROUP SYS_ISS(3, 0, 5, 0, 0)

/**
 * Handles a trapped MSR/MRS (esr is its ESR_EL2): emulates the registers
 * Partita serves and injects UNDEF for any other. Always returns VCPU_RUNS.
 */
enum vcpu_stop sysreg_trap(struct vcpu *v, u64 esr);

#endif
