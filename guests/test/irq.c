/*
 * Interrupts as a guest sees them: GIC registers (v3 distributor and
 * redistributors, or v2 distributor and CPU interface), the virtual and EL1
 * physical timers, SGIs between every pair of vCPUs, more pending interrupts
 * than any list register file holds, an SGI storm, and the PL031 RTC's alarm
 * SPI. Built twice: for Partita, and natively (GUEST_NATIVE) for QEMU without
 * a hypervisor, where every check must pass the same way; the few checks only
 * a hypervisor can make true are under !NATIVE.
 */
#include "gic.h"

#define MAX_CPUS 8
#define SGI_DOORBELL 0 /* wakes a secondary vCPU for its next command */
#define SGI_A 1
#define SGI_B 2
#define SGI_PING 3
#define SGI_PONG 4
#define SPI_TEST 48 /* a virtio-mmio line with no device behind it */
#define RTC_INTID 34
#define RTC_BASE 0x09010000UL
#define STORM 10000U

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c

extern volatile u32 irq_unhandled;
extern volatile u32 irq_unhandled_intid;

static unsigned int ncpus = 1;
static u64 freq;

/* Per-vCPU, per-INTID counts of interrupts handled, and (v2) the last source. */
static volatile u32 got[MAX_CPUS][16];
static volatile u32 src_mask[MAX_CPUS][16];

/* The mailbox vCPU 0 drives the others with. */
enum op { OP_NONE, OP_SGI, OP_SGI_OTHERS, OP_SGI_SELF, OP_QUIT };
static volatile u32 cmd_op[MAX_CPUS];
static volatile u32 cmd_arg[MAX_CPUS];
static volatile u32 cmd_done[MAX_CPUS];
static volatile u32 online[MAX_CPUS];

