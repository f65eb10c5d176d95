#include "vcpu/reset.h"

#include "arch/sysreg.h"
#include "platform/gic.h"

/* Registers the assembler may not know by name without extension flags. */
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
#define ZCR_EL1 s3_0_c1_c2_0
#define SMPRI_EL1 s3_0_c1_c2_4
#define SMCR_EL1 s3_0_c1_c2_6
#define TPIDR2_EL0 s3_3_c13_c0_5
#define VDISR_EL2 s3_4_c12_c1_1
#define ICH_HCR_EL2 s3_4_c12_c11_0
#define ICH_VTR_EL2 s3_4_c12_c11_1
#define ICH_VMCR_EL2 s3_4_c12_c11_7

/* ICH_VTR_EL2 and ICH_VMCR_EL2 fields. */
#define ICH_VTR_LISTREGS_MASK 0x1fUL
#define ICH_VTR_PREBITS_SHIFT 26
#define ICH_VMCR_VFIQEN BIT(3)
#define ICH_VMCR_VBPR1_SHIFT 18
#define ICH_VMCR_VBPR0_SHIFT 21

#define PMU_COUNTERS_ALL GENMASK(31, 0) /* event counters 0-30 and the cycle counter */
#define OSLAR_OSLK BIT(0)

static bool has(u64 reg, unsigned int shift)
{
	return ID_FIELD(reg, shift) != 0;
}

/*
 * The PMU belongs to the guest (MDCR_EL2.HPMN is every counter), so all of
 * it starts from reset: counters disabled, zeroed, unfiltered, no overflow,
 * no interrupt, no EL0 access. PMCR_EL0.LC, UNKNOWN at reset (RES1 where
 * AArch32 is missing), is 1: 64-bit cycle counter overflow.
 */
static void reset_pmu(void)
{
	u64 pmuver = ID_FIELD(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_PMUVER_SHIFT);
	u64 n, i;

	if (!pmuver || pmuver == 0xf)
		return;
	write_sysreg(pmcntenclr_el0, PMU_COUNTERS_ALL);
	write_sysreg(pmintenclr_el1, PMU_COUNTERS_ALL);
	write_sysreg(pmovsclr_el0, PMU_COUNTERS_ALL);
	/* At EL2, P and C reset every event counter and the cycle counter. */
	write_sysreg(pmcr_el0, PMCR_EL0_P | PMCR_EL0_C | PMCR_EL0_LC);
	n = (read_sysreg(pmcr_el0) >> PMCR_EL0_N_SHIFT) & PMCR_EL0_N_MASK;
	for (i = 0; i < n; i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		write_sysreg(pmxevtyper_el0, 0);
		write_sysreg(pmxevcntr_el0, 0);
	}
	write_sysreg(pmselr_el0, 0);
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmccntr_el0, 0);
	write_sysreg(pmuserenr_el0, 0);
}

