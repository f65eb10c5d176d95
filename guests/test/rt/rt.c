#include "rt.h"

#include <stdarg.h>

#include "lib/fmt.h"

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)

static struct exc_record records[8];
static volatile unsigned int failures;
static unsigned int failures_at_verdict;

#define SMCCC_CALL(insn)                                                                          \
	register u64 x0 __asm__("x0") = fid;                                                      \
	register u64 x1 __asm__("x1") = a1;                                                       \
	register u64 x2 __asm__("x2") = a2;                                                       \
	register u64 x3 __asm__("x3") = a3;                                                       \
	__asm__ volatile(insn                                                                     \
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)                                 \
			 :                                                                        \
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", \
			   "x15", "x16", "x17", "memory");                                        \
	return (struct smccc_res)                                                                 \
	{                                                                                         \
		x0, x1, x2, x3                                                                    \
	}

struct smccc_res hvc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("hvc #0");
}

struct smccc_res smc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("smc #0");
}

unsigned int vcpu_index(void)
{
	u64 mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned int)(mpidr & 0xff);
}

u64 counter(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

u64 counter_frequency(void)
{
	u64 f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

void delay_ticks(u64 ticks)
{
	u64 end = counter() + ticks;

	/* WFE wakes on the event stream; a spinning vCPU would starve the others under icount. */
	while (counter() < end)
		__asm__ volatile("wfe");
}

void (*rt_irq_hook)(void);

#ifdef GUEST_NATIVE
#define PL011 0x09000000UL
#define UARTFR 0x18
#define UARTFR_TXFF (1U << 5)

/* Natively there is no console hypercall: the line goes to the PL011, one vCPU at a time. */
static void console_write(const char *s, int n)
{
	static volatile u32 lock;
	u32 tmp, fail;
	int i;

	__asm__ volatile("sevl\n"
			 "1: wfe\n"
			 "2: ldaxr %w0, [%2]\n"
			 "cbnz %w0, 1b\n"
			 "stxr %w1, %w3, [%2]\n"
			 "cbnz %w1, 2b\n"
			 : "=&r"(tmp), "=&r"(fail)
			 : "r"(&lock), "r"(1U)
			 : "memory");
	for (i = 0; i < n; i++) {
		while (*(volatile u32 *)(PL011 + UARTFR) & UARTFR_TXFF)
			;
		*(volatile u32 *)PL011 = (unsigned char)s[i];
	}
	__asm__ volatile("stlr wzr, [%0]" ::"r"(&lock) : "memory");
}
#else
static void console_write(const char *s, int n)
{
	hvc(HC_CONSOLE_WRITE, (u64)s, (u64)n, 0);
}
#endif

static void vprint(const char *fmt, va_list ap)
{
	char line[200];
	int n = fmt_vformat(line, sizeof(line) - 1, fmt, ap);

	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	console_write(line, n);
}

void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

bool check(bool ok, const char *name, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (ok)
		return true;
	failures++;
	va_start(ap, fmt);
	fmt_vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print("FAIL %s: %s", name, msg);
	return false;
}

void verdict(const char *name)
{
	if (failures == failures_at_verdict)
		print("PASS %s", name);
	else
		print("FAIL %s", name);
	failures_at_verdict = failures;
}

void guest_exit(void)
{
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	print("FAIL system-off: SYSTEM_OFF returned");
	for (;;)
		__asm__ volatile("wfi");
}

void expect_exception(u64 resume)
{
	struct exc_record *r = &records[vcpu_index()];

	r->resume = resume;
	r->armed = true;
}

struct exc_record *exc_last(void)
{
	return &records[vcpu_index()];
}

void guest_exception(u64 *frame, u64 vector);

void guest_exception(u64 *frame, u64 vector)
{
	struct exc_record *r = &records[vcpu_index()];
	u64 esr, far;

	if ((vector & 3) == 1 && rt_irq_hook && vector >= 4 && vector < 8) {
		rt_irq_hook();
		return;
	}
	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	if (r->armed && (vector & 3) == 0) {
		r->armed = false;
		r->count++;
		r->esr = esr;
		r->far = far;
		r->elr = frame[31];
		if (r->resume == RESUME_AT_LR)
			frame[31] = frame[30];
		else
			frame[31] = r->resume ? r->resume : frame[31] + 4;
		return;
	}
	print("FAIL unexpected-exception: vector %lu, ESR 0x%lx (class 0x%lx), ELR 0x%lx, FAR "
	      "0x%lx",
	      vector, esr, ESR_EC(esr), frame[31], far);
	guest_exit();
}

static u32 be32(const void *p)
{
	const unsigned char *b = p;

	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static u32 str_len(const char *p)
{
	u32 n = 0;

	while (p[n])
		n++;
	return n;
}

static bool prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

static bool same(const char *s, const char *p)
{
	return prefix(s, p) && !s[str_len(p)];
}

const void *fdt_prop(const void *dtb, const char *node, const char *prop, u32 *len)
{
	const char *b = dtb;
	const char *strings = b + be32(b + 12);
	u32 off = be32(b + 8);
	bool in_node = false;
	u32 plen = 0;

	while (prop[plen])
		plen++;
	for (;;) {
		u32 tag = be32(b + off), name;

		off += 4;
		if (tag == 1) { /* FDT_BEGIN_NODE */
			const char *n = b + off;
			u32 l = 0;

			while (n[l])
				l++;
			in_node = prefix(n, node);
			off += (l + 4) & ~3U;
		} else if (tag == 3) { /* FDT_PROP */
			*len = be32(b + off);
			name = be32(b + off + 4);
			if (in_node && same(strings + name, prop))
				return b + off + 8;
			off += 8 + ((*len + 3) & ~3U);
		} else if (tag == 2 || tag == 4) { /* END_NODE, NOP */
			in_node = false;
		} else {
			return NULL;
		}
	}
}

bool fdt_reg(const void *dtb, const char *node, u64 *base, u64 *size)
{
	u32 len = 0;
	const char *v = fdt_prop(dtb, node, "reg", &len);

	if (!v || len < 16)
		return false;
	*base = ((u64)be32(v) << 32) | be32(v + 4);
	*size = ((u64)be32(v + 8) << 32) | be32(v + 12);
	return true;
}

bool fdt_u64(const void *dtb, const char *node, const char *prop, u64 *val)
{
	u32 len;
	const char *v = fdt_prop(dtb, node, prop, &len);

	if (!v || len != 8)
		return false;
	*val = ((u64)be32(v) << 32) | be32(v + 4);
	return true;
}

/* A vCPU started by CPU_ON, in a test that starts none, just turns itself off. */
__attribute__((weak)) void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)ctx;
	(void)sctlr;
	(void)daif;
	hvc(PSCI_CPU_OFF, 0, 0, 0);
}