static void barrier(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

static u64 ms(u64 n)
{
	return freq / 1000 * n;
}

/* Waits in WFI, with IRQs unmasked, until *p == want (set by a handler), or
 * ms milliseconds pass (the timer wakes it). Checking with IRQs masked and
 * then WFI loses no wake-up: a pending interrupt ends WFI even when masked. */
static bool wait_irq(volatile u32 *p, u32 want, u64 timeout_ms)
{
	u64 end = counter() + ms(timeout_ms);
	bool ok;

	/* The physical timer (on_wake, enabled by the caller) ends the WFI at the timeout. */
	timer_set_cval(TIMER_PHYS, end);
	timer_set_ctl(TIMER_PHYS, CNT_CTL_ENABLE);
	for (;;) {
		irq_mask();
		ok = *p == want;
		if (ok || counter() > end)
			break;
		wfi();
		irq_unmask();
	}
	irq_unmask();
	timer_set_ctl(TIMER_PHYS, 0);
	return ok;
}

/* Waits until *p == want or ms milliseconds pass; returns whether it got there. */
static bool wait_eq(volatile u32 *p, u32 want, u64 timeout_ms)
{
	u64 end = counter() + ms(timeout_ms);

	while (*p != want) {
		if (counter() > end)
			return false;
		__asm__ volatile("yield");
	}
	return true;
}

static void on_wake(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	timer_set_ctl(TIMER_PHYS, CNT_CTL_ENABLE | CNT_CTL_IMASK);
}

static void count_sgi(u32 intid, u32 source)
{
	unsigned int me = vcpu_index();

	got[me][intid]++;
	src_mask[me][intid] |= 1U << source;
	barrier();
	__asm__ volatile("sev");
}

static void clear_counts(void)
{
	unsigned int c, i;

	for (c = 0; c < MAX_CPUS; c++)
		for (i = 0; i < 16; i++)
			got[c][i] = src_mask[c][i] = 0;
	barrier();
}

/* ---- storm: vCPU 1 answers each PING with a PONG ---- */
static volatile u32 pings, pongs;

static void on_ping(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	pings++;
	barrier();
	gic_sgi(SGI_PONG, 1);
}

static void on_pong(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	pongs++;
	barrier();
}

static void secondary_setup(void)
{
	unsigned int i;

	gic_cpu_init();
	for (i = 0; i < 16; i++)
		gic_enable(i, 0x80);
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	unsigned int me = vcpu_index();

	(void)ctx;
	(void)sctlr;
	(void)daif;
	secondary_setup();
	irq_unmask();
	online[me] = 1;
	barrier();
	for (;;) {
		u32 op;

		/* Asleep until vCPU 0 rings (SGI_DOORBELL) or another interrupt comes. */
		irq_mask();
		op = cmd_op[me];
		if (op == OP_NONE)
			wfi();
		irq_unmask();
		if (op == OP_NONE)
			continue;
		if (op == OP_SGI)
			gic_sgi(cmd_arg[me] >> 16, cmd_arg[me] & 0xffff);
		else if (op == OP_SGI_OTHERS)
			gic_sgi_others(cmd_arg[me]);
		else if (op == OP_SGI_SELF)
			gic_sgi_self(cmd_arg[me]);
		cmd_op[me] = OP_NONE;
		barrier();
		cmd_done[me]++;
		barrier();
		__asm__ volatile("sev");
		if (op == OP_QUIT)
			break;
	}
	irq_mask();
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

/* Has vCPU c run op(arg), or runs it here if c is the caller. */
static void run_on(unsigned int c, u32 op, u32 arg)
{
	u32 done = cmd_done[c];

	if (c == 0) {
		if (op == OP_SGI)
			gic_sgi(arg >> 16, arg & 0xffff);
		else if (op == OP_SGI_OTHERS)
			gic_sgi_others(arg);
		else if (op == OP_SGI_SELF)
			gic_sgi_self(arg);
		return;
	}
	cmd_arg[c] = arg;
	barrier();
	cmd_op[c] = op;
	barrier();
	gic_sgi(SGI_DOORBELL, 1U << c);
	if (!wait_eq(&cmd_done[c], done + 1, 2000))
		check(false, "sgi", "vcpu%u did not run its command", c);
}

/* ---------------------------------------------------------------- (a) registers */

static void regs_reset(void)
{
	u32 typer = mmio_r32(GICD_BASE + GICD_TYPER);
	u32 lines = ((typer & 0x1f) + 1) * 32, i;

	check(lines >= 64 && lines <= 1020, "gic-regs", "TYPER.ITLinesNumber gives %u INTIDs",
	      lines);
	check(mmio_r32(GICD_BASE + GICD_IIDR) != 0 || gic_version == 2, "gic-regs",
	      "GICD_IIDR is 0");
	/* Nothing is enabled, pending or active, and every priority is 0, before the guest touches them. */
	for (i = SPI_BASE; i < lines && i < 1020; i += 32) {
		check(mmio_r32(GICD_BASE + GICD_ISENABLER + i / 8) == 0, "gic-regs",
		      "ISENABLER for INTID %u not 0 at reset", i);
		check(mmio_r32(GICD_BASE + GICD_ISPENDR + i / 8) == 0, "gic-regs",
		      "ISPENDR for INTID %u not 0 at reset", i);
		check(mmio_r32(GICD_BASE + GICD_ISACTIVER + i / 8) == 0, "gic-regs",
		      "ISACTIVER for INTID %u not 0 at reset", i);
	}
	for (i = SPI_BASE; i < lines && i < 1020; i += 4)
		check(mmio_r32(GICD_BASE + GICD_IPRIORITYR + i) == 0, "gic-regs",
		      "IPRIORITYR for INTID %u not 0 at reset", i);
	if (gic_version == 3) {
		unsigned int n;
		u64 r = GICR_BASE;

#if !NATIVE
		/* Partita offers no LPIs (QEMU's own GICv3 does). */
		check(!(mmio_r32(GICD_BASE + GICD_TYPER) & (1U << 17)), "gic-regs",
		      "GICD_TYPER.LPIS set: no LPIs are offered");
#endif
		/* One redistributor per vCPU, in order, Last on the final one only. */
		for (n = 0; n < ncpus; n++, r += GICR_STRIDE) {
			u64 t = mmio_r64(r + GICR_TYPER);

			check((t >> 32) == n, "gic-regs", "GICR%u_TYPER affinity 0x%lx", n,
			      t >> 32);
			check(((t >> 8) & 0xffff) == n, "gic-regs",
			      "GICR%u_TYPER.Processor_Number %lu", n, (t >> 8) & 0xffff);
			check(mmio_r32(r + GICR_IIDR) == mmio_r32(GICD_BASE + GICD_IIDR),
			      "gic-regs", "GICR%u_IIDR 0x%x differs from GICD_IIDR 0x%x", n,
			      mmio_r32(r + GICR_IIDR), mmio_r32(GICD_BASE + GICD_IIDR));
			check(!!(t & (1UL << 4)) == (n == ncpus - 1), "gic-regs",
			      "GICR%u_TYPER.Last is %lu with %u vCPUs", n, (t >> 4) & 1, ncpus);
#if !NATIVE
			check(!(t & 1), "gic-regs", "GICR%u_TYPER.PLPIS set", n);
#endif
		}
		check((mmio_r32(gicr(0) + GICR_WAKER) & 6) == 6, "gic-regs",
		      "GICR0_WAKER 0x%x at reset, not asleep", mmio_r32(gicr(0) + GICR_WAKER));
	} else {
		check(((typer >> 5) & 7) + 1 == ncpus, "gic-regs",
		      "GICD_TYPER.CPUNumber %u with %u vCPUs", (typer >> 5) & 7, ncpus);
		check(mmio_r32(GICC_BASE + GICC_IIDR) != 0, "gic-regs", "GICC_IIDR is 0");
		/* A uniprocessor GICv2 may make ITARGETSR RAZ/WI. */
		check(ncpus == 1 || mmio_r8(GICD_BASE + GICD_ITARGETSR) == 1, "gic-regs",
		      "ITARGETSR0 byte 0x%x on vcpu0, not 1", mmio_r8(GICD_BASE + GICD_ITARGETSR));
	}
}

static void set_clear_pair(u32 intid, u32 set, u32 clr, const char *what)
{
	u64 base = gic_version == 3 && intid < SPI_BASE ? gicr(0) + GICR_SGI : GICD_BASE;
	u64 s = base + set + intid / 32 * 4, c = base + clr + intid / 32 * 4;
	u32 bit = 1U << (intid % 32);

	mmio_w32(c, bit);
	check(!(mmio_r32(s) & bit), "gic-regs", "%s of INTID %u still set after a clear", what,
	      intid);
	mmio_w32(s, bit);
	check(mmio_r32(s) & bit, "gic-regs", "%s of INTID %u not set by its set register", what,
	      intid);
	check(mmio_r32(c) & bit, "gic-regs", "%s of INTID %u: the clear register reads otherwise",
	      what, intid);
	mmio_w32(s, 0);
	mmio_w32(c, 0);
	check(mmio_r32(s) & bit, "gic-regs", "%s of INTID %u: writing 0 changed it", what, intid);
	mmio_w32(c, bit);
	check(!(mmio_r32(s) & bit), "gic-regs", "%s of INTID %u not cleared by its clear register",
	      what, intid);
}

static void regs_access(void)
{
	u64 pri = (gic_version == 3 ? gicr(0) + GICR_SGI : GICD_BASE) + GICD_IPRIORITYR;
	u32 w;
	u8 b;

	/* Everything below with interrupts masked at the CPU: only the registers change. */
	irq_mask();
	set_clear_pair(SPI_TEST, GICD_ISENABLER, GICD_ICENABLER, "enable");
	set_clear_pair(SPI_TEST, GICD_ISPENDR, GICD_ICPENDR, "pending");
	set_clear_pair(SPI_TEST, GICD_ISACTIVER, GICD_ICACTIVER, "active");
	set_clear_pair(20, GICD_ISENABLER, GICD_ICENABLER, "enable");
	set_clear_pair(20, GICD_ISACTIVER, GICD_ICACTIVER, "active");
	/* QEMU's GICv2 drops ISPENDR writes for PPIs; GICv2 may keep SGIs always enabled. */
	if (gic_version == 3 || !NATIVE)
		set_clear_pair(20, GICD_ISPENDR, GICD_ICPENDR, "pending");
	if (gic_version == 3)
		set_clear_pair(5, GICD_ISENABLER, GICD_ICENABLER, "enable");

	/* Priorities: byte writes land in their lane of the word; unimplemented low bits read 0. */
	mmio_w32(pri + 4, 0);
	mmio_w8(pri + 6, 0xff);
	b = mmio_r8(pri + 6);
	w = mmio_r32(pri + 4);
	check(b >= 0xf0 && ((u8)~b & (u8)(~b + 1)) == 0, "gic-regs", "priority 0xff reads 0x%x", b);
	check(w == (u32)b << 16, "gic-regs", "byte write to priority 6 gave word 0x%x", w);
	mmio_w32(pri + 4, 0x80604020U);
	check(mmio_r8(pri + 5) == 0x40 && mmio_r8(pri + 7) == 0x80, "gic-regs",
	      "word write to IPRIORITYR1 reads bytes 0x%x 0x%x", mmio_r8(pri + 5),
	      mmio_r8(pri + 7));
	mmio_w32(pri + 4, 0xa0a0a0a0U);
	mmio_w8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST, 0x50);
	check(mmio_r8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST) == 0x50, "gic-regs",
	      "SPI priority byte reads 0x%x", mmio_r8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST));
	mmio_w8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST, 0xa0);
	if (gic_version == 3) {
		mmio_w64(GICD_BASE + GICD_IROUTER + 8 * SPI_TEST, ncpus - 1);
		check(mmio_r64(GICD_BASE + GICD_IROUTER + 8 * SPI_TEST) == ncpus - 1, "gic-regs",
		      "IROUTER (64-bit) reads 0x%lx",
		      mmio_r64(GICD_BASE + GICD_IROUTER + 8 * SPI_TEST));
		mmio_w64(GICD_BASE + GICD_IROUTER + 8 * SPI_TEST, 0);
	} else {
		mmio_w8(GICD_BASE + GICD_ITARGETSR + SPI_TEST, (u8)(1U << (ncpus - 1)));
		check(ncpus == 1 || mmio_r8(GICD_BASE + GICD_ITARGETSR + SPI_TEST) ==
					    (u8)(1U << (ncpus - 1)),
		      "gic-regs", "ITARGETSR byte reads 0x%x",
		      mmio_r8(GICD_BASE + GICD_ITARGETSR + SPI_TEST));
		mmio_w8(GICD_BASE + GICD_ITARGETSR + SPI_TEST, 1);
	}
