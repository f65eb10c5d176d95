/*
 * The MMIO bus, through the emulated test device: every access size, sign
 * extension by LDRSB/LDRSH/LDRSW into X and W registers, stores of XZR,
 * loads into XZR, acquire/release, and the accesses that cannot be emulated
 * (a load pair, writeback, an offset the device refuses) refused cleanly.
 */
#include "rt.h"

#define ID (TESTDEV + 0x100)
#define S(off) (TESTDEV + (off))

/* One load or store instruction, written out in full (operands %0 = value, %1 = address). */
#define LOAD(insn, addr)                                                   \
	({                                                                 \
		u64 __v = 0xdeadbeefdeadbeefUL;                            \
		__asm__ volatile(insn : "+r"(__v) : "r"(addr) : "memory"); \
		__v;                                                       \
	})
#define STORE(insn, val, addr) __asm__ volatile(insn ::"r"((u64)(val)), "r"(addr) : "memory")

static void id(void)
{
	u64 v = LOAD("ldr %w0, [%1]", ID);

	check(v == 0x54535450UL, "mmio-id", "ID reads 0x%lx", v);
	verdict("mmio-id");
}

static void sizes(void)
{
	u64 v;

	STORE("strb %w0, [%1]", 0xa5, S(0x00));
	STORE("strh %w0, [%1]", 0xbeef, S(0x02));
	STORE("str %w0, [%1]", 0x12345678, S(0x04));
	STORE("str %0, [%1]", 0x0123456789abcdefUL, S(0x08));
	v = LOAD("ldrb %w0, [%1]", S(0x00));
	check(v == 0xa5, "mmio-sizes", "byte 0x%lx", v);
	v = LOAD("ldrh %w0, [%1]", S(0x02));
	check(v == 0xbeef, "mmio-sizes", "halfword 0x%lx", v);
	v = LOAD("ldr %w0, [%1]", S(0x04));
	check(v == 0x12345678, "mmio-sizes", "word 0x%lx (upper half must be zero)", v);
	v = LOAD("ldr %0, [%1]", S(0x08));
	check(v == 0x0123456789abcdefUL, "mmio-sizes", "doubleword 0x%lx", v);
	/* Narrow stores change only their own bytes. */
	v = LOAD("ldr %0, [%1]", S(0x00));
	check(v == 0x12345678beef00a5UL, "mmio-sizes", "bytes 0-7 read 0x%lx as one doubleword", v);
	verdict("mmio-sizes");
}

static void sign_extension(void)
{
	u64 v;

	STORE("str %0, [%1]", 0x0000000080018080UL, S(0x20));
	STORE("str %w0, [%1]", 0x80000001U, S(0x28));
	v = LOAD("ldrsb %0, [%1]", S(0x20));
	check(v == 0xffffffffffffff80UL, "mmio-sign-extend", "LDRSB X 0x%lx", v);
	v = LOAD("ldrsb %w0, [%1]", S(0x20));
	check(v == 0x00000000ffffff80UL, "mmio-sign-extend", "LDRSB W 0x%lx", v);
	v = LOAD("ldrsh %0, [%1]", S(0x22));
	check(v == 0xffffffffffff8001UL, "mmio-sign-extend", "LDRSH X 0x%lx", v);
	v = LOAD("ldrsh %w0, [%1]", S(0x22));
	check(v == 0x00000000ffff8001UL, "mmio-sign-extend", "LDRSH W 0x%lx", v);
	v = LOAD("ldrsw %0, [%1]", S(0x28));
	check(v == 0xffffffff80000001UL, "mmio-sign-extend", "LDRSW 0x%lx", v);
	STORE("strb %w0, [%1]", 0x7f, S(0x30));
	v = LOAD("ldrsb %0, [%1]", S(0x30));
	check(v == 0x7f, "mmio-sign-extend", "LDRSB of a positive byte 0x%lx", v);
	verdict("mmio-sign-extend");
}

