/*
 * What a guest may not do arrives back in its own vectors, as on hardware
 * that lacks the thing touched: UNDEF for an unknown system register or
 * instruction, an abort for memory outside every region. The guest goes on.
 */
#include "rt.h"

#define EC_UNKNOWN 0x00
#define EC_IABT_CUR 0x21
#define EC_DABT_CUR 0x25
#define FSC_SEA 0x10

static u64 ec(u64 esr)
{
	return (esr >> 26) & 0x3f;
}

/*
 * An IMPLEMENTATION DEFINED register: HCR_EL2.TIDCP traps it to Partita,
 * which does not know it (QEMU before 8.1 lacks TIDCP and refuses it itself).
 */
static void undef_sysreg(void)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, pc_read, pc_write;

	expect_exception(0);
	__asm__ volatile("adr %0, 1f\n"
			 "1: mrs x0, s3_0_c15_c0_0\n"
			 : "=r"(pc_read)
			 :
			 : "x0", "memory");
	check(r->count == before + 1 && r->elr == pc_read, "undef-sysreg",
	      "read: %lu exceptions, ELR 0x%lx, instruction at 0x%lx", r->count - before, r->elr,
	      pc_read);
	check(ec(r->esr) == EC_UNKNOWN && (r->esr & (1UL << 25)), "undef-sysreg",
	      "read: ESR 0x%lx is not an UNDEF of a 32-bit instruction", r->esr);
	expect_exception(0);
	__asm__ volatile("adr %0, 1f\n"
			 "1: msr s3_0_c15_c0_0, xzr\n"
			 : "=r"(pc_write)
			 :
			 : "memory");
	check(r->count == before + 2 && r->elr == pc_write, "undef-sysreg",
	      "write: %lu exceptions, ELR 0x%lx, instruction at 0x%lx", r->count - before, r->elr,
	      pc_write);
	check(ec(r->esr) == EC_UNKNOWN, "undef-sysreg", "write: ESR 0x%lx", r->esr);
	verdict("undef-sysreg");
}

static void undef_instruction(void)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, pc;

	expect_exception(0);
	__asm__ volatile("adr %0, 1f\n"
			 "1: udf #0x1234\n"
			 : "=r"(pc)
			 :
			 : "memory");
	check(r->count == before + 1, "undef-instruction", "no exception");
	check(ec(r->esr) == EC_UNKNOWN, "undef-instruction", "ESR 0x%lx", r->esr);
	check(r->elr == pc, "undef-instruction", "ELR 0x%lx, not 0x%lx", r->elr, pc);
	verdict("undef-instruction");
}

static void actlr_emulated(void)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, v;

	/* Trapped by HCR_EL2.TACR and served: reads work, writes are ignored. */
	__asm__ volatile("mrs %0, actlr_el1\n"
			 "msr actlr_el1, %0\n"
			 : "=r"(v)::"memory");
	check(r->count == before, "actlr-emulated", "ACTLR_EL1 faulted");
	verdict("actlr-emulated");
}

static void abort_outside(u64 addr, const char *name)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, pc, val = 0x1111;

	expect_exception(0);
	__asm__ volatile("adr %0, 1f\n"
			 "1: ldr %1, [%2]\n"
			 : "=&r"(pc), "+r"(val)
			 : "r"(addr)
			 : "memory");
	check(r->count == before + 1, name, "no abort reading 0x%lx", addr);
	check(ec(r->esr) == EC_DABT_CUR && (r->esr & 0x3f) == FSC_SEA, name,
	      "ESR 0x%lx is not a synchronous external abort", r->esr);
	check(r->far == addr, name, "FAR 0x%lx, not 0x%lx", r->far, addr);
	check(r->elr == pc, name, "ELR 0x%lx, not 0x%lx", r->elr, pc);
	check(val == 0x1111, name, "the load wrote its register: 0x%lx", val);
}

static void aborts(u64 ram_base, u64 ram_size)
{
	abort_outside(0x0, "abort-outside");
	abort_outside(0x09030000UL, "abort-outside"); /* the host GPIO is not the guest's */
	abort_outside(ram_base + ram_size, "abort-outside");
	abort_outside(ram_base - 8, "abort-outside");
	abort_outside((1UL << 39) + 0x1000, "abort-outside");
	verdict("abort-outside");
}

static void fetch_outside(void)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, target = 0x20000000UL;

	/* Branch with the link register set; the handler resumes there. */
	expect_exception(RESUME_AT_LR);
	__asm__ volatile("adr x30, 1f\n"
			 "br %0\n"
			 "1:\n" ::"r"(target)
			 : "x30", "memory");
	check(r->count == before + 1, "iabt-outside", "no instruction abort");
	check(ec(r->esr) == EC_IABT_CUR && (r->esr & 0x3f) == FSC_SEA, "iabt-outside", "ESR 0x%lx",
	      r->esr);
	check(r->elr == target && r->far == target, "iabt-outside", "ELR 0x%lx FAR 0x%lx", r->elr,
	      r->far);
	verdict("iabt-outside");
}

void guest_main(void *dtb)
{
	u64 base = 0, size = 0;

	fdt_reg(dtb, "memory", &base, &size);
	undef_sysreg();
	undef_instruction();
	actlr_emulated();
	aborts(base, size);
	fetch_outside();
}
