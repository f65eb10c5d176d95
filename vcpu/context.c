#include "vcpu/context.h"

#include <string.h>

#include "arch/sysreg.h"
#include "arch/fpsimd.h"
#include "arch/tlb.h"
#include "mm/stage2.h"
#include "vcpu/idregs.h"
#include "vcpu/reset.h"
#include "vcpu/vgic/glue.h"

/* Registers the assembler may not know by name without extension flags. */
#define ZCR_EL2 s3_4_c1_c2_0
#define SMCR_EL2 s3_4_c1_c2_6
#define HFGRTR_EL2 s3_4_c1_c1_4
#define HFGWTR_EL2 s3_4_c1_c1_5
#define HFGITR_EL2 s3_4_c1_c1_6
#define HDFGRTR_EL2 s3_4_c3_c1_4
#define HDFGWTR_EL2 s3_4_c3_c1_5
#define MPAM2_EL2 s3_4_c10_c5_0
#define MPAM2_EL2_TRAPMPAM1EL1 BIT(48)
#define MPAM2_EL2_TRAPMPAM0EL1 BIT(49)
#define SMCR_EL2_FA64 BIT(31)
#define SMCR_EL2_EZT0 BIT(30)
#define ID_AA64SMFR0_EL1 s3_0_c0_c4_5
#define HFGxTR_EL2_nSME (BIT(54) | BIT(55)) /* nSMPRI_EL1, nTPIDR2_EL0 */
#define VECTOR_LEN_MAX 0xfUL /* LEN field: the largest length the PE offers */

#define VMPIDR_RES1 BIT(31)

u64 context_vm_hcr(void)
{
	u64 hcr = HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_FB |
		  HCR_EL2_BSU_IS | HCR_EL2_TSC | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TID3 |
		  HCR_EL2_RW;

	/* Pointer-authentication keys and instructions belong to the guest. */
	if (cpu_has_pauth())
		hcr |= HCR_EL2_API | HCR_EL2_APK;
	/* RAS error records describe the physical machine: keep them from guests. */
	if (ID_FIELD(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_RAS_SHIFT))
		hcr |= HCR_EL2_TERR;
	/*
	 * Hidden from the ID registers (vcpu/idregs.c), so their registers
	 * UNDEF as if absent: LORegions, and MTE's GMID_EL1 (HCR_EL2.ATA is
	 * clear, which already traps GCR_EL1, RGSR_EL1, TFSR_EL1, TFSRE0_EL1
	 * and disables Allocation Tag access).
	 */
	if (ID_FIELD(read_sysreg(id_aa64mmfr1_el1), ID_AA64MMFR1_LO_SHIFT))
		hcr |= HCR_EL2_TLOR;
	if (ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_MTE_SHIFT) >= 2)
		hcr |= HCR_EL2_TID5;
	return hcr;
}

/*
 * SMCR_EL2: the largest vector length, and whatever EL1 may enable of SME
 * the ID registers show: the full A64 instruction set in streaming mode
 * (FA64) and SME2's ZT0.
 */
static u64 smcr_el2_value(void)
{
	u64 smfr0 = read_sysreg(ID_AA64SMFR0_EL1);
	u64 v = VECTOR_LEN_MAX;

	if (smfr0 & ID_AA64SMFR0_FA64)
		v |= SMCR_EL2_FA64;
	if (ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_SME_SHIFT) >= 2)
		v |= SMCR_EL2_EZT0;
	return v;
}

/*
 * FP/SIMD, SVE and SME belong to the guest and are never trapped; the
 * hypervisor never touches them (it is built -mgeneral-regs-only), so they
 * need no saving on exits. CPTR_EL2 resets to an UNKNOWN value and also
 * traps EL2's own use, which libfdt makes at boot: set it first thing.
 */
