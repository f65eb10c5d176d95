/*
 * System-register access and the bits Partita uses, named as the Arm ARM
 * spells them. Only this directory contains inline assembly.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include "arch/types.h"

#define __read_sysreg(reg)                                     \
	({                                                     \
		u64 __r;                                       \
		__asm__ volatile("mrs %0, " #reg : "=r"(__r)); \
		__r;                                           \
	})

#define __write_sysreg(reg, v)                                                \
	do {                                                                  \
		u64 __v = (u64)(v);                                           \
		__asm__ volatile("msr " #reg ", %0" : : "r"(__v) : "memory"); \
	} while (0)

/*
 * Reads and writes a system register by name (MRS, MSR). One level of
 * indirection, so that a register named by a macro is expanded first.
 */
#define read_sysreg(reg) __read_sysreg(reg)
#define write_sysreg(reg, v) __write_sysreg(reg, v)

/** Instruction synchronization barrier: later instructions see earlier system-register writes. */
static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/** Data synchronization and memory barriers, for a shareability domain opt (ish, sy...). */
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")

/** Waits for an event: a SEV, the event stream, or a lost exclusive monitor. */
static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

/** Waits for an interrupt (one that is masked still wakes the CPU). */
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/** Sends an event to every CPU, waking those in WFE. */
static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}

/** Hints that this CPU is spinning (YIELD), for the benefit of its siblings. */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/** Masks debug exceptions, SErrors, IRQs and FIQs on this CPU (DAIF). */
static inline void local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

/* SCTLR_EL2 (HCR_EL2.E2H == 0 layout) */
#define SCTLR_EL2_M BIT(0)
#define SCTLR_EL2_A BIT(1)
#define SCTLR_EL2_C BIT(2)
#define SCTLR_EL2_SA BIT(3)
#define SCTLR_EL2_I BIT(12)
#define SCTLR_EL2_WXN BIT(19)
#define SCTLR_EL2_RES1 \
	(BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* TCR_EL2 (E2H == 0) */
#define TCR_EL2_T0SZ(bits) (64UL - (bits))
#define TCR_EL2_IRGN0_WBWA (1UL << 8)
#define TCR_EL2_ORGN0_WBWA (1UL << 10)
#define TCR_EL2_SH0_INNER (3UL << 12)
#define TCR_EL2_TG0_4K (0UL << 14)
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_RES1 (BIT(23) | BIT(31))

/* MAIR attribute indices used by Partita's stage-1 tables. */
#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_ATTR_DEVICE_nGnRE 0x04UL
#define MAIR_ATTR_NORMAL_WB 0xffUL
#define MAIR_EL2_VALUE                                       \
	((MAIR_ATTR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE)) | \
	 (MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)))

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK 0xfUL

/* CNTHCTL_EL2 (E2H == 0) */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)
#define CNTHCTL_EVNTEN BIT(2)
#define CNTHCTL_EVNTI_SHIFT 4
/*
 * The whole of CNTHCTL_EL2, never read-modify-written: EL1 may read the
 * physical counter and use the physical timer (the guest owns its CPU), and
 * an event stream every 2^12 counter ticks wakes WFE, so wait loops with a
 * deadline cannot sleep past it.
 */
#define CNTHCTL_EL2_VALUE \
	(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN | (11UL << CNTHCTL_EVNTI_SHIFT))

/* HCR_EL2 */
#define HCR_EL2_VM BIT(0)
#define HCR_EL2_SWIO BIT(1)
#define HCR_EL2_FMO BIT(3)
#define HCR_EL2_IMO BIT(4)
#define HCR_EL2_AMO BIT(5)
#define HCR_EL2_VSE BIT(8)
#define HCR_EL2_FB BIT(9)
#define HCR_EL2_BSU_IS (1UL << 10)
#define HCR_EL2_TWI BIT(13)
#define HCR_EL2_TWE BIT(14)
#define HCR_EL2_TID3 BIT(18)
#define HCR_EL2_TSC BIT(19)
#define HCR_EL2_TIDCP BIT(20)
#define HCR_EL2_TACR BIT(21)
#define HCR_EL2_RW BIT(31)
#define HCR_EL2_E2H BIT(34)
#define HCR_EL2_TLOR BIT(35)
#define HCR_EL2_TERR BIT(36)
#define HCR_EL2_APK BIT(40)
#define HCR_EL2_API BIT(41)
#define HCR_EL2_TID5 BIT(58)

/* CPTR_EL2 (E2H == 0): bits 7:0, 9 and 13 are RES1; TZ (8) is RES1 without SVE, TSM (12) without SME. */
#define CPTR_EL2_RES1 (GENMASK(7, 0) | BIT(9) | BIT(13))
#define CPTR_EL2_TZ BIT(8)
#define CPTR_EL2_TFP BIT(10)
#define CPTR_EL2_TSM BIT(12)
#define CPTR_EL2_TTA BIT(20)
#define CPTR_EL2_TAM BIT(30)

/* MDCR_EL2 */
#define MDCR_EL2_HPMN_MASK 0x1fUL
#define MDCR_EL2_TPMS BIT(14)
#define MDCR_EL2_TTRF BIT(19)

/* VTCR_EL2 */
#define VTCR_EL2_T0SZ(bits) (64UL - (bits))
#define VTCR_EL2_SL0_SHIFT 6
#define VTCR_EL2_IRGN0_WBWA (1UL << 8)
#define VTCR_EL2_ORGN0_WBWA (1UL << 10)
#define VTCR_EL2_SH0_INNER (3UL << 12)
#define VTCR_EL2_TG0_4K (0UL << 14)
#define VTCR_EL2_PS_SHIFT 16
#define VTCR_EL2_RES1 BIT(31)

