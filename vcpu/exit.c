#include "vcpu/exit.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/hvc.h"
#include "vcpu/inject.h"
#include "vcpu/mmio.h"
#include "vcpu/sysreg_trap.h"

typedef enum vcpu_stop (*exit_handler)(struct vcpu *v, u64 esr);

void vcpu_skip_instr(struct vcpu *v, u64 esr)
{
	v->regs.elr += (esr & ESR_ELx_IL) ? 4 : 2;
}

/* The guest did something EL2 trapped but has no meaning for: it is UNDEFINED. */
static enum vcpu_stop exit_unknown(struct vcpu *v, u64 esr)
{
	log_warn(VCPU_FMT ": unhandled exit (ESR 0x%lx, class 0x%x) at pc 0x%lx; injected an "
		 "undefined instruction exception",
		 VCPU_ARGS(v), esr, esr_ec(esr), v->regs.elr);
	inject_undef(v, esr);
	return VCPU_RUNS;
}

/* Only reached when the VM traps WFI/WFE: the guest waits here instead. */
static enum vcpu_stop exit_wfx(struct vcpu *v, u64 esr)
{
	/* ISS bit 0 (TI): 0 for WFI, 1 for WFE. */
	if (esr & 1)
		wfe();
	else
		wfi();
	vcpu_skip_instr(v, esr);
	return VCPU_RUNS;
}

static enum vcpu_stop exit_hvc(struct vcpu *v, u64 esr)
{
	/* The preferred return address of an HVC is the next instruction already. */
	return hvc_handle(v, esr);
}

static enum vcpu_stop exit_smc(struct vcpu *v, u64 esr)
{
	/* A trapped SMC returns to the SMC itself (Arm ARM D1.10.4): step over it. */
	vcpu_skip_instr(v, esr);
	return hvc_handle(v, esr);
}

static enum vcpu_stop exit_iabt(struct vcpu *v, u64 esr)
{
	log_warn(VCPU_FMT ": instruction fetch from IPA 0x%lx (pc 0x%lx), outside the VM's "
		 "memory; injected an instruction abort",
		 VCPU_ARGS(v), mmio_fault_ipa(), v->regs.elr);
	inject_abort(v, esr, false);
	return VCPU_RUNS;
}

static const exit_handler handlers[ESR_ELx_EC_MAX + 1] = {
	[ESR_ELx_EC_WFx] = exit_wfx,
	[ESR_ELx_EC_HVC64] = exit_hvc,
	[ESR_ELx_EC_SMC64] = exit_smc,
	[ESR_ELx_EC_SYS64] = sysreg_trap,
	[ESR_ELx_EC_IABT_LOW] = exit_iabt,
	[ESR_ELx_EC_DABT_LOW] = mmio_handle_abort,
};

/*
 * An SError from the guest's time slice is the guest's: hand it back as a
 * virtual SError rather than letting it touch anything else.
 */
static enum vcpu_stop exit_serror(struct vcpu *v)
{
	log_warn(VCPU_FMT ": SError (ESR 0x%lx) at pc 0x%lx; injected a virtual SError",
		 VCPU_ARGS(v), read_sysreg(esr_el2), v->regs.elr);
	inject_serror(v);
	return VCPU_RUNS;
}

enum vcpu_stop vcpu_handle_exit(struct vcpu *v, u64 kind)
{
	u64 esr;
	exit_handler h;

	if (kind != EXIT_SYNC)
		return kind == EXIT_SERROR ? exit_serror(v) : vcpu_irq(v);
	esr = read_sysreg(esr_el2);
	h = handlers[esr_ec(esr)];
	return h ? h(v, esr) : exit_unknown(v, esr);
}
