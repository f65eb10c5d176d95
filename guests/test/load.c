/*
 * Isolation under load (run as two VMs, load-2vm-smp2.vmimg). VM test1 is
 * a noisy neighbour: for LOAD_SECONDS it sweeps its RAM, makes hypercalls,
 * sends itself SGIs, touches its distributor (trapped MMIO) and runs its
 * virtual timer at 10 kHz. VM test0, beside it, runs its virtual timer at
 * 1 kHz for WINDOW_FIRES periods and checks that the interrupts came at
 * their programmed rate and that its vCPU left its guest only for its own
 * reasons: its exits in the window (the HC_VCPU_EXITS hypercall) are its
 * timer interrupts and its own hypercalls, none caused by the neighbour.
 * Then it answers a line typed on its console (the system test types it
 * while the neighbour still runs).
 */
#include "gic.h"

#define LOAD_SECONDS 12
#define WINDOW_FIRES 2000 /* test0's timer interrupts measured, 1 ms apart */
#define SETTLE_MS 300 /* test0 starts measuring when the neighbour is surely busy */

#define UART 0x09000000UL
#define UART_DR 0x000
#define UART_FR 0x018
#define FR_RXFE (1U << 4)

#define SGI_LOAD 3

static u64 freq;

static u64 ms(u64 n)
{
	return freq * n / 1000;
}

/* ---------------------------------------------------------------- test1: the neighbour */
static volatile u64 nsgis, nticks;
static u64 tick_period;

static void on_sgi(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	nsgis++;
}

static void on_fast_tick(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	nticks++;
	timer_set_cval(TIMER_VIRT, timer_count(TIMER_VIRT) + tick_period);
}

static void neighbour(const void *dtb)
{
	u64 base = 0, size = 0, end, a, rounds = 0, hvcs = 0, mmios = 0;
	u64 start = ((u64)__guest_end + 0xfff) & ~0xfffUL;
	volatile u64 *p;
	unsigned int i;

	check(fdt_reg(dtb, "memory", &base, &size), "load-neighbour", "no memory node");
	irq_register(SGI_LOAD, on_sgi);
	gic_enable(SGI_LOAD, 0x80);
	irq_register(PPI_VTIMER, on_fast_tick);
	gic_enable(PPI_VTIMER, 0x80);
	tick_period = freq / 10000;
	timer_set_cval(TIMER_VIRT, timer_count(TIMER_VIRT) + tick_period);
	timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE);
	irq_unmask();
	print("load: neighbour busy for %u s", LOAD_SECONDS);
	end = counter() + freq * LOAD_SECONDS;
	a = start;
	while (counter() < end) {
		/* 256 KiB of its RAM, a line at a time, wrapping at its end. */
		for (i = 0; i < 4096; i++) {
			p = (volatile u64 *)a;
			*p = a ^ rounds;
			a += 64;
			if (a + 64 > base + size)
				a = start;
		}
		for (i = 0; i < 64; i++, hvcs++)
			(void)hvc(HC_NULL, 0, 0, 0);
		for (i = 0; i < 16; i++, mmios++)
			(void)mmio_r32(GICD_BASE + GICD_TYPER);
		for (i = 0; i < 16; i++)
			gic_sgi_self(SGI_LOAD);
		rounds++;
	}
	timer_set_ctl(TIMER_VIRT, 0);
	irq_mask();
	print("load: neighbour done: %lu rounds, %lu hypercalls, %lu trapped reads, %lu SGIs, "
	      "%lu timer interrupts",
	      rounds, hvcs, mmios, nsgis, nticks);
	check(rounds > 0 && nsgis > 0 && nticks > 0, "load-neighbour", "it did not run");
	verdict("load-neighbour");
}

/* ---------------------------------------------------------------- test0: the measured VM */
static volatile u32 fires;
static volatile u64 first_at, last_at, max_late, sum_late;
static u64 period, next_cval;

/* Re-armed from its own deadline, not from now: a late interrupt does not shift the rest. */
static void on_tick(u32 intid, u32 source)
{
	u64 now = timer_count(TIMER_VIRT), late = now - next_cval;

	(void)intid;
	(void)source;
	if (!fires)
		first_at = now;
	last_at = now;
	if (late > max_late)
		max_late = late;
	sum_late += late;
	if (++fires >= WINDOW_FIRES) {
		timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE | CNT_CTL_IMASK);
		return;
	}
	next_cval += period;
	timer_set_cval(TIMER_VIRT, next_cval);
}

