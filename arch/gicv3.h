/*
 * The GICv3 virtual CPU interface control registers (ICH_*_EL2, IHI 0069
 * chapter 12), named by encoding so that any assembler takes them. The
 * list and active-priority registers are numbered; their accessors take
 * the number and switch over the encodings, since MRS/MSR name the
 * register in the instruction.
 */
#ifndef ARCH_GICV3_H
#define ARCH_GICV3_H

#include "arch/sysreg.h"

#define ICH_HCR_EL2 s3_4_c12_c11_0
#define ICH_VTR_EL2 s3_4_c12_c11_1
#define ICH_MISR_EL2 s3_4_c12_c11_2
#define ICH_ELRSR_EL2 s3_4_c12_c11_5 /* bit n: LR n is empty */
#define ICH_VMCR_EL2 s3_4_c12_c11_7

#define ICH_HCR_EL2_En BIT(0)
#define ICH_HCR_EL2_UIE BIT(1)
#define ICH_HCR_EL2_LRENPIE BIT(2) /* maintenance while EOIcount is not 0 */
#define ICH_HCR_EL2_NPIE BIT(3) /* maintenance while no LR is pending */
#define ICH_HCR_EL2_TC BIT(10)
#define ICH_HCR_EL2_TALL0 BIT(11)
#define ICH_HCR_EL2_TALL1 BIT(12)
#define ICH_HCR_EL2_TDIR BIT(14) /* EL1 writes to ICC_DIR_EL1 trap to EL2 */
#define ICH_HCR_EL2_EOIcount_SHIFT 27
#define ICH_HCR_EL2_EOIcount_MASK (0x1fUL << ICH_HCR_EL2_EOIcount_SHIFT)

#define ICH_VTR_EL2_ListRegs_MASK 0x1fU /* ListRegs [4:0]: the count minus one */
#define ICH_VTR_EL2_PREbits_SHIFT 26 /* PREbits [28:26]: preemption bits minus one */

/* ICH_VMCR_EL2: the guest's ICC_* state; see vcpu/vgic/v3.c for the reset value. */
#define ICH_VMCR_EL2_VENG1 BIT(1)
#define ICH_VMCR_EL2_VFIQEn BIT(3)
#define ICH_VMCR_EL2_VCBPR BIT(4)
#define ICH_VMCR_EL2_VEOIM BIT(9) /* the guest's ICC_CTLR_EL1.EOImode */
#define ICH_VMCR_EL2_VBPR1_SHIFT 18
#define ICH_VMCR_EL2_VBPR0_SHIFT 21

/** Reads ICH_LR<n>_EL2 (n < 16; reads 0 for any other n). */
static inline u64 ich_lr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(s3_4_c12_c12_0);
	case 1:
		return read_sysreg(s3_4_c12_c12_1);
	case 2:
		return read_sysreg(s3_4_c12_c12_2);
	case 3:
		return read_sysreg(s3_4_c12_c12_3);
	case 4:
		return read_sysreg(s3_4_c12_c12_4);
	case 5:
		return read_sysreg(s3_4_c12_c12_5);
	case 6:
		return read_sysreg(s3_4_c12_c12_6);
	case 7:
		return read_sysreg(s3_4_c12_c12_7);
	case 8:
		return read_sysreg(s3_4_c12_c13_0);
	case 9:
		return read_sysreg(s3_4_c12_c13_1);
	case 10:
		return read_sysreg(s3_4_c12_c13_2);
	case 11:
		return read_sysreg(s3_4_c12_c13_3);
	case 12:
		return read_sysreg(s3_4_c12_c13_4);
	case 13:
		return read_sysreg(s3_4_c12_c13_5);
	case 14:
		return read_sysreg(s3_4_c12_c13_6);
	case 15:
		return read_sysreg(s3_4_c12_c13_7);
	default:
		return 0;
	}
}

