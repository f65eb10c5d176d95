#include "core/panic.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "core/hyp_frame.h"
#include "core/percpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "platform/console.h"

void cpu_park(void)
{
	local_irq_disable();
	for (;;)
		wfi();
}

static int cpu_id(void)
{
	struct percpu *c = this_cpu();

	/* TPIDR_EL2 is UNKNOWN until percpu_init runs on this CPU. */
	if (c >= percpu && c < percpu + PLAT_MAX_CPUS)
		return (int)c->id;
	return -1;
}

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("PANIC on cpu%d: %s", cpu_id(), msg);
	/* In interrupt mode the line may still wait for the UART: nobody else may send it. */
	console_flush();
	cpu_park();
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case ESR_ELx_EC_UNKNOWN:
		return "unknown reason (undefined instruction)";
	case ESR_ELx_EC_WFx:
		return "WFI/WFE";
	case ESR_ELx_EC_FP_ASIMD:
		return "FP/SIMD access";
	case ESR_ELx_EC_ILL:
		return "illegal execution state";
	case ESR_ELx_EC_HVC64:
		return "HVC";
	case ESR_ELx_EC_SMC64:
		return "SMC";
	case ESR_ELx_EC_SYS64:
		return "MSR/MRS/system instruction";
	case ESR_ELx_EC_SVE:
		return "SVE access";
	case ESR_ELx_EC_IABT_LOW:
	case ESR_ELx_EC_IABT_CUR:
		return "instruction abort";
	case ESR_ELx_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_DABT_CUR:
		return "data abort";
	case ESR_ELx_EC_SP_ALIGN:
		return "SP alignment fault";
	case ESR_ELx_EC_SERROR:
		return "SError";
	case ESR_ELx_EC_BRK64:
		return "BRK instruction";
	default:
		return "other";
	}
}

static const char *fault_status(u64 esr)
{
	unsigned int fsc = (unsigned int)(esr & 0x3f);

	if (fsc <= 3)
		return "address size fault";
	if (fsc <= 7)
		return "translation fault";
	if (fsc >= 9 && fsc <= 11)
		return "access flag fault";
	if (fsc >= 13 && fsc <= 15)
		return "permission fault";
	if (fsc == 16)
		return "synchronous external abort";
	if (fsc == 33)
		return "alignment fault";
	return "other fault";
}

/* Fault reports under way on each CPU (slot 0: a CPU not yet numbered), to catch one faulting. */
static unsigned int reporting[PLAT_MAX_CPUS + 1];

void hyp_exception(struct hyp_frame *f, unsigned int kind, unsigned int vector)
{
	static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };
	static const char *const groups[] = { "EL2 with SP_EL0", "EL2", "a lower EL (AArch64)",
					      "a lower EL (AArch32)" };
	unsigned int ec = esr_ec(f->esr), i;
	unsigned int depth = ++reporting[cpu_id() + 1];

	/*
	 * A fault during this CPU's own report: the console is the likely
	 * culprit. Report once more on the board's UART without the lock
	 * (this CPU may hold it), and if even that faults, stop silently.
	 */
	if (depth > 2)
		cpu_park();
	if (depth == 2)
		console_emergency();
	log_err("cpu%d: unexpected %s exception from %s%s", cpu_id(), kinds[kind & 3],
		groups[(vector >> 2) & 3], depth == 2 ? ", while reporting an earlier one" : "");
	log_err("  ESR 0x%08lx: class 0x%02x %s, ISS 0x%07lx", f->esr, ec, ec_name(ec),
		f->esr & ESR_ELx_ISS_MASK);
	if (ec == ESR_ELx_EC_DABT_CUR || ec == ESR_ELx_EC_IABT_CUR || ec == ESR_ELx_EC_DABT_LOW ||
	    ec == ESR_ELx_EC_IABT_LOW)
		log_err("  %s, %s", fault_status(f->esr),
			(ec == ESR_ELx_EC_DABT_CUR || ec == ESR_ELx_EC_DABT_LOW) &&
					(f->esr & BIT(6))
				? "on a write"
				: "on a read or fetch");
	log_err("  FAR 0x%016lx  ELR 0x%016lx  SPSR 0x%08lx  SP 0x%016lx", f->far, f->elr, f->spsr,
		f->sp);
	for (i = 0; i < 30; i += 3)
		log_err("  x%-2u 0x%016lx  x%-2u 0x%016lx  x%-2u 0x%016lx", i, f->x[i], i + 1,
			f->x[i + 1], i + 2, f->x[i + 2]);
	log_err("  x30 0x%016lx", f->x[30]);
	log_err("cpu%d stopped", cpu_id());
	console_flush();
	cpu_park();
}

/*
 * Stack protector, for Partita's code and Debian's libfdt.a alike. The
 * guard is fixed: the threat here is a bug overrunning a buffer, not an
 * attacker who can read hypervisor memory.
 */
unsigned long __stack_chk_guard = 0x5a17a5c3e1d2b4f0UL;

void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack smashing detected near %p", __builtin_return_address(0));
}