#if !NATIVE
	/* Under Partita only (QEMU's own GIC does not refuse them): a byte access to a
	 * word-only register and a 64-bit access to ISENABLER are external aborts. */
	{
		struct exc_record *r = exc_last();
		u64 before = r->count;

		expect_exception(0);
		(void)mmio_r8(GICD_BASE + GICD_ISENABLER + 4);
		check(r->count == before + 1 && ((r->esr >> 26) & 0x3f) == 0x25, "gic-regs",
		      "byte read of ISENABLER1 not refused with an abort (ESR 0x%lx)", r->esr);
		r->armed = false;
		before = r->count;
		expect_exception(0);
		(void)mmio_r64(GICD_BASE + GICD_ISENABLER);
		check(r->count == before + 1 && ((r->esr >> 26) & 0x3f) == 0x25, "gic-regs",
		      "64-bit read of ISENABLER0 not refused with an abort (ESR 0x%lx)", r->esr);
		r->armed = false;
	}
#endif
	irq_unmask();
	verdict("gic-regs");
}

/* PMR and the binary point; CTLR's enables. */
static volatile u32 order[32];
static volatile u32 norder;
static volatile u32 nested_seen;

static void record(u32 intid, u32 source)
{
	(void)source;
	if (norder < 32)
		order[norder] = intid;
	norder++;
}

/* SGI_A's handler: with interrupts unmasked, SGI_B (higher priority) pends; preempts or not. */
static void on_a_nested(u32 intid, u32 source)
{
	u32 before = norder;

	record(intid, source);
	gic_sgi_self(SGI_B);
	irq_unmask();
	delay_ticks(ms(2));
	irq_mask();
	nested_seen = norder - before - 1;
}

static bool took(u32 intid, u64 timeout_ms)
{
	u64 end = counter() + ms(timeout_ms);

	while (counter() < end) {
		for (u32 i = 0; i < norder && i < 32; i++)
			if (order[i] == intid)
				return true;
		__asm__ volatile("yield");
	}
	return false;
}