void context_init_cpu(void)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	bool sme = ID_FIELD(pfr1, ID_AA64PFR1_SME_SHIFT) != 0;
	bool sve = ID_FIELD(pfr0, ID_AA64PFR0_SVE_SHIFT) != 0;
	/* Trace and activity monitors are hidden from guests (vcpu/idregs.c): trap them. */
	u64 hidden = (ID_FIELD(dfr0, ID_AA64DFR0_TRACEVER_SHIFT) ? CPTR_EL2_TTA : 0) |
		     (ID_FIELD(pfr0, ID_AA64PFR0_AMU_SHIFT) ? CPTR_EL2_TAM : 0);

	write_sysreg(cptr_el2,
		     CPTR_EL2_RES1 | (sve ? 0 : CPTR_EL2_TZ) | (sme ? 0 : CPTR_EL2_TSM) | hidden);
	isb();
	if (sve)
		write_sysreg(ZCR_EL2, VECTOR_LEN_MAX);
	/*
	 * The fine-grained traps (FEAT_FGT) reset to UNKNOWN values: trap
	 * nothing. Most bits trap when 1; the SME ones (nTPIDR2_EL0,
	 * nSMPRI_EL1) trap when 0, so they are set when SME is there. Newer
	 * negative-polarity bits (Armv8.9 and later) stay 0: see the known
	 * limitations in docs/architecture.md. HCRX_EL2 is left as firmware set
	 * it; its zero reset value (as on QEMU) enables nothing extra.
	 */
	if (ID_FIELD(mmfr0, ID_AA64MMFR0_FGT_SHIFT)) {
		u64 fgt = sme ? HFGxTR_EL2_nSME : 0;

		write_sysreg(HFGRTR_EL2, fgt);
		write_sysreg(HFGWTR_EL2, fgt);
		write_sysreg(HFGITR_EL2, 0);
		write_sysreg(HDFGRTR_EL2, 0);
		write_sysreg(HDFGWTR_EL2, 0);
	}
	/*
	 * MPAM is hidden from guests: trap its EL1 and EL0 registers.
	 * MPAM2_EL2 resets to an UNKNOWN value; the boot protocol Partita
	 * shares with Linux has EL3 leave it to EL2 (MPAM3_EL3.TRAPLOWER 0).
	 * QEMU 7.2 has no MPAM: this is untested.
	 */
	if (ID_FIELD(pfr0, ID_AA64PFR0_MPAM_SHIFT) || ID_FIELD(pfr1, ID_AA64PFR1_MPAM_FRAC_SHIFT))
		write_sysreg(MPAM2_EL2, MPAM2_EL2_TRAPMPAM1EL1 | MPAM2_EL2_TRAPMPAM0EL1);
	/* AArch32 EL0 code may use every CP15 register class its EL1 allows. */
	write_sysreg(hstr_el2, 0);
	if (sme)
		write_sysreg(SMCR_EL2, smcr_el2_value());
}

/*
 * Every PMU counter to the guest, no PMU or debug traps: it owns the CPU.
 * The statistical profiling and trace filter controls, hidden from guests,
 * trap (the profiling and trace buffers stay EL2's: E2PB and E2TB are 0).
 */
static u64 mdcr_value(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 pmuver = ID_FIELD(dfr0, ID_AA64DFR0_PMUVER_SHIFT);
	u64 mdcr = (ID_FIELD(dfr0, ID_AA64DFR0_PMSVER_SHIFT) ? MDCR_EL2_TPMS : 0) |
		   (ID_FIELD(dfr0, ID_AA64DFR0_TRACEFILT_SHIFT) ? MDCR_EL2_TTRF : 0);

	/* PMCR_EL0 is UNDEFINED without a PMUv3 (PMUVer 0, or 0xf for an IMPDEF PMU). */
	if (!pmuver || pmuver == 0xf)
		return mdcr;
	return mdcr | ((read_sysreg(pmcr_el0) >> PMCR_EL0_N_SHIFT) & PMCR_EL0_N_MASK);
}

static void load_el2_controls(const struct vcpu *v)
{
	write_sysreg(vtcr_el2, v->vm->vtcr);
	write_sysreg(vttbr_el2, stage2_vttbr(&v->vm->s2));
	write_sysreg(hcr_el2, v->vm->hcr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, VMPIDR_RES1 | v->id);
	write_sysreg(mdcr_el2, mdcr_value());
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_VALUE);
	isb();
}

