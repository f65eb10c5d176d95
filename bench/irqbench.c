/*
 * Interrupt-path benchmark guest. Under QEMU -icount shift=0 every
 * instruction advances virtual time by 1 ns, so CNTVCT_EL0 counts
 * instructions: from a virtual-timer deadline to the first instruction of the
 * guest's handler, from an SGI to self being sent to its handler, and an SGI
 * round trip between vCPU 0 and vCPU 1. Averages over many events, reported
 * in tenths of an instruction. Built for Partita and natively (GUEST_NATIVE).
 */
#include "gic.h"

#define ROUNDS 200U
#define SGI_SELF 1
#define SGI_PING 2
#define SGI_PONG 3

static volatile u64 stamp;
static volatile u32 events;
static volatile u32 secondary_up;
static u64 freq;

/* Handlers read the counter first: their first instruction is the end of the measurement. */
static void on_stamp(u32 intid, u32 source)
{
	(void)source;
	stamp = counter();
	if (intid == PPI_VTIMER)
		timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	events++;
}

static void on_ping(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	gic_sgi(SGI_PONG, 1);
}

static void report(const char *name, u64 ticks, u32 n)
{
	u64 tenths = ticks * 10000000000UL / freq / n;

	print("bench %s %lu.%lu", name, tenths / 10, tenths % 10);
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)ctx;
	(void)sctlr;
	(void)daif;
	gic_cpu_init();
	gic_enable(SGI_PING, 0x80);
	irq_unmask();
	/* Only now may vCPU 0 ping: gic_cpu_init() cleared every pending SGI. */
	secondary_up = 1;
	__asm__ volatile("dsb ish; sev" ::: "memory");
	for (;;)
		wfi();
}

/*
 * Waits for vCPU 1's handshake in WFE, not in a spin: under -icount QEMU
 * runs its CPUs round-robin, and a spinning vCPU 0 would use up the slice
 * vCPU 1 needs to come up (WFE yields; vCPU 1's SEV ends it). Gives up
 * after 10 s of virtual time.
 */
static bool wait_secondary(void)
{
	u64 end = counter() + 10 * freq;

	while (!secondary_up) {
		if (counter() > end)
			return false;
		__asm__ volatile("wfe" ::: "memory");
	}
	return true;
}

static bool wait_events(u32 n)
{
	u64 end = counter() + freq;

	while (events != n)
		if (counter() > end)
			return false;
	return true;
}

void guest_main(void *dtb)
{
	u64 total = 0, cval;
	u32 i;
	bool two;

	freq = timer_freq();
	if (!gic_init(dtb))
		return;
	gic_cpu_init();
	irq_register(PPI_VTIMER, on_stamp);
	irq_register(SGI_SELF, on_stamp);
	irq_register(SGI_PONG, on_stamp);
	irq_register(SGI_PING, on_ping);
	gic_enable(PPI_VTIMER, 0x80);
	gic_enable(SGI_SELF, 0x80);
	gic_enable(SGI_PONG, 0x80);
	irq_unmask();

	/* Timer deadline to handler: the vCPU waits in WFI for the deadline. */
	events = 0;
	for (i = 0; i < ROUNDS; i++) {
		cval = counter() + 2000;
		timer_set_cval(TIMER_VIRT, cval);
		timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE);
		/* Spinning, not WFI: under -icount an idle vCPU lets virtual time follow the host's. */
		while (events == i)
			__asm__ volatile("" ::: "memory");
		total += stamp - cval;
	}
	report("irq-timer", total, ROUNDS);

	total = 0;
	events = 0;
	for (i = 0; i < ROUNDS; i++) {
		u64 t0 = counter();

		gic_sgi_self(SGI_SELF);
		if (!wait_events(i + 1)) {
			print("FAIL bench: SGI to self %u not taken", i);
			break;
		}
		total += stamp - t0;
	}
	report("irq-sgi-self", total, ROUNDS);

	two = cpu_start(1, 0) == RET_SUCCESS;
	if (two && !wait_secondary()) {
		print("FAIL bench: vCPU 1 never came up");
		two = false;
	}
	if (two) {
		total = 0;
		events = 0;
		for (i = 0; i < ROUNDS; i++) {
			u64 t0 = counter();

			/* vCPU 0 sleeps (WFI, IRQs masked while checking) so that, under
			 * -icount, QEMU runs vCPU 1 at once rather than after a time slice. */
			gic_sgi(SGI_PING, 2);
			for (;;) {
				bool done;

				irq_mask();
				done = events == i + 1;
				if (!done)
					wfi();
				irq_unmask();
				if (done)
					break;
			}
			if (events != i + 1) {
				print("FAIL bench: SGI round trip %u: no answer (vcpu1 up: %u)", i,
				      secondary_up);
				break;
			}
			total += stamp - t0;
		}
		report("irq-sgi-rtt", total, ROUNDS);
	}
	print("bench: done");
}
