#include "gic.h"

#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_HPPIR1_EL1 "S3_0_C12_C12_2"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"
#define ICC_DIR_EL1 "S3_0_C12_C11_1"

#define GICD_CTLR_RWP (1U << 31)
#define GICR_WAKER_ProcessorSleep (1U << 1)
#define GICR_WAKER_ChildrenAsleep (1U << 2)
#define GICR_TYPER_Last (1UL << 4)
#define SGI1R_IRM (1UL << 40)

unsigned int gic_version;

static irq_handler_t handlers[MAX_INTID];

/* Interrupts taken that no handler was registered for, by INTID (the last one). */
volatile u32 irq_unhandled;
volatile u32 irq_unhandled_intid;

#define SYSREG_R(name)                                                  \
	({                                                              \
		u64 v_;                                                 \
		__asm__ volatile("mrs %0, " name : "=r"(v_)::"memory"); \
		v_;                                                     \
	})
#define SYSREG_W(name, v) __asm__ volatile("msr " name ", %0" ::"r"((u64)(v)) : "memory")

static u32 be32(const unsigned char *b)
{
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static bool has(const char *s, u32 len, const char *want)
{
	u32 i = 0;

	while (i < len) {
		u32 j = 0;

		while (want[j] && i + j < len && s[i + j] == want[j])
			j++;
		if (!want[j] && (i + j == len || s[i + j] == 0))
			return true;
		while (i < len && s[i])
			i++;
		i++;
	}
	return false;
}

unsigned int gic_dtb_version(const void *dtb)
{
	const unsigned char *b = dtb;
	const char *strings = (const char *)b + be32(b + 12);
	u32 off = be32(b + 8);

	for (;;) {
		u32 tag = be32(b + off);

		off += 4;
		if (tag == 1) {
			const char *n = (const char *)b + off;
			u32 l = 0;

			while (n[l])
				l++;
			off += (l + 4) & ~3U;
		} else if (tag == 3) {
			u32 len = be32(b + off);
			const char *name = strings + be32(b + off + 4);
			const char *v = (const char *)b + off + 8;

			if (name[0] == 'c' && has(name, 11, "compatible")) {
				if (has(v, len, "arm,gic-v3"))
					return 3;
				if (has(v, len, "arm,cortex-a15-gic") || has(v, len, "arm,gic-400"))
					return 2;
			}
			off += 8 + ((len + 3) & ~3U);
		} else if (tag == 2 || tag == 4) {
			continue;
		} else {
			return 0;
		}
	}
}

static void gicd_wait(void)
{
	if (gic_version == 3)
		while (mmio_r32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
			;
}

/* The calling vCPU's redistributor, found by walking the frames for its affinity. */
static u64 my_gicr(void)
{
	u64 mpidr, aff, r = GICR_BASE;
	unsigned int n;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	aff = (mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000UL);
	for (n = 0; n < 64; n++, r += GICR_STRIDE) {
		u64 typer = mmio_r64(r + GICR_TYPER);

		if ((typer >> 32) == aff)
			return r;
		if (typer & GICR_TYPER_Last)
			break;
	}
	return gicr(vcpu_index());
}

static void irq_dispatch(void)
{
	for (;;) {
		u32 iar = gic_ack();
		u32 intid = gic_version == 3 ? iar & 0xffffff : iar & 0x3ff;
		u32 source = gic_version == 2 && intid < 16 ? (iar >> 10) & 7 : 0;

		if (intid >= 1020 && intid <= 1023)
			return;
		if (intid < MAX_INTID && handlers[intid]) {
			handlers[intid](intid, source);
		} else {
			irq_unhandled++;
			irq_unhandled_intid = intid;
		}
		gic_eoi(iar);
	}
}

unsigned int gic_probe(const void *dtb)
{
	gic_version = gic_dtb_version(dtb);
	if (gic_version == 0) {
		/* No interrupt controller in the DTB: ID_AA64PFR0_EL1.GIC tells whether the
		 * GICv3 system registers are there (Partita clears it on a GICv2 machine). */
		gic_version = (SYSREG_R("id_aa64pfr0_el1") >> 24) & 0xf ? 3 : 2;
		print("gic: the DTB names no GIC; ID_AA64PFR0_EL1.GIC says GICv%u", gic_version);
	}
	return gic_version;
}

bool gic_init(const void *dtb)
{
	u32 typer, lines, i;

	if (!gic_probe(dtb))
		return false;
	rt_irq_hook = irq_dispatch;
	typer = mmio_r32(GICD_BASE + GICD_TYPER);
	lines = ((typer & 0x1f) + 1) * 32;
	if (lines > 1020)
		lines = 1020;
	mmio_w32(GICD_BASE + GICD_CTLR, 0);
	gicd_wait();
	for (i = SPI_BASE; i < lines; i += 32) {
		mmio_w32(GICD_BASE + GICD_ICENABLER + i / 8, ~0U);
		mmio_w32(GICD_BASE + GICD_ICPENDR + i / 8, ~0U);
		mmio_w32(GICD_BASE + GICD_ICACTIVER + i / 8, ~0U);
		/* v3: group 1 (IRQ). v2 keeps group 0, which a GICv2 without groups has
		 * alone and a GICv2 virtual CPU interface signals as IRQ (FIQEn 0). */
		if (gic_version == 3)
			mmio_w32(GICD_BASE + GICD_IGROUPR + i / 8, ~0U);
	}
	for (i = SPI_BASE; i < lines; i += 4) {
		mmio_w32(GICD_BASE + GICD_IPRIORITYR + i, 0xa0a0a0a0U);
		if (gic_version == 2)
			mmio_w32(GICD_BASE + GICD_ITARGETSR + i, 0x01010101U);
	}
	if (gic_version == 3)
		for (i = SPI_BASE; i < lines; i++)
			mmio_w64(GICD_BASE + GICD_IROUTER + 8 * i, 0);
	gicd_wait();
	/* v3: ARE_NS | EnableGrp1A | EnableGrp1 (Grp0 in a single security state); v2: group 0. */
	mmio_w32(GICD_BASE + GICD_CTLR, gic_version == 3 ? 0x13 : 0x1);
	gicd_wait();
	return true;
}

void gic_cpu_init(void)
{
	unsigned int i;

	if (gic_version == 3) {
		u64 r = my_gicr(), sgi = r + GICR_SGI;

		mmio_w32(r + GICR_WAKER, mmio_r32(r + GICR_WAKER) & ~GICR_WAKER_ProcessorSleep);
		while (mmio_r32(r + GICR_WAKER) & GICR_WAKER_ChildrenAsleep)
			;
		mmio_w32(sgi + GICD_ICENABLER, ~0U);
		mmio_w32(sgi + GICD_ICPENDR, ~0U);
		mmio_w32(sgi + GICD_ICACTIVER, ~0U);
		mmio_w32(sgi + GICD_IGROUPR, ~0U);
		for (i = 0; i < 32; i += 4)
			mmio_w32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0U);
		while (mmio_r32(r + GICR_CTLR) & GICD_CTLR_RWP)
			;
		SYSREG_W(ICC_SRE_EL1, SYSREG_R(ICC_SRE_EL1) | 1);
		__asm__ volatile("isb");
		SYSREG_W(ICC_PMR_EL1, 0xff);
		SYSREG_W(ICC_BPR1_EL1, 0);
		SYSREG_W(ICC_CTLR_EL1, SYSREG_R(ICC_CTLR_EL1) & ~2UL); /* EOImode 0 */
		SYSREG_W(ICC_IGRPEN1_EL1, 1);
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICD_BASE + GICD_ICENABLER, ~0U);
		mmio_w32(GICD_BASE + GICD_ICPENDR, ~0U);
		mmio_w32(GICD_BASE + GICD_ICACTIVER, ~0U);
		for (i = 0; i < 32; i += 4)
			mmio_w32(GICD_BASE + GICD_IPRIORITYR + i, 0xa0a0a0a0U);
		mmio_w32(GICC_BASE + GICC_PMR, 0xff);
		mmio_w32(GICC_BASE + GICC_BPR, 0);
		mmio_w32(GICC_BASE + GICC_CTLR, 0x1); /* EnableGrp0, EOImode 0 */
	}
}