static void masking(void)
{
	u32 lowest;

	irq_register(SGI_A, record);
	irq_register(SGI_B, record);
	irq_register(SPI_TEST, record);
	gic_enable(SGI_A, 0x90);
	gic_set_pmr(0xff);
	lowest = gic_pmr();
	check(lowest >= 0xf0, "gic-mask", "PMR 0xff reads 0x%x", lowest);

	/* PMR 0x80 masks a priority-0x90 SGI; PMR 0xa0 lets it through, once. */
	norder = 0;
	gic_set_pmr(0x80);
	gic_sgi_self(SGI_A);
	check(!took(SGI_A, 20), "gic-mask", "SGI of priority 0x90 taken with PMR 0x80");
	check(gic_is_pending(SGI_A), "gic-mask", "masked SGI not pending");
	gic_set_pmr(0xa0);
	check(took(SGI_A, 200), "gic-mask", "SGI of priority 0x90 not taken with PMR 0xa0");
	delay_ticks(ms(5));
	check(norder == 1, "gic-mask", "SGI taken %u times, not once", norder);
	gic_set_pmr(0xff);

	/* Binary point: with the largest BPR, priorities 0x60 and 0x40 are one group: no preemption. */
	gic_set_priority(SGI_A, 0x60);
	gic_enable(SGI_B, 0x40);
	irq_register(SGI_A, on_a_nested);
	gic_set_bpr(7);
	norder = 0;
	nested_seen = 99;
	gic_sgi_self(SGI_A);
	check(took(SGI_B, 200), "gic-mask", "SGI B never taken (BPR 7)");
	delay_ticks(ms(2));
	check(norder == 2 && order[0] == SGI_A && order[1] == SGI_B && nested_seen == 0, "gic-mask",
	      "BPR 7: B preempted A (taken %u, nested %u)", norder, nested_seen);
	/* The smallest BPR splits them: B preempts A inside A's handler. */
	gic_set_bpr(0);
	norder = 0;
	nested_seen = 99;
	gic_sgi_self(SGI_A);
	check(took(SGI_B, 200), "gic-mask", "SGI B never taken (BPR 0)");
	delay_ticks(ms(2));
	check(norder == 2 && nested_seen == 1, "gic-mask",
	      "BPR 0: B did not preempt A (taken %u, nested %u)", norder, nested_seen);
	irq_register(SGI_A, record);
	gic_set_bpr(0);

	/* EOImode 1: the handler's EOI drops the priority but the SGI stays active,
	 * so the same SGI sent again stays pending until DIR deactivates it. */
	gic_set_eoimode(true);
	norder = 0;
	gic_sgi_self(SGI_A);
	check(took(SGI_A, 200), "gic-mask", "EOImode 1: SGI not taken");
	check(gic_is_active(SGI_A), "gic-mask", "EOImode 1: SGI not active after its EOI");
	gic_sgi_self(SGI_A);
	delay_ticks(ms(5));
	check(norder == 1, "gic-mask", "EOImode 1: an active SGI was taken again before DIR (%u)",
	      norder);
	gic_dir(SGI_A); /* on GICv2 the source, vcpu0, is 0 */
	delay_ticks(ms(5));
	check(norder == 2, "gic-mask",
	      "EOImode 1: the SGI pending behind DIR was taken %u times, not 1", norder - 1);
	gic_dir(SGI_A);
	delay_ticks(ms(1));
	check(!gic_is_active(SGI_A), "gic-mask", "EOImode 1: SGI still active after DIR");
	gic_set_eoimode(false);

	/* The distributor's group enable, and the CPU interface's. */
	gic_route_spi(SPI_TEST, 0);
	gic_enable(SPI_TEST, 0x80);
	norder = 0;
	mmio_w32(GICD_BASE + GICD_CTLR, gic_version == 3 ? 0x10 : 0);
	while (gic_version == 3 && (mmio_r32(GICD_BASE + GICD_CTLR) & (1U << 31)))
		;
	gic_set_pending(SPI_TEST);
	check(!took(SPI_TEST, 20), "gic-mask", "SPI taken with GICD_CTLR groups disabled");
	mmio_w32(GICD_BASE + GICD_CTLR, gic_version == 3 ? 0x13 : 1);
	check(took(SPI_TEST, 200), "gic-mask", "SPI not taken once GICD_CTLR enables its group");
	norder = 0;
	if (gic_version == 3)
		__asm__ volatile("msr S3_0_C12_C12_7, xzr; isb");
	else
		mmio_w32(GICC_BASE + GICC_CTLR, 0);
	gic_set_pending(SPI_TEST);
	check(!took(SPI_TEST, 20), "gic-mask", "SPI taken with the CPU interface's group disabled");
	if (gic_version == 3)
		__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" ::"r"(1UL));
	else
		mmio_w32(GICC_BASE + GICC_CTLR, 1);
	check(took(SPI_TEST, 200), "gic-mask", "SPI not taken once the CPU interface enables it");
	delay_ticks(ms(2));
	check(norder == 1, "gic-mask", "SPI taken %u times, not once", norder);
	gic_disable(SPI_TEST);
	gic_disable(SGI_A);
	gic_disable(SGI_B);
	verdict("gic-mask");
}

/* ---------------------------------------------------------------- (b) timers */
static volatile u32 tfires;
static volatile u64 tfire_at;
static volatile u32 tmask_after; /* the handler masks the timer at this many fires */
static enum timer cur;

static void on_timer(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	if (tfires == 0)
		tfire_at = timer_count(cur);
	tfires++;
	if (tfires >= tmask_after)
		timer_set_ctl(cur, CNT_CTL_ENABLE | CNT_CTL_IMASK);
}

