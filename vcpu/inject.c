#include "vcpu/inject.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/exit.h"

#define FSC_SEA 0x10 /* synchronous external abort, not on a table walk */
#define ISS_DABT_WNR BIT(6)

#define VECTOR_CUR_SP0 0x000
#define VECTOR_CUR_SPX 0x200
#define VECTOR_LOWER_A64 0x400
#define VECTOR_LOWER_A32 0x600

static bool guest_at_el0(u64 spsr)
{
	return (spsr & SPSR_M_AARCH32) || (spsr & SPSR_M_MASK) == 0;
}

static u64 vector_offset(u64 spsr)
{
	if (spsr & SPSR_M_AARCH32)
		return VECTOR_LOWER_A32;
	switch (spsr & SPSR_M_MASK) {
	case SPSR_M_EL1h:
		return VECTOR_CUR_SPX;
	case SPSR_M_EL1t:
		return VECTOR_CUR_SP0;
	default:
		return VECTOR_LOWER_A64;
	}
}

/*
 * PSTATE on taking an exception to EL1 (Arm ARM D1.3.1): EL1h, D, A, I, F
 * masked; PAN set unless SCTLR_EL1.SPAN says to keep it; SSBS from
 * SCTLR_EL1.DSSBS; DIT kept; TCO set; BTYPE, IL and SS cleared.
 */
static u64 entry_pstate(u64 old, u64 sctlr)
{
	/* SPSR_ELx keeps DIT at bit 24 whether the guest was in AArch64 or AArch32. */
	u64 pstate = SPSR_M_EL1h | SPSR_DAIF | (old & SPSR_DIT);

	if (ID_FIELD(read_sysreg(id_aa64mmfr1_el1), ID_AA64MMFR1_PAN_SHIFT)) {
		if (!(sctlr & SCTLR_EL1_SPAN) || (old & SPSR_PAN))
			pstate |= SPSR_PAN;
	}
	if (sctlr & SCTLR_EL1_DSSBS)
		pstate |= SPSR_SSBS;
	/* With MTE, tag checks are off until the handler turns them on. */
	if (ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_MTE_SHIFT))
		pstate |= SPSR_TCO;
	return pstate;
}

static u64 syndrome(u64 ec, u64 il, u64 iss)
{
	return (ec << ESR_ELx_EC_SHIFT) | il | iss;
}

/*
 * The exception would be taken at the vector entry (128 bytes) the guest
 * trapped in: the entry's instructions up to this one would run again in
 * the same state and trap again, forever, as Linux's stack overflow in
 * its entry code would, or a vector table whose handler reads a device
 * that is not there. The VM has crashed; carrying on would only fill the
 * console. (A fetch from vectors outside memory is exit_iabt()'s case.)
 */
static __attribute__((noinline, cold)) enum vcpu_stop crash(struct vcpu *v, u64 target,
							    const char *what)
{
	log_err(VCPU_FMT ": crashed: %s at pc 0x%lx, inside the exception vector at 0x%lx "
			 "(VBAR_EL1 + 0x%lx) that would take it; every injection would trap again",
		VCPU_ARGS(v), what, vcpu_pc(v), target, target - read_sysreg(vbar_el1));
	return VCPU_STOP_VM_CRASH;
}

/* Takes a synchronous exception to the guest's EL1 with syndrome esr_el1. */
static enum vcpu_stop take_sync(struct vcpu *v, u64 esr_el1, const char *what)
{
	u64 sctlr = read_sysreg(sctlr_el1);
	u64 pstate = vcpu_pstate(v);
	u64 target = read_sysreg(vbar_el1) + vector_offset(pstate);

	if (vcpu_pc(v) - target < VECTOR_ENTRY_SIZE)
		return crash(v, target, what);
	write_sysreg(esr_el1, esr_el1);
	write_sysreg(elr_el1, vcpu_pc(v));
	write_sysreg(spsr_el1, pstate);
	vcpu_set_pc(v, target);
	vcpu_set_pstate(v, entry_pstate(pstate, sctlr));
	return VCPU_RUNS;
}

enum vcpu_stop inject_undef(struct vcpu *v, u64 esr)
{
	/* IL is RES1 for an exception reported with EC 0 (Arm ARM, ESR_ELx.IL). */
	(void)esr;
	return take_sync(v, syndrome(ESR_ELx_EC_UNKNOWN, ESR_ELx_IL, 0),
			 "an undefined instruction");
}

enum vcpu_stop inject_abort(struct vcpu *v, u64 esr, bool data)
{
	bool el0 = guest_at_el0(vcpu_pstate(v));
	u64 ec, iss = FSC_SEA;

	if (data) {
		ec = el0 ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR;
		iss |= esr & ISS_DABT_WNR;
	} else {
		ec = el0 ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR;
	}
	write_sysreg(far_el1, read_sysreg(far_el2));
	return take_sync(v, syndrome(ec, ESR_ELx_IL, iss),
			 data ? "a data abort" : "an instruction abort");
}

void inject_serror(struct vcpu *v)
{
	(void)v;
	/* HCR_EL2.VSE clears itself when the guest takes the virtual SError. */
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_EL2_VSE);
	isb();
}