void irq_register(u32 intid, irq_handler_t handler)
{
	if (intid < MAX_INTID)
		handlers[intid] = handler;
}

/* The base of the register bank holding intid: the redistributor's SGI frame for private ones on v3. */
static u64 bank(u32 intid)
{
	if (gic_version == 3 && intid < SPI_BASE)
		return my_gicr() + GICR_SGI;
	return GICD_BASE;
}

static void bit_write(u32 reg, u32 intid)
{
	mmio_w32(bank(intid) + reg + (intid / 32) * 4, 1U << (intid % 32));
}

static bool bit_read(u32 reg, u32 intid)
{
	return (mmio_r32(bank(intid) + reg + (intid / 32) * 4) >> (intid % 32)) & 1;
}

void gic_set_priority(u32 intid, u8 prio)
{
	mmio_w8(bank(intid) + GICD_IPRIORITYR + intid, prio);
}

void gic_enable(u32 intid, u8 prio)
{
	gic_set_priority(intid, prio);
	bit_write(GICD_ISENABLER, intid);
}

void gic_disable(u32 intid)
{
	bit_write(GICD_ICENABLER, intid);
	if (gic_version == 3) {
		if (intid < SPI_BASE)
			while (mmio_r32(my_gicr() + GICR_CTLR) & GICD_CTLR_RWP)
				;
		else
			gicd_wait();
	}
}