static void restore_sysregs(const struct vcpu_sysregs *r)
{
	write_sysreg(sctlr_el1, r->sctlr_el1);
	write_sysreg(ttbr0_el1, r->ttbr0_el1);
	write_sysreg(ttbr1_el1, r->ttbr1_el1);
	write_sysreg(tcr_el1, r->tcr_el1);
	write_sysreg(mair_el1, r->mair_el1);
	write_sysreg(amair_el1, r->amair_el1);
	write_sysreg(vbar_el1, r->vbar_el1);
	write_sysreg(contextidr_el1, r->contextidr_el1);
	write_sysreg(tpidr_el0, r->tpidr_el0);
	write_sysreg(tpidrro_el0, r->tpidrro_el0);
	write_sysreg(tpidr_el1, r->tpidr_el1);
	write_sysreg(sp_el1, r->sp_el1);
	write_sysreg(elr_el1, r->elr_el1);
	write_sysreg(spsr_el1, r->spsr_el1);
	write_sysreg(esr_el1, r->esr_el1);
	write_sysreg(far_el1, r->far_el1);
	write_sysreg(par_el1, r->par_el1);
	write_sysreg(afsr0_el1, r->afsr0_el1);
	write_sysreg(afsr1_el1, r->afsr1_el1);
	write_sysreg(cpacr_el1, r->cpacr_el1);
	write_sysreg(csselr_el1, r->csselr_el1);
	write_sysreg(cntkctl_el1, r->cntkctl_el1);
	write_sysreg(mdscr_el1, r->mdscr_el1);
	write_sysreg(cntvoff_el2, r->cntvoff_el2);
	write_sysreg(cntv_cval_el0, r->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, r->cntv_ctl_el0);
	isb();
}

void context_save(struct vcpu *v)
{
	struct vcpu_sysregs *r = &v->sysregs;

	r->sctlr_el1 = read_sysreg(sctlr_el1);
	r->ttbr0_el1 = read_sysreg(ttbr0_el1);
	r->ttbr1_el1 = read_sysreg(ttbr1_el1);
	r->tcr_el1 = read_sysreg(tcr_el1);
	r->mair_el1 = read_sysreg(mair_el1);
	r->amair_el1 = read_sysreg(amair_el1);
	r->vbar_el1 = read_sysreg(vbar_el1);
	r->contextidr_el1 = read_sysreg(contextidr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr_el1 = read_sysreg(elr_el1);
	r->spsr_el1 = read_sysreg(spsr_el1);
	r->esr_el1 = read_sysreg(esr_el1);
	r->far_el1 = read_sysreg(far_el1);
	r->par_el1 = read_sysreg(par_el1);
	r->afsr0_el1 = read_sysreg(afsr0_el1);
	r->afsr1_el1 = read_sysreg(afsr1_el1);
	r->cpacr_el1 = read_sysreg(cpacr_el1);
	r->csselr_el1 = read_sysreg(csselr_el1);
	r->cntkctl_el1 = read_sysreg(cntkctl_el1);
	r->mdscr_el1 = read_sysreg(mdscr_el1);
	r->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	r->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	r->cntvoff_el2 = read_sysreg(cntvoff_el2);
	vgic_vcpu_power_off(v);
}

void context_power_on(struct vcpu *v, u64 entry, u64 context)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = context;
	v->regs.elr = entry;
	v->regs.spsr = SPSR_M_EL1h | SPSR_DAIF;
	memset(&v->sysregs, 0, sizeof(v->sysregs));
	v->sysregs.sctlr_el1 = SCTLR_EL1_RES1;
	/* Every vCPU of a VM counts from the VM's (re)start: its virtual counter starts near 0. */
	v->sysregs.cntvoff_el2 = v->vm->cntvoff;
	v->console_len = 0;
	load_el2_controls(v);
	restore_sysregs(&v->sysregs);
	/* Nothing of an earlier run, or of what libfdt left at boot, reaches the guest. */
	fpsimd_zero(ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_SME_SHIFT) != 0);
	if (ID_FIELD(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_SVE_SHIFT))
		sve_zero_predicates();
	reset_guest_owned();
	idregs_load(v);
	vgic_vcpu_power_on(v);
	/*
	 * A fresh CPU must not see translations a previous life of this vCPU
	 * (or a previous boot of its VM) left in this CPU's TLB.
	 */
	tlbi_vmalls12e1();
	dsb(nsh);
	isb();
}
