#include "vcpu/idregs.h"

#include "arch/sysreg.h"
#include "mm/stage2.h"
#include "platform/gic.h"
#include "platform/platform.h"

#define IDX(crm, op2) (((crm)-1) * 8 + (op2))
#define F(shift) (0xfUL << (shift))

/*
 * What the guest sees of each ID register: the fields kept as the hardware
 * reports them. Every other field reads 0 ("not implemented"), and so does
 * every register not listed (the reserved encodings are RAZ). A feature is
 * kept only if its registers work for the guest and are reset when a vCPU
 * powers on (vcpu/context.c), or it has no registers at all (instructions).
 * The caps and the fields that depend on the machine are in adjust().
 */
static const u64 keep[IDREGS_COUNT] = {
	/* ID_PFR0_EL1: State0-3, CSV2 (capped), DIT, RAS; not AMU. */
	[IDX(1, 0)] = F(0) | F(4) | F(8) | F(12) | F(16) | F(24) | F(28),
	/* ID_PFR1_EL1: ProgMod, MProgMod, GenTimer, GIC (adjusted); not Security or Virtualization. */
	[IDX(1, 1)] = F(0) | F(8) | F(16) | F(28),
	/* ID_DFR0_EL1: CopDbg, CopSDbg, MMapDbg, PerfMon (capped); no trace. */
	[IDX(1, 2)] = F(0) | F(4) | F(8) | F(24),
	/* ID_MMFR0-3_EL1, ID_ISAR0-5_EL1, ID_ISAR6_EL1, MVFR0-2_EL1: AArch32 EL0. */
	[IDX(1, 4)] = ~0UL,
	[IDX(1, 5)] = ~0UL,
	[IDX(1, 6)] = ~0UL,
	[IDX(1, 7)] = ~0UL,
	[IDX(2, 0)] = ~0UL,
	[IDX(2, 1)] = ~0UL,
	[IDX(2, 2)] = ~0UL,
	[IDX(2, 3)] = ~0UL,
	[IDX(2, 4)] = ~0UL,
	[IDX(2, 5)] = ~0UL,
	/* ID_MMFR4_EL1: not XNX or EVT (EL2 features). */
	[IDX(2, 6)] = ~0UL & ~F(8) & ~F(28),
	[IDX(2, 7)] = ~0UL,
	[IDX(3, 0)] = ~0UL,
	[IDX(3, 1)] = ~0UL,
	[IDX(3, 2)] = ~0UL,
	/* ID_PFR2_EL1: CSV3, SSBS, RAS_frac. */
	[IDX(3, 4)] = F(0) | F(4) | F(8),
	/* ID_DFR1_EL1: MTPMU. */
	[IDX(3, 5)] = F(0),
	/* ID_MMFR5_EL1: ETS. */
	[IDX(3, 6)] = F(0),
	/*
	 * ID_AA64PFR0_EL1: EL0, EL1 (capped), EL3, FP, AdvSIMD, GIC (adjusted),
	 * RAS, SVE, DIT, CSV2 (capped), CSV3. Not EL2, SEL2, MPAM, AMU, RME.
	 */
	[IDX(4, 0)] =
		F(0) | F(4) | F(12) | F(16) | F(20) | F(24) | F(28) | F(32) | F(48) | F(56) | F(60),
	/*
	 * ID_AA64PFR1_EL1: BT, SSBS, RAS_frac, SME, CSV2_frac (adjusted). Not
	 * MTE, MPAM_frac, RNDR_trap, NMI, MTE_frac, GCS, THE, MTEX, DF2, PFAR.
	 */
	[IDX(4, 1)] = F(0) | F(4) | F(12) | F(24) | F(32),
	/* ID_AA64ZFR0_EL1: SVE instruction sets. */
	[IDX(4, 4)] = ~0UL,
	/*
	 * ID_AA64SMFR0_EL1: SME instruction sets, but not the FP8 ones
	 * (F8F16, F8F32, SF8FMA, SF8DP4, SF8DP2): they need FPMR, which
	 * HCRX_EL2.EnFPM (clear) disables.
	 */
	[IDX(4, 5)] = ~0UL & ~(BIT(41) | BIT(40) | BIT(30) | BIT(29) | BIT(28)),
	/*
	 * ID_AA64DFR0_EL1: DebugVer (capped), PMUVer (capped), BRPs, WRPs,
	 * CTX_CMPs, DoubleLock, MTPMU. Not TraceVer, PMSVer (SPE), TraceFilt,
	 * TraceBuffer, BRBE, ExtTrcBuff, HPMN0.
	 */
	[IDX(5, 0)] = F(0) | F(8) | F(12) | F(20) | F(28) | F(36) | F(48),
	/* ID_AA64ISAR0_EL1: every instruction set but TME (HCR_EL2.TME is clear: UNDEF). */
	[IDX(6, 0)] = ~0UL & ~F(24),
	/* ID_AA64ISAR1_EL1: all but LS64 (HCRX_EL2.EnALS/EnASR/EnAS0 are clear). */
	[IDX(6, 1)] = ~0UL & ~F(60),
	/*
	 * ID_AA64ISAR2_EL1: WFxT, RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB,
	 * PRFMSLC, RPRFM, CSSC. Not MOPS (HCRX_EL2.MSCEn is clear), SYSREG_128,
	 * SYSINSTR_128, LUT, ATS1A.
	 */
	[IDX(6, 2)] = F(0) | F(4) | F(8) | F(12) | F(20) | F(24) | F(28) | F(40) | F(48) | F(52),
	/*
	 * ID_AA64MMFR0_EL1: PARange (the VM's IPA size), ASIDBits, BigEnd,
	 * SNSMem, BigEndEL0, TGran16, TGran64, TGran4, ExS, ECV (capped). Not
	 * the stage-2 granules or FGT: the guest has no EL2.
	 */
	[IDX(7, 0)] = F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(24) | F(28) | F(44) | F(60),
	/*
	 * ID_AA64MMFR1_EL1: HAFDBS (capped), HPDS, PAN, SpecSEI, TWED, ETS, AFP,
	 * nTLBPA, TIDCP1, CMOW, ECBHB. Not VMIDBits, VH, XNX, HCX (EL2), LO
	 * (HCR_EL2.TLOR traps LORegions).
	 */
	[IDX(7, 1)] = F(0) | F(12) | F(20) | F(24) | F(32) | F(36) | F(44) | F(48) | F(52) | F(56) |
		      F(60),
	/*
	 * ID_AA64MMFR2_EL1: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT, IDS,
	 * TTL, BBM, E0PD. Not NV, FWB, EVT (EL2).
	 */
	[IDX(7, 2)] = F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(28) | F(32) | F(36) | F(48) |
		      F(52) | F(60),
};