#define VTTBR_VMID_SHIFT 48

/* SCTLR_EL1: the RES1 bits of ARMv8.0, which are the architectural reset value with the MMU off. */
#define SCTLR_EL1_RES1 (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))
#define SCTLR_EL1_SPAN BIT(23)
#define SCTLR_EL1_E0E BIT(24)
#define SCTLR_ELx_EE BIT(25)
#define SCTLR_EL1_DSSBS BIT(44)

/* ID register fields */
#define ID_AA64PFR0_SVE_SHIFT 32
#define ID_AA64PFR0_RAS_SHIFT 28
#define ID_AA64PFR0_AMU_SHIFT 44
#define ID_AA64PFR0_MPAM_SHIFT 40
#define ID_AA64PFR1_MPAM_FRAC_SHIFT 16
#define ID_AA64PFR1_SME_SHIFT 24
#define ID_AA64ISAR1_APA_SHIFT 4
#define ID_AA64ISAR1_API_SHIFT 8
#define ID_AA64ISAR1_GPA_SHIFT 24
#define ID_AA64ISAR1_GPI_SHIFT 28
#define ID_AA64ISAR2_GPA3_SHIFT 8
#define ID_AA64ISAR2_APA3_SHIFT 12
#define ID_AA64MMFR0_FGT_SHIFT 56
#define ID_AA64DFR0_TRACEVER_SHIFT 4
#define ID_AA64DFR0_PMUVER_SHIFT 8
#define ID_AA64DFR0_BRPS_SHIFT 12
#define ID_AA64DFR0_WRPS_SHIFT 20
#define ID_AA64DFR0_PMSVER_SHIFT 32
#define ID_AA64DFR0_TRACEFILT_SHIFT 40
#define ID_AA64SMFR0_FA64 BIT(63)
#define ID_AA64PFR1_MTE_SHIFT 8
#define ID_AA64MMFR1_LO_SHIFT 16
#define ID_AA64MMFR1_PAN_SHIFT 20
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xfUL)

/* PMCR_EL0 */
#define PMCR_EL0_N_SHIFT 11
#define PMCR_EL0_N_MASK 0x1fUL
#define PMCR_EL0_P BIT(1)
#define PMCR_EL0_C BIT(2)
#define PMCR_EL0_LC BIT(6)

/* DAIF bits in SPSR */
#define SPSR_D BIT(9)
#define SPSR_A BIT(8)
#define SPSR_I BIT(7)
#define SPSR_F BIT(6)
#define SPSR_DAIF (SPSR_D | SPSR_A | SPSR_I | SPSR_F)
#define SPSR_M_EL1h 0x5UL
#define SPSR_M_EL1t 0x4UL
#define SPSR_M_EL2h 0x9UL
#define SPSR_M_MASK 0xfUL
#define SPSR_M_AARCH32 BIT(4)
#define SPSR_PAN BIT(22)
#define SPSR_DIT BIT(24)
#define SPSR_TCO BIT(25)
#define SPSR_SSBS BIT(12)
#define SPSR_BTYPE_MASK (3UL << 10)
#define SPSR_SS BIT(21)
/* SPSR fields of a guest in AArch32 (EL0 only: EL1 is AArch64). */
#define SPSR_A32_T BIT(5)
#define SPSR_A32_E BIT(9)
#define SPSR_A32_IT_HI_SHIFT 10 /* IT[7:2] in bits 15:10 */
#define SPSR_A32_IT_LO_SHIFT 25 /* IT[1:0] in bits 26:25 */
#define SPSR_NZCV_SHIFT 28

/** Returns whether pointer authentication exists, with any algorithm (QARMA5, IMPLEMENTATION DEFINED, QARMA3). */
static inline bool cpu_has_pauth(void)
{
	u64 isar1 = read_sysreg(id_aa64isar1_el1), isar2 = read_sysreg(s3_0_c0_c6_2);

	return ID_FIELD(isar1, ID_AA64ISAR1_APA_SHIFT) || ID_FIELD(isar1, ID_AA64ISAR1_API_SHIFT) ||
	       ID_FIELD(isar1, ID_AA64ISAR1_GPA_SHIFT) || ID_FIELD(isar1, ID_AA64ISAR1_GPI_SHIFT) ||
	       ID_FIELD(isar2, ID_AA64ISAR2_APA3_SHIFT) || ID_FIELD(isar2, ID_AA64ISAR2_GPA3_SHIFT);
}

/** The physical counter (CNTPCT_EL0), read after an ISB so that it is not read early. */
static inline u64 counter_read(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/** The counter's frequency in Hz (CNTFRQ_EL0, set by the firmware). */
static inline u64 counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/*
 * The EL2 physical timer (CNTHP_*_EL2), Partita's own: no guest reaches
 * it. Its output is a level on the timer node's fourth PPI (26 on QEMU virt).
 */
#define CNTHP_CTL_ENABLE BIT(0)
#define CNTHP_CTL_ISTATUS BIT(2)

/** Makes this CPU's EL2 timer fire (its output high) once the counter reaches cval. */
static inline void hyp_timer_arm(u64 cval)
{
	write_sysreg(cnthp_cval_el2, cval);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

/** Turns this CPU's EL2 timer off: its output goes low. */
static inline void hyp_timer_off(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

/** Whether this CPU's EL2 timer is on and has reached its compare value. */
static inline bool hyp_timer_fired(void)
{
	u64 ctl = read_sysreg(cnthp_ctl_el2);

	return (ctl & (CNTHP_CTL_ENABLE | CNTHP_CTL_ISTATUS)) ==
	       (CNTHP_CTL_ENABLE | CNTHP_CTL_ISTATUS);
}

#endif