void gic_set_pending(u32 intid)
{
	bit_write(GICD_ISPENDR, intid);
}

void gic_clear_pending(u32 intid)
{
	bit_write(GICD_ICPENDR, intid);
}

bool gic_is_pending(u32 intid)
{
	return bit_read(GICD_ISPENDR, intid);
}

bool gic_is_active(u32 intid)
{
	return bit_read(GICD_ISACTIVER, intid);
}

bool gic_is_enabled(u32 intid)
{
	return bit_read(GICD_ISENABLER, intid);
}

void gic_route_spi(u32 intid, unsigned int vcpu)
{
	if (gic_version == 3)
		mmio_w64(GICD_BASE + GICD_IROUTER + 8 * intid, vcpu);
	else
		mmio_w8(GICD_BASE + GICD_ITARGETSR + intid, (u8)(1U << vcpu));
}

void gic_sgi(u32 intid, u32 targets)
{
	if (gic_version == 3) {
		SYSREG_W(ICC_SGI1R_EL1, ((u64)intid << 24) | (targets & 0xffff));
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICD_BASE + GICD_SGIR, ((targets & 0xff) << 16) | intid);
	}
}

void gic_sgi_others(u32 intid)
{
	if (gic_version == 3) {
		SYSREG_W(ICC_SGI1R_EL1, SGI1R_IRM | ((u64)intid << 24));
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICD_BASE + GICD_SGIR, (1U << 24) | intid);
	}
}

void gic_sgi_self(u32 intid)
{
	if (gic_version == 3)
		gic_sgi(intid, 1U << vcpu_index());
	else
		mmio_w32(GICD_BASE + GICD_SGIR, (2U << 24) | intid);
}

void gic_set_pmr(u32 pmr)
{
	if (gic_version == 3) {
		SYSREG_W(ICC_PMR_EL1, pmr);
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICC_BASE + GICC_PMR, pmr);
	}
}

u32 gic_pmr(void)
{
	return gic_version == 3 ? (u32)SYSREG_R(ICC_PMR_EL1) : mmio_r32(GICC_BASE + GICC_PMR);
}

void gic_set_bpr(u32 bpr)
{
	if (gic_version == 3) {
		SYSREG_W(ICC_BPR1_EL1, bpr);
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICC_BASE + GICC_BPR, bpr);
	}
}

u32 gic_ack(void)
{
	u32 iar;

	if (gic_version == 3)
		iar = (u32)SYSREG_R(ICC_IAR1_EL1);
	else
		iar = mmio_r32(GICC_BASE + GICC_IAR);
	__asm__ volatile("dsb sy" ::: "memory");
	return iar;
}