static u64 values[PLAT_MAX_CPUS][IDREGS_COUNT];

#define HW(crm, op2)        \
	case IDX(crm, op2): \
		return read_sysreg(s3_0_c0_c##crm##_##op2)
#define HW_ROW(crm) \
	HW(crm, 0); \
	HW(crm, 1); \
	HW(crm, 2); \
	HW(crm, 3); \
	HW(crm, 4); \
	HW(crm, 5); \
	HW(crm, 6); \
	HW(crm, 7)

/*
 * The hardware's value. Only encodings with something kept are read, but
 * any would do: the architecture makes the whole ID space readable (RAZ
 * where unallocated) at EL1 and above.
 */
static u64 hw_value(unsigned int index)
{
	switch (index) {
		HW_ROW(1);
		HW_ROW(2);
		HW_ROW(3);
		HW_ROW(4);
		HW_ROW(5);
		HW_ROW(6);
		HW_ROW(7);
	default:
		return 0;
	}
}

static u64 field(u64 reg, unsigned int shift)
{
	return (reg >> shift) & 0xfUL;
}

static u64 set_field(u64 reg, unsigned int shift, u64 val)
{
	return (reg & ~F(shift)) | (val << shift);
}

/* An unsigned field capped at max. */
static u64 cap_field(u64 reg, unsigned int shift, u64 max)
{
	return field(reg, shift) > max ? set_field(reg, shift, max) : reg;
}

/* ID_AA64MMFR0_EL1.PARange encoding of an address size in bits. */
static u64 parange_of(unsigned int bits)
{
	static const unsigned int sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 i = 0;

	while (i + 1 < ARRAY_SIZE(sizes) && sizes[i + 1] <= bits)
		i++;
	return i;
}

/* A PMU version field: capped at PMUv3p8, but 0xf (IMPLEMENTATION DEFINED PMU) kept. */
static u64 cap_pmu(u64 reg, unsigned int shift)
{
	return field(reg, shift) == 0xf ? reg : cap_field(reg, shift, 0x8);
}

static u64 adjust(unsigned int index, u64 val)
{
	bool gicv3 = gic_version() == 3;

	switch (index) {
	case IDX(1, 0): /* ID_PFR0_EL1: FEAT_CSV2_2's SCXTNUM traps (HCR_EL2.EnSCXT clear). */
		return cap_field(val, 16, 1);
	case IDX(1, 1): /* ID_PFR1_EL1 */
		return gicv3 ? val : set_field(val, 28, 0);
	case IDX(1, 2): /* ID_DFR0_EL1 */
		return cap_pmu(cap_field(val, 0, 0xa), 24);
	case IDX(4, 0): /* ID_AA64PFR0_EL1 */
		/* EL1 is AArch64 only (HCR_EL2.RW): "1", whatever AArch32 the CPU has. */
		if (field(val, 4))
			val = set_field(val, 4, 1);
		return cap_field(gicv3 ? val : set_field(val, 24, 0), 56, 1);
	case IDX(4, 1):
		/*
		 * ID_AA64PFR1_EL1: CSV2_frac means something only with CSV2 1,
		 * and its value 2 (FEAT_CSV2_1p2) brings the SCXTNUM registers,
		 * which trap (HCR_EL2.EnSCXT clear), as CSV2 2 does.
		 */
		return field(hw_value(IDX(4, 0)), 56) > 1 ? set_field(val, 32, 0)
							  : cap_field(val, 32, 1);
	case IDX(5, 0): /* ID_AA64DFR0_EL1: Debugv8p8 and PMUv3p8 at most (no FEAT_FGT2 traps). */
		return cap_pmu(cap_field(val, 0, 0xa), 8);
	case IDX(7, 0): /* ID_AA64MMFR0_EL1 */
		val = set_field(val, 0, MIN(parange_of(stage2_ipa_bits()), field(val, 0)));
		return cap_field(val, 60, 1); /* ECV 2 is CNTPOFF_EL2, an EL2 feature */
	case IDX(7, 1): /* ID_AA64MMFR1_EL1: HAFT (HAFDBS 3) needs TCR2_EL1, which traps. */
		return cap_field(val, 0, 2);
	default:
		return val;
	}
}

void idregs_load(const struct vcpu *v)
{
	u64 *out = values[v->pcpu];
	unsigned int i;

	for (i = 0; i < IDREGS_COUNT; i++)
		out[i] = keep[i] ? adjust(i, hw_value(i) & keep[i]) : 0;
	/*
	 * Without AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 is 1) the AArch32 ID
	 * registers are UNKNOWN: they must not claim anything.
	 */
	if (field(hw_value(IDX(4, 0)), 0) == 1) {
		for (i = IDX(1, 0); i <= IDX(3, 7); i++)
			out[i] = 0;
	}
}

u64 idregs_value(const struct vcpu *v, unsigned int index)
{
	return values[v->pcpu][index];
}