static void timer_test(enum timer t, const char *name)
{
	u32 ppi = timer_ppi(t);
	u64 now, cval, d = ms(5);
	s64 tv;

	cur = t;
	irq_register(ppi, on_timer);
	timer_set_ctl(t, 0);
	gic_enable(ppi, 0x80);

	/* CVAL: fires once, not before the deadline. */
	tfires = 0;
	tmask_after = 1;
	now = timer_count(t);
	cval = now + d;
	timer_set_cval(t, cval);
	timer_set_ctl(t, CNT_CTL_ENABLE);
	if (t == TIMER_VIRT) {
		/* Asleep in WFI, the vCPU is woken by its timer (the physical one is the watchdog). */
		irq_register(PPI_PTIMER, on_wake);
		gic_enable(PPI_PTIMER, 0x80);
		check(wait_irq(&tfires, 1, 1000), name, "CVAL deadline: WFI not woken within 1 s");
		gic_disable(PPI_PTIMER);
	}
	check(wait_eq(&tfires, 1, 1000), name, "CVAL deadline: no interrupt within 1 s");
	check(tfire_at >= cval, name, "fired %lu ticks before its CVAL deadline", cval - tfire_at);
	check(timer_ctl(t) & CNT_CTL_ISTATUS, name, "ISTATUS not set after the deadline");

	/* TVAL: CVAL = now + TVAL, and TVAL counts down. */
	timer_set_ctl(t, 0);
	tfires = 0;
	now = timer_count(t);
	timer_set_tval(t, (u32)d);
	cval = timer_cval(t);
	check(cval >= now + d && cval < now + d + ms(50), name, "TVAL %lu gave CVAL now+%ld", d,
	      (s64)(cval - now));
	tv = timer_tval(t);
	check(tv > 0 && tv <= (s64)d, name, "TVAL reads %ld after writing %lu", tv, d);
	timer_set_ctl(t, CNT_CTL_ENABLE);
	check(wait_eq(&tfires, 1, 1000), name, "TVAL deadline: no interrupt within 1 s");
	check(tfire_at >= cval, name, "TVAL: fired %lu ticks early", cval - tfire_at);
	check(timer_tval(t) <= 0, name, "TVAL not negative after the deadline");

	/* IMASK holds a met condition back; clearing it raises the interrupt. */
	tfires = 0;
	timer_set_ctl(t, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	timer_set_cval(t, timer_count(t) - 1);
	delay_ticks(ms(5));
	check(tfires == 0, name, "fired with IMASK set");
	check(timer_ctl(t) & CNT_CTL_ISTATUS, name, "ISTATUS clear although the deadline passed");
	/* Level: the handler leaves the timer asserted twice; it must come back each time. */
	tmask_after = 3;
	timer_set_ctl(t, CNT_CTL_ENABLE);
	check(wait_eq(&tfires, 3, 1000), name, "level not re-raised after EOI: %u fires, not 3",
	      tfires);
	delay_ticks(ms(5));
	check(tfires == 3, name, "%u fires after masking at the third, not 3", tfires);

	/* Disabling drops the level: a timer that fired while the CPU masked IRQs, then
	 * disabled, is not taken when IRQs are unmasked. */
	tmask_after = 1;
	tfires = 0;
	irq_mask();
	timer_set_cval(t, timer_count(t) - 1);
	timer_set_ctl(t, CNT_CTL_ENABLE);
	delay_ticks(ms(5));
	timer_set_ctl(t, 0);
#if !NATIVE
	/* Gives the hypervisor an exit to sample the timer's line (the CTL write does not trap). */
	hvc(HC_NULL, 0, 0, 0);
#endif
	irq_unmask();
	delay_ticks(ms(5));
	check(tfires == 0, name, "taken after the timer was disabled (%u)", tfires);
	/* Re-arming raises it again. */
	timer_set_cval(t, timer_count(t) + ms(1));
	timer_set_ctl(t, CNT_CTL_ENABLE);
	check(wait_eq(&tfires, 1, 1000), name, "re-armed timer did not fire");

	timer_set_ctl(t, 0);
	gic_disable(ppi);
	verdict(name);
}

/* ---------------------------------------------------------------- (c) SGIs */

static void settle(void)
{
	delay_ticks(ms(10));
	barrier();
}

static bool expect_counts(u32 intid, u32 want_mask, u32 from, const char *what)
{
	unsigned int d;
	bool ok = true;

	for (d = 0; d < ncpus; d++) {
		u32 want = (want_mask >> d) & 1;

		if (want)
			wait_eq(&got[d][intid], 1, 1000);
	}
	settle();
	for (d = 0; d < MAX_CPUS; d++) {
		u32 want = (want_mask >> d) & 1;

		ok &= check(got[d][intid] == want, "sgi",
			    "%s from vcpu%u: vcpu%u got SGI %u %u times, not %u", what, from, d,
			    intid, got[d][intid], want);
		if (gic_version == 2 && want && got[d][intid])
			ok &= check(src_mask[d][intid] == 1U << from, "sgi",
				    "%s: vcpu%u saw source mask 0x%x, not vcpu%u", what, d,
				    src_mask[d][intid], from);
	}
	return ok;
}

static void sgi_test(void)
{
	u32 all = (1U << ncpus) - 1;
	unsigned int s, d;

	for (s = 0; s < ncpus; s++) {
		for (d = 0; d < ncpus; d++) {
			clear_counts();
			run_on(s, OP_SGI, (5U << 16) | (1U << d));
			expect_counts(5, 1U << d, s, "unicast");
		}
		clear_counts();
		run_on(s, OP_SGI_OTHERS, 6);
		expect_counts(6, all & ~(1U << s), s, "all-but-self");
		clear_counts();
		run_on(s, OP_SGI_SELF, 7);
		expect_counts(7, 1U << s, s, "self");
		/* A target list naming vCPUs that do not exist reaches only the ones that do. */
		clear_counts();
		run_on(s, OP_SGI, (8U << 16) | 0xff);
		expect_counts(8, all, s, "target list 0xff");
	}
	check(irq_unhandled == 0, "sgi", "%u interrupts without a handler (last INTID %u)",
	      irq_unhandled, irq_unhandled_intid);
	verdict("sgi");
}

/* ---------------------------------------------------------------- (d) priority order */

static void priority_order(void)
{
	/* 16 SGIs and 4 SPIs, each with its own priority, all pending at once. */
	u32 ids[20], prio[256], i, last = 0;

	for (i = 0; i < 16; i++)
		ids[i] = i;
	for (i = 0; i < 4; i++)
		ids[16 + i] = SPI_TEST + i;
	irq_mask();
	norder = 0;
	for (i = 0; i < 20; i++) {
		u32 p = 0x10 + 8 * ((i * 7) % 20);

		prio[ids[i]] = p;
		irq_register(ids[i], record);
		if (ids[i] >= SPI_BASE)
			gic_route_spi(ids[i], 0);
		gic_enable(ids[i], (u8)p);
	}
	for (i = 0; i < 20; i++) {
		if (ids[i] < 16)
			gic_sgi_self(ids[i]);
		else
			gic_set_pending(ids[i]);
	}
	delay_ticks(ms(2));
	irq_unmask();
	delay_ticks(ms(20));
	check(norder == 20, "irq-priority", "%u interrupts taken, not 20", norder);
	for (i = 0; i < norder && i < 20; i++) {
		check(prio[order[i]] >= last, "irq-priority",
		      "INTID %u (priority 0x%x) taken after priority 0x%x", order[i],
		      prio[order[i]], last);
		last = prio[order[i]];
	}
	for (i = 0; i < 20; i++) {
		gic_disable(ids[i]);
		irq_register(ids[i], count_sgi);
	}
	verdict("irq-priority");
}

/* ---------------------------------------------------------------- (e) storm */

static void storm(void)
{
	u32 i;

	if (ncpus < 2) {
		print("PASS sgi-storm (one vCPU: nothing to do)");
		return;
	}
	pings = pongs = 0;
	irq_register(SGI_PING, on_ping);
	irq_register(SGI_PONG, on_pong);
	gic_enable(SGI_PONG, 0x80);
	irq_register(PPI_PTIMER, on_wake);
	gic_enable(PPI_PTIMER, 0x80);
	for (i = 0; i < STORM; i++) {
		gic_sgi(SGI_PING, 2);
		if (!wait_irq(&pongs, i + 1, 2000)) {
			check(false, "sgi-storm", "round %u: no answer (pings %u, pongs %u)", i,
			      pings, pongs);
			break;
		}
	}
	settle();
	check(pings == STORM && pongs == STORM, "sgi-storm", "%u SGIs sent: %u pings, %u pongs",
	      STORM, pings, pongs);
	gic_disable(SGI_PONG);
	gic_disable(PPI_PTIMER);
	verdict("sgi-storm");
}

/* ------------------------------------------------ (g) more active interrupts than LRs */
#define OVF_BASE 9 /* SGIs 9-14 */
#define OVF_N 6 /* more than the 4 list registers QEMU's GICs have */

/*
 * Two SGIs of the lowest priority, kept pending behind PMR while the test
 * runs: they hold two list registers, so the underflow refill (at most
 * one valid LR) cannot come to the rescue, and a deactivation of an
 * interrupt without an LR must be caught as it happens (EOIcount, DIR).
 */
#define BLOCK_A 8
#define BLOCK_B 15
#define BLOCK_PRIO 0xf0
static volatile u32 blocks_taken;

static void on_block(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	blocks_taken++;
}

/* The blockers pending, held back by PMR. */
static void blocks_pend(void)
{
	blocks_taken = 0;
	gic_set_pmr(BLOCK_PRIO);
	gic_sgi_self(BLOCK_A);
	gic_sgi_self(BLOCK_B);
}

/* PMR opened: both blockers taken now. */
static void blocks_release(const char *name)
{
	u64 end = counter() + ms(200);

	gic_set_pmr(0xff);
	while (blocks_taken < 2 && counter() < end)
		__asm__ volatile("yield");
	check(blocks_taken == 2, name, "%u of the 2 low-priority SGIs taken once PMR opened",
	      blocks_taken);
}

static volatile u32 nest_done[OVF_N];
static volatile u32 nest_late; /* handlers whose nested SGI did not preempt them in time */
static volatile bool nest_chain;

/* SGI OVF_BASE + k, priority 0xa0 - 0x10 k: each raises the next, higher one and lets it preempt. */
static void on_nest(u32 intid, u32 source)
{
	u32 k = intid - OVF_BASE;
	u64 end;

	record(intid, source);
	if (nest_chain && k + 1 < OVF_N) {
		gic_sgi_self(intid + 1);
		end = counter() + ms(200);
		irq_unmask();
		while (!nest_done[k + 1] && counter() < end)
			__asm__ volatile("yield");
		irq_mask();
		if (!nest_done[k + 1])
			nest_late++;
	}
	nest_done[k] = 1;
}

/* After the test: nothing of OVF_BASE.. is active, and each one sent alone is taken once. */
static void overflow_recheck(const char *name)
{
	u32 i;

	for (i = 0; i < OVF_N; i++)
		check(!gic_is_active(OVF_BASE + i), name, "SGI %u still active", OVF_BASE + i);
	check(!gic_is_active(BLOCK_A) && !gic_is_active(BLOCK_B), name,
	      "a low-priority SGI still active");
	nest_chain = false;
	for (i = 0; i < OVF_N; i++) {
		norder = 0;
		gic_sgi_self(OVF_BASE + i);
		check(took(OVF_BASE + i, 200), name, "SGI %u not taken again (stuck active?)",
		      OVF_BASE + i);
		delay_ticks(ms(1));
		check(norder == 1, name, "SGI %u taken %u times, not once, when sent again",
		      OVF_BASE + i, norder);
	}
}

static void overflow_setup(void)
{
	u32 i;

	for (i = 0; i < OVF_N; i++) {
		irq_register(OVF_BASE + i, on_nest);
		gic_enable(OVF_BASE + i, (u8)(0xa0 - 0x10 * i));
		nest_done[i] = 0;
	}
	irq_register(BLOCK_A, on_block);
	irq_register(BLOCK_B, on_block);
	gic_enable(BLOCK_A, BLOCK_PRIO);
	gic_enable(BLOCK_B, BLOCK_PRIO);
	gic_set_pmr(0xff);
	gic_set_bpr(0);
	barrier();
}

/*
 * Deep preemption, EOImode 0: each of six SGIs preempts the one before
 * inside its handler, so six are active at once, more than the list
 * registers hold; the EOIs then come innermost first. Each must be taken,
 * nested in the one before, and nothing may stay active.
 */
static void overflow_nest(void)
{
	u32 i;

	overflow_setup();
	blocks_pend();
	nest_chain = true;
	nest_late = 0;
	norder = 0;
	gic_sgi_self(OVF_BASE);
	check(took(OVF_BASE + OVF_N - 1, 1000), "lr-overflow-nest",
	      "the innermost SGI %u never taken (%u taken)", OVF_BASE + OVF_N - 1, norder);
	delay_ticks(ms(2));
	check(norder == OVF_N, "lr-overflow-nest", "%u SGIs taken, not %u", norder, OVF_N);
	for (i = 0; i < norder && i < OVF_N; i++)
		check(order[i] == OVF_BASE + i, "lr-overflow-nest", "SGI %u taken in place %u",
		      order[i], i);
	check(nest_late == 0, "lr-overflow-nest",
	      "%u handlers waited 200 ms in vain for the SGI they raised to preempt them",
	      nest_late);
	blocks_release("lr-overflow-nest");
	overflow_recheck("lr-overflow-nest");
	verdict("lr-overflow-nest");
}

/*
 * EOImode 1: six SGIs pending at once are each acknowledged and only
 * priority-dropped (the dispatcher's EOI), so six are active together;
 * only then does the guest deactivate them (DIR), in acknowledge order.
 */
static void overflow_dir(void)
{
	u32 i;

	overflow_setup();
	nest_chain = false;
	gic_set_eoimode(true);
	irq_mask();
	norder = 0;
	for (i = 0; i < OVF_N; i++)
		gic_sgi_self(OVF_BASE + i);
	irq_unmask();
	for (i = 0; i < OVF_N; i++)
		check(took(OVF_BASE + i, 500), "lr-overflow-dir",
		      "SGI %u not taken while %u others stay active", OVF_BASE + i, norder);
	delay_ticks(ms(2));
	check(norder == OVF_N, "lr-overflow-dir", "%u SGIs taken, not %u", norder, OVF_N);
	blocks_pend();
	for (i = 0; i < OVF_N; i++)
		check(gic_is_active(OVF_BASE + i), "lr-overflow-dir",
		      "SGI %u not active before its DIR", OVF_BASE + i);
	for (i = 0; i < norder && i < OVF_N; i++)
		gic_dir(order[i]); /* on GICv2 the source, vcpu0, is 0 */
	delay_ticks(ms(1));
	blocks_release("lr-overflow-dir");
	gic_dir(BLOCK_A);
	gic_dir(BLOCK_B);
	gic_set_eoimode(false);
	overflow_recheck("lr-overflow-dir");
	verdict("lr-overflow-dir");
}

static void overflow(void)
{
	u32 i;

	overflow_nest();
	overflow_dir();
	for (i = 0; i < OVF_N; i++) {
		gic_disable(OVF_BASE + i);
		irq_register(OVF_BASE + i, count_sgi);
	}
	gic_disable(BLOCK_A);
	gic_disable(BLOCK_B);
	irq_register(BLOCK_A, count_sgi);
	irq_register(BLOCK_B, count_sgi);
}

/* ---------------------------------------------------------------- (f) PL031 alarm */
static volatile u32 rtc_fires;

static void on_rtc(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	if (mmio_r32(RTC_BASE + RTCMIS) & 1)
		rtc_fires++;
	mmio_w32(RTC_BASE + RTCICR, 1);
}

static void rtc_alarm(void)
{
	u32 round;

	irq_register(RTC_INTID, on_rtc);
	gic_route_spi(RTC_INTID, 0);
	gic_enable(RTC_INTID, 0x80);
	mmio_w32(RTC_BASE + RTCICR, 1);
	mmio_w32(RTC_BASE + RTCIMSC, 1);
	rtc_fires = 0;
	for (round = 1; round <= 3; round++) {
		/* A match register equal to the count raises the alarm at once (QEMU's pl031). */
		u32 dr;

		do {
			dr = mmio_r32(RTC_BASE + RTCDR);
			mmio_w32(RTC_BASE + RTCMR, dr);
		} while (mmio_r32(RTC_BASE + RTCDR) != dr);
		if (!check(wait_eq(&rtc_fires, round, 3000), "rtc-spi", "alarm %u not delivered",
			   round))
			break;
	}
	delay_ticks(ms(5));
	check(rtc_fires == 3, "rtc-spi", "%u alarms taken, not 3", rtc_fires);
	check(!gic_is_active(RTC_INTID), "rtc-spi", "INTID 34 still active after EOI");
	mmio_w32(RTC_BASE + RTCIMSC, 0);
	gic_disable(RTC_INTID);
	verdict("rtc-spi");
}

/* ------------------------------------- (h) HW-mapped interrupts set by register */
static volatile u32 hw_fires;

/* The virtual timer's handler here: counts, and masks the (level) timer. */
static void on_hw_timer(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	hw_fires++;
	timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE | CNT_CTL_IMASK);
}