#define BP(n)                                     \
	case n:                                   \
		write_sysreg(dbgbcr##n##_el1, 0); \
		write_sysreg(dbgbvr##n##_el1, 0); \
		__attribute__((fallthrough))
#define WP(n)                                     \
	case n:                                   \
		write_sysreg(dbgwcr##n##_el1, 0); \
		write_sysreg(dbgwvr##n##_el1, 0); \
		__attribute__((fallthrough))

/* Breakpoints 0 to last: only implemented ones may be written. */
static void reset_breakpoints(u64 last)
{
	switch (last) {
		BP(15);
		BP(14);
		BP(13);
		BP(12);
		BP(11);
		BP(10);
		BP(9);
		BP(8);
		BP(7);
		BP(6);
		BP(5);
		BP(4);
		BP(3);
		BP(2);
		BP(1);
		BP(0);
	default:
		break;
	}
}

static void reset_watchpoints(u64 last)
{
	switch (last) {
		WP(15);
		WP(14);
		WP(13);
		WP(12);
		WP(11);
		WP(10);
		WP(9);
		WP(8);
		WP(7);
		WP(6);
		WP(5);
		WP(4);
		WP(3);
		WP(2);
		WP(1);
		WP(0);
	default:
		break;
	}
}

/*
 * Self-hosted debug belongs to the guest (MDCR_EL2 traps none of it).
 * Breakpoints and watchpoints are disabled and cleared, the double lock
 * off; the OS Lock is locked, as after a cold
 * reset, so the guest unlocks it as on hardware. MDSCR_EL1 is in the EL1
 * context. Not reset: the debug communication channel (DBGDTR*_EL0),
 * OSECCR_EL1, DBGPRCR_EL1 and the claim tags, which QEMU 7.2 does not implement (an
 * access UNDEFs at EL2) and no test could check.
 */
static void reset_debug(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	reset_breakpoints(ID_FIELD(dfr0, ID_AA64DFR0_BRPS_SHIFT));
	reset_watchpoints(ID_FIELD(dfr0, ID_AA64DFR0_WRPS_SHIFT));
	write_sysreg(oslar_el1, OSLAR_OSLK);
	isb();
	write_sysreg(osdlr_el1, 0);
	write_sysreg(mdccint_el1, 0);
}

#define LR(n, reg)                    \
	case n:                       \
		write_sysreg(reg, 0); \
		__attribute__((fallthrough))

/* List registers 0 to last (ICH_LR<n>_EL2): no virtual interrupt pending or active. */
static void reset_list_registers(u64 last)
{
	switch (last) {
		LR(15, s3_4_c12_c13_7);
		LR(14, s3_4_c12_c13_6);
		LR(13, s3_4_c12_c13_5);
		LR(12, s3_4_c12_c13_4);
		LR(11, s3_4_c12_c13_3);
		LR(10, s3_4_c12_c13_2);
		LR(9, s3_4_c12_c13_1);
		LR(8, s3_4_c12_c13_0);
		LR(7, s3_4_c12_c12_7);
		LR(6, s3_4_c12_c12_6);
		LR(5, s3_4_c12_c12_5);
		LR(4, s3_4_c12_c12_4);
		LR(3, s3_4_c12_c12_3);
		LR(2, s3_4_c12_c12_2);
		LR(1, s3_4_c12_c12_1);
		LR(0, s3_4_c12_c12_0);
	default:
		break;
	}
}

/*
 * With GICv3 and HCR_EL2.IMO, the guest's ICC_* accesses reach the virtual
 * CPU interface, whose state is ICH_VMCR_EL2 and the active-priority
 * registers: reset as the GIC architecture resets ICC_*: groups disabled,
 * priority mask 0 (everything masked), binary points at their minimum
 * (BPR1 one above BPR0), EOImode 0, no active priority.
 */
static void reset_gic_cpuif(void)
{
	u64 vtr, prebits, bpr0;

	if (gic_version() != 3)
		return;
	/*
	 * The virtual interface itself, its traps and its list registers reset
	 * to UNKNOWN values: off, trapping nothing, nothing pending (no vGIC
	 * uses them yet, and a later one must find no interrupt of an earlier
	 * life).
	 */
	write_sysreg(ICH_HCR_EL2, 0);
	vtr = read_sysreg(ICH_VTR_EL2);
	reset_list_registers(vtr & ICH_VTR_LISTREGS_MASK);
	prebits = ((vtr >> ICH_VTR_PREBITS_SHIFT) & 7) + 1;
	bpr0 = 7 - prebits;
	write_sysreg(ICH_VMCR_EL2, ICH_VMCR_VFIQEN | (bpr0 << ICH_VMCR_VBPR0_SHIFT) |
					   ((bpr0 + 1) << ICH_VMCR_VBPR1_SHIFT));
	/* One register per 32 preemption levels: 5 bits need 1, 6 need 2, 7 need 4. */
	switch (prebits) {
	case 7:
		write_sysreg(s3_4_c12_c8_3, 0);
		write_sysreg(s3_4_c12_c9_3, 0);
		write_sysreg(s3_4_c12_c8_2, 0);
		write_sysreg(s3_4_c12_c9_2, 0);
		__attribute__((fallthrough));
	case 6:
		write_sysreg(s3_4_c12_c8_1, 0);
		write_sysreg(s3_4_c12_c9_1, 0);
		__attribute__((fallthrough));
	default:
		write_sysreg(s3_4_c12_c8_0, 0); /* ICH_AP0R0_EL2 */
		write_sysreg(s3_4_c12_c9_0, 0); /* ICH_AP1R0_EL2 */
	}
}

/* Pointer-authentication keys (untrapped: HCR_EL2.APK) reset UNKNOWN: zero. */
static void reset_pauth_keys(void)
{
	write_sysreg(APIAKEYLO_EL1, 0);
	write_sysreg(APIAKEYHI_EL1, 0);
	write_sysreg(APIBKEYLO_EL1, 0);
	write_sysreg(APIBKEYHI_EL1, 0);
	write_sysreg(APDAKEYLO_EL1, 0);
	write_sysreg(APDAKEYHI_EL1, 0);
	write_sysreg(APDBKEYLO_EL1, 0);
	write_sysreg(APDBKEYHI_EL1, 0);
	write_sysreg(APGAKEYLO_EL1, 0);
	write_sysreg(APGAKEYHI_EL1, 0);
}

void reset_guest_owned(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);

	reset_pmu();
	reset_debug();
	/* The physical timer is the guest's (CNTHCTL_EL2.EL1PCEN): disabled, compare value 0. */
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	reset_gic_cpuif();
	if (cpu_has_pauth())
		reset_pauth_keys();
	/* Vector lengths reset UNKNOWN: the smallest. */
	if (has(pfr0, ID_AA64PFR0_SVE_SHIFT))
		write_sysreg(ZCR_EL1, 0);
	if (has(pfr1, ID_AA64PFR1_SME_SHIFT)) {
		write_sysreg(SMCR_EL1, 0);
		write_sysreg(SMPRI_EL1, 0);
		write_sysreg(TPIDR2_EL0, 0);
	}
	/* With HCR_EL2.AMO, the guest's DISR_EL1 is VDISR_EL2: no deferred SError. */
	if (has(pfr0, ID_AA64PFR0_RAS_SHIFT))
		write_sysreg(VDISR_EL2, 0);
	isb();
}
