/*
 * Instructions Partita completes must look completed as the CPU would:
 * single-stepped at EL1 (the step is taken right after them, BTYPE
 * cleared), with big-endian data at EL1 (SCTLR_EL1.EE) and at EL0
 * (SCTLR_EL1.E0E; PSTATE.E for AArch32), and at EL0 in AArch32: A32, and
 * T32 inside IT blocks, whose state must move on past the emulated access.
 * EL0 runs with the MMU off, which the architecture allows: with stage 1
 * disabled, EL0 may fetch and access everything.
 */
#include "rt.h"

#define ID_VALUE 0x54535450UL
#define ID_VALUE_BE 0x50545354UL
#define EC_SVC32 0x11
#define EC_SVC64 0x15
#define EC_SOFTSTEP_LOWER 0x32
#define EC_SOFTSTEP_CUR 0x33
#define SPSR_SS (1UL << 21)
#define MDSCR_SS 1UL
#define SPSR_BTYPE (3UL << 10)
#define SPSR_EL0T_MASKED 0x3c0UL /* EL0t, D A I F masked */
#define SPSR_USR_MASKED 0x1d0UL /* AArch32 User, A I F masked */
#define SPSR_T (1UL << 5)
#define SPSR_E (1UL << 9)
#define SCTLR_E0E (1UL << 24)

extern char emul_vectors[], a32_blob[];
extern void el0_a64(void);
u64 run_el0(u64 entry, u64 spsr, u64 x0, u64 *out);
void el1_be(u64 testdev, u64 *out);

struct step_out {
	u64 elr, esr, spsr, x3, x0, expected;
};

#define STEP(name) void step_##name(u64 arg, u64 spsr, struct step_out *out)
STEP(ldr);
STEP(str);
STEP(mrs);
STEP(smc);
STEP(hvc);
STEP(add);

static u64 ec(u64 esr)
{
	return (esr >> 26) & 0x3f;
}

static volatile u32 *reg32(u64 off)
{
	return (volatile u32 *)(TESTDEV + off);
}

static u64 sysreg_sctlr(void)
{
	u64 v;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
	return v;
}

static void set_sctlr(u64 v)
{
	__asm__ volatile("msr sctlr_el1, %0\n isb" ::"r"(v) : "memory");
}

static bool has_bti(void)
{
	u64 pfr1;

	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
	return pfr1 & 0xf;
}

static void step_one(const char *what, void (*fn)(u64, u64, struct step_out *), u64 arg, u64 btype)
{
	struct step_out o = { 0 };

	fn(arg, btype, &o);
	check(o.elr != 0, "step-emulated", "%s: no step exception", what);
	check(o.elr == o.expected, "step-emulated",
	      "%s: step taken at 0x%lx, not 0x%lx (right after the instruction)", what, o.elr,
	      o.expected);
	check(ec(o.esr) == EC_SOFTSTEP_CUR, "step-emulated", "%s: ESR 0x%lx", what, o.esr);
	check((o.spsr & SPSR_BTYPE) == 0, "step-emulated", "%s: SPSR 0x%lx keeps BTYPE", what,
	      o.spsr);
}

static void single_step(void)
{
	u64 bt = has_bti() ? 1UL << 10 : 0; /* BTYPE is RES0 without FEAT_BTI */
	struct step_out o = { 0 };

	step_one("ADD (not trapped)", step_add, 0, bt);
	step_one("LDR (emulated MMIO)", step_ldr, TESTDEV + 0x100, bt);
	step_ldr(TESTDEV + 0x100, 0, &o);
	check(o.x3 == ID_VALUE, "step-emulated", "stepped LDR read 0x%lx", o.x3);
	step_one("STR (emulated MMIO)", step_str, TESTDEV + 0x70, bt);
	step_one("MRS ACTLR_EL1 (trapped)", step_mrs, 0, bt);
	step_one("SMC (trapped)", step_smc, SMCCC_VERSION, bt);
	step_smc(SMCCC_VERSION, 0, &o);
	check(o.x0 == 0x10001, "step-emulated", "stepped SMC returned 0x%lx", o.x0);
	step_one("HVC", step_hvc, SMCCC_VERSION, 0);
	verdict("step-emulated");
}