/* Where vCPU 0's SGI and PPI registers are: its redistributor's SGI frame, or the GICv2 GICD. */
static u64 private_base(void)
{
	return gic_version == 3 ? gicr(0) + GICR_SGI : GICD_BASE;
}

/* Arms the virtual timer 1 ms ahead; true if it then fires exactly once. */
static bool hw_timer_fires(void)
{
	u32 before = hw_fires;

	timer_set_cval(TIMER_VIRT, timer_count(TIMER_VIRT) + ms(1));
	timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE);
	if (!wait_eq(&hw_fires, before + 1, 500))
		return false;
	delay_ticks(ms(2));
	return hw_fires == before + 1;
}

/*
 * The virtual timer's PPI is HW-mapped to the physical one under Partita.
 * Its pending and active state set and cleared by register must stay
 * coherent with the physical interrupt: set pending, it is taken once;
 * set then cleared, it is not taken; set active, the timer's own firing
 * waits for the deactivation (ICACTIVER, or DIR with EOImode 1); and
 * after each, the timer still fires (nothing left active at the GIC).
 */
static void hw_regs_timer(void)
{
	const char *name = "hw-regs";

	irq_register(PPI_VTIMER, on_hw_timer);
	timer_set_ctl(TIMER_VIRT, 0);
	gic_enable(PPI_VTIMER, 0x80);
	hw_fires = 0;
	/* QEMU's own GICv2 drops ISPENDR writes for PPIs: only ISACTIVER is checked there. */
	if (NATIVE && gic_version == 2)
		goto active;

	gic_set_pending(PPI_VTIMER);
	check(wait_eq(&hw_fires, 1, 500), name, "ISPENDR of the timer PPI: not taken");
	delay_ticks(ms(2));
	check(hw_fires == 1, name, "ISPENDR of the timer PPI: taken %u times", hw_fires);
	check(!gic_is_pending(PPI_VTIMER) && !gic_is_active(PPI_VTIMER), name,
	      "timer PPI pending or active after its handler");
	check(hw_timer_fires(), name, "timer does not fire after an ISPENDR (%u)", hw_fires);

	/* Set pending and cleared again before the CPU could take it. */
	irq_mask();
	hw_fires = 0;
	gic_set_pending(PPI_VTIMER);
	check(gic_is_pending(PPI_VTIMER), name, "ISPENDR of the timer PPI does not read back");
	gic_clear_pending(PPI_VTIMER);
	check(!gic_is_pending(PPI_VTIMER), name, "ICPENDR of the timer PPI does not read back");
	irq_unmask();
	delay_ticks(ms(2));
	check(hw_fires == 0, name, "timer PPI taken after ISPENDR then ICPENDR");
	check(hw_timer_fires(), name, "timer does not fire after ISPENDR, ICPENDR (%u)", hw_fires);

active:
	/* Active by register: the timer's firing waits for ICACTIVER. */
	hw_fires = 0;
	mmio_w32(private_base() + GICD_ISACTIVER, 1U << PPI_VTIMER);
	check(gic_is_active(PPI_VTIMER), name, "ISACTIVER of the timer PPI does not read back");
	timer_set_cval(TIMER_VIRT, timer_count(TIMER_VIRT) - 1);
	timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE);
	delay_ticks(ms(5));
	check(hw_fires == 0, name, "timer PPI taken while set active (%u)", hw_fires);
	mmio_w32(private_base() + GICD_ICACTIVER, 1U << PPI_VTIMER);
	check(wait_eq(&hw_fires, 1, 500), name, "timer not taken after ICACTIVER");
	delay_ticks(ms(2));
	check(hw_fires == 1, name, "timer taken %u times after ICACTIVER", hw_fires);
	check(hw_timer_fires(), name, "timer does not fire after ISACTIVER, ICACTIVER");

	/* EOImode 1: taken by ISPENDR, priority dropped, deactivated by DIR. */
	if (NATIVE && gic_version == 2)
		goto out;
	gic_set_eoimode(true);
	hw_fires = 0;
	gic_set_pending(PPI_VTIMER);
	check(wait_eq(&hw_fires, 1, 500), name, "EOImode 1: ISPENDR of the timer PPI not taken");
	check(gic_is_active(PPI_VTIMER), name, "EOImode 1: timer PPI not active before DIR");
	gic_dir(PPI_VTIMER);
	check(!gic_is_active(PPI_VTIMER), name, "EOImode 1: timer PPI active after DIR");
	gic_set_eoimode(false);
	check(hw_timer_fires(), name, "timer does not fire after ISPENDR and DIR");
