/*
 * Exit-path benchmark guest. Under QEMU -icount shift=0 every instruction
 * advances virtual time by 1 ns, so CNTVCT_EL0 read around N round trips
 * counts the instructions of one round trip: guest loop, exit, handler,
 * return. Reported in tenths of an instruction.
 */
#include "rt.h"

#define ITERATIONS 10000UL

#define MEASURE(name, body)                                      \
	do {                                                     \
		u64 t0, t1, n = ITERATIONS;                      \
		t0 = counter();                                  \
		__asm__ volatile("1:\n" body "subs %0, %0, #1\n" \
				 "b.ne 1b\n"                     \
				 : "+r"(n)                       \
				 : "r"(TESTDEV)                  \
				 : "x0", "memory", "cc");        \
		t1 = counter();                                  \
		report(name, t1 - t0);                           \
	} while (0)

static u64 freq(void)
{
	u64 f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

/* ticks * (1e9 / freq) ns = instructions; tenths per iteration. */
static void report(const char *name, u64 ticks)
{
	u64 tenths = ticks * 10000000000UL / freq() / ITERATIONS;

	print("bench %s %lu.%lu", name, tenths / 10, tenths % 10);
}

void guest_main(void *dtb)
{
	(void)dtb;
	MEASURE("loop", "nop\n");
	MEASURE("hvc", "mov x0, #0xc6000000\n hvc #0\n");
	MEASURE("sysreg", "mrs x0, actlr_el1\n");
	MEASURE("mmio-read", "ldr w0, [%1]\n");
	MEASURE("mmio-write", "str wzr, [%1]\n");
}
