#include "vcpu/serror.h"

#include "arch/serror.h"
#include "lib/log.h"
#include "vcpu/exit.h"
#include "vcpu/inject.h"

static bool has_ras;

void serror_init(void)
{
	has_ras = ((read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_RAS_SHIFT) & 0xf) != 0;
}

/*
 * Completes every access made so far and returns the syndrome of an SError
 * they raised, or 0. With FEAT_RAS, ESB defers it into DISR_EL1; without,
 * DSB SY waits for the accesses and ISB makes ISR_EL1 current, and a pending
 * one is taken on purpose so that it cannot reach the next guest.
 */
static u64 collect(void)
{
	if (has_ras) {
		u64 disr;

		esb();
		isb();
		disr = read_sysreg(DISR_EL1);
		if (!(disr & DISR_EL1_A))
			return 0;
		write_sysreg(DISR_EL1, 0);
		return disr;
	}
	dsb(sy);
	isb();
	if (!(read_sysreg(isr_el1) & ISR_EL1_A))
		return 0;
	return arch_serror_take() ?: ISR_EL1_A;
}

void serror_collect_guest(struct vcpu *v)
{
	u64 syndrome = collect();

	if (!syndrome)
		return;
	vcpu_warn(v,
		  "SError (syndrome 0x%lx) from before its exit at pc 0x%lx; injected a virtual "
		  "SError",
		  syndrome, vcpu_pc(v));
	inject_serror(v);
}

void serror_collect_hyp(struct vcpu *v, const char *what)
{
	u64 syndrome = collect();

	if (syndrome)
		log_err("cpu%u: SError (syndrome 0x%lx) raised by Partita while it %s for " VCPU_FMT
			"; Partita's own, not the guest's",
			v->pcpu, syndrome, what, VCPU_ARGS(v));
}