out:
	timer_set_ctl(TIMER_VIRT, 0);
	gic_disable(PPI_VTIMER);
}

/* The PL031's SPI, passed through (HW-mapped): ISPENDR delivers it once, the alarm still works. */
static void hw_regs_rtc(void)
{
	const char *name = "hw-regs";
	u32 dr;

	irq_register(RTC_INTID, on_rtc);
	gic_route_spi(RTC_INTID, 0);
	gic_enable(RTC_INTID, 0x80);
	mmio_w32(RTC_BASE + RTCICR, 1);
	mmio_w32(RTC_BASE + RTCIMSC, 1);
	hw_fires = 0;
	irq_register(RTC_INTID, on_hw_timer);
	gic_set_pending(RTC_INTID);
	check(wait_eq(&hw_fires, 1, 500), name, "ISPENDR of the RTC's SPI: not taken");
	delay_ticks(ms(2));
	check(hw_fires == 1, name, "ISPENDR of the RTC's SPI: taken %u times", hw_fires);
	check(!gic_is_active(RTC_INTID), name, "RTC's SPI active after its handler");
	irq_register(RTC_INTID, on_rtc);
	rtc_fires = 0;
	do {
		dr = mmio_r32(RTC_BASE + RTCDR);
		mmio_w32(RTC_BASE + RTCMR, dr);
	} while (mmio_r32(RTC_BASE + RTCDR) != dr);
	check(wait_eq(&rtc_fires, 1, 3000), name, "RTC alarm not taken after an ISPENDR");
	mmio_w32(RTC_BASE + RTCIMSC, 0);
	gic_disable(RTC_INTID);
}