/** Writes ICH_LR<n>_EL2 (n < 16; any other n is ignored). */
static inline void ich_lr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(s3_4_c12_c12_0, v);
		break;
	case 1:
		write_sysreg(s3_4_c12_c12_1, v);
		break;
	case 2:
		write_sysreg(s3_4_c12_c12_2, v);
		break;
	case 3:
		write_sysreg(s3_4_c12_c12_3, v);
		break;
	case 4:
		write_sysreg(s3_4_c12_c12_4, v);
		break;
	case 5:
		write_sysreg(s3_4_c12_c12_5, v);
		break;
	case 6:
		write_sysreg(s3_4_c12_c12_6, v);
		break;
	case 7:
		write_sysreg(s3_4_c12_c12_7, v);
		break;
	case 8:
		write_sysreg(s3_4_c12_c13_0, v);
		break;
	case 9:
		write_sysreg(s3_4_c12_c13_1, v);
		break;
	case 10:
		write_sysreg(s3_4_c12_c13_2, v);
		break;
	case 11:
		write_sysreg(s3_4_c12_c13_3, v);
		break;
	case 12:
		write_sysreg(s3_4_c12_c13_4, v);
		break;
	case 13:
		write_sysreg(s3_4_c12_c13_5, v);
		break;
	case 14:
		write_sysreg(s3_4_c12_c13_6, v);
		break;
	case 15:
		write_sysreg(s3_4_c12_c13_7, v);
		break;
	default:
		break;
	}
}

/**
 * ORs bits into ICH_LR<n>_EL2 (n < 16; does nothing for any other n): one
 * dispatch on n where a read and a write would take two.
 */
static inline void ich_lr_or(unsigned int n, u64 bits)
{
	switch (n) {
	case 0:
		write_sysreg(s3_4_c12_c12_0, read_sysreg(s3_4_c12_c12_0) | bits);
		break;
	case 1:
		write_sysreg(s3_4_c12_c12_1, read_sysreg(s3_4_c12_c12_1) | bits);
		break;
	case 2:
		write_sysreg(s3_4_c12_c12_2, read_sysreg(s3_4_c12_c12_2) | bits);
		break;
	case 3:
		write_sysreg(s3_4_c12_c12_3, read_sysreg(s3_4_c12_c12_3) | bits);
		break;
	case 4:
		write_sysreg(s3_4_c12_c12_4, read_sysreg(s3_4_c12_c12_4) | bits);
		break;
	case 5:
		write_sysreg(s3_4_c12_c12_5, read_sysreg(s3_4_c12_c12_5) | bits);
		break;
	case 6:
		write_sysreg(s3_4_c12_c12_6, read_sysreg(s3_4_c12_c12_6) | bits);
		break;
	case 7:
		write_sysreg(s3_4_c12_c12_7, read_sysreg(s3_4_c12_c12_7) | bits);
		break;
	case 8:
		write_sysreg(s3_4_c12_c13_0, read_sysreg(s3_4_c12_c13_0) | bits);
		break;
	case 9:
		write_sysreg(s3_4_c12_c13_1, read_sysreg(s3_4_c12_c13_1) | bits);
		break;
	case 10:
		write_sysreg(s3_4_c12_c13_2, read_sysreg(s3_4_c12_c13_2) | bits);
		break;
	case 11:
		write_sysreg(s3_4_c12_c13_3, read_sysreg(s3_4_c12_c13_3) | bits);
		break;
	case 12:
		write_sysreg(s3_4_c12_c13_4, read_sysreg(s3_4_c12_c13_4) | bits);
		break;
	case 13:
		write_sysreg(s3_4_c12_c13_5, read_sysreg(s3_4_c12_c13_5) | bits);
		break;
	case 14:
		write_sysreg(s3_4_c12_c13_6, read_sysreg(s3_4_c12_c13_6) | bits);
		break;
	case 15:
		write_sysreg(s3_4_c12_c13_7, read_sysreg(s3_4_c12_c13_7) | bits);
		break;
	default:
		break;
	}
}

/**
 * Writes v to ICH_AP0R<n>_EL2 and ICH_AP1R<n>_EL2 (n < 4; any other n is
 * ignored). Only the registers ICH_VTR_EL2.PREbits implements may be
 * written: the caller bounds n.
 */
static inline void ich_apr_write_both(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(s3_4_c12_c8_0, v);
		write_sysreg(s3_4_c12_c9_0, v);
		break;
	case 1:
		write_sysreg(s3_4_c12_c8_1, v);
		write_sysreg(s3_4_c12_c9_1, v);
		break;
	case 2:
		write_sysreg(s3_4_c12_c8_2, v);
		write_sysreg(s3_4_c12_c9_2, v);
		break;
	case 3:
		write_sysreg(s3_4_c12_c8_3, v);
		write_sysreg(s3_4_c12_c9_3, v);
		break;
	default:
		break;
	}
}

#endif
