/* ESR_ELx: exception classes and syndrome fields (Arm ARM D17.2.37). */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include "arch/types.h"

#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_MASK 0x3fUL
#define ESR_ELx_IL BIT(25)
#define ESR_ELx_ISS_MASK GENMASK(24, 0)
/*
 * The traps of AArch32 instructions whose syndrome carries the
 * instruction's condition (WFx, MCR/MRC and MCRR/MRRC to CP14 and CP15,
 * LDC/STC, FP/SIMD access, VMRS): CV says whether COND is valid (Arm ARM
 * D17.2.37, "ISS encoding ... CV, COND").
 */
#define ESR_ELx_CV BIT(24)
#define ESR_ELx_COND_SHIFT 20
#define ESR_ELx_EC_WITH_COND                                                                 \
	(BIT(0x01) | BIT(0x03) | BIT(0x04) | BIT(0x05) | BIT(0x06) | BIT(0x07) | BIT(0x08) | \
	 BIT(0x0c))

#define ESR_ELx_EC_UNKNOWN 0x00
#define ESR_ELx_EC_WFx 0x01
#define ESR_ELx_EC_FP_ASIMD 0x07
#define ESR_ELx_EC_ILL 0x0e
#define ESR_ELx_EC_SVC64 0x15
#define ESR_ELx_EC_HVC64 0x16
#define ESR_ELx_EC_SMC64 0x17
#define ESR_ELx_EC_SYS64 0x18
#define ESR_ELx_EC_SVE 0x19
#define ESR_ELx_EC_IABT_LOW 0x20
#define ESR_ELx_EC_IABT_CUR 0x21
#define ESR_ELx_EC_PC_ALIGN 0x22
#define ESR_ELx_EC_DABT_LOW 0x24
#define ESR_ELx_EC_DABT_CUR 0x25
#define ESR_ELx_EC_SP_ALIGN 0x26
#define ESR_ELx_EC_SERROR 0x2f
#define ESR_ELx_EC_BRK64 0x3c
#define ESR_ELx_EC_MAX 0x3f

/** The exception class of a syndrome (ESR_ELx_EC_*). */
static inline unsigned int esr_ec(u64 esr)
{
	return (unsigned int)((esr >> ESR_ELx_EC_SHIFT) & ESR_ELx_EC_MASK);
}

#endif