static void zero_register(void)
{
	u64 v, sp0 = 0x5eed5eed5eedUL, after;

	STORE("str %0, [%1]", 0x1122334455667788UL, S(0x40));
	__asm__ volatile("str xzr, [%0]" ::"r"(S(0x40)) : "memory");
	v = LOAD("ldr %0, [%1]", S(0x40));
	check(v == 0, "mmio-xzr", "STR XZR left 0x%lx", v);
	STORE("str %w0, [%1]", 0xffffffffU, S(0x48));
	__asm__ volatile("str wzr, [%0]" ::"r"(S(0x48)) : "memory");
	v = LOAD("ldr %w0, [%1]", S(0x48));
	check(v == 0, "mmio-xzr", "STR WZR left 0x%lx", v);
	/* Register 31 of a load is XZR: nothing may be written, SP_EL0 least of all. */
	__asm__ volatile("msr sp_el0, %1\n"
			 "ldr xzr, [%2]\n"
			 "mrs %0, sp_el0\n"
			 : "=&r"(after)
			 : "r"(sp0), "r"(S(0x08))
			 : "memory");
	check(after == sp0, "mmio-xzr", "LDR XZR changed SP_EL0 to 0x%lx", after);
	verdict("mmio-xzr");
}

/*
 * x19-x29 are callee-saved in the hypervisor's C code, so the exit path
 * reloads them only when a handler wrote one: a load into them must land.
 */
static void high_registers(void)
{
	u64 a, b;

	STORE("str %0, [%1]", 0x1919191919191919UL, S(0x60));
	STORE("str %0, [%1]", 0x2828282828282828UL, S(0x68));
	__asm__ volatile("mov x19, xzr\n"
			 "mov x28, xzr\n"
			 "ldr x19, [%2]\n"
			 "ldr x28, [%3]\n"
			 "mov %0, x19\n"
			 "mov %1, x28\n"
			 : "=r"(a), "=r"(b)
			 : "r"(S(0x60)), "r"(S(0x68))
			 : "x19", "x28", "memory");
	check(a == 0x1919191919191919UL, "mmio-high-registers", "x19 got 0x%lx", a);
	check(b == 0x2828282828282828UL, "mmio-high-registers", "x28 got 0x%lx", b);
	verdict("mmio-high-registers");
}

static void acquire_release(void)
{
	u64 v;

	__asm__ volatile("stlr %0, [%1]" ::"r"(0xa11ce5UL), "r"(S(0x50)) : "memory");
	__asm__ volatile("ldar %0, [%1]" : "=r"(v) : "r"(S(0x50)) : "memory");
	check(v == 0xa11ce5UL, "mmio-acquire-release", "LDAR read 0x%lx", v);
	verdict("mmio-acquire-release");
}

static void refused(const char *what, u64 addr, int kind)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, a = 0x1111, b = 0x2222, base = addr;

	expect_exception(0);
	if (kind == 0)
		__asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(addr) : "memory");
	else if (kind == 1)
		__asm__ volatile("ldr %0, [%1], #8" : "+r"(a), "+r"(base) : : "memory");
	else
		__asm__ volatile("ldr %0, [%1]" : "+r"(a) : "r"(addr) : "memory");
	check(r->count == before + 1, "mmio-refused", "%s: no abort", what);
	check(((r->esr >> 26) & 0x3f) == 0x25 && (r->esr & 0x3f) == 0x10, "mmio-refused",
	      "%s: ESR 0x%lx", what, r->esr);
	check(r->far == addr, "mmio-refused", "%s: FAR 0x%lx", what, r->far);
	check(a == 0x1111 && b == 0x2222 && base == addr, "mmio-refused", "%s: registers changed",
	      what);
}

void guest_main(void *dtb)
{
	(void)dtb;
	id();
	sizes();
	sign_extension();
	zero_register();
	high_registers();
	acquire_release();
	refused("LDP (ISV=0)", S(0x08), 0);
	refused("post-index writeback (ISV=0)", S(0x08), 1);
	refused("an offset the device refuses", S(0x800), 2);
	verdict("mmio-refused");
}
