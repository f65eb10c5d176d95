#include "vcpu/exit.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/hvc.h"
#include "vcpu/inject.h"
#include "vcpu/irq.h"
#include "vcpu/mmio.h"
#include "vcpu/ram.h"
#include "vcpu/sysreg_trap.h"

void vcpu_skip_instr_slow(struct vcpu *v, u64 esr, u64 pstate)
{
	/* ESR_EL2.IL (bit 25) is 1 for a 32-bit instruction, 0 for a 16-bit T32 one. */
	vcpu_set_pc(v, vcpu_pc(v) + ((esr & ESR_ELx_IL) ? 4 : 2));
	vcpu_set_pstate(v, emul_pstate_after(pstate));
}

/*
 * An AArch32 instruction that fails its condition may still trap (that is
 * IMPLEMENTATION DEFINED); it must then do nothing, as if it had not
 * trapped. Returns true when it was skipped for that reason.
 */
static bool skipped_for_condition(struct vcpu *v, u64 esr)
{
	if (emul_condition_passed(esr, vcpu_pstate(v)))
		return false;
	vcpu_skip_instr(v, esr);
	return true;
}

/* The guest did something EL2 trapped but has no meaning for: it is UNDEFINED. */
static enum vcpu_stop exit_unknown(struct vcpu *v, u64 esr)
{
	u64 pc = vcpu_pc(v);

	vcpu_count_exit(v, VCPU_EXIT_OTHER);
	if (skipped_for_condition(v, esr))
		return VCPU_RUNS;
	/* Said only once done: it may not be (inject.h). */
	if (inject_undef(v, esr))
		return VCPU_STOP_VM_CRASH;
	vcpu_warn(v,
		  "unhandled exit (ESR 0x%lx, class 0x%x) at pc 0x%lx; injected an undefined "
		  "instruction exception",
		  esr, esr_ec(esr), pc);
	return VCPU_RUNS;
}

/* Only reached when the VM traps WFI/WFE: the guest waits here instead. */
static enum vcpu_stop exit_wfx(struct vcpu *v, u64 esr)
{
	vcpu_count_exit(v, VCPU_EXIT_WFX);
	if (skipped_for_condition(v, esr))
		return VCPU_RUNS;
	/* ISS bit 0 (TI): 0 for WFI, 1 for WFE. */
	if (esr & 1)
		wfe();
	else
		wfi();
	vcpu_skip_instr(v, esr);
	return VCPU_RUNS;
}

static enum vcpu_stop exit_smc(struct vcpu *v, u64 esr)
{
	vcpu_count_exit(v, VCPU_EXIT_SMC);
	/* A trapped SMC returns to the SMC itself (Arm ARM D1.10.4): step over it. */
	vcpu_skip_instr(v, esr);
	return hvc_handle(v, esr);
}

static enum vcpu_stop exit_iabt(struct vcpu *v, u64 esr)
{
	u64 pc = vcpu_pc(v), vbar = read_sysreg(vbar_el1);

	vcpu_count_exit(v, VCPU_EXIT_IABT);
	/* A first fetch from RAM not used yet (vcpu/ram.c): the guest fetches again. */
	if (ram_fault(v->vm, esr, mmio_fault_ipa()))
		return VCPU_RUNS;

	/*
	 * A fetch from the guest's own exception vectors that faults would
	 * fault again on every injection: the guest can never go on.
	 */
	if (pc - vbar < VECTOR_TABLE_SIZE) {
		log_err(VCPU_FMT ": its exception vectors at 0x%lx are outside its memory (fetch "
				 "from IPA 0x%lx): it has crashed",
			VCPU_ARGS(v), vbar, mmio_fault_ipa());
		return VCPU_STOP_VM_CRASH;
	}
	if (inject_abort(v, esr, false))
		return VCPU_STOP_VM_CRASH;
	vcpu_warn(v,
		  "instruction fetch from IPA 0x%lx (pc 0x%lx), outside the VM's memory; injected "
		  "an instruction abort",
		  mmio_fault_ipa(), pc);
	return VCPU_RUNS;
}

/*
 * Two hot classes are counted here and handled elsewhere, a tail call each;
 * the data abort, the hottest, counts itself (mmio_handle_abort()).
 */
static enum vcpu_stop exit_hvc(struct vcpu *v, u64 esr)
{
	vcpu_count_exit(v, VCPU_EXIT_HVC);
	/* Its return address is the next instruction already. */
	return hvc_handle(v, esr);
}

static enum vcpu_stop exit_sysreg(struct vcpu *v, u64 esr)
{
	vcpu_count_exit(v, VCPU_EXIT_SYSREG);
	return sysreg_trap(v, esr);
}

bool vcpu_log_allowed(struct vcpu *v)
{
	u64 now = counter_read();

	if (now - v->log_window > counter_freq()) {
		if (v->log_dropped)
			log_warn(VCPU_FMT ": %u more warnings in the last second were not shown",
				 VCPU_ARGS(v), v->log_dropped);
		v->log_window = now;
		v->log_count = 0;
		v->log_dropped = 0;
	}
	if (v->log_count < VCPU_LOG_PER_SECOND) {
		v->log_count++;
		return true;
	}
	v->log_dropped++;
	return false;
}

/*
 * Indexed by ESR_EL2.EC by vcpu/entry.S; every class has an entry, so the
 * dispatch needs no check. The range initialiser is overridden on purpose.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const exit_handler exit_handlers[ESR_ELx_EC_MAX + 1] = {
	[0 ... ESR_ELx_EC_MAX] = exit_unknown,
	[ESR_ELx_EC_WFx] = exit_wfx,
	[ESR_ELx_EC_HVC64] = exit_hvc,
	[ESR_ELx_EC_SMC64] = exit_smc,
	[ESR_ELx_EC_SYS64] = exit_sysreg,
	[ESR_ELx_EC_IABT_LOW] = exit_iabt,
	[ESR_ELx_EC_DABT_LOW] = mmio_handle_abort,
};
#pragma GCC diagnostic pop

/*
 * An SError from the guest's time slice is the guest's: hand it back as a
 * virtual SError rather than letting it touch anything else. EL2's own
 * device accesses collect their errors before the guest runs again
 * (vcpu/serror.h), so one taken here was raised by the guest.
 */
static __attribute__((noinline, cold)) enum vcpu_stop exit_serror(struct vcpu *v)
{
	vcpu_count_exit(v, VCPU_EXIT_SERROR);
	vcpu_warn(v, "SError (ESR 0x%lx) at pc 0x%lx; injected a virtual SError",
		  read_sysreg(esr_el2), vcpu_pc(v));
	inject_serror(v);
	return VCPU_RUNS;
}

enum vcpu_stop vcpu_handle_async(struct vcpu *v, u64 kind)
{
	if (kind == EXIT_SERROR)
		return exit_serror(v);
	vcpu_count_exit(v, VCPU_EXIT_IRQ);
	return vcpu_irq(v);
}
