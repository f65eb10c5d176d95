#include "vcpu/sysreg_trap.h"

#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/exit.h"
#include "vcpu/idregs.h"
#include "vcpu/inject.h"
#include "vcpu/vgic/glue.h"

/*
 * ACTLR_EL1 is IMPLEMENTATION DEFINED and can change how the physical core
 * behaves, so it is trapped (HCR_EL2.TACR): reads see the real value,
 * writes are ignored.
 */
static bool actlr(struct vcpu *v, bool read, unsigned int rt)
{
	if (read)
		vcpu_set_reg(v, rt, read_sysreg(actlr_el1));
	return true;
}

/*
 * The feature ID registers (HCR_EL2.TID3), AArch64 and AArch32 alike, read
 * what vcpu/idregs.c filtered for this vCPU; the reserved encodings of the
 * space read as zero, as the architecture has them. They are read-only: a
 * write is UNDEFINED, and the CPU would not trap it here.
 */
static bool idreg(struct vcpu *v, u64 reg, bool read, unsigned int rt)
{
	unsigned int crm = SYS_ISS_CRM(reg);

	/* TID3 traps CRm 1-7 only; the bound keeps the table index in range regardless. */
	if (!read || crm == 0 || crm > 7)
		return false;
	vcpu_set_reg(v, rt, idregs_value(v, (crm - 1) * 8 + SYS_ISS_OP2(reg)));
	return true;
}

/*
 * RAS error records describe the physical machine, so HCR_EL2.TERR traps
 * them; the guest sees a RAS extension with no error record of its own
 * (ERRIDR_EL1.NUM 0). With no record to select, ERRSELR_EL1 and the ERX*
 * registers read as zero and ignore writes, one of the behaviours the
 * architecture permits (QEMU chooses UNDEFINED for its own).
 */
static bool ras_record(struct vcpu *v, u64 reg, bool read, unsigned int rt)
{
	unsigned int crm = SYS_ISS_CRM(reg);

	if (crm < 3 || crm > 5)
		return false;
	if (read)
		vcpu_set_reg(v, rt, 0);
	return true;
}

static void describe(u64 iss, char *buf)
{
	/* "S<op0>_<op1>_C<crn>_C<crm>_<op2>", the assembler's generic spelling. */
	static const char digits[] = "0123456789";
	const unsigned int f[5] = {
		(unsigned int)(iss >> 20) & 3,	(unsigned int)(iss >> 14) & 7,
		(unsigned int)(iss >> 10) & 15, (unsigned int)(iss >> 1) & 15,
		(unsigned int)(iss >> 17) & 7,
	};
	const char *pre[5] = { "S", "_", "_C", "_C", "_" };
	unsigned int i, n = 0;

	for (i = 0; i < 5; i++) {
		const char *p = pre[i];

		while (*p)
			buf[n++] = *p++;
		if (f[i] >= 10)
			buf[n++] = '1';
		buf[n++] = digits[f[i] % 10];
	}
	buf[n] = '\0';
}

/* Out of line: its name buffer would cost every trap a stack-protector check. */
static __attribute__((noinline)) enum vcpu_stop not_emulated(struct vcpu *v, u64 esr)
{
	char name[24];
	u64 pc = vcpu_pc(v);

	/* Said only once done: it may not be (inject.h). */
	if (inject_undef(v, esr))
		return VCPU_STOP_VM_CRASH;
	describe(esr & SYS_ISS_REG_MASK, name);
	vcpu_warn(v,
		  "%s of system register %s at pc 0x%lx is not emulated; injected an undefined "
		  "instruction exception",
		  (esr & SYS_ISS_READ) ? "read" : "write", name, pc);
	return VCPU_RUNS;
}

enum vcpu_stop sysreg_trap(struct vcpu *v, u64 esr)
{
	u64 reg = esr & SYS_ISS_REG_MASK;
	bool read = esr & SYS_ISS_READ;
	unsigned int rt = (esr >> SYS_ISS_RT_SHIFT) & 0x1f;
	bool done = false;

	/* The SGI registers first: an SGI to self is on a path whose cost the bench holds. */
	if (reg == SYS_ICC_SGI1R_EL1 || reg == SYS_ICC_ASGI1R_EL1 || reg == SYS_ICC_SGI0R_EL1)
		done = vgic_v3_sgi_trap(v, reg, read, vcpu_reg(v, rt));
	else if (reg == SYS_ICC_DIR_EL1)
		done = vgic_v3_dir_trap(v, read, vcpu_reg(v, rt));
	else if (reg == SYS_ACTLR_EL1)
		done = actlr(v, read, rt);
	else if ((reg & SYS_ISS_GROUP_MASK) == SYS_ID_GROUP)
		done = idreg(v, reg, read, rt);
	else if ((reg & SYS_ISS_GROUP_MASK) == SYS_ERR_GROUP)
		done = ras_record(v, reg, read, rt);
	if (done) {
		vcpu_skip_instr(v, esr);
		return VCPU_RUNS;
	}
	return not_emulated(v, esr);
}