/* This vCPU's exits so far, and how many of them were for an interrupt. */
static u64 exits(u64 *irq)
{
	struct smccc_res r = hvc(HC_VCPU_EXITS, 0, 0, 0);

	*irq = r.a2;
	return r.a1;
}

static u64 us(u64 ticks)
{
	return ticks * 1000000 / freq;
}

static void measured(void)
{
	u64 before, after, irq_before, irq_after, spent, want;
	char line[32];
	unsigned int n = 0;

	period = ms(1);
	irq_register(PPI_VTIMER, on_tick);
	gic_enable(PPI_VTIMER, 0x80);
	delay_ticks(ms(SETTLE_MS));

	/*
	 * The window: nothing but WFI and the timer. Each interrupt is one exit
	 * (the timer's physical interrupt, injected); the two hypercalls that
	 * read the count are the others.
	 */
	before = exits(&irq_before);
	next_cval = timer_count(TIMER_VIRT) + period;
	timer_set_cval(TIMER_VIRT, next_cval);
	timer_set_ctl(TIMER_VIRT, CNT_CTL_ENABLE);
	irq_unmask();
	while (fires < WINDOW_FIRES)
		wfi();
	irq_mask();
	after = exits(&irq_after);
	timer_set_ctl(TIMER_VIRT, 0);

	spent = last_at - first_at;
	want = (WINDOW_FIRES - 1) * period;
	print("load: %u timer interrupts in %lu us (programmed %lu us), late by %lu us at most, "
	      "%lu us on average",
	      fires, us(spent), us(want), us(max_late), us(sum_late / fires));
	/*
	 * The programmed rate: never faster, on average less than 2 ms late,
	 * none more than 250 ms late. QEMU runs each vCPU in a host thread, and
	 * on a shared two-core host that thread may itself wait tens of
	 * milliseconds for a core (a single 52 ms was seen); the absolute
	 * schedule then catches up. What a neighbour could cause through
	 * Partita (exits) is checked exactly below.
	 */
	check(spent + want / 20 >= want && spent <= want + ms(250), "load-rate",
	      "%lu us for %u periods of 1 ms", us(spent), WINDOW_FIRES - 1);
	check(max_late <= ms(250), "load-rate", "an interrupt came %lu us late", us(max_late));
	check(sum_late / fires <= ms(2), "load-rate", "interrupts came %lu us late on average",
	      us(sum_late / fires));
	verdict("load-rate");
	print("load: %lu exits in the window, %lu of them for interrupts, for %u timer interrupts "
	      "and 1 hypercall",
	      after - before, irq_after - irq_before, fires);
	/*
	 * Nothing but the timer's interrupts and the call that read the count:
	 * no trap, no kick, no interrupt that is not this VM's. (On GICv2 each
	 * timer interrupt is followed by the maintenance interrupt its EOI
	 * raises, a second exit: docs/architecture.md, "Known limitations".)
	 */
	check(after - before - (irq_after - irq_before) == 1, "load-exits",
	      "%lu exits other than interrupts, not just the 1 hypercall",
	      after - before - (irq_after - irq_before));
	check(irq_after - irq_before >= fires &&
		      irq_after - irq_before <= (gic_version == 2 ? 2 : 1) * (u64)fires,
	      "load-exits", "%lu interrupt exits for %u timer interrupts", irq_after - irq_before,
	      fires);
	verdict("load-exits");

	/* The console answers while the neighbour still runs. */
	print("load: type a line");
	while (n < sizeof(line) - 1) {
		char c;

		while (mmio_r32(UART + UART_FR) & FR_RXFE)
			delay_ticks(ms(1));
		c = (char)(mmio_r32(UART + UART_DR) & 0xff);
		if (c == '\r' || c == '\n')
			break;
		line[n++] = c;
	}
	line[n] = '\0';
	print("load: got \"%s\"", line);
	verdict("load-console");
}

void guest_main(void *dtb)
{
	u64 vm = hvc(HC_VM_INFO, 0, 0, 0).a1;

	freq = timer_freq();
	if (!gic_init(dtb))
		return;
	gic_cpu_init();
	if (vm == 1)
		neighbour(dtb);
	else
		measured();
}