void guest_main(void *dtb)
{
	u64 start = counter();
	unsigned int c;
	struct smccc_res info;
	u64 vm = 0;

	freq = timer_freq();
#if !NATIVE
	info = hvc(HC_VM_INFO, 0, 0, 0);
	ncpus = (unsigned int)info.a2;
	vm = info.a1;
	/* The virtual counter counts from the VM's start, not the machine's. */
	check(start < freq, "vtimer-start", "CNTVCT_EL0 is %lu ticks at the VM's first instruction",
	      start);
	verdict("vtimer-start");
#else
	(void)info;
	(void)start;
	(void)vm;
	ncpus = 0;
	for (c = 0; c < MAX_CPUS; c++)
		if (hvc0(PSCI_AFFINITY_INFO, c, 0, 0) >= 0)
			ncpus++;
#endif
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	/* The reset values first, before gic_init() changes them. */
	gic_probe(dtb);
	regs_reset();
	if (!gic_init(dtb))
		return;
	for (c = 0; c < 16; c++)
		irq_register(c, count_sgi);
	for (c = 1; c < ncpus; c++)
		check(cpu_start(c, 0) == RET_SUCCESS, "gic-regs", "CPU_ON of vcpu%u failed", c);
	gic_cpu_init();
	irq_unmask();
	/*
	 * Wall time without -icount: eight vCPU threads on a two-core host can
	 * take seconds to be scheduled, so the wait is generous.
	 */
	for (c = 1; c < ncpus; c++)
		check(wait_eq(&online[c], 1, 30000), "gic-regs", "vcpu%u did not come up", c);
	regs_access();
	masking();
	timer_test(TIMER_VIRT, "vtimer");
	timer_test(TIMER_PHYS, "ptimer");
	for (c = 0; c < 16; c++) {
		irq_register(c, count_sgi);
		gic_enable(c, 0x80);
	}
	sgi_test();
	priority_order();
	storm();
	overflow();
	/* With two VMs the RTC belongs to the first; the second must never see INTID 34 (irq-stray). */
	if (vm == 0)
		rtc_alarm();
	else
		print("irq: rtc-spi left to vm0");
	hw_regs_timer();
	if (vm == 0)
		hw_regs_rtc();
	verdict("hw-regs");
	check(irq_unhandled == 0, "irq-stray", "%u interrupts without a handler (last INTID %u)",
	      irq_unhandled, irq_unhandled_intid);
	verdict("irq-stray");
	for (c = 1; c < ncpus; c++)
		run_on(c, OP_QUIT, 0);
	print("irq: done");
}
