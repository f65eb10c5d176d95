/*
 * Nothing survives a vCPU restart: every register the guest reaches beyond
 * its general registers (PMU, breakpoints and watchpoints, the OS Lock, the
 * physical and virtual timers, the GICv3 or GICv2 CPU interface, pointer-
 * authentication keys, SVE and SME state, RAS's DISR_EL1) is dirtied and
 * must read its reset value after PSCI CPU_OFF/CPU_ON and SYSTEM_RESET.
 *
 * Boot 1: vCPU 0 checks its own state; vCPU 1 starts, checks, dirties
 * everything and turns off; started again, it checks, dirties everything
 * and keeps running while vCPU 0 dirties its own and resets the VM.
 * Boot 2: vCPU 0, then vCPU 1, check; then the VM powers off.
 */
#include "sysregs.h"

#define DIRTY 0x5a5a5a5a00000000UL

extern char secondary_entry[];

static volatile unsigned int vcpu1_phase;

/* Reset values Partita defines (docs/hypercalls.md): zero unless said otherwise. */
static void expect(const char *name, const char *reg, u64 got, u64 want)
{
	check(got == want, name, "%s is 0x%lx, not 0x%lx", reg, got, want);
}

#define BP(n)                                       \
	case n:                                     \
		if (write) {                        \
			MSR(dbgbvr##n##_el1, *vr);  \
			MSR(dbgbcr##n##_el1, *cr);  \
		} else {                            \
			*vr = MRS(dbgbvr##n##_el1); \
			*cr = MRS(dbgbcr##n##_el1); \
		}                                   \
		break
#define WP(n)                                       \
	case n:                                     \
		if (write) {                        \
			MSR(dbgwvr##n##_el1, *vr);  \
			MSR(dbgwcr##n##_el1, *cr);  \
		} else {                            \
			*vr = MRS(dbgwvr##n##_el1); \
			*cr = MRS(dbgwcr##n##_el1); \
		}                                   \
		break

static void breakpoint(unsigned int n, bool write, u64 *vr, u64 *cr)
{
	switch (n) {
		BP(0);
		BP(1);
		BP(2);
		BP(3);
		BP(4);
		BP(5);
		BP(6);
		BP(7);
		BP(8);
		BP(9);
		BP(10);
		BP(11);
		BP(12);
		BP(13);
		BP(14);
		BP(15);
	}
}

static void watchpoint(unsigned int n, bool write, u64 *vr, u64 *cr)
{
	switch (n) {
		WP(0);
		WP(1);
		WP(2);
		WP(3);
		WP(4);
		WP(5);
		WP(6);
		WP(7);
		WP(8);
		WP(9);
		WP(10);
		WP(11);
		WP(12);
		WP(13);
		WP(14);
		WP(15);
	}
}

static bool gicv3(void)
{
	/* The guest DTB has no GIC node yet: the ID register says whether ICC_* work. */
	return FIELD(MRS(ID_AA64PFR0_EL1), 24) != 0;
}

static unsigned int pmu_counters(void)
{
	return (unsigned int)((MRS(pmcr_el0) >> 11) & 0x1f);
}

static void dirty_pmu(void)
{
	unsigned int i, n = pmu_counters();

	for (i = 0; i < n; i++) {
		MSR(pmselr_el0, i);
		MSR(pmxevtyper_el0, 0x11); /* CPU_CYCLES */
		MSR(pmxevcntr_el0, 0x1000 + i);
	}
	MSR(pmselr_el0, n ? n - 1 : 0);
	MSR(pmccfiltr_el0, 1UL << 31); /* P: do not count at EL1 */
	MSR(pmccntr_el0, 0x123456789UL);
	MSR(pmuserenr_el0, 0xf);
	MSR(pmovsset_el0, 1UL << 31);
	MSR(pmintenset_el1, (1UL << 31) | ((1UL << n) - 1));
	MSR(pmcntenset_el0, (1UL << 31) | ((1UL << n) - 1));
	MSR(pmcr_el0, (1UL << 0) | (1UL << 3) | (1UL << 4) | (1UL << 5)); /* E, D, X, DP */
}

static void check_pmu(const char *name)
{
	unsigned int i, n = pmu_counters();

	check((MRS(pmcr_el0) & 0x39) == 0, name, "PMCR_EL0 0x%lx: E, D, X or DP set",
	      MRS(pmcr_el0));
	expect(name, "PMCNTENSET_EL0", MRS(pmcntenset_el0), 0);
	expect(name, "PMINTENSET_EL1", MRS(pmintenset_el1), 0);
	expect(name, "PMOVSSET_EL0", MRS(pmovsset_el0), 0);
	expect(name, "PMSELR_EL0", MRS(pmselr_el0), 0);
	expect(name, "PMUSERENR_EL0", MRS(pmuserenr_el0), 0);
	expect(name, "PMCCFILTR_EL0", MRS(pmccfiltr_el0), 0);
	expect(name, "PMCCNTR_EL0", MRS(pmccntr_el0), 0);
	for (i = 0; i < n; i++) {
		MSR(pmselr_el0, i);
		check(MRS(pmxevtyper_el0) == 0 && MRS(pmxevcntr_el0) == 0, name,
		      "PMEVTYPER%u_EL0 0x%lx, PMEVCNTR%u_EL0 0x%lx", i, MRS(pmxevtyper_el0), i,
		      MRS(pmxevcntr_el0));
	}
	MSR(pmselr_el0, 0);
}

static void dirty_debug(void)
{
	u64 dfr0 = MRS(ID_AA64DFR0_EL1);
	unsigned int i;

	MSR(oslar_el1, 0); /* unlock the OS Lock */
	for (i = 0; i <= FIELD(dfr0, 12); i++) {
		/* Enabled, on an address never executed. */
		u64 vr = 0x1000 + 4 * i, cr = 0x1e7;

		breakpoint(i, true, &vr, &cr);
	}
	for (i = 0; i <= FIELD(dfr0, 20); i++) {
		u64 vr = 0x100 + 8 * i, cr = 0x1fff;

		watchpoint(i, true, &vr, &cr);
	}
	MSR(mdscr_el1, (1UL << 15) | (1UL << 12)); /* MDE, TDCC */
	MSR(mdccint_el1, (1UL << 30) | (1UL << 29));
	MSR(osdlr_el1, 1);
}

static void check_debug(const char *name)
{
	u64 dfr0 = MRS(ID_AA64DFR0_EL1);
	unsigned int i;

	check((MRS(oslsr_el1) & 2) != 0, name, "OSLSR_EL1 0x%lx: the OS Lock is not locked",
	      MRS(oslsr_el1));
	for (i = 0; i <= FIELD(dfr0, 12); i++) {
		u64 vr, cr;

		breakpoint(i, false, &vr, &cr);
		check(!vr && !cr, name, "DBGBVR%u_EL1 0x%lx DBGBCR%u_EL1 0x%lx", i, vr, i, cr);
	}
	for (i = 0; i <= FIELD(dfr0, 20); i++) {
		u64 vr, cr;

		watchpoint(i, false, &vr, &cr);
		check(!vr && !cr, name, "DBGWVR%u_EL1 0x%lx DBGWCR%u_EL1 0x%lx", i, vr, i, cr);
	}
	expect(name, "MDSCR_EL1", MRS(mdscr_el1), 0);
	expect(name, "MDCCINT_EL1", MRS(mdccint_el1), 0);
	expect(name, "OSDLR_EL1", MRS(osdlr_el1), 0);
}

static void dirty_timers(void)
{
	MSR(cntp_cval_el0, DIRTY | 1);
	MSR(cntp_ctl_el0, 3); /* ENABLE, IMASK */
	MSR(cntv_cval_el0, DIRTY | 2);
	MSR(cntv_ctl_el0, 3);
	MSR(cntkctl_el1, 0x303); /* EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN */
}

static void check_timers(const char *name)
{
	expect(name, "CNTP_CTL_EL0", MRS(cntp_ctl_el0) & 3, 0);
	expect(name, "CNTP_CVAL_EL0", MRS(cntp_cval_el0), 0);
	expect(name, "CNTV_CTL_EL0", MRS(cntv_ctl_el0) & 3, 0);
	expect(name, "CNTV_CVAL_EL0", MRS(cntv_cval_el0), 0);
	expect(name, "CNTKCTL_EL1", MRS(cntkctl_el1), 0);
}

static void dirty_gic(void)
{
	MSR(ICC_PMR_EL1, 0xf0);
	MSR(ICC_BPR0_EL1, 6);
	MSR(ICC_BPR1_EL1, 6);
	MSR(ICC_CTLR_EL1, 3); /* CBPR, EOImode */
	MSR(ICC_AP0R0_EL1, 1);
	MSR(ICC_AP1R0_EL1, 1);
	MSR(ICC_IGRPEN0_EL1, 1);
	MSR(ICC_IGRPEN1_EL1, 1);
}

static void check_gic(const char *name)
{
	u64 bpr0 = MRS(ICC_BPR0_EL1), bpr1 = MRS(ICC_BPR1_EL1), min;

	/* Writing 0 sets the minimum binary point, the reset value of BPR0 (BPR1: one more). */
	MSR(ICC_BPR0_EL1, 0);
	min = MRS(ICC_BPR0_EL1);
	expect(name, "ICC_PMR_EL1", MRS(ICC_PMR_EL1), 0);
	expect(name, "ICC_BPR0_EL1", bpr0, min);
	expect(name, "ICC_BPR1_EL1", bpr1, min + 1);
	expect(name, "ICC_CTLR_EL1 CBPR/EOImode", MRS(ICC_CTLR_EL1) & 3, 0);
	expect(name, "ICC_AP0R0_EL1", MRS(ICC_AP0R0_EL1), 0);
	expect(name, "ICC_AP1R0_EL1", MRS(ICC_AP1R0_EL1), 0);
	expect(name, "ICC_IGRPEN0_EL1", MRS(ICC_IGRPEN0_EL1), 0);
	expect(name, "ICC_IGRPEN1_EL1", MRS(ICC_IGRPEN1_EL1), 0);
}

/* The GICv2 CPU interface a guest sees (GICC, IHI 0048B 4.4): the host's GICV, mapped. */
#define GICC_BASE 0x08010000UL
#define GICC_CTLR 0x00
#define GICC_CTLR_EOImode (1U << 9)
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_ABPR 0x1c
#define GICC_APR0 0xd0

static u32 gicc_read(u64 off)
{
	return *(volatile u32 *)(GICC_BASE + off);
}

static void gicc_write(u64 off, u32 v)
{
	*(volatile u32 *)(GICC_BASE + off) = v;
}

/* Left enabled, masked, with EOImode 1 and other binary points: all of it lives in GICH_VMCR. */
static void dirty_gicc(void)
{
	gicc_write(GICC_PMR, 0xf0);
	gicc_write(GICC_BPR, 6);
	gicc_write(GICC_ABPR, 6);
	gicc_write(GICC_CTLR, GICC_CTLR_EOImode | 1);
}

static void check_gicc(const char *name)
{
	u32 bpr = gicc_read(GICC_BPR), abpr = gicc_read(GICC_ABPR), min;

	/* Writing 0 sets the minimum binary point, BPR's reset value (ABPR's: one more). */
	gicc_write(GICC_BPR, 0);
	min = gicc_read(GICC_BPR);
	expect(name, "GICC_CTLR", gicc_read(GICC_CTLR), 0);
	expect(name, "GICC_PMR", gicc_read(GICC_PMR), 0);
	expect(name, "GICC_BPR", bpr, min);
	expect(name, "GICC_ABPR", abpr, min + 1);
	expect(name, "GICC_APR0", gicc_read(GICC_APR0), 0);
}

static void dirty_pauth(void)
{
	MSR(APIAKEYLO_EL1, DIRTY | 1);
	MSR(APIAKEYHI_EL1, DIRTY | 2);
	MSR(APIBKEYLO_EL1, DIRTY | 3);
	MSR(APIBKEYHI_EL1, DIRTY | 4);
	MSR(APDAKEYLO_EL1, DIRTY | 5);
	MSR(APDAKEYHI_EL1, DIRTY | 6);
	MSR(APDBKEYLO_EL1, DIRTY | 7);
	MSR(APDBKEYHI_EL1, DIRTY | 8);
	MSR(APGAKEYLO_EL1, DIRTY | 9);
	MSR(APGAKEYHI_EL1, DIRTY | 10);
}

static void check_pauth(const char *name)
{
	expect(name, "APIAKeyLo_EL1", MRS(APIAKEYLO_EL1), 0);
	expect(name, "APIAKeyHi_EL1", MRS(APIAKEYHI_EL1), 0);
	expect(name, "APIBKeyLo_EL1", MRS(APIBKEYLO_EL1), 0);
	expect(name, "APIBKeyHi_EL1", MRS(APIBKEYHI_EL1), 0);
	expect(name, "APDAKeyLo_EL1", MRS(APDAKEYLO_EL1), 0);
	expect(name, "APDAKeyHi_EL1", MRS(APDAKEYHI_EL1), 0);
	expect(name, "APDBKeyLo_EL1", MRS(APDBKEYLO_EL1), 0);
	expect(name, "APDBKeyHi_EL1", MRS(APDBKEYHI_EL1), 0);
	expect(name, "APGAKeyLo_EL1", MRS(APGAKEYLO_EL1), 0);
	expect(name, "APGAKeyHi_EL1", MRS(APGAKEYHI_EL1), 0);
}

/* P0 (PTRUE P0.B, or RDFFR P0.B to see FFR) stored to buf: is any bit set? */
static bool p0_nonzero(bool ffr)
{
	static unsigned char buf[8][256 / 8];
	register u64 x0 __asm__("x0") = (u64)buf[vcpu_index()];
	unsigned int i;

	if (ffr)
		__asm__ volatile(".inst 0x2519f000\n" ::: "memory"); /* RDFFR P0.B */
	__asm__ volatile(".inst 0xe5800000\n" /* STR P0, [X0] */
			 ::"r"(x0)
			 : "memory");
	for (i = 0; i < sizeof(buf[0]); i++)
		if (buf[vcpu_index()][i])
			return true;
	return false;
}

static void dirty_sve(void)
{
	MSR(ZCR_EL1, 1);
	__asm__ volatile(SETFFR ".inst 0x2518e3e0\n" ::: "memory"); /* PTRUE P0.B */
}

static void check_sve(const char *name)
{
	expect(name, "ZCR_EL1.LEN", MRS(ZCR_EL1) & 0xf, 0);
	check(!p0_nonzero(false), name, "P0 is not zero");
	check(!p0_nonzero(true), name, "FFR is not zero");
}

static void dirty_sme(bool streaming)
{
	MSR(SMCR_EL1, 1 | (MRS(ID_AA64SMFR0_EL1) >> 63 << 31)); /* LEN 1, FA64 if it exists */
	MSR(TPIDR2_EL0, DIRTY | 3);
	MSR(SMPRI_EL1, 1);
	__asm__ volatile(SMSTART_SM ::: "memory");
	if (!streaming) /* leaving streaming mode zeroes SVE's registers: dirty them after */
		__asm__ volatile(SMSTOP_SM ::: "memory");
}

static void check_sme(const char *name)
{
	expect(name, "SVCR", MRS(SVCR), 0);
	expect(name, "SMCR_EL1 LEN/FA64", MRS(SMCR_EL1) & ((1UL << 31) | 0xf), 0);
	expect(name, "TPIDR2_EL0", MRS(TPIDR2_EL0), 0);
	expect(name, "SMPRI_EL1", MRS(SMPRI_EL1), 0);
}

static void dirty_el1(void)
{
	MSR(tpidr_el0, DIRTY | 0x10);
	MSR(tpidrro_el0, DIRTY | 0x11);
	MSR(contextidr_el1, 0x1234);
	MSR(far_el1, DIRTY | 0x13);
	MSR(par_el1, 0x800);
}

static void check_el1(const char *name)
{
	expect(name, "TPIDR_EL0", MRS(tpidr_el0), 0);
	expect(name, "TPIDRRO_EL0", MRS(tpidrro_el0), 0);
	expect(name, "CONTEXTIDR_EL1", MRS(contextidr_el1), 0);
	expect(name, "FAR_EL1", MRS(far_el1), 0);
	expect(name, "PAR_EL1", MRS(par_el1), 0);
}

static bool sve(void)
{
	return FIELD(MRS(ID_AA64PFR0_EL1), 32) != 0;
}

static bool sme(void)
{
	return FIELD(MRS(ID_AA64PFR1_EL1), 24) != 0;
}

static bool ras(void)
{
	return FIELD(MRS(ID_AA64PFR0_EL1), 28) != 0;
}

/* Features hidden from the ID registers need no reset; if shown, their registers must reset. */
static bool lor(void)
{
	return FIELD(MRS(ID_AA64MMFR1_EL1), 16) != 0;
}

static bool csv2_2(void)
{
	return FIELD(MRS(ID_AA64PFR0_EL1), 56) >= 2;
}

/*
 * streaming: leave SME's streaming mode on (leaving it, as Partita must,
 * zeroes SVE's registers); else SVE's P0 and FFR stay dirty for Partita
 * to clear.
 */
static void dirty_all(bool streaming)
{
	print("resetstate: vcpu%u dirties its registers", vcpu_index());
	/* SVE and SME state need these enabled; CPACR_EL1 itself is reset to 0. */
	MSR(cpacr_el1, CPACR_ALL);
	dirty_el1();
	dirty_timers();
	dirty_debug();
	if (has_pmuv3())
		dirty_pmu();
	if (gicv3())
		dirty_gic();
	else
		dirty_gicc();
	if (has_pauth())
		dirty_pauth();
	if (ras())
		MSR(DISR_EL1, 1UL << 31);
	if (lor()) {
		MSR(LORSA_EL1, 0x40000001);
		MSR(LORC_EL1, 1);
	}
	if (csv2_2()) {
		MSR(SCXTNUM_EL0, DIRTY);
		MSR(SCXTNUM_EL1, DIRTY);
	}
	if (sme())
		dirty_sme(streaming);
	if (sve() && !streaming)
		dirty_sve();
}

static void check_clean(const char *name)
{
	struct exc_record *r = exc_last();
	u64 before = r->count;

	check(MRS(cpacr_el1) == 0, name, "CPACR_EL1 0x%lx", MRS(cpacr_el1));
	MSR(cpacr_el1, CPACR_ALL);
	check_el1(name);
	check_timers(name);
	check_debug(name);
	if (has_pmuv3())
		check_pmu(name);
	if (gicv3())
		check_gic(name);
	else
		check_gicc(name);
	if (has_pauth())
		check_pauth(name);
	if (ras())
		expect(name, "DISR_EL1", MRS(DISR_EL1), 0);
	if (lor()) {
		expect(name, "LORSA_EL1", MRS(LORSA_EL1), 0);
		expect(name, "LORC_EL1", MRS(LORC_EL1), 0);
	}
	if (csv2_2()) {
		expect(name, "SCXTNUM_EL0", MRS(SCXTNUM_EL0), 0);
		expect(name, "SCXTNUM_EL1", MRS(SCXTNUM_EL1), 0);
	}
	if (sme())
		check_sme(
			name); /* first: SVE's state is not reachable in streaming mode without FA64 */
	if (sve())
		check_sve(name);
	check(r->count == before, name, "an exception was taken");
	verdict(name);
}

/*
 * The host's GICH and GICV frames on QEMU's virt board are not the guest's:
 * an access aborts. The distributor at 0x08000000 is the guest's own
 * emulated one, which vGIC reset returns to its reset values (the irq guest
 * checks those); on GICv2 its CPU interface at 0x08010000 is the host's
 * GICV, mapped there, whose reset check_gicc() checks.
 */
static void gic_frames_unreachable(void)
{
	/* On GICv3 nothing is at the GICv2 CPU interface's address either. */
	static const u64 frames[] = { 0x08030000, 0x08040000, 0x08010000 };
	struct exc_record *r = exc_last();
	unsigned int i, n = gicv3() ? 3 : 2;

	for (i = 0; i < n; i++) {
		u64 before = r->count;
		volatile u32 *p = (volatile u32 *)frames[i];

		expect_exception(0);
		(void)*p;
		check(r->count == before + 1 && ((r->esr >> 26) & 0x3f) == 0x25 &&
			      (r->esr & 0x3f) == 0x10,
		      "reset-state-gic-frames-unreachable", "read of 0x%lx: ESR 0x%lx", frames[i],
		      r->esr);
	}
	verdict("reset-state-gic-frames-unreachable");
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)sctlr;
	(void)daif;
	if (ctx == 1) {
		check_clean("reset-state-first-cpu-on");
		dirty_all(false);
		vcpu1_phase = 1;
		hvc(PSCI_CPU_OFF, 0, 0, 0);
	} else if (ctx == 2) {
		check_clean("reset-state-cpu-off-on");
		dirty_all(true);
		vcpu1_phase = 2;
		for (;;) /* busy and dirty while vCPU 0 resets the VM */
			delay_ticks(1000);
	}
	check_clean("reset-state-system-reset-vcpu1");
	vcpu1_phase = 3;
	hvc(PSCI_CPU_OFF, 0, 0, 0);
}

static void wait_phase(unsigned int phase)
{
	u64 end = counter() + 200000000UL;

	while (vcpu1_phase != phase && counter() < end)
		delay_ticks(1000);
	check(vcpu1_phase == phase, "reset-state-sequence", "vcpu1 never reached phase %u", phase);
}

static void wait_off(void)
{
	u64 end = counter() + 200000000UL;

	while (hvc0(PSCI_AFFINITY_INFO, 1, 0, 0) != 1 && counter() < end)
		delay_ticks(1000);
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1;

	(void)dtb;
	print("resetstate: boot %lu", boots);
	if (boots == 1) {
		check_clean("reset-state-first-boot");
		gic_frames_unreachable();
		check(hvc0(PSCI_CPU_ON, 1, (u64)secondary_entry, 1) == 0, "reset-state-sequence",
		      "CPU_ON 1");
		wait_phase(1);
		wait_off();
		check(hvc0(PSCI_CPU_ON, 1, (u64)secondary_entry, 2) == 0, "reset-state-sequence",
		      "CPU_ON 2");
		wait_phase(2);
		dirty_all(false);
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		print("FAIL reset-state-sequence: SYSTEM_RESET returned");
		return;
	}
	check_clean("reset-state-system-reset-vcpu0");
	check(hvc0(PSCI_CPU_ON, 1, (u64)secondary_entry, 3) == 0, "reset-state-sequence",
	      "CPU_ON 3");
	wait_phase(3);
	verdict("reset-state-sequence");
}