void gic_eoi(u32 iar)
{
	__asm__ volatile("dsb sy" ::: "memory");
	if (gic_version == 3) {
		SYSREG_W(ICC_EOIR1_EL1, iar);
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICC_BASE + GICC_EOIR, iar);
	}
}

void gic_set_eoimode(bool split)
{
	if (gic_version == 3) {
		u64 ctlr = SYSREG_R(ICC_CTLR_EL1);

		SYSREG_W(ICC_CTLR_EL1, split ? ctlr | 2UL : ctlr & ~2UL);
		__asm__ volatile("isb");
	} else {
		u32 ctlr = mmio_r32(GICC_BASE + GICC_CTLR);

		mmio_w32(GICC_BASE + GICC_CTLR, split ? ctlr | (1U << 9) : ctlr & ~(1U << 9));
	}
}

void gic_dir(u32 iar)
{
	__asm__ volatile("dsb sy" ::: "memory");
	if (gic_version == 3) {
		SYSREG_W(ICC_DIR_EL1, iar);
		__asm__ volatile("isb");
	} else {
		mmio_w32(GICC_BASE + GICC_DIR, iar);
	}
}

u32 gic_hppi(void)
{
	if (gic_version == 3)
		return (u32)SYSREG_R(ICC_HPPIR1_EL1) & 0xffffff;
	return mmio_r32(GICC_BASE + GICC_HPPIR) & 0x3ff;
}

u64 timer_count(enum timer t)
{
	__asm__ volatile("isb" ::: "memory");
	return t == TIMER_VIRT ? SYSREG_R("cntvct_el0") : SYSREG_R("cntpct_el0");
}

u64 timer_ctl(enum timer t)
{
	return t == TIMER_VIRT ? SYSREG_R("cntv_ctl_el0") : SYSREG_R("cntp_ctl_el0");
}

void timer_set_ctl(enum timer t, u64 ctl)
{
	if (t == TIMER_VIRT)
		SYSREG_W("cntv_ctl_el0", ctl);
	else
		SYSREG_W("cntp_ctl_el0", ctl);
	__asm__ volatile("isb");
}

void timer_set_cval(enum timer t, u64 cval)
{
	if (t == TIMER_VIRT)
		SYSREG_W("cntv_cval_el0", cval);
	else
		SYSREG_W("cntp_cval_el0", cval);
	__asm__ volatile("isb");
}

u64 timer_cval(enum timer t)
{
	return t == TIMER_VIRT ? SYSREG_R("cntv_cval_el0") : SYSREG_R("cntp_cval_el0");
}

void timer_set_tval(enum timer t, u32 tval)
{
	if (t == TIMER_VIRT)
		SYSREG_W("cntv_tval_el0", tval);
	else
		SYSREG_W("cntp_tval_el0", tval);
	__asm__ volatile("isb");
}

s64 timer_tval(enum timer t)
{
	u64 v = t == TIMER_VIRT ? SYSREG_R("cntv_tval_el0") : SYSREG_R("cntp_tval_el0");

	return (s64)(int32_t)(u32)v;
}

u64 timer_freq(void)
{
	return SYSREG_R("cntfrq_el0");
}

void spin_lock(volatile u32 *l)
{
	u32 tmp, fail;

	__asm__ volatile("sevl\n"
			 "1: wfe\n"
			 "2: ldaxr %w0, [%2]\n"
			 "cbnz %w0, 1b\n"
			 "stxr %w1, %w3, [%2]\n"
			 "cbnz %w1, 2b\n"
			 : "=&r"(tmp), "=&r"(fail)
			 : "r"(l), "r"(1U)
			 : "memory");
}

void spin_unlock(volatile u32 *l)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(l) : "memory");
}

s64 cpu_start(unsigned int n, u64 ctx)
{
	extern char secondary_entry[];

	return hvc0(PSCI_CPU_ON, n, (u64)secondary_entry, ctx);
}