static void big_endian_el1(void)
{
	u64 r[6];

	el1_be(TESTDEV, r);
	check(r[0] == 0x11, "big-endian-el1", "LDRB 0x%lx", r[0]);
	check(r[1] == 0x1122, "big-endian-el1", "LDRH 0x%lx", r[1]);
	check(r[2] == 0x11223344, "big-endian-el1", "LDR W 0x%lx", r[2]);
	check(r[3] == ID_VALUE_BE, "big-endian-el1", "ID register 0x%lx", r[3]);
	check(r[4] == 0x8182838485868788UL, "big-endian-el1", "LDR X 0x%lx", r[4]);
	check(r[5] == 0xffffffffffff8182UL, "big-endian-el1", "LDRSH 0x%lx", r[5]);
	/* The device holds the bytes in the order a big-endian CPU stored them. */
	check(*reg32(0xc0) == 0x44332211, "big-endian-el1", "device word 0x%x", *reg32(0xc0));
	check(*reg32(0xc8) == 0x84838281, "big-endian-el1", "device word 0x%x", *reg32(0xc8));
	verdict("big-endian-el1");
}

static bool el0_ok(const char *name, const u64 *o, u64 svc_ec)
{
	return check(ec(o[8]) == svc_ec, name, "EL0 ended with ESR 0x%lx at 0x%lx, not SVC", o[8],
		     o[9]);
}

static void el0_aarch64(bool big)
{
	const char *name = big ? "el0-a64-big-endian" : "el0-a64";
	u64 o[11], sctlr = sysreg_sctlr();

	if (big)
		set_sctlr(sctlr | SCTLR_E0E);
	run_el0((u64)el0_a64, SPSR_EL0T_MASKED, TESTDEV, o);
	set_sctlr(sctlr);
	if (el0_ok(name, o, EC_SVC64)) {
		check(o[2] == (big ? 0x11 : 0x44), name, "LDRB 0x%lx", o[2]);
		check(o[3] == (big ? 0x1122 : 0x3344), name, "LDRH 0x%lx", o[3]);
		check(o[4] == 0x11223344, name, "LDR 0x%lx", o[4]);
		check(o[5] == (big ? ID_VALUE_BE : ID_VALUE), name, "ID register 0x%lx", o[5]);
		check(*reg32(0xb0) == (big ? 0x44332211 : 0x11223344), name, "device word 0x%x",
		      *reg32(0xb0));
	}
	verdict(name);
}

/* An entry of the AArch32 blob: its address, with the Thumb bit of the symbol dropped. */
static u64 a32_entry(unsigned int i)
{
	return (u64)a32_blob + (((volatile u32 *)a32_blob)[i] & ~1U);
}

static void el0_a32(void)
{
	u64 o[11];

	*reg32(0x90) = 0;
	run_el0(a32_entry(0), SPSR_USR_MASKED, TESTDEV, o);
	if (el0_ok("el0-a32", o, EC_SVC32)) {
		check((u32)o[3] == 0x5a, "el0-a32", "LDR 0x%lx", o[3]);
		check((u32)o[4] == ID_VALUE, "el0-a32", "LDREQ of the ID register 0x%lx", o[4]);
		check((u32)o[5] == 0xffffff80, "el0-a32", "LDRSB 0x%lx", o[5]);
	}
	/*
	 * A store whose condition fails never accesses memory, so it cannot
	 * trap on QEMU: Partita's skip of failed conditions is proven by
	 * tests/unit/test_emul.c, this only checks the sequence as a whole.
	 */
	check(*reg32(0x90) == 0x5a, "el0-a32", "the STRNE whose condition failed wrote 0x%x",
	      *reg32(0x90));
	verdict("el0-a32");
}

