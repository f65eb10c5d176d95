/*
 * A vCPU that turns off while it holds a passed-through interrupt active:
 * vCPU 0 takes the PL031's alarm (INTID 34, HW-mapped to the physical SPI)
 * with EOImode 1, so its EOI only drops the priority, and calls CPU_OFF
 * without deactivating it. No guest will ever deactivate that instance, so
 * Partita must (vgic_vcpu_power_off()): vCPU 1 turns vCPU 0 on again, and
 * the alarm must reach it in its new life. Were the physical SPI left
 * active, it could never fire again. Needs partita.passthrough=pl031 and
 * two vCPUs.
 */
#include "gic.h"

#define RTC_INTID 34
#define RTC_BASE 0x09010000UL
#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCMIS 0x18
#define RTCICR 0x1c

#define CTX_BRING_BACK 1 /* vCPU 1: turn vCPU 0 on again once it is off */
#define CTX_NEW_LIFE 2 /* vCPU 0, turned on again */
#define AFFINITY_OFF 1

static volatile u32 fires;

static void on_rtc(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	if (mmio_r32(RTC_BASE + RTCMIS) & 1)
		fires++;
	mmio_w32(RTC_BASE + RTCICR, 1);
}

/* A match register equal to the count raises the alarm at once (QEMU's pl031). */
static void alarm(void)
{
	u32 dr;

	do {
		dr = mmio_r32(RTC_BASE + RTCDR);
		mmio_w32(RTC_BASE + RTCMR, dr);
	} while (mmio_r32(RTC_BASE + RTCDR) != dr);
}

static bool wait_fires(u32 want, u64 ms)
{
	u64 end = counter() + counter_frequency() / 1000 * ms;

	while (fires != want) {
		if (counter() > end)
			return false;
		__asm__ volatile("yield");
	}
	return true;
}

static void off(void)
{
	irq_mask();
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	print("FAIL vcpu-off-hw: CPU_OFF returned on vcpu%u", vcpu_index());
	for (;;)
		wfi();
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)sctlr;
	(void)daif;
	if (ctx == CTX_BRING_BACK) {
		while (hvc0(PSCI_AFFINITY_INFO, 0, 0, 0) != AFFINITY_OFF)
			__asm__ volatile("yield");
		check(cpu_start(0, CTX_NEW_LIFE) == RET_SUCCESS, "vcpu-off-hw",
		      "CPU_ON of vcpu0 failed");
		off();
	}
	/* vCPU 0's new life: its CPU interface is fresh, the distributor as it left it. */
	gic_cpu_init();
	irq_unmask();
	alarm();
	check(wait_fires(2, 3000), "vcpu-off-hw",
	      "the alarm never came back after vcpu0 turned off with it active");
	verdict("vcpu-off-hw");
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void guest_main(void *dtb)
{
	if (!gic_init(dtb))
		return;
	gic_cpu_init();
	irq_register(RTC_INTID, on_rtc);
	gic_route_spi(RTC_INTID, 0);
	gic_enable(RTC_INTID, 0x80);
	mmio_w32(RTC_BASE + RTCICR, 1);
	mmio_w32(RTC_BASE + RTCIMSC, 1);
	gic_set_eoimode(true);
	irq_unmask();
	alarm();
	check(wait_fires(1, 3000), "vcpu-off-hw", "first alarm not delivered");
	/* Priority dropped by the dispatcher's EOI, never deactivated. */
	check(gic_is_active(RTC_INTID), "vcpu-off-hw", "INTID 34 not active after its EOI");
	check(cpu_start(1, CTX_BRING_BACK) == RET_SUCCESS, "vcpu-off-hw", "CPU_ON of vcpu1 failed");
	off();
}
