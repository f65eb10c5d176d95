/*
 * System-register access for the test guests that inspect the CPU (idregs,
 * resetstate): by generic encoding, so that neither assembler needs an
 * extension flag, and an access that may UNDEF, counted rather than fatal.
 */
#ifndef GUEST_SYSREGS_H
#define GUEST_SYSREGS_H

#include "rt.h"

#define MRS_(reg)                                                        \
	({                                                               \
		u64 __v;                                                 \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v)::"memory"); \
		__v;                                                     \
	})
#define MSR_(reg, val)                                                                   \
	do {                                                                             \
		__asm__ volatile("msr " #reg ", %0\n isb" ::"r"((u64)(val)) : "memory"); \
	} while (0)

/* One level of indirection, so that a register named by a macro is expanded first. */
#define MRS(reg) MRS_(reg)
#define MSR(reg, val) MSR_(reg, val)

/* Runs stmt with the exception handler armed; true if nothing was taken. */
#define NO_EXCEPTION(stmt)                           \
	({                                           \
		struct exc_record *__r = exc_last(); \
		u64 __before = __r->count;           \
		expect_exception(0);                 \
		stmt;                                \
		__r->armed = false;                  \
		__r->count == __before;              \
	})

#define FIELD(reg, shift) (((reg) >> (shift)) & 0xfUL)

/* ID registers */
#define ID_AA64PFR0_EL1 s3_0_c0_c4_0
#define ID_AA64PFR1_EL1 s3_0_c0_c4_1
#define ID_AA64SMFR0_EL1 s3_0_c0_c4_5
#define ID_AA64DFR0_EL1 s3_0_c0_c5_0
#define ID_AA64ISAR1_EL1 s3_0_c0_c6_1
#define ID_AA64ISAR2_EL1 s3_0_c0_c6_2
#define ID_AA64MMFR0_EL1 s3_0_c0_c7_0
#define ID_AA64MMFR1_EL1 s3_0_c0_c7_1
#define ID_AA64MMFR3_EL1 s3_0_c0_c7_3

/* Registers of optional features */
#define ZCR_EL1 s3_0_c1_c2_0
#define SMPRI_EL1 s3_0_c1_c2_4
#define SMCR_EL1 s3_0_c1_c2_6
#define SVCR s3_3_c4_c2_2
#define TPIDR2_EL0 s3_3_c13_c0_5
#define DISR_EL1 s3_0_c12_c1_1
#define ERRIDR_EL1 s3_0_c5_c3_0
#define GCR_EL1 s3_0_c1_c0_6
#define RGSR_EL1 s3_0_c1_c0_5
#define TFSR_EL1 s3_0_c5_c6_0
#define TFSRE0_EL1 s3_0_c5_c6_1
#define GMID_EL1 s3_1_c0_c0_4
#define SCXTNUM_EL0 s3_3_c13_c0_7
#define SCXTNUM_EL1 s3_0_c13_c0_7
#define LORSA_EL1 s3_0_c10_c4_0
#define LORC_EL1 s3_0_c10_c4_3
#define LORID_EL1 s3_0_c10_c4_7
#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_BPR0_EL1 s3_0_c12_c8_3
#define ICC_AP0R0_EL1 s3_0_c12_c8_4
#define ICC_AP1R0_EL1 s3_0_c12_c9_0
#define ICC_BPR1_EL1 s3_0_c12_c12_3
#define ICC_CTLR_EL1 s3_0_c12_c12_4
#define ICC_SRE_EL1 s3_0_c12_c12_5
#define ICC_IGRPEN0_EL1 s3_0_c12_c12_6
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define APIAKEYLO_EL1 s3_0_c2_c1_0
#define APIAKEYHI_EL1 s3_0_c2_c1_1
#define APIBKEYLO_EL1 s3_0_c2_c1_2
#define APIBKEYHI_EL1 s3_0_c2_c1_3
#define APDAKEYLO_EL1 s3_0_c2_c2_0
#define APDAKEYHI_EL1 s3_0_c2_c2_1
#define APDBKEYLO_EL1 s3_0_c2_c2_2
#define APDBKEYHI_EL1 s3_0_c2_c2_3
#define APGAKEYLO_EL1 s3_0_c2_c3_0
#define APGAKEYHI_EL1 s3_0_c2_c3_1

/* CPACR_EL1: FP/SIMD, SVE and SME untrapped at EL1 and EL0. */
#define CPACR_ALL ((3UL << 20) | (3UL << 16) | (3UL << 24))

/* SME and SVE instructions, encoded (the guests build without SVE/SME flags). */
#define SMSTART_SM ".inst 0xd503437f\n"
#define SMSTOP_SM ".inst 0xd503467f\n"
#define SETFFR ".inst 0x252c9000\n"

static inline bool has_pauth(void)
{
	u64 isar1 = MRS(ID_AA64ISAR1_EL1), isar2 = MRS(ID_AA64ISAR2_EL1);

	return FIELD(isar1, 4) || FIELD(isar1, 8) || FIELD(isar1, 24) || FIELD(isar1, 28) ||
	       FIELD(isar2, 8) || FIELD(isar2, 12);
}

static inline bool has_pmuv3(void)
{
	u64 v = FIELD(MRS(ID_AA64DFR0_EL1), 8);

	return v && v != 0xf;
}

#endif