static void el0_a32_big_endian(void)
{
	u64 o[11], sctlr = sysreg_sctlr();

	/* E0E left clear: PSTATE.E alone makes AArch32 EL0 big-endian. */
	set_sctlr(sctlr & ~SCTLR_E0E);
	run_el0(a32_entry(1), SPSR_USR_MASKED | SPSR_E, TESTDEV, o);
	if (el0_ok("el0-a32-big-endian", o, EC_SVC32)) {
		check((u32)o[2] == 0x11, "el0-a32-big-endian", "LDRB 0x%lx", o[2]);
		check((u32)o[3] == 0x1122, "el0-a32-big-endian", "LDRH 0x%lx", o[3]);
		check((u32)o[4] == 0x11223344, "el0-a32-big-endian", "LDR 0x%lx", o[4]);
		check((u32)o[5] == ID_VALUE_BE, "el0-a32-big-endian", "ID register 0x%lx", o[5]);
		check((u32)o[6] == 0xffff8001, "el0-a32-big-endian", "LDRSH 0x%lx", o[6]);
		check(*reg32(0xa0) == 0x44332211, "el0-a32-big-endian", "device word 0x%x",
		      *reg32(0xa0));
	}
	verdict("el0-a32-big-endian");
	run_el0(a32_entry(3), SPSR_USR_MASKED | SPSR_T, TESTDEV, o);
	if (el0_ok("el0-t32-setend", o, EC_SVC32)) {
		check((u32)o[2] == 0x55, "el0-t32-setend", "LDRB 0x%lx", o[2]);
		check((u32)o[3] == 0x5566, "el0-t32-setend", "LDRH 0x%lx", o[3]);
		check((u32)o[4] == ID_VALUE_BE, "el0-t32-setend", "ID register 0x%lx", o[4]);
		check((u32)o[5] == 0x6655, "el0-t32-setend", "LDRH after SETEND LE 0x%lx", o[5]);
	}
	verdict("el0-t32-setend");
}

static void el0_t32_it(void)
{
	u64 o[11];

	*reg32(0x90) = 0x5a;
	run_el0(a32_entry(2), SPSR_USR_MASKED | SPSR_T, TESTDEV, o);
	if (el0_ok("el0-t32-it", o, EC_SVC32)) {
		check((u32)o[2] == ID_VALUE, "el0-t32-it", "16-bit LDREQ 0x%lx", o[2]);
		check((u32)o[3] == 0, "el0-t32-it", "the MOVNE after it ran");
		check((u32)o[4] == ID_VALUE, "el0-t32-it", "32-bit LDREQ 0x%lx", o[4]);
		check((u32)o[5] == 0, "el0-t32-it", "the second MOVNE ran");
		check((u32)o[1] == 0x5a, "el0-t32-it", "LDREQ.W 0x%lx", o[1]);
		check((u32)o[7] == 0x78, "el0-t32-it", "the instruction after the blocks: r7 0x%lx",
		      o[7]);
	}
	check(*reg32(0x90) == 0x5a, "el0-t32-it", "the STRNE after an emulated LDREQ wrote 0x%x",
	      *reg32(0x90));
	verdict("el0-t32-it");
}

/*
 * Single-stepping EL0 (MDSCR_EL1.SS, SPSR.SS = 1) through a 16-bit emulated
 * T32 load: the step comes right after it, 2 bytes on. (QEMU 7.2 drops the
 * IT state when it takes a step exception that was pending on return, so
 * IT blocks are tested without stepping, in el0_t32_it.)
 */
static void el0_t32_step(void)
{
	u64 o[11], entry = a32_entry(4), mdscr;

	*reg32(0x7c) = 0x7c7c;
	__asm__ volatile("msr oslar_el1, xzr\n mrs %0, mdscr_el1" : "=r"(mdscr));
	__asm__ volatile("msr mdscr_el1, %0\n isb" ::"r"(mdscr | MDSCR_SS) : "memory");
	run_el0(entry, SPSR_USR_MASKED | SPSR_T | SPSR_SS, TESTDEV, o);
	__asm__ volatile("msr mdscr_el1, %0\n isb" ::"r"(mdscr & ~MDSCR_SS) : "memory");
	check(ec(o[8]) == EC_SOFTSTEP_LOWER, "el0-t32-step", "ESR 0x%lx, ELR 0x%lx: no step", o[8],
	      o[9]);
	check(o[9] == entry + 2, "el0-t32-step", "step taken at 0x%lx, not 0x%lx", o[9], entry + 2);
	check((u32)o[2] == 0x7c7c && (u32)o[3] == 0, "el0-t32-step", "r2 0x%lx r3 0x%lx", o[2],
	      o[3]);
	verdict("el0-t32-step");
}

static bool has_aarch32_el0(void)
{
	u64 pfr0;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	return (pfr0 & 0xf) == 2;
}

void guest_main(void *dtb)
{
	(void)dtb;
	__asm__ volatile("msr vbar_el1, %0\n isb" ::"r"(emul_vectors) : "memory");
	single_step();
	big_endian_el1();
	el0_aarch64(false);
	el0_aarch64(true);
	if (!has_aarch32_el0()) {
		print("emul: no AArch32 at EL0 on this CPU");
		return;
	}
	el0_a32();
	el0_a32_big_endian();
	el0_t32_it();
	el0_t32_step();
}
